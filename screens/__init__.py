"""Tandem's screens, one per module (dialogs too), and the app that wires them."""

from screens.app import TandemApp
from screens.base import JournalEdited, MainScreen, OpenRecord
from screens.conflict_screen import ConflictScreen
from screens.create_screen import CreateScreen
from screens.entry_form_screen import AddendumDialog, EntryFormScreen
from screens.export_screen import ExportScreen
from screens.help_screen import HelpScreen
from screens.home_screen import HomeScreen
from screens.import_screen import ImportScreen
from screens.journal_screen import JournalScreen
from screens.people_screen import PeopleScreen
from screens.recovery_code_dialog import RecoveryCodeDialog
from screens.resources_screen import ResourcesScreen
from screens.sessions_screen import SessionsScreen
from screens.set_passphrase_dialog import SetPassphraseDialog
from screens.threads_screen import ThreadsScreen
from screens.unlock_screen import UnlockScreen
from screens.welcome_screen import WelcomeScreen

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
