"""Trust in the app (issue #11): safety numbers, owners' decisions, carried-over records, and
a drive's copy held aside, driven with Pilot."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Select

from journal.journal import Journal
from journal.model import Member
from screens.app import TandemApp
from screens.confirm_dialog import ConfirmDialog
from screens.people_screen import PeopleScreen
from screens.profile_dialog import ProfileDialog
from tests.conftest import PASSPHRASE, therapist_note
from tests.harness import Harness, main_screen, option_texts, play, run, screen_text, settle
from widgets.entry_view import EntryDetails, entry_markdown

DATA = Path(__file__).parent / "data"


async def highlight(pilot: Pilot[None], member_id: str) -> None:
    options = main_screen(pilot.app).query_one("#people")
    options.focus()
    options.highlighted = options.get_option_index(member_id)  # type: ignore[attr-defined]
    await settle(pilot)


@pytest.fixture
def lee(journal: Journal) -> Member:
    """Dr. Lee, a therapist the parent added (saved)."""
    member = journal.add_member("Dr. Lee", "therapist")
    journal.save()
    return member


def test_people_shows_safety_numbers_and_marks_one_checked(journal: Journal, lee: Member) -> None:
    number = next(m.safety_number for m in journal.members_info() if m.id == lee.id)

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await highlight(pilot, lee.id)
        text = screen_text(app)
        assert number in text and "Not checked" in text
        await pilot.press("k")
        await settle(pilot)
        assert "Dr. Lee  ✓ checked" in option_texts(app, "#people")[-1]
        assert next(m.checked for m in journal.members_info() if m.id == lee.id)

    run(lambda: PeopleScreen(journal), scenario)


def test_an_owner_removes_a_member_after_a_question_that_says_what_it_cannot_do(
    journal: Journal, lee: Member
) -> None:

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await highlight(pilot, lee.id)
        screen = main_screen(app)
        assert screen.check_action("remove", ()) and screen.check_action("rotate", ())
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        text = screen_text(app)
        assert "Remove Dr. Lee from the journal?" in text
        assert "What removal cannot do" in text and "keeps every copy" in text
        await pilot.click("#yes")
        await settle(pilot)
        assert [m.name for m in journal.members()] == ["Ana Rivera"]

    run(lambda: PeopleScreen(journal), scenario)


def test_only_owners_see_the_owners_actions(journal: Journal) -> None:
    _member, code = journal.invite("Dr. Lee", "therapist")
    path = journal.path.with_name("lee.tandem")
    shutil.copyfile(journal.path, path)
    Journal.open(path, code).change_passphrase("lee's own passphrase, green door")
    lee = Journal.open(path, "lee's own passphrase, green door")

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await highlight(pilot, journal.me.id)
        screen = main_screen(app)
        for action in ("owner", "role", "remove", "rotate"):
            assert not screen.check_action(action, ()), action
        assert screen.check_action("check", ())
        assert "An owner:" in screen_text(app)

    run(lambda: PeopleScreen(lee), scenario)


def test_an_owner_gives_a_member_another_role(journal: Journal) -> None:
    grandma = journal.add_member("Grandma Rose", "therapist")  # invited in the wrong role
    journal.save()

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await highlight(pilot, grandma.id)
        assert main_screen(app).check_action("role", ())
        await pilot.press("l")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ProfileDialog) and "Grandma Rose's role" in screen_text(app)
        assert "^s Change role" in screen_text(app)  # the footer says what the button says
        dialog.query_one("#field-role", Select).value = "parent"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert next(m.role for m in journal.members() if m.id == grandma.id) == "parent"
        assert any("Grandma Rose is now a parent" in str(n.message) for n in app._notifications)

    run(lambda: PeopleScreen(journal), scenario)


def test_a_member_who_is_no_owner_cannot_change_their_role_in_their_profile(
    journal: Journal, lee: Member
) -> None:

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await highlight(pilot, lee.id)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ProfileDialog)
        assert not app.screen.query("#field-role")  # name, background, ... but no role

    with journal.acting_as(lee.id):
        run(lambda: PeopleScreen(journal), scenario)


def test_a_carried_over_record_says_who_carried_it(tmp_path: Path) -> None:
    legacy = json.loads((DATA / "legacy.json").read_text(encoding="utf-8"))
    path = tmp_path / "family.tandem"
    shutil.copyfile(DATA / "v2-family.tandem", path)
    ana = Journal.open(path, legacy["passphrases"]["Ana Rivera"])
    ana.add_entry("win", "After the upgrade")
    ana.save()
    note = legacy["records"]["session_note_by_lee"]
    text = entry_markdown(EntryDetails.load(ana, note))
    assert "\\(therapist\\) · *carried over from format 2 by Ana Rivera*" in text
    mine = ana.entries(limit=1)[0]
    assert "carried over" not in entry_markdown(EntryDetails.load(ana, mine.id))


def test_a_drive_copy_that_would_delete_most_of_the_journal_is_asked_about(
    journal: Journal,
) -> None:
    ids = [journal.add_entry("win", f"Win {n}").id for n in range(5)]
    journal.save()
    other = journal.path.with_name("laptop.tandem")
    shutil.copyfile(journal.path, other)
    theirs = Journal.open(other, PASSPHRASE)
    for entry_id in ids[1:]:
        theirs.delete(entry_id)
    theirs.save()

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        shutil.copyfile(other, journal.path)  # the drive delivers it while the app is open
        await pilot.pause(2.5)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        text = screen_text(app)
        assert "Apply the copy the drive delivered?" in text
        assert "delete 4 of 5 records" in text and "- 4 entries deleted" in text
        assert "nothing of it is applied; quitting" in text
        assert len(journal.entries()) == 5  # nothing applied meanwhile
        await pilot.click("#no")
        await settle(pilot)
        assert len(journal.held_copies()) == 1 and len(journal.entries()) == 5

    play(TandemApp(journal, start="journal"), scenario)
    again = Journal.open(journal.path, PASSPHRASE)  # quitting applied nothing
    assert len(again.entries()) == 5 and len(again.held_copies()) == 1


def test_the_mother_is_not_offered_to_finalize_or_edit_the_therapists_note(
    journal: Journal,
) -> None:
    """Issue #11, roles in the app: F3, the therapist's draft note, f or e: nothing to do."""
    from journal.model import Entry
    from tests.test_journal_screen import journal_screen, run_app, select_entry

    _lee, note = therapist_note(journal, "Session 7 (draft)")

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await select_entry(pilot, "Session 7 (draft)", journal)
        screen = journal_screen(app)
        for action in ("finalize", "edit_entry", "addendum"):
            assert not screen.check_action(action, ()), action
        await pilot.press("f", "e")
        await settle(pilot)
        assert journal.get(Entry, note.id).status == "draft"

    run_app(journal, scenario)
