"""The printable progress report: one self-contained HTML page.

    html_text = export_html(journal, since="2025-03-01", pseudonym="Alex")
    write_export(journal.path, Path("report.html"), html_text)

Families bring the report to school meetings and doctors; clinicians attach
it to records. It is one file that makes no network request and runs no
script: a strict Content-Security-Policy forbids both, images may only be
inline `data:` URLs, and the charts are SVG drawn here.

The page is written as Jinja2 templates (templates/report.html.j2 and the
parts it includes) with autoescaping on: every value is escaped unless it
is `Markup`, and only three things are: the stylesheet (the package's own
templates/report.css, no user text), entry bodies rendered by
`render_markdown` (markdown-it-py with raw HTML escaped, links limited to
http, https and mailto), and nothing else. With a pseudonym, the child's
name is replaced in every text people wrote before it is escaped or
rendered (the templates' `pseudo` filter and `Page.markdown`), with the
same replacement as the other exports (`pseudonymizer`).

The report reads the journal once (`read`, under the journal's lock), then
builds the page from that reading without touching the journal again;
plain-prose bodies skip markdown-it (same HTML, see `render_markdown`). A
10,000-entry journal with 50 goals takes under a second of CPU
(bench/report.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from functools import cache, cached_property
from importlib import resources
from typing import Unpack

from markupsafe import Markup

from journal import goals as goal_rules
from journal.journal import Journal
from journal.model import (
    ENTRY_KIND_LABELS,
    KIND_FIELDS,
    Comment,
    Entry,
    Event,
    Goal,
    GoalEvent,
    Measurement,
    Thread,
    utc_now,
)
from journal.patterns import Patterns, patterns_of, shade, spark
from journal.reports.chart import Chart
from journal.reports.common import local_when
from journal.reports.safe_markdown import markdown_renderer, render_markdown
from journal.reports.selection import ExportFilters, Reading, read
from journal.reports.templating import template

__all__ = ["CSP", "STYLE", "Page", "export_html"]

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)
"""The report's Content-Security-Policy: no script, no request, inline styles and data: images."""

STYLE = resources.files("journal.reports").joinpath("templates/report.css").read_text("utf-8")
"""The report's stylesheet (templates/report.css), inlined in its <style> element."""

"""Statuses in which a met criterion waits for the therapist to move the goal on."""

_SPECS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    kind: tuple((spec.name, spec.label, spec.type == "long") for spec in specs)
    for kind, specs in KIND_FIELDS.items()
}
_KNOWN: dict[str, frozenset[str]] = {
    kind: frozenset(spec.name for spec in specs) for kind, specs in KIND_FIELDS.items()
}


@cache
def _day_label(day: str) -> str:
    """'2025-03-04' as 'Tuesday 4 March 2025' (the text itself if it is not a date)."""
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        return day
    return f"{parsed:%A} {parsed.day} {parsed:%B %Y}"


class _Known(dict[str, str]):
    """A dict that works a missing value out with `make`, once: templates read it by
    key (a lookup costs far less than a call from a template)."""

    def __init__(self, make: Callable[[str], str]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: str) -> str:
        value = self[key] = self._make(key)
        return value


class Page:
    """What the report's templates show, worked out from one reading of the journal.

    Texts are plain (the templates escape them); names and goal titles come
    with the pseudonym already in place.
    """

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        self.chosen = reading.chosen
        self.found = reading.found
        self.replace = reading.replace
        self.points = reading.period_points()
        self.made = local_when(utc_now())
        self._md = markdown_renderer()
        found, replace = self.found, self.replace
        self.names = _Known(lambda member_id: replace(found.name(member_id)))
        """Member id -> name (with the pseudonym), 'unknown' for an id not found."""
        self.roles = _Known(found.role)
        """Member id -> role ('' for an id not found)."""
        self.goal_titles = _Known(
            lambda goal_id: replace(found.goal_titles.get(goal_id, goal_id[:8]))
        )
        """Goal id -> title (with the pseudonym); a goal not found, the start of its id."""
        self.kind_labels = _Known(lambda kind: ENTRY_KIND_LABELS.get(kind, kind))
        """Entry kind -> its label ('Check-in')."""
        self.posts: dict[str, list[Comment]] = {}
        """Record id -> the comments of its thread, oldest first (records with any)."""
        self.addenda: dict[str, list[Comment]] = {}
        """Entry id -> its addenda, oldest first (entries with any)."""
        for target_id, comments in found.comments.items():
            for comment in comments:
                shown = self.posts if comment.kind == "comment" else self.addenda
                shown.setdefault(target_id, []).append(comment)

    def markdown(self, text: str) -> Markup:
        """Markdown people wrote, with the pseudonym, as HTML.

        Marked safe: `render_markdown` escapes raw HTML and every text, and
        keeps only safe links (see journal/reports/safe_markdown.py).
        """
        return Markup(render_markdown(self._md, self.replace(text)))

    # --- the cover ---------------------------------------------------------------------
    @property
    def title(self) -> str:
        """The journal's title on one line (with the pseudonym)."""
        return self.replace(" ".join(self.chosen.info.title.split()) or "Tandem journal")

    @property
    def child(self) -> str:
        """The child's name on one line ('' when the page has none)."""
        return " ".join(self.chosen.info.child_name.split())

    @property
    def period(self) -> str:
        """'2025-03-01 to 2025-05-31': the filters' dates, else the first and last data."""
        days = [e.occurred_at[:10] for e in self.chosen.entries]
        days += [m.date for m in self.chosen.measurements]
        filters = self.reading.filters
        start = filters.get("since") or (min(days) if days else "")
        end = filters.get("until") or (max(days) if days else "")
        return f"{start} to {end}" if start or end else "nothing in this period"

    @property
    def narrowed(self) -> str:
        """What the kind and goal filters keep, in words ('' without them)."""
        filters, chosen = self.reading.filters, self.chosen
        narrowed = []
        kind = filters.get("kind")
        kinds = [kind] if isinstance(kind, str) else list(kind or ())
        if kinds:
            labels = ", ".join(ENTRY_KIND_LABELS.get(k, k) for k in kinds)
            narrowed.append(f"entries of the kind{'s' if len(kinds) > 1 else ''} {labels}")
        goal = filters.get("goal")
        asked = [goal] if isinstance(goal, str) else list(goal or ())
        if len(asked) == 1 and chosen.goals:
            narrowed.append(f"the goal “{self.replace(chosen.goals[0].title)}” and its objectives")
        elif asked and chosen.goals:
            narrowed.append(f"{len(asked)} goals and their objectives")
        if filters.get("drafts") is False:
            narrowed.append("no draft session notes")
        if filters.get("threads") is False:
            narrowed.append("no threads")
        return "; ".join(narrowed)

    @property
    def links(self) -> list[tuple[str, str, int]]:
        """(anchor, label, count) of each part of the report that has anything."""
        chosen = self.chosen
        links = [
            ("goals", "Goals", len(chosen.goals)),
            ("events", "Events", len(self.reading.events)),
            ("patterns", "Patterns", self.patterns.incidents + len(self.patterns.mood)),
            ("entries", "Entries", len(chosen.entries)),
            ("sessions", "Sessions", len(chosen.sessions)),
            ("resources", "Resources", len(chosen.resources)),
            ("discussions", "Discussions", len(self.topics)),
        ]
        return [link for link in links if link[2]]

    # --- goals ----------------------------------------------------------------------
    def awaiting_confirmation(self, goal: Goal) -> bool:
        """The criterion is met and the goal not moved on yet: the therapist confirms."""
        return goal.status in goal_rules.AWAITING_CONFIRMATION and self.reading.criterion_met(goal)

    def goal_points(self, goal: Goal) -> list[Measurement]:
        """The goal's data points in the period, oldest first."""
        return self.points.get(goal.id, [])

    def point(self, goal: Goal, m: Measurement) -> str:
        """A data point as people read it: '7/10 (70%)', '12', '8 min', '4/5'; '-'."""
        return goal_rules.point_text(goal.measure, m) or "-"

    def history(self, goal: Goal) -> list[GoalEvent]:
        """The goal's status moves, oldest first."""
        return self.reading.history.get(goal.id, [])

    def chart(self, goal: Goal, number: int) -> Chart:
        """The chart of the goal's data points in the period, with its events."""
        title = self.replace(goal.title)
        events = [
            Event(id=e.id, date=e.date, title=self.replace(e.title))
            for e in self.reading.goal_events(goal)
        ]
        return Chart.of(goal, self.goal_points(goal), f"chart-{number}", title, events)

    def trend(self, goal: Goal) -> str:
        """The trend of the goal's data in the period, in one sentence (`goals`)."""
        return goal_rules.trend_sentence(goal, goal_rules.trend_points(self.goal_points(goal)))

    # --- events and patterns -------------------------------------------------------------
    @property
    def events(self) -> list[Event]:
        """The dated events in the period, by day."""
        return self.reading.events

    @cached_property
    def patterns(self) -> Patterns:
        """The patterns of the incidents and check-ins in the period (`journal.patterns`)."""
        return patterns_of(self.chosen.entries)

    def heat_level(self, count: int) -> int:
        """How dark a heat map cell is drawn: 0 to 4."""
        return shade(count, self.patterns.busiest)

    def spark(self, values: list[float], low: float | None = None) -> str:
        """Values as a line of bars ('▁▃█▂')."""
        return spark(values, low)

    # --- entries and the rest -----------------------------------------------------------
    def days(self) -> list[tuple[str, str, list[Entry]]]:
        """(day, the day in words, its entries) for each day with entries, newest first."""
        grouped = itertools.groupby(self.chosen.entries, key=lambda e: e.occurred_at[:10])
        return [(day, _day_label(day), list(entries)) for day, entries in grouped]

    def fields(self, entry: Entry) -> list[tuple[str, str, bool]]:
        """(label, value, wide) of each structured field of an entry that has a value.

        The kind's fields in order, then any other field (from an import), whose
        name, turned into a label, is text people wrote: it has the pseudonym.
        """
        values = entry.fields
        if not values:
            return []
        found: list[tuple[str, str, bool]] = []
        for name, label, long in _SPECS.get(entry.kind, ()):
            value = values.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            found.append((label, str(value), long))
        known = _KNOWN.get(entry.kind, frozenset())
        for name, value in values.items():
            if name not in known and value not in (None, ""):
                label = self.replace(name.replace("_", " ").capitalize())
                found.append((label, str(value), True))
        return [
            (label, value, long or len(value) > 40 or "\n" in value) for label, value, long in found
        ]

    @property
    def topics(self) -> list[Thread]:
        """The standalone topics (threads that are not about a record)."""
        return [t for t in self.chosen.threads if t.topic]


def export_html(journal: Journal, **filters: Unpack[ExportFilters]) -> str:
    """The progress report as one self-contained HTML page (filters as in `export_json`).

    A cover (title, period, the child, the team and their roles, the goals
    with their status), then each goal with its criterion, an SVG chart of
    its data with the criterion line, its data table and thread, then the
    entries by day, newest first, with their structured fields, body,
    addenda and threads, then sessions, resources and discussions. No
    script and no request: see the module's docstring. With `pseudonym`,
    the child's name is replaced everywhere.
    """
    page = Page(read(journal, filters))  # from here on, only the records read
    # The stylesheet is the package's own file (no user text) and must not be
    # escaped: a <style> element's text is not decoded, so entities would break it.
    return template("report.html.j2").render(page=page, csp=CSP, style=Markup(STYLE))
