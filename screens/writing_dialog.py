"""A form the person mostly writes in: a request, a resource, a note, an addendum.

Leaving one with text typed asks "Discard this …?" with no line under it
(`discard_detail`), and the answer that goes back is "Keep writing".
"""

from __future__ import annotations

from typing import TypeVar

from screens.form_dialog import FormDialog

__all__ = ["WritingDialog"]

T = TypeVar("T")


class WritingDialog(FormDialog[T]):
    """A `FormDialog` for writing: its discard question offers to keep writing."""

    discard_detail = ""
    keep_label = "Keep writing"
