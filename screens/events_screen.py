"""The journal's dated events, listed: add, change and delete them.

Events ("started melatonin", "new teacher") are drawn on goal charts; here
they are listed by day with the goals they concern and who wrote them.
Pushed from the command palette ("Events"); `n` adds one, `e` changes the
one under the cursor, `d` deletes it (after asking). Reading and writing run
in thread workers; every change posts `JournalEdited`. Titles and notes are
plain text, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static

from journal.journal import Journal
from journal.model import Event, Goal
from journal.text import one_line
from screens.base import JournalEdited
from screens.confirm_dialog import ConfirmDialog
from screens.data_screen import DataScreen
from screens.event_dialog import SAVE_GROUP, edit_event

__all__ = ["EventList", "EventsScreen"]


@dataclass(frozen=True)
class EventList:
    """The events, by day, and what they need shown: goal titles and member names."""

    events: tuple[Event, ...] = ()
    goals: tuple[Goal, ...] = ()
    names: dict[str, str] | None = None

    @classmethod
    def load(cls, journal: Journal) -> EventList:
        """Read the events (no Textual; fine in a thread)."""
        with journal.lock:
            return cls(
                tuple(journal.events()),
                tuple(journal.goals()),
                {member_id: m.name for member_id, m in journal.members_by_id().items()},
            )

    def goal_titles(self, event: Event) -> str:
        """The titles of the goals an event concerns ('every goal' when none)."""
        titles = {g.id: g.title for g in self.goals}
        return ", ".join(one_line(titles.get(g, g[:8])) for g in event.goals) or "every goal"


class EventsScreen(DataScreen[EventList]):
    """Every dated event, with keys to add, change and delete them."""

    DEFAULT_CSS = """
    EventsScreen {
        & #intro { padding: 0 1; color: $text-muted; height: auto; }
        & DataTable { height: 1fr; }
    }
    """

    WORKER_ERRORS: ClassVar[dict[str, str]] = {
        "read": "Could not read the events",
        SAVE_GROUP: "Not saved",
        "event-delete": "Not deleted",
    }
    """Failures of each worker, as `widgets.workers.WorkerHost` (MainScreen) reports them."""

    SUB_TITLE = "Events"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "add", "New event", id="events.new"),
        Binding("e", "edit", "Change", id="events.edit"),
        Binding("d,delete", "delete", "Delete", id="events.delete"),
        Binding("escape", "back", "Back", id="events.back"),
    ]

    @property
    def found(self) -> EventList:
        """The events shown (none before they are read)."""
        return self.data or EventList()

    def compose(self) -> ComposeResult:
        """A line on what events are, and the table."""
        yield Header()
        yield Static(
            "Dated events explain a curve: goal charts draw each as a labelled line.",
            id="intro",
        )
        table: DataTable[Text] = DataTable(id="events", cursor_type="row")
        for label, width in (("Day", 10), ("What", 30), ("Goals", 22), ("Note", 24), ("By", 14)):
            table.add_column(label, width=width)
        yield table
        yield Footer()

    def read_data(self) -> EventList:
        """Read the events (in a worker)."""
        return EventList.load(self.journal)

    def show_data(self, found: EventList) -> None:
        """List the events just read, the cursor staying on its row."""
        table: DataTable[Text] = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        names = found.names or {}
        for item in found.events:
            table.add_row(
                Text(item.date),
                Text(one_line(item.title)),
                Text(found.goal_titles(item)),
                Text(one_line(item.note)),
                Text(one_line(names.get(item.author, "unknown"))),
                key=item.id,
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1), animate=False)
        self.refresh_bindings()

    @property
    def current(self) -> Event | None:
        """The event under the cursor, if any."""
        table: DataTable[Text] = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((e for e in self.found.events if e.id == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Change and delete with an event under the cursor."""
        if action in ("edit", "delete"):
            return self.current is not None
        return True

    def action_add(self) -> None:
        """Add an event."""
        edit_event(self, self.journal, goals=self.found.goals, done=self.reload)

    def action_edit(self) -> None:
        """Change the event under the cursor."""
        current = self.current
        if current is not None:
            edit_event(self, self.journal, goals=self.found.goals, event=current, done=self.reload)

    def action_delete(self) -> None:
        """Delete the event under the cursor, after asking."""
        current = self.current
        if current is None:
            return
        self.confirm(
            ConfirmDialog(
                f"Delete the event “{one_line(current.title)}”?",
                detail="It goes from every goal chart (a tombstone stays for sync).",
                yes="Delete",
                destructive=True,
            ),
            partial(self._delete, current.id, current.title),
        )

    @work(thread=True, exit_on_error=False, group="event-delete")
    def _delete(self, event_id: str, title: str) -> None:
        """Delete the event (in a thread), tell the app, read the events again."""
        self.journal.delete(event_id)
        self.post_message(JournalEdited(f"event “{one_line(title)}” deleted"))
        self.post_message(self.DataLoaded(EventList.load(self.journal)))

    def action_back(self) -> None:
        """Back to where the events were opened."""
        self.dismiss()
