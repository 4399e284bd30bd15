"""A yes-or-no question in a small dialog: delete this? discard that? finalize?

The dialog dismisses with `True` for the first answer and `False` for the
second (also on Escape). Every text in it is shown exactly as given: a title
quoted in the question is never read as markup, and control characters are
made visible.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from journal.text import safe_text
from widgets.button_row import ButtonRow

__all__ = ["ConfirmDialog"]


class ConfirmDialog(ModalScreen[bool]):
    """Ask `question`; dismiss with `True` for `yes` and `False` for `no` or Escape.

    `detail` is a calmer line or two under the question. With `destructive`,
    the yes button is drawn as a warning and the no button has the focus, so
    Enter alone never destroys anything.
    """

    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
        background: $background 60%;
    }
    ConfirmDialog > #dialog {
        width: 70;
        max-width: 90%;
        height: auto;
        max-height: 90%;
        padding: 1 2;
        background: $surface;
        border: thick $primary 50%;
    }
    ConfirmDialog.-destructive > #dialog { border: thick $error 50%; }
    ConfirmDialog #question { text-style: bold; }
    ConfirmDialog #detail { margin-top: 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer(False)", "Cancel", id="confirm.cancel"),
        Binding("y", "answer(True)", "Yes", show=False, id="confirm.yes"),
        Binding("n", "answer(False)", "No", show=False, id="confirm.no"),
        Binding("left", "app.focus_previous", "Previous button", show=False, id="confirm.left"),
        Binding("right", "app.focus_next", "Next button", show=False, id="confirm.right"),
    ]

    def __init__(
        self,
        question: str,
        *,
        detail: str = "",
        yes: str = "Yes",
        no: str = "Cancel",
        destructive: bool = False,
    ) -> None:
        """A dialog asking `question`, answered with the buttons `yes` and `no`."""
        super().__init__(classes="-destructive" if destructive else None)
        self.question = question
        self.detail = detail
        self.yes = yes
        self.no = no
        self.destructive = destructive

    def compose(self) -> ComposeResult:
        """The question, the detail and the two buttons."""
        with Vertical(id="dialog"):
            yield Static(Content(safe_text(self.question)), id="question")
            if self.detail:
                yield Static(Content(safe_text(self.detail)), id="detail")
            with ButtonRow(id="buttons"):
                yield Button(
                    Content(safe_text(self.yes)),
                    variant="error" if self.destructive else "primary",
                    id="yes",
                    action="screen.answer(True)",
                )
                yield Button(Content(safe_text(self.no)), id="no", action="screen.answer(False)")
        yield Footer()

    def on_mount(self) -> None:
        """Focus the safe answer for a destructive question, else the yes button."""
        self.query_one("#no" if self.destructive else "#yes", Button).focus()

    def action_answer(self, answer: bool) -> None:
        """Close the dialog with `answer`."""
        self.dismiss(answer)
