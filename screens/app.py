"""The Tandem terminal app: it wires the screens together and does little else."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from journal.journal import Journal
from screens.journal_screen import JournalScreen
from widgets.entry_view import one_line

__all__ = ["TandemApp"]


class TandemApp(App[None]):
    """Browse one unlocked journal: its entries, and each entry with its thread."""

    CSS_PATH = "app.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "toggle_help", "Keys", key_display="?", id="app.help"),
        Binding("ctrl+t", "toggle_dark", "Light/dark", id="app.theme"),
    ]

    def __init__(self, journal: Journal) -> None:
        """The app over an open `journal`, as the member who unlocked it."""
        super().__init__()
        self.journal = journal
        member = journal.me
        self.title = one_line(journal.title)
        self.sub_title = one_line(f"{member.name} ({member.role})")

    def on_mount(self) -> None:
        """Open the journal screen."""
        self.push_screen(JournalScreen(self.journal))

    def action_toggle_help(self) -> None:
        """Show or hide the panel listing the keys."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()
