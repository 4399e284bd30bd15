"""A hybrid logical clock: wall time that never runs backwards, with a counter for ties.

Times are strings that sort in time order: `"<milliseconds since 1970, 15
digits>:<counter, 5 digits>"`. They only order concurrent versions for
display (docs/SYNC.md); causality is decided by version vectors.
"""

from __future__ import annotations

import time

MAX_CLOCK_AHEAD_MS = 10 * 60 * 1000
"""A clock time further ahead of the wall clock than this is never adopted."""


def wall_millis() -> int:
    """This machine's wall clock in milliseconds since 1970."""
    return int(time.time() * 1000)


def parse_hlc(stamp: str) -> tuple[int, int]:
    """Split a clock time into (milliseconds, counter); empty or malformed gives zeros."""
    try:
        millis, counter = stamp.split(":")[:2]
        return (int(millis), int(counter))
    except ValueError:
        return (0, 0)


def format_hlc(millis: int, counter: int) -> str:
    """The string form of a clock time."""
    return f"{millis:015d}:{counter:05d}"


class HybridClock:
    """Issues increasing clock times for one replica (one open copy of the journal)."""

    def __init__(self) -> None:
        self.millis = 0
        self.counter = 0

    def observe(self, stamp: str) -> None:
        """Move past a time seen in the journal, but never beyond the drift bound."""
        millis, counter = parse_hlc(stamp)
        bound = wall_millis() + MAX_CLOCK_AHEAD_MS
        if millis > bound:
            millis, counter = bound, 0
        if (millis, counter) > (self.millis, self.counter):
            self.millis, self.counter = millis, counter

    def now(self) -> str:
        """A new time, later than every time issued or observed so far."""
        wall = wall_millis()
        if wall > self.millis:
            self.millis, self.counter = wall, 0
        else:
            self.counter += 1
        return format_hlc(self.millis, self.counter)
