"""Data in the moment, and charts that explain themselves (issue 14, section 5): a table.

    .venv/bin/python bench/data.py [--points 5000] [--events 20] [--incidents 5000]
                                   [--entries 10000] [--repeat 5]

Builds the journals, opens each again from its file as the app does, then,
headless (`App.run_test`), times what a person waits for, beside a floor
measured the same way in the same run:

- a goal's chart with 5,000 data points (home, session and school, so the
  chart draws settings apart) and 20 dated events: the goal's detail from
  the key to the paint showing its chart (textual-plotext), and the report's
  SVG chart alone (`Chart.of` and its template); floor: a goal with one point;
- the Patterns view of 5,000 ABC incidents (and a check-in a day): from
  pushing the screen to the paint showing the heat map; floor: no entries;
- a key press in the trial-by-trial collector, from the key to the paint of
  the new score, in a journal of 10,000 entries; floor: a journal holding
  only the goal.

Times are medians of `--repeat` runs in milliseconds: wall clock, and the
main thread's CPU time. Key derivation is the fast test setting.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TANDEM_TEST_FAST_KDF", "1")

from textual.app import App  # noqa: E402
from textual.screen import Screen  # noqa: E402

from bench.common import CPU_NOTE, parse_sizes, print_table  # noqa: E402
from bench.goals import Times, painted, send_key, until  # noqa: E402
from journal.collect import Setup, TrialCollection  # noqa: E402
from journal.journal import Journal  # noqa: E402
from journal.model import Goal  # noqa: E402
from journal.reports.chart import chart_svg  # noqa: E402
from screens.base import MainScreen  # noqa: E402
from screens.collector_screen import CollectorScreen  # noqa: E402
from screens.goal_detail_screen import GoalChart, GoalDetailScreen  # noqa: E402
from screens.patterns_screen import PatternsScreen  # noqa: E402

SIZE = (120, 40)
PASSPHRASE = "bench"
TARGETS = {"chart": 0.3, "patterns": 0.5, "key": 0.05}
"""Seconds: the issue's targets."""

_SETTINGS = ("home", "session", "preschool")
_WORDS = ("asked", "to", "stop", "the", "iPad", "threw", "his", "cup", "hit", "sister", "ran")


class Host(MainScreen):
    """The plain screen the timed screens are pushed over."""


class BenchApp(App[None]):
    """A plain screen over a journal; the benchmark pushes what it times."""

    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal

    def on_mount(self) -> None:
        self.push_screen(Host(self.journal))


def _new(folder: Path, name: str) -> Journal:
    journal, _code = Journal.create(
        folder / f"{name}.tandem", title="Bench", name="Ana", role="parent", passphrase=PASSPHRASE
    )
    return journal


def _reopened(journal: Journal) -> Journal:
    journal.save()
    return Journal.open(journal.path, PASSPHRASE)


def chart_journal(folder: Path, name: str, points: int, events: int) -> tuple[Journal, str]:
    """A goal with `points` data points over three settings and `events` events."""
    journal = _new(folder, name)
    goal = journal.add_goal("Asks for help with words")
    rng = random.Random(14)
    start = date(2020, 1, 1)
    for n in range(points):
        correct = min(10, max(0, round(2 + 8 * n / max(1, points)) + rng.randint(-2, 2)))
        journal.record_measurement(
            goal.id,
            correct=correct,
            total=10,
            setting=_SETTINGS[n % 3],
            date=(start + timedelta(days=n // 3)).isoformat(),
        )
    span = max(1, points // 3)
    for n in range(events):
        day = start + timedelta(days=span * (n + 1) // (events + 1))
        journal.add_event(day.isoformat(), f"event {n + 1}: changed prompting")
    return _reopened(journal), goal.id


def patterns_journal(folder: Path, name: str, incidents: int) -> Journal:
    """`incidents` ABC incidents over a year, and a check-in a day."""
    journal = _new(folder, name)
    rng = random.Random(3)
    start = date(2025, 1, 1)
    for n in range(incidents):
        day = start + timedelta(days=n % 365)
        journal.add_entry(
            "incident",
            f"Incident {n}",
            occurred_at=f"{day.isoformat()}T{rng.randint(6, 20):02d}:{rng.randint(0, 59):02d}",
            fields={
                "antecedent": " ".join(rng.choices(_WORDS, k=rng.randint(2, 9))),
                "behavior": " ".join(rng.choices(_WORDS, k=rng.randint(2, 9))),
                "consequence": " ".join(rng.choices(_WORDS, k=rng.randint(2, 9))),
                "function": rng.choice(("escape", "attention", "tangible", "sensory")),
            },
        )
    for n in range(365 if incidents else 0):
        day = start + timedelta(days=n)
        journal.add_entry(
            "checkin",
            "Day",
            occurred_at=f"{day.isoformat()}T21:00",
            fields={
                "bedtime": f"{rng.randint(19, 22)}:{rng.choice(('00', '30'))}",
                "wake_time": f"0{rng.randint(5, 7)}:{rng.choice(('00', '30'))}",
                "mood": rng.randint(1, 5),
                "aggression": rng.randint(0, 3),
            },
        )
    return _reopened(journal)


def entries_journal(folder: Path, name: str, entries: int) -> tuple[Journal, str]:
    """A goal, and `entries` check-ins beside it."""
    journal = _new(folder, name)
    goal = journal.add_goal("Asks for help with words")
    start = date(2000, 1, 1)
    for n in range(entries):
        day = start + timedelta(days=n)
        journal.add_entry("checkin", f"Day {n}", "Slept well. " * 20, occurred_at=f"{day}T21:00")
    return _reopened(journal), goal.id


# --- timing ----------------------------------------------------------------------------------


def detail_shown(app: App[None], *, points: int) -> bool:
    """True once the goal's detail is in front with its chart drawn."""
    screen = app.screen
    if not isinstance(screen, GoalDetailScreen) or screen.details is None:
        return False
    return len(screen.query_one(GoalChart).scores) == points


async def time_chart(journal: Journal, goal_id: str, points: int, repeat: int) -> Times:
    """The goal's detail, key to painted chart; and the report's chart alone."""
    times = Times()
    goal = journal.get(Goal, goal_id)
    data = journal.measurements(goal_id)
    for _ in range(repeat):
        started = times.start()
        chart_svg(goal, data, "c", goal.title, journal.events(goal_id))
        times.stop("report", started)
    make = partial(GoalDetailScreen, journal, goal_id)
    await time_screen(journal, make, partial(detail_shown, points=points), "detail", repeat, times)
    return times


async def time_screen(
    journal: Journal,
    make: Callable[[], Screen[Any]],
    shown: Callable[[App[None]], bool],
    step: str,
    repeat: int,
    times: Times,
) -> None:
    """Push the screen `make` makes, `repeat` times: from the push to the paint once it is
    `shown`; then back."""
    app = BenchApp(journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(repeat):
            started = times.start()
            app.push_screen(make())
            await until(partial(shown, app))
            await painted(app)
            times.stop(step, started)
            await app.workers.wait_for_complete()
            send_key(app, "escape", "\x1b")
            await until(lambda: isinstance(app.screen, Host))
            await pilot.pause()


def patterns_shown(app: App[None]) -> bool:
    """True once the Patterns view is in front with its patterns."""
    return isinstance(app.screen, PatternsScreen) and app.screen.found is not None


async def time_patterns(journal: Journal, repeat: int) -> Times:
    """The Patterns view, push to painted."""
    times = Times()
    make = partial(PatternsScreen, journal)
    await time_screen(journal, make, patterns_shown, "patterns", repeat, times)
    return times


async def time_keys(journal: Journal, goal_id: str, presses: int) -> Times:
    """Key presses in the trial-by-trial collector, key to painted score."""
    times = Times()
    app = BenchApp(journal)
    goal = journal.get(Goal, goal_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = CollectorScreen(journal, goal, Setup("trials"), tick=None)
        app.push_screen(screen)
        await until(lambda: app.screen is screen)
        await pilot.pause()
        trials = screen.collection
        assert isinstance(trials, TrialCollection)
        for n in range(presses):
            key = "c" if n % 3 else "x"
            started = times.start()
            send_key(app, key, key)
            await until(partial(lambda count: len(trials.trials) == count, n + 1))
            await painted(app)
            times.stop("key", started)
            await app.workers.wait_for_complete()  # the draft is written meanwhile
            await pilot.pause()
        await app.workers.wait_for_complete()
    return times


def _mark(times: Times, step: str, target: float) -> str:
    wall = sorted(times.wall.get(step, [float("inf")]))
    median = wall[len(wall) // 2]
    return "ok" if median <= target else "SLOW"


async def run(points: int, events: int, incidents: int, entries: int, repeat: int) -> None:
    """Build the journals, time each, and print the table."""
    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_DATA_HOME"] = str(Path(folder) / "data")  # drafts stay in here
        made = time.perf_counter()
        big_chart, big_goal = chart_journal(Path(folder), "chart", points, events)
        one_chart, one_goal = chart_journal(Path(folder), "chart1", 1, 0)
        many = patterns_journal(Path(folder), "patterns", incidents)
        none = patterns_journal(Path(folder), "patterns0", 0)
        full, full_goal = entries_journal(Path(folder), "entries", entries)
        bare, bare_goal = entries_journal(Path(folder), "bare", 0)
        built = time.perf_counter() - made
        chart = await time_chart(big_chart, big_goal, points, repeat)
        chart_floor = await time_chart(one_chart, one_goal, 1, repeat)
        found = await time_patterns(many, repeat)
        found_floor = await time_patterns(none, repeat)
        keys = await time_keys(full, full_goal, repeat * 4)
        keys_floor = await time_keys(bare, bare_goal, repeat * 4)
    rows: list[tuple[str, str, str, str]] = [
        (
            f"goal detail, chart of {points:,} points and {events} events (key -> painted)",
            chart.median("detail"),
            f"{chart_floor.median('detail')}, 1 point",
            f"< 300 ms: {_mark(chart, 'detail', TARGETS['chart'])}",
        ),
        (
            f"report chart (SVG) of {points:,} points and {events} events",
            chart.median("report"),
            f"{chart_floor.median('report')}, 1 point",
            f"< 300 ms: {_mark(chart, 'report', TARGETS['chart'])}",
        ),
        (
            f"Patterns view of {incidents:,} incidents (open -> painted)",
            found.median("patterns"),
            f"{found_floor.median('patterns')}, none",
            f"< 500 ms: {_mark(found, 'patterns', TARGETS['patterns'])}",
        ),
        (
            f"collector key press at {entries:,} entries (key -> painted)",
            keys.median("key"),
            f"{keys_floor.median('key')}, 1 goal",
            f"< 50 ms: {_mark(keys, 'key', TARGETS['key'])}",
        ),
    ]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Data taken live and charts (issue 14), headless {SIZE[0]}x{SIZE[1]}, medians of "
        f"{repeat} ({repeat * 4} key presses); journals built in {built:.1f} s; load average "
        f"{load:.1f} on {os.cpu_count()} CPUs"
    )
    print_table(("what", "measured", "floor", "target"), rows)
    print(CPU_NOTE)


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments and run the benchmark."""
    args = parse_sizes(
        argv,
        "Data taken live and charts (issue 14).",
        points=5_000,
        events=20,
        incidents=5_000,
        entries=10_000,
    )
    asyncio.run(run(args.points, args.events, args.incidents, args.entries, args.repeat))


if __name__ == "__main__":
    main()
