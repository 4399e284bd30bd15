"""Tandem's widgets, one per module.

The names below are imported on first use (PEP 562), so a screen that needs
one widget does not import them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from widgets.lazy_names import lazy_names

if TYPE_CHECKING:
    from widgets.board import Board
    from widgets.board_column import BoardColumn
    from widgets.busy_line import BusyLine
    from widgets.button_row import ButtonRow
    from widgets.card_column import CardColumn, CardColumnMessage
    from widgets.code_groups import CodeGroups
    from widgets.entry_filter_bar import EntryFilter, EntryFilterBar, FilterChoices
    from widgets.entry_list import EntryList, EntryListMessage
    from widgets.entry_view import EntryDetails, EntryView, Post
    from widgets.file_picker import FilePicker, JournalTree
    from widgets.key_button import KeyButton
    from widgets.key_footer import KeyFooter
    from widgets.messages import JournalEdited, OpenRecord
    from widgets.session_view import SessionsData, SessionView
    from widgets.strength_hint import StrengthHint
    from widgets.thread_view import ThreadView
    from widgets.workers import WorkerHost

_MODULES = {
    "Board": "board",
    "BoardColumn": "board_column",
    "BusyLine": "busy_line",
    "ButtonRow": "button_row",
    "CardColumn": "card_column",
    "CardColumnMessage": "card_column",
    "CodeGroups": "code_groups",
    "EntryDetails": "entry_view",
    "EntryFilter": "entry_filter_bar",
    "EntryFilterBar": "entry_filter_bar",
    "EntryList": "entry_list",
    "EntryListMessage": "entry_list",
    "EntryView": "entry_view",
    "FilePicker": "file_picker",
    "FilterChoices": "entry_filter_bar",
    "JournalEdited": "messages",
    "JournalTree": "file_picker",
    "KeyButton": "key_button",
    "KeyFooter": "key_footer",
    "OpenRecord": "messages",
    "Post": "entry_view",
    "SessionView": "session_view",
    "SessionsData": "session_view",
    "StrengthHint": "strength_hint",
    "ThreadView": "thread_view",
    "WorkerHost": "workers",
}

__all__ = [
    "Board",
    "BoardColumn",
    "BusyLine",
    "ButtonRow",
    "CardColumn",
    "CardColumnMessage",
    "CodeGroups",
    "EntryDetails",
    "EntryFilter",
    "EntryFilterBar",
    "EntryList",
    "EntryListMessage",
    "EntryView",
    "FilePicker",
    "FilterChoices",
    "JournalEdited",
    "JournalTree",
    "KeyButton",
    "KeyFooter",
    "OpenRecord",
    "Post",
    "SessionView",
    "SessionsData",
    "StrengthHint",
    "ThreadView",
    "WorkerHost",
]


__getattr__ = lazy_names(__name__, _MODULES)
