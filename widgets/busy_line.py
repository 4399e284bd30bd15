"""A line that shows something slow is under way: a small spinner and a sentence.

`BusyLine` is hidden until `show(text)`; `show(None)` hides it again. The
sentence is plain text (never read as markup), in the `Static` `#busy-text`.
Screens that wait on a worker (creating, unlocking, preparing the demo) put
one under their buttons.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import LoadingIndicator, Static

__all__ = ["BusyLine"]


class BusyLine(Horizontal):
    """A spinner and what is under way, shown only while something is."""

    DEFAULT_CSS = """
    BusyLine {
        height: 1;
        display: none;
        &.-shown { display: block; }
        & > LoadingIndicator { width: 6; height: 1; min-height: 1; }
        & > Static { width: 1fr; }
    }
    """

    def compose(self) -> ComposeResult:
        """The spinner, then the sentence."""
        yield LoadingIndicator()
        yield Static("", id="busy-text", markup=False)

    @property
    def shown(self) -> bool:
        """True while the line shows (something is under way)."""
        return self.has_class("-shown")

    def show(self, text: str | None) -> None:
        """Show the line saying `text`, or (None) hide it."""
        self.set_class(text is not None, "-shown")
        self.query_one("#busy-text", Static).update(text or "")
