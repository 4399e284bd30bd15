"""Answer another member's change request: accept or decline, with an optional answer.

`AnswerRequestDialog` shows who asked, what, about which session, and what
accepting does (the session moves to the proposed time, or is cancelled when
no time was proposed). It dismisses with a `RequestAnswer`, or `None` when
the person leaves without answering. Every text from the journal is plain
`Content`, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Footer, Input, Static

from journal.dates import describe_when
from journal.model import ChangeRequest, Session
from journal.text import one_line
from screens.form_dialog import FormDialog
from widgets.button_row import ButtonRow

__all__ = ["AnswerRequestDialog", "RequestAnswer", "accept_meaning", "can_accept"]


@dataclass(frozen=True)
class RequestAnswer:
    """The answer to a change request: accepted or not, and a few words (may be empty)."""

    accept: bool
    answer: str = ""


def can_accept(session: Session | None) -> bool:
    """True when a request about `session` can still be accepted (it is planned)."""
    return session is not None and session.status == "planned"


def accept_meaning(request: ChangeRequest, session: Session | None = None) -> str:
    """What accepting `request` does to its session, in a sentence."""
    if session is not None and not can_accept(session):
        return f"The session was already {session.status}: decline to close the request."
    if request.proposed_starts_at:
        return f"Accepting moves the session to {describe_when(request.proposed_starts_at)}."
    return "No new time was proposed: accepting cancels the session."


class AnswerRequestDialog(FormDialog[RequestAnswer]):
    """Accept or decline `request` (made by `asked_by`) about `session`.

    Escape ("Not now") leaves the request open without asking (the dialog
    remembers no values to ask about): nothing is lost but the few words of the
    answer.
    """

    DEFAULT_CSS = """
    AnswerRequestDialog {
        & > #dialog { border: thick $accent 60%; }
        & #asked { text-style: bold; }
        & #session { color: $text-muted; }
        & #meaning { margin: 1 0; color: $text-warning; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Not now", id="answer_request.close"),
        Binding("left", "app.focus_previous", "Previous", show=False, id="answer_request.left"),
        Binding("right", "app.focus_next", "Next", show=False, id="answer_request.right"),
    ]

    AUTO_FOCUS = "#answer"

    def __init__(self, request: ChangeRequest, session: Session | None, asked_by: str) -> None:
        """A dialog answering `request` about `session`, asked by the member `asked_by`."""
        super().__init__()
        self.request = request
        self.session = session
        self.asked_by = asked_by

    def compose(self) -> ComposeResult:
        """The request, what accepting does, the answer box and the buttons."""
        request, session = self.request, self.session
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content("A change request")
            yield Static(
                Content(f"{one_line(self.asked_by)} asks: “{one_line(request.text)}”"),
                id="asked",
            )
            if session is not None:
                where = f" · {one_line(session.location)}" if session.location else ""
                about = f"About the session of {describe_when(session.starts_at)}{where}."
            else:
                about = "About a session missing from this copy."
            yield Static(Content(about), id="session")
            yield Static(Content(accept_meaning(request, session)), id="meaning")
            yield Input(placeholder="Your answer (optional), e.g. Friday works!", id="answer")
            with ButtonRow(id="buttons"):
                yield Button("Not now", id="cancel", action="screen.cancel")
                yield Button(
                    "Decline", variant="warning", id="decline", action="screen.answer(False)"
                )
                yield Button(
                    "Accept",
                    variant="success",
                    id="accept",
                    disabled=not can_accept(session),
                    action="screen.answer(True)",
                )
        yield Footer()

    @property
    def answer_text(self) -> str:
        """The answer typed, on one line."""
        return one_line(self.query_one("#answer", Input).value)

    def action_answer(self, accept: bool) -> None:
        """Accept or decline, with the answer typed (accepting only a planned session)."""
        if accept and not can_accept(self.session):
            return
        self.dismiss(RequestAnswer(accept, self.answer_text))

    @on(Input.Submitted, "#answer")
    def _to_buttons(self, event: Input.Submitted) -> None:
        event.stop()
        accept = self.query_one("#accept", Button)
        (self.query_one("#decline", Button) if accept.disabled else accept).focus()
