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
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Footer, Input, Static, TextArea

from journal.dates import describe_when
from journal.model import ENTRY_KIND_LABELS, Session
from journal.text import one_line
from screens.form_dialog import form_keys
from screens.writing_dialog import WritingDialog

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


class SessionNoteDialog(WritingDialog[SessionNoteDraft]):
    """Write an observation or a session note about `session`."""

    DEFAULT_CSS = """
    SessionNoteDialog {
        & > #dialog { width: 84; }
        & #title { margin-bottom: 1; }
        & #body { height: 10; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = form_keys("session_note")

    AUTO_FOCUS = "#body"
    """The title is already there: start writing the body."""

    what = "this note"

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
            yield self.error_line("title")
            yield from self.compose_buttons()
        yield Footer()

    @property
    def changed(self) -> bool:
        """True when a body is written or the title is not the one offered."""
        typed = self.query_one("#body", TextArea).text.strip()
        return bool(typed) or self.query_one("#title", Input).value != self._title

    def read_draft(self) -> SessionNoteDraft | None:
        """The checked note; `None` after saying what is missing."""
        title = one_line(self.query_one("#title", Input).value)
        self.show_error("title", "" if title else "Give the note a title.")
        if not title:
            self.query_one("#title", Input).focus()
            return None
        return SessionNoteDraft(title, self.query_one("#body", TextArea).text.strip("\n"))

    def field_edited(self, control: Widget) -> None:
        """The title's error stays until the next save (it sits under the body)."""

    @on(Input.Submitted, "#title")
    def _title_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#body", TextArea).focus()
