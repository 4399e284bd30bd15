"""Dates and times as people type and read them: one set of rules for every screen.

Two kinds of time are stored. Record stamps (`created_at`, `updated_at`, a
member's `last_seen`) are UTC, ISO 8601 with a `Z`; `local_time` shows them
in the reader's local time. What people write down (when an entry happened,
when a session starts) is a local wall time, 'YYYY-MM-DDTHH:MM', kept as
typed, like a date on a paper calendar.

    parse_date(" 2026-01-31 ")                  # '2026-01-31'
    parse_starts_at("2026-01-08", "9:05")       # '2026-01-08T09:05'
    describe_when("2026-01-08T15:00")           # 'Thu 2026-01-08 15:00'

The parsers raise `ValueError` with one line for the person; the describers
never raise: text they cannot read is shown as it is, on one line. Plain
Python: no Textual.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from journal.text import one_line

__all__ = [
    "WALL_TIME",
    "describe_when",
    "local_start",
    "local_time",
    "parse_date",
    "parse_part",
    "parse_starts_at",
    "parse_time",
    "session_end",
    "wall_time",
]

WALL_TIME = "%Y-%m-%dT%H:%M"
"""How a local wall time is stored: 'YYYY-MM-DDTHH:MM'."""

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")


# --- from typed text to stored values ------------------------------------------------------


def parse_date(text: str) -> str:
    """A typed date as 'YYYY-MM-DD'; `ValueError` with a one-line message otherwise."""
    text = text.strip()
    if not _DATE.fullmatch(text):
        raise ValueError("Use a date like 2026-01-31 (year-month-day).")
    try:
        date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"There is no {text}: check the month and the day.") from None
    return text


def parse_time(text: str) -> str:
    """A typed time as 'HH:MM' (24-hour clock); `ValueError` with a message otherwise."""
    match = _TIME.fullmatch(text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError("Use a time like 08:30 or 20:15 (24-hour clock).")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def parse_starts_at(day: str, clock: str) -> str:
    """A typed date and time as a wall time, 'YYYY-MM-DDTHH:MM'.

    Raises `ValueError` with a one-line message naming the part that is wrong.
    """
    problems: list[str] = []
    day = parse_part(parse_date, day, "Date", problems)
    clock = parse_part(parse_time, clock, "Time", problems)
    if problems:
        raise ValueError(" ".join(problems))
    return f"{day}T{clock}"


def parse_part(parse: Callable[[str], str], text: str, label: str, problems: list[str]) -> str:
    """`parse(text)`; when that raises `ValueError`, '' and "Label: why" added to `problems`.

    A form checks every part this way, then reports all that are wrong in one line.
    """
    try:
        return parse(text)
    except ValueError as error:
        problems.append(f"{label}: {error}")
        return ""


# --- stored values as people read them ------------------------------------------------------


def local_time(utc: str) -> str:
    """A stored UTC time (`...Z`) as local 'YYYY-MM-DD HH:MM'; unparsable text as is."""
    try:
        moment = datetime.fromisoformat(utc.replace("Z", "+00:00"))
    except ValueError:
        return one_line(utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def wall_time(occurred_at: str) -> str:
    """A stored wall time ('YYYY-MM-DDTHH:MM') as 'YYYY-MM-DD HH:MM'."""
    return one_line(occurred_at.replace("T", " ", 1))


def describe_when(starts_at: str) -> str:
    """A stored wall time as 'Thu 2026-01-08 15:00' (unparsable text as `wall_time`)."""
    try:
        return datetime.strptime(starts_at, WALL_TIME).strftime("%a %Y-%m-%d %H:%M")
    except ValueError:
        return wall_time(starts_at)


def local_start(starts_at: str) -> str:
    """A stored wall time in short, as people say it: 'Thu 3 Dec 15:00'."""
    try:
        moment = datetime.strptime(starts_at, WALL_TIME)
    except ValueError:
        return one_line(starts_at)
    return f"{moment:%a} {moment.day} {moment:%b %H:%M}"


def session_end(starts_at: str, duration_min: int) -> str:
    """When a session that starts at `starts_at` ends, as a wall time.

    Its start, as stored, when that cannot be read.
    """
    try:
        start = datetime.strptime(starts_at, WALL_TIME)
    except ValueError:
        return starts_at
    return (start + timedelta(minutes=duration_min)).strftime(WALL_TIME)
