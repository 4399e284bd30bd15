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

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from journal.model import Session
from journal.text import one_line
from screens.confirm_dialog import ConfirmDialog
from screens.session_dialog import describe_when, parse_starts_at

__all__ = ["ChangeRequestDialog", "ChangeRequestDraft"]


@dataclass(frozen=True)
class ChangeRequestDraft:
    """A checked change request: what to ask, and the proposed time ('' asks to cancel)."""

    text: str
    proposed_starts_at: str = ""


class ChangeRequestDialog(ModalScreen[ChangeRequestDraft | None]):
    """Ask to move (with a new date and time) or cancel (without) one session."""

    DEFAULT_CSS = """
    ChangeRequestDialog {
        align: center middle;
        background: $background 60%;
        & > #dialog {
            width: 76;
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
        & .row { height: auto; }
        & .label { width: 16; padding: 1 1 0 0; color: $text-secondary; }
        & .control { width: 1fr; height: auto; }
        & #date { width: 18; }
        & #time { width: 12; }
        & #meaning { color: $text-warning; margin-top: 1; }
        & .error { color: $text-error; display: none; }
        & .error.-shown { display: block; }
        & #buttons { height: auto; margin-top: 1; align-horizontal: right; }
        & #buttons > Button { margin-left: 2; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Send", id="change_request.send"),
        Binding("escape", "cancel", "Cancel", id="change_request.cancel"),
    ]

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
            with Horizontal(classes="row"):
                yield Static(Content("Your request"), classes="label")
                with Vertical(classes="control"):
                    yield Input(placeholder="e.g. Can we move Thursday to Friday?", id="text")
                    yield Static("", id="error-text", classes="error")
            with Horizontal(classes="row"):
                yield Static(Content("New date"), classes="label")
                with Vertical(classes="control"):
                    yield Input(
                        placeholder="YYYY-MM-DD (optional)",
                        restrict=r"[0-9-]*",
                        max_length=10,
                        id="date",
                    )
            with Horizontal(classes="row"):
                yield Static(Content("New time"), classes="label")
                with Vertical(classes="control"):
                    yield Input(placeholder="HH:MM", restrict=r"[0-9:]*", max_length=5, id="time")
                    yield Static("", id="error-when", classes="error")
            yield Static(Content(self._meaning("", "")), id="meaning")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Send (ctrl+s)", variant="primary", id="send")
        yield Footer()

    def on_mount(self) -> None:
        """Start with the request."""
        self.query_one("#text", Input).focus()

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

    def _show_error(self, name: str, message: str) -> None:
        error = self.query_one(f"#error-{name}", Static)
        error.update(Content(message))
        error.set_class(bool(message), "-shown")

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
        self._show_error("text", "" if text else "Say what you would like to change.")
        self._show_error("when", when_error)
        if not text:
            self.query_one("#text", Input).focus()
            return None
        if when_error:
            self.query_one("#date" if "Date" in when_error else "#time", Input).focus()
            return None
        return ChangeRequestDraft(text, proposed)

    def action_send(self) -> None:
        """Return the request, if it is complete."""
        draft = self.read_draft()
        if draft is not None:
            self.dismiss(draft)

    def action_cancel(self) -> None:
        """Leave; if something was typed, ask first."""
        if not any(self._value(name) for name in ("text", "date", "time")):
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                "Discard this request?", yes="Discard", no="Keep writing", destructive=True
            ),
            callback=answered,
        )

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        self._show_error("when" if name in ("date", "time") else "text", "")
        if name in ("date", "time"):
            meaning = self._meaning(self._value("date"), self._value("time"))
            self.query_one("#meaning", Static).update(Content(meaning))

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        order = ["text", "date", "time"]
        name = event.input.id or ""
        if name in order[:-1]:
            self.query_one(f"#{order[order.index(name) + 1]}", Input).focus()
        else:
            self.action_send()

    @on(Button.Pressed, "#send")
    def _send_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_send()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()
