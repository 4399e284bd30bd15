"""The goal board's columns side by side: the keyboard focus, and where a dragged card lands.

The screen moves the cursor among the cards; the board shows it while it has
the focus (each `CardColumn` is `active`). While a card is dragged the board
marks the column or lane under the pointer; when the card is dropped on a
status it posts `Board.CardDropped`, and the screen moves the goal.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.containers import Horizontal
from textual.errors import NoWidget
from textual.geometry import Offset
from textual.message import Message

from widgets.board_column import BoardColumn
from widgets.card_column import CardColumn

__all__ = ["Board"]


class Board(Horizontal, can_focus=True):
    """The columns side by side. It holds the keyboard focus; the screen moves its cursor."""

    DEFAULT_CSS = """
    Board { height: 1fr; }
    """

    @dataclass
    class CardDropped(Message):
        """A card was dragged onto the lane or column of `status`."""

        goal_id: str
        status: str

    def __init__(self, *, id: str | None = None) -> None:
        """A board with no drop target marked."""
        super().__init__(id=id)
        self._drop_target: tuple[BoardColumn, str | None] | None = None

    def _show_focus(self, focused: bool) -> None:
        for column in self.query(CardColumn):
            column.active = focused

    def on_focus(self) -> None:
        """Show the cursor."""
        self._show_focus(True)

    def on_blur(self) -> None:
        """Hide the cursor."""
        self._show_focus(False)

    # --- dragging a card onto a column ------------------------------------------------------

    def status_at(self, screen_offset: Offset) -> str | None:
        """The status of the lane or column under `screen_offset`, or None.

        In the side column, the lane under the pointer (its first lane when the
        column is folded, or below the lanes).
        """
        try:
            widget, _region = self.screen.get_widget_at(*screen_offset)
        except NoWidget:  # outside the screen: no target
            return None
        for node in widget.ancestors_with_self:
            if isinstance(node, CardColumn):
                return node.status_at(screen_offset)
            if isinstance(node, BoardColumn):
                return node.statuses[0]
        return None

    def _column_at(self, screen_offset: Offset) -> BoardColumn | None:
        try:
            widget, _region = self.screen.get_widget_at(*screen_offset)
        except NoWidget:  # outside the screen: no target
            return None
        return next((n for n in widget.ancestors_with_self if isinstance(n, BoardColumn)), None)

    def _mark(self, column: BoardColumn | None, status: str | None) -> None:
        """Mark `column` (and the lane of `status` in it) as where the card would land."""
        target = (column, status) if column is not None else None
        if target == self._drop_target:
            return
        if self._drop_target is not None:
            self._drop_target[0].show_drop_target(None)
        self._drop_target = target
        if column is not None:
            column.show_drop_target(status)

    @on(CardColumn.Dragged)
    def _card_dragged(self, event: CardColumn.Dragged) -> None:
        self._mark(self._column_at(event.screen_offset), self.status_at(event.screen_offset))

    @on(CardColumn.Dropped)
    def _card_dropped(self, event: CardColumn.Dropped) -> None:
        event.stop()
        self._mark(None, None)
        if event.screen_offset is None:
            return
        status = self.status_at(event.screen_offset)
        if status is not None:
            self.post_message(self.CardDropped(event.goal_id, status))
