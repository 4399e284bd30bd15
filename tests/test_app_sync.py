"""Sync inside the app: outside changes, conflict copies, importing a copy, resolving conflicts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, Input, TextArea

from journal.journal import Journal
from journal.model import Entry, Member
from screens.app import TandemApp
from screens.conflict_screen import ConflictScreen
from screens.help_screen import HelpScreen
from screens.import_screen import ImportScreen
from tests.conftest import PASSPHRASE, copy_of
from tests.harness import play, settle

Scenario = Callable[[TandemApp, Pilot[None]], Awaitable[None]]


def run(app: TandemApp, scenario: Scenario) -> None:
    play(app, scenario)


def notifications(app: TandemApp) -> str:
    return "\n".join(n.message for n in app._notifications)


def diverge(journal: Journal) -> tuple[Entry, Path]:
    """A copy, sent by the therapist, that edited the same entry as we did."""
    lee = journal.add_member("Dr. Lee", "therapist")
    entry = journal.add_entry("checkin", "Tuesday", body="Slept badly.")
    journal.save()
    theirs = copy_of(journal, "from-lee.tandem")
    theirs.edit_entry(entry.id, body="Slept badly. Try melatonin?")  # only its author edits it
    with theirs.acting_as(lee.id):
        theirs.add_entry("session", "Session 4")
    theirs.save()
    journal.edit_entry(entry.id, body="Slept badly, woke at 3.")
    journal.save()
    return entry, theirs.path


def test_a_change_on_disk_is_merged_and_announced(journal: Journal) -> None:
    lee = journal.add_member("Dr. Lee", "therapist")
    journal.save()

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        other = Journal.open(journal.path, PASSPHRASE)
        with other.acting_as(lee.id):
            other.add_entry("session", "Session 1")
            other.add_entry("session", "Session 2")
        other.save()
        await pilot.pause(2.5)
        await settle(pilot)
        assert "2 new entries from Dr. Lee" in notifications(app)
        assert {e.title for e in journal.entries()} == {"Session 1", "Session 2"}

    run(TandemApp(journal, start="journal"), scenario)


def test_import_a_copy_with_a_conflict_then_resolve_it(journal: Journal) -> None:
    entry, copy_path = diverge(journal)

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        app.screen.query_one("#path", Input).value = str(copy_path)
        await pilot.click("#preview")
        await settle(pilot)
        preview = str(app.screen.query_one("#report").render())
        assert "1 new entry from Dr. Lee" in preview
        assert "1 conflict to resolve: Tuesday (body)" in preview
        assert journal.get(Entry, entry.id).conflicts == []  # a preview changes nothing
        await pilot.click("#merge")
        await settle(pilot)
        assert not isinstance(app.screen, ImportScreen)
        assert {v.value for v in journal.conflicts(entry.id)["body"]} == {
            "Slept badly, woke at 3.",
            "Slept badly. Try melatonin?",
        }
        app.action_conflicts()
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        area = app.screen.query(TextArea).first()
        area.text = "Slept badly, woke at 3. Try melatonin?"
        merged_button = next(
            b for b in app.screen.query(Button) if str(b.label) == "Save the merged text"
        )
        await pilot.click(f"#{merged_button.id}")
        await settle(pilot)
        assert journal.conflicts(entry.id) == {}
        await pilot.press("escape")
        await settle(pilot)
        saved = Journal.open(journal.path, PASSPHRASE)
        assert saved.get(Entry, entry.id).body == "Slept badly, woke at 3. Try melatonin?"
        assert {e.title for e in saved.entries()} == {"Tuesday", "Session 4"}

    run(TandemApp(journal, start="journal", watch=False), scenario)


def test_keep_one_version_in_the_conflict_view(journal: Journal) -> None:
    entry, copy_path = diverge(journal)
    journal.merge_copy(copy_path)
    journal.save()

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        app.action_conflicts()
        await settle(pilot)
        keep = [b for b in app.screen.query(Button) if str(b.label) == "Keep this"]
        assert len(keep) == 2
        await pilot.click(f"#{keep[1].id}")
        await settle(pilot)
        assert journal.conflicts(entry.id) == {}
        assert "Nothing to resolve" in str(
            app.screen.query_one("#detail").query("Static").last().render()
        )

    run(TandemApp(journal, start="journal", watch=False), scenario)


def test_conflict_copies_are_offered_and_merged(journal: Journal) -> None:
    journal.save()
    theirs = copy_of(journal, "family (Dr Lee's conflicted copy 2026-11-26).tandem")
    theirs.add_entry("session", "From the drive")
    theirs.save()

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await settle(pilot)
        assert "conflicted copy" in notifications(app)
        app.action_merge_copies()
        await settle(pilot)
        assert [e.title for e in journal.entries()] == ["From the drive"]
        assert not theirs.path.exists()
        assert "1 new entry" in notifications(app)

    run(TandemApp(journal, start="journal"), scenario)


def test_help_lists_the_keys_and_the_palette_names_every_screen(journal: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        names = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Home", "Journal", "Threads", "Import a copy", "Help"} <= names
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        described = {what for _where, _key, what in app.screen._rows}
        assert {"Help", "Home", "Journal", "Threads", "Quit"} <= described
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, HelpScreen)

    run(TandemApp(journal, start="home", watch=False), scenario)


def test_quitting_saves_and_remembers_what_this_member_has_seen(journal: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        journal.add_entry("win", "unsaved until quit")
        await pilot.press("ctrl+q")
        await settle(pilot)

    run(TandemApp(journal, start="journal", watch=False), scenario)
    saved = Journal.open(journal.path, PASSPHRASE)
    assert [e.title for e in saved.entries()] == ["unsaved until quit"]
    assert saved.get(Member, journal.me.id).last_seen
