"""A recovery or invite code shown once, large: one bordered box per group of characters.

Shown by the dialog that hands out a new journal's recovery code and by the
one that hands out an invite code. The code is plain `Content`, never markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

__all__ = ["CodeGroups", "code_groups"]


def code_groups(code: str) -> list[str]:
    """The groups of a code written `7K2QF-9XHMA-...`, upper case."""
    return [group for group in code.upper().replace(" ", "-").split("-") if group]


class CodeGroups(Horizontal):
    """A code as its groups side by side, each spaced out in a box, centred."""

    DEFAULT_CSS = """
    CodeGroups {
        height: auto;
        align-horizontal: center;
        & > .group {
            width: auto;
            padding: 0 1;
            margin: 0 1;
            border: round $warning;
            text-style: bold;
            color: $text;
        }
    }
    """

    def __init__(self, code: str, *, id: str | None = None) -> None:
        """The boxes for `code` (groups joined by dashes)."""
        super().__init__(id=id)
        self.groups = code_groups(code)
        """The code's groups, in order."""

    def compose(self) -> ComposeResult:
        """A box per group."""
        for group in self.groups:
            yield Static(Content(" ".join(group)), classes="group")
