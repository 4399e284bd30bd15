"""Tandem's screens, one per module (dialogs too), and the app that wires them.

The names below are imported on first use (PEP 562), so importing one screen
(`screens.app` at start-up) does not import all the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from widgets.lazy_names import lazy_names

if TYPE_CHECKING:
    from screens.addendum_dialog import AddendumDialog
    from screens.app import TandemApp
    from screens.base import JournalEdited, MainScreen, OpenRecord
    from screens.conflict_screen import ConflictScreen
    from screens.create_screen import CreateScreen
    from screens.entry_form_screen import EntryFormScreen
    from screens.export_screen import ExportScreen
    from screens.help_screen import HelpScreen
    from screens.home_screen import HomeScreen
    from screens.import_screen import ImportScreen
    from screens.journal_screen import JournalScreen
    from screens.list_detail import ListDetailScreen
    from screens.people_screen import PeopleScreen
    from screens.recovery_code_dialog import RecoveryCodeDialog
    from screens.resources_screen import ResourcesScreen
    from screens.sessions_screen import SessionsScreen
    from screens.set_passphrase_dialog import SetPassphraseDialog
    from screens.threads_screen import ThreadsScreen
    from screens.unlock_screen import UnlockScreen
    from screens.welcome_screen import WelcomeScreen

_MODULES = {
    "AddendumDialog": "addendum_dialog",
    "ConflictScreen": "conflict_screen",
    "CreateScreen": "create_screen",
    "EntryFormScreen": "entry_form_screen",
    "ExportScreen": "export_screen",
    "HelpScreen": "help_screen",
    "HomeScreen": "home_screen",
    "ImportScreen": "import_screen",
    "JournalEdited": "base",
    "JournalScreen": "journal_screen",
    "ListDetailScreen": "list_detail",
    "MainScreen": "base",
    "OpenRecord": "base",
    "PeopleScreen": "people_screen",
    "RecoveryCodeDialog": "recovery_code_dialog",
    "ResourcesScreen": "resources_screen",
    "SessionsScreen": "sessions_screen",
    "SetPassphraseDialog": "set_passphrase_dialog",
    "TandemApp": "app",
    "ThreadsScreen": "threads_screen",
    "UnlockScreen": "unlock_screen",
    "WelcomeScreen": "welcome_screen",
}

__all__ = [
    "AddendumDialog",
    "ConflictScreen",
    "CreateScreen",
    "EntryFormScreen",
    "ExportScreen",
    "HelpScreen",
    "HomeScreen",
    "ImportScreen",
    "JournalEdited",
    "JournalScreen",
    "ListDetailScreen",
    "MainScreen",
    "OpenRecord",
    "PeopleScreen",
    "RecoveryCodeDialog",
    "ResourcesScreen",
    "SessionsScreen",
    "SetPassphraseDialog",
    "TandemApp",
    "ThreadsScreen",
    "UnlockScreen",
    "WelcomeScreen",
]


__getattr__ = lazy_names(__name__, _MODULES)
