"""Taking data live: trial by trial, frequency, duration and interval recording.

    trials = TrialCollection(goal.prompt_levels, clock=clock)
    trials.press("+"); trials.press("P"); trials.press("-")
    trials.undo()                                  # the last trial goes
    result = trials.result(setting="home", observer="Ana")
    journal.record_measurement(goal.id, **result.measurement())

Each collection is a small state machine in plain Python: what has been
recorded, in order (so Backspace undoes the last event), the session's
timer, and the measurement it makes (docs/MODEL.md, "Data taken live"). The
time comes from `clock`, a function returning seconds since the epoch
(`time.time` unless a test passes its own), so a collection can be saved as
JSON (`state`) and taken up again after a crash (`restore`) with its timers
where they were.

- `TrialCollection`: correct (`+`), incorrect (`-`) and prompted trials, one
  letter per prompt level of the goal (`goals.prompt_letters`);
- `FrequencyCollection`: several behaviors counted at once while a session
  timer runs (it can pause); saves the counts and the rate per hour;
- `DurationCollection`: episodes started and stopped; saves the total in
  minutes, and each episode's seconds;
- `IntervalCollection`: partial interval, whole interval or momentary time
  sampling; the screen asks `new_intervals()` when to prompt, and the person
  marks each interval as occurred or not; saves the percent of intervals.

No Textual here: the collector screen only shows a collection and passes keys on.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from journal import goals as goal_rules
from journal.errors import UsageError
from journal.model import INTERVAL_KINDS

__all__ = [
    "COLLECTION_KINDS",
    "STATE_VERSION",
    "Clock",
    "Collected",
    "Collection",
    "DurationCollection",
    "FrequencyCollection",
    "IntervalCollection",
    "Setup",
    "Stopwatch",
    "TrialCollection",
    "clock_text",
    "collections_for",
    "local_stamp",
    "restore",
    "trials_from_text",
]

Clock = Callable[[], float]
"""Seconds since the epoch, as `time.time` gives them."""

STATE_VERSION = 1
"""The version of `Collection.state()` (a draft kept through a crash)."""

COLLECTION_KINDS = {
    "trials": "Trial by trial",
    "frequency": "Frequency (counting)",
    "duration": "Duration (timing)",
    "interval": "Interval recording",
}
"""Each collector by its `collector` name, in words."""

INTERVAL_LABELS = {
    "partial": "partial (at any time in it)",
    "whole": "whole (all of it)",
    "momentary": "momentary (as it ends)",
}
"""Each kind of interval recording in a few words: did it happen at any time in the
interval (partial interval), all through it (whole interval), or at the moment the
interval ends (momentary time sampling)?"""


def collections_for(measure: str) -> tuple[str, ...]:
    """The collectors that make a data point of a goal measured by `measure`."""
    return {
        "percent": ("trials", "interval"),
        "count": ("frequency",),
        "duration": ("duration",),
    }.get(measure, ())


def local_stamp(moment: float) -> str:
    """A time as stored in `started_at` and `ended_at`: local 'YYYY-MM-DDTHH:MM:SS'."""
    return datetime.fromtimestamp(moment).strftime("%Y-%m-%dT%H:%M:%S")


def clock_text(seconds: float) -> str:
    """A timer as people read it: '0:07', '12:05', '1:02:03'."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass
class Collected:
    """The data point a collection makes: the arguments of `Journal.record_measurement`."""

    collector: str
    date: str
    started_at: str
    ended_at: str
    setting: str = ""
    observer: str = ""
    note: str = ""
    value: float | None = None
    correct: int | None = None
    total: int | None = None
    prompt: str = ""
    prompts: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    minutes: float | None = None
    rate: float | None = None
    episodes: list[float] = field(default_factory=list)
    interval_kind: str = ""
    interval_seconds: int | None = None
    intervals: list[bool] = field(default_factory=list)

    def measurement(self) -> dict[str, Any]:
        """The keyword arguments of `Journal.record_measurement` (all but the goal)."""
        return asdict(self)


class Stopwatch:
    """A session timer that can pause: the seconds it has run, pauses left out."""

    def __init__(self, clock: Clock, started: float | None = None) -> None:
        """A timer running from `started` (now when None)."""
        self.clock = clock
        self.started = clock() if started is None else started
        self.paused_total = 0.0
        """Seconds spent paused, pauses that ended."""
        self.paused_since: float | None = None
        """When the pause under way began (None while running)."""

    @property
    def running(self) -> bool:
        """True unless paused."""
        return self.paused_since is None

    def elapsed(self) -> float:
        """Seconds run since the start, pauses left out."""
        now = self.paused_since if self.paused_since is not None else self.clock()
        return max(0.0, now - self.started - self.paused_total)

    def toggle(self) -> bool:
        """Pause a running timer, or run a paused one; returns whether it runs now."""
        if self.paused_since is None:
            self.paused_since = self.clock()
            return False
        self.paused_total += max(0.0, self.clock() - self.paused_since)
        self.paused_since = None
        return True

    def state(self) -> dict[str, Any]:
        """The timer as JSON."""
        return {
            "started": self.started,
            "paused_total": self.paused_total,
            "paused_since": self.paused_since,
        }

    @classmethod
    def restore(cls, data: Mapping[str, Any], clock: Clock) -> Stopwatch:
        """A timer from `state()`."""
        watch = cls(clock, float(data["started"]))
        watch.paused_total = float(data.get("paused_total") or 0.0)
        since = data.get("paused_since")
        watch.paused_since = float(since) if since is not None else None
        return watch


def _take_back(events: list[Any]) -> bool:
    """Drop the last of `events`; False when there is none."""
    if not events:
        return False
    events.pop()
    return True


class Collection:
    """What every collector shares: its kind, its timer, undo, its state and its result."""

    kind: ClassVar[str] = ""

    def __init__(self, *, clock: Clock = time.time) -> None:
        """A collection starting now."""
        self.clock = clock
        self.watch = Stopwatch(clock)

    @property
    def started(self) -> float:
        """When the collection began (seconds since the epoch)."""
        return self.watch.started

    @property
    def empty(self) -> bool:
        """True while nothing has been recorded (leaving loses nothing)."""
        raise NotImplementedError

    def undo(self) -> bool:
        """Take back the last event; False when there was none."""
        raise NotImplementedError

    def summary(self) -> str:
        """The running result on one line: '7/10 (70%)', '12 in 8:00', ..."""
        raise NotImplementedError

    def result(self, *, setting: str = "", observer: str = "", note: str = "") -> Collected:
        """The data point as it stands now (raises UsageError when there is nothing)."""
        raise NotImplementedError

    def _collected(self, setting: str, observer: str, note: str, **values: Any) -> Collected:
        if self.empty:
            raise UsageError("nothing recorded yet")
        ended = self.clock()
        return Collected(
            collector=self.kind,
            date=local_stamp(self.started)[:10],
            started_at=local_stamp(self.started),
            ended_at=local_stamp(max(ended, self.started)),
            setting=" ".join(setting.split()),
            observer=" ".join(observer.split()),
            note=note.strip(),
            **values,
        )

    def state(self) -> dict[str, Any]:
        """Everything recorded, as JSON (a draft that `restore` takes up again)."""
        return {"version": STATE_VERSION, "kind": self.kind, "watch": self.watch.state()}

    @classmethod
    def _restore(cls, data: Mapping[str, Any], clock: Clock) -> Collection:
        """The collection of `state()` but its timer (`restore` sets it)."""
        raise NotImplementedError


# --- trial by trial ---------------------------------------------------------------------


class TrialCollection(Collection):
    """Trial by trial: `+` correct, `-` incorrect, a prompt level's letter for a prompted
    trial (`goals.prompt_letters`). A trial is correct only when unprompted."""

    kind = "trials"

    def __init__(self, levels: Sequence[str], *, clock: Clock = time.time) -> None:
        """Trials of a goal with the prompt hierarchy `levels` (most intrusive first)."""
        super().__init__(clock=clock)
        self.levels = list(levels)
        self.letters = goal_rules.prompt_letters(self.levels)
        """Prompt level -> its letter (upper case)."""
        self.by_letter = {letter: level for level, letter in self.letters.items()}
        self.trials: list[str] = []
        """Each trial in order: '+', '-', or the prompt level."""

    @property
    def empty(self) -> bool:
        """No trial yet."""
        return not self.trials

    def press(self, symbol: str) -> str:
        """Record one trial from its symbol ('+', '-' or a letter, any case); returns the
        trial as stored. Raises UsageError for a symbol that is none of them."""
        if symbol in (goal_rules.CORRECT_SYMBOL, goal_rules.INCORRECT_SYMBOL):
            trial = symbol
        else:
            level = self.by_letter.get(symbol.upper())
            if level is None:
                keys = ", ".join(f"{letter} {name}" for name, letter in self.letters.items())
                raise UsageError(
                    f"unknown trial {symbol!r}: use + (correct), - (incorrect)"
                    + (f" or a prompt level's letter ({keys})" if keys else "")
                )
            trial = level
        self.trials.append(trial)
        return trial

    def undo(self) -> bool:
        """Take back the last trial."""
        return _take_back(self.trials)

    @property
    def correct(self) -> int:
        """Trials answered correctly without a prompt."""
        return self.trials.count(goal_rules.CORRECT_SYMBOL)

    @property
    def incorrect(self) -> int:
        """Trials answered incorrectly."""
        return self.trials.count(goal_rules.INCORRECT_SYMBOL)

    @property
    def prompts(self) -> dict[str, int]:
        """Prompt level -> trials prompted at it, in the goal's order (levels used only)."""
        used = Counter(t for t in self.trials if t not in ("+", "-"))
        ordered = [level for level in self.levels if level in used]
        ordered += sorted(level for level in used if level not in self.levels)
        return {level: used[level] for level in ordered}

    def summary(self) -> str:
        """'7/10 (70%)', or 'no trials yet'."""
        if not self.trials:
            return "no trials yet"
        return goal_rules.measurement_text("percent", self.correct, len(self.trials), None)

    def result(self, *, setting: str = "", observer: str = "", note: str = "") -> Collected:
        """correct/total, the prompts used, and the most intrusive of them as `prompt`."""
        prompts = self.prompts
        return self._collected(
            setting,
            observer,
            note,
            correct=self.correct,
            total=len(self.trials),
            prompts=prompts,
            prompt=next(iter(prompts), ""),
        )

    def state(self) -> dict[str, Any]:
        """The trials and the prompt levels."""
        return {**super().state(), "levels": self.levels, "trials": self.trials}

    @classmethod
    def _restore(cls, data: Mapping[str, Any], clock: Clock) -> TrialCollection:
        found = cls([str(level) for level in data.get("levels", [])], clock=clock)
        found.trials = [str(trial) for trial in data.get("trials", [])]
        return found


def trials_from_text(text: str, levels: Sequence[str]) -> TrialCollection:
    """The trials written as `tandem goal record --trials` takes them: '++-+P+' (spaces
    and commas ignored). Raises UsageError naming the first symbol it cannot read."""
    trials = TrialCollection(levels, clock=lambda: 0.0)
    for symbol in text:
        if symbol.isspace() or symbol == ",":
            continue
        trials.press(symbol)
    if trials.empty:
        raise UsageError("--trials holds no trial: write them as +, - and prompt letters")
    return trials


# --- frequency ---------------------------------------------------------------------------


class FrequencyCollection(Collection):
    """Several behaviors counted at once, one key each, while the session timer runs."""

    kind = "frequency"
    MAX_BEHAVIORS: ClassVar[int] = 9
    """Keys 1 to 9, one per behavior."""

    def __init__(self, behaviors: Sequence[str], *, clock: Clock = time.time) -> None:
        """Counting `behaviors` (1 to 9 names), the timer running from now."""
        super().__init__(clock=clock)
        names = [" ".join(name.split()) for name in behaviors]
        names = list(dict.fromkeys(name for name in names if name))
        if not names:
            raise UsageError("name at least one behavior to count")
        if len(names) > self.MAX_BEHAVIORS:
            raise UsageError(f"count at most {self.MAX_BEHAVIORS} behaviors at once")
        self.behaviors = names
        self.events: list[tuple[int, float]] = []
        """Each count in order: (behavior index, seconds into the session)."""

    @property
    def empty(self) -> bool:
        """Nothing counted yet."""
        return not self.events

    def count(self, index: int) -> bool:
        """Count one of behavior `index` (0-based); False for no such behavior or while
        the timer is paused."""
        if not 0 <= index < len(self.behaviors) or not self.watch.running:
            return False
        self.events.append((index, self.watch.elapsed()))
        return True

    def undo(self) -> bool:
        """Take back the last count."""
        return _take_back(self.events)

    @property
    def counts(self) -> dict[str, int]:
        """Behavior -> how many times it was counted (every behavior, 0 too)."""
        tally = Counter(index for index, _at in self.events)
        return {name: tally[i] for i, name in enumerate(self.behaviors)}

    @property
    def total(self) -> int:
        """The counts together."""
        return len(self.events)

    def rate(self) -> float | None:
        """The counts together per hour of observation (None before a second has run)."""
        seconds = self.watch.elapsed()
        return self.total * 3600 / seconds if seconds >= 1 else None

    def summary(self) -> str:
        """'12 in 8:00 (90.0 an hour)'."""
        rate = self.rate()
        per_hour = f" ({rate:.1f} an hour)" if rate is not None else ""
        return f"{self.total} in {clock_text(self.watch.elapsed())}{per_hour}"

    def result(self, *, setting: str = "", observer: str = "", note: str = "") -> Collected:
        """The counts together as the value, each behavior's count, minutes and rate."""
        minutes = round(self.watch.elapsed() / 60, 2)
        rate = self.rate()
        return self._collected(
            setting,
            observer,
            note,
            value=float(self.total),
            counts=self.counts,
            minutes=minutes,
            rate=round(rate, 2) if rate is not None else None,
        )

    def state(self) -> dict[str, Any]:
        """The behaviors and each count."""
        return {**super().state(), "behaviors": self.behaviors, "events": self.events}

    @classmethod
    def _restore(cls, data: Mapping[str, Any], clock: Clock) -> FrequencyCollection:
        found = cls([str(name) for name in data.get("behaviors", [])], clock=clock)
        found.events = [(int(i), float(at)) for i, at in data.get("events", [])]
        return found


# --- duration ----------------------------------------------------------------------------


class DurationCollection(Collection):
    """Episodes timed one after another: `toggle` starts one, and stops it."""

    kind = "duration"

    def __init__(self, *, clock: Clock = time.time) -> None:
        """No episode yet; the session timer runs from now."""
        super().__init__(clock=clock)
        self.episodes: list[tuple[float, float]] = []
        """Each ended episode: (start, end), seconds since the epoch."""
        self.running_since: float | None = None
        """When the episode under way began (None between episodes)."""

    @property
    def empty(self) -> bool:
        """No episode, ended or under way."""
        return not self.episodes and self.running_since is None

    @property
    def running(self) -> bool:
        """True while an episode is under way."""
        return self.running_since is not None

    def toggle(self) -> bool:
        """Start an episode, or stop the one under way; returns whether one runs now."""
        now = self.clock()
        if self.running_since is None:
            self.running_since = now
            return True
        self.episodes.append((self.running_since, max(now, self.running_since)))
        self.running_since = None
        return False

    def undo(self) -> bool:
        """Drop the episode under way, else the last ended one."""
        if self.running_since is not None:
            self.running_since = None
            return True
        if self.episodes:
            self.episodes.pop()
            return True
        return False

    def seconds(self) -> list[float]:
        """Each episode's seconds, the one under way as it stands."""
        found = [end - start for start, end in self.episodes]
        if self.running_since is not None:
            found.append(max(0.0, self.clock() - self.running_since))
        return found

    def current(self) -> float:
        """Seconds of the episode under way (0 between episodes)."""
        return max(0.0, self.clock() - self.running_since) if self.running_since else 0.0

    def summary(self) -> str:
        """'3 episodes, 2:10 in all, mean 0:43'."""
        seconds = self.seconds()
        if not seconds:
            return "no episode yet"
        count = len(seconds)
        total = sum(seconds)
        return (
            f"{count} episode{'' if count == 1 else 's'}, {clock_text(total)} in all, "
            f"mean {clock_text(total / count)}"
        )

    def result(self, *, setting: str = "", observer: str = "", note: str = "") -> Collected:
        """The episodes together in minutes as the value, and each one's seconds (an
        episode under way ends now)."""
        seconds = [round(s, 1) for s in self.seconds()]
        return self._collected(
            setting, observer, note, value=round(sum(seconds) / 60, 2), episodes=seconds
        )

    def state(self) -> dict[str, Any]:
        """The episodes and the one under way."""
        return {**super().state(), "episodes": self.episodes, "running_since": self.running_since}

    @classmethod
    def _restore(cls, data: Mapping[str, Any], clock: Clock) -> DurationCollection:
        found = cls(clock=clock)
        found.episodes = [(float(a), float(b)) for a, b in data.get("episodes", [])]
        since = data.get("running_since")
        found.running_since = float(since) if since is not None else None
        return found


# --- interval recording ---------------------------------------------------------------------


class IntervalCollection(Collection):
    """Partial interval, whole interval or momentary time sampling.

    The session is cut into intervals of `seconds` (pauses left out). When one
    ends, the screen prompts (`new_intervals`) and the person marks it:
    `mark(True)` it occurred, `mark(False)` it did not; the oldest ended
    interval not yet marked is marked first. With partial interval recording
    the behavior can be marked as it happens, in the interval under way.
    """

    kind = "interval"

    def __init__(self, kind: str, seconds: int, *, clock: Clock = time.time) -> None:
        """Intervals of `seconds` of the `kind` partial, whole or momentary."""
        super().__init__(clock=clock)
        if kind not in INTERVAL_KINDS:
            raise UsageError(
                f"unknown interval kind {kind!r}; use one of: {', '.join(INTERVAL_KINDS)}"
            )
        if not 1 <= seconds <= 3600:
            raise UsageError("an interval lasts 1 second to 1 hour")
        self.interval_kind = kind
        self.seconds = int(seconds)
        self.marks: dict[int, bool] = {}
        """Interval number (0 first) -> whether the behavior occurred."""
        self.order: list[int] = []
        """The intervals in the order they were marked (for undo)."""
        self.announced = 0
        """How many ended intervals the screen has prompted for."""

    @property
    def empty(self) -> bool:
        """No interval marked."""
        return not self.marks

    def ended(self) -> int:
        """How many intervals have ended."""
        return int(self.watch.elapsed() // self.seconds)

    def left_in_interval(self) -> float:
        """Seconds until the interval under way ends."""
        return self.seconds - self.watch.elapsed() % self.seconds

    def new_intervals(self) -> int:
        """How many intervals ended since the last call (the screen prompts once for them)."""
        ended = self.ended()
        fresh = max(0, ended - self.announced)
        self.announced = max(self.announced, ended)
        return fresh

    def waiting(self) -> list[int]:
        """The ended intervals not marked yet, oldest first."""
        return [i for i in range(self.ended()) if i not in self.marks]

    def mark(self, occurred: bool) -> int | None:
        """Mark the oldest ended interval not yet marked (partial interval: else the one
        under way, as it happens); returns its number, or None when none can be marked."""
        waiting = self.waiting()
        if waiting:
            target = waiting[0]
        elif occurred and self.interval_kind == "partial" and self.watch.running:
            target = self.ended()
            if target in self.marks:
                return None
        else:
            return None
        self.marks[target] = occurred
        self.order.append(target)
        return target

    def undo(self) -> bool:
        """Take back the last mark."""
        if not self.order:
            return False
        del self.marks[self.order.pop()]
        return True

    @property
    def occurred(self) -> int:
        """Intervals marked as occurred."""
        return sum(1 for one in self.marks.values() if one)

    def percent(self) -> float | None:
        """The percent of marked intervals in which it occurred (None before any mark)."""
        return 100.0 * self.occurred / len(self.marks) if self.marks else None

    def summary(self) -> str:
        """'7 of 20 intervals (35%)'."""
        percent = self.percent()
        if percent is None:
            return "no interval marked yet"
        return f"{self.occurred} of {len(self.marks)} intervals ({percent:.0f}%)"

    def result(self, *, setting: str = "", observer: str = "", note: str = "") -> Collected:
        """The percent of marked intervals as the value, and each marked interval in order."""
        percent = self.percent()
        return self._collected(
            setting,
            observer,
            note,
            value=round(percent, 1) if percent is not None and math.isfinite(percent) else None,
            interval_kind=self.interval_kind,
            interval_seconds=self.seconds,
            intervals=[self.marks[i] for i in sorted(self.marks)],
        )

    def state(self) -> dict[str, Any]:
        """The kind, the length, the marks in order."""
        return {
            **super().state(),
            "interval_kind": self.interval_kind,
            "seconds": self.seconds,
            "marks": [[i, self.marks[i]] for i in self.order],
            "announced": self.announced,
        }

    @classmethod
    def _restore(cls, data: Mapping[str, Any], clock: Clock) -> IntervalCollection:
        found = cls(str(data.get("interval_kind")), int(data.get("seconds", 0)), clock=clock)
        for number, occurred in data.get("marks", []):
            found.marks[int(number)] = bool(occurred)
            found.order.append(int(number))
        found.announced = int(data.get("announced", 0))
        return found


@dataclass
class Setup:
    """How a collection is taken: by which collector, where, by whom, and its options."""

    kind: str
    """One of `COLLECTION_KINDS`."""
    setting: str = ""
    observer: str = ""
    behaviors: list[str] = field(default_factory=list)
    """Frequency: the behaviors counted, one key each."""
    interval_kind: str = "partial"
    interval_seconds: int = 10
    bell: bool = True
    """Interval recording: ring the terminal bell when an interval ends."""

    def start(self, levels: Sequence[str], *, clock: Clock = time.time) -> Collection:
        """A new collection of this kind, its timer running from now (`levels`: the goal's
        prompt hierarchy). Raises UsageError for options that do not fit."""
        if self.kind == "trials":
            return TrialCollection(levels, clock=clock)
        if self.kind == "frequency":
            return FrequencyCollection(self.behaviors, clock=clock)
        if self.kind == "duration":
            return DurationCollection(clock=clock)
        if self.kind == "interval":
            return IntervalCollection(self.interval_kind, self.interval_seconds, clock=clock)
        raise UsageError(f"unknown collector {self.kind!r}")

    def to_dict(self) -> dict[str, Any]:
        """The setup as JSON."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Setup:
        """A setup from `to_dict()` (UsageError when it cannot be read)."""
        try:
            return cls(
                kind=str(data["kind"]),
                setting=str(data.get("setting", "")),
                observer=str(data.get("observer", "")),
                behaviors=[str(b) for b in data.get("behaviors", [])],
                interval_kind=str(data.get("interval_kind", "partial")),
                interval_seconds=int(data.get("interval_seconds", 10)),
                bell=bool(data.get("bell", True)),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise UsageError(f"the unsaved collection cannot be read ({error})") from None


_KINDS: dict[str, type[Collection]] = {
    "trials": TrialCollection,
    "frequency": FrequencyCollection,
    "duration": DurationCollection,
    "interval": IntervalCollection,
}


def restore(data: Mapping[str, Any], *, clock: Clock = time.time) -> Collection:
    """A collection from its `state()`, its timers where they were (they ran on meanwhile:
    the clock is the wall clock). Raises UsageError for a state it cannot read."""
    try:
        if data.get("version") != STATE_VERSION:
            raise ValueError("another version")
        found: Collection = _KINDS[str(data["kind"])]._restore(data, clock)
        found.watch = Stopwatch.restore(data["watch"], clock)
        return found
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise UsageError(f"the unsaved collection cannot be read ({error})") from None
