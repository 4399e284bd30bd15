"""The journal screen: find entries, read the highlighted one, write, edit and delete.

Filtering and loading run in thread workers (a journal may hold tens of
thousands of entries); results come back as messages and the screen hands
them down to its widgets. The list gets light rows (`journal.rows`); only the
highlighted entry is read in full. Changes to the journal also run in workers (the
app may be saving, which holds the journal's lock); after each the screen
posts `JournalEdited` for the app and reloads itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass
from functools import partial
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Header, Input, Select, Static
from textual.worker import get_current_worker

from journal.errors import TandemError
from journal.journal import Journal
from journal.model import ENTRY_KIND_LABELS, ENTRY_KINDS, Comment, Entry
from journal.rows import EntryRow
from journal.text import one_line
from screens.base import COMMENT_POSTED, MainScreen
from screens.confirm_dialog import ConfirmDialog
from widgets.entry_filter_bar import (
    ALL,
    CONFLICTS,
    EntryFilter,
    EntryFilterBar,
    FilterChoices,
    conflicted_entries,
)
from widgets.entry_list import EntryList
from widgets.entry_view import EntryDetails, EntryView
from widgets.key_footer import KeyFooter
from widgets.messages import JournalEdited

__all__ = ["ALL_KINDS", "FINALIZE_WARNING", "JournalCommands", "JournalScreen"]

ALL_KINDS = ALL
"""The kind filter's value for 'every kind'."""

FINALIZE_WARNING = "After finalizing, the note is locked; later changes are addenda."
"""What finalizing a session note means, said before the person confirms it."""


class JournalCommands(Provider):
    """The journal screen's actions in the command palette, by name."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        screen = self.screen
        if not isinstance(screen, JournalScreen):
            return []
        offered = [
            ("New entry", "new_entry", "Write a check-in, incident, session note, ..."),
            ("Edit entry", "edit_entry", "Change the highlighted entry"),
            ("Delete entry", "delete_entry", "Delete the highlighted entry (asks first)"),
            ("Finalize session note", "finalize", FINALIZE_WARNING),
            ("Add an addendum", "addendum", "Add to the highlighted finalized session note"),
            ("Search entries", "focus_search", "Find entries by any word in them"),
            ("Clear filters", "clear_filters", "Show every entry"),
            ("Resolve conflict", "resolve", "Choose between the versions of two copies"),
        ]
        commands: list[tuple[str, Callable[[], object], str]] = [
            (name, getattr(screen, f"action_{action}"), help_text)
            for name, action, help_text in offered
            if screen.check_action(action, ())
        ]
        commands.append(
            (
                "Show only: Conflicts to resolve",
                partial(screen.action_filter_kind, CONFLICTS),
                "Entries changed on two copies at once",
            )
        )
        for kind in ENTRY_KINDS:
            label = ENTRY_KIND_LABELS[kind]
            commands.append(
                (
                    f"Show only: {label}",
                    partial(screen.action_filter_kind, kind),
                    f"Filter the journal to {label.lower()} entries",
                )
            )
        return commands

    async def discover(self) -> Hits:
        """Every action that applies now, for an empty palette."""
        for name, command, help_text in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        """The actions whose names match what was typed."""
        matcher = self.matcher(query)
        for name, command, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)


_DYNAMIC_ACTIONS = (
    "edit_entry",
    "delete_entry",
    "finalize",
    "addendum",
    "clear_filters",
    "comment",
    "resolve",
)
"""The actions `JournalScreen.check_action` offers or not, depending on the entry and filters."""


class JournalScreen(MainScreen):
    """The filter bar on top, the entry list on the left, the highlighted entry on the right."""

    AUTO_FOCUS = "EntryList"

    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {JournalCommands}

    DEFAULT_CSS = """
    JournalScreen {
        layout: vertical;
        & #panes { height: 1fr; margin-top: 1; }
        & #entries { width: 3fr; min-width: 40; border-right: vkey $foreground 20%; }
        & #entry { width: 2fr; min-width: 40; }
        &.-narrow #kind, &.-narrow #author, &.-narrow #tag, &.-narrow #goal {
            width: 1fr;
            min-width: 10;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", id="journal.search"),
        Binding("n", "new_entry", "New", id="journal.new"),
        Binding("e", "edit_entry", "Edit", id="journal.edit"),
        Binding("d,delete", "delete_entry", "Delete", id="journal.delete"),
        Binding("f", "finalize", "Finalize", id="journal.finalize"),
        Binding("a", "addendum", "Addendum", id="journal.addendum"),
        Binding("x", "clear_filters", "Clear filters", id="journal.clear_filters"),
        Binding("r", "resolve", "Resolve", id="journal.resolve"),
        Binding(
            "exclamation_mark",
            "filter_kind('conflicts')",
            "Conflicts only",
            key_display="!",
            id="journal.kind.conflicts",
            show=False,
        ),
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

    WORKER_ERRORS: ClassVar[dict[str, str]] = {
        "entries": "Could not read the journal",
        "choices": "Could not read the journal",
        "entry": "Could not read the journal",
        "write": "Could not change the journal",
    }

    @dataclass
    class EntriesLoaded(Message):
        """A filter's results, from the worker that ran it."""

        entry_filter: EntryFilter
        rows: Sequence[EntryRow]
        """The rows of the entries matching `entry_filter`."""
        authors: Mapping[str, str]
        """Member names by id."""
        _: KW_ONLY
        complete: bool = True
        """False: only the newest rows, while older entries are read."""
        conflicted: frozenset[str] = frozenset()
        """The entries with something to resolve."""

    @dataclass
    class ChoicesLoaded(Message):
        """The authors, tags and goals to filter by, from the worker that read them."""

        choices: FilterChoices
        """The choices to offer."""

    @dataclass
    class EntryLoaded(Message):
        """An entry's details, from the worker that read them."""

        details: EntryDetails
        """The details of the entry to show."""

    def __init__(self, journal: Journal) -> None:
        """The screen for `journal`."""
        super().__init__(journal)
        self._entry_list: EntryList | None = None  # made by `compose`
        self._details: EntryDetails | None = None  # the highlighted entry, read in full
        # Every entry, as last read with no filter: clearing a filter shows it at once.
        self._everything: tuple[Sequence[EntryRow], Mapping[str, str]] | None = None
        self._started = False  # the first read began (the filters report values on mount)
        self._asked: EntryFilter | None = None  # the filter of the list last asked for
        self._binding_state: tuple[bool | None, ...] | None = None
        self._choices: FilterChoices | None = None
        self._choices_asked = False
        self._wanted: str | None = None  # an entry to highlight once the list has it
        self._stale_entry = False  # the journal changed: read the shown entry again
        self._conflicted: frozenset[str] = frozenset()  # entries with something to resolve
        self._show_thread_end: str | None = None  # an entry just commented on: show its end

    def compose(self) -> ComposeResult:
        """Header, the filter bar, the two panes and the footer."""
        yield Header()
        yield EntryFilterBar(id="filters")
        with Horizontal(id="panes", classes="panes"):
            self._entry_list = EntryList(id="entries")
            yield self._entry_list
            yield EntryView(id="entry")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Start loading the entries and the filter choices (in workers) at once."""
        self._read()

    # --- the MainScreen contract ------------------------------------------------------

    def reload(self) -> None:
        """Read the journal again: same filters, same highlighted entry, fresh details."""
        if self.is_mounted:
            self._read()
        # else: mounting reads it

    def _read(self) -> None:
        self._started = True
        self._stale_entry = True
        self._details = None  # may be older than the journal now: `_full_entry` reads it again
        self._everything = None
        self._asked = None
        self._choices_asked = False
        self._refilter()  # first: the list is what the person waits for
        if not self.journal.lazy:
            self._ask_choices()
        # else the choices need every entry: read once the newest are shown (`_show_entries`)

    def show_record(self, record_id: str) -> None:
        """Highlight the entry `record_id` (or the entry a comment is on).

        When a filter hides it, the filters are cleared. Ids of other records
        are ignored.
        """
        entry_id = self._entry_id_for(record_id)
        if entry_id is None:
            return
        self._wanted = entry_id
        if not self.is_mounted:
            return  # the first load highlights it
        entry_list = self.query_one(EntryList)
        if entry_list.select_entry(entry_id):
            self._wanted = None
            entry_list.focus()
        else:
            self.reload()  # the list may be older than the entry; or a filter hides it

    def _entry_id_for(self, record_id: str) -> str | None:
        try:
            record = self.journal.find(record_id)
            if isinstance(record, Comment):
                record = self.journal.find(record.target_id)
        except TandemError:
            return None
        if not isinstance(record, Entry):
            return None
        if record.deleted:
            self.notify("That entry was deleted.", severity="warning")
            return None
        return record.id

    # --- filtering ---------------------------------------------------------------

    @property
    def filter_bar(self) -> EntryFilterBar:
        """The filters above the list."""
        return self.query_one(EntryFilterBar)

    @property
    def kind(self) -> str:
        """The kind shown, or `ALL_KINDS`."""
        return self.entry_filter.kind

    @property
    def entry_filter(self) -> EntryFilter:
        """The filter the bar shows (a date being typed or wrong does not filter)."""
        return self.filter_bar.entry_filter

    def _refilter(self) -> None:
        if not self._started:
            return  # the filters report their first values on mount; `_read` reads them
        entry_filter = self.entry_filter
        if entry_filter == self._asked:
            return  # no change (a date half typed): the list asked for is shown or on its way
        self._asked = entry_filter
        if not entry_filter.active and self._everything is not None:
            # Back to every entry (a filter cleared): the list read last is still right,
            # as the journal has not changed since (`reload` forgets it).
            self._show_list(entry_filter, *self._everything)
            return
        self.load_entries(entry_filter)

    @work(thread=True, exclusive=True, exit_on_error=False, group="entries")
    def load_entries(self, entry_filter: EntryFilter, *, newest_first: bool = True) -> None:
        """Find the matching entries (in a thread) and post them back.

        A journal just opened has read only its newest entries: those are
        posted at once (`complete=False`), and the rest are read once the
        screen shows them (`_show_entries`). A newer filter cancels this
        worker, but a thread runs on: one that was waiting for the journal's
        lock (behind an older search, or a save) gives up once it has it, so
        fast typing never queues up full scans.
        """
        worker = get_current_worker()
        with self.journal.lock:
            if worker.is_cancelled:
                return
            members = self.journal.members_by_id()
            authors = {member_id: member.name for member_id, member in members.items()}
            conflicted = conflicted_entries(self.journal)
            if newest_first and self.journal.lazy:
                newest = entry_filter.rows(self.journal, newest_only=True)
                if newest:
                    self.post_result(
                        self.EntriesLoaded(
                            entry_filter, newest, authors, complete=False, conflicted=conflicted
                        )
                    )
                    return
            rows = entry_filter.rows(self.journal)
        self.post_result(self.EntriesLoaded(entry_filter, rows, authors, conflicted=conflicted))

    @on(EntriesLoaded)
    def _show_entries(self, event: EntriesLoaded) -> None:
        if event.entry_filter != self.entry_filter:
            return  # the filter changed since; a newer worker is on its way
        if not event.entry_filter.active and event.complete:
            self._everything = (event.rows, event.authors)
        self._conflicted = event.conflicted
        self._show_list(event.entry_filter, event.rows, event.authors, complete=event.complete)
        if not event.complete:
            # Read the older entries once the newest are on the screen (reading
            # holds the interpreter, and the screen would wait for it).
            self.call_after_refresh(self._read_the_rest, event.entry_filter)

        elif not self._choices_asked:
            self._ask_choices()

    def _read_the_rest(self, entry_filter: EntryFilter) -> None:
        """After the newest entries are shown: every entry, and the choices to filter by."""
        self.load_entries(entry_filter, newest_first=False)
        self._ask_choices()

    def _ask_choices(self) -> None:
        self._choices_asked = True
        self.load_choices()

    def _show_list(
        self,
        entry_filter: EntryFilter,
        rows: Sequence[EntryRow],
        authors: Mapping[str, str],
        *,
        complete: bool = True,
    ) -> None:
        entry_list = self.query_one(EntryList)
        before = entry_list.entry_id
        wanted = self._wanted
        entry_list.set_entries(rows, authors, select=wanted, marked=self._conflicted)
        if wanted is not None:
            if entry_list.entry_id == wanted:
                self._wanted = None
            elif entry_filter.active:
                self._clear_filters()  # a filter hides it: show everything, then it
                return
            else:
                self._wanted = None  # gone (deleted on another copy)
        count = len(rows)
        noun = "entry" if count == 1 else "entries"
        shown = f"{count:,} {noun}"
        if entry_filter.active:
            shown += " matches" if count == 1 else " match"
        if not complete:
            shown = f"the newest {shown}; reading older ones…"
        self.query_one("#count", Static).update(shown)
        if self._stale_entry and before is not None and entry_list.entry_id == before:
            self.load_entry(before)  # the same entry, perhaps changed: read it again
        self._stale_entry = False
        self._update_bindings()

    @work(thread=True, exclusive=True, exit_on_error=False, group="choices")
    def load_choices(self) -> None:
        """Read the authors, tags and goals to filter by (in a thread)."""
        self.post_result(self.ChoicesLoaded(FilterChoices.load(self.journal)))

    @on(ChoicesLoaded)
    def _show_choices(self, event: ChoicesLoaded) -> None:
        self._choices = event.choices
        if self.filter_bar.set_choices(event.choices):
            self._refilter()  # a chosen author, tag or goal is gone

    def _clear_filters(self) -> None:
        self.filter_bar.clear()
        self._refilter()
        self._update_bindings()

    @on(Input.Changed, "#search, #since, #until")
    @on(Select.Changed, "#kind, #author, #tag, #goal")
    def _filters_changed(self) -> None:
        self._refilter()
        self._update_bindings()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.query_one(EntryList).focus()

    # --- the entry shown --------------------------------------------------------

    @on(EntryList.Selected)
    def _entry_selected(self, event: EntryList.Selected) -> None:
        self._update_bindings()
        if event.entry_id is None:
            empty = "No entries match." if self.entry_filter.active else "No entries yet."
            self.query_one(EntryView).show(None, empty)
        else:
            self.load_entry(event.entry_id)

    @on(EntryList.Opened)
    def _entry_opened(self) -> None:
        self.query_one(EntryView).focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="entry")
    def load_entry(self, entry_id: str) -> None:
        """Read an entry's details (in a thread) and post them back."""
        self.post_result(self.EntryLoaded(EntryDetails.load(self.journal, entry_id)))

    @on(EntryLoaded)
    def _show_entry(self, event: EntryLoaded) -> None:
        if event.details.entry.id == self.query_one(EntryList).entry_id:
            self._details = event.details
            view = self.query_one(EntryView)
            view.show(event.details)
            if self._show_thread_end == event.details.entry.id:
                self._show_thread_end = None
                view.call_after_refresh(view.scroll_end, animate=False)

    # --- writing -------------------------------------------------------------------

    @property
    def selected_entry(self) -> EntryRow | None:
        """The highlighted entry's row in the list, or None."""
        # Not a query: footers ask `check_action` about every key, often.
        return self._entry_list.entry_row if self._entry_list is not None else None

    def comment_target(self) -> tuple[str, str] | None:
        """The highlighted entry: `c` comments on it."""
        entry = self.selected_entry
        return (entry.id, entry.title or "(untitled)") if entry is not None else None

    def _full_entry(self, entry_id: str) -> Entry:
        """The entry `entry_id` in full: as the view shows it, else read now."""
        if self._details is not None and self._details.entry.id == entry_id:
            return self._details.entry
        return self.journal.get(Entry, entry_id)

    def _update_bindings(self) -> None:
        """Tell the footer to redraw its keys, when what they offer has changed.

        Each refresh rebuilds the footer's widgets, so the screen asks only when
        an action's availability differs from the last time.
        """
        state = tuple(self.check_action(action, ()) for action in _DYNAMIC_ACTIONS)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only what applies to the highlighted entry (and to the filters)."""
        if action in ("edit_entry", "delete_entry", "finalize", "addendum", "comment"):
            entry = self.selected_entry
            if entry is None:
                return False
            if action in ("edit_entry", "delete_entry", "finalize", "addendum") and not self._mine(
                entry
            ):
                # Only an entry's author edits, deletes, finalizes or amends it (docs/MODEL.md,
                # "Rights"); a therapist may still give a parent's incident its function.
                therapists_call = action == "edit_entry" and entry.kind == "incident"
                if not (therapists_call and self._i_am_a_therapist()):
                    return False
            if action == "finalize":
                return entry.kind == "session" and not entry.locked
            if action == "addendum":
                return entry.locked
        if action == "clear_filters":
            return self.is_mounted and self.filter_bar.holds_filter
        if action == "resolve":
            entry = self.selected_entry
            return entry is not None and entry.id in self._conflicted
        return True

    def _mine(self, entry: EntryRow) -> bool:
        return entry.author == self.journal.member_id

    def _i_am_a_therapist(self) -> bool:
        return self.journal.me.role == "therapist"

    def action_new_entry(self) -> None:
        """Write a new entry: choose its kind, then fill in its form."""
        from screens.entry_form_screen import EntryFormScreen

        goals = self._choices.goal_records if self._choices is not None else None
        self.app.push_screen(
            EntryFormScreen(self.journal, suggested_kind=self.kind or None, goals=goals),
            callback=self._form_closed,
        )

    def action_new_checkin(self) -> None:
        """Write a check-in: its form at once, without choosing the kind."""
        from screens.entry_form_screen import EntryFormScreen

        self.app.push_screen(
            EntryFormScreen(self.journal, kind="checkin"), callback=self._form_closed
        )

    def action_edit_entry(self) -> None:
        """Edit the highlighted entry; a finalized session note offers an addendum instead."""
        entry = self.selected_entry
        if entry is None:
            return
        if entry.locked:
            self.confirm(
                ConfirmDialog(
                    f"“{one_line(entry.title)}” is finalized, so it cannot be edited.",
                    detail="Changes to a finalized session note are added as addenda, "
                    "dated and signed.",
                    yes="Write an addendum",
                    no="Cancel",
                ),
                self.action_addendum,
            )
            return
        try:
            full = self._full_entry(entry.id)
        except TandemError as error:  # not in the journal (a list older than a merge)
            self.notify(one_line(str(error)), severity="warning", markup=False)
            return
        from screens.entry_form_screen import EntryFormScreen

        goals = self._choices.goal_records if self._choices is not None else None
        self.app.push_screen(
            EntryFormScreen(self.journal, full, goals=goals), callback=self._form_closed
        )

    def action_resolve(self) -> None:
        """Resolve the highlighted entry's conflict: its versions side by side."""
        entry = self.selected_entry
        if entry is None or entry.id not in self._conflicted:
            return
        from screens.conflict_screen import ConflictScreen

        def closed(resolved: int | None) -> None:
            if resolved:
                noun = "conflict" if resolved == 1 else "conflicts"
                self.post_message(JournalEdited(f"{resolved} {noun} resolved"))
                self._wanted = entry.id
                self.reload()  # the detail pane shows the resolved text at once

        self.app.push_screen(ConflictScreen(self.journal, entry.id), callback=closed)

    def _form_closed(self, entry_id: str | None) -> None:
        # The form told the app (JournalEdited); this screen reloads itself too, as
        # the app refreshes only the screens not in front.
        if entry_id is not None:
            self._wanted = entry_id
            self.reload()
            self.query_one(EntryList).focus()

    def action_delete_entry(self) -> None:
        """Delete the highlighted entry after asking; it leaves a tombstone for sync."""
        entry = self.selected_entry
        if entry is None:
            return
        if entry.locked:
            self.notify(
                "A finalized session note cannot be deleted; add an addendum instead (a).",
                title="Not deleted",
                severity="warning",
            )
            return
        neighbour = self.query_one(EntryList).neighbour_id  # `entry` is the highlighted one
        label = ENTRY_KIND_LABELS.get(entry.kind, entry.kind).lower()
        self.confirm(
            ConfirmDialog(
                f"Delete the {label} “{one_line(entry.title)}”?",
                detail="It disappears from this copy now, and from the others "
                "when they next merge with it.",
                yes="Delete",
                no="Keep it",
                destructive=True,
            ),
            partial(self._delete, entry.id, neighbour),
        )

    def action_finalize(self) -> None:
        """Finalize the highlighted draft session note, after asking."""
        entry = self.selected_entry
        if entry is None or entry.kind != "session" or entry.locked:
            return
        self.confirm(
            ConfirmDialog(
                f"Finalize “{one_line(entry.title)}”?",
                detail=FINALIZE_WARNING,
                yes="Finalize",
                no="Not yet",
            ),
            partial(self._finalize, entry.id),
        )

    def action_addendum(self) -> None:
        """Add an addendum to the highlighted finalized session note."""
        entry = self.selected_entry
        if entry is None or not entry.locked:
            return

        def added(comment_id: str | None) -> None:
            if comment_id is not None:
                self._wanted = entry.id
                self.reload()

        from screens.addendum_dialog import AddendumDialog

        self.app.push_screen(AddendumDialog(self.journal, entry.id, entry.title), callback=added)

    @work(thread=True, exit_on_error=False, group="write")
    def _delete(self, entry_id: str, select: str | None) -> None:
        """Delete an entry (in a thread), leaving a tombstone."""
        self.journal.delete(entry_id)
        self.written("entry deleted", select)

    @work(thread=True, exit_on_error=False, group="write")
    def _finalize(self, entry_id: str) -> None:
        """Finalize a session note (in a thread)."""
        self.journal.finalize(entry_id)
        self.written("session note finalized", entry_id)

    @on(MainScreen.Written)
    def _written(self, event: MainScreen.Written) -> None:
        self.post_message(JournalEdited(event.what))
        self._wanted = event.select
        if event.what == COMMENT_POSTED:
            self._show_thread_end = event.select  # the new comment, at the end of the pane
        self.reload()

    # --- moving around --------------------------------------------------------------

    def action_focus_search(self) -> None:
        """Move to the search box."""
        self.query_one("#search", Input).focus()

    def action_focus_list(self) -> None:
        """Move to the entry list."""
        self.query_one(EntryList).focus()

    def action_filter_kind(self, kind: str) -> None:
        """Show only entries of `kind` (`''`: every kind)."""
        if kind in (ALL_KINDS, CONFLICTS) or kind in ENTRY_KINDS:
            self.query_one("#kind", Select).value = kind

    def action_clear_filters(self) -> None:
        """Show every entry: empty the search, dates and selects."""
        self._clear_filters()
        self.query_one(EntryList).focus()
