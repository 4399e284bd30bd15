"""Benchmark of the HTML report (issue 6, section 4): a table, not a timed test.

    .venv/bin/python bench/report.py [--entries 10000] [--goals 50] [--repeat 3]

Generates a journal of 10,000 varied ~1 KB entries (the same seeded entries
as bench/run.py) with 50 goals and their measurements, threads, session
notes with addenda and sessions, and measures in one run:

- the time to build the HTML report (`journal.reports.export_html`) of the
  open journal, and to build and write it (`journal.reports.export_to`),
- its size,
- the time headless Chromium takes to open it (`--dump-dom`, the DOM after
  load), beside Chromium on an empty page (its start-up alone),
- beside the time to build the Markdown export of the same journal (the
  floor: the same content as plain text), and the CSV and JSON exports.

Times are the median of `--repeat` runs. The journal uses the cheap test key
derivation (unlocking is not what is measured here). Target: HTML < 3 s.
Prints a markdown table and writes it to bench/out/report.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from bench.common import machine  # noqa: E402
from tests.browser import CHROMIUM, chromium_command  # noqa: E402

HTML_TARGET_S = 3.0
GOAL_TITLES = [
    "Requests preferred items with 2-3 word phrases",
    "Transitions away from favorite activities with a visual timer",
    "Follows one-step instructions at home",
    "Brushes teeth following a picture strip",
    "Takes turns in a simple game",
    "Waits for a turn with a visual cue",
    "Greets familiar adults by name",
    "Stays with an adult in parking lots",
    "Tolerates new foods on the plate",
    "Asks for help with a word instead of crying",
]
MEASURES = ["percent"] * 7 + ["count", "duration", "rating"]
STATUSES = ["baseline", "acquisition", "acquisition", "mastered", "maintenance"]


def build_journal(folder: Path, entries: int, goals: int, seed: int = 7) -> Any:
    """Create the benchmark journal in `folder` through the Journal API and save it."""
    os.environ["TANDEM_TEST_FAST_KDF"] = "1"
    os.environ.setdefault("XDG_DATA_HOME", str(folder / "xdg"))
    from run import generate_entries

    from journal.journal import Journal

    rng = random.Random(seed)
    journal, _code = Journal.create(
        folder / "bench.tandem",
        title="Sam's journal",
        name="Ana Rivera",
        role="parent",
        passphrase="bench",
    )
    journal.update_info(child_name="Sam Rivera", interests="Trains, bubbles, the swings")
    parent = journal.me.id
    therapist = journal.add_member("Dr. Lee Chen", "therapist", what_works="Short trials").id
    dad = journal.add_member("Daniel Rivera", "parent").id
    people = [parent, therapist, dad]
    generated = list(generate_entries(entries))
    start = datetime.fromisoformat(generated[0].occurred_at)
    end = datetime.fromisoformat(generated[-1].occurred_at)

    def stamp(when: datetime) -> str:
        return when.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    goal_ids: list[str] = []
    with journal.acting_as(therapist, at=stamp(start)):
        for i in range(goals):
            measure = MEASURES[i % len(MEASURES)]
            parent_id = goal_ids[i - 10] if i >= 40 and i - 10 < len(goal_ids) else None
            goal = journal.add_goal(
                f"{GOAL_TITLES[i % len(GOAL_TITLES)]} ({i + 1})",
                measure=measure,
                domain="communication",
                description="Operational definition of the target behavior.",
                method="Incidental teaching, wait 5 s, then model.",
                status=STATUSES[i % len(STATUSES)],
                parent_id=parent_id,
            )
            goal_ids.append(goal.id)
    span = (end - start).total_seconds()
    for i, goal_id in enumerate(goal_ids):
        measure = MEASURES[i % len(MEASURES)]
        for n in range(40):
            when = start + timedelta(seconds=span * (n + rng.random()) / 40)
            with journal.acting_as(rng.choice(people), at=stamp(when)):
                day = when.strftime("%Y-%m-%d")
                if measure == "percent":
                    total = 10
                    correct = min(total, max(0, round(2 + 8 * n / 40 + rng.gauss(0, 1.5))))
                    journal.record_measurement(goal_id, correct=correct, total=total, date=day)
                elif measure == "rating":
                    journal.record_measurement(goal_id, value=rng.randint(1, 5), date=day)
                else:
                    value = max(0.0, round(2 + 10 * n / 40 + rng.gauss(0, 2), 1))
                    journal.record_measurement(goal_id, value=value, date=day)
        if i % 7 == 0:
            with journal.acting_as(therapist, at=stamp(end)):
                journal.move_goal(goal_id, "mastered", note="Criterion met twice.")
                journal.comment(goal_id, "Sam met the criterion; moving to maintenance next.")
    for n, e in enumerate(generated):
        author = people[n % 3] if e.kind != "question" else parent
        linked = [rng.choice(goal_ids)] if rng.random() < 0.3 else []
        with journal.acting_as(author, at=e.created_at):
            entry = journal.add_entry(
                e.kind,
                e.title,
                e.body,
                tags=e.tags,
                goals=linked,
                fields=e.fields,
                occurred_at=e.occurred_at,
            )
        if rng.random() < 0.15:
            when = datetime.fromisoformat(e.occurred_at) + timedelta(hours=2)
            for k in range(rng.randint(1, 3)):
                with journal.acting_as(people[(n + k + 1) % 3], at=stamp(when)):
                    journal.comment(entry.id, f"Thanks for noting this. **Reply {k + 1}** here.")
    for n in range(200):
        when = start + timedelta(seconds=span * (n + 0.5) / 200)
        with journal.acting_as(therapist, at=stamp(when)):
            session = journal.add_session(when.strftime("%Y-%m-%dT15:30"), location="Home")
            note = journal.add_entry(
                "session",
                "Session note",
                "Worked on requests and waiting. See the targets.",
                fields={"targets": "Requests 7/10\nWaiting 4/5", "next_plan": "Fade the model."},
                occurred_at=when.strftime("%Y-%m-%dT16:30"),
                session_id=session.id,
            )
            if n % 2 == 0:
                journal.finalize(note.id)
                if n % 4 == 0:
                    journal.add_addendum(note.id, "Correction: the second target was 3/5.")
    journal.save()
    return journal


def median_time(action: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """The median wall and CPU times of `repeat` runs of `action`, and its last result."""
    times: list[float] = []
    cpu: list[float] = []
    result: Any = None
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = action()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return statistics.median(times), statistics.median(cpu), result


def chromium_dump(browser: str, url: str, profile: Path) -> tuple[float, float, str]:
    """Wall and CPU time (all its processes) of `chromium --dump-dom URL`, with a new
    empty profile each time, and the DOM."""
    command = chromium_command(profile, "--dump-dom", url, browser=browser)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise RuntimeError(f"chromium failed ({done.returncode}): {done.stderr[-300:]}")
    return elapsed, cpu, done.stdout


def machine_lines() -> list[str]:
    """The machine this ran on."""
    return [
        f"- Machine: {machine()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}",
        f"- Run {datetime.now().strftime('%Y-%m-%d %H:%M')}, load average {os.getloadavg()[0]:.2f}",
    ]


def main(argv: list[str] | None = None) -> int:
    """Build the journal, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--goals", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if args.entries < 1 or args.goals < 1 or args.repeat < 1:
        parser.error("--entries, --goals and --repeat must be at least 1")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    from journal.model import Comment, Measurement
    from journal.reports import export_csv, export_html, export_json, export_markdown, export_to

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tandem-bench-report-") as temp:
        folder = Path(temp)
        log(f"generating {args.entries:,} entries and {args.goals} goals ...")
        started = time.perf_counter()
        journal = build_journal(folder, args.entries, args.goals)
        log(f"  done in {time.perf_counter() - started:.0f} s")
        counts = (
            f"{len(journal.entries()):,} entries, {len(journal.goals())} goals, "
            f"{len(journal.all(Measurement)):,} measurements, "
            f"{len(journal.all(Comment)):,} comments"
        )
        log("measuring ...")
        export_html(journal)  # warm-up: imports, caches
        html_s, html_cpu, html_text = median_time(lambda: export_html(journal), args.repeat)
        out = folder / "report.html"
        write = median_time(lambda: export_to(journal, "html", out), args.repeat)
        md_s, md_cpu, md_text = median_time(lambda: export_markdown(journal), args.repeat)
        json_s, json_cpu, json_text = median_time(lambda: export_json(journal), args.repeat)
        csv = median_time(lambda: export_csv(journal, folder / "csv.zip"), args.repeat)
        size = out.stat().st_size
        rows = [
            ("HTML report: build (`export_html`)", html_s, html_cpu, _mb(len(html_text))),
            ("HTML report: build and write (`export_to`)", write[0], write[1], _mb(size)),
            ("Markdown export: build (the floor)", md_s, md_cpu, _mb(len(md_text))),
            ("JSON export: build", json_s, json_cpu, _mb(len(json_text))),
            ("CSV export: build and write a zip", csv[0], csv[1], _size(folder / "csv.zip")),
        ]
        browser = CHROMIUM
        browser_note = ""
        if browser is None:
            browser_note = "- Chromium: not installed (apt-get install chromium), not measured"
        else:
            profile = folder / "chromium-profile"
            empty = folder / "empty.html"
            empty.write_text("<!DOCTYPE html><title>empty</title>", encoding="utf-8")
            blank: list[tuple[float, float]] = []
            opened: list[tuple[float, float]] = []
            dom = ""
            for _ in range(args.repeat):
                blank.append(chromium_dump(browser, empty.as_uri(), profile)[:2])
                elapsed, cpu, dom = chromium_dump(browser, out.as_uri(), profile)
                opened.append((elapsed, cpu))
            charts = dom.count("<polyline")
            entries_shown = dom.count('<article class="entry')
            rows.append(
                (
                    "Chromium opens the report (`--dump-dom`)",
                    statistics.median(t for t, _c in opened),
                    statistics.median(c for _t, c in opened),
                    f"{charts} charts drawn, {entries_shown:,} entries in the DOM",
                )
            )
            rows.append(
                (
                    "Chromium on an empty page (its start-up)",
                    statistics.median(t for t, _c in blank),
                    statistics.median(c for _t, c in blank),
                    "",
                )
            )
            browser_note = f"- Chromium: {_version(browser)}"
    verdict = "ok" if html_s < HTML_TARGET_S else "OVER"
    lines = [
        f"## HTML report of {counts}",
        "",
        "| what | median wall time | CPU time | size / note |",
        "| --- | ---: | ---: | --- |",
        *(f"| {what} | {wall:.2f} s | {cpu:.2f} s | {note} |" for what, wall, cpu, note in rows),
        "",
        f"Target: HTML build < {HTML_TARGET_S:.0f} s: **{verdict}** ({html_s:.2f} s, "
        f"{html_s / md_s if md_s else 0:.1f}x the Markdown floor).",
        "",
        *machine_lines(),
        f"- Median of {args.repeat} runs each; the journal is open in memory (unlock not timed); "
        "CPU time is less disturbed by other work on the machine than wall time",
        browser_note,
    ]
    text = "\n".join(line for line in lines if line is not None) + "\n"
    print(text)
    (OUT / "report.md").write_text(text, encoding="utf-8")
    return 0 if verdict == "ok" else 1


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB" if path.exists() else ""


def _version(browser: str) -> str:
    try:
        done = subprocess.run([browser, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return browser
    return done.stdout.strip() or browser


if __name__ == "__main__":
    sys.exit(main())
