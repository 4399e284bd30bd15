"""Issue #13, point 7: reports for a meeting.

`--preset meeting` (goals with charts, the last weeks' highlights, no drafts,
no check-ins, questions or threads) and `--preset full`; `--kind` and
`--goal` repeat; times are local with the zone's name; a pseudonymised report
names the members by role everywhere unless `--names`.
"""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path

import pytest

from journal.demo import DEMO_PASSPHRASE, write_demo_journal
from journal.journal import Journal
from journal.model import Member
from journal.reports import export_to, preset_filters
from journal.reports.common import local_when
from journal.reports.pseudonyms import member_labels
from tests.cli_harness import Cli

TODAY = date(2026, 12, 5)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Journal:

    return write_demo_journal(tmp_path_factory.mktemp("demo") / "demo.tandem", today=TODAY)


def _words(name: str) -> list[str]:
    return [name] + [w for w in name.split() if len(w) > 1 and not w.endswith(".")]


@pytest.mark.parametrize("fmt", ["html", "md", "json", "csv"])
def test_a_pseudonymised_report_names_nobody(demo: Journal, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / (f"report.{fmt}" if fmt != "csv" else "tables.zip")
    export_to(demo, fmt, out, pseudonym="Alex")
    if fmt == "csv":
        import zipfile

        with zipfile.ZipFile(out) as tables:
            text = "\n".join(tables.read(name).decode("utf-8") for name in tables.namelist())
    else:
        text = out.read_text(encoding="utf-8")
    names = [m.name for m in demo.all(Member, include_deleted=True)] + [demo.info.child_name]
    for name in names:
        for word in _words(name):
            found = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)
            assert found is None, (word, text[max(0, found.start() - 80) : found.end() + 80])
    assert "Parent 1" in text and "Therapist" in text and "Alex" in text


def test_names_keeps_the_members_names(demo: Journal, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    export_to(demo, "md", out, pseudonym="Alex", names=True)
    text = out.read_text(encoding="utf-8")
    assert "Maya Rivera" in text and "Parent 1" not in text
    assert not re.search(r"(?<!\w)Sam(?!\w)", text)


def test_role_labels_number_a_role_only_when_it_has_several() -> None:
    members = [
        Member(id="a", name="Maya", role="parent", created_at="1"),
        Member(id="b", name="Lee", role="therapist", created_at="2"),
        Member(id="c", name="Dan", role="parent", created_at="3"),
    ]
    assert member_labels(members) == {"a": "Parent 1", "b": "Therapist", "c": "Parent 2"}


def test_the_meeting_preset_is_short_and_holds_what_a_meeting_needs(
    demo: Journal, tmp_path: Path
) -> None:
    full, meeting = tmp_path / "full.html", tmp_path / "meeting.html"
    export_to(demo, "html", full, **preset_filters("full", {}, today=TODAY.isoformat()))
    filters = preset_filters("meeting", {"pseudonym": "Alex"}, today=TODAY.isoformat())
    assert filters["since"] == "2026-11-07" and filters["drafts"] is False
    export_to(demo, "html", meeting, **filters)
    full_text, text = full.read_text(encoding="utf-8"), meeting.read_text(encoding="utf-8")
    assert len(text) < len(full_text) / 2
    assert "<svg" in text  # the goals' charts
    assert "Check-in" not in text.split('id="entries"', 1)[-1]  # no day-to-day check-ins
    assert "draft" not in text.lower().split('id="entries"', 1)[-1]
    assert "Toileting" not in text


def test_filters_repeat(demo: Journal, tmp_path: Path) -> None:
    out = tmp_path / "two.json"
    export_to(demo, "json", out, kind=["win", "incident"])
    import json

    kinds = {entry["kind"] for entry in json.loads(out.read_text())["entries"]}
    assert kinds == {"win", "incident"}


def test_times_are_local_with_the_zone_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        assert local_when("2026-01-05T14:05:00.000000Z") == "2026-01-05 15:05 CET"
        assert local_when("2026-07-05T14:05:00Z") == "2026-07-05 16:05 CEST"
        assert local_when("not a time") == "not a time"
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def test_the_command_line_takes_a_preset_and_repeated_filters(
    demo: Journal, tmp_path: Path, cli: Cli
) -> None:
    out = tmp_path / "meeting.html"
    result = cli(
        "export", demo.path, "--format", "html", "-o", out, "--preset", "meeting",
        "--kind", "win", "--kind", "incident", "--pseudonym", "Alex",
        passphrase=DEMO_PASSPHRASE,
    )  # fmt: skip
    assert result.code == 0, result
    assert "Maya" not in out.read_text(encoding="utf-8")
    refused = cli(
        "export", demo.path, "--format", "md", "-o", tmp_path / "x.md", "--names",
        passphrase=DEMO_PASSPHRASE,
    )  # fmt: skip
    assert refused.code != 0 and "--names goes with --pseudonym" in refused.err
