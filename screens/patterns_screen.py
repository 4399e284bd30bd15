"""Patterns: when behavior incidents happen, what comes with them, and sleep and mood.

Pushed from Home (`p`) or the command palette ("Patterns"). It reads every
ABC incident and check-in once, in a thread worker (`journal.patterns`),
and shows: a week by hours heat map of the incidents (`HeatMap`), the most
common antecedents, behaviors, consequences and hypothesized functions,
incidents per week, sleep and mood week by week, and the incidents on days
after a short night beside the other days, as counts only. It says nothing
the counts do not say. What people wrote is shown as plain text, never markup.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from journal.journal import Journal
from journal.model import Entry
from journal.patterns import Patterns, patterns_of, spark, weekly_means
from journal.text import clip, one_line
from screens.data_screen import DataScreen
from widgets.heat_map import HeatMap

__all__ = ["PatternsScreen", "load_patterns"]

_COLUMN = 19
"""Cells of each column of the most common terms (four fit 80 cells)."""


def load_patterns(journal: Journal) -> Patterns:
    """The patterns of the journal's incidents and check-ins (no Textual; fine in a thread)."""
    with journal.lock:
        stored = journal.document().get(Entry.TABLE, {})
        return patterns_of(stored.values())


def common_content(found: Patterns) -> Content:
    """The most common terms of each ABC field, side by side."""
    columns = found.common
    lines = ["".join(f"{label:<{_COLUMN}}" for label, _terms in columns)]
    for row in range(max((len(terms) for _label, terms in columns), default=0)):
        cells = []
        for _label, terms in columns:
            if row < len(terms):
                term, count = terms[row]
                cells.append(f"{clip(one_line(term), _COLUMN - 6)} ({count})")
            else:
                cells.append("")
        lines.append("".join(f"{cell:<{_COLUMN}}" for cell in cells).rstrip())
    if len(lines) == 1:
        lines.append("No antecedent, behavior, consequence or function written yet.")
    return Content.assemble((lines[0], "bold $text-secondary"), "\n", "\n".join(lines[1:]))


def weeks_content(found: Patterns) -> Content:
    """Incidents per week as bars, with the first and last week and the busiest."""
    if not found.weeks:
        return Content("No ABC incidents yet.")
    counts = [count for _week, count in found.weeks]
    busiest = max(found.weeks, key=lambda week: week[1])
    return Content.assemble(
        (spark([float(c) for c in counts]), "$accent"),
        "\n",
        (
            f"{len(found.weeks)} weeks from {found.weeks[0][0]} to {found.weeks[-1][0]}; "
            f"at most {busiest[1]} in the week of {busiest[0]}",
            "$text-muted",
        ),
    )


def checkins_content(found: Patterns) -> Content:
    """Sleep and mood week by week, and the table of days after a short night."""
    sleep, mood = weekly_means(found.sleep), weekly_means(found.mood)
    parts: list[str | tuple[str, str]] = []
    if sleep:
        hours = [h for _w, h in sleep]
        low, high = min(hours), max(hours)
        parts += [("Sleep  ", "bold"), (spark(hours, low, high), "$accent")]
        parts.append((f"  {low:.1f} to {high:.1f} h a night (weekly means)\n", "$text-muted"))
    if mood:
        moods = [m for _w, m in mood]
        parts += [("Mood   ", "bold"), (spark(moods, 1.0, 5.0), "$accent")]
        parts.append((f"  1 to 5 (weekly means, {len(mood)} weeks)\n", "$text-muted"))
    table = found.sleep_table
    if table is None:
        parts.append("No check-in has a bedtime and a wake time yet.")
        return Content.assemble(*parts)
    parts.append(
        (
            f"\nDays after a short night (the usual night is {table.usual_hours:g} h):\n",
            "bold $text-secondary",
        )
    )
    header = f"{'nights':<22}{'days':>6}{'incidents':>11}{'counted in check-ins':>22}"
    parts.append((header + "\n", "$text-muted"))
    for label, days, incidents, counted in table.rows():
        parts.append(f"{label:<22}{days:>6}{incidents:>11}{counted:>22}\n")
    parts.append(("Counts only: they show what happened, not why.", "$text-muted"))
    return Content.assemble(*parts)


class PatternsScreen(DataScreen[Patterns]):
    """Patterns in ABC incidents and check-ins (see the module's docstring)."""

    DEFAULT_CSS = """
    PatternsScreen {
        & #patterns { padding: 0 1; }
        & .heading { text-style: bold; color: $text-primary; margin-top: 1; }
        & #patterns > Static { height: auto; }
    }
    """

    SUB_TITLE = "Patterns"

    WORKER_ERRORS: ClassVar[dict[str, str]] = {"read": "Could not read the patterns"}
    """Failures of the worker, as `widgets.workers.WorkerHost` (MainScreen) reports them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="patterns.back"),
    ]

    @property
    def found(self) -> Patterns | None:
        """The patterns shown, once loaded."""
        return self.data

    def compose(self) -> ComposeResult:
        """The headings and what they show."""
        yield Header()
        with VerticalScroll(id="patterns"):
            yield Static("When incidents happen", classes="heading", id="heat-heading")
            yield HeatMap(Content("Reading the incidents…"))
            yield Static("Most common", classes="heading")
            yield Static("", id="common")
            yield Static("Incidents per week", classes="heading")
            yield Static("", id="weeks")
            yield Static("Sleep and mood", classes="heading")
            yield Static("", id="checkins")
        yield Footer()

    def read_data(self) -> Patterns:
        """Work the patterns out (in a worker)."""
        return load_patterns(self.journal)

    def show_data(self, found: Patterns) -> None:
        """Show the patterns just worked out."""
        untimed = f"; {found.untimed} without a time of day" if found.untimed else ""
        heading = f"When incidents happen ({found.incidents} ABC incidents{untimed})"
        self.query_one("#heat-heading", Static).update(Content(heading))
        self.query_one(HeatMap).show(found.heat)
        self.query_one("#common", Static).update(common_content(found))
        self.query_one("#weeks", Static).update(weeks_content(found))
        self.query_one("#checkins", Static).update(checkins_content(found))

    def action_back(self) -> None:
        """Back to where Patterns was opened."""
        self.dismiss()
