"""Sessions as a calendar file (iCalendar, RFC 5545): how families get reminders
without a server.

    text = export_ics(journal, since="2026-01-01")   # `tandem export --format ics`

Every session is one VEVENT whose UID is made from the session's id, so
importing a newer export again updates the events instead of adding them
twice: a planned or held session is CONFIRMED, a cancelled, moved or deleted
one is CANCELLED (a moved session's new time is its own session, so its own
event). SEQUENCE counts the changes to the session the journal has seen (its
version vector, docs/SYNC.md), so it only grows, on every copy, and a
calendar takes the newer version. Times are floating local times, as the
journal keeps them ("16:00 wherever the family is"); a planned session has a
reminder an hour before.

Text values are escaped (backslash, semicolon, comma, line breaks) and lines
longer than 75 octets are folded without cutting a UTF-8 character in two
(RFC 5545, 3.1 and 3.3.11). The child's name is never written by Tandem
itself; with a pseudonym it is replaced in places and notes people wrote.
The kind and goal filters do not apply to sessions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Unpack

from journal.journal import Journal
from journal.model import Session, utc_now
from journal.reports.pseudonyms import pseudonymizer
from journal.reports.selection import ExportFilters, check_filters

__all__ = ["PRODID", "calendar_lines", "escape_text", "export_ics", "fold_line", "session_uid"]

PRODID = "-//Tandem//Therapy sessions//EN"
"""Who made the calendar (RFC 5545, 3.7.3)."""

UID_DOMAIN = "sessions.tandem.invalid"
"""The right-hand side of every UID: a session's id is unique, the domain says whose ids."""

_LINE_OCTETS = 75
_CANCELLED = ("cancelled", "moved")


def escape_text(text: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, every line break as \\n,
    other control characters left out (RFC 5545, 3.3.11)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(c for c in text if c == "\n" or c == "\t" or ord(c) >= 32 and c != "\x7f")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """`line` folded to at most 75 octets a line (CRLF and a space before each
    continuation), never inside a UTF-8 character (RFC 5545, 3.1)."""
    pieces: list[str] = []
    current = ""
    room = _LINE_OCTETS
    for char in line:
        size = len(char.encode("utf-8"))
        if len(current.encode("utf-8")) + size > room:
            pieces.append(current)
            current = ""
            room = _LINE_OCTETS - 1  # the leading space counts
        current += char
    pieces.append(current)
    return "\r\n ".join(pieces)


def session_uid(session: Session) -> str:
    """The event's UID: the same for a session in every export, on every copy."""
    return f"{session.id}@{UID_DOMAIN}"


def _utc_stamp(stored: str) -> str:
    """A stored UTC time ('2026-12-05T08:35:20.41Z') as an iCalendar UTC date-time."""
    try:
        moment = datetime.strptime(stored[:19], "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        moment = datetime.now(UTC).replace(tzinfo=None)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _local(start: datetime) -> str:
    return start.strftime("%Y%m%dT%H%M%S")


def _sequence(session: Session) -> int:
    """How many changes to the session this copy has seen since its creation."""
    created = session.dots.get("*", "")
    replica, _colon, counter = created.rpartition(":")
    base = int(counter) if counter.isdigit() and replica in session.vv else 0
    return max(0, sum(session.vv.values()) - base)


def _event(
    session: Session,
    start: datetime,
    stamp: str,
    moved_to: str,
    rewrite: Callable[[str], str],
) -> list[str]:
    """The lines of one VEVENT (not yet folded)."""
    deleted = session.deleted
    cancelled = deleted or session.status in _CANCELLED
    end = start + timedelta(minutes=max(1, session.duration_min))
    summary = "Therapy session"
    if deleted:
        summary += " (removed)"
    elif session.status == "cancelled":
        summary += " (cancelled)"
    elif session.status == "moved":
        summary += " (moved)"
    notes = [] if deleted else [rewrite(session.notes.strip())]
    if session.status == "moved" and moved_to:
        notes.insert(0, f"Moved to {moved_to}.")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{session_uid(session)}",
        f"DTSTAMP:{stamp}",
        f"CREATED:{_utc_stamp(session.created_at)}",
        f"LAST-MODIFIED:{_utc_stamp(session.updated_at or session.created_at)}",
        f"SEQUENCE:{_sequence(session)}",
        f"DTSTART:{_local(start)}",
        f"DTEND:{_local(end)}",
        f"SUMMARY:{escape_text(summary)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
    ]
    location = "" if deleted else rewrite(" ".join(session.location.split()))
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    description = "\n".join(note for note in notes if note)
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if session.status == "planned" and not deleted:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "TRIGGER:-PT1H",
            f"DESCRIPTION:{escape_text(summary)}",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def _start(session: Session) -> datetime | None:
    try:
        return datetime.strptime(session.starts_at[:16], "%Y-%m-%dT%H:%M")
    except ValueError:
        return None


def calendar_lines(
    sessions: Iterable[Session], *, stamp: str, replace: Callable[[str], str] = str
) -> list[str]:
    """The VCALENDAR of `sessions` (tombstones too: they cancel what an older export
    added), one unfolded line each."""
    chosen = list(sessions)
    starts = {s.id: s.starts_at.replace("T", " ") for s in chosen}
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Therapy sessions",
    ]
    for session in sorted(chosen, key=lambda s: (s.starts_at, s.id)):
        start = _start(session)
        if start is None:
            continue
        moved_to = starts.get(session.moved_to or "", "")
        lines += _event(session, start, stamp, moved_to, replace)
    lines.append("END:VCALENDAR")
    return lines


def export_ics(
    journal: Journal, *, now: str | None = None, **filters: Unpack[ExportFilters]
) -> str:
    """The journal's sessions as an iCalendar file (CRLF line ends, folded lines).

    `since` and `until` narrow sessions by their start; `pseudonym` replaces the
    child's name in locations and notes. `now` (a stored UTC time) is the
    DTSTAMP, for tests; the current time otherwise.
    """
    check_filters(filters)
    replace = pseudonymizer(journal, filters.get("pseudonym"), names=filters.get("names", False))
    since, until = filters.get("since"), filters.get("until")
    with journal.lock:
        sessions = [
            s
            for s in journal.all(Session, include_deleted=True)
            if (since is None or s.starts_at[: len(since)] >= since)
            and (until is None or s.starts_at[: len(until)] <= until)
        ]
    stamp = _utc_stamp(now or utc_now())
    lines = calendar_lines(sessions, stamp=stamp, replace=replace)
    return "".join(fold_line(line) + "\r\n" for line in lines)
