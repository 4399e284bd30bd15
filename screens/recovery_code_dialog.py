"""The recovery code of a new journal, shown once, large, with a check it was written down.

`RecoveryCodeDialog` shows the code in large, spaced groups with what it is
for, then asks the person to type its last group back. It returns True once
they have; there is no other way out, because the code is never shown again.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from widgets.button_row import ButtonRow
from widgets.code_groups import CodeGroups, code_groups

__all__ = ["RecoveryCodeDialog", "same_group"]

EXPLANATION = (
    "If you ever forget your passphrase, this code unlocks the journal. "
    "It is shown only this once: write it on paper now and keep it somewhere safe, "
    "away from this computer. Anyone who has both the code and a copy of the file "
    "can read the journal."
)


def _normalized(text: str) -> str:
    """A typed group as Tandem reads codes: upper case, O as 0, I and L as 1, no separators."""
    text = text.upper().translate(str.maketrans("OIL", "011"))
    return "".join(char for char in text if char not in " -")


def same_group(typed: str, group: str) -> bool:
    """True when `typed` is `group`, read the way Tandem reads codes."""
    return bool(typed.strip()) and _normalized(typed) == _normalized(group)


class RecoveryCodeDialog(ModalScreen[bool]):
    """Show a recovery code once; returns True when the person typed its last group back."""

    DEFAULT_CSS = """
    RecoveryCodeDialog {
        align: center middle;
    }
    RecoveryCodeDialog #dialog {
        width: 92;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        padding: 1 2;
        border: thick $warning 70%;
        background: $surface;
    }
    RecoveryCodeDialog .title {
        text-style: bold;
    }
    RecoveryCodeDialog #explanation {
        margin: 1 0;
    }
    RecoveryCodeDialog #check-label {
        margin-top: 1;
    }
    RecoveryCodeDialog #check {
        width: 24;
    }
    RecoveryCodeDialog #check-message {
        height: auto;
        color: $text-muted;
    }
    RecoveryCodeDialog #check-message.-wrong {
        color: $text-error;
    }
    RecoveryCodeDialog #check-message.-right {
        color: $text-success;
    }
    """

    AUTO_FOCUS = "#check"

    def __init__(self, code: str) -> None:
        """The dialog for the recovery `code` (groups joined by dashes)."""
        super().__init__()
        self.groups = code_groups(code)

    def compose(self) -> ComposeResult:
        """The heading, what the code is for, the code, and the check."""
        with Vertical(id="dialog"):
            yield Label("Your recovery code", classes="title")
            yield Static(EXPLANATION, id="explanation", markup=False)
            yield CodeGroups("-".join(self.groups), id="code")
            yield Label(
                "To check that you wrote it down, type the last group "
                f"({len(self.groups[-1]) if self.groups else 0} characters) here:",
                id="check-label",
                markup=False,
            )
            yield Input(id="check", placeholder="Last group", max_length=16)
            yield Static("", id="check-message", markup=False)
            with ButtonRow():
                yield Button(
                    "I wrote it down: continue", variant="primary", id="done", disabled=True
                )

    @property
    def confirmed(self) -> bool:
        """True when the check field holds the code's last group."""
        typed = self.query_one("#check", Input).value
        return bool(self.groups) and same_group(typed, self.groups[-1])

    @on(Input.Changed, "#check")
    def _check(self, event: Input.Changed) -> None:
        right = self.confirmed
        typed = _normalized(event.value)
        wrong = not right and len(typed) >= len(self.groups[-1] if self.groups else "")
        message = self.query_one("#check-message", Static)
        if right:
            message.update("That matches. Keep the paper somewhere safe.")
        elif wrong:
            message.update("That is not the last group; look at the code again.")
        else:
            message.update("")
        message.set_class(right, "-right")
        message.set_class(wrong, "-wrong")
        self.query_one("#done", Button).disabled = not right

    @on(Input.Submitted, "#check")
    @on(Button.Pressed, "#done")
    def _done(self) -> None:
        if self.confirmed:
            self.dismiss(True)
