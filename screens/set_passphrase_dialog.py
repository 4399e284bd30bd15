"""Choosing a new passphrase: typed twice, with a live strength hint.

`SetPassphraseDialog` returns the new passphrase, or `None` when the person
cancels; the caller changes it (`journal.change_passphrase(new)` in a worker).
The hint comes from `journal.passphrase`: it says weak, fair or strong and
why, and only a weak passphrase shorter than 12 characters is refused. The
hint line is a `StrengthHint` (`widgets.strength_hint`), as on the create screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static

from journal.passphrase import mismatch, refusal
from widgets.button_row import ButtonRow
from widgets.strength_hint import StrengthHint

__all__ = ["SetPassphraseDialog"]


class SetPassphraseDialog(ModalScreen[str | None]):
    """Type a new passphrase twice; returns it, or None when cancelled."""

    DEFAULT_CSS = """
    SetPassphraseDialog {
        align: center middle;
    }
    SetPassphraseDialog #dialog {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        padding: 1 2;
        border: thick $primary 60%;
        background: $surface;
    }
    SetPassphraseDialog .title {
        text-style: bold;
    }
    SetPassphraseDialog #explanation {
        margin: 1 0;
    }
    SetPassphraseDialog Label {
        margin-top: 1;
    }
    SetPassphraseDialog #problem {
        color: $text-error;
        height: auto;
    }
    """

    AUTO_FOCUS = "#new"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="set_passphrase.cancel"),
    ]

    def __init__(
        self,
        *,
        title: str = "Choose a new passphrase",
        explanation: str = "",
        avoid: Iterable[str] = (),
        confirm_label: str = "Set passphrase",
        cancel_label: str = "Cancel",
    ) -> None:
        """A dialog headed `title`, with `explanation` below it.

        Words from `avoid` (the journal's title, the person's and the child's
        names) count as easy to guess in the hint.
        """
        super().__init__()
        self.heading = title
        self.explanation = explanation
        self.avoid = tuple(avoid)
        self.confirm_label = confirm_label
        self.cancel_label = cancel_label

    def compose(self) -> ComposeResult:
        """The heading, both fields with the hint, a problem line and the buttons."""
        with Vertical(id="dialog"):
            yield Label(self.heading, classes="title", markup=False)
            if self.explanation:
                yield Static(self.explanation, id="explanation", markup=False)
            yield Label("New passphrase", markup=False)
            yield Input(password=True, id="new", placeholder="Your new passphrase")
            yield StrengthHint(avoid=self.avoid, id="strength")
            yield Label("Type it again", markup=False)
            yield Input(password=True, id="again", placeholder="The same passphrase")
            yield Static("", id="problem", markup=False)
            with ButtonRow():
                yield Button(self.cancel_label, id="cancel", action="screen.cancel")
                yield Button(
                    self.confirm_label, variant="primary", id="confirm", action="screen.confirm"
                )
        yield Footer()

    @property
    def first(self) -> str:
        """The passphrase in the first field."""
        return self.query_one("#new", Input).value

    @property
    def second(self) -> str:
        """The passphrase in the second field."""
        return self.query_one("#again", Input).value

    def _say(self, problem: str | None) -> None:
        self.query_one("#problem", Static).update(problem or "")

    @on(Input.Changed, "#new")
    @on(Input.Changed, "#again")
    def _changed(self) -> None:
        self.query_one(StrengthHint).show(self.first)
        self._say(mismatch(self.first, self.second))

    @on(Input.Submitted, "#new")
    def _first_submitted(self) -> None:
        self.query_one("#again", Input).focus()

    @on(Input.Submitted, "#again")
    def _second_submitted(self) -> None:
        self.action_confirm()

    def action_confirm(self) -> None:
        """Return the new passphrase, or say why it cannot be used yet."""
        problem = refusal(self.first, avoid=self.avoid)
        if problem:
            self._say(problem)
            self.query_one("#new", Input).focus()
            return
        problem = mismatch(self.first, self.second, final=True)
        if problem:
            self._say(problem)
            self.query_one("#again", Input).focus()
            return
        self.dismiss(self.first)

    def action_cancel(self) -> None:
        """Close without a new passphrase."""
        self.dismiss(None)
