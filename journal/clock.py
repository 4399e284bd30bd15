"""A hybrid logical clock: wall time that never runs backwards, with a counter for ties.

Times are strings that sort in causal-then-wall order:
`"<milliseconds since 1970, 15 digits>:<counter, 5 digits>:<replica id>"`.
"""

from __future__ import annotations

import time


def parse_hlc(stamp: str) -> tuple[int, int, str]:
    """Split a clock time into (milliseconds, counter, replica); empty gives zeros."""
    if not stamp:
        return (0, 0, "")
    millis, counter, replica = stamp.split(":", 2)
    return (int(millis), int(counter), replica)


def format_hlc(millis: int, counter: int, replica: str) -> str:
    """The string form of a clock time."""
    return f"{millis:015d}:{counter:05d}:{replica}"


class HybridClock:
    """Issues increasing clock times for one replica (one open copy of the journal)."""

    def __init__(self, replica: str, last: str = "") -> None:
        self.replica = replica
        self.millis, self.counter, _ = parse_hlc(last)

    def observe(self, stamp: str) -> None:
        """Move past a time seen in the journal or a merged copy."""
        millis, counter, _ = parse_hlc(stamp)
        if (millis, counter) > (self.millis, self.counter):
            self.millis, self.counter = millis, counter

    def now(self) -> str:
        """A new time, later than every time issued or observed so far."""
        wall = int(time.time() * 1000)
        if wall > self.millis:
            self.millis, self.counter = wall, 0
        else:
            self.counter += 1
        return format_hlc(self.millis, self.counter, self.replica)
