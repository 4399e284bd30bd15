"""The journal screen: search and filter the entries, and read the highlighted one.

Filtering and loading run in thread workers (a journal may hold tens of
thousands of entries); results come back as messages and the screen hands
them down to its widgets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Select
from textual.worker import Worker, WorkerState, get_current_worker

from journal.journal import Journal
from journal.model import ENTRY_KIND_LABELS, ENTRY_KINDS, Entry
from widgets.entry_list import EntryList
from widgets.entry_view import EntryDetails, EntryView, one_line

__all__ = ["JournalScreen"]

ALL_KINDS = ""
"""The kind filter's value for 'every kind'."""


class JournalScreen(Screen[None]):
    """The entry list on the left, the highlighted entry on the right."""

    AUTO_FOCUS = "EntryList"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", id="journal.search"),
        Binding("escape", "focus_list", "Entries", id="journal.entries", show=False),
        Binding("0", "filter_kind('')", "All kinds", id="journal.kind.all", show=False),
        *(
            Binding(
                str(number),
                f"filter_kind('{kind}')",
                f"{ENTRY_KIND_LABELS[kind]} only",
                id=f"journal.kind.{kind}",
                show=False,
            )
            for number, kind in enumerate(ENTRY_KINDS, start=1)
        ),
    ]

    class EntriesLoaded(Message):
        """A filter's results, from the worker that ran it."""

        def __init__(
            self,
            search: str,
            kind: str,
            entries: Sequence[Entry],
            authors: Mapping[str, str],
        ) -> None:
            """The entries matching `search` and `kind`, and member names by id."""
            super().__init__()
            self.search = search
            self.kind = kind
            self.entries = entries
            self.authors = authors

    class EntryLoaded(Message):
        """An entry's details, from the worker that read them."""

        def __init__(self, details: EntryDetails) -> None:
            """The details of the entry to show."""
            super().__init__()
            self.details = details

    def __init__(self, journal: Journal) -> None:
        """The screen for `journal`."""
        super().__init__()
        self.journal = journal

    def compose(self) -> ComposeResult:
        """Header, the filter bar, the two panes and the footer."""
        yield Header()
        with Horizontal(id="filters"):
            yield Input(placeholder="Search entries (/)", id="search")
            yield Select(
                [("All kinds", ALL_KINDS)]
                + [(ENTRY_KIND_LABELS[kind], kind) for kind in ENTRY_KINDS],
                value=ALL_KINDS,
                allow_blank=False,
                id="kind",
            )
        with Horizontal(id="panes"):
            yield EntryList(id="entries")
            yield EntryView(id="entry")
        yield Footer()

    def on_mount(self) -> None:
        """Load the entries."""
        self.reload()

    # --- filtering ---------------------------------------------------------------

    @property
    def search(self) -> str:
        """The text in the search box."""
        return self.query_one("#search", Input).value

    @property
    def kind(self) -> str:
        """The kind shown, or `ALL_KINDS`."""
        value = self.query_one("#kind", Select).value
        return value if isinstance(value, str) else ALL_KINDS

    def reload(self) -> None:
        """Run the current search and kind filter again."""
        self.load_entries(self.search, self.kind)

    @work(thread=True, exclusive=True, exit_on_error=False, group="entries")
    def load_entries(self, search: str, kind: str) -> None:
        """Find the matching entries (in a thread) and post them back."""
        entries = self.journal.entries(search=search.strip() or None, kind=kind or None)
        authors = {member_id: m.name for member_id, m in self.journal.members_by_id().items()}
        if not get_current_worker().is_cancelled:
            self.post_message(self.EntriesLoaded(search, kind, entries, authors))

    @on(EntriesLoaded)
    def _show_entries(self, event: EntriesLoaded) -> None:
        if (event.search, event.kind) != (self.search, self.kind):
            return  # the filter changed since; a newer worker is on its way
        self.query_one(EntryList).set_entries(event.entries, event.authors)

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        self.reload()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.query_one(EntryList).focus()

    @on(Select.Changed, "#kind")
    def _kind_changed(self) -> None:
        self.reload()

    # --- the entry shown --------------------------------------------------------

    @on(EntryList.Selected)
    def _entry_selected(self, event: EntryList.Selected) -> None:
        if event.entry_id is None:
            filtered = self.search.strip() or self.kind
            empty = "No entries match." if filtered else "No entries yet."
            self.query_one(EntryView).show(None, empty)
        else:
            self.load_entry(event.entry_id)

    @on(EntryList.Opened)
    def _entry_opened(self) -> None:
        self.query_one(EntryView).focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="entry")
    def load_entry(self, entry_id: str) -> None:
        """Read an entry's details (in a thread) and post them back."""
        details = EntryDetails.load(self.journal, entry_id)
        if not get_current_worker().is_cancelled:
            self.post_message(self.EntryLoaded(details))

    @on(EntryLoaded)
    def _show_entry(self, event: EntryLoaded) -> None:
        if event.details.entry.id == self.query_one(EntryList).entry_id:
            self.query_one(EntryView).show(event.details)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.notify(
                one_line(str(event.worker.error)),
                title="Could not read the journal",
                severity="error",
                markup=False,
            )

    # --- actions ----------------------------------------------------------------

    def action_focus_search(self) -> None:
        """Move to the search box."""
        self.query_one("#search", Input).focus()

    def action_focus_list(self) -> None:
        """Move to the entry list."""
        self.query_one(EntryList).focus()

    def action_filter_kind(self, kind: str) -> None:
        """Show only entries of `kind` (`''`: every kind)."""
        if kind == ALL_KINDS or kind in ENTRY_KINDS:
            self.query_one("#kind", Select).value = kind
