"""Snapshots of the goal board and of a goal's detail with its chart.

The journal's every time is fixed (records are written `acting_as` a member
at a given time, data points carry their dates) and local time is UTC, so
the pictures do not change from run to run. Nothing waits a set time: each
scenario waits until what it shows is there (the board's data, the
detail's data, its chart's points and its thread, the footer's keys
enabled for them, the tab underline under the active tab: it slides there
in 0.3 s after the tab is relabelled with its count), then until the app
is idle. Update after a deliberate change to the look with
`.venv/bin/pytest tests/test_goals_snapshots.py --snapshot-update`, and
review the SVGs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Tabs

from screens.goal_detail_screen import GoalChart, GoalDetailScreen
from screens.goals_screen import GoalsScreen
from tests.harness import (
    SIZE,
    settle,
    snapshot_journal,
)
from tests.test_goals import GoalsApp, add_help_goal
from widgets.thread_view import ThreadView


def build_app(folder: Path) -> GoalsApp:
    """The board over a small journal of goals with fixed titles, data and times."""
    journal = snapshot_journal(folder, "goals.tandem")
    ana = journal.me.id
    lee = journal.add_member("Dr. Lee", "therapist").id
    with journal.acting_as(lee, at="2026-01-02T09:00:00.000000Z"):
        help_goal = add_help_goal(
            journal,
            description="Says 'help' or signs it before crying, within 5 s of a hard task.",
            method="Model the word, wait 5 s, then prompt from least to most.",
            desired_outcome="Asks for help on his own at home and at school.",
            start_date="2026-01-02",
            review_date="2026-03-02",
        )
        teeth = journal.add_goal(
            "Brushes teeth", domain="daily living", measure="rating", owner="parent"
        )
        journal.add_goal("[bold red]hi[/]", domain="social", status="baseline")
        waits = journal.add_goal(
            "Waits for a turn", domain="play", status="acquisition", measure="count"
        )
        journal.add_goal("Tantrum minutes", domain="behavior", measure="duration", status="on hold")
        journal.add_goal("Points to ask", domain="communication", status="maintenance")
    scores = [(3, 10), (5, 10), (6, 10), (8, 10), (9, 10), (9, 10), (10, 10)]
    for day, (correct, total) in enumerate(scores, start=3):
        with journal.acting_as(ana, at=f"2026-01-{day:02d}T18:00:00.000000Z"):
            journal.record_measurement(
                help_goal.id,
                correct=correct,
                total=total,
                prompt="verbal" if day < 7 else "independent",
                setting="home",
                note="at breakfast" if day == 5 else "",
                date=f"2026-01-{day:02d}",
            )
    for day, value in ((3, 2), (5, 3), (7, 4)):
        with journal.acting_as(ana, at=f"2026-01-{day:02d}T20:00:00.000000Z"):
            journal.record_measurement(teeth.id, value=value, date=f"2026-01-{day:02d}")
            journal.record_measurement(waits.id, value=day, date=f"2026-01-{day:02d}")
    with journal.acting_as(lee, at="2026-01-06T10:00:00.000000Z"):
        journal.move_goal(help_goal.id, "acquisition")  # no change: no history
        journal.comment(help_goal.id, "Lovely data. Let's fade to a *gesture* next week.")
        journal.add_entry(
            "session",
            "Session 3",
            goals=[help_goal.id],
            occurred_at="2026-01-06T15:00",
        )
    with journal.acting_as(ana, at="2026-01-06T11:00:00.000000Z"):
        journal.comment(help_goal.id, "He asked for help with the lid today!")
    journal.save()
    return GoalsApp(journal)


async def until(pilot: Pilot[None], what: str, condition: Callable[[], bool]) -> None:
    """Let the app run until `condition()` holds (however busy the machine), then settle."""
    for _ in range(3000):  # 30 s at most
        if condition():
            break
        await asyncio.sleep(0.01)
    else:
        raise AssertionError(f"never got there: {what}")
    await settle(pilot)


def footer_ready(screen: Screen[Any]) -> bool:
    """True once the footer shows its keys, every one enabled (what they act on is loaded)."""
    keys = list(screen.query("FooterKey"))
    return bool(keys) and not any(key.has_class("-disabled") for key in keys)


def underline_placed(screen: Screen[Any]) -> bool:
    """True once the underline of each row of tabs is under its active tab."""
    for tabs in screen.query(Tabs):
        active = tabs.active_tab
        if active is None:
            continue
        start, end = active.virtual_region.shrink(active.styles.gutter).column_span
        underline = tabs.query_one("Underline")
        if (underline.highlight_start, underline.highlight_end) != (start, end):
            return False
        if screen.app.animator.is_being_animated(underline, "highlight_end"):
            return False
    return True


def board_shown(pilot: Pilot[None]) -> bool:
    """True once the board in front shows its data, and its keys."""
    screen = pilot.app.screen
    return isinstance(screen, GoalsScreen) and screen.data is not None and footer_ready(screen)


def detail_shown(pilot: Pilot[None], title: str, points: int) -> bool:
    """True once the detail in front shows goal `title`: its data points, chart and thread."""
    screen = pilot.app.screen
    if not isinstance(screen, GoalDetailScreen) or screen.details is None:
        return False
    chart = screen.query_one(GoalChart)
    thread = screen.query_one(ThreadView)
    return (
        screen.details.goal.title == title
        and len(chart.scores) == points
        and len(screen.measurement_rows) == points
        and chart.size.width > 0
        and thread.details is not None
        and footer_ready(screen)
        and underline_placed(screen)
    )


def test_goal_board(snap_compare, tmp_path: Path) -> None:
    async def open_the_side_column(pilot: Pilot[None]) -> None:
        await until(pilot, "the board with its data", lambda: board_shown(pilot))
        await pilot.press("h")  # on hold and discontinued unfolded
        await pilot.press("right")  # focus "Asks for help with words"
        await settle(pilot)

    assert snap_compare(build_app(tmp_path), terminal_size=SIZE, run_before=open_the_side_column)


def test_goal_detail_with_its_chart(snap_compare, tmp_path: Path) -> None:
    async def open_the_goal(pilot: Pilot[None]) -> None:
        await until(pilot, "the board with its data", lambda: board_shown(pilot))
        await pilot.press("right")  # the cursor on "Asks for help with words"
        await pilot.press("enter")
        await until(
            pilot,
            "the goal's detail with its chart and thread",
            lambda: detail_shown(pilot, "Asks for help with words", 7),
        )

    assert snap_compare(build_app(tmp_path), terminal_size=SIZE, run_before=open_the_goal)
