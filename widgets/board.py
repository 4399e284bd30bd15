"""The goal board's columns side by side, holding the keyboard focus.

The screen moves the cursor among the cards; the board shows it while it has
the focus (each `CardColumn` is `active`).
"""

from __future__ import annotations

from textual.containers import Horizontal

from widgets.card_column import CardColumn

__all__ = ["Board"]


class Board(Horizontal, can_focus=True):
    """The columns side by side. It holds the keyboard focus; the screen moves its cursor."""

    DEFAULT_CSS = """
    Board { height: 1fr; }
    """

    def _show_focus(self, focused: bool) -> None:
        for column in self.query(CardColumn):
            column.active = focused

    def on_focus(self) -> None:
        """Show the cursor."""
        self._show_focus(True)

    def on_blur(self) -> None:
        """Hide the cursor."""
        self._show_focus(False)
