"""A short note from a session: a parent's observation or the therapist's session note.

A stopgap until `EntryFormScreen` can preset a session (see the sessions
screen): the sessions screen asks here for a title and a Markdown body, and
writes the entry with `add_entry(kind, title, body, session_id=...)` dated
at the session's start. The full form (fields, tags, goals) stays a key away
in the journal, where the note can be edited.

`SessionNoteDialog` dismisses with a `SessionNoteDraft`, or `None`. Text
from the journal is shown as plain `Content`, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static, TextArea

from journal.model import ENTRY_KIND_LABELS, Session
from journal.text import one_line
from screens.confirm_dialog import ConfirmDialog
from screens.session_dialog import describe_when

__all__ = ["SESSION_NOTE_KINDS", "SessionNoteDialog", "SessionNoteDraft", "default_title"]

SESSION_NOTE_KINDS = ("observation", "session")
"""The entry kinds written from a session."""

_HINTS = {
    "observation": "What you saw during the session: what went well, what you'd like to ask.",
    "session": "Targets worked, reinforcers, parent training, home assignment, next plan. "
    "A draft until finalized in the journal.",
}


def default_title(kind: str, session: Session) -> str:
    """The title a note from `session` starts with, e.g. 'Observation, Thu 2026-01-08'."""
    return f"{ENTRY_KIND_LABELS[kind]}, {describe_when(session.starts_at)[:14]}"


@dataclass(frozen=True)
class SessionNoteDraft:
    """A checked note: its title and Markdown body."""

    title: str
    body: str = ""


class SessionNoteDialog(ModalScreen[SessionNoteDraft | None]):
    """Write an observation or a session note about `session`."""

    DEFAULT_CSS = """
    SessionNoteDialog {
        align: center middle;
        background: $background 60%;
        & > #dialog {
            width: 84;
            max-width: 95%;
            height: auto;
            max-height: 95%;
            padding: 1 2;
            background: $surface;
            border: thick $primary 50%;
            border-title-style: bold;
            border-title-color: $text;
        }
        & #intro { color: $text-muted; margin-bottom: 1; }
        & #title { margin-bottom: 1; }
        & #body { height: 10; }
        & #error { color: $text-error; display: none; }
        & #error.-shown { display: block; }
        & #buttons { height: auto; margin-top: 1; align-horizontal: right; }
        & #buttons > Button { margin-left: 2; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="session_note.save"),
        Binding("escape", "cancel", "Cancel", id="session_note.cancel"),
    ]

    def __init__(self, kind: str, session: Session) -> None:
        """A note of `kind` (observation or session) about `session`."""
        super().__init__()
        if kind not in SESSION_NOTE_KINDS:
            raise ValueError(f"not a session note kind: {kind!r}")
        self.kind = kind
        self.session = session
        self._title = default_title(kind, session)

    def compose(self) -> ComposeResult:
        """The title, the body, a hint and the buttons."""
        session = self.session
        label = ENTRY_KIND_LABELS[self.kind]
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(f"New {label.lower()}")
            where = f" · {one_line(session.location)}" if session.location else ""
            yield Static(
                Content(
                    f"About the session of {describe_when(session.starts_at)}{where}. "
                    f"{_HINTS[self.kind]}"
                ),
                id="intro",
            )
            yield Input(self._title, placeholder="Title", id="title")
            yield TextArea(
                "",
                language="markdown",
                soft_wrap=True,
                show_line_numbers=False,
                placeholder="In your own words. *Markdown* works.",
                id="body",
            )
            yield Static("", id="error")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save (ctrl+s)", variant="primary", id="save")
        yield Footer()

    def on_mount(self) -> None:
        """Start writing the body; the title is already there."""
        self.query_one("#body", TextArea).focus()

    def read_draft(self) -> SessionNoteDraft | None:
        """The checked note; `None` after saying what is missing."""
        title = one_line(self.query_one("#title", Input).value)
        error = self.query_one("#error", Static)
        if not title:
            error.update(Content("Give the note a title."))
            error.add_class("-shown")
            self.query_one("#title", Input).focus()
            return None
        error.remove_class("-shown")
        return SessionNoteDraft(title, self.query_one("#body", TextArea).text.strip("\n"))

    def action_save(self) -> None:
        """Return the note, if it has a title."""
        draft = self.read_draft()
        if draft is not None:
            self.dismiss(draft)

    def action_cancel(self) -> None:
        """Leave; if something was written, ask first."""
        typed = self.query_one("#body", TextArea).text.strip()
        if not typed and self.query_one("#title", Input).value == self._title:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog("Discard this note?", yes="Discard", no="Keep writing", destructive=True),
            callback=answered,
        )

    @on(Input.Submitted, "#title")
    def _title_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#body", TextArea).focus()

    @on(Button.Pressed, "#save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()
