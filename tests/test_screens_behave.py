"""Issue #13, point 3: screens that behave.

Switching screens back and forth leaves the right screen in front with its
keys live; ctrl+q in a form asks to save or discard, then quits; the ABC
incident's form is titled "New incident (ABC)"; Record data starts on the
setting of the person's role.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from journal.journal import Journal
from screens.app import TandemApp
from screens.entry_form_screen import EntryFormScreen, form_noun
from screens.form_dialog import QuitFormDialog
from screens.goals_screen import GoalsScreen
from screens.journal_screen import JournalScreen
from screens.measurement_dialog import MeasurementDialog, own_setting
from tests.conftest import PASSPHRASE
from tests.harness import fill, play, press, screen_text


def test_f5_then_f3_twice_leaves_the_journal_in_front_with_its_keys(journal: Journal) -> None:
    journal.add_goal("Asks for help", status="acquisition")
    journal.add_entry("checkin", "Tuesday")
    journal.save()

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        for _ in range(2):
            await press(pilot, "f5", shows=GoalsScreen)
            await press(pilot, "f3", shows=JournalScreen)
            assert "Tuesday" in screen_text(app) and "Acquisition" not in screen_text(app)
        await press(pilot, "n")
        assert isinstance(app.screen, EntryFormScreen)  # the Journal's n, not the board's

    play(TandemApp(journal, start="journal", watch=False), scenario, size=(80, 24))


def test_ctrl_q_in_a_form_asks_then_saves_and_quits(journal: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await press(pilot, "n", "5", shows=EntryFormScreen)  # a win
        await fill(pilot, "#title", "Tied his shoes")
        await press(pilot, "ctrl+q", shows=QuitFormDialog)
        await press(pilot, "s")  # save and quit
        assert not app.is_running

    play(TandemApp(journal, start="journal", watch=False), scenario)
    saved = Journal.open(journal.path, PASSPHRASE)
    assert [e.title for e in saved.entries()] == ["Tied his shoes"]


def test_ctrl_q_in_a_form_can_discard_or_keep_editing(journal: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await press(pilot, "n", "5")
        await fill(pilot, "#title", "Not this one")
        await press(pilot, "ctrl+q")
        await press(pilot, "escape", shows=EntryFormScreen)  # keep editing
        assert app.screen.query_one("#title", Input).value == "Not this one"
        await press(pilot, "ctrl+q")
        await press(pilot, "d")  # discard and quit
        assert not app.is_running

    play(TandemApp(journal, start="journal", watch=False), scenario)
    assert journal.entries() == []


def test_the_abc_incident_form_is_titled_new_incident_abc(journal: Journal) -> None:
    assert form_noun("incident") == "incident (ABC)"
    assert form_noun("checkin") == "check-in"

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await press(pilot, "n", "2")
        text = screen_text(app)
        assert "New incident (ABC)" in text and "New abc incident" not in text

    play(TandemApp(journal, start="journal", watch=False), scenario)


def test_record_data_starts_at_home_for_a_parent_and_in_session_for_a_therapist(
    journal: Journal,
) -> None:
    goal = journal.add_goal("Asks for help", status="acquisition", setting="session")
    therapist = journal.add_member("Dr. Lee", "therapist").id
    with journal.acting_as(therapist):
        journal.record_measurement(goal.id, correct=3, total=5, setting="clinic room")
    journal.save()
    assert own_setting(journal, goal.id) == "home"  # the therapist's setting is not mine
    with journal.acting_as(therapist):
        assert own_setting(journal, goal.id) == "clinic room"  # my own last one
    journal.record_measurement(goal.id, correct=4, total=5, setting="park")
    assert own_setting(journal, goal.id) == "park"

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await press(pilot, "right")
        await press(pilot, "m", shows=MeasurementDialog)
        assert app.screen.query_one("#setting", Input).value == "park"

    play(TandemApp(journal, start="goals", watch=False), scenario)
