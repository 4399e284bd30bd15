"""The journal screen inside the real app: what it writes reaches the file.

Most journal-screen tests run in a small harness app
(`tests/test_journal_screen.py`); these run the real `TandemApp`, opened on
the journal screen, to check the wiring: the screen's and the form's
`JournalEdited` make the app save, in a worker, to the file on disk. The
project runs pytest without an async plugin, so each test drives the app
inside `asyncio.run`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from textual.pilot import Pilot
from textual.widgets import Input

from journal.journal import Journal
from journal.model import Entry
from screens.app import TandemApp
from screens.entry_form_screen import EntryFormScreen
from screens.journal_screen import JournalScreen
from tests.conftest import PASSPHRASE
from tests.harness import SIZE, fill, screen_text, settle, type_into, type_text
from tests.test_journal_screen import entry_list

Scenario = Callable[[TandemApp, Pilot[None]], Awaitable[None]]


def run_app(journal: Journal, scenario: Scenario) -> None:
    """Run the app on `journal`, opened on the journal screen, and play `scenario`."""

    async def main() -> None:
        app = TandemApp(journal, start="journal", watch=False)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await scenario(app, pilot)

    asyncio.run(main())


def reopened(journal: Journal) -> Journal:
    """The journal as saved on disk."""
    return Journal.open(journal.path, PASSPHRASE)


def test_the_app_opens_the_journal_screen(journal: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, JournalScreen)
        assert app.title == "Sam's journal"
        assert app.sub_title == "Ana Rivera (parent)"
        assert "No entries yet." in screen_text(app)

    run_app(journal, scenario)


def test_an_entry_written_in_the_form_is_saved_to_the_file(journal: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await pilot.press("n", "1")
        await settle(pilot)
        assert isinstance(app.screen, EntryFormScreen)
        await fill(pilot, "#title", "Evening check-in")  # behind "More" on a new check-in
        await type_into(pilot, "#field-bedtime", "20:15")
        await type_into(pilot, "#body", "Asleep by **20:30**.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
        assert not journal.dirty  # the app saved, in its worker
        [entry] = reopened(journal).entries()
        assert (entry.title, entry.fields, entry.body) == (
            "Evening check-in",
            {"bedtime": "20:15"},
            "Asleep by **20:30**.",
        )
        assert entry_list(app).entry_ids == [entry.id]

    run_app(journal, scenario)


def test_a_delete_and_a_finalize_are_saved_to_the_file(journal: Journal) -> None:
    win = journal.add_entry("win", "Said hello", occurred_at="2026-01-05T08:00")
    note = journal.add_entry("session", "Session 1", occurred_at="2026-01-04T15:00")
    journal.save()

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        assert entry_list(app).entry_id == win.id
        await pilot.press("d", "y")
        await settle(pilot)
        assert entry_list(app).entry_ids == [note.id]
        await pilot.press("f", "y")
        await settle(pilot)
        assert not journal.dirty
        saved = reopened(journal)
        assert saved.get(Entry, win.id).deleted
        assert saved.get(Entry, note.id).locked

    run_app(journal, scenario)


def test_keys_typed_in_the_search_box_stay_there(journal: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await pilot.press("slash")
        await type_text(pilot, "?nedfax1", settle_each=True)
        assert app.screen.query_one("#search", Input).value == "?nedfax1"
        assert isinstance(app.screen, JournalScreen)  # no help, no form, no dialog

    run_app(journal, scenario)
