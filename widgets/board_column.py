"""A column of the goal board: a heading with its count, then the cards of its statuses.

The heading shows the column's label and how many cards it holds, cut to fit
a narrow column; a collapsible column (the side states) shows only its
heading when folded. A click on the heading posts `BoardColumn.HeaderClicked`.
The cards are one `CardColumn`, which draws them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from widgets.card_column import CardColumn

__all__ = ["BoardColumn"]


class BoardColumn(Vertical):
    """A column of the board: a heading, then the cards of its statuses (one `CardColumn`)."""

    DEFAULT_CSS = """
    BoardColumn {
        width: 1fr;
        min-width: 16;
        height: 1fr;
        & > .column-header {
            height: 1;
            padding: 0 1;
            background: $panel;
            color: $text;
            text-style: bold;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
        & > .column-header.-drop-target { background: $accent; color: $text; }
        &.-collapsed { width: 11; min-width: 11; }
        &.-collapsed > CardColumn { display: none; }
    }
    """

    collapsed: reactive[bool] = reactive(False)
    """A collapsible column shows only its heading."""

    @dataclass
    class HeaderClicked(Message):
        """The column's heading was clicked."""

        column: BoardColumn
        """The column whose heading was clicked."""

    def __init__(
        self,
        label: str,
        statuses: Sequence[str],
        *,
        short_label: str = "",
        collapsible: bool = False,
        id: str | None = None,
    ) -> None:
        """A column showing the goals of `statuses`, headed `label`."""
        super().__init__(id=id)
        self.label = label
        self.short_label = short_label or label
        self.statuses = tuple(statuses)
        self.collapsible = collapsible
        self.header = Static(label, classes="column-header")
        """The column's heading: its label and how many cards it holds."""
        self.cards = CardColumn(self.statuses, headings=len(self.statuses) > 1)
        """The column's cards."""

    def compose(self) -> ComposeResult:
        """The heading and the cards."""
        yield self.header
        yield self.cards

    def refresh_counts(self) -> None:
        """Show the number of cards in the heading."""
        self._show_heading()

    def _show_heading(self) -> None:
        """The label, cut to leave room for the count in a narrow column."""
        label = self.label
        if self.collapsible:
            mark = "▸" if self.collapsed else "▾"
            label = f"{mark} {self.short_label if self.collapsed else self.label}"
        count = str(self.cards.count)
        header = self.header
        room = header.content_size.width - len(count) - 1
        if 1 < room < len(label):
            label = label[: room - 1] + "…"
        # One row, as wide as the column whatever it says: no layout needed.
        header.update(Content.assemble(f"{label} ", (count, "$text-muted")), layout=False)

    def on_resize(self) -> None:
        """Fit the heading to the new width."""
        self._show_heading()

    def show_drop_target(self, status: str | None) -> None:
        """Mark where a dragged card would land: this column's heading, or a lane's heading."""
        whole = len(self.statuses) == 1 or self.collapsed
        self.header.set_class(status is not None and whole, "-drop-target")
        self.cards.drop_target = None if whole else status

    def watch_collapsed(self, collapsed: bool) -> None:
        """Show or hide the cards."""
        self.set_class(collapsed, "-collapsed")
        if self.is_mounted:
            self.refresh_counts()

    def on_click(self, event: events.Click) -> None:
        """Report a click on the heading."""
        if event.widget is not None and event.widget.has_class("column-header"):
            self.post_message(self.HeaderClicked(self))
