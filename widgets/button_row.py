"""The row of buttons under a dialog: at its right, one line below what comes before.

`ButtonRow` is a `Horizontal` that lays its buttons out the way every dialog
of Tandem does (the confirm dialog, the forms, the file picker...), so that
look is written once.
"""

from __future__ import annotations

from textual.containers import Horizontal

__all__ = ["ButtonRow"]


class ButtonRow(Horizontal):
    """A dialog's buttons, aligned right, two columns apart."""

    DEFAULT_CSS = """
    ButtonRow {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
        & > Button { margin-left: 2; }
    }
    """
