"""Tandem's widgets, one per module."""

from widgets.entry_list import EntryList, EntryListMessage
from widgets.entry_view import EntryDetails, EntryView, Post

__all__ = ["EntryDetails", "EntryList", "EntryListMessage", "EntryView", "Post"]
