"""Tandem's widgets, one per module.

The names below are imported on first use (PEP 562), so a screen that needs
one widget does not import them all.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from widgets.card_column import CardColumn, CardColumnMessage
    from widgets.entry_list import EntryList, EntryListMessage
    from widgets.entry_view import EntryDetails, EntryView, Post
    from widgets.file_picker import FilePicker, JournalTree
    from widgets.key_footer import KeyFooter
    from widgets.thread_view import ThreadView

_MODULES = {
    "CardColumn": "card_column",
    "CardColumnMessage": "card_column",
    "EntryDetails": "entry_view",
    "EntryList": "entry_list",
    "EntryListMessage": "entry_list",
    "EntryView": "entry_view",
    "FilePicker": "file_picker",
    "JournalTree": "file_picker",
    "KeyFooter": "key_footer",
    "Post": "entry_view",
    "ThreadView": "thread_view",
}

__all__ = [
    "CardColumn",
    "CardColumnMessage",
    "EntryDetails",
    "EntryList",
    "EntryListMessage",
    "EntryView",
    "FilePicker",
    "JournalTree",
    "KeyFooter",
    "Post",
    "ThreadView",
]


def __getattr__(name: str) -> Any:
    """Import the module of `name` when it is first asked for."""
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'widgets' has no attribute {name!r}")
    value = getattr(import_module(f"widgets.{module}"), name)
    globals()[name] = value
    return value
