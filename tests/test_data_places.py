"""Where the data features of issue #14 are reached in the app: Patterns from Home (`p`)
and the command palette, Events from the palette, the sessions calendar from Sessions
(`c`), and `t` (Take data) on the goal board and a goal's detail."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select

from journal.journal import Journal
from screens.app import TandemApp
from screens.collector_setup_dialog import CollectorSetupDialog
from screens.events_screen import EventsScreen
from screens.export_screen import ExportScreen
from screens.patterns_screen import PatternsScreen
from tests.harness import play, settle


def test_patterns_from_home_and_events_from_the_palette(journal: Journal) -> None:
    journal.save()

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PatternsScreen)
        await pilot.press("escape")
        await settle(pilot)
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert "Patterns" in commands and "Events" in commands
        app.action_events()
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)

    play(TandemApp(journal, start="home", watch=False), scenario)


def test_the_sessions_calendar_key_opens_the_export_in_ics(
    journal: Journal, tmp_path: Path
) -> None:
    journal.add_session("2026-01-08T16:00", location="Clinic")
    journal.save()

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await pilot.press("i")  # c comments on the session (issue #13)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        assert screen.query_one("#format", Select).value == "ics"
        assert screen.query_one("#out", Input).value.endswith(".ics")

    play(TandemApp(journal, start="sessions", watch=False), scenario)


def test_take_data_from_the_board_and_the_detail(journal: Journal) -> None:
    journal.add_goal("Asks for help", status="acquisition")
    journal.save()

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await pilot.press("right")  # the cursor on the card
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, CollectorSetupDialog)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # the goal's detail
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, CollectorSetupDialog)

    play(TandemApp(journal, start="goals", watch=False), scenario)


def test_the_detail_chart_draws_events_and_settings_apart(journal: Journal) -> None:
    from screens.goal_detail_screen import GoalChart, GoalDetailScreen
    from tests.harness import Harness, screen_text
    from tests.test_collector_screen import Host

    goal = journal.add_goal("Asks for help")
    for day, correct, setting in ((5, 4, "session"), (12, 5, "home"), (19, 8, "session")):
        journal.record_measurement(
            goal.id, correct=correct, total=10, setting=setting, date=f"2026-01-{day:02d}"
        )
    journal.record_measurement(
        goal.id,
        correct=3,
        total=4,
        date="2026-01-20",
        collector="trials",
        prompts={"verbal": 1},
        prompt="verbal",
    )
    journal.add_event("2026-01-10", "started [b]melatonin[/b]")
    journal.add_event("2025-01-01", "long ago")

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        app.push_screen(GoalDetailScreen(journal, goal.id))
        await settle(pilot)
        chart = app.screen.query_one(GoalChart)
        assert chart.series == ("home", "session", "other")
        assert chart.events == (("2026-01-10", "started [b]melatonin[/b]"),)
        text = screen_text(app)
        assert "Trend: Up from 40% to 75% over 2 weeks" in text
        assert "1 prompted (verbal 1)" in text

    play(Harness(lambda: Host(journal)), scenario)


def test_a_long_data_table_fills_in_after_the_first_paint(journal: Journal) -> None:
    from screens.goal_detail_screen import FIRST_ROWS, GoalChart, GoalDetailScreen
    from tests.harness import Harness
    from tests.test_collector_screen import Host

    goal = journal.add_goal("Asks for help")
    count = FIRST_ROWS * 12
    for n in range(count):
        journal.record_measurement(
            goal.id, correct=n % 11, total=10, date=f"2026-{1 + n // 500:02d}-01"
        )

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        app.push_screen(GoalDetailScreen(journal, goal.id))
        for _ in range(20):
            await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GoalDetailScreen)
        assert len(screen.measurement_rows) == count  # every point, newest first
        assert len(screen.query_one(GoalChart).scores) == count

    play(Harness(lambda: Host(journal)), scenario)
