"""The goal rules, in one place: measures and their units, a data point's score,
the mastery criterion, how scores read, and the scale of a trend.

    from journal import goals
    goals.criterion_met(goal, journal.measurements(goal.id))
    goals.measurement_text("percent", 8, 10, None)   # '8/10 (80%)'

A goal is measured as a percent of trials (correct/total), a count, a
duration in minutes or a rating from 1 to 5. A data point's score is its
percent correct when it has trials, else the value entered. The mastery
criterion is met when the last `criterion_sessions` scored data points, in
date order, all reach `criterion_value`. The journal, the reports, the CLI
and the screens all ask this module; none of them works these out again.

Plain Python: no Textual, no journal storage. The functions take a goal, or
the few numbers they need, so that they serve records and stored documents
alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from journal.model import Goal, Measurement

__all__ = [
    "DEFAULT_CRITERION",
    "DEFAULT_SESSIONS",
    "MEASURES",
    "MEASURE_LABELS",
    "MEASURE_UNITS",
    "MEASURE_VALUE_LABELS",
    "criterion_met",
    "criterion_text",
    "criterion_value_text",
    "format_score",
    "format_value",
    "measure_range",
    "measurement_text",
    "point_order",
    "point_text",
    "score",
    "score_text",
    "scores_meet_criterion",
    "stored_score",
    "trend_bars",
    "trend_scale",
]

MEASURES = ("percent", "count", "duration", "rating")
"""How a goal is measured: percent of trials, a count, minutes, a rating 1-5."""

MEASURE_UNITS = {"percent": "%", "count": "", "duration": " min", "rating": "/5"}
"""What follows a value of each measure: '80%', '12', '4.5 min', '4/5'."""

MEASURE_LABELS = {
    "percent": "percent of trials (correct/total)",
    "count": "count",
    "duration": "duration (minutes)",
    "rating": "rating 1-5",
}
"""Each measure in words (forms, the goal's page)."""

MEASURE_VALUE_LABELS = {
    "percent": "% correct",
    "count": "count",
    "duration": "minutes",
    "rating": "rating",
}
"""What a score of each measure is, as an axis or a column names it."""

DEFAULT_CRITERION = {"percent": 90.0, "count": 10.0, "duration": 10.0, "rating": 4.0}
"""The criterion value a new goal starts with, per measure."""

DEFAULT_SESSIONS = 3
"""Across how many consecutive sessions a new goal's criterion must be reached."""

_RANGES = {"percent": (0.0, 100.0), "rating": (1.0, 5.0)}


# --- a data point's score ------------------------------------------------------------


def score(correct: int | None, total: int | None, value: float | None) -> float | None:
    """The comparable value of a data point: percent correct for trials, else the value."""
    if correct is not None and total:
        return 100.0 * correct / total
    return value


def stored_score(doc: Mapping[str, Any]) -> float | None:
    """`score` of a stored measurement document (a number, or None)."""
    found = score(doc.get("correct"), doc.get("total"), doc.get("value"))
    return float(found) if found is not None else None


def point_order(point: Measurement) -> tuple[str, str]:
    """The sort key of a goal's data points: by date, then by when each was written."""
    return (point.date, point.created_at)


# --- the mastery criterion ------------------------------------------------------------


def scores_meet_criterion(goal: Goal, scores: Iterable[float | None]) -> bool:
    """Whether the last `criterion_sessions` scores (oldest first; None skipped) all
    reach `criterion_value`."""
    needed = goal.criterion_sessions
    recent = [s for s in scores if s is not None][-needed:]
    return len(recent) >= needed and all(s >= goal.criterion_value for s in recent)


def criterion_met(goal: Goal, points: Iterable[Measurement]) -> bool:
    """Whether a goal's data points (all of them, oldest first) meet its mastery criterion."""
    return scores_meet_criterion(goal, (m.score for m in points))


def criterion_value_text(goal: Goal) -> str:
    """The value to reach, as entered: '90%', '10', '5 min', '4/5'."""
    return format_value(goal.measure, goal.criterion_value)


def criterion_text(goal: Goal) -> str:
    """The mastery criterion in words, e.g. '90% across 3 consecutive sessions'."""
    return f"{criterion_value_text(goal)} across {goal.criterion_sessions} consecutive sessions"


# --- how scores read ------------------------------------------------------------------


def format_value(measure: str, value: float) -> str:
    """A value as entered, with the measure's unit: '87.5%', '12', '4.5 min', '4/5'."""
    return f"{value:g}{MEASURE_UNITS.get(measure, '')}"


def format_score(measure: str, score: float | None) -> str:
    """A score on the measure's scale (percent rounded): '80%', '4.5 min'; '' for None."""
    if score is None:
        return ""
    if measure == "percent":
        return f"{score:.0f}%"
    return format_value(measure, score)


def score_text(measure: str, correct: int | None, total: int | None, value: float | None) -> str:
    """A data point's score in short: '80%' from trials, else the value as entered; ''
    when it has none."""
    found = score(correct, total, value)
    if found is None:
        return ""
    if correct is not None and total:
        return f"{found:.0f}%"
    return format_value(measure, found)


def measurement_text(
    measure: str, correct: int | None, total: int | None, value: float | None
) -> str:
    """A data point as people read it: '8/10 (80%)' for trials, else `score_text`."""
    short = score_text(measure, correct, total, value)
    if correct is not None and total:
        return f"{correct}/{total} ({short})"
    return short


def point_text(measure: str, point: Measurement, *, short: bool = False) -> str:
    """`measurement_text` of a data point (with `short`, its `score_text`)."""
    describe = score_text if short else measurement_text
    return describe(measure, point.correct, point.total, point.value)


# --- the scale of a trend -------------------------------------------------------------


def measure_range(measure: str) -> tuple[float, float] | None:
    """The fixed range of a measure's scores (percent 0-100, rating 1-5); None for
    counts and minutes, which have no upper bound."""
    return _RANGES.get(measure)


def trend_scale(measure: str, scores: Iterable[float], criterion: float) -> tuple[float, float]:
    """The (low, high) a trend of `scores` is drawn on: the measure's fixed range, else
    0 to the highest of the scores, the criterion and 1."""
    fixed = measure_range(measure)
    if fixed is not None:
        return fixed
    return 0.0, max([*scores, criterion, 1.0])


_BARS = "▁▂▃▄▅▆▇█"


def trend_bars(scores: Sequence[float], measure: str, criterion: float) -> list[tuple[str, bool]]:
    """A bar per score, oldest first, on the measure's scale (`trend_scale`), with whether
    it reaches `criterion`."""
    low, high = trend_scale(measure, scores, criterion)
    span = (high - low) or 1.0
    bars: list[tuple[str, bool]] = []
    for one in scores:
        level = round((min(max(one, low), high) - low) / span * (len(_BARS) - 1))
        bars.append((_BARS[level], one >= criterion))
    return bars
