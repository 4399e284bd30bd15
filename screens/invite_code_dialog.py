"""A new member's invite code, shown once, with how to hand it over.

The code opens the journal file once, to let the invited person set their
own passphrase. Whoever has both the file and the code can read the
journal, so the code goes by phone or in person, never in the same email as
the file. Tandem never shows it again: closing the dialog without the button
("I have noted it") asks first.

`InviteCodeDialog` dismisses with `True` once the person says they noted it,
`False` when they close it anyway. The name is shown as plain `Content`.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, Static

from journal.text import one_line
from screens.confirm_dialog import ConfirmDialog
from widgets.button_row import ButtonRow
from widgets.code_groups import CodeGroups

__all__ = ["HAND_OVER", "InviteCodeDialog"]

HAND_OVER = (
    "Give it by phone or in person, never in the same email or message as the journal file: "
    "anyone who has both can read the journal."
)
"""How an invite code must travel."""


class InviteCodeDialog(ModalScreen[bool]):
    """Show the invite `code` for `name` once, with how to hand it over."""

    DEFAULT_CSS = """
    InviteCodeDialog {
        align: center middle;
        background: $background 60%;
        & > #dialog {
            width: 88;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            padding: 1 2;
            background: $surface;
            border: thick $warning 70%;
        }
        & #title { text-style: bold; }
        & #hand-over { margin-top: 1; text-style: bold; color: $text-warning; }
        & #code { margin: 1 0; }
        & #next { color: $text-muted; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="invite_code.close"),
    ]

    AUTO_FOCUS = "#noted"

    def __init__(self, name: str, role: str, code: str, file_name: str = "") -> None:
        """The dialog for `name`'s (`role`) invite `code` to the journal `file_name`."""
        super().__init__()
        self.member_name = name
        self.role = role
        self.code = code
        """The code, exactly as Tandem made it."""
        self.file_name = file_name

    def compose(self) -> ComposeResult:
        """Who it is for, the code in large groups, how to hand it over, and what comes next."""
        who = one_line(self.member_name)
        file_name = f" ({one_line(self.file_name)})" if self.file_name else ""
        with Vertical(id="dialog"):
            yield Label(
                Content(f"{who} ({one_line(self.role)}) is invited. Their one-time code:"),
                id="title",
            )
            yield CodeGroups(self.code, id="code")
            yield Static(Content(HAND_OVER), id="hand-over")
            yield Static(
                Content(
                    f"Send {who} a copy of the journal file{file_name} as usual. They open it "
                    "with this code and set their own passphrase; the code then stops working. "
                    "It is shown only this once: if it is lost, invite them again."
                ),
                id="next",
            )
            with ButtonRow(id="buttons"):
                yield Button(
                    "I have noted it", variant="primary", id="noted", action="screen.noted"
                )
        yield Footer()

    def action_noted(self) -> None:
        """The person noted the code: close."""
        self.dismiss(True)

    def action_close(self) -> None:
        """Close without the button: ask first, as the code is never shown again."""

        def answered(close: bool | None) -> None:
            if close:
                self.dismiss(False)

        self.app.push_screen(
            ConfirmDialog(
                "Close without noting the code?",
                detail="It cannot be shown again; you would need to invite them again.",
                yes="Close",
                no="Back to the code",
                destructive=True,
            ),
            callback=answered,
        )
