"""Getting in: the welcome, create, unlock and passphrase screens, driven with Pilot.

Each screen is pushed by a tiny app that records what it returns. The
project runs pytest without an async plugin, so each test runs inside
`asyncio.run`. `TANDEM_TEST_FAST_KDF=1` (tests/conftest.py) keeps key
derivation quick.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button, Input, OptionList, Static

from journal.errors import WrongPassphrase
from journal.fileformat import FORMAT_VERSION
from journal.journal import Journal
from journal.passphrase import NEVER_BLOCK_LENGTH, mismatch, refusal, strength
from journal.recent import recent, remember
from screens.create_screen import CreateScreen, journal_file_name
from screens.recovery_code_dialog import RecoveryCodeDialog, same_group
from screens.set_passphrase_dialog import SetPassphraseDialog
from screens.unlock_screen import UnlockScreen, describe_problem
from screens.welcome_screen import WelcomeScreen
from tests.conftest import PASSPHRASE
from tests.harness import (
    ScreenHost,
    front,
    play,
    press,
    screen_text,
    settle,
    type_text,
)
from widgets.code_groups import code_groups
from widgets.file_picker import FilePicker, JournalTree
from widgets.strength_hint import StrengthHint

SIZE = (100, 32)
NEW_PASSPHRASE = "owl fig jar cup"  # strong, and short to type
MARKUP_NAME = "[bold red]hi[reverse].tandem"  # no slash: it is a file name

MakeJournal = Callable[..., tuple[Journal, str]]
Scenario = Callable[[ScreenHost, Pilot[None]], Awaitable[None]]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of our own, with a Documents folder, so paths show as `~/...`."""
    folder = tmp_path / "home"
    (folder / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(folder))
    return folder


def run(first: Screen[Any], scenario: Scenario) -> ScreenHost:
    """Run `first` headless and play `scenario` once it has settled."""
    return play(ScreenHost(first), scenario, size=SIZE)


async def enter_passphrase(app: App[Any], pilot: Pilot[None]) -> None:
    """Put the passphrase into the unlock screen in front and press Enter."""
    app.screen.query_one("#passphrase", Input).value = PASSPHRASE
    await press(pilot, "enter")


async def open_and_unlock(app: App[Any], pilot: Pilot[None], path: Path) -> None:
    """Enter on the journal chosen: its unlock screen comes, and the passphrase opens it."""
    await press(pilot, "enter")
    unlock = app.screen
    assert isinstance(unlock, UnlockScreen) and unlock.path == path
    await enter_passphrase(app, pilot)


def static_text(app: App[Any], selector: str) -> str:
    """The text a Static shows."""
    return str(app.screen.query_one(selector, Static).render())


def notifications(app: App[Any]) -> list[str]:
    return [notification.message for notification in app._notifications]


# --- files to open ------------------------------------------------------------------------


def damaged(path: Path) -> Path:
    """A journal cut short."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def not_a_journal(path: Path) -> Path:
    path.write_bytes(b"hello")
    return path


def newer_format(path: Path) -> Path:
    """A journal whose format version (bytes 8-9) says the next one, with a matching checksum."""
    data = bytearray(path.read_bytes())
    data[8:10] = (FORMAT_VERSION + 1).to_bytes(2, "big")
    body = bytes(data[:-32])
    path.write_bytes(body + hashlib.sha256(body).digest())
    return path


# --- create -------------------------------------------------------------------------------


def test_create_a_journal_through_the_form(tmp_path: Path) -> None:
    folder = tmp_path / "journals"
    folder.mkdir()
    target = folder / "Sam's journal.tandem"
    shown_code: list[str] = []

    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        screen = front(app, CreateScreen)
        assert app.focused is screen.query_one("#title")
        await type_text(pilot, "Sam's journal")
        assert screen.value("file") == "Sam's journal.tandem"
        await pilot.press("enter")  # Enter moves on to the next field
        await type_text(pilot, "Sam")
        await pilot.press("tab")
        await type_text(pilot, "Ana")
        await pilot.press("tab", "tab", "tab", "tab")  # role, folder, file name
        assert app.focused is screen.query_one("#passphrase")
        await type_text(pilot, "password")
        hint = screen.query_one(StrengthHint)
        assert hint.verdict == "weak" and "a very common password" in str(hint.render())
        screen.query_one("#passphrase", Input).clear()
        await type_text(pilot, NEW_PASSPHRASE)
        assert hint.verdict == "strong"
        await pilot.press("tab")
        await type_text(pilot, NEW_PASSPHRASE + "s")
        assert "The two passphrases are not the same." in static_text(app, "#confirm-error")
        await press(pilot, "enter")
        assert app.screen is screen and not target.exists()
        assert "The two passphrases are not the same." in screen_text(app)

        dialog = await press(pilot, "backspace", "enter", shows=RecoveryCodeDialog)
        assert target.exists()
        groups = dialog.groups
        assert len(groups) == 5 and all(len(group) == 5 for group in groups)
        shown_code.append("-".join(groups))
        text = screen_text(app)
        assert " ".join(groups[0]) in text  # large: spaced characters
        assert "shown only this once" in static_text(app, "#explanation")
        done = dialog.query_one("#done", Button)
        assert done.disabled
        await type_text(pilot, groups[0])  # the first group, not the last
        assert done.disabled
        assert "not the last group" in static_text(app, "#check-message")
        await pilot.press("enter")
        assert app.screen is dialog
        await pilot.press(*["backspace"] * 5)
        await type_text(pilot, groups[-1].lower())
        assert not done.disabled
        await press(pilot, "enter")

    app = run(CreateScreen(folder), scenario)
    [journal] = app.results
    assert isinstance(journal, Journal)
    assert journal.path == target
    again = Journal.open(target, NEW_PASSPHRASE)
    assert again.title == "Sam's journal"
    assert again.info.child_name == "Sam"
    assert (again.me.name, again.me.role) == ("Ana", "parent")
    assert Journal.open(target, shown_code[0]).opened_with == "recovery"
    assert [item.path for item in recent()] == [target]


def test_create_says_what_is_missing_and_refuses_a_weak_short_passphrase(
    tmp_path: Path,
) -> None:
    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        screen = front(app, CreateScreen)
        screen.query_one("#passphrase", Input).value = "sam2019"
        screen.query_one("#confirm", Input).value = "sam2019"
        screen.query_one("#child", Input).value = "Sam"
        await press(pilot, "ctrl+s")
        assert static_text(app, "#title-error") == "Give the journal a title."
        assert "Type your name" in static_text(app, "#name-error")
        assert "too easy to guess" in static_text(app, "#passphrase-error")
        assert app.focused is screen.query_one("#title")
        assert "built on a name from this journal" in str(screen.query_one(StrengthHint).render())
        assert list(tmp_path.iterdir()) == []

    app = run(CreateScreen(tmp_path), scenario)
    assert app.results == []


def test_create_refuses_to_overwrite_a_file(tmp_path: Path, make_journal: MakeJournal) -> None:
    existing, _code = make_journal("Sam's journal.tandem")
    before = existing.path.read_bytes()

    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        screen = front(app, CreateScreen)
        await type_text(pilot, "Sam's journal")
        for field, value in (("name", "Ana"), ("passphrase", PASSPHRASE), ("confirm", PASSPHRASE)):
            screen.query_one(f"#{field}", Input).value = value
        await press(pilot, "ctrl+s")
        assert "already there" in static_text(app, "#file-error")
        assert app.focused is screen.query_one("#file")

    app = run(CreateScreen(tmp_path), scenario)
    assert app.results == []
    assert existing.path.read_bytes() == before


def test_escape_leaves_the_create_screen(tmp_path: Path) -> None:
    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        await press(pilot, "escape")

    assert run(CreateScreen(tmp_path), scenario).results == [None]


# --- unlock -------------------------------------------------------------------------------


def test_unlock_wrong_then_right(make_journal: MakeJournal) -> None:
    journal, _code = make_journal(passphrase=NEW_PASSPHRASE)

    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        screen = front(app, UnlockScreen)
        field = screen.passphrase_input
        assert app.focused is field and field.password
        await type_text(pilot, "not it")
        await press(pilot, "enter")
        assert app.screen is screen
        assert "Wrong passphrase or recovery code." in static_text(app, "#error")
        assert "Wrong passphrase or recovery code." in screen_text(app)
        assert field.value == "not it"  # kept
        assert app.focused is field  # and ready to type again
        assert app.results == []
        await type_text(pilot, NEW_PASSPHRASE)  # what was typed is selected: this replaces it
        assert field.value == NEW_PASSPHRASE
        await press(pilot, "enter")

    app = run(UnlockScreen(journal.path), scenario)
    [opened] = app.results
    assert isinstance(opened, Journal)
    assert opened.path == journal.path and opened.me.name == "Ana Rivera"
    assert [item.path for item in recent()] == [journal.path]


def test_unlocking_shows_progress_and_locks_the_field(journal: Journal) -> None:
    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        screen = front(app, UnlockScreen)
        assert not screen.query_one("#busy").has_class("-shown")
        screen.start_unlock(PASSPHRASE)
        # Until the worker reports back (the UI keeps running meanwhile):
        assert screen.busy
        assert screen.query_one("#busy").has_class("-shown")
        assert static_text(app, "#busy-text").startswith("Unlocking")
        assert screen.passphrase_input.disabled
        await settle(pilot)

    assert isinstance(run(UnlockScreen(journal.path), scenario).results[0], Journal)


def test_an_empty_passphrase_is_not_tried(journal: Journal) -> None:
    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        await press(pilot, "enter")
        assert static_text(app, "#error") == "Type your passphrase first."

    assert run(UnlockScreen(journal.path), scenario).results == []


@pytest.mark.parametrize(
    ("spoil", "heading", "sentence"),
    [
        (damaged, "This journal file is damaged", "This file is damaged: it is truncated"),
        (not_a_journal, "This is not a Tandem journal", "Choose the .tandem file"),
        (newer_format, "This journal needs a newer Tandem", f"format {FORMAT_VERSION + 1}"),
    ],
    ids=["damaged", "not-a-journal", "newer-format"],
)
def test_a_file_that_cannot_be_opened_says_why(
    journal: Journal, spoil: Callable[[Path], Path], heading: str, sentence: str
) -> None:
    path = spoil(journal.path)

    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        screen = app.screen
        await enter_passphrase(app, pilot)
        assert app.screen is screen
        assert static_text(app, "#problem-title") == heading
        assert sentence in static_text(app, "#problem-text")
        assert heading in screen_text(app)
        assert static_text(app, "#error") == ""  # not a passphrase problem
        assert app.focused is screen.query_one("#other")  # "Choose another file"

    assert run(UnlockScreen(path), scenario).results == []


def test_each_problem_has_its_own_words(journal: Journal, tmp_path: Path) -> None:
    from journal.errors import DamagedFile, NewerFormat, NotATandemFile, TandemError

    problems = [
        describe_problem(error)
        for error in (
            DamagedFile("this file is damaged: it is empty"),
            NewerFormat("this journal was written by a newer version of Tandem"),
            NotATandemFile("this is not a Tandem journal"),
            TandemError(f"no journal at {tmp_path}/x.tandem"),
        )
    ]
    assert len({heading for heading, _text in problems}) == 4
    assert problems[0][1].startswith("This file is damaged: it is empty. Open another copy")
    assert problems[3] == ("This file cannot be opened", f"No journal at {tmp_path}/x.tandem.")


def test_choose_another_file_after_a_damaged_one(
    journal: Journal, make_journal: MakeJournal
) -> None:
    good, _code = make_journal("good.tandem")
    bad = damaged(journal.path)

    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        screen = front(app, UnlockScreen)
        screen.passphrase_input.value = PASSPHRASE
        await press(pilot, "enter")
        picker = await press(pilot, "enter", shows=FilePicker)  # on "Choose another file"
        await pilot.press("ctrl+l")
        picker.query_one("#path", Input).value = str(good.path)
        await press(pilot, "enter")
        assert app.screen is screen and screen.path == good.path
        assert not screen.query_one("#problem").has_class("-shown")
        assert "good.tandem" in screen_text(app)
        assert app.focused is screen.passphrase_input
        assert screen.passphrase_input.value == PASSPHRASE  # nothing typed is lost
        await press(pilot, "enter")

    [opened] = run(UnlockScreen(bad), scenario).results
    assert isinstance(opened, Journal) and opened.path == good.path


def test_escape_goes_back(journal: Journal) -> None:
    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        await type_text(pilot, "half typed")
        await press(pilot, "escape")

    assert run(UnlockScreen(journal.path), scenario).results == [None]


def test_a_given_passphrase_unlocks_at_once(journal: Journal) -> None:
    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        pass

    [opened] = run(UnlockScreen(journal.path, secret=PASSPHRASE), scenario).results
    assert isinstance(opened, Journal)


def test_a_wrong_given_passphrase_leaves_the_field_to_the_person(journal: Journal) -> None:
    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, UnlockScreen)
        assert "Wrong passphrase" in static_text(app, "#error")
        await enter_passphrase(app, pilot)

    [opened] = run(UnlockScreen(journal.path, secret="nope"), scenario).results
    assert isinstance(opened, Journal)


# --- a passphrase of one's own ------------------------------------------------------------


async def set_passphrase(pilot: Pilot[None], passphrase: str) -> None:
    """Fill in the SetPassphraseDialog on top and confirm it."""
    await type_text(pilot, passphrase)
    await pilot.press("enter")  # on to the second field
    await type_text(pilot, passphrase)
    await press(pilot, "enter")


def test_an_invite_code_asks_for_a_passphrase_of_ones_own(journal: Journal) -> None:
    _member, invite = journal.invite("Dr. Lee", "therapist")

    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        await type_text(pilot, invite)
        dialog = await press(pilot, "enter", shows=SetPassphraseDialog)
        assert "Welcome, Dr. Lee" in screen_text(app)
        assert "invite code" in screen_text(app)
        await type_text(pilot, NEW_PASSPHRASE)
        await pilot.press("enter")
        await type_text(pilot, NEW_PASSPHRASE[:-1] + "X")
        await pilot.press("enter")
        assert app.screen is dialog
        assert static_text(app, "#problem") == "The two passphrases are not the same."
        await pilot.press("backspace")
        await type_text(pilot, NEW_PASSPHRASE[-1])
        await press(pilot, "enter")
        assert "Passphrase saved" in [n.title for n in app._notifications]

    [opened] = run(UnlockScreen(journal.path), scenario).results
    assert isinstance(opened, Journal)
    assert not opened.needs_own_passphrase
    again = Journal.open(journal.path, NEW_PASSPHRASE)
    assert again.me.name == "Dr. Lee" and again.opened_with == "passphrase"
    with pytest.raises(WrongPassphrase):
        Journal.open(journal.path, invite)


def test_cancelling_the_invite_passphrase_keeps_the_person_out(journal: Journal) -> None:
    _member, invite = journal.invite("Dr. Lee", "therapist")

    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        screen = app.screen
        await type_text(pilot, invite)
        await press(pilot, "enter", shows=SetPassphraseDialog)
        await press(pilot, "escape")
        assert app.screen is screen
        assert "a passphrase of your own" in static_text(app, "#error")

    assert run(UnlockScreen(journal.path), scenario).results == []
    assert Journal.open(journal.path, invite).needs_own_passphrase  # still usable later


def test_the_recovery_code_opens_and_asks_for_a_new_passphrase(
    make_journal: MakeJournal,
) -> None:
    journal, code = make_journal()

    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        await type_text(pilot, code.lower())  # codes are read loosely
        await press(pilot, "enter", shows=SetPassphraseDialog)
        assert "recovery code" in screen_text(app)
        await set_passphrase(pilot, NEW_PASSPHRASE)

    [opened] = run(UnlockScreen(journal.path), scenario).results
    assert isinstance(opened, Journal)
    assert Journal.open(journal.path, NEW_PASSPHRASE).me.name == "Ana Rivera"
    assert Journal.open(journal.path, code).opened_with == "recovery"  # still works
    with pytest.raises(WrongPassphrase):
        Journal.open(journal.path, PASSPHRASE)


def test_after_the_recovery_code_the_old_passphrase_can_be_kept(
    make_journal: MakeJournal,
) -> None:
    journal, code = make_journal()

    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        await type_text(pilot, code)
        await press(pilot, "enter", shows=SetPassphraseDialog)
        await pilot.click("#cancel")  # "Keep the old one", with the mouse
        await settle(pilot)

    [opened] = run(UnlockScreen(journal.path), scenario).results
    assert isinstance(opened, Journal) and opened.opened_with == "recovery"
    assert Journal.open(journal.path, PASSPHRASE).opened_with == "passphrase"


def test_the_dialog_refuses_a_weak_short_passphrase_but_never_a_long_one() -> None:
    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        dialog = front(app, SetPassphraseDialog)
        await set_passphrase(pilot, "sam2019")
        assert app.screen is dialog
        assert "too easy to guess" in static_text(app, "#problem")
        assert app.focused is dialog.query_one("#new")
        assert dialog.query_one(StrengthHint).verdict == "weak"
        weak_but_long = "a" * NEVER_BLOCK_LENGTH
        dialog.query_one("#new", Input).value = weak_but_long
        dialog.query_one("#again", Input).value = weak_but_long
        await pilot.pause()
        assert dialog.query_one(StrengthHint).verdict == "weak"
        await pilot.click("#confirm")
        await settle(pilot)

    app = run(SetPassphraseDialog(avoid=["Sam's journal"]), scenario)
    assert app.results == ["a" * NEVER_BLOCK_LENGTH]


# --- welcome ------------------------------------------------------------------------------


def test_recent_journals_are_listed_and_one_opens(
    home: Path, make_journal: MakeJournal, tmp_path: Path
) -> None:
    older, _code = make_journal("older.tandem")
    newer, _code = make_journal("newer.tandem")
    remember(tmp_path / "gone.tandem", at="2026-01-01T09:00:00.000000Z")
    remember(older.path, at="2026-01-02T09:00:00.000000Z")
    remember(newer.path, at="2026-01-03T09:00:00.000000Z")

    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        welcome = front(app, WelcomeScreen)
        options = welcome.query_one("#recent", OptionList)
        assert app.focused is options and options.option_count == 3
        text = screen_text(app)
        assert "newer.tandem" in text and "  opened 2026-01-03 09:00" in text
        assert "gone.tandem  missing" in text
        await pilot.press("down")  # older.tandem
        await open_and_unlock(app, pilot, older.path)

    [opened] = run(WelcomeScreen(), scenario).results
    assert isinstance(opened, Journal) and opened.path == older.path
    assert [item.path.name for item in recent()] == ["older.tandem", "newer.tandem", "gone.tandem"]


def test_a_missing_recent_journal_says_so_and_can_be_forgotten(
    home: Path, make_journal: MakeJournal, tmp_path: Path
) -> None:
    kept, _code = make_journal("kept.tandem")
    remember(kept.path, at="2026-01-01T09:00:00.000000Z")
    remember(tmp_path / "gone.tandem", at="2026-01-02T09:00:00.000000Z")

    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        welcome = app.screen
        await press(pilot, "enter")  # the missing one is first
        assert app.screen is welcome
        assert any("It may have moved" in message for message in notifications(app))
        await press(pilot, "delete")
        assert [item.path.name for item in welcome.journals] == ["kept.tandem"]  # type: ignore[attr-defined]
        assert "gone.tandem" not in screen_text(app)

    assert run(WelcomeScreen(), scenario).results == []
    assert [item.path.name for item in recent()] == ["kept.tandem"]
    assert kept.path.exists()


def test_no_recent_journals_says_so(home: Path) -> None:
    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        assert "No journals opened yet." in screen_text(app)
        assert app.screen.query_one("#create").has_focus or app.focused is not None

    run(WelcomeScreen(), scenario)


def test_create_from_the_welcome_screen(home: Path) -> None:
    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        await pilot.click("#create")
        await settle(pilot)
        create = front(app, CreateScreen)
        assert create.value("folder") == "~/Documents"
        await type_text(pilot, "Our journal")
        for field, value in (("name", "Ana"), ("passphrase", PASSPHRASE), ("confirm", PASSPHRASE)):
            create.query_one(f"#{field}", Input).value = value
        dialog = await press(pilot, "ctrl+s", shows=RecoveryCodeDialog)
        await type_text(pilot, dialog.groups[-1])
        await pilot.click("#done")
        await settle(pilot)

    [created] = run(WelcomeScreen(), scenario).results
    assert isinstance(created, Journal)
    assert created.path == home / "Documents" / "Our journal.tandem"
    assert [item.path for item in recent()] == [created.path]


def test_open_a_file_with_the_picker(home: Path, make_journal: MakeJournal) -> None:
    journal, _code = make_journal("family.tandem")
    folder = journal.path.parent
    (folder / "notes.txt").write_text("not shown")
    (folder / ".hidden.tandem").write_bytes(b"")
    (folder / "sub").mkdir()

    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        picker = await press(pilot, "o", shows=FilePicker)
        assert picker.start == folder
        tree = picker.query_one(JournalTree)
        for _ in range(50):  # the tree lists the folder in its own workers
            if tree.root.children:
                break
            await pilot.pause(0.02)
        names = [str(node.label) for node in tree.root.children]
        assert names == ["home", "sub", "family.tandem"]  # folders first; no notes, no hidden
        assert app.focused is picker.query_one("#path", Input)  # typing goes to the path
        await pilot.press("tab")  # to the tree
        await pilot.press("down", "down", "down")  # from the root to family.tandem
        assert picker.query_one("#path", Input).value == str(journal.path)
        await open_and_unlock(app, pilot, journal.path)

    [opened] = run(WelcomeScreen(documents=folder), scenario).results
    assert isinstance(opened, Journal) and opened.path == journal.path


def test_the_picker_takes_a_typed_path_and_says_when_nothing_is_there(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()

    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        picker = front(app, FilePicker)
        await pilot.press("ctrl+l")
        assert app.focused is picker.query_one("#path", Input)
        picker.query_one("#path", Input).value = str(tmp_path / "nothing.tandem")
        await pilot.press("enter")
        assert "There is no file at" in static_text(app, "#message")
        assert app.screen is picker
        picker.query_one("#path", Input).value = str(tmp_path / "sub")
        await press(pilot, "enter")
        assert picker.folder_tree.path == tmp_path / "sub"
        await pilot.click("#up")
        await settle(pilot)
        assert picker.folder_tree.path == tmp_path
        await press(pilot, "escape")

    assert run(FilePicker(tmp_path), scenario).results == [None]


def test_the_picker_opens_the_path_typed_not_the_tree_s(
    home: Path, make_journal: MakeJournal
) -> None:
    """Issue #13: the picker opens with the focus in the path field; Enter opens what is typed."""
    journal, _code = make_journal("family.tandem")
    other, _code = make_journal("other.tandem")
    folder = journal.path.parent

    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        picker = await press(pilot, "o", shows=FilePicker)
        path = picker.query_one("#path", Input)
        assert app.focused is path
        assert path.value == str(folder) + os.sep
        await type_text(pilot, "other.tandem")
        await settle(pilot)  # the tree has loaded meanwhile: it changed nothing typed
        assert path.value == str(other.path)
        await press(pilot, "enter")
        unlock = app.screen
        assert isinstance(unlock, UnlockScreen) and unlock.path == other.path
        await press(pilot, "escape")

    run(WelcomeScreen(documents=folder), scenario)


def test_open_the_demo(home: Path) -> None:
    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        welcome = front(app, WelcomeScreen)
        welcome.action_demo()  # as "d" does; until the worker reports back:
        assert 'Its passphrase is "demo"' in static_text(app, "#busy-text")
        assert welcome.query_one("#demo", Button).disabled
        welcome.action_create()  # nothing else starts meanwhile
        assert app.screen is welcome
        await settle(pilot)

    app = run(WelcomeScreen(), scenario)
    [demo] = app.results
    assert isinstance(demo, Journal)
    assert demo.title == "Sam's journal" and demo.me.name == "Maya Rivera"
    assert demo.opened_with == "passphrase"
    assert Journal.open(demo.path, "demo").journal_id == demo.journal_id
    assert any('its passphrase is "demo"' in message for message in notifications(app))
    assert recent() == []  # a demo in a temporary folder is not a journal to come back to
    os.remove(demo.path)


# --- user text is shown, never interpreted ------------------------------------------------


def test_a_markup_file_name_shows_as_typed(home: Path, make_journal: MakeJournal) -> None:
    journal, _code = make_journal(MARKUP_NAME)
    remember(journal.path, at="2026-01-02T09:00:00.000000Z")

    async def welcome(app: ScreenHost, pilot: Pilot[None]) -> None:
        assert MARKUP_NAME in screen_text(app)

    async def unlock(app: ScreenHost, pilot: Pilot[None]) -> None:
        assert MARKUP_NAME in screen_text(app)
        assert static_text(app, "#file") == MARKUP_NAME

    run(WelcomeScreen(), welcome)
    run(UnlockScreen(journal.path), unlock)


def test_every_binding_has_an_id_and_a_description() -> None:
    for owner in (
        WelcomeScreen,
        UnlockScreen,
        CreateScreen,
        SetPassphraseDialog,
        RecoveryCodeDialog,
        FilePicker,
    ):
        for binding in vars(owner).get("BINDINGS", []):
            assert not isinstance(binding, tuple)
            assert binding.id and binding.description, binding


# --- the pieces ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("passphrase", "verdict"),
    [
        ("", "weak"),
        ("abc", "weak"),
        ("password", "weak"),
        ("P@ssw0rd1", "weak"),
        ("qwertyuiop123", "weak"),
        ("aaaaaaaaaaaaaaaa", "weak"),
        ("Tr0ub4dor&3", "fair"),
        ("blue kettle river", "fair"),
        ("correct horse battery staple", "strong"),
        ("river kettle lantern meadow", "strong"),
        ("xK7#qM2!pL9z-Wv4", "strong"),
    ],
)
def test_strength_verdicts(passphrase: str, verdict: str) -> None:
    assert strength(passphrase).verdict == verdict


def test_strength_says_why() -> None:
    rated = strength("correct horse battery staple")
    assert rated.reasons == ("28 characters", "4 words")
    assert rated.describe() == "Strength: strong (28 characters, 4 words)."
    weak = strength("password")
    assert "a very common password" in weak.reasons
    assert weak.describe().startswith("Strength: weak (8 characters, letters only, a very")
    assert "digits and symbols" in strength("Tr0ub4dor&3").describe()
    assert "built on a name" in strength("Samuel2019", avoid=["Samuel"]).describe()


def test_only_weak_short_passphrases_are_refused() -> None:
    assert refusal("") == "Type a passphrase."
    assert refusal("sunshine1") is not None
    assert refusal("Tr0ub4dor&3") is None  # fair is fine
    for long_but_weak in ("passwordpassword", "a" * NEVER_BLOCK_LENGTH, "123456789012"):
        assert strength(long_but_weak).verdict == "weak"
        assert refusal(long_but_weak) is None


def test_mismatch_waits_until_the_confirmation_differs() -> None:
    assert mismatch("abc def", "abc") is None  # still typing
    assert mismatch("abc def", "abx") == "The two passphrases are not the same."
    assert mismatch("abc def", "abc", final=True) is not None
    assert mismatch("abc", "abc", final=True) is None


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Sam's journal", "Sam's journal.tandem"),
        ("  a/b\\c: d*?  ", "a-b-c- d.tandem"),
        ("[bold]x[/bold]", "[bold]x[-bold].tandem"),
        ("...", "journal.tandem"),
        ("", "journal.tandem"),
        ("con", "con-journal.tandem"),
        ("tab\there\x1b", "tab here.tandem"),
        ("x" * 200, "x" * 80 + ".tandem"),
    ],
)
def test_journal_file_names_are_safe(title: str, name: str) -> None:
    assert journal_file_name(title) == name


def test_recovery_code_groups_are_read_loosely() -> None:
    assert code_groups("7k2qf-9xhma") == ["7K2QF", "9XHMA"]
    assert same_group("9xhma", "9XHMA")
    assert same_group(" 1oI0l ", "10101")  # O as 0, I and L as 1, spaces ignored
    assert not same_group("", "9XHMA")
    assert not same_group("9XHM", "9XHMA")
