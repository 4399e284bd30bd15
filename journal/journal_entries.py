"""The entries part of `Journal`: adding, editing, finalizing and listing entries.

`EntryMethods` is mixed into `Journal` (journal/journal.py); see `journal_base`.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from itertools import chain
from typing import TYPE_CHECKING, Any, TypedDict

from journal.errors import JournalLocked, UsageError
from journal.fileformat import entry_order
from journal.journal_base import JournalBase, check_choice, locked
from journal.model import ENTRY_KINDS, KIND_FIELDS, Comment, Entry, Goal
from journal.section_search import searchable

if TYPE_CHECKING:
    from typing_extensions import Unpack


class EntryFilters(TypedDict, total=False):
    """What `Journal.entries` can filter on; every filter left out lets all through."""

    kind: str | None
    """One of ENTRY_KINDS."""
    tag: str | None
    """A tag, in any case, with or without its '#'."""
    search: str | None
    """Words looked for, in any case, in the title, body, tags and field values."""
    author: str | None
    """A member id."""
    goal: str | None
    """A goal id the entry is linked to."""
    since: str | None
    """The first day (or a prefix of the entry's date, 'YYYY-MM-DD'), included."""
    until: str | None
    """The last day, included."""
    include_deleted: bool
    """Also the tombstones of deleted entries."""


class EntryMethods(JournalBase):
    """Entries: check-ins, incidents, session notes and the rest of ENTRY_KINDS."""

    @locked
    def add_entry(
        self,
        kind: str,
        title: str,
        body: str = "",
        *,
        tags: Iterable[str] = (),
        goals: Iterable[str] = (),
        fields: dict[str, Any] | None = None,
        occurred_at: str | None = None,
        session_id: str | None = None,
    ) -> Entry:
        """Add an entry of one of ENTRY_KINDS and return it."""
        check_choice("kind", kind, ENTRY_KINDS)
        if not title.strip():
            raise UsageError("an entry needs a title")
        goal_ids = [self.get(Goal, goal).id for goal in goals]
        entry = Entry(
            kind=kind,
            title=title.strip(),
            body=body,
            tags=_clean_tags(tags),
            goals=goal_ids,
            fields=_clean_fields(kind, fields or {}),
            session_id=session_id,
        )
        if occurred_at:
            entry.occurred_at = occurred_at
        self._insert(entry)
        return entry

    @locked
    def edit_entry(self, entry_id: str, **changes: Any) -> Entry:
        """Change an entry's title, body, tags, goals, fields or time.

        A finalized session note is locked: use `add_addendum`.
        """
        entry = self.get(Entry, entry_id)
        if entry.deleted:
            raise JournalLocked("this entry was deleted")
        if entry.locked:
            raise JournalLocked("this session note is finalized; add an addendum instead")
        if "kind" in changes:
            check_choice("kind", changes["kind"], ENTRY_KINDS)
        if "tags" in changes:
            changes["tags"] = _clean_tags(changes["tags"])
        if "fields" in changes:
            changes["fields"] = _clean_fields(changes.get("kind", entry.kind), changes["fields"])
        if "goals" in changes:
            changes["goals"] = [self.get(Goal, goal).id for goal in changes["goals"]]
        if "title" in changes and not str(changes["title"]).strip():
            raise UsageError("an entry needs a title")
        for forbidden in ("status", "finalized_at", "finalized_by"):
            if forbidden in changes:
                raise UsageError(f"{forbidden} changes only by finalizing")
        return self._apply(entry, changes)

    @locked
    def finalize(self, entry_id: str) -> Entry:
        """Finalize a session note: from now on it is locked and takes addenda."""
        entry = self.get(Entry, entry_id)
        if entry.kind != "session":
            raise UsageError("only session notes are finalized")
        if entry.locked:
            raise JournalLocked("this session note is already finalized")
        entry.status = "final"
        entry.finalized_at = self._now()
        entry.finalized_by = self.member_id
        self._update(entry)
        return entry

    @locked
    def add_addendum(self, entry_id: str, body: str) -> Comment:
        """Add a dated, signed addendum to a finalized session note."""
        entry = self.get(Entry, entry_id)
        if not entry.locked:
            raise UsageError("addenda are for finalized session notes; edit the draft instead")
        return self._post(entry.id, body, kind="addendum")

    @locked
    def addenda(self, entry_id: str) -> list[Comment]:
        """The addenda of a session note, oldest first."""
        return [c for c in self._comments_on(entry_id) if c.kind == "addendum"]

    @locked
    def entries(self, *, limit: int | None = None, **filters: Unpack[EntryFilters]) -> list[Entry]:
        """Entries newest first, filtered (`EntryFilters`), at most `limit` of them."""
        return [Entry.from_doc(doc) for doc in self.entry_docs(limit=limit, **filters)]

    @locked
    def entry_docs(
        self,
        *,
        kind: str | None = None,
        tag: str | None = None,
        search: str | None = None,
        author: str | None = None,
        goal: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        include_deleted: bool = False,
        newest_only: bool = False,
    ) -> list[dict[str, Any]]:
        """The stored entries `entries` returns, as they are stored (read, never change them).

        For callers that need a few values of many entries (a list of rows)
        and not whole records. With `newest_only`, a journal opened lazily
        answers from the entries it has read, which are newer than every
        entry it has not: the newest part of the answer, read at once.
        """
        if kind is not None:
            check_choice("kind", kind, ENTRY_KINDS)
        tag_key = tag.casefold().lstrip("#") if tag else None
        needle = search.casefold() if search else None

        def matches(doc: dict[str, Any]) -> bool:
            if not include_deleted and doc.get("deleted_at") is not None:
                return False
            if kind is not None and doc.get("kind") != kind:
                return False
            if author is not None and doc.get("author") != author:
                return False
            if goal is not None and goal not in doc.get("goals", ()):
                return False
            occurred = doc.get("occurred_at", "")
            if since is not None and occurred[: len(since)] < since:
                return False
            if until is not None and occurred[: len(until)] > until:
                return False
            if tag_key is not None and tag_key not in (t.casefold() for t in doc.get("tags", ())):
                return False
            return needle is None or needle in self._search_text(doc)

        cutoff = self.file.entries_cutoff
        if cutoff is not None and (newest_only or (limit is not None and limit > 0)):
            # Opened lazily: the entries read so far may be enough. They are,
            # when `limit` of them match and the last is newer than every unread one.
            found = _newest(filter(matches, self._in_memory(Entry.TABLE).values()), limit)
            if newest_only:
                return [doc for doc in found if entry_order(doc) > cutoff]
            if len(found) == limit and entry_order(found[-1]) > cutoff:
                return found
        if needle is not None and self.file.lazy and searchable(needle):
            older = self.file.entries_holding(needle)  # only the entries that can match
            if older is not None:
                self._glimpsed = (self.file.loaded, older)
                read = self._in_memory(Entry.TABLE)  # a version in memory is the newer one
                unread = (doc for key, doc in older.items() if key not in read)
                return _newest(filter(matches, chain(read.values(), unread)), limit)
        return _newest(filter(matches, self._raw(Entry).values()), limit)

    def _search_text(self, doc: dict[str, Any]) -> str:
        """The folded text search looks in; cached until the record changes."""
        cached = self._search_cache.get(doc["id"])
        if cached is not None and cached[0] is doc:
            return cached[1]
        text = _search_text(doc)
        self._search_cache[doc["id"]] = (doc, text)
        return text

    @locked
    def tags(self) -> list[str]:
        """Every tag in use, sorted."""
        found: set[str] = set()
        for doc in self._raw(Entry).values():
            if doc.get("deleted_at") is None:
                found.update(doc.get("tags", ()))
        return sorted(found, key=str.casefold)


def _newest(docs: Iterable[dict[str, Any]], limit: int | None) -> list[dict[str, Any]]:
    """The stored entries newest first (`entry_order`), at most `limit` of them."""
    found = list(docs)
    if limit is not None and 0 <= limit < len(found) // 4:
        return heapq.nlargest(limit, found, key=entry_order)  # `list -n 10`
    found.sort(key=entry_order, reverse=True)
    return found if limit is None else found[: max(limit, 0)]


def _clean_fields(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Check structured fields against KIND_FIELDS: known names, numbers in range."""
    specs = {spec.name: spec for spec in KIND_FIELDS[kind]}
    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        spec = specs.get(name)
        if spec is None:
            known = ", ".join(specs) or "none"
            raise UsageError(f"a {kind} has no field {name!r}; its fields: {known}")
        if value is None or value == "":
            cleaned[name] = value
            continue
        if spec.type in ("int", "rating"):
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise UsageError(f"{spec.label} takes a whole number") from None
            if number < 0 or (spec.type == "rating" and not 1 <= number <= 5):
                bounds = "from 1 to 5" if spec.type == "rating" else "0 or more"
                raise UsageError(f"{spec.label} is {bounds}")
            cleaned[name] = number
        elif spec.type == "choice":
            check_choice(spec.label.lower(), str(value), spec.choices)
            cleaned[name] = str(value)
        else:
            cleaned[name] = str(value)
    return cleaned


def _clean_tags(tags: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for tag in tags:
        cleaned = tag.strip().lstrip("#").strip()
        if cleaned and cleaned.casefold() not in seen:
            seen[cleaned.casefold()] = cleaned
    return list(seen.values())


def _search_text(doc: dict[str, Any]) -> str:
    parts = [doc.get("title", ""), doc.get("body", ""), " ".join(doc.get("tags", ()))]
    parts.extend(str(value) for value in doc.get("fields", {}).values() if value)
    return "\n".join(parts).casefold()
