"""Patterns in ABC incidents and check-ins: when behavior happens, what comes with it,
and how sleep and mood go.

    found = patterns_of(journal.entries(kind="incident") + journal.entries(kind="checkin"))
    found.heat[0][17]            # incidents on Mondays between 17:00 and 18:00
    found.behaviors[:3]          # [('threw', 9), ('hit', 6), ('screamed', 4)]
    found.sleep_table            # incidents on days after short nights, beside the others

What the Patterns view and the report's Patterns section show, worked out
in one pass over the entries:

- incidents by day of the week (Monday first) and hour of the day, a scatter
  plot as a heat map (Tallyflex draws the same to show *when* it happens);
- the most common antecedents, behaviors, consequences (words people wrote:
  a short answer counts as itself, a longer one by its words) and
  hypothesized functions (the therapist's choice);
- incidents per week, every week from the first to the last;
- sleep (hours from bedtime to wake time) and mood (1-5) by day, from
  check-ins; and the incidents on days after a short night beside the
  others, as counts only: no claim beyond them.

A check-in's sleep is the night before its day (bedtime the evening before,
wake time that morning). Plain Python, no Textual.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from journal.model import Entry

__all__ = [
    "CHECKIN_COUNTS",
    "HOURS",
    "SHORT_NIGHT_HOURS",
    "TOP",
    "WEEKDAYS",
    "Patterns",
    "SleepTable",
    "patterns_of",
    "shade",
    "sleep_hours",
    "spark",
    "terms",
    "weekly_means",
]

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""The rows of the heat map."""

HOURS = 24
"""The columns of the heat map: one per hour of the day."""

TOP = 5
"""How many of the most common antecedents, behaviors, ... are kept."""

SHORT_NIGHT_HOURS = 1.0
"""A night is short when it is at least this many hours under the child's usual (median)."""

CHECKIN_COUNTS = ("aggression", "self_injury", "elopement")
"""The hard moments a check-in counts."""

_STOPWORDS = frozenset(
    " ".join(
        (
            "a about after again all also am an and any are as at away back be because been",
            "before being but by came can could did do does doing down each even for from get",
            "got had has have he her here him his how i if in into is it its just me more my no",
            "not now of off on once one only or other our out over said she so some still than",
            "that the their them then there they this to too up very was we went were what when",
            "where which while who why will with would you your minute minutes seconds time right",
        )
    ).split(" ")
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SHORT_ANSWER = 4  # words: an answer this short counts as itself


def terms(text: str) -> set[str]:
    """What one answer counts for: a short answer itself ('asked to stop'), a longer one
    its words of three letters or more, less the common ones ('the', 'his')."""
    words = [w.lower().strip("'’-") for w in _WORD.findall(text)]
    if not words:
        return set()
    if len(words) <= _SHORT_ANSWER:
        return {" ".join(words)}
    return {w for w in words if len(w) >= 3 and w not in _STOPWORDS}


def _clock_minutes(text: Any) -> int | None:
    """'20:30' as minutes after midnight (None when it is not a time)."""
    if not isinstance(text, str):
        return None
    hours, colon, minutes = text.strip().partition(":")
    if not colon or not hours.isdigit() or not minutes[:2].isdigit():
        return None
    value = int(hours) * 60 + int(minutes[:2])
    return value if 0 <= value < 24 * 60 else None


def sleep_hours(bedtime: Any, wake_time: Any) -> float | None:
    """Hours from `bedtime` to `wake_time` ('20:30', '06:45' -> 10.25); None without both."""
    bed, wake = _clock_minutes(bedtime), _clock_minutes(wake_time)
    if bed is None or wake is None:
        return None
    minutes = (wake - bed) % (24 * 60)
    return round(minutes / 60, 2) if minutes else None


@dataclass(frozen=True)
class SleepTable:
    """Days after a short night beside the other days with a night recorded: counts only."""

    usual_hours: float
    """The median night, in hours."""
    short_under: float
    """A night under this many hours is short (`SHORT_NIGHT_HOURS` under the usual)."""
    short_days: int = 0
    short_incidents: int = 0
    short_counted: int = 0
    """Hard moments the check-ins of those days counted (aggression, self-injury, elopement)."""
    other_days: int = 0
    other_incidents: int = 0
    other_counted: int = 0

    def rows(self) -> list[tuple[str, int, int, int]]:
        """(nights, days, ABC incidents, hard moments counted in check-ins), two rows."""
        return [
            (
                f"short (under {self.short_under:g} h)",
                self.short_days,
                self.short_incidents,
                self.short_counted,
            ),
            ("the others", self.other_days, self.other_incidents, self.other_counted),
        ]


@dataclass(frozen=True)
class Patterns:
    """What the Patterns view shows (see the module's docstring)."""

    incidents: int = 0
    heat: tuple[tuple[int, ...], ...] = tuple((0,) * HOURS for _ in WEEKDAYS)
    """Incidents by weekday (Monday first) and hour of the day."""
    untimed: int = 0
    """Incidents without a time of day (left out of the heat map)."""
    antecedents: list[tuple[str, int]] = field(default_factory=list)
    behaviors: list[tuple[str, int]] = field(default_factory=list)
    consequences: list[tuple[str, int]] = field(default_factory=list)
    functions: list[tuple[str, int]] = field(default_factory=list)
    weeks: list[tuple[str, int]] = field(default_factory=list)
    """(Monday of the week, incidents that week), every week from the first to the last."""
    sleep: list[tuple[str, float]] = field(default_factory=list)
    """(day, hours slept the night before), oldest first."""
    mood: list[tuple[str, float]] = field(default_factory=list)
    """(day, mood 1-5; the mean of that day's check-ins), oldest first."""
    sleep_table: SleepTable | None = None
    """None until some check-ins have a night."""

    @property
    def busiest(self) -> int:
        """The most incidents in one cell of the heat map."""
        return max((max(row) for row in self.heat), default=0)

    @property
    def common(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """(label, its most common terms) of antecedents, behaviors, consequences, functions."""
        return [
            ("Antecedents", self.antecedents),
            ("Behaviors", self.behaviors),
            ("Consequences", self.consequences),
            ("Functions", self.functions),
        ]


def _top(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:TOP]


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _weeks(days: Iterable[date]) -> list[tuple[str, int]]:
    counts = Counter(day - timedelta(days=day.weekday()) for day in days)
    if not counts:
        return []
    first, last = min(counts), max(counts)
    weeks: list[tuple[str, int]] = []
    monday = first
    while monday <= last:
        weeks.append((monday.isoformat(), counts.get(monday, 0)))
        monday += timedelta(days=7)
    return weeks


def _whole(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return max(0, value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return 0


def _sleep_table(
    nights: Mapping[date, float], incidents: Counter[date], counted: Mapping[date, int]
) -> SleepTable | None:
    if not nights:
        return None
    usual = round(statistics.median(nights.values()) * 4) / 4  # to the quarter hour
    under = usual - SHORT_NIGHT_HOURS
    short = [day for day, hours in nights.items() if hours < under]
    short_set = set(short)
    other = [day for day in nights if day not in short_set]
    return SleepTable(
        usual_hours=usual,
        short_under=under,
        short_days=len(short),
        short_incidents=sum(incidents[d] for d in short),
        short_counted=sum(counted.get(d, 0) for d in short),
        other_days=len(other),
        other_incidents=sum(incidents[d] for d in other),
        other_counted=sum(counted.get(d, 0) for d in other),
    )


def patterns_of(entries: Iterable[Entry | Mapping[str, Any]]) -> Patterns:
    """The patterns of the incidents and check-ins among `entries` (records or stored
    documents, any order; other kinds and tombstones are skipped)."""
    heat = [[0] * HOURS for _ in WEEKDAYS]
    untimed = 0
    fields_seen: dict[str, Counter[str]] = {
        name: Counter() for name in ("antecedent", "behavior", "consequence", "function")
    }
    incident_days: Counter[date] = Counter()
    nights: dict[date, float] = {}
    moods: dict[date, list[float]] = {}
    counted: dict[date, int] = {}
    for entry in entries:
        doc: Mapping[str, Any] = entry if isinstance(entry, Mapping) else entry.__dict__
        if doc.get("deleted_at") is not None:
            continue
        kind, when = doc.get("kind"), str(doc.get("occurred_at") or "")
        day = _day(when)
        values = doc.get("fields") or {}
        if day is None or not isinstance(values, Mapping):
            continue
        if kind == "incident":
            incident_days[day] += 1
            hour = _clock_minutes(when[11:16])
            if hour is None:
                untimed += 1
            else:
                heat[day.weekday()][hour // 60] += 1
            for name, counter in fields_seen.items():
                text = values.get(name)
                if isinstance(text, str) and text.strip():
                    found = {text.strip().lower()} if name == "function" else terms(text)
                    counter.update(found)
        elif kind == "checkin":
            hours = sleep_hours(values.get("bedtime"), values.get("wake_time"))
            if hours is not None:
                nights[day] = hours
            mood = values.get("mood")
            if isinstance(mood, int) and not isinstance(mood, bool) and 1 <= mood <= 5:
                moods.setdefault(day, []).append(float(mood))
            hard = sum(_whole(values.get(name)) for name in CHECKIN_COUNTS)
            counted[day] = counted.get(day, 0) + hard
    return Patterns(
        incidents=sum(incident_days.values()),
        heat=tuple(tuple(row) for row in heat),
        untimed=untimed,
        antecedents=_top(fields_seen["antecedent"]),
        behaviors=_top(fields_seen["behavior"]),
        consequences=_top(fields_seen["consequence"]),
        functions=_top(fields_seen["function"]),
        weeks=_weeks(incident_days.elements()),
        sleep=[(day.isoformat(), nights[day]) for day in sorted(nights)],
        mood=[(day.isoformat(), round(statistics.fmean(m), 2)) for day, m in sorted(moods.items())],
        sleep_table=_sleep_table(nights, incident_days, counted),
    )


def weekly_means(series: Sequence[tuple[str, float]]) -> list[tuple[str, float]]:
    """A daily series as (Monday, the mean of that week's values), oldest first."""
    weeks: dict[str, list[float]] = {}
    for day_text, value in series:
        day = _day(day_text)
        if day is not None:
            monday = (day - timedelta(days=day.weekday())).isoformat()
            weeks.setdefault(monday, []).append(value)
    return [(monday, round(statistics.fmean(v), 2)) for monday, v in sorted(weeks.items())]


_SPARKS = "▁▂▃▄▅▆▇█"


def spark(values: Sequence[float], low: float | None = None, high: float | None = None) -> str:
    """A bar per value on the scale `low` to `high` (default: 0, or the lowest, to the
    highest value): '▁▃█▂'."""
    if not values:
        return ""
    bottom = min(0.0, min(values)) if low is None else low
    top = max(values) if high is None else high
    span = (top - bottom) or 1.0
    last = len(_SPARKS) - 1
    return "".join(
        _SPARKS[round((min(max(v, bottom), top) - bottom) / span * last)] for v in values
    )


def shade(count: int, busiest: int) -> int:
    """How dark a heat map cell is: 0 (none) to 4 (the busiest cell)."""
    if count <= 0 or busiest <= 0:
        return 0
    return max(1, min(4, round(4 * count / busiest)))
