"""Tandem's screens, one per module, and the app that wires them."""

from screens.app import TandemApp
from screens.journal_screen import JournalScreen

__all__ = ["JournalScreen", "TandemApp"]
