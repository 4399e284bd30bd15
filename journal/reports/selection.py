"""What an export holds: its filters, the records they select, and one consistent
reading of the journal that every format builds from.

    reading = read(journal, {"since": "2025-03-01", "pseudonym": "Alex"})
    reading.chosen.entries        # the selected records (`Selection`)
    reading.found.name(author)    # names, goal titles, threads (`Lookups`)
    reading.replace(text)         # the pseudonym, if any (`pseudonymizer`)

Every export (JSON, Markdown, CSV, HTML, the preview) takes the same
filters, `ExportFilters`, and reads the journal once through `read`, under
the journal's lock, so that the app saving or merging meanwhile cannot mix
two versions in one export. After `read`, formats touch only the reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from journal import goals as goal_rules
from journal.errors import UsageError
from journal.journal import Journal
from journal.model import (
    Comment,
    Event,
    Goal,
    GoalEvent,
    Measurement,
    Member,
    Resource,
    Thread,
)
from journal.reports.pseudonyms import member_labels, pseudonymizer

if TYPE_CHECKING:
    from journal.model import Entry, JournalInfo, Session

__all__ = [
    "MEETING_WEEKS",
    "PRESETS",
    "ExportFilters",
    "Lookups",
    "Reading",
    "Selection",
    "check_filters",
    "lookups",
    "measurements_by_goal",
    "preset_filters",
    "read",
    "select",
]

_DATE_PREFIX = re.compile(r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2})?)?)?")


class ExportFilters(TypedDict, total=False):
    """The filters every export takes (each left out, or None, lets all through)."""

    since: str | None
    """The first day included ('YYYY-MM-DD', or a prefix of it)."""
    until: str | None
    """The last day included."""
    kind: str | Sequence[str] | None
    """Only entries of this kind, or of these kinds (other records are not narrowed)."""
    goal: str | Sequence[str] | None
    """Only this goal, or these (ids or unique prefixes), with their objectives and what
    links to them."""
    pseudonym: str | None
    """The child's name is replaced with this in every text (`pseudonymizer`), and the
    members' names with their roles, unless `names`."""
    names: bool
    """With a pseudonym: keep the members' names (default: 'Parent 1', 'Therapist')."""
    drafts: bool
    """Session notes not finalized yet (default: True, included)."""
    threads: bool
    """Comments and thread states (default: True, included)."""


PRESETS: dict[str, ExportFilters] = {
    "meeting": {
        "kind": ("session", "incident", "observation", "win"),
        "drafts": False,
        "threads": False,
    },
    "full": {},
}
"""What `--preset` sets, unless given otherwise. A meeting's report holds the goals with
their charts and the last `MEETING_WEEKS` weeks' highlights: finalized session notes,
incidents, observations and wins; no drafts, no check-ins or questions (the family's
day-to-day), no threads."""

MEETING_WEEKS = 4
"""How far back a meeting's report goes when no start date is given."""


def preset_filters(preset: str, filters: ExportFilters, *, today: str) -> ExportFilters:
    """`filters` completed by `preset` ('meeting' or 'full'); what `filters` sets wins.

    `today` ('YYYY-MM-DD') dates a meeting's report back `MEETING_WEEKS` weeks.
    """
    if preset not in PRESETS:
        raise UsageError(f"no preset {preset!r}: use one of {', '.join(PRESETS)}")
    merged: ExportFilters = {**PRESETS[preset]}
    if preset == "meeting" and not filters.get("since"):
        from datetime import date, timedelta

        start = date.fromisoformat(today) - timedelta(weeks=MEETING_WEEKS)
        merged["since"] = start.isoformat()
    merged.update({k: v for k, v in filters.items() if v not in (None, (), [])})  # type: ignore[typeddict-item]
    return merged


def _many(value: str | Sequence[str] | None) -> list[str] | None:
    """A filter given once or repeated, as a list (None: not given)."""
    if value is None or value == "":
        return None
    return [value] if isinstance(value, str) else list(value)


def _check_date(name: str, value: str | None) -> None:
    if value is not None and not _DATE_PREFIX.fullmatch(value):
        raise UsageError(f"{name} must be a date like 2025-03-01, not {value!r}")


def check_filters(filters: ExportFilters) -> None:
    """Refuse dates that are not dates, and a start after the end (one-line UsageError)."""
    since, until = filters.get("since"), filters.get("until")
    _check_date("the start date", since)
    _check_date("the end date", until)
    if since is not None and until is not None and since > until:
        raise UsageError(f"the start date {since} is after the end date {until}")


def _in_range(stamp: str, since: str | None, until: str | None) -> bool:
    if since is not None and stamp[: len(since)] < since:
        return False
    return not (until is not None and stamp[: len(until)] > until)


# --- the records ------------------------------------------------------------------------


@dataclass
class Selection:
    """The records an export holds after its filters."""

    info: JournalInfo
    members: list[Member]
    entries: list[Entry]
    goals: list[Goal]
    measurements: list[Measurement]
    comments: list[Comment]
    threads: list[Thread]
    resources: list[Resource]
    sessions: list[Session]
    events: list[Event] = field(default_factory=list)
    """Dated events ("started melatonin") in the period, of the goals chosen or of every goal."""


def select(
    journal: Journal,
    *,
    since: str | None = None,
    until: str | None = None,
    kind: str | Sequence[str] | None = None,
    goal: str | Sequence[str] | None = None,
    drafts: bool = True,
    threads: bool = True,
) -> Selection:
    """Pick the records an export holds.

    `since` and `until` (dates, inclusive) narrow entries by the day they
    are about, measurements and events by their date, sessions by their
    start and standalone topics by their creation. `kind` narrows entries only.
    `goal` (an id or unique prefix) narrows entries to those linked to the
    goal or one of its objectives, goals, measurements and resources to that
    goal and its objectives, and events to theirs and those of every goal;
    both may be repeated. Comments and thread states follow the records they
    are about (none without `threads`); draft session notes go without
    `drafts`. Tombstones are never exported.
    """
    _check_date("since", since)
    _check_date("until", until)
    all_goals = journal.goals()
    goal_ids: set[str] | None = None
    kinds, goals_asked = _many(kind), _many(goal)
    if goals_asked is not None:
        goal_ids = {journal.get(Goal, asked).id for asked in goals_asked}
        grew = True
        while grew:
            children = {g.id for g in all_goals if g.parent_id in goal_ids}
            grew = not children <= goal_ids
            goal_ids |= children
    entries = journal.entries(
        kind=kinds[0] if kinds and len(kinds) == 1 else None, since=since, until=until
    )
    if kinds is not None and len(kinds) > 1:
        entries = [e for e in entries if e.kind in kinds]
    if not drafts:
        entries = [e for e in entries if e.kind != "session" or e.locked]
    if goal_ids is not None:
        entries = [e for e in entries if goal_ids.intersection(e.goals)]
    goals = [g for g in all_goals if goal_ids is None or g.id in goal_ids]
    kept_goals = {g.id for g in goals}
    measurements = sorted(
        (
            m
            for m in journal.all(Measurement)
            if m.goal_id in kept_goals and _in_range(m.date, since, until)
        ),
        key=lambda m: (m.goal_id, *goal_rules.point_order(m)),
    )
    resources = sorted(
        (r for r in journal.all(Resource) if goal_ids is None or r.goal_id in goal_ids),
        key=lambda r: r.created_at,
    )
    sessions = [s for s in journal.sessions() if _in_range(s.starts_at, since, until)]
    events = sorted(
        (
            e
            for e in journal.all(Event)
            if _in_range(e.date, since, until)
            and (goal_ids is None or not e.goals or goal_ids.intersection(e.goals))
        ),
        key=lambda e: (e.date, e.created_at, e.id),
    )
    topics: list[Thread] = []
    if kinds is None and goals_asked is None and threads:
        topics = [
            t for t in journal.all(Thread) if t.topic and _in_range(t.created_at, since, until)
        ]
    targets = {r.id for group in (entries, goals, resources, sessions, topics) for r in group}
    comments = sorted(
        (
            c
            for c in journal.all(Comment)
            if c.target_id in targets and (threads or c.kind == "addendum")
        ),
        key=lambda c: (c.created_at, c.id),
    )
    states = sorted(
        (t for t in journal.all(Thread) if t.id in targets and threads),
        key=lambda t: t.created_at,
    )
    return Selection(
        info=journal.info,
        members=journal.members(),
        entries=entries,
        goals=goals,
        measurements=measurements,
        comments=comments,
        threads=states,
        resources=resources,
        sessions=sessions,
        events=events,
    )


# --- what the formats look up -----------------------------------------------------------


@dataclass
class Lookups:
    """What an export looks up for many records, read once from the journal.

    Member names and roles (removed members too, so old records keep their
    author), goals and their titles (deleted goals too), the selection's
    comments by the record they are about (oldest first), and thread states.
    """

    members: dict[str, Member] = field(default_factory=dict)
    goal_titles: dict[str, str] = field(default_factory=dict)
    comments: dict[str, list[Comment]] = field(default_factory=dict)
    thread_status: dict[str, str] = field(default_factory=dict)
    goals: dict[str, Goal] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    """In a pseudonymised report: member id -> role label, used instead of names."""

    def name(self, member_id: str | None) -> str:
        """A member's display name (their role label in a pseudonymised report), or 'unknown'."""
        if member_id in self.labels:
            return self.labels[member_id or ""]
        member = self.members.get(member_id or "")
        return member.name if member else "unknown"

    def role(self, member_id: str | None) -> str:
        """A member's role, or ''."""
        member = self.members.get(member_id or "")
        return member.role if member else ""

    def posts(self, target_id: str) -> list[Comment]:
        """The thread on a record: its comments (not addenda), oldest first."""
        return [c for c in self.comments.get(target_id, ()) if c.kind == "comment"]

    def addenda(self, target_id: str) -> list[Comment]:
        """The addenda of a finalized session note, oldest first."""
        return [c for c in self.comments.get(target_id, ()) if c.kind == "addendum"]

    def status(self, target_id: str) -> str:
        """'open' or 'resolved'."""
        return self.thread_status.get(target_id, "open")


def lookups(journal: Journal, chosen: Selection) -> Lookups:
    """Build the `Lookups` of a selection: one pass over members, goals and threads."""
    by_target: dict[str, list[Comment]] = {}
    for comment in chosen.comments:  # already oldest first
        by_target.setdefault(comment.target_id, []).append(comment)
    every_goal = {g.id: g for g in journal.all(Goal, include_deleted=True)}
    return Lookups(
        members=journal.members_by_id(),
        goal_titles={goal_id: g.title for goal_id, g in every_goal.items()},
        comments=by_target,
        thread_status={t.id: t.status for t in journal.all(Thread)},
        goals=every_goal,
    )


def measurements_by_goal(journal: Journal) -> dict[str, list[Measurement]]:
    """Every goal's data points, oldest first, in one pass over the measurements."""
    grouped: dict[str, list[Measurement]] = {}
    for m in journal.all(Measurement):
        grouped.setdefault(m.goal_id, []).append(m)
    for points in grouped.values():
        points.sort(key=goal_rules.point_order)
    return grouped


# --- one reading for one export ---------------------------------------------------------


@dataclass
class Reading:
    """Everything one export is built from, read from the journal at one moment."""

    filters: ExportFilters
    chosen: Selection
    replace: Callable[[str], str]
    """Replaces the child's name with the pseudonym (returns texts unchanged without one)."""
    journal_id: str
    found: Lookups = field(default_factory=Lookups)
    all_points: dict[str, list[Measurement]] = field(default_factory=dict)
    """Each chosen goal's data points of every date, oldest first: the mastery criterion
    looks at the latest ones, whatever the period."""
    history: dict[str, list[GoalEvent]] = field(default_factory=dict)
    """Each chosen goal's status moves, oldest first."""
    events: list[Event] = field(default_factory=list)
    """The dated events in the period that concern a chosen goal (or every goal), by day."""

    def goal_events(self, goal: Goal) -> list[Event]:
        """The events drawn on `goal`'s chart: its own and those of every goal."""
        return [e for e in self.events if not e.goals or goal.id in e.goals]

    def criterion_met(self, goal: Goal) -> bool:
        """Whether the goal's data (of every date) meet its mastery criterion."""
        return goal_rules.criterion_met(goal, self.all_points.get(goal.id, ()))

    def period_points(self) -> dict[str, list[Measurement]]:
        """The chosen data points (those in the period) by goal id, oldest first."""
        by_goal: dict[str, list[Measurement]] = {}
        for m in self.chosen.measurements:
            by_goal.setdefault(m.goal_id, []).append(m)
        return by_goal


def read(journal: Journal, filters: ExportFilters, *, details: bool = True) -> Reading:
    """Read what an export with `filters` holds, under the journal's lock.

    With `details` (every format), also the lookups, every data point of the
    chosen goals and their status history; without, only the selection (what
    the preview counts). Raises UsageError for a filter or pseudonym an
    export refuses.
    """
    pseudonym, names = filters.get("pseudonym"), filters.get("names", False)
    replace = pseudonymizer(journal, pseudonym, names=names)
    with journal.lock:  # one consistent reading, even while the app saves or merges
        chosen = select(
            journal,
            since=filters.get("since"),
            until=filters.get("until"),
            kind=filters.get("kind"),
            goal=filters.get("goal"),
            drafts=filters.get("drafts", True),
            threads=filters.get("threads", True),
        )
        reading = Reading(filters, chosen, replace, journal.journal_id)
        if details:
            reading.found = lookups(journal, chosen)
            if pseudonym is not None and not names:
                members = journal.all(Member, include_deleted=True)
                reading.found.labels = member_labels(members)
            if chosen.goals:
                reading.all_points = measurements_by_goal(journal)
                events = sorted(journal.all(GoalEvent), key=lambda e: (e.created_at, e.id))
                for event in events:
                    reading.history.setdefault(event.goal_id, []).append(event)
            chosen_goals = {g.id for g in chosen.goals}
            since, until = filters.get("since"), filters.get("until")
            reading.events = [
                e
                for e in journal.events()
                if _in_range(e.date, since, until)
                and (not e.goals or chosen_goals.intersection(e.goals))
                and (chosen_goals or not filters.get("goal"))
            ]
    return reading
