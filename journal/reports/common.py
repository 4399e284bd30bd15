"""What every export format shares: the export's version and sections, and how it
writes a time and a line."""

from __future__ import annotations

from journal.model import TABLES, Record

EXPORT_VERSION = 1
"""The version of Tandem's JSON export (the value of its `tandem_export` key)."""

SYNC_KEYS = frozenset({"vv", "hlc", "conflicts", "dots", "writes", "deletion"})
"""Merge metadata that exports leave out: it only means something inside one file."""

SECTIONS: dict[str, type[Record]] = {
    table: TABLES[table]
    for table in (
        "members",
        "goals",
        "sessions",
        "resources",
        "entries",
        "measurements",
        "events",
        "comments",
        "threads",
    )
}
"""The record lists of a Tandem export, in the order an import inserts them."""


def one_line(text: str) -> str:
    """`text` with every run of whitespace (line breaks too) as one space, stripped."""
    return " ".join(str(text).split())


def local_when(stamp: str) -> str:
    """A stored UTC time as people read it, in local time with the zone: '2025-03-01 15:05 CET'.

    Text that is not a time is returned as it is.
    """
    from datetime import UTC, datetime

    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone()
    return f"{local:%Y-%m-%d %H:%M} {local.tzname() or ''}".rstrip()
