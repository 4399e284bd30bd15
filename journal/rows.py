"""Light rows for listing entries: just what a list row draws, newest first.

`Journal.entries` builds a full `Entry` record for every match; a list of
10,000 entries needs only a few strings per row, and building the records
(in a worker thread, while the UI thread competes for the GIL) was most of
the journal screen's start-up. `entry_rows` filters exactly as
`Journal.entries` does but returns `EntryRow` tuples; the full record is read
only for the entry someone opens.
"""

from __future__ import annotations

from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from journal.errors import UsageError
from journal.journal import Journal
from journal.model import ENTRY_KINDS, Entry

__all__ = ["EntryRow", "entry_rows", "search_text"]


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


# journal -> record id -> (the stored doc the text was made from, its folded text)
_SEARCH_CACHE: WeakKeyDictionary[Journal, dict[str, tuple[dict[str, Any], str]]] = (
    WeakKeyDictionary()
)


def search_text(doc: dict[str, Any]) -> str:
    """The folded text a search looks in: title, body, tags and field values."""
    parts = [doc.get("title", ""), doc.get("body", ""), " ".join(doc.get("tags", ()))]
    parts.extend(str(value) for value in doc.get("fields", {}).values() if value)
    return "\n".join(parts).casefold()


def _order(doc: dict[str, Any]) -> tuple[str, str]:
    return (doc.get("occurred_at") or "", doc.get("created_at") or "")


def entry_rows(
    journal: Journal,
    *,
    kind: str | None = None,
    tag: str | None = None,
    search: str | None = None,
    author: str | None = None,
    goal: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[EntryRow]:
    """The live entries of `journal` that match, newest first, as rows.

    The filters mean what they mean for `Journal.entries`: `search` looks for
    the words, case-folded, in the title, body, tags and fields; `tag` ignores
    case and a leading '#'; `since`/`until` compare with the entry's date.
    """
    if kind is not None and kind not in ENTRY_KINDS:
        raise UsageError(f"unknown kind {kind!r}; use one of: {', '.join(ENTRY_KINDS)}")
    needle = search.casefold() if search else None
    tag_key = tag.casefold().lstrip("#") if tag else None
    with journal.lock:
        docs = journal.document().get(Entry.TABLE, {})
        cache = _SEARCH_CACHE.setdefault(journal, {}) if needle is not None else {}
        matches: list[dict[str, Any]] = []
        for doc in docs.values():
            if doc.get("deleted_at") is not None:
                continue
            if kind is not None and doc.get("kind") != kind:
                continue
            if author is not None and doc.get("author") != author:
                continue
            if goal is not None and goal not in doc.get("goals", ()):
                continue
            if since is not None or until is not None:
                occurred = doc.get("occurred_at") or ""
                if since is not None and occurred[: len(since)] < since:
                    continue
                if until is not None and occurred[: len(until)] > until:
                    continue
            if tag_key is not None and tag_key not in (t.casefold() for t in doc.get("tags", ())):
                continue
            if needle is not None:
                cached = cache.get(doc["id"])
                if cached is None or cached[0] is not doc:
                    cached = cache[doc["id"]] = (doc, search_text(doc))
                if needle not in cached[1]:
                    continue
            matches.append(doc)
        matches.sort(key=_order, reverse=True)
        return [_row(doc) for doc in matches]


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
