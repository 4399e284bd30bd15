"""The journal's filter bar: search, dates, kind, author, tag and goal, and a count.

The bar shows what the person typed and chose; `entry_filter` reads it as an
`EntryFilter` (a date being typed, or wrong, does not filter). The changes of
its inputs and selects bubble up to the screen, which reads the list again;
the screen hands the bar the authors, tags and goals to offer
(`set_choices`), and the count line (`#count`). A wrong date is marked and
said on one line under the bar once it is complete or left (blur, Enter).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Select, Static

from journal.dates import parse_date
from journal.journal import Journal
from journal.model import ENTRY_KIND_LABELS, ENTRY_KINDS, Entry, Goal
from journal.rows import EntryRow, entry_rows
from journal.text import one_line

__all__ = [
    "ALL",
    "CONFLICTS",
    "EntryFilter",
    "EntryFilterBar",
    "FilterChoices",
    "conflicted_entries",
]

ALL = ""
"""A filter select's value for 'no filter'."""

CONFLICTS = "conflicts"
"""The kind filter's value for 'entries changed on two copies at once', to resolve."""

_DATES = (("since", "From"), ("until", "To"))
"""The date inputs' ids, and how the error line names them."""


@dataclass(frozen=True)
class EntryFilter:
    """Which entries to show: each part empty means 'any'. Dates are 'YYYY-MM-DD'."""

    search: str = ""
    kind: str = ALL
    author: str = ALL
    tag: str = ALL
    goal: str = ALL
    since: str = ""
    until: str = ""

    @property
    def active(self) -> bool:
        """True when any part narrows the list."""
        return any(getattr(self, part.name) for part in fields(self))

    def rows(self, journal: Journal, *, newest_only: bool = False) -> list[EntryRow]:
        """The entries of `journal` this filter lets through, newest first, as list rows.

        With `newest_only`, a journal still reading its older entries gives
        only the newest rows (see `entry_rows`).
        """
        rows = entry_rows(
            journal,
            newest_only=newest_only,
            search=self.search or None,
            kind=(self.kind or None) if self.kind != CONFLICTS else None,
            author=self.author or None,
            tag=self.tag or None,
            goal=self.goal or None,
            since=self.since or None,
            until=self.until or None,
        )
        if self.kind == CONFLICTS:
            conflicted = conflicted_entries(journal)
            rows = [row for row in rows if row.id in conflicted]
        return rows


def conflicted_entries(journal: Journal) -> frozenset[str]:
    """The ids of the entries with something to resolve (changed on two copies at once)."""
    return frozenset(r.id for r in journal.records_in_conflict() if isinstance(r, Entry))


@dataclass(frozen=True)
class FilterChoices:
    """What the author, tag and goal filters offer: (label, value) pairs, and the goals."""

    authors: tuple[tuple[str, str], ...]
    tags: tuple[tuple[str, str], ...]
    goals: tuple[tuple[str, str], ...]
    goal_records: tuple[Goal, ...] = ()

    @classmethod
    def load(cls, journal: Journal) -> FilterChoices:
        """Read the choices from `journal` (no Textual; fine in a thread)."""
        members = sorted(journal.members_by_id().values(), key=lambda m: m.created_at)
        goals = journal.goals()
        return cls(
            authors=tuple(
                (one_line(m.name) + (" (removed)" if m.deleted else ""), m.id) for m in members
            ),
            tags=tuple((f"#{one_line(tag)}", tag) for tag in journal.tags()),
            goals=tuple((one_line(goal.title), goal.id) for goal in goals),
            goal_records=tuple(goals),
        )


class EntryFilterBar(Vertical):
    """Two rows of filters and a line saying what is wrong with a date."""

    DEFAULT_CSS = """
    EntryFilterBar {
        height: auto;
        padding: 0 1;
        & .filter-row { height: 1; }
        & .filter-row > Select, & .filter-row > Input { margin-right: 1; }
        & #search { width: 1fr; }
        & #kind { width: 24; }
        & #author { width: 24; }
        & #tag { width: 22; }
        & #goal { width: 1fr; max-width: 40; }
        & .filter-label { width: auto; padding: 0 1 0 0; color: $text-muted; }
        & #since, & #until { width: 14; }
        & #count { width: 1fr; min-width: 12; text-align: right; color: $text-muted; }
        & #filter-error { color: $text-error; display: none; }
        & #filter-error.-shown { display: block; }
    }
    """

    _CHOICES = (("author", "All authors"), ("tag", "All tags"), ("goal", "All goals"))
    """The selects whose choices come from the journal, and what each offers for 'any'."""

    def __init__(self, *, id: str | None = None) -> None:
        """An empty bar: every entry passes."""
        super().__init__(id=id)
        self._choice_keys: dict[str, tuple[tuple[str, str], ...]] = {}
        self._dates_left: set[str] = set()  # date inputs left (blur, Enter): show their errors

    def compose(self) -> ComposeResult:
        """Search and dates; kind, author, tag, goal and the count; the error line."""
        with Horizontal(classes="filter-row"):
            yield Input(placeholder="Search entries (/)", id="search", compact=True)
            yield Static("From", classes="filter-label")
            yield self._date_input("since")
            yield Static("to", classes="filter-label")
            yield self._date_input("until")
        with Horizontal(classes="filter-row"):
            yield Select(
                [(Content("All kinds"), ALL)]
                + [(Content(ENTRY_KIND_LABELS[kind]), kind) for kind in ENTRY_KINDS]
                + [(Content("⚠ Conflicts"), CONFLICTS)],
                value=ALL,
                allow_blank=False,
                id="kind",
                compact=True,
            )
            for select_id, everything in self._CHOICES:
                yield Select(
                    [(Content(everything), ALL)],
                    value=ALL,
                    allow_blank=False,
                    id=select_id,
                    compact=True,
                )
            yield Static("", id="count")
        yield Static("", id="filter-error")

    @staticmethod
    def _date_input(input_id: str) -> Input:
        return Input(
            placeholder="YYYY-MM-DD",
            id=input_id,
            restrict=r"[0-9-]*",
            max_length=10,
            compact=True,
        )

    # --- what the bar holds ------------------------------------------------------------

    @property
    def entry_filter(self) -> EntryFilter:
        """The filter the bar shows (a date being typed or wrong does not filter)."""
        return EntryFilter(
            search=self._input("search").value.strip(),
            kind=self._select_value("kind"),
            author=self._select_value("author"),
            tag=self._select_value("tag"),
            goal=self._select_value("goal"),
            since=self._date_value("since")[0],
            until=self._date_value("until")[0],
        )

    @property
    def holds_filter(self) -> bool:
        """True when the bar holds any filter (also a date still being typed)."""
        typed = any(self._input(input_id).value for input_id in ("search", "since", "until"))
        return typed or self.entry_filter.active

    def _input(self, input_id: str) -> Input:
        return self.query_one(f"#{input_id}", Input)

    def _select_value(self, select_id: str) -> str:
        value = self.query_one(f"#{select_id}", Select).value
        return value if isinstance(value, str) else ALL

    def _date_value(self, input_id: str) -> tuple[str, str]:
        """(the date to filter with, or '', and what is wrong with the typed text)."""
        text = self._input(input_id).value.strip()
        if not text:
            return "", ""
        try:
            return parse_date(text), ""
        except ValueError as error:
            return "", str(error)

    # --- what the screen hands down -----------------------------------------------------

    def set_choices(self, choices: FilterChoices) -> bool:
        """Offer `choices`, keeping those chosen; True when one chosen is gone (now 'any')."""
        offered = {"author": choices.authors, "tag": choices.tags, "goal": choices.goals}
        gone = False
        for select_id, everything in self._CHOICES:
            gone |= self._set_options(select_id, everything, offered[select_id])
        return gone

    def _set_options(
        self, select_id: str, everything: str, choices: tuple[tuple[str, str], ...]
    ) -> bool:
        if self._choice_keys.get(select_id) == choices:
            return False
        self._choice_keys[select_id] = choices
        select: Select[str] = self.query_one(f"#{select_id}", Select)
        current = select.value
        options = [(Content(everything), ALL)] + [(Content(label), v) for label, v in choices]
        with self.prevent(Select.Changed):
            select.set_options(options)
            keep = current if any(value == current for _label, value in options) else ALL
            select.value = keep
        return keep != current

    def clear(self) -> None:
        """Empty the search and the dates, and choose 'any' everywhere (no Changed is sent)."""
        with self.prevent(Input.Changed, Select.Changed):
            for input_id in ("search", "since", "until"):
                self._input(input_id).value = ""
            for select_id in ("kind", "author", "tag", "goal"):
                self.query_one(f"#{select_id}", Select).value = ALL
        self._dates_left.clear()
        self._show_date_errors()

    # --- wrong dates ------------------------------------------------------------------

    def _show_date_errors(self) -> None:
        """Mark wrong dates and say what is wrong, on one line under the filters."""
        messages: list[str] = []
        values: dict[str, str] = {}
        for input_id, label in _DATES:
            box = self._input(input_id)
            value, problem = self._date_value(input_id)
            values[input_id] = value
            # A date being typed is not wrong yet: only once complete, or when left.
            show = bool(problem) and (len(box.value.strip()) >= 10 or input_id in self._dates_left)
            box.set_class(show, "-invalid")
            if show:
                messages.append(f"{label}: {problem}")
        if values["since"] and values["until"] and values["since"] > values["until"]:
            messages.append("“From” is after “to”, so no entry can match.")
        error = self.query_one("#filter-error", Static)
        error.update(Content("  ".join(messages)))
        error.set_class(bool(messages), "-shown")

    @on(Input.Changed, "#since, #until")
    def _date_changed(self, event: Input.Changed) -> None:
        self._dates_left.discard(event.input.id or "")
        self._show_date_errors()

    @on(Input.Submitted, "#since, #until")
    @on(Input.Blurred, "#since, #until")
    def _date_left(self, event: Input.Submitted | Input.Blurred) -> None:
        self._dates_left.add(event.input.id or "")
        self._show_date_errors()
