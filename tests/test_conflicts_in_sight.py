"""Issue #13, point 2: conflicts you cannot miss.

An entry changed on two copies at once is marked on its Journal row, shows
both versions in the detail pane with "Resolve" (`r`), is listed on Home
under "Conflicts to resolve (N)" and by the Journal's conflicts filter; once
resolved, the detail pane shows the resolved text at once.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Button, OptionList, Select

from journal.journal import Journal
from journal.model import Entry
from screens.app import TandemApp
from screens.conflict_screen import ConflictScreen
from screens.journal_screen import JournalScreen
from tests.conftest import PASSPHRASE
from tests.harness import option_texts, play, screen_text, settle
from tests.test_app_sync import diverge
from widgets.entry_list import CONFLICT_MARK, EntryList


def conflicted(journal: Journal) -> Entry:
    """Tuesday's check-in, changed here and on Dr. Lee's copy, merged: a conflict."""
    entry, copy_path = diverge(journal)
    journal.add_entry("win", "Calm morning")  # an entry with nothing to resolve
    journal.merge_copy(copy_path)
    journal.save()
    assert journal.conflicts(entry.id)
    return entry


def _row(screen: JournalScreen, entry_id: str) -> str:
    entry_list = screen.query_one(EntryList)
    return entry_list.row_text(entry_list.entry_ids.index(entry_id))


def test_the_row_is_marked_and_the_detail_shows_both_versions_then_r_resolves(
    journal: Journal,
) -> None:
    entry = conflicted(journal)

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        screen = app.screen
        assert isinstance(screen, JournalScreen)
        entry_list = screen.query_one(EntryList)
        others = [i for i in entry_list.entry_ids if i != entry.id]
        assert CONFLICT_MARK + "Tuesday" in _row(screen, entry.id)
        assert all(CONFLICT_MARK not in _row(screen, other) for other in others)
        entry_list.select_entry(entry.id)
        await settle(pilot)
        text = screen_text(app)
        assert "⚠ Changed on two copies at once" in text and "r Resolve" in text
        assert "Slept badly, woke at 3." in text and "Slept badly. Try melatonin?" in text
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        keep = [b for b in app.screen.query(Button) if str(b.label) == "Keep this"]
        await pilot.click(f"#{keep[1].id}")  # Dr. Lee's version
        await settle(pilot)
        assert app.screen is screen  # resolved: back on the entry
        assert journal.conflicts(entry.id) == {}
        text = screen_text(app)
        assert "Changed on two copies at once" not in text
        assert "Try melatonin?" in text and "woke at 3" not in text  # at once
        assert CONFLICT_MARK not in _row(screen, entry.id)
        saved = Journal.open(journal.path, PASSPHRASE)
        assert saved.get(Entry, entry.id).body == "Slept badly. Try melatonin?"

    play(TandemApp(journal, start="journal", watch=False), scenario)


def test_the_conflicts_filter_shows_only_what_to_resolve(journal: Journal) -> None:
    entry = conflicted(journal)

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        screen = app.screen
        assert isinstance(screen, JournalScreen)
        assert len(screen.query_one(EntryList).entry_ids) == 3
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert screen.query_one("#kind", Select).value == "conflicts"
        assert screen.query_one(EntryList).entry_ids == [entry.id]
        assert "1 entry matches" in screen_text(app)

    play(TandemApp(journal, start="journal", watch=False), scenario)


def test_home_lists_the_conflicts_to_resolve(journal: Journal) -> None:
    entry = conflicted(journal)

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        assert "Conflicts to resolve (1)" in screen_text(app)
        assert option_texts(app, "#home-conflicts") == ["⚠ Tuesday"]
        conflicts = app.screen.query_one("#home-conflicts", OptionList)
        conflicts.focus()
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, JournalScreen)
        assert screen.query_one(EntryList).entry_id == entry.id

    play(TandemApp(journal, start="home", watch=False), scenario)


def test_home_shows_no_conflict_block_when_every_copy_agrees(journal: Journal) -> None:
    journal.add_entry("checkin", "Tuesday")
    journal.save()

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        assert "Conflicts to resolve" not in screen_text(app)

    play(TandemApp(journal, start="home", watch=False), scenario)
