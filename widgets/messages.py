"""The messages that screens and widgets send up to the app.

Attributes down, messages up: a screen hands its widgets what to show; a
widget or screen that changed the journal, or wants a record shown, posts one
of these, and the app (`screens.app.TandemApp`) acts on it.
"""

from __future__ import annotations

from textual.message import Message

__all__ = ["JournalEdited", "OpenRecord"]


class JournalEdited(Message):
    """A screen changed the journal: the app saves it and refreshes the other screens."""

    def __init__(self, what: str = "") -> None:
        """`what` changed, in a few words for the status line (may be empty)."""
        super().__init__()
        self.what = what


class OpenRecord(Message):
    """Take the person to a record: an entry, goal, resource, session, thread or member."""

    def __init__(self, record_id: str, *, reply: bool = False) -> None:
        """The id of the record to show; with `reply`, its thread with the reply box open."""
        super().__init__()
        self.record_id = record_id
        self.reply = reply
