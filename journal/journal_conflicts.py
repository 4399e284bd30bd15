"""The conflicts part of `Journal`: versions written on two copies at once, and resolving them.

`ConflictMethods` is mixed into `Journal` (journal/journal.py); see
`journal_base` and docs/SYNC.md for the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from journal.errors import UsageError
from journal.fileformat import needs_a_look
from journal.journal_base import JournalBase, locked
from journal.merge import (
    KEYED_FIELDS,
    conflicting_units,
    deletion_overridden,
    unit_dot,
    units,
    write_info,
)
from journal.model import TABLES, Record, Thread


@dataclass
class Version:
    """One version of a unit in conflict: its value, who wrote it and when."""

    unit: str
    dot: str
    value: Any
    author: str
    at: str
    hlc: str


class ConflictMethods(JournalBase):
    """Conflicts a merge left to resolve, and deletions beaten by an edit."""

    @locked
    def conflicts(self, record_id: str) -> dict[str, list[Version]]:
        """For each unit of a record changed on two copies at once, every version of it.

        The first version of each list is the one shown.
        """
        record = self.find(record_id)
        doc = self._raw(type(record))[record.id]
        found: dict[str, list[Version]] = {}
        shown = units(doc)
        for unit, others in conflicting_units(doc).items():
            versions = [self._version(doc, unit, unit_dot(doc, unit), shown.get(unit))]
            versions.extend(self._version(doc, unit, c["dot"], c["value"]) for c in others)
            found[unit] = versions
        return found

    def _version(self, doc: dict[str, Any], unit: str, dot: str, value: Any) -> Version:
        hlc, member, wall = write_info(doc, dot)
        return Version(unit=unit, dot=dot, value=value, author=member, at=wall, hlc=hlc)

    @locked
    def records_in_conflict(self) -> list[Record]:
        """Every live record that has a conflict to resolve, or a deletion beaten by an edit."""
        found: list[Record] = []
        # After a lazy open, unread entries with nothing to look at need not be read.
        read_so_far = self.file.lazy and not self.file.unread_entries_flagged
        for cls in TABLES.values():
            if cls is Thread:
                continue  # the latest resolve/reopen simply wins
            table = self._in_memory(cls.TABLE) if read_so_far else self._raw(cls)
            for doc in table.values():
                if not needs_a_look(doc):
                    continue  # nearly every record: nothing to look at
                if doc.get("deleted_at") is not None:
                    continue
                if conflicting_units(doc) or deletion_overridden(doc):
                    found.append(cls.from_doc(doc))
        return found

    @locked
    def resolve(
        self, record_id: str, unit: str, *, keep: str | None = None, value: Any = None
    ) -> Record:
        """Resolve a conflict on one unit: keep the version `keep` (a dot), or write `value`.

        The resolution is an edit that descends from every version, so it
        replaces them on every copy it reaches.
        """
        record = self.find(record_id)
        doc = self._raw(type(record))[record.id]
        versions = self.conflicts(record.id).get(unit)
        if versions is None:
            raise UsageError(f"{unit} of {record.id[:8]} has no conflict")
        if keep is not None:
            chosen = [v for v in versions if v.dot == keep or v.dot.endswith(keep)]
            if len(chosen) != 1:
                raise UsageError(f"no single version {keep!r}; use one of the listed versions")
            value = chosen[0].value
        new_doc = {**doc}
        head, _dot, sub = unit.partition(".")
        if sub and head in KEYED_FIELDS:
            new_doc[head] = {**doc.get(head, {}), sub: value}
        else:
            new_doc[unit] = value
        updated = type(record).from_doc(new_doc)
        self._update(updated, resolving=True, touched=[unit])
        return updated

    @locked
    def keep_deleted_record(self, record_id: str) -> Record:
        """Keep a record whose deletion was beaten by a concurrent edit (clears the notice)."""
        record = self.find(record_id)
        record.deletion = None
        self._update(record, touched=["deletion"])
        return record

    @locked
    def kept_after_deletion(self, record_id: str) -> bool:
        """True when `record_id` was deleted on one copy while another changed it, so it stays.

        `keep_deleted_record` keeps it for good; `delete` deletes it again.
        """
        record = self.find(record_id)
        return deletion_overridden(self._raw(type(record))[record.id])
