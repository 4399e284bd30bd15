"""Creating a journal: a short form, then the recovery code, shown once.

`CreateScreen` returns the new, open `Journal`, or `None` when the person
goes back. Creating runs in a thread worker (two key derivations and a
save); the recovery code dialog follows, and only once the person confirms
they wrote the code down does the screen return the journal.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from journal.errors import TandemError
from journal.journal import Journal
from journal.model import ROLES
from journal.passphrase import mismatch, refusal
from journal.recent import remember
from journal.text import one_line
from screens.recovery_code_dialog import RecoveryCodeDialog
from widgets.busy_line import BusyLine
from widgets.file_picker import tilde
from widgets.key_button import KeyButton
from widgets.strength_hint import StrengthHint
from widgets.workers import WorkerHost

__all__ = ["CreateScreen", "default_folder", "journal_file_name"]

SUFFIX = ".tandem"
MAX_NAME = 80
"""The longest file name offered (before the suffix)."""

CREATING = "Creating the journal… this takes a moment."
"""What the busy line says while the worker creates the journal."""

ROLE_LABELS = {"parent": "Parent", "therapist": "Therapist", "other": "Other"}

_NOT_IN_NAMES = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|\u202a-\u202e\u2066-\u2069]+')
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}


def journal_file_name(title: str) -> str:
    """A file name for a journal titled `title`: `<title>.tandem`, safe on every system.

    Characters that are not allowed in file names (slashes, colons, quotes,
    controls...) become dashes; leading and trailing dots and spaces go; the
    name is cut to `MAX_NAME` characters; an empty result is `journal.tandem`.
    """
    name = " ".join(unicodedata.normalize("NFC", title).split())
    name = _NOT_IN_NAMES.sub("-", name)
    name = re.sub(r"-{2,}", "-", name).strip(" .-")
    name = name[:MAX_NAME].rstrip(" .-")
    if not name or name.lower() in _RESERVED:
        name = f"{name}-journal" if name else "journal"
    return name + SUFFIX


def default_folder() -> Path:
    """Where a new journal goes by default: ~/Documents if there is one, else home."""
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


_BACK = Binding("escape", "back", "Back", id="create.back")


class CreateScreen(WorkerHost, Screen[Journal | None]):
    """A form for a new journal; returns the created journal, or None."""

    DEFAULT_CSS = """
    CreateScreen #form {
        align-horizontal: center;
    }
    CreateScreen #fields {
        width: 96;
        max-width: 100%;
        height: auto;
        padding: 1 2;
    }
    CreateScreen .title {
        text-style: bold;
        color: $primary;
    }
    CreateScreen .field {
        height: auto;
    }
    CreateScreen .field > Label {
        width: 22;
        padding: 1 1 0 0;
        text-align: right;
    }
    CreateScreen .field > Vertical {
        width: 1fr;
        height: auto;
    }
    CreateScreen .help {
        color: $text-muted;
        padding: 0 1;
    }
    CreateScreen .error {
        color: $text-error;
        padding: 0 1;
        display: none;
    }
    CreateScreen .error.-shown {
        display: block;
    }
    CreateScreen StrengthHint {
        padding: 0 1;
    }
    CreateScreen .buttons {
        height: auto;
        margin: 1 0 0 22;
    }
    CreateScreen .buttons Button {
        margin-right: 2;
    }
    CreateScreen #busy {
        margin: 1 0 0 22;
    }
    """

    SUB_TITLE = "Create a journal"

    AUTO_FOCUS = "#title"

    BINDINGS: ClassVar[list[BindingType]] = [
        _BACK,
        Binding("ctrl+s", "create", "Create", id="create.submit"),
    ]

    @dataclass
    class Created(Message):
        """The worker created and saved the journal: the new journal and its recovery code."""

        journal: Journal
        recovery_code: str
        """Shown once, by the recovery code dialog."""

    @dataclass
    class Failed(Message):
        """The worker could not create the journal: why, under the field with id `field`."""

        field: str | None
        """None: the message goes under the buttons."""
        message: str

    def __init__(self, folder: Path | None = None) -> None:
        """The form; the journal goes into `folder` by default (see `default_folder`)."""
        super().__init__()
        self.folder = folder or default_folder()
        self._suggested_name = journal_file_name("")
        self._busy = False

    def compose(self) -> ComposeResult:
        """The form's fields with their help and error lines, the buttons and the footer."""
        yield Header()
        with VerticalScroll(id="form"), Vertical(id="fields"):
            yield Label("Create a journal", classes="title")
            yield from self._field(
                "Title",
                Input(placeholder="For example: Sam's journal", id="title"),
                help="Shown to everyone who opens the journal. It is kept inside the "
                "encrypted file.",
            )
            yield from self._field(
                "Child's name",
                Input(placeholder="Optional", id="child"),
                help="Optional. It stays inside the encrypted file: no one can read it "
                "without a passphrase.",
            )
            yield from self._field("Your name", Input(placeholder="For example: Ana", id="name"))
            yield from self._field(
                "You are",
                Select(
                    [(ROLE_LABELS.get(role, role.title()), role) for role in ROLES],
                    value="parent",
                    allow_blank=False,
                    id="role",
                ),
            )
            yield from self._field(
                "Folder",
                Input(value=tilde(self.folder), id="folder"),
                help="Where the journal file is saved. A shared drive folder works too.",
            )
            yield from self._field(
                "File name",
                Input(value=self._suggested_name, id="file"),
                help="The file name is the one thing others can see without the "
                "passphrase; choose it accordingly.",
            )
            yield from self._field(
                "Passphrase",
                Input(password=True, placeholder="Four or more unrelated words", id="passphrase"),
                hint=StrengthHint(id="strength"),
            )
            yield from self._field(
                "Passphrase again",
                Input(password=True, placeholder="The same passphrase", id="confirm"),
            )
            with Horizontal(classes="buttons"):
                yield Button(
                    "Create the journal", variant="primary", id="create", action="screen.create"
                )
                yield KeyButton(_BACK, id="back")
            yield BusyLine(id="busy")
            yield Static("", id="create-error", classes="error", markup=False)
        yield Footer()

    def _field(
        self,
        label: str,
        widget: Input | Select[str],
        *,
        help: str = "",
        hint: StrengthHint | None = None,
    ) -> ComposeResult:
        """One row of the form: a label, the field, its hint or help, and its error line."""
        with Horizontal(classes="field"):
            yield Label(label, markup=False)
            with Vertical():
                yield widget
                if hint is not None:
                    yield hint
                if help:
                    yield Static(help, classes="help", markup=False)
                yield Static("", id=f"{widget.id}-error", classes="error", markup=False)

    # --- reading the form -----------------------------------------------------------------

    def value(self, field: str) -> str:
        """The text in the input with id `field`."""
        return self.query_one(f"#{field}", Input).value

    @property
    def role(self) -> str:
        """The role chosen."""
        value = self.query_one("#role", Select).value
        return value if isinstance(value, str) else "parent"

    def _avoid(self) -> tuple[str, str, str]:
        return (self.value("title"), self.value("child"), self.value("name"))

    def _show_error(self, field: str | None, message: str) -> None:
        error = self.query_one(f"#{field or 'create'}-error", Static)
        if str(error.content) != message:
            error.update(message)
        error.set_class(bool(message), "-shown")

    def _clear_errors(self) -> None:
        for error in self.query(".error").results(Static):
            error.update("")
            error.remove_class("-shown")

    def _problems(self) -> dict[str, str]:
        """What stops the journal being created, by field id (in the form's order)."""
        problems: dict[str, str] = {}
        if not self.value("title").strip():
            problems["title"] = "Give the journal a title."
        if not self.value("name").strip():
            problems["name"] = "Type your name, as the others will see it."
        if not self.value("folder").strip():
            problems["folder"] = "Type the folder to save the journal in."
        file_name = self.value("file").strip()
        if not file_name or file_name in (".", "..") or file_name == SUFFIX:
            problems["file"] = "Type a name for the journal file."
        elif "/" in file_name or "\\" in file_name or os.sep in file_name:
            problems["file"] = "A file name cannot contain / or \\."
        passphrase = self.value("passphrase")
        refused = refusal(passphrase, avoid=self._avoid())
        if refused:
            problems["passphrase"] = refused
        else:
            different = mismatch(passphrase, self.value("confirm"), final=True)
            if different:
                problems["confirm"] = different
        return problems

    def target(self) -> Path:
        """The journal file the form describes: folder and file name, with `.tandem` added."""
        name = self.value("file").strip()
        if not name.lower().endswith(SUFFIX):
            name += SUFFIX
        return Path(os.path.expanduser(self.value("folder").strip())) / name

    # --- live feedback --------------------------------------------------------------------

    @on(Input.Changed, "#title")
    def _title_changed(self, event: Input.Changed) -> None:
        file_input = self.query_one("#file", Input)
        if file_input.value == self._suggested_name:
            self._suggested_name = journal_file_name(event.value)
            file_input.value = self._suggested_name
        self._refresh_strength()

    @on(Input.Changed, "#child")
    @on(Input.Changed, "#name")
    @on(Input.Changed, "#passphrase")
    def _refresh_strength(self) -> None:
        hint = self.query_one(StrengthHint)
        hint.avoid = self._avoid()
        hint.show(self.value("passphrase"))
        if self.value("confirm"):
            self._refresh_mismatch()

    @on(Input.Changed, "#confirm")
    def _refresh_mismatch(self) -> None:
        different = mismatch(self.value("passphrase"), self.value("confirm"))
        self._show_error("confirm", different or "")

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        if event.input.id == "confirm":
            self.action_create()
        else:
            self.focus_next()

    # --- creating -------------------------------------------------------------------------

    def action_create(self) -> None:
        """Check the form and create the journal in a worker, or show what is missing."""
        if self._busy:
            return
        self._clear_errors()
        problems = self._problems()
        if problems:
            for field, message in problems.items():
                self._show_error(field, message)
            self.query_one(f"#{next(iter(problems))}").focus()
            return
        self._set_busy(True)
        self.create_journal(
            self.target(),
            title=self.value("title").strip(),
            child_name=self.value("child").strip(),
            name=self.value("name").strip(),
            role=self.role,
            passphrase=self.value("passphrase"),
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.query_one(BusyLine).show(CREATING if busy else None)
        for button in self.query(".buttons Button").results(Button):
            button.disabled = busy

    @work(thread=True, exclusive=True, exit_on_error=False, group="create")
    def create_journal(
        self, path: Path, *, title: str, child_name: str, name: str, role: str, passphrase: str
    ) -> None:
        """Create and save the journal at `path` (slow), and post the outcome back."""
        try:
            if not path.parent.is_dir():
                self.post_message(
                    self.Failed("folder", one_line(f"There is no folder {path.parent}."))
                )
                return
            if path.exists():
                self.post_message(
                    self.Failed(
                        "file", "A file with this name is already there; choose another name."
                    )
                )
                return
            journal, code = Journal.create(
                path,
                title=title,
                name=name,
                role=role,
                passphrase=passphrase,
                child_name=child_name,
            )
        except (TandemError, OSError) as error:
            message = one_line(str(error))
            self.post_message(self.Failed(None, message[:1].upper() + message[1:]))
            return
        remember(journal.path)
        self.post_message(self.Created(journal, code))

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self._set_busy(False)
        self._show_error(event.field, event.message)
        if event.field:
            self.query_one(f"#{event.field}").focus()

    @on(Created)
    def _created(self, event: Created) -> None:
        self._set_busy(False)

        def written_down(_confirmed: bool | None) -> None:
            self.dismiss(event.journal)

        self.app.push_screen(RecoveryCodeDialog(event.recovery_code), callback=written_down)

    def worker_failed(self, group: str, error: BaseException) -> None:
        """Say why under the form (nothing pops up); the form can be sent again."""
        self._set_busy(False)
        self._show_error(None, one_line(str(error)))

    def action_back(self) -> None:
        """Go back without creating a journal."""
        if not self._busy:
            self.dismiss(None)
