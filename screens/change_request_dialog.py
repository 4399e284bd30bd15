"""Ask the others to change a session: what you would like, and perhaps a new date and time.

`ChangeRequestDialog(session)` dismisses with a `ChangeRequestDraft` (the
arguments of `Journal.request_change`), or `None` when the person leaves.
With no new time, the request asks to cancel the session: the dialog says so,
as accepting such a request cancels it. Text from the journal is shown as
plain `Content`, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Footer, Input, Static

from journal.dates import describe_when, parse_starts_at
from journal.model import Session
from journal.text import one_line
from screens.form_dialog import form_keys
from screens.writing_dialog import WritingDialog

__all__ = ["ChangeRequestDialog", "ChangeRequestDraft"]


@dataclass(frozen=True)
class ChangeRequestDraft:
    """A checked change request: what to ask, and the proposed time ('' asks to cancel)."""

    text: str
    proposed_starts_at: str = ""


class ChangeRequestDialog(WritingDialog[ChangeRequestDraft]):
    """Ask to move (with a new date and time) or cancel (without) one session."""

    DEFAULT_CSS = """
    ChangeRequestDialog {
        & #date { width: 18; }
        & #time { width: 12; }
        & #meaning { color: $text-warning; margin-top: 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = form_keys("change_request", "Send", save_id="send")

    AUTO_FOCUS = "#text"

    what = "this request"
    save_label = "Send (ctrl+s)"
    last_input = "time"

    def __init__(self, session: Session) -> None:
        """A request about `session`."""
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        """What to ask, the optional new date and time, and the buttons."""
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content("Ask for a change")
            where = f" · {one_line(self.session.location)}" if self.session.location else ""
            yield Static(
                Content(
                    f"The session of {describe_when(self.session.starts_at)}{where}. "
                    "The others see your request on their home screen until one of them "
                    "answers it."
                ),
                id="intro",
            )
            yield from self.labelled_row(
                "Your request",
                Input(placeholder="e.g. Can we move Thursday to Friday?", id="text"),
                "text",
            )
            yield from self.labelled_row(
                "New date",
                Input(
                    placeholder="YYYY-MM-DD (optional)",
                    restrict=r"[0-9-]*",
                    max_length=10,
                    id="date",
                ),
            )
            yield from self.labelled_row(
                "New time",
                Input(placeholder="HH:MM", restrict=r"[0-9:]*", max_length=5, id="time"),
                "when",
            )
            yield Static(Content(self._meaning("", "")), id="meaning")
            yield from self.compose_buttons()
        yield Footer()

    @staticmethod
    def _meaning(day: str, clock: str) -> str:
        """What accepting the request would do, for what the date and time fields hold."""
        if not day and not clock:
            return "No new date and time: if accepted, the session is cancelled."
        try:
            proposed = parse_starts_at(day, clock)
        except ValueError:
            return "Give both a date and a time to propose a new time."
        return f"If accepted, the session moves to {describe_when(proposed)}."

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    @property
    def changed(self) -> bool:
        """True when something is typed (a request starts empty)."""
        return any(self._value(name) for name in ("text", "date", "time"))

    def read_draft(self) -> ChangeRequestDraft | None:
        """The checked request; `None` after showing what is wrong."""
        text = one_line(self._value("text"))
        day, clock = self._value("date"), self._value("time")
        proposed = ""
        when_error = ""
        if day or clock:
            try:
                proposed = parse_starts_at(day, clock)
            except ValueError as error:
                when_error = str(error)
            else:
                if proposed == self.session.starts_at:
                    when_error = "That is when the session is now."
        self.show_error("text", "" if text else "Say what you would like to change.")
        self.show_error("when", when_error)
        if not text:
            self.query_one("#text", Input).focus()
            return None
        if when_error:
            self.query_one("#date" if "Date" in when_error else "#time", Input).focus()
            return None
        return ChangeRequestDraft(text, proposed)

    def field_edited(self, control: Widget) -> None:
        """The date and time share one error line, and they change what accepting means."""
        name = control.id or ""
        self.show_error("when" if name in ("date", "time") else "text", "")
        if name in ("date", "time"):
            meaning = self._meaning(self._value("date"), self._value("time"))
            self.query_one("#meaning", Static).update(Content(meaning))
