"""The goal rules, in one place: measures and their units, a data point's score,
the mastery criterion, how scores read, the scale of a trend and the trend in plain
words, settings apart, and the letters of prompt levels.

    from journal import goals
    goals.criterion_met(goal, journal.measurements(goal.id))
    goals.measurement_text("percent", 8, 10, None)   # '8/10 (80%)'

A goal is measured as a percent of trials (correct/total), a count, a
duration in minutes or a rating from 1 to 5. A data point's score is its
percent correct when it has trials, else the value entered. The mastery
criterion is met when the last `criterion_sessions` scored data points, in
date order, all reach `criterion_value`. `trend_sentence` says in one
sentence what the data show ("Up from 40% to 80% over 6 weeks; at criterion
in 2 of the last 3 sessions; home data lags session data by 15 points."). The
journal, the reports, the CLI and the screens all ask this module; none of
them works these out again.

Plain Python: no Textual, no journal storage. The functions take a goal, or
the few numbers they need, so that they serve records and stored documents
alike.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from journal.model import Goal, Measurement

__all__ = [
    "CORRECT_SYMBOL",
    "DEFAULT_CRITERION",
    "DEFAULT_SESSIONS",
    "INCORRECT_SYMBOL",
    "MEASURES",
    "MEASURE_LABELS",
    "MEASURE_UNITS",
    "MEASURE_VALUE_LABELS",
    "RESERVED_LETTERS",
    "SETTING_GROUPS",
    "TrendPoint",
    "change_threshold",
    "criterion_met",
    "criterion_text",
    "criterion_value_text",
    "format_score",
    "format_value",
    "live_text",
    "measure_range",
    "measurement_text",
    "point_order",
    "point_text",
    "prompt_letters",
    "score",
    "score_text",
    "scores_meet_criterion",
    "setting_group",
    "setting_series",
    "stored_score",
    "stored_trend_point",
    "trend_bars",
    "trend_direction",
    "trend_points",
    "trend_scale",
    "trend_sentence",
    "unprompted",
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

AWAITING_CONFIRMATION = ("baseline", "acquisition")
"""A goal at criterion in these statuses waits for the therapist to confirm it (by moving it)."""

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


def range_problem(measure: str, value: float) -> str | None:
    """Why `value` cannot be a score or criterion of `measure`, in a few words
    ('a percent is from 0 to 100'); None when it can."""
    if not math.isfinite(value):
        return "a value must be a number"
    fixed = measure_range(measure)
    if fixed is not None and not fixed[0] <= value <= fixed[1]:
        return f"a {measure} is from {fixed[0]:g} to {fixed[1]:g}"
    if value < 0:
        return "a value cannot be negative"
    return None


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


# --- prompt levels as keys ------------------------------------------------------------

CORRECT_SYMBOL = "+"
"""An unprompted correct trial, in `tandem goal record --trials` ('++-+P+')."""

INCORRECT_SYMBOL = "-"
"""An incorrect trial."""

RESERVED_LETTERS = "CXBU"
"""Letters the trial collector keeps for itself (correct, incorrect, bell, undo): no prompt
level is given one, so a level's letter is the same in the app and on the command line."""


def unprompted(level: str) -> bool:
    """Whether `level` is the absence of a prompt ('independent'): a correct trial, `+`."""
    return level.strip().lower() in ("independent", "independently", "no prompt", "none")


def prompt_letters(levels: Sequence[str]) -> dict[str, str]:
    """Each prompt level's letter (upper case), most intrusive first: 'full physical' F,
    'partial physical' P, 'model' M, 'gestural' G, 'verbal' V.

    A level takes the first letter of one of its words that is free, else another of
    its letters, else any free letter. The unprompted level ('independent') has none:
    it is `+`. Letters in `RESERVED_LETTERS` are never given.
    """
    taken = set(RESERVED_LETTERS)
    letters: dict[str, str] = {}
    for level in levels:
        if unprompted(level) or level in letters:
            continue
        words = level.upper().split()
        candidates = [w[0] for w in words if w] + [c for w in words for c in w]
        candidates += [chr(code) for code in range(ord("A"), ord("Z") + 1)]
        letter = next((c for c in candidates if "A" <= c <= "Z" and c not in taken), None)
        if letter is None:  # more than 22 levels: the rest have no letter
            break
        taken.add(letter)
        letters[level] = letter
    return letters


# --- a data point taken live, in words ---------------------------------------------------


def live_text(point: Measurement) -> str:
    """What a collector tallied, in short ('' for a data point typed in):
    '2 prompted (verbal 1, model 1)', '3 episodes, mean 40 s', 'hit 4, kick 2; 6.0 an
    hour over 60 min', 'partial interval, 10 s: 7 of 20 intervals'."""
    parts: list[str] = []
    if point.prompts:
        prompted = sum(point.prompts.values())
        levels = ", ".join(f"{level} {n}" for level, n in point.prompts.items() if n)
        parts.append(f"{prompted} prompted ({levels})")
    if point.counts and len(point.counts) > 1:
        parts.append(", ".join(f"{name} {n}" for name, n in point.counts.items()))
    if point.rate is not None and point.minutes:
        seconds = point.minutes * 60
        span = f"{seconds:.0f} s" if seconds < 60 else f"{point.minutes:.3g} min"
        parts.append(f"{point.rate:.1f} an hour over {span}")
    if point.episodes:
        count = len(point.episodes)
        mean = sum(point.episodes) / count
        parts.append(f"{count} episode{'' if count == 1 else 's'}, mean {mean:.0f} s")
    if point.intervals:
        kind = {"momentary": "momentary time sampling"}.get(
            point.interval_kind, f"{point.interval_kind or 'partial'} interval"
        )
        length = f", {point.interval_seconds} s" if point.interval_seconds else ""
        occurred = sum(1 for one in point.intervals if one)
        parts.append(f"{kind}{length}: {occurred} of {len(point.intervals)} intervals")
    return "; ".join(parts)


# --- settings apart -----------------------------------------------------------------------

SETTING_GROUPS = ("home", "session", "school", "other")
"""The settings a chart can draw as separate series: does it happen outside the clinic too?"""

_SETTING_WORDS = {
    "home": ("home", "house", "kitchen", "bath", "bedroom", "living room"),
    "school": ("school", "class", "daycare", "kindergarten", "teacher"),
    "session": ("session", "clinic", "therapy", "center", "centre", "office"),
}


@lru_cache(maxsize=1024)  # the same few settings come back on every data point
def setting_group(setting: str) -> str:
    """Which of `SETTING_GROUPS` a data point's setting belongs to: 'home, snack time' is
    home, 'preschool' school, 'clinic' session; a setting naming none of them is other."""
    text = setting.lower()
    found = [
        (text.find(word), group)
        for group, words in _SETTING_WORDS.items()
        for word in words
        if word in text
    ]
    return min(found)[1] if found else "other"


TrendPoint = tuple[str, float, str]
"""A scored data point as a trend reads it: (date, score, setting)."""


def trend_points(points: Iterable[Measurement]) -> list[TrendPoint]:
    """The scored data points of a goal (oldest first, as given) as (date, score, setting)."""
    found: list[TrendPoint] = []
    for point in points:
        value = point.score
        if value is not None and math.isfinite(value):
            found.append((point.date, float(value), point.setting))
    return found


def stored_trend_point(doc: Mapping[str, Any]) -> TrendPoint | None:
    """`trend_points` of one stored measurement document (None without a score)."""
    value = stored_score(doc)
    if value is None or not math.isfinite(value):
        return None
    return (str(doc.get("date", "")), value, str(doc.get("setting") or ""))


def setting_series(points: Sequence[TrendPoint]) -> dict[str, list[TrendPoint]]:
    """The points by setting group, in `SETTING_GROUPS` order (only groups with data)."""
    groups: dict[str, list[TrendPoint]] = {group: [] for group in SETTING_GROUPS}
    for point in points:
        groups[setting_group(point[2])].append(point)
    return {group: found for group, found in groups.items() if found}


# --- the trend in plain words ---------------------------------------------------------


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _slope(values: Sequence[float]) -> float:
    """The least-squares slope of `values` against their order."""
    count = len(values)
    middle = (count - 1) / 2
    mean = _mean(values)
    return sum((i - middle) * (v - mean) for i, v in enumerate(values))


def change_threshold(measure: str, scores: Sequence[float]) -> float:
    """The smallest change the trend sentence calls a rise or a fall: 5 points of a
    percent, a quarter of a rating point, else a tenth of the highest score (at least 0.5)."""
    if measure == "percent":
        return 5.0
    if measure == "rating":
        return 0.25
    return max(0.5, 0.1 * max((abs(s) for s in scores), default=0.0))


def _level(measure: str, value: float) -> str:
    return format_score(measure, value if measure == "percent" else round(value, 1))


def _span(first: str, last: str) -> str:
    try:
        days = (date.fromisoformat(last[:10]) - date.fromisoformat(first[:10])).days
    except ValueError:
        return ""
    if days <= 0:
        return "in one day"
    if days < 14:
        return f"over {days} day{'' if days == 1 else 's'}"
    if days < 63:
        return f"over {round(days / 7)} weeks"
    return f"over {round(days / 30.44)} months"


def trend_direction(measure: str, scores: Sequence[float]) -> tuple[str, float, float]:
    """('up' | 'down' | 'steady', start, end): the mean of the first and of the last few
    scores (a third of them, 1 to 3). Up or down only when the change reaches
    `change_threshold`, the least-squares slope agrees and the latest score is past
    the start; else steady."""
    if not scores:
        return "steady", 0.0, 0.0
    k = max(1, min(3, len(scores) // 3))
    start, end = _mean(scores[:k]), _mean(scores[-k:])
    change, slope, latest = end - start, _slope(scores), scores[-1]
    threshold = change_threshold(measure, scores)
    if change >= threshold and slope > 0 and latest > start:
        return "up", start, end
    if change <= -threshold and slope < 0 and latest < start:
        return "down", start, end
    return "steady", start, end


def _criterion_clause(goal: Goal, scores: Sequence[float]) -> str:
    needed = goal.criterion_sessions
    recent = scores[-needed:]
    hits = sum(1 for s in recent if s >= goal.criterion_value)
    if len(recent) < needed:
        return f"at criterion in {hits} of {len(recent)} so far ({needed} in a row needed)"
    if hits == needed:
        last = "the last session" if needed == 1 else f"all of the last {needed} sessions"
        return f"at criterion in {last}: criterion met"
    return f"at criterion in {hits} of the last {needed} sessions"


def _settings_clause(measure: str, points: Sequence[TrendPoint]) -> str:
    series = setting_series(points)
    pairs = (("home", "session"), ("school", "session"), ("home", "school"))
    pair = next((p for p in pairs if p[0] in series and p[1] in series), None)
    if pair is None:
        return ""
    first, second = (_mean([s for _d, s, _p in series[name][-3:]]) for name in pair)
    gap = first - second
    every = [s for _d, s, _p in points]
    if abs(gap) < change_threshold(measure, every):
        return f"{pair[0]} and {pair[1]} data agree"
    if measure == "percent":
        size = f"{abs(gap):.0f} points"
    elif measure == "rating":
        size = f"{round(abs(gap), 1):g} points"
    else:
        size = format_value(measure, round(abs(gap), 1))
    verb = "lags" if gap < 0 else "leads"
    return f"{pair[0]} data {verb} {pair[1]} data by {size}"


def trend_sentence(goal: Goal, points: Sequence[TrendPoint]) -> str:
    """One sentence on a goal's data, oldest first, for people: 'Up from 40% to 80% over 6
    weeks; at criterion in 2 of the last 3 sessions; home data lags session data by 15
    points.' It says only what the numbers show (`trend_direction`), never more."""
    scored = sorted((p for p in points if math.isfinite(p[1])), key=lambda p: p[0])
    if not scored:
        return "No data yet."
    measure = goal.measure
    scores = [s for _d, s, _p in scored]
    if len(scored) == 1:
        day, value, _setting = scored[0]
        return f"One data point so far: {_level(measure, value)} on {day}."
    direction, start, end = trend_direction(measure, scores)
    span = _span(scored[0][0], scored[-1][0])
    if direction == "steady":
        clauses = [f"Steady around {_level(measure, _mean(scores[-3:]))}"]
    else:
        word = "Up" if direction == "up" else "Down"
        clauses = [f"{word} from {_level(measure, start)} to {_level(measure, end)}"]
    if span:
        clauses[0] += f" {span}"
    clauses.append(_criterion_clause(goal, scores))
    settings = _settings_clause(measure, scored)
    if settings:
        clauses.append(settings)
    return "; ".join(clauses) + "."
