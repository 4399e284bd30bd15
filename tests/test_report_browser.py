"""The HTML report in a real browser: what a person sees, and that nothing leaves the file.

Headless Chromium (Debian's `chromium`; `.ci/run` installs it) opens the
report of the demo journal, with an entry that tries to run a script:

- `--dump-dom` gives the DOM after load: the title was not changed by a
  script, the script is shown as text, every goal has its chart drawn;
- `--log-net-log` records every request the browser makes: none comes from
  the page (a control page with an external image shows the check works);
- `--screenshot` keeps a picture of the first page, and `--print-to-pdf` the
  printed report, in tests/artifacts/ for a person to look at.

Skipped, with the reason, only when Chromium is not installed.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from journal.demo import write_demo_journal
from journal.journal import Journal
from journal.model import Goal
from journal.reports import CSP, export_to
from tests.browser import artifact, chromium_command, needs_chromium
from tests.test_report import IMG, SCRIPT, Page

pytestmark = needs_chromium
TIMEOUT = 120


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with a new empty profile."""
    command = chromium_command(profile, *args)
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


@dataclass
class Report:
    journal: Journal
    path: Path
    goals: list[Goal]


@pytest.fixture
def report(tmp_path: Path) -> Iterator[Report]:
    """The HTML report of the demo journal with an entry that tries to run scripts."""
    journal = write_demo_journal(tmp_path / "demo.tandem", today=date(2025, 6, 1))
    journal.add_entry(
        "observation",
        f"Pasted from a web page {SCRIPT}",
        f"{SCRIPT}\n\n{IMG}\n\n![pixel](https://tracker.example/p.png) "
        "[site](https://example.org/x)",
        fields={"setting": IMG},
        occurred_at="2025-05-31T09:00",
    )
    out = tmp_path / "report.html"
    export_to(journal, "html", out)
    yield Report(journal, out, journal.goals())


def page_requests(netlog: Path) -> tuple[list[str], list[str]]:
    """(URLs the page asked for, every host name the browser looked up or used)."""
    data = json.loads(netlog.read_text(encoding="utf-8"))
    names = {value: key for key, value in data["constants"]["logEventTypes"].items()}
    from_page: list[str] = []
    hosts: list[str] = []
    for event in data["events"]:
        params = event.get("params") or {}
        kind = names.get(event.get("type"), "")
        if "host" in params:
            hosts.append(str(params["host"]))
        if kind == "URL_REQUEST_START_JOB" and "file://" in str(
            params.get("network_isolation_key", "")
        ):
            from_page.append(str(params.get("url")))
    return from_page, hosts


def test_what_a_person_sees(report: Report, tmp_path: Path) -> None:
    done = chromium(tmp_path / "profile", "--dump-dom", report.path.as_uri())
    dom = Page(done.stdout)
    titles = [part for part in re.findall(r"<title>(.*?)</title>", done.stdout, re.S)]
    assert titles[0] == "Sam's journal: progress report"  # no script changed it
    assert "pwned" not in titles[0]
    assert SCRIPT in dom.text and IMG in dom.text  # shown as text
    elements = [tag for tag, _attrs in dom.elements]
    assert "script" not in elements and "img" not in elements
    [csp] = [a for t, a in dom.elements if t == "meta" and a.get("http-equiv")]
    assert csp["content"] == CSP

    svgs = re.findall(r"<svg .*?</svg>", done.stdout, re.S)
    assert len(svgs) == len(report.goals) > 0
    for goal in report.goals:
        section = done.stdout[done.stdout.index(f'id="goal-{goal.id}"') :]
        svg = re.findall(r"<svg .*?</svg>", section, re.S)[0]
        points = re.findall(r'<polyline class="series" points="([^"]+)"', svg)
        assert points and len(points[0].split()) == len(report.journal.measurements(goal.id))
        assert re.search(r'<line class="criterion"[^>]*stroke-dasharray', svg)

    for tag, attrs in dom.elements:
        for name, value in attrs.items():
            if re.match(r"\s*https?:", value) and not (tag == "a" and name == "href"):
                raise AssertionError(f"{tag} {name}={value} would load from the network")


def test_no_request_leaves_the_file(report: Report, tmp_path: Path) -> None:
    netlog = tmp_path / "netlog.json"
    chromium(tmp_path / "profile", f"--log-net-log={netlog}", "--dump-dom", report.path.as_uri())
    from_page, hosts = page_requests(netlog)
    assert from_page == []
    assert not [h for h in hosts if "example" in h]  # not even a DNS look-up

    # The same check sees the requests of a page that makes some.
    control = tmp_path / "control.html"
    control.write_text(
        '<!DOCTYPE html><title>control</title><img src="http://tracker.example.invalid/p.png">',
        encoding="utf-8",
    )
    netlog.unlink()
    chromium(tmp_path / "profile", f"--log-net-log={netlog}", "--dump-dom", control.as_uri())
    from_page, hosts = page_requests(netlog)
    assert from_page == ["http://tracker.example.invalid/p.png"]


def test_without_the_policy_nothing_runs_either(report: Report, tmp_path: Path) -> None:
    """Escaping alone keeps the scripts inert: the policy is a second wall, not the only one."""
    text = report.path.read_text(encoding="utf-8")
    open_page = tmp_path / "no-policy.html"
    open_page.write_text(re.sub(r"<meta http-equiv=[^>]*>", "", text, count=1), encoding="utf-8")
    done = chromium(tmp_path / "profile", "--dump-dom", open_page.as_uri())
    assert "Content-Security-Policy" not in done.stdout
    title = re.findall(r"<title>(.*?)</title>", done.stdout, re.S)[0]
    assert title == "Sam's journal: progress report"


def test_screenshot_and_printed_report_are_kept(report: Report, tmp_path: Path) -> None:
    shot = artifact("report-first-page.png")
    chromium(
        tmp_path / "profile",
        f"--screenshot={shot}",
        "--window-size=1280,1600",
        "--hide-scrollbars",
        report.path.as_uri(),
    )
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 1600)
    assert len(data) > 20_000  # a page with text and tables, not a blank picture

    pdf = artifact("report.pdf")
    chromium(
        tmp_path / "profile",
        f"--print-to-pdf={pdf}",
        "--no-pdf-header-footer",
        report.path.as_uri(),
    )
    printed = pdf.read_bytes()
    assert printed.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", printed))
    assert pages >= 4  # the cover, then goals and entries each from a new page
