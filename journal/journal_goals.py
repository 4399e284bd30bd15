"""The goals part of `Journal`: goals, their status moves, their measurements, and the
dated events drawn on their charts.

`GoalMethods` is mixed into `Journal` (journal/journal.py); see `journal_base`.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from journal.errors import JournalLocked, UsageError
from journal.goals import DEFAULT_CRITERION, DEFAULT_SESSIONS, range_problem
from journal.journal_base import JournalBase, check_choice, locked
from journal.model import (
    COLLECTORS,
    GOAL_STATUSES,
    INTERVAL_KINDS,
    MEASURES,
    Event,
    Goal,
    GoalEvent,
    Measurement,
)


class GoalMethods(JournalBase):
    """Goals and objectives, their history of status moves, and their data points."""

    @locked
    def add_goal(
        self,
        title: str,
        *,
        measure: str = "percent",
        domain: str = "",
        description: str = "",
        method: str = "",
        desired_outcome: str = "",
        owner: str = "both",
        status: str = "baseline",
        criterion_value: float | None = None,
        criterion_sessions: int = DEFAULT_SESSIONS,
        review_date: str = "",
        start_date: str = "",
        setting: str = "",
        parent_id: str | None = None,
        prompt_levels: Iterable[str] | None = None,
    ) -> Goal:
        """Add a goal; the mastery criterion defaults to 90% across 3 sessions."""
        check_choice("measure", measure, MEASURES)
        check_choice("status", status, GOAL_STATUSES)
        if not title.strip():
            raise UsageError("a goal needs a title")
        if parent_id is not None:
            parent_id = self.get(Goal, parent_id).id
        default_value = DEFAULT_CRITERION[measure]
        goal = Goal(
            title=title.strip(),
            measure=measure,
            domain=domain,
            description=description,
            method=method,
            desired_outcome=desired_outcome,
            owner=owner,
            status=status,
            criterion_value=default_value if criterion_value is None else criterion_value,
            criterion_sessions=criterion_sessions,
            review_date=review_date,
            start_date=start_date,
            setting=setting,
            parent_id=parent_id,
        )
        levels = [level.strip() for level in prompt_levels or () if level.strip()]
        if levels:
            goal.prompt_levels = levels
        if criterion_sessions < 1:
            raise UsageError("the criterion needs at least 1 session")
        self._insert(goal)
        return goal

    @locked
    def edit_goal(self, goal_id: str, **changes: Any) -> Goal:
        """Change a goal's fields; a status change is an edit like any other."""
        if "status" in changes:
            check_choice("status", changes["status"], GOAL_STATUSES)
        if "measure" in changes:
            check_choice("measure", changes["measure"], MEASURES)
        goal = self.get(Goal, goal_id)
        if "prompt_levels" in changes and not [p for p in changes["prompt_levels"] if p]:
            raise UsageError("a goal needs at least one prompt level")
        if "criterion_sessions" in changes and int(changes["criterion_sessions"]) < 1:
            raise UsageError("the criterion needs at least 1 session")
        if changes.get("parent_id"):
            parent = self.get(Goal, changes["parent_id"])
            ancestor: Goal | None = parent
            while ancestor is not None:
                if ancestor.id == goal.id:
                    raise UsageError("a goal cannot be an objective of itself or its objectives")
                ancestor = self.get(Goal, ancestor.parent_id) if ancestor.parent_id else None
            changes["parent_id"] = parent.id
        return self._apply(goal, changes)

    @locked
    def move_goal(self, goal_id: str, status: str, note: str = "") -> Goal:
        """Move a goal to another status column; the move is kept in the goal's history."""
        check_choice("status", status, GOAL_STATUSES)
        goal = self.get(Goal, goal_id)
        if goal.deleted:
            raise JournalLocked("this goal was deleted")
        if goal.status == status:
            return goal
        event = GoalEvent(goal_id=goal.id, old_status=goal.status, new_status=status, note=note)
        moved = self._apply(goal, {"status": status})
        self._insert(event)
        return moved

    @locked
    def goal_history(self, goal_id: str) -> list[GoalEvent]:
        """A goal's status moves, oldest first, each with who moved it and when."""
        docs = (d for d in self._raw(GoalEvent).values() if d.get("goal_id") == goal_id)
        return sorted((GoalEvent.from_doc(d) for d in docs), key=lambda e: (e.created_at, e.id))

    @locked
    def subgoals(self, goal_id: str) -> list[Goal]:
        """A long-term goal's short-term objectives."""
        return [g for g in self.goals() if g.parent_id == goal_id]

    @locked
    def goals(self, *, status: str | None = None) -> list[Goal]:
        """Goals, oldest first, optionally of one status."""
        goals = sorted(self.all(Goal), key=lambda g: g.created_at)
        return [g for g in goals if status is None or g.status == status]

    @locked
    def record_measurement(
        self,
        goal_id: str,
        *,
        value: float | None = None,
        correct: int | None = None,
        total: int | None = None,
        prompt: str = "",
        setting: str = "",
        note: str = "",
        date: str | None = None,
        collector: str = "",
        observer: str = "",
        started_at: str = "",
        ended_at: str = "",
        prompts: Mapping[str, int] | None = None,
        counts: Mapping[str, int] | None = None,
        minutes: float | None = None,
        rate: float | None = None,
        episodes: Sequence[float] = (),
        interval_kind: str = "",
        interval_seconds: int | None = None,
        intervals: Sequence[bool] = (),
    ) -> Measurement:
        """Record a data point: correct/total for percent goals, else a value.

        A data point taken live also says how (`collector`), who observed it,
        when, and what the collector tallied (docs/MODEL.md, "Data taken live").
        """
        _check_live(collector, interval_kind, prompts, counts, minutes, rate, episodes)
        if interval_seconds is not None and interval_seconds < 1:
            raise UsageError("an interval lasts at least 1 second")
        goal = self.get(Goal, goal_id)
        if goal.deleted:
            raise JournalLocked("this goal was deleted")
        if goal.measure == "percent":
            if correct is None or total is None:
                if value is None:
                    raise UsageError("a percent goal takes --correct and --total")
                if problem := range_problem("percent", value):
                    raise UsageError(problem)
            elif total <= 0 or correct < 0 or correct > total:
                raise UsageError("correct must be between 0 and total, and total above 0")
        else:
            if value is None:
                raise UsageError(f"a {goal.measure} goal takes a --value")
            if problem := range_problem(goal.measure, value):
                raise UsageError(problem)
        if prompt and prompt not in goal.prompt_levels:
            levels = ", ".join(goal.prompt_levels)
            raise UsageError(f"unknown prompt level {prompt!r}; use one of: {levels}")
        measurement = Measurement(
            goal_id=goal.id,
            date=date or self._now()[:10],
            value=value,
            correct=correct,
            total=total,
            prompt=prompt,
            setting=setting,
            note=note,
            collector=collector,
            observer=observer,
            started_at=started_at,
            ended_at=ended_at,
            prompts=dict(prompts or {}),
            counts=dict(counts or {}),
            minutes=minutes,
            rate=rate,
            episodes=[float(seconds) for seconds in episodes],
            interval_kind=interval_kind,
            interval_seconds=interval_seconds,
            intervals=[bool(one) for one in intervals],
        )
        self._insert(measurement)
        return measurement

    # --- events that explain a curve ------------------------------------------------

    @locked
    def add_event(
        self, date: str, title: str, *, note: str = "", goals: Iterable[str] = ()
    ) -> Event:
        """Add a dated event ("started melatonin") to the charts of `goals` (empty: all)."""
        event = Event(date=_event_date(date), title=_event_title(title), note=note.strip())
        event.goals = [self.get(Goal, goal_id).id for goal_id in goals]
        self._insert(event)
        return event

    @locked
    def edit_event(self, event_id: str, **changes: Any) -> Event:
        """Change an event's date, title, note or goals."""
        if "date" in changes:
            changes["date"] = _event_date(changes["date"])
        if "title" in changes:
            changes["title"] = _event_title(changes["title"])
        if "goals" in changes:
            changes["goals"] = [self.get(Goal, goal_id).id for goal_id in changes["goals"]]
        return self._apply(self.get(Event, event_id), changes)

    @locked
    def events(self, goal_id: str | None = None) -> list[Event]:
        """Events by date (oldest first); with `goal_id`, those drawn on that goal's chart."""
        found = sorted(self.all(Event), key=lambda e: (e.date, e.created_at))
        if goal_id is None:
            return found
        return [e for e in found if not e.goals or goal_id in e.goals]

    @locked
    def measurements(self, goal_id: str) -> list[Measurement]:
        """A goal's data points, oldest first."""
        docs = (
            doc
            for doc in self._raw(Measurement).values()
            if doc.get("goal_id") == goal_id and doc.get("deleted_at") is None
        )
        from journal.goals import point_order  # the goal rules (kept inside this method)

        return sorted((Measurement.from_doc(doc) for doc in docs), key=point_order)

    @locked
    def criterion_met(self, goal_id: str) -> bool:
        """True when the last N data points all reach the mastery criterion (`goals`)."""
        from journal.goals import criterion_met  # the goal rules (kept inside this method)

        goal = self.get(Goal, goal_id)
        return criterion_met(goal, self.measurements(goal.id))

    @locked
    def stored_measurements(self) -> list[dict[str, Any]]:
        """Every live data point as stored, for one pass over thousands (the goal board).

        Read-only plain dicts: building a `Measurement` for each of 20,000 takes
        tens of milliseconds. Each change renews a data point's `hlc`.
        """
        return [doc for doc in self._raw(Measurement).values() if doc.get("deleted_at") is None]


def _event_date(text: str) -> str:
    try:
        return datetime.date.fromisoformat(text.strip()[:10]).isoformat()
    except ValueError:
        raise UsageError(f"bad date {text!r}; write it as YYYY-MM-DD") from None


def _event_title(text: str) -> str:
    title = " ".join(text.split())
    if not title:
        raise UsageError("an event needs a title")
    return title


def _check_live(
    collector: str,
    interval_kind: str,
    prompts: Mapping[str, int] | None,
    counts: Mapping[str, int] | None,
    minutes: float | None,
    rate: float | None,
    episodes: Sequence[float],
) -> None:
    """Refuse what a collector could not have tallied (one line each)."""
    if collector:
        check_choice("collector", collector, COLLECTORS)
    if interval_kind:
        check_choice("interval kind", interval_kind, INTERVAL_KINDS)
    for tally in (prompts or {}, counts or {}):
        if any(type(n) is not int or n < 0 for n in tally.values()):
            raise UsageError("a tally is a whole number of 0 or more")
    for amount in (minutes, rate, *episodes):
        if amount is not None and (not math.isfinite(amount) or amount < 0):
            raise UsageError("minutes, rates and seconds are numbers of 0 or more")
