"""Unlocking a journal file: the passphrase (or a recovery or invite code), checked in a worker.

`UnlockScreen(path)` returns the open `Journal`, or `None` when the person
goes back. Key derivation takes a noticeable moment (Argon2, 64 MiB), so it
runs in a thread worker while the screen shows that it is unlocking.

- A wrong passphrase is said under the field; what was typed stays, and the
  field has the focus again.
- A damaged file, a file from a newer Tandem, or a file that is not a journal
  each gets its own heading and sentence, and the offer to choose another file.
- Opened with an invite code, the person sets their own passphrase before
  going on; opened with the recovery code, they are asked to set a new one.

`unlock()` is the same opening without a screen, for callers with their own UI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Static

from journal.agent_client import agent_may_answer
from journal.errors import DamagedFile, NewerFormat, NotATandemFile, TandemError, WrongPassphrase
from journal.fileformat import peek_journal_id
from journal.journal import Journal
from journal.keys import NotHeld, open_with_agent
from journal.recent import remember
from journal.storage import data_dir
from journal.text import one_line
from screens.set_passphrase_dialog import SetPassphraseDialog
from widgets.busy_line import BusyLine
from widgets.file_picker import FilePicker, shown_path
from widgets.key_button import KeyButton
from widgets.workers import WorkerHost

__all__ = ["UnlockScreen", "backups_of", "describe_problem", "unlock"]


def unlock(path: Path | str, secret: str) -> Journal:
    """Open the journal at `path` with `secret` and put it on the recent list.

    Slow (key derivation): call it from a worker. Raises what `Journal.open`
    raises: `WrongPassphrase`, `NotATandemFile`, `NewerFormat`, `DamagedFile`
    or another `TandemError`, each with a one-line message.
    """
    # Older entries are read later, by whatever needs them first (in its worker).
    # With the key agent on and running, a key it holds opens the journal when no
    # secret is given, and the key of a typed one is handed to it (journal/keys.py).
    journal = open_with_agent(path, secret, lazy=True)
    remember(journal.path)
    return journal


def _sentence(message: str) -> str:
    """`message` on one line, starting with a capital and ending with a full stop."""
    message = one_line(message).rstrip()
    if not message:
        return message
    message = message[:1].upper() + message[1:]
    return message if message[-1] in ".!?" else message + "."


_JOURNAL_ID = re.compile(rb'"journal_id"\s*:\s*"([0-9a-f]{32})"')


def _journal_id_of(path: Path) -> str:
    """The journal id in the file's header ('' if none), even when the rest is damaged.

    The header is plain JSON at the start of the file (docs/FORMAT.md): a file
    cut short or changed further on still tells whose backups to look at.
    """
    try:
        return peek_journal_id(path)
    except (TandemError, OSError, ValueError):
        pass
    try:
        with path.open("rb") as handle:
            start = handle.read(65536)
    except OSError:
        return ""
    found = _JOURNAL_ID.search(start)
    return found.group(1).decode("ascii") if found else ""


def backups_of(path: Path | None) -> str:
    """Where the backups of the journal at `path` are, named for the person.

    The journal's own folder (`backups/<journal id>`) when the file's header
    still tells its id, with the journal's file name; else the backups folder.
    """
    backups = data_dir() / "backups"
    if path is not None:
        journal_id = _journal_id_of(path)
        folder = backups / journal_id if journal_id else None
        if folder is not None and folder.is_dir():
            return (
                f"the backups of “{one_line(path.stem)}” that Tandem keeps in {shown_path(folder)}"
            )
    return f"one of the backups Tandem keeps in {shown_path(backups)}"


def describe_problem(error: TandemError, path: Path | None = None) -> tuple[str, str]:
    """A heading and a paragraph for a file that cannot be opened (not a wrong passphrase)."""
    if isinstance(error, NotATandemFile):
        heading = "This is not a Tandem journal"
        detail = _sentence(str(error))
        detail = "" if detail == f"{heading}." else f"{detail} "  # say it once
        return (heading, f"{detail}Choose the .tandem file of your journal.")
    if isinstance(error, DamagedFile):
        return (
            "This journal file is damaged",
            f"{_sentence(str(error))} Open another copy instead: the one another member "
            f"has, or {backups_of(path)}.",
        )
    if isinstance(error, NewerFormat):
        return (
            "This journal needs a newer Tandem",
            f"{_sentence(str(error))} Nothing in the file was changed.",
        )
    return ("This file cannot be opened", _sentence(str(error)))


_BACK = Binding("escape", "back", "Back", id="unlock.back")
_OTHER_FILE = Binding("ctrl+o", "choose_file", "Choose another file", id="unlock.other_file")


class UnlockScreen(WorkerHost, Screen[Journal | None]):
    """Type the passphrase of one journal file; returns the open journal, or None."""

    DEFAULT_CSS = """
    UnlockScreen {
        align: center middle;
    }
    UnlockScreen #unlock {
        width: 80;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        padding: 1 2;
        border: round $primary 60%;
    }
    UnlockScreen .title {
        text-style: bold;
    }
    UnlockScreen #file {
        margin-top: 1;
        text-style: bold;
    }
    UnlockScreen #folder {
        color: $text-muted;
    }
    UnlockScreen #field-label {
        margin-top: 1;
    }
    UnlockScreen #error {
        color: $text-error;
        height: auto;
    }
    UnlockScreen #busy-text {
        color: $text-muted;
    }
    UnlockScreen #problem {
        height: auto;
        display: none;
        margin-top: 1;
        padding: 0 1;
        border-left: thick $error;
    }
    UnlockScreen #problem.-shown {
        display: block;
    }
    UnlockScreen #problem-title {
        text-style: bold;
        color: $text-error;
    }
    UnlockScreen .buttons {
        height: auto;
        margin-top: 1;
    }
    UnlockScreen .buttons Button {
        margin-right: 2;
    }
    """

    SUB_TITLE = "Unlock a journal"

    AUTO_FOCUS = "#passphrase"

    BINDINGS: ClassVar[list[BindingType]] = [_BACK, _OTHER_FILE]

    @dataclass
    class Opened(Message):
        """The unlock worker opened the journal at `path`."""

        path: Path
        journal: Journal

    @dataclass
    class Failed(Message):
        """The unlock worker could not open the journal at `path`: `error` says why."""

        path: Path
        error: TandemError

    @dataclass
    class PassphraseChanged(Message):
        """The journal now opens with the new passphrase (or could not be changed)."""

        journal: Journal
        error: TandemError | None = None
        """None when the change was saved."""

    def __init__(self, path: Path | str, *, secret: str | None = None) -> None:
        """The screen for the journal at `path`.

        With `secret` (a passphrase from the environment), unlocking starts at
        once; if it fails, the screen says why and the person can type one.
        """
        super().__init__()
        self.path = Path(path).expanduser()
        self._secret = secret
        self._busy = False

    def compose(self) -> ComposeResult:
        """The file, the passphrase field, its messages and the buttons."""
        yield Header()
        with Vertical(id="unlock"):
            yield Label("Unlock a journal", classes="title")
            yield Static(self.path.name, id="file", markup=False)
            yield Static(shown_path(self.path.parent), id="folder", markup=False)
            yield Label(
                "Passphrase (or your recovery code, or an invite code)",
                id="field-label",
                markup=False,
            )
            yield Input(password=True, id="passphrase", placeholder="Your passphrase")
            yield Static("", id="error", markup=False)
            yield BusyLine(id="busy")
            with Vertical(id="problem"):
                yield Static("", id="problem-title", markup=False)
                yield Static("", id="problem-text", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(
                    "Unlock", variant="primary", id="unlock-button", action="screen.unlock"
                )
                yield KeyButton(_OTHER_FILE, id="other")
                yield KeyButton(_BACK, id="back")
        yield Footer()

    def on_mount(self) -> None:
        """Start unlocking at once when a passphrase was given."""
        if self._secret:
            secret, self._secret = self._secret, None
            self.start_unlock(secret)
        elif agent_may_answer():
            self.unlock_file(self.path, "")  # a key the agent holds opens it at once

    # --- state ----------------------------------------------------------------------------

    @property
    def passphrase_input(self) -> Input:
        """The passphrase field."""
        return self.query_one("#passphrase", Input)

    @property
    def busy(self) -> bool:
        """True while a worker is unlocking the journal or saving a new passphrase."""
        return self._busy

    def _set_busy(self, text: str | None) -> None:
        """Show `text` with a progress indicator, or (None) go back to idle."""
        self._busy = text is not None
        self.query_one(BusyLine).show(text)
        for widget in (self.passphrase_input, self.query_one("#unlock-button", Button)):
            widget.disabled = self._busy
        self.query_one("#other", Button).disabled = self._busy

    def _show_error(self, message: str) -> None:
        self.query_one("#error", Static).update(message)

    def _show_problem(self, problem: tuple[str, str] | None) -> None:
        title, text = problem or ("", "")
        self.query_one("#problem").set_class(problem is not None, "-shown")
        self.query_one("#problem-title", Static).update(title)
        self.query_one("#problem-text", Static).update(text)

    def _set_path(self, path: Path) -> None:
        self.path = path
        self.query_one("#file", Static).update(path.name)
        self.query_one("#folder", Static).update(shown_path(path.parent))

    # --- unlocking ------------------------------------------------------------------------

    def start_unlock(self, secret: str) -> None:
        """Unlock the file with `secret` in a worker, showing that it is working."""
        self._show_error("")
        self._show_problem(None)
        self._set_busy("Unlocking… this takes a moment.")
        self.unlock_file(self.path, secret)

    @work(thread=True, exclusive=True, exit_on_error=False, group="unlock")
    def unlock_file(self, path: Path, secret: str) -> None:
        """Open the journal (key derivation: slow) and post the outcome back."""
        try:
            journal = unlock(path, secret)
        except TandemError as error:
            self.post_result(self.Failed(path, error))
            return
        self.post_result(self.Opened(path, journal))

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        if event.path != self.path or isinstance(event.error, NotHeld):
            return  # NotHeld: the agent holds no key for it; the person types the passphrase
        self._set_busy(None)
        if isinstance(event.error, WrongPassphrase):
            self._show_error(
                f"{_sentence(str(event.error))} Check the spelling and Caps Lock, then try again."
            )
            self.passphrase_input.focus()
            return
        self._show_problem(describe_problem(event.error, self.path))
        self.query_one("#other", Button).focus()

    @on(Opened)
    def _opened(self, event: Opened) -> None:
        if event.path != self.path:
            return
        self._set_busy(None)
        journal = event.journal
        if journal.needs_own_passphrase:
            self._ask_for_passphrase(journal, invited=True)
        elif journal.opened_with == "recovery":
            self._ask_for_passphrase(journal, invited=False)
        else:
            self.dismiss(journal)

    # --- a passphrase of one's own --------------------------------------------------------

    def _ask_for_passphrase(self, journal: Journal, *, invited: bool) -> None:
        info = journal.info
        avoid = (info.title, info.child_name, journal.me.name)
        if invited:
            dialog = SetPassphraseDialog(
                title=f"Welcome, {one_line(journal.me.name)}: choose your passphrase",
                explanation=(
                    "You opened this journal with an invite code, which works only once. "
                    "Choose your own passphrase: from now on it is what unlocks the journal. "
                    "Nobody else needs to know it."
                ),
                avoid=avoid,
                confirm_label="Set my passphrase",
            )
        else:
            dialog = SetPassphraseDialog(
                title="Choose a new passphrase",
                explanation=(
                    "You opened the journal with its recovery code. Choose a new passphrase "
                    "for everyday use; your old one stops working, and the recovery code "
                    "keeps working."
                ),
                avoid=avoid,
                confirm_label="Set new passphrase",
                cancel_label="Keep the old one",
            )

        def chosen(new: str | None) -> None:
            if new:
                self._set_busy("Saving your new passphrase…")
                self.change_passphrase(journal, new)
            elif invited:
                self._show_error(
                    "To use the journal you need a passphrase of your own. "
                    "Type the invite code again when you are ready."
                )
                self.passphrase_input.focus()
            else:
                self.dismiss(journal)

        self.app.push_screen(dialog, callback=chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="passphrase")
    def change_passphrase(self, journal: Journal, new: str) -> None:
        """Save `new` as the journal's passphrase for this member (slow) and report back."""
        try:
            journal.change_passphrase(new)
        except TandemError as error:
            self.post_message(self.PassphraseChanged(journal, error))
            return
        self.post_message(self.PassphraseChanged(journal))

    @on(PassphraseChanged)
    def _passphrase_changed(self, event: PassphraseChanged) -> None:
        self._set_busy(None)
        journal = event.journal
        if event.error is not None:
            self.notify(
                _sentence(str(event.error)),
                title="The new passphrase was not saved",
                severity="error",
                markup=False,
            )
            self._ask_for_passphrase(journal, invited=journal.needs_own_passphrase)
            return
        self.notify(
            "From now on, unlock the journal with your new passphrase.",
            title="Passphrase saved",
            markup=False,
        )
        self.dismiss(journal)

    def worker_failed(self, group: str, error: BaseException) -> None:
        """Say what went wrong on the screen, with the offer to choose another file."""
        self._set_busy(None)
        self._show_problem(("Something went wrong", _sentence(str(error))))

    # --- what the person does -------------------------------------------------------------

    @on(Input.Submitted, "#passphrase")
    def _submitted(self) -> None:
        self.action_unlock()

    def action_unlock(self) -> None:
        """Unlock with what is in the passphrase field."""
        if self._busy:
            return
        secret = self.passphrase_input.value
        if not secret:
            self._show_error("Type your passphrase first.")
            self.passphrase_input.focus()
            return
        self.start_unlock(secret)

    def action_choose_file(self) -> None:
        """Pick another journal file to unlock instead."""
        if self._busy:
            return

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            self._set_path(path)
            self._show_error("")
            self._show_problem(None)
            self.passphrase_input.focus()

        self.app.push_screen(FilePicker(self.path.parent), callback=chosen)

    def action_back(self) -> None:
        """Go back without opening a journal."""
        self.workers.cancel_group(self, "unlock")
        self.dismiss(None)
