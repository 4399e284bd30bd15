"""Dialogs for writing in a thread: a reply, a new topic, and "discard what you wrote?".

`ReplyDialog` returns the Markdown typed (or `None`), `TopicDialog` a title
and a first comment (or `None`). Both post with ctrl+s (or the button) and
ask before throwing away typed text on Escape. Text shown in them that came
from the journal (the title replied to) is plain `Content`, never markup.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, TextArea

from journal.text import one_line
from screens.form_dialog import FormDialog, form_keys
from widgets.button_row import ButtonRow

__all__ = ["DiscardDialog", "ReplyDialog", "TopicDialog"]

_DIALOG_CSS = """
    align: center middle;
    & > Vertical {
        width: 84;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        padding: 1 2;
        border: thick $primary 60%;
        background: $surface;
    }
    & .dialog-title { text-style: bold; width: 1fr; margin-bottom: 1; }
    & .dialog-hint { color: $text-muted; margin-top: 1; }
    & TextArea { height: 12; }
    & Input { margin-bottom: 1; }
"""

T = TypeVar("T")

_HINT = "Markdown works: **bold**, *italic*, - lists. ctrl+s posts, Escape cancels."


class DiscardDialog(ModalScreen[bool]):
    """Asks whether to throw away typed text; returns True to discard."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d,y", "discard", "Discard", id="discard.discard"),
        Binding("escape,n,k", "keep", "Keep writing", id="discard.keep"),
    ]

    DEFAULT_CSS = "DiscardDialog {" + _DIALOG_CSS + "    & > Vertical { width: 56; }\n}"

    AUTO_FOCUS = "#keep"
    """Keeping is the safe default."""

    def __init__(self, what: str = "your reply") -> None:
        """Ask about discarding `what` (e.g. 'your reply')."""
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        """The question and its two answers."""
        with Vertical():
            yield Label(Content(f"Discard {self.what}?"), classes="dialog-title")
            yield Label(Content("What you typed will be lost."))
            with ButtonRow():
                yield Button("Keep writing", id="keep", action="screen.keep")
                yield Button("Discard", variant="error", id="discard", action="screen.discard")

    def action_discard(self) -> None:
        """Throw the text away."""
        self.dismiss(True)

    def action_keep(self) -> None:
        """Go back to the text."""
        self.dismiss(False)


class _WritingDialog(FormDialog[T]):
    """What the reply and topic dialogs share: post with ctrl+s, ask before discarding."""

    BINDINGS: ClassVar[list[BindingType]] = form_keys("writing", "Post", save_id="post")

    what = "your reply"

    @property
    def changed(self) -> bool:
        """True when the person has typed anything worth asking about."""
        return bool(self.query_one(TextArea).text.strip())

    def discard_question(self) -> ModalScreen[bool]:
        """The thread's own question: 'Discard your reply?'."""
        return DiscardDialog(self.what)


class ReplyDialog(_WritingDialog[str]):
    """A Markdown reply to a thread; returns the text, or None when cancelled."""

    DEFAULT_CSS = "ReplyDialog {" + _DIALOG_CSS + "}"

    AUTO_FOCUS = "#reply-text"

    save_label = "Post reply"

    def __init__(self, about: str, text: str = "", *, heading: str = "Reply to") -> None:
        """A reply to the thread titled `about`, starting with `text`.

        `heading` says what the text is: 'Reply to', 'Comment on', 'Ask a question about'.
        """
        super().__init__()
        self.about = about
        self.initial_text = text
        self.heading = heading

    def compose(self) -> ComposeResult:
        """The title, the text box, a hint and the buttons."""
        with Vertical():
            yield Label(Content(f"{self.heading}: {one_line(self.about)}"), classes="dialog-title")
            yield TextArea(
                self.initial_text,
                language="markdown",
                soft_wrap=True,
                show_line_numbers=False,
                id="reply-text",
            )
            yield Label(Content(_HINT), classes="dialog-hint")
            yield from self.compose_buttons()

    def read_draft(self) -> str | None:
        """The reply, or None when it is empty."""
        text = self.query_one(TextArea).text
        if not text.strip():
            self.notify("Write something first.", severity="warning")
            return None
        return text


class TopicDialog(_WritingDialog[tuple[str, str]]):
    """A new discussion topic: returns (title, first comment), or None when cancelled."""

    DEFAULT_CSS = "TopicDialog {" + _DIALOG_CSS + "}"

    AUTO_FOCUS = "#topic-title"

    what = "this topic"
    save_label = "Start topic"

    def compose(self) -> ComposeResult:
        """The title field, the first comment, a hint and the buttons."""
        with Vertical():
            yield Label(Content("New topic"), classes="dialog-title")
            yield Input(placeholder="Title, e.g. Holiday schedule", id="topic-title")
            yield TextArea(
                language="markdown", soft_wrap=True, show_line_numbers=False, id="topic-text"
            )
            yield Label(Content(_HINT), classes="dialog-hint")
            yield from self.compose_buttons()

    @property
    def changed(self) -> bool:
        """True when a title or a comment was typed."""
        return super().changed or bool(self.query_one("#topic-title", Input).value.strip())

    @on(Input.Submitted, "#topic-title")
    def _title_done(self) -> None:
        self.query_one(TextArea).focus()

    def read_draft(self) -> tuple[str, str] | None:
        """(title, first comment), or None when either is missing."""
        title = self.query_one("#topic-title", Input).value.strip()
        text = self.query_one(TextArea).text
        if not title:
            self.notify("Give the topic a title.", severity="warning")
            self.query_one("#topic-title", Input).focus()
            return None
        if not text.strip():
            self.notify("Write the first comment.", severity="warning")
            self.query_one(TextArea).focus()
            return None
        return title, text
