"""Taking data live in the app (screens/collector_screen.py), driven by keys with Pilot.

Each collector is driven one key per event and the saved data point checked.
The clock is a `FakeClock` and the screen's tick is called by hand, so no
test waits for time to pass. Also: leaving asks first (Escape and ctrl+q),
an unsaved collection survives a crash and is offered back, a copy merged
from disk meanwhile changes nothing in the collection, and the setup dialog.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from journal import drafts
from journal.collect import Setup
from journal.journal import Journal
from journal.model import Goal
from screens.app import TandemApp
from screens.base import MainScreen
from screens.collector_screen import CollectorScreen, take_data
from screens.collector_setup_dialog import CollectorSetupDialog, parse_setup
from screens.confirm_dialog import ConfirmDialog
from tests.conftest import PASSPHRASE
from tests.harness import Harness, front, play, press, screen_text, settle
from tests.test_collect import FakeClock
from widgets.collector_view import CollectorView

SMALL = (80, 24)


class Host(MainScreen):
    """The screen the collector is pushed over (the board, in the app)."""


@pytest.fixture
def goal(journal: Journal) -> Goal:
    """A goal measured in trials (what most of these tests collect for), saved to the file."""
    goal = journal.add_goal("Asks for help")
    journal.save()
    return goal


@pytest.fixture
def clock() -> FakeClock:
    """The collector's clock, moved by hand."""
    return FakeClock()


def harness(journal: Journal) -> Harness:
    return Harness(lambda: Host(journal))


async def collect(
    pilot: Pilot[None],
    journal: Journal,
    goal: Goal,
    setup: Setup,
    clock: FakeClock,
) -> CollectorScreen:
    """Push the collector for `goal` and wait until it shows."""
    screen = CollectorScreen(journal, goal, setup, clock=clock, tick=None)
    results: list[str | None] = []
    pilot.app.push_screen(screen, callback=results.append)
    await settle(pilot)
    screen.results = results  # type: ignore[attr-defined]
    return screen


async def save(pilot: Pilot[None]) -> None:
    await press(pilot, "enter")


def only_point(journal: Journal, goal: Goal) -> Any:
    (point,) = journal.measurements(goal.id)
    return point


def test_trial_by_trial_by_keys(journal: Journal, goal: Goal, clock: FakeClock) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        setup = Setup("trials", setting="home", observer="Ana")
        screen = await collect(pilot, journal, goal, setup, clock)
        await pilot.press("c", "plus", "x", "P", "v", "minus", "backspace", "c")
        text = screen_text(app)
        assert "3/6 (50%)" in text and "partial physical 1" in text
        assert "Trial 6: correct." in text
        clock.tick(300)
        await save(pilot)
        point = only_point(journal, goal)
        assert (point.correct, point.total, point.prompt) == (3, 6, "partial physical")
        assert point.prompts == {"partial physical": 1, "verbal": 1}
        assert (point.setting, point.observer, point.collector) == ("home", "Ana", "trials")
        assert point.started_at.endswith("09:00:00") and point.ended_at.endswith("09:05:00")
        assert app.edits == ["data recorded for “Asks for help”"]
        assert screen.results == [point.id]  # type: ignore[attr-defined]
        assert drafts.draft_goals(journal) == []

    play(harness(journal), scenario, size=SMALL)


def test_frequency_by_keys_with_a_pause(journal: Journal, clock: FakeClock) -> None:
    goal = journal.add_goal("Hits", measure="count")

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        setup = Setup("frequency", behaviors=["hit", "kick"])
        await collect(pilot, journal, goal, setup, clock)
        await pilot.press("1", "2", "1", "3")
        clock.tick(600)
        await pilot.press("p")  # paused: counts wait, the timer stands
        await pilot.press("1")
        assert "Paused" in screen_text(app)
        clock.tick(600)
        await pilot.press("p", "2")
        clock.tick(600)
        await save(pilot)
        point = only_point(journal, goal)
        assert point.counts == {"hit": 2, "kick": 2} and point.value == 4.0
        assert (point.minutes, point.rate, point.collector) == (20.0, 12.0, "frequency")

    play(harness(journal), scenario, size=SMALL)


def test_duration_by_keys(journal: Journal, clock: FakeClock) -> None:
    goal = journal.add_goal("Sits at the table", measure="duration")

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await collect(pilot, journal, goal, Setup("duration"), clock)
        await pilot.press("space")
        clock.tick(30)
        await pilot.press("space", "space")
        clock.tick(90)
        await pilot.press("backspace", "space")  # the second one did not count: again
        clock.tick(15)
        await pilot.press("space")
        assert "2 episodes, 0:45 in all" in screen_text(app)
        await save(pilot)
        point = only_point(journal, goal)
        assert point.episodes == [30.0, 15.0] and point.value == 0.75

    play(harness(journal), scenario, size=SMALL)


def test_interval_recording_prompts_with_a_flash_and_the_bell(
    journal: Journal, clock: FakeClock
) -> None:
    goal = journal.add_goal("Stays seated")
    rang: list[int] = []

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        app.bell = lambda: rang.append(1)  # type: ignore[method-assign]
        setup = Setup("interval", interval_kind="whole", interval_seconds=10)
        screen = await collect(pilot, journal, goal, setup, clock)
        await pilot.press("y")  # nothing ended yet: nothing to mark
        assert "No interval to mark yet" in screen_text(app)
        clock.tick(10)
        screen.tick()
        await pilot.pause()
        assert screen.view.has_class("-flash") and rang == [1]
        assert "Mark interval 1" in screen_text(app)
        await pilot.press("y", "b")  # the bell off
        clock.tick(10)
        screen.tick()
        assert rang == [1] and screen.view.has_class("-flash")
        await pilot.press("n")
        await save(pilot)
        point = only_point(journal, goal)
        assert point.value == 50.0 and point.intervals == [True, False]
        assert (point.interval_kind, point.interval_seconds) == ("whole", 10)

    play(harness(journal), scenario, size=SMALL)


def test_escape_asks_before_discarding(journal: Journal, goal: Goal, clock: FakeClock) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        screen = await collect(pilot, journal, goal, Setup("trials"), clock)
        await press(pilot, "c")
        assert drafts.draft_goals(journal) == [goal.id]
        await press(pilot, "escape", shows=ConfirmDialog)
        assert "Discard this collection?" in screen_text(app)
        await press(pilot, "escape")  # keep taking data
        assert app.screen is screen
        await press(pilot, "escape", "y")
        assert isinstance(app.screen, Host) and screen.results == [None]  # type: ignore[attr-defined]
        assert journal.measurements(goal.id) == [] and drafts.draft_goals(journal) == []

    play(harness(journal), scenario, size=SMALL)


def test_ctrl_q_asks_before_discarding_in_the_app(
    journal: Journal, goal: Goal, clock: FakeClock
) -> None:

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        screen = await collect(pilot, journal, goal, Setup("trials"), clock)
        await press(pilot, "c", "ctrl+q")
        assert "Quit Tandem and discard this collection?" in screen_text(app)
        await press(pilot, "n")
        assert app.screen is screen and app.is_running
        await press(pilot, "ctrl+q", "y")
        assert not app.is_running
        assert journal.measurements(goal.id) == [] and drafts.draft_goals(journal) == []

    play(TandemApp(journal, start="goals", watch=False), scenario, size=SMALL)


def test_an_unsaved_collection_survives_a_crash(
    journal: Journal, goal: Goal, clock: FakeClock
) -> None:
    async def crash(app: Harness, pilot: Pilot[None]) -> None:
        await collect(pilot, journal, goal, Setup("trials", setting="home"), clock)
        await press(pilot, "c", "x", "m")
        # The terminal closes here: the app never saves or leaves.

    play(harness(journal), crash, size=SMALL)
    kept = drafts.load_draft(journal, goal.id)
    assert kept is not None and kept["summary"] == "1/3 (33%)"

    async def next_open(app: Harness, pilot: Pilot[None]) -> None:
        done: list[str | None] = []
        take_data(app.screen, journal, goal, done=done.append)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "Take up the unsaved collection?" in screen_text(app)
        await press(pilot, "y", shows=CollectorScreen)
        assert "1/3 (33%)" in screen_text(app)
        await pilot.press("c")
        await save(pilot)
        point = only_point(journal, goal)
        assert (point.correct, point.total, point.setting) == (2, 4, "home")
        assert done == [point.id] and drafts.load_draft(journal, goal.id) is None

    play(harness(journal), next_open, size=SMALL)


def test_a_copy_merged_from_disk_meanwhile_changes_nothing_here(
    journal: Journal, goal: Goal, clock: FakeClock
) -> None:

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await collect(pilot, journal, goal, Setup("trials"), clock)
        await pilot.press("c", "c", "x")
        other = Journal.open(journal.path, PASSPHRASE)
        other.add_entry("win", "Said 'help' at the park")
        other.record_measurement(goal.id, correct=1, total=2, date="2026-01-01")
        other.save()
        assert journal.refresh() is not None  # what the app does when the file changes
        assert "2/3 (67%)" in screen_text(app)
        await pilot.press("c")
        await save(pilot)
        journal.save()
        again = Journal.open(journal.path, PASSPHRASE)
        assert [(m.correct, m.total) for m in again.measurements(goal.id)] == [(1, 2), (3, 4)]
        assert [e.title for e in again.entries()] == ["Said 'help' at the park"]

    play(harness(journal), scenario, size=SMALL)


def test_the_setup_dialog_starts_with_enter(journal: Journal) -> None:
    percent = journal.add_goal("Asks for help", setting="home")
    count = journal.add_goal("Hits", measure="count")
    rating = journal.add_goal("Calm", measure="rating")

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        take_data(app.screen, journal, rating)
        await settle(pilot)
        assert isinstance(app.screen, Host)  # a rating is typed in: told so
        take_data(app.screen, journal, percent, last_setting="kitchen")
        await settle(pilot)
        dialog = front(app, CollectorSetupDialog)
        assert dialog.query_one("#setting", Input).value == "kitchen"
        assert dialog.query_one("#observer", Input).value == "Ana Rivera"
        dialog.query_one("#kind", Select).value = "interval"
        await settle(pilot)
        assert dialog.query_one("#interval-row").display
        await press(pilot, "enter")
        screen = app.screen
        assert isinstance(screen, CollectorScreen) and screen.setup.kind == "interval"
        assert screen.setup.observer == "Ana Rivera" and screen.setup.setting == "kitchen"
        await press(pilot, "escape")  # nothing recorded: leaves at once
        take_data(app.screen, journal, count)
        await settle(pilot)
        assert app.screen.query_one("#behaviors", Input).value == "Hits"
        await press(pilot, "enter")
        assert isinstance(app.screen, CollectorScreen) and app.screen.setup.behaviors == ["Hits"]
        assert isinstance(app.screen.query_one(CollectorView), CollectorView)

    play(harness(journal), scenario, size=SMALL)


def test_setup_checks() -> None:
    setup, errors = parse_setup("frequency", behaviors=" hit , kick, hit ,")
    assert setup is not None and setup.behaviors == ["hit", "kick"] and not errors
    assert parse_setup("frequency", behaviors=" , ")[1] == {
        "behaviors": "Name what to count (several: separate them with commas)."
    }
    assert "seconds" in parse_setup("interval", seconds="0")[1]
    assert "kind" in parse_setup("guessing")[1]
    setup, _ = parse_setup("interval", seconds="15", interval_kind="momentary", bell=False)
    assert setup is not None and (setup.interval_seconds, setup.bell) == (15, False)
