"""Dated events in the app: the Events screen and the event dialog, driven with Pilot."""

from __future__ import annotations

from datetime import date

from textual.pilot import Pilot
from textual.widgets import DataTable, Select

from journal.journal import Journal
from screens.confirm_dialog import ConfirmDialog
from screens.event_dialog import EventDialog, check_event
from screens.events_screen import EventsScreen
from tests.harness import Harness, fill, play, screen_text, settle, type_into


def test_add_change_and_delete_events(journal: Journal) -> None:
    goal = journal.add_goal("Asks for help")
    journal.add_event("2026-01-10", "[b]new teacher[/b]")

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        screen = app.screen
        assert isinstance(screen, EventsScreen)
        assert "[b]new teacher[/b]" in screen_text(app)  # as typed, never markup
        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, EventDialog)
        await fill(pilot, "#date", "2026-02-01")
        dialog.query_one("#goal", Select).value = goal.id
        await type_into(pilot, "#title", "started melatonin")
        await type_into(pilot, "#note", "1 mg\n")  # Enter in the last field saves
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)
        assert app.edits == ["event “started melatonin” added"]
        (added,) = [e for e in journal.events() if e.title == "started melatonin"]
        assert (added.date, added.note, added.goals) == ("2026-02-01", "1 mg", [goal.id])
        assert "Asks for help" in screen_text(app)
        table = screen.query_one(DataTable)
        table.move_cursor(row=1)
        await pilot.press("e")
        await settle(pilot)
        await fill(pilot, "#date", "2026-02-03")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [e.date for e in journal.events(goal.id)] == ["2026-01-10", "2026-02-03"]
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert [e.title for e in journal.events()] == ["[b]new teacher[/b]"]
        assert table.row_count == 1

    play(Harness(lambda: EventsScreen(journal)), scenario)


def test_the_dialog_says_what_is_wrong(journal: Journal) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        app.push_screen(EventDialog(today=date(2026, 1, 5)))
        await settle(pilot)
        await fill(pilot, "#date", "soon")
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert "Write the day as YYYY-MM-DD" in text and "Say what happened" in text
        assert journal.events() == []

    play(Harness(lambda: EventsScreen(journal)), scenario)


def test_check_event() -> None:
    draft, errors = check_event(" 2026-02-01 ", "  started  melatonin ", " 1 mg ", "g1")
    assert draft is not None and not errors
    assert (draft.date, draft.title, draft.note, draft.goals) == (
        "2026-02-01",
        "started melatonin",
        "1 mg",
        ["g1"],
    )
    assert set(check_event("2026-02-30", "")[1]) == {"date", "title"}
