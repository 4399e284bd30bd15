"""The goal board under load (issue 5, section 5): a table, not timed tests.

    .venv/bin/python bench/goals.py [--goals 200] [--measurements 20000] [--repeat 5]

Builds a journal of 200 goals (50 long-term goals with 3 objectives each,
spread over every status) and 20,000 data points, opens it again from its
file as the app does, then, headless
(`App.run_test`, 160x50), times what a person waits for:

- open the board: from starting the app to the first paint that shows the
  cards (the load worker's one pass over the data included);
- move a card: from the key press (shift+right) to the paint that shows
  the card in its new column; and until the mover thread has written it;
- open a goal's detail: from Enter to the paint showing its fields, chart
  (textual-plotext) and data table.

Beside each, the floor measured the same way in the same run: an empty
board, and (to have a card to move and open) a board of one goal with no
data. The summaries are also timed alone: the first load's one pass, and a
load after a move (the cache from the last load: only changed goals are
worked out again). Times are medians of `--repeat` runs, in milliseconds: wall clock,
and the main thread's CPU time (what the app itself did, less sensitive to
other programs on the machine). Key derivation is the fast test setting:
the board's speed is measured, not unlocking.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TANDEM_TEST_FAST_KDF", "1")

from textual import events  # noqa: E402
from textual.app import App  # noqa: E402
from textual.binding import Binding, BindingType  # noqa: E402
from textual.pilot import Pilot  # noqa: E402

import screens  # noqa: E402
from bench.common import CPU_NOTE, parse_sizes, print_table  # noqa: E402
from journal.journal import Journal  # noqa: E402
from journal.model import GOAL_DOMAINS, GOAL_STATUSES, PROMPT_LEVELS, Goal  # noqa: E402
from screens.goal_detail_screen import GoalChart, GoalDetailScreen  # noqa: E402
from screens.goals_screen import BoardData, GoalsScreen  # noqa: E402

SIZE = (160, 50)
PASSPHRASE = "bench"
STATUS_WEIGHTS = (20, 30, 15, 10, 10, 5, 5, 5)
"""How many goals of every 100 have each status (GOAL_STATUSES order)."""


class BoardApp(App[None]):
    """The goal board alone, styled as in the app."""

    CSS_PATH = str(Path(screens.__file__).parent / "app.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="bench.quit"),
    ]

    def __init__(self, journal: Journal) -> None:
        """The board over `journal`."""
        super().__init__()
        self.journal = journal

    def on_mount(self) -> None:
        """Show the board."""
        self.push_screen(GoalsScreen(self.journal))


# --- journals ----------------------------------------------------------------------------


def build_journal(folder: Path, name: str, goals: int, measurements: int) -> Journal:
    """A journal with `goals` goals (long-term goals with 3 objectives each) and data."""
    journal, _code = Journal.create(
        folder / f"{name}.tandem",
        title="Bench journal",
        name="Ana",
        role="parent",
        passphrase=PASSPHRASE,
    )
    rng = random.Random(5)
    statuses = [
        s for s, weight in zip(GOAL_STATUSES, STATUS_WEIGHTS, strict=True) for _ in range(weight)
    ]
    made = []
    parent_id: str | None = None
    for number in range(goals):
        long_term = number % 4 == 0
        measure = rng.choices(("percent", "count", "duration", "rating"), (7, 1, 1, 1))[0]
        goal = journal.add_goal(
            f"{'Goal' if long_term else 'Objective'} {number}: "
            + rng.choice(("asks for help", "waits a turn", "brushes teeth", "names feelings")),
            measure=measure,
            domain=rng.choice(GOAL_DOMAINS),
            owner=rng.choice(("parent", "therapist", "both")),
            status=statuses[number * 7 % len(statuses)],
            parent_id=None if long_term else parent_id,
        )
        if long_term:
            parent_id = goal.id
        made.append(goal)
    start = date(2025, 1, 1)
    for number in range(measurements if made else 0):
        goal = made[number % len(made)]
        day = (start + timedelta(days=number // max(1, len(made)) * 3)).isoformat()
        prompt = rng.choice(PROMPT_LEVELS)
        if goal.measure == "percent":
            total = 10
            journal.record_measurement(
                goal.id, correct=rng.randint(3, 10), total=total, prompt=prompt, date=day
            )
        elif goal.measure == "rating":
            journal.record_measurement(goal.id, value=rng.randint(1, 5), prompt=prompt, date=day)
        else:
            journal.record_measurement(goal.id, value=rng.randint(0, 20), prompt=prompt, date=day)
    journal.save()
    # Opened again from its file, as the app opens it (reading a journal moves its
    # records out of the garbage collector's scans: see journal/fileformat.py).
    return Journal.open(folder / f"{name}.tandem", PASSPHRASE)


# --- timing --------------------------------------------------------------------------------


@dataclass
class Times:
    """Wall-clock and main-thread CPU seconds of each timed step, by step name."""

    wall: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, list[float]] = field(default_factory=dict)

    def start(self) -> tuple[float, float]:
        """The clocks now."""
        return time.perf_counter(), time.thread_time()

    def stop(
        self, step: str, started: tuple[float, float], at: tuple[float, float] | None = None
    ) -> None:
        """Record `step` as lasting from `started` until now (or until `at`)."""
        wall, cpu = at if at is not None else self.start()
        self.wall.setdefault(step, []).append(wall - started[0])
        self.cpu.setdefault(step, []).append(cpu - started[1])

    def median(self, step: str) -> str:
        """'wall ms (cpu ms)' for `step`, medians; 'n/a' when it was not timed."""
        if not self.wall.get(step):
            return "n/a"
        wall = statistics.median(self.wall[step]) * 1000
        cpu = statistics.median(self.cpu[step]) * 1000
        return f"{wall:,.0f} ms (cpu {cpu:,.0f})"


async def painted(app: App[None]) -> None:
    """Wait for the next paint of the current screen."""
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def mark() -> None:
        if not done.done():
            done.set_result(None)

    app.screen.refresh()
    app.screen.call_after_refresh(mark)
    await done


async def until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Wait (polling every millisecond) until `condition()` holds."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the board did not get there in time")
        await asyncio.sleep(0.001)


def send_key(app: App[None], key: str, character: str | None = None) -> None:
    """Deliver a key press as the terminal driver does (`pilot.press` also waits for idle)."""
    app.post_message(events.Key(key, character))


def board(app: App[None]) -> GoalsScreen:
    """The board screen (also under a detail)."""
    return next(s for s in app.screen_stack if isinstance(s, GoalsScreen))


def board_loaded(app: App[None]) -> bool:
    """True once the board is in front and has its data."""
    return isinstance(app.screen, GoalsScreen) and app.screen.data is not None


async def time_board(journal: Journal, repeat: int) -> Times:
    """Open the board `repeat` times; time moves and details in the last run."""
    times = Times()
    for run in range(repeat):
        app = BoardApp(journal)
        started = times.start()
        async with app.run_test(size=SIZE) as pilot:
            await until(partial(board_loaded, app))
            await painted(app)
            times.stop("open", started)
            if run == repeat - 1:
                await time_moves(app, pilot, journal, repeat, times)
                await time_details(app, pilot, repeat, times)
            await app.workers.wait_for_complete()
    return times


def card_shown(screen: GoalsScreen, goal_id: str, status: str) -> bool:
    """True when the board shows the goal's card in the `status` column."""
    return any(card.goal_id == goal_id for card in screen.lane(status))


def move_written(journal: Journal, goal_id: str, status: str) -> bool:
    """True when the journal has the goal in `status`."""
    return journal.get(Goal, goal_id).status == status


async def time_moves(
    app: App[None], pilot: Pilot[None], journal: Journal, repeat: int, times: Times
) -> None:
    """Move a card right and back, `repeat` times each way."""
    screen = board(app)
    card = next(iter(screen.lane("acquisition")), None) or next(screen.iter_cards(), None)
    if card is None:
        return
    goal_id = card.goal_id
    screen.show_record(goal_id)
    await pilot.pause()
    for step in range(repeat * 2):
        key, direction = ("shift+right", 1) if step % 2 == 0 else ("shift+left", -1)
        focused = screen.focused_card
        assert focused is not None and focused.goal_id == goal_id
        target = GOAL_STATUSES[GOAL_STATUSES.index(focused.status) + direction]
        started = times.start()
        send_key(app, key)
        await until(partial(card_shown, screen, goal_id, target))
        await painted(app)
        times.stop("move", started)
        await until(partial(move_written, journal, goal_id, target))
        times.stop("written", started)
        await app.workers.wait_for_complete()
        await pilot.pause()


def detail_loaded(app: App[None]) -> bool:
    """True once a goal's detail is in front with its details."""
    return isinstance(app.screen, GoalDetailScreen) and app.screen.details is not None


async def time_details(app: App[None], pilot: Pilot[None], repeat: int, times: Times) -> None:
    """Open the focused goal's detail and go back, `repeat` times."""
    if board(app).focused_card is None:
        return
    for _ in range(repeat):
        started = times.start()
        send_key(app, "enter", "\r")
        await until(partial(detail_loaded, app))
        await painted(app)
        times.stop("detail", started)
        chart = app.screen.query_one(GoalChart)
        assert chart.size.width > 0
        await app.workers.wait_for_complete()
        send_key(app, "escape", "\x1b")
        await until(partial(board_loaded, app))
        await app.workers.wait_for_complete()
        await pilot.pause()


async def run(goals: int, measurements: int, repeat: int) -> None:
    """Build the journals, time each, and print the table."""
    with tempfile.TemporaryDirectory() as folder:
        made = time.perf_counter()
        big = build_journal(Path(folder), "big", goals, measurements)
        built = time.perf_counter() - made
        empty = build_journal(Path(folder), "empty", 0, 0)
        one = build_journal(Path(folder), "one", 1, 0)
        loads = Times()
        for _ in range(repeat):
            started = loads.start()
            data = BoardData.load(big)
            loads.stop("load", started)
        moved = next(goal for goal in big.goals() if goal.status == "acquisition")
        big.move_goal(moved.id, "mastered")
        for _ in range(repeat):
            started = loads.start()
            BoardData.load(big, data)
            loads.stop("reload", started)
        big.move_goal(moved.id, "acquisition")
        big_times = await time_board(big, repeat)
        empty_times = await time_board(empty, repeat)
        one_times = await time_board(one, repeat)
    header = f"{goals} goals, {measurements:,} data points"
    rows = [
        ("summaries, one pass (worker)", loads.median("load"), "-"),
        ("summaries again after a move (cached)", loads.median("reload"), "-"),
        (
            "open the board (start -> painted)",
            big_times.median("open"),
            f"{empty_times.median('open')}, empty",
        ),
        (
            "move a card (key -> painted)",
            big_times.median("move"),
            f"{one_times.median('move')}, 1 goal",
        ),
        (
            "move a card (key -> in the journal)",
            big_times.median("written"),
            f"{one_times.median('written')}, 1 goal",
        ),
        (
            "open a goal's detail (key -> painted)",
            big_times.median("detail"),
            f"{one_times.median('detail')}, 1 goal",
        ),
    ]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Goal board, headless {SIZE[0]}x{SIZE[1]}, medians of {repeat}; "
        f"journal built in {built:.1f} s; load average {load:.1f} on {os.cpu_count()} CPUs"
    )
    print_table(("what", header, "floor"), rows, right_from=1)
    print(CPU_NOTE)


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments and run the benchmark."""
    args = parse_sizes(argv, "The goal board under load.", goals=200, measurements=20_000)
    asyncio.run(run(args.goals, args.measurements, args.repeat))


if __name__ == "__main__":
    main()
