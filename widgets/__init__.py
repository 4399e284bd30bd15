"""Tandem's widgets, one per module."""

from widgets.entry_list import EntryList, EntryListMessage
from widgets.entry_view import EntryDetails, EntryView, Post
from widgets.file_picker import FilePicker, JournalTree
from widgets.thread_view import ThreadView

__all__ = [
    "EntryDetails",
    "EntryList",
    "EntryListMessage",
    "EntryView",
    "FilePicker",
    "JournalTree",
    "Post",
    "ThreadView",
]
