"""Light rows for listing entries: just what a list row draws, newest first.

`Journal.entries` builds a full `Entry` record for every match; a list of
10,000 entries needs only a few strings per row, and building the records
(in a worker thread, while the UI thread competes for the GIL) was most of
the journal screen's start-up. `entry_rows` filters with `Journal.entry_docs`,
as `Journal.entries` does, but returns `EntryRow` tuples; the full record is
read only for the entry someone opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from journal.journal import EntryFilters, Journal

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["EntryRow", "entry_rows"]


class EntryRow(NamedTuple):
    """One entry as a list shows it: plain values copied out of the stored record."""

    id: str
    occurred_at: str
    """The local wall time the entry is about, 'YYYY-MM-DDTHH:MM' as stored."""
    kind: str
    author: str
    """The author's member id."""
    title: str
    tags: tuple[str, ...]
    locked: bool
    """A finalized session note: it can no longer be edited, only amended."""


def entry_rows(
    journal: Journal, *, newest_only: bool = False, **filters: Unpack[EntryFilters]
) -> list[EntryRow]:
    """The live entries of `journal` that match `filters`, newest first, as rows.

    The filters mean what they mean for `Journal.entries`. With `newest_only`,
    a journal opened lazily gives only the newest rows, those it can list
    without reading its older entries (`Journal.entry_docs`); the rest come
    with a second call without it.
    """
    with journal.lock:
        docs = journal.entry_docs(newest_only=newest_only, **filters)
        return [_row(doc) for doc in docs]


def _row(doc: dict[str, Any]) -> EntryRow:
    kind = doc.get("kind", "checkin")  # the defaults of `Entry`
    return EntryRow(
        doc["id"],
        doc.get("occurred_at") or "",
        kind,
        doc.get("author") or "",
        doc.get("title") or "",
        tuple(doc.get("tags") or ()),
        kind == "session" and doc.get("status", "draft") == "final",
    )
