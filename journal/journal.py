"""The `Journal`: the one API the command line, scripts and the screens use.

    journal, recovery_code = Journal.create("family.tandem", title="Sam's journal",
                                            name="Ana", role="parent", passphrase="...")
    entry = journal.add_entry("checkin", "Good morning", body="Slept well.")
    journal.save()

    journal = Journal.open("family.tandem", "...")
    for entry in journal.entries(kind="checkin", limit=10): ...

Changes are kept in memory until `save()`, which writes one encrypted file.
Every change stamps the record with its author, time, a version vector and a
hybrid logical clock time, which sync uses to merge copies.
"""

from __future__ import annotations

import functools
import heapq
import math
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

from tinydb import TinyDB
from tinydb.table import Table

from journal.clock import HybridClock, wall_millis
from journal.errors import (
    DamagedFile,
    FileChangedOnDisk,
    JournalLocked,
    MergeTooDestructive,
    NewerFormat,
    NotFound,
    TandemError,
    UsageError,
)
from journal.fileformat import Header, entry_order, needs_a_look
from journal.merge import (
    KEYED_FIELDS,
    MergeReport,
    apply_local_change,
    changed_units,
    conflicting_units,
    deletion_overridden,
    make_dot,
    merge_documents,
    stamp_new,
    unit_dot,
    units,
    write_info,
)
from journal.model import (
    ENTRY_KINDS,
    GOAL_STATUSES,
    KIND_FIELDS,
    MEASURES,
    ROLES,
    SESSION_STATUSES,
    TABLES,
    ChangeRequest,
    Comment,
    Entry,
    Goal,
    GoalEvent,
    JournalInfo,
    Measurement,
    Member,
    Record,
    Resource,
    Session,
    Thread,
    new_id,
    utc_now,
)
from journal.storage import (
    BufferedMiddleware,
    EncryptedStorage,
    Fingerprint,
    JournalFile,
    journal_lock,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

R = TypeVar("R", bound=Record)
J = TypeVar("J")

DOCUMENT_VERSION = 1


class StringIdTable(Table):
    """A TinyDB table keyed by the records' own string ids.

    TinyDB's stock table rebuilds the whole table on every write; this one
    updates the stored dict in place, so adding one record costs the same at
    10 or 100,000 records.
    """

    document_id_class = str  # type: ignore[assignment]

    def put(self, doc_id: str, doc: dict[str, Any]) -> None:
        """Insert or replace one record in place."""
        tables = self._storage.read()
        if tables is None:
            tables = {}
        tables.setdefault(self.name, {})[doc_id] = doc
        self._storage.write(tables)
        self.clear_cache()


class JournalDB(TinyDB):
    """TinyDB with string-keyed tables."""

    table_class = StringIdTable


@dataclass
class Version:
    """One version of a unit in conflict: its value, who wrote it and when."""

    unit: str
    dot: str
    value: Any
    author: str
    at: str
    hlc: str


@dataclass
class Stats:
    """A short summary of a journal: what `tandem verify` prints."""

    title: str
    journal_id: str
    members: list[Member]
    counts: dict[str, int]
    deleted: int
    last_change: str


def _synchronized(cls: type[J]) -> type[J]:
    """Make every public method of `cls` hold the instance's lock.

    The app reads and saves the journal from worker threads while the person
    keeps typing; one re-entrant lock per journal keeps each call whole.
    """
    for name, member in list(vars(cls).items()):
        if name.startswith("_") or not callable(member) or isinstance(member, classmethod):
            continue
        if isinstance(member, staticmethod):
            continue

        def locked(method: Callable[..., Any]) -> Callable[..., Any]:
            @functools.wraps(method)
            def call(self: Any, *args: Any, **kwargs: Any) -> Any:
                with self.lock:
                    return method(self, *args, **kwargs)

            return call

        setattr(cls, name, locked(member))
    return cls


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


@_synchronized
class Journal:
    """An open, unlocked journal: its records and the member who opened it.

    Safe to share between threads: every public method holds `lock`.
    """

    def __init__(self, journal_file: JournalFile) -> None:
        self.lock = threading.RLock()
        self.file = journal_file
        self._db = JournalDB(
            storage=BufferedMiddleware(EncryptedStorage), journal_file=journal_file
        )
        self._middleware: BufferedMiddleware = self._db.storage  # type: ignore[assignment]
        self.replica = secrets.token_hex(6)
        self._clock: HybridClock | None = None
        self._counter = 0
        self._acting_member: str | None = None
        self._acting_time: str | None = None
        # record id -> (the stored doc it was made from, its folded search text)
        self._search_cache: dict[str, tuple[dict[str, Any], str]] = {}
        document = self._middleware.read()
        if document is not None and document.get("tandem", DOCUMENT_VERSION) > DOCUMENT_VERSION:
            raise NewerFormat(
                "this journal was written by a newer version of Tandem; update Tandem"
            )

    # --- opening, creating, saving -----------------------------------------

    @classmethod
    def open(cls, path: Path | str, secret: str, *, lazy: bool = False) -> Journal:
        """Unlock the journal at `path` with a passphrase, recovery or invite code.

        With `lazy`, older entries stay compressed until something needs them:
        adding an entry or listing the newest few reads only the newest ones.
        Every method still sees the whole journal (it reads the rest first).
        """
        journal = cls(JournalFile.open(path, secret, lazy=lazy))
        if journal.member_id is None or journal.members_by_id().get(journal.member_id) is None:
            raise TandemError("this key slot belongs to no member of the journal")
        return journal

    @classmethod
    def create(
        cls,
        path: Path | str,
        *,
        title: str,
        name: str,
        role: str,
        passphrase: str,
        child_name: str = "",
        at: str | None = None,
    ) -> tuple[Journal, str]:
        """Create and save a new journal; returns it and its recovery code (shown once).

        `at` backdates the creation (UTC ISO time), for importers and the demo.
        """
        _check_choice("role", role, ROLES)
        if not title.strip():
            raise UsageError("a journal needs a title")
        if not name.strip():
            raise UsageError("a member needs a name")
        if not passphrase:
            raise UsageError("the passphrase cannot be empty")
        journal_id = new_id()
        member_id = new_id()
        journal_file, recovery_code = JournalFile.create(path, passphrase, member_id, journal_id)
        journal = cls(journal_file)
        journal._middleware.cache = {"tandem": DOCUMENT_VERSION}
        journal._acting_time = at
        member = Member(id=member_id, author=member_id, name=name.strip(), role=role)
        journal._insert(member)
        info = JournalInfo(
            id=journal_id,
            author=member_id,
            title=title.strip(),
            child_name=child_name.strip(),
            slot_owners={slot.id: member_id for slot in journal_file.header.slots},
        )
        journal._insert(info)
        journal._acting_time = None
        journal.save()
        return journal, recovery_code

    def save(self) -> MergeReport | None:
        """Write all changes to the file, atomically, under the journal's lock.

        If the file changed on disk since it was loaded (a shared drive
        delivered another copy, another program saved), that copy is merged
        in first, so nothing on disk is overwritten unmerged. Returns the
        report of that merge, or None when there was nothing to merge.
        """
        if not self.dirty:
            return None
        report: MergeReport | None = None
        for _attempt in range(3):
            with journal_lock(self.path):
                if self.file.changed_on_disk():
                    report = self._merge_disk_copy()
                try:
                    self._middleware.flush()
                    return report
                except FileChangedOnDisk:
                    continue  # replaced behind the lock's back (a drive): merge again
        raise FileChangedOnDisk(
            f"{self.path} keeps changing on disk; your changes are kept in memory, try again"
        )

    def refresh(self) -> MergeReport | None:
        """Merge in the file on disk if it changed since it was loaded (nothing is written)."""
        if not self.file.changed_on_disk():
            return None
        return self._merge_disk_copy()

    def _merge_disk_copy(self) -> MergeReport | None:
        try:
            header, document, fingerprint = self.file.read_copy()
        except DamagedFile:
            self.file.keep_damaged_disk_copy()
            self.file.loaded = Fingerprint.of_path(self.path)
            return None
        except TandemError:
            if self.path.exists():
                raise
            self.file.loaded = None  # the file was removed: saving writes it anew
            return None
        report = self._merge(header, document, force=True)
        self.file.loaded = fingerprint
        return report

    def merge_copy(
        self, path: Path | str, *, dry_run: bool = False, force: bool = False
    ) -> MergeReport:
        """Merge a copy of this journal (from email or a drive) into this one, in memory.

        Raises `OtherJournal` for a copy of a different journal and
        `MergeTooDestructive` when the merge would delete more than half of
        the records (unless `force`). With `dry_run`, only reports. Call
        `save()` to write the result.
        """
        header, document, _fingerprint = self.file.read_copy(Path(path))
        return self._merge(header, document, dry_run=dry_run, force=force)

    def merge_document(self, document: dict[str, Any], *, force: bool = True) -> MergeReport:
        """Merge another copy's decrypted document into this journal, in memory."""
        return self._merge(None, document, force=force)

    def _merge(
        self,
        header: Header | None,
        document: dict[str, Any],
        *,
        dry_run: bool = False,
        force: bool = False,
    ) -> MergeReport:
        if document.get("tandem", DOCUMENT_VERSION) > DOCUMENT_VERSION:
            raise NewerFormat("that copy was written by a newer version of Tandem; update Tandem")
        merged, report = merge_documents(
            self.document(), document, tables=TABLES, now_ms=wall_millis()
        )
        if dry_run:
            report.preview = merged
            return report
        if report.deletes_too_much() and not force:
            raise MergeTooDestructive(report)
        slots_changed = header is not None and self.file.adopt_header(header)
        if report.changed_anything or slots_changed:
            self._middleware.cache = merged
            self._middleware.dirty = True
            for table in self._db.tables():
                self._db.table(table).clear_cache()
            self._clock = None  # observe the merged clock times before the next change
        return report

    @property
    def lazy(self) -> bool:
        """True while entries left unread by `open(lazy=True)` are still unread."""
        return self.file.lazy

    @property
    def dirty(self) -> bool:
        """True when there are changes not yet saved."""
        return self._middleware.dirty

    @property
    def path(self) -> Path:
        """Where the journal file lives."""
        return self.file.path

    @property
    def journal_id(self) -> str:
        """The id every copy of this journal shares."""
        return self.file.journal_id

    @property
    def member_id(self) -> str | None:
        """The id of the member who unlocked the journal (or is acting, see `acting_as`)."""
        return self._acting_member or self.file.member_id

    @contextmanager
    def acting_as(self, member_id: str, at: str | None = None) -> Iterator[None]:
        """Write records as another member, optionally at a past UTC time.

        For importers and the demo generator, which record what others wrote.
        """
        previous = (self._acting_member, self._acting_time)
        self._acting_member = self.get(Member, member_id).id
        self._acting_time = at
        try:
            yield
        finally:
            self._acting_member, self._acting_time = previous

    def now(self) -> str:
        """The UTC time changes are stamped with (the `acting_as` time when one is set)."""
        return self._acting_time or utc_now()

    def _now(self) -> str:
        return self._acting_time or utc_now()

    @property
    def me(self) -> Member:
        """The member who unlocked the journal."""
        member_id = self.member_id
        if member_id is None:
            raise TandemError("this journal was opened without a member's key")
        return self.get(Member, member_id)

    @property
    def opened_with(self) -> str:
        """The kind of key slot used to unlock: passphrase, recovery or invite."""
        return self.file.unlocked.slot.kind

    def change_passphrase(self, new_passphrase: str, member_id: str | None = None) -> None:
        """Re-wrap the journal key under a new passphrase for `member_id` (default: me).

        The slot used to unlock is revoked unless it was the recovery slot.
        Saves the journal.
        """
        if not new_passphrase:
            raise UsageError("the new passphrase cannot be empty")
        member = self.get(Member, member_id or self.me.id)
        if member.id != self.me.id and self.opened_with != "recovery":
            raise UsageError(
                "you can only change your own passphrase (or anyone's with the recovery code)"
            )
        owners = self.info.slot_owners
        previous = {
            slot_id
            for slot_id in self.file.live_slot_ids("passphrase", "invite")
            if owners.get(slot_id) == member.id
        }
        slot_id = self.file.add_passphrase_slot(new_passphrase, member.id)
        # Every earlier passphrase (and invite) of this member stops working; the
        # recovery code keeps working.
        self.file.revoke_slots(previous)
        self.update_info(slot_owners={**owners, slot_id: member.id})
        self._middleware.dirty = True
        self.save()

    # --- generic record access -------------------------------------------------

    def _table(self, cls: type[Record]) -> StringIdTable:
        table = self._db.table(cls.TABLE)
        assert isinstance(table, StringIdTable)
        return table

    def _read_older_entries(self) -> None:
        """After a lazy open, bring the entries left compressed into the document."""
        if not self.file.lazy:
            return
        older = self.file.older_entries()
        document = self._middleware.read()
        if document is None:
            return
        entries = document.setdefault(Entry.TABLE, {})
        for entry_id, doc in older.items():
            entries.setdefault(entry_id, doc)  # a version in memory is the newer one
        self._table(Entry).clear_cache()

    def stored_doc(self, table: str, record_id: str) -> dict[str, Any] | None:
        """The stored record `record_id` of `table` as a plain dict, or None."""
        found = self._in_memory(table).get(record_id)
        if found is None and table == Entry.TABLE and self.file.lazy:
            self._read_older_entries()
            found = self._in_memory(table).get(record_id)
        return found if isinstance(found, dict) else None

    def _in_memory(self, table: str) -> dict[str, dict[str, Any]]:
        """The records of `table` read so far (after a lazy open, only the newest entries)."""
        records: dict[str, dict[str, Any]] = (self._middleware.read() or {}).get(table, {})
        return records

    def _raw(self, cls: type[Record]) -> dict[str, dict[str, Any]]:
        if cls is Entry:
            self._read_older_entries()
        return self._in_memory(cls.TABLE)

    def _iter(self, cls: type[R], *, include_deleted: bool = False) -> Iterator[R]:
        for doc in self._raw(cls).values():
            if include_deleted or doc.get("deleted_at") is None:
                yield cls.from_doc(doc)

    def all(self, cls: type[R], *, include_deleted: bool = False) -> list[R]:
        """Every record of one type (tombstones only when asked)."""
        return list(self._iter(cls, include_deleted=include_deleted))

    def get(self, cls: type[R], record_id: str) -> R:
        """The record of type `cls` with this id (or unique id prefix)."""
        table = self._raw(cls)
        doc = table.get(record_id)
        if doc is None:
            matches = [key for key in table if key.startswith(record_id)] if record_id else []
            if len(matches) > 1:
                raise UsageError(f"the id {record_id} is ambiguous; give more characters")
            if not matches:
                label = cls.__name__.lower()
                raise NotFound(f"no {label} with id {record_id}")
            doc = table[matches[0]]
        return cls.from_doc(doc)

    def find(self, record_id: str) -> Record:
        """Any record by id or unique id prefix, whatever its type."""
        found: list[Record] = []
        for cls in TABLES.values():
            try:
                record = self.get(cls, record_id)
            except NotFound:
                continue
            # A thread's state shares the id of the record it is about.
            if isinstance(record, Thread) and not record.topic:
                continue
            found.append(record)
        if not found:
            raise NotFound(f"no record with id {record_id}")
        if len(found) > 1:
            raise UsageError(f"the id {record_id} is ambiguous; give more characters")
        return found[0]

    def _next_change(self) -> tuple[str, str, str, str]:
        """(dot, clock time, member id, wall time) for the next local change."""
        self._refuse_if_invite()
        document = self._middleware.read() or {}
        if self._clock is None:
            self._clock = HybridClock()
            latest = document.get("clock")
            if isinstance(latest, str):
                self._clock.observe(latest)
            else:  # a document from before the clock was kept: look at every record
                for cls in TABLES.values():
                    for doc in self._raw(cls).values():
                        self._clock.observe(doc.get("hlc", ""))
        self._counter += 1
        dot = make_dot(self.replica, self._counter)
        hlc = self._clock.now()
        document["clock"] = hlc
        return dot, hlc, self.member_id or "", self._now()

    def _insert(self, record: Record) -> None:
        if not record.author:
            record.author = self.member_id or ""
        if self._acting_time is not None:
            record.created_at = self._acting_time
        dot, hlc, member, _wall = self._next_change()
        doc = stamp_new(record.to_doc(), dot, hlc, member, record.created_at)
        self._table(type(record)).put(record.id, doc)
        _refresh(record, doc)

    def _update(
        self, record: Record, *, resolving: bool = False, touched: Iterable[str] = ()
    ) -> None:
        """Save an edited record as one local change (docs/SYNC.md)."""
        old = self._raw(type(record))[record.id]
        new = {**old, **record.to_doc()}  # keeps fields a newer Tandem wrote
        changed = sorted(set(changed_units(old, new)) | set(touched))
        if not changed:
            return
        in_conflict = set(changed) & set(conflicting_units(old))
        # A thread's open/resolved state only matters now: the latest action wins.
        if in_conflict and not resolving and not isinstance(record, Thread):
            names = ", ".join(sorted(in_conflict))
            raise JournalLocked(
                f"{names} of this record changed on two copies at once; "
                "resolve the conflict first (tandem resolve)"
            )
        dot, hlc, member, wall = self._next_change()
        doc = apply_local_change(old, new, dot, hlc, member, wall, touched=touched)
        self._table(type(record)).put(record.id, doc)
        _refresh(record, doc)

    def import_record(self, record: R) -> R:
        """Insert a record made elsewhere (an import), keeping its id, author and created_at.

        Its merge metadata is made anew: to this journal it is a new record.
        """
        if record.id in self._raw(type(record)):
            label = type(record).__name__.lower()
            raise UsageError(f"a {label} with id {record.id[:8]} already exists")
        author = self.get(Member, record.author).id if record.author else self.me.id
        fresh = type(record)(id=record.id)
        for name in ("vv", "dots", "writes", "hlc", "conflicts", "deletion"):
            setattr(record, name, getattr(fresh, name))
        record.deleted_at = record.deleted_by = None
        with self.acting_as(author, at=record.created_at or None):
            record.author = author
            self._insert(record)
        return record

    def delete(self, record_id: str) -> Record:
        """Delete a record, leaving a tombstone that sync carries to other copies."""
        record = self.find(record_id)
        if record.deleted:
            raise NotFound(f"{record.id[:8]} is already deleted")
        if isinstance(record, Entry) and record.locked:
            raise JournalLocked("a finalized session note cannot be deleted; add an addendum")
        if isinstance(record, Comment | GoalEvent):
            raise JournalLocked("comments and history are permanent once written")
        if isinstance(record, Member | JournalInfo):
            raise JournalLocked("members and the journal itself cannot be deleted here")
        record.deletion = {"at": self._now(), "by": self.member_id}
        self._update(record)
        return record

    def invite(self, name: str, role: str, **profile: Any) -> tuple[Member, str]:
        """Add a member with a one-time invite code (at least 80 bits); saves the journal.

        Give the code by phone or in person, never in the same email as the
        file. Opened with it, Tandem only lets the person set their own
        passphrase, which replaces the invite slot.
        """
        self._refuse_if_invite()
        member = self.add_member(name, role, **profile)
        code, slot_id = self.file.add_invite_slot(member.id)
        self.update_info(slot_owners={**self.info.slot_owners, slot_id: member.id})
        self.save()
        return member, code

    @property
    def needs_own_passphrase(self) -> bool:
        """True when opened with an invite code: the person must set a passphrase first."""
        return self.opened_with == "invite"

    def _refuse_if_invite(self) -> None:
        if self.needs_own_passphrase:
            raise UsageError(
                "this is an invite code: set your own passphrase first (tandem passwd)"
            )

    # --- conflicts -------------------------------------------------------------------

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

    def keep_deleted_record(self, record_id: str) -> Record:
        """Keep a record whose deletion was beaten by a concurrent edit (clears the notice)."""
        record = self.find(record_id)
        record.deletion = None
        self._update(record, touched=["deletion"])
        return record

    # --- members and the journal page --------------------------------------------

    @property
    def info(self) -> JournalInfo:
        """The journal's own page: title, the child, interests, strengths."""
        return self.get(JournalInfo, self.journal_id)

    @property
    def title(self) -> str:
        """The journal's title."""
        return self.info.title

    def update_info(self, **changes: Any) -> JournalInfo:
        """Change the journal page's fields (title, child_name, interests, ...)."""
        return self._apply(self.info, changes)

    def members(self) -> list[Member]:
        """Members in the order they joined."""
        return sorted(self.all(Member), key=lambda m: m.created_at)

    def members_by_id(self) -> dict[str, Member]:
        """Every member (also removed ones, so old records still show their author)."""
        return {m.id: m for m in self.all(Member, include_deleted=True)}

    def member_name(self, member_id: str | None) -> str:
        """A member's display name, or 'unknown'."""
        member = self.members_by_id().get(member_id or "")
        return member.name if member else "unknown"

    def add_member(self, name: str, role: str, **profile: Any) -> Member:
        """Add a member to the journal (without a key slot; an invitation gives one)."""
        _check_choice("role", role, ROLES)
        if not name.strip():
            raise UsageError("a member needs a name")
        member = Member(name=name.strip(), role=role)
        for key, value in profile.items():
            if key not in member.field_names() or key in _ENVELOPE:
                raise UsageError(f"member has no field {key!r}")
            setattr(member, key, value)
        self._insert(member)
        return member

    def update_member(self, member_id: str, **changes: Any) -> Member:
        """Edit a member's profile (name, role, background, values, ...)."""
        if "role" in changes:
            _check_choice("role", changes["role"], ROLES)
        return self._apply(self.get(Member, member_id), changes)

    def mark_seen(self) -> None:
        """Record that the current member has looked at the journal now."""
        self.update_member(self.me.id, last_seen=self._now())

    def _apply(self, record: R, changes: dict[str, Any]) -> R:
        names = set(record.field_names())
        for key, value in changes.items():
            if key not in names or key in _ENVELOPE:
                raise UsageError(f"{type(record).__name__.lower()} has no field {key!r}")
            setattr(record, key, value)
        self._update(record)
        return record

    # --- entries ----------------------------------------------------------------

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
        _check_choice("kind", kind, ENTRY_KINDS)
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
            _check_choice("kind", changes["kind"], ENTRY_KINDS)
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

    def add_addendum(self, entry_id: str, body: str) -> Comment:
        """Add a dated, signed addendum to a finalized session note."""
        entry = self.get(Entry, entry_id)
        if not entry.locked:
            raise UsageError("addenda are for finalized session notes; edit the draft instead")
        return self._post(entry.id, body, kind="addendum")

    def addenda(self, entry_id: str) -> list[Comment]:
        """The addenda of a session note, oldest first."""
        return [c for c in self._comments_on(entry_id) if c.kind == "addendum"]

    def entries(self, *, limit: int | None = None, **filters: Unpack[EntryFilters]) -> list[Entry]:
        """Entries newest first, filtered (`EntryFilters`), at most `limit` of them."""
        return [Entry.from_doc(doc) for doc in self.entry_docs(limit=limit, **filters)]

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
            _check_choice("kind", kind, ENTRY_KINDS)
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
        return _newest(filter(matches, self._raw(Entry).values()), limit)

    def _search_text(self, doc: dict[str, Any]) -> str:
        """The folded text search looks in; cached until the record changes."""
        cached = self._search_cache.get(doc["id"])
        if cached is not None and cached[0] is doc:
            return cached[1]
        text = _search_text(doc)
        self._search_cache[doc["id"]] = (doc, text)
        return text

    def tags(self) -> list[str]:
        """Every tag in use, sorted."""
        found: set[str] = set()
        for doc in self._raw(Entry).values():
            if doc.get("deleted_at") is None:
                found.update(doc.get("tags", ()))
        return sorted(found, key=str.casefold)

    # --- goals and measurements ---------------------------------------------------

    def add_goal(
        self,
        title: str,
        *,
        measure: str = "percent",
        domain: str = "",
        description: str = "",
        method: str = "",
        desired_outcome: str = "",
        owner: str = "both",
        status: str = "baseline",
        criterion_value: float | None = None,
        criterion_sessions: int = 3,
        review_date: str = "",
        start_date: str = "",
        setting: str = "",
        parent_id: str | None = None,
        prompt_levels: Iterable[str] | None = None,
    ) -> Goal:
        """Add a goal; the mastery criterion defaults to 90% across 3 sessions."""
        _check_choice("measure", measure, MEASURES)
        _check_choice("status", status, GOAL_STATUSES)
        if not title.strip():
            raise UsageError("a goal needs a title")
        if parent_id is not None:
            parent_id = self.get(Goal, parent_id).id
        default_value = {"percent": 90.0, "count": 10.0, "duration": 10.0, "rating": 4.0}[measure]
        goal = Goal(
            title=title.strip(),
            measure=measure,
            domain=domain,
            description=description,
            method=method,
            desired_outcome=desired_outcome,
            owner=owner,
            status=status,
            criterion_value=default_value if criterion_value is None else criterion_value,
            criterion_sessions=criterion_sessions,
            review_date=review_date,
            start_date=start_date,
            setting=setting,
            parent_id=parent_id,
        )
        levels = [level.strip() for level in prompt_levels or () if level.strip()]
        if levels:
            goal.prompt_levels = levels
        if criterion_sessions < 1:
            raise UsageError("the criterion needs at least 1 session")
        self._insert(goal)
        return goal

    def edit_goal(self, goal_id: str, **changes: Any) -> Goal:
        """Change a goal's fields; a status change is an edit like any other."""
        if "status" in changes:
            _check_choice("status", changes["status"], GOAL_STATUSES)
        if "measure" in changes:
            _check_choice("measure", changes["measure"], MEASURES)
        goal = self.get(Goal, goal_id)
        if "prompt_levels" in changes and not [p for p in changes["prompt_levels"] if p]:
            raise UsageError("a goal needs at least one prompt level")
        if "criterion_sessions" in changes and int(changes["criterion_sessions"]) < 1:
            raise UsageError("the criterion needs at least 1 session")
        if changes.get("parent_id"):
            parent = self.get(Goal, changes["parent_id"])
            ancestor: Goal | None = parent
            while ancestor is not None:
                if ancestor.id == goal.id:
                    raise UsageError("a goal cannot be an objective of itself or its objectives")
                ancestor = self.get(Goal, ancestor.parent_id) if ancestor.parent_id else None
            changes["parent_id"] = parent.id
        return self._apply(goal, changes)

    def move_goal(self, goal_id: str, status: str, note: str = "") -> Goal:
        """Move a goal to another status column; the move is kept in the goal's history."""
        _check_choice("status", status, GOAL_STATUSES)
        goal = self.get(Goal, goal_id)
        if goal.deleted:
            raise JournalLocked("this goal was deleted")
        if goal.status == status:
            return goal
        event = GoalEvent(goal_id=goal.id, old_status=goal.status, new_status=status, note=note)
        moved = self._apply(goal, {"status": status})
        self._insert(event)
        return moved

    def goal_history(self, goal_id: str) -> list[GoalEvent]:
        """A goal's status moves, oldest first, each with who moved it and when."""
        docs = (d for d in self._raw(GoalEvent).values() if d.get("goal_id") == goal_id)
        return sorted((GoalEvent.from_doc(d) for d in docs), key=lambda e: (e.created_at, e.id))

    def subgoals(self, goal_id: str) -> list[Goal]:
        """A long-term goal's short-term objectives."""
        return [g for g in self.goals() if g.parent_id == goal_id]

    def goals(self, *, status: str | None = None) -> list[Goal]:
        """Goals, oldest first, optionally of one status."""
        goals = sorted(self.all(Goal), key=lambda g: g.created_at)
        return [g for g in goals if status is None or g.status == status]

    def record_measurement(
        self,
        goal_id: str,
        *,
        value: float | None = None,
        correct: int | None = None,
        total: int | None = None,
        prompt: str = "",
        setting: str = "",
        note: str = "",
        date: str | None = None,
    ) -> Measurement:
        """Record a data point: correct/total for percent goals, else a value."""
        goal = self.get(Goal, goal_id)
        if goal.deleted:
            raise JournalLocked("this goal was deleted")
        if goal.measure == "percent":
            if correct is None or total is None:
                if value is None:
                    raise UsageError("a percent goal takes --correct and --total")
                if not math.isfinite(value) or not 0 <= value <= 100:
                    raise UsageError("a percent is from 0 to 100")
            elif total <= 0 or correct < 0 or correct > total:
                raise UsageError("correct must be between 0 and total, and total above 0")
        else:
            if value is None:
                raise UsageError(f"a {goal.measure} goal takes a --value")
            if not math.isfinite(value):
                raise UsageError("a value must be a number")
            if goal.measure == "rating" and not 1 <= value <= 5:
                raise UsageError("a rating is from 1 to 5")
            if value < 0:
                raise UsageError("a value cannot be negative")
        if prompt and prompt not in goal.prompt_levels:
            levels = ", ".join(goal.prompt_levels)
            raise UsageError(f"unknown prompt level {prompt!r}; use one of: {levels}")
        measurement = Measurement(
            goal_id=goal.id,
            date=date or self._now()[:10],
            value=value,
            correct=correct,
            total=total,
            prompt=prompt,
            setting=setting,
            note=note,
        )
        self._insert(measurement)
        return measurement

    def measurements(self, goal_id: str) -> list[Measurement]:
        """A goal's data points, oldest first."""
        docs = (
            doc
            for doc in self._raw(Measurement).values()
            if doc.get("goal_id") == goal_id and doc.get("deleted_at") is None
        )
        from journal.goals import point_order  # the goal rules (kept inside this method)

        return sorted((Measurement.from_doc(doc) for doc in docs), key=point_order)

    def criterion_met(self, goal_id: str) -> bool:
        """True when the last N data points all reach the mastery criterion (`goals`)."""
        from journal.goals import criterion_met  # the goal rules (kept inside this method)

        goal = self.get(Goal, goal_id)
        return criterion_met(goal, self.measurements(goal.id))

    # --- feedback threads -----------------------------------------------------

    def comment(self, target_id: str, body: str) -> Comment:
        """Post a comment in the thread of an entry, goal, resource or topic."""
        target = self.find(target_id)
        target_id = target.target_id if isinstance(target, Comment) else target.id
        return self._post(target_id, body, kind="comment")

    def _post(self, target_id: str, body: str, *, kind: str) -> Comment:
        if not body.strip():
            raise UsageError("a comment cannot be empty")
        comment = Comment(target_id=target_id, body=body, kind=kind)
        self._insert(comment)
        if kind == "comment":
            thread = self._thread_record(target_id)
            if thread is not None and thread.status == "resolved":
                thread.status = "open"
                thread.resolved_by = thread.resolved_at = None
                self._update(thread)
        return comment

    def _comments_on(self, target_id: str) -> list[Comment]:
        return sorted(
            (c for c in self._iter(Comment) if c.target_id == target_id),
            key=lambda c: (c.created_at, c.hlc, c.id),
        )

    def thread(self, target_id: str) -> list[Comment]:
        """The comments on one target, oldest first."""
        return [c for c in self._comments_on(target_id) if c.kind == "comment"]

    def _thread_record(self, target_id: str) -> Thread | None:
        doc = self._raw(Thread).get(target_id)
        return Thread.from_doc(doc) if doc is not None else None

    def thread_status(self, target_id: str) -> str:
        """'open' or 'resolved'."""
        record = self._thread_record(target_id)
        return record.status if record is not None else "open"

    def new_topic(self, title: str, body: str) -> Thread:
        """Start a standalone discussion topic with its first comment."""
        if not title.strip():
            raise UsageError("a topic needs a title")
        thread = Thread(title=title.strip(), topic=True)
        self._insert(thread)
        self._post(thread.id, body, kind="comment")
        return thread

    def set_thread_status(self, target_id: str, status: str) -> Thread:
        """Resolve or reopen the thread on a target."""
        _check_choice("status", status, ("open", "resolved"))
        target_id = self.find(target_id).id
        thread = self._thread_record(target_id)
        if thread is None:
            thread = Thread(id=target_id)
            self._insert(thread)
        thread.status = status
        thread.resolved_by = self.member_id if status == "resolved" else None
        thread.resolved_at = self._now() if status == "resolved" else None
        self._update(thread)
        return thread

    def open_threads(self) -> list[str]:
        """Ids of targets whose thread has comments and is not resolved."""
        targets = {c.target_id for c in self._iter(Comment) if c.kind == "comment"}
        return sorted(t for t in targets if self.thread_status(t) == "open")

    # --- resources and sessions --------------------------------------------------

    def add_resource(
        self,
        title: str,
        *,
        url: str = "",
        text: str = "",
        kind: str = "link",
        goal_id: str | None = None,
    ) -> Resource:
        """Share a link, reading, video or written tip with the team."""
        if not title.strip():
            raise UsageError("a resource needs a title")
        _check_choice("kind", kind, ("link", "reading", "video", "tip"))
        if goal_id is not None:
            goal_id = self.get(Goal, goal_id).id
        resource = Resource(title=title.strip(), url=url, text=text, kind=kind, goal_id=goal_id)
        self._insert(resource)
        return resource

    def acknowledge(self, resource_id: str) -> Resource:
        """Mark a resource as read by the current member."""
        resource = self.get(Resource, resource_id)
        resource.acknowledged = {**resource.acknowledged, self.me.id: self._now()}
        self._update(resource)
        return resource

    def add_session(
        self, starts_at: str, *, duration_min: int = 60, location: str = "", notes: str = ""
    ) -> Session:
        """Schedule a session at a local date and time ('YYYY-MM-DDTHH:MM')."""
        if duration_min <= 0:
            raise UsageError("a session lasts more than 0 minutes")
        session = Session(
            starts_at=starts_at, duration_min=duration_min, location=location, notes=notes
        )
        self._insert(session)
        return session

    def move_session(self, session_id: str, starts_at: str) -> Session:
        """Move a session: the old one is marked moved and points to the new one."""
        old = self.get(Session, session_id)
        if old.status in ("cancelled", "moved"):
            raise UsageError(f"this session was already {old.status}")
        new = self.add_session(
            starts_at, duration_min=old.duration_min, location=old.location, notes=old.notes
        )
        self._apply(old, {"status": "moved", "moved_to": new.id})
        return new

    def edit_session(self, session_id: str, **changes: Any) -> Session:
        """Change a session's time, duration, location or notes."""
        if "status" in changes:
            _check_choice("status", changes["status"], SESSION_STATUSES)
        if "duration_min" in changes and int(changes["duration_min"]) <= 0:
            raise UsageError("a session lasts more than 0 minutes")
        return self._apply(self.get(Session, session_id), changes)

    def set_session_status(self, session_id: str, status: str) -> Session:
        """Mark a session planned, done, cancelled or moved."""
        _check_choice("status", status, SESSION_STATUSES)
        return self._apply(self.get(Session, session_id), {"status": status})

    def request_change(
        self, session_id: str, text: str, *, proposed_starts_at: str = ""
    ) -> ChangeRequest:
        """Ask the others to change a session ("can we move Thursday to Friday?")."""
        session = self.get(Session, session_id)
        if session.status in ("cancelled", "moved"):
            raise UsageError(f"this session was already {session.status}")
        if not text.strip():
            raise UsageError("say what you would like to change")
        request = ChangeRequest(
            session_id=session.id, text=text.strip(), proposed_starts_at=proposed_starts_at
        )
        self._insert(request)
        return request

    def answer_request(self, request_id: str, *, accept: bool, answer: str = "") -> ChangeRequest:
        """Accept or decline a change request; accepting moves (or cancels) the session."""
        request = self.get(ChangeRequest, request_id)
        if request.status != "open":
            raise UsageError(f"this request was already {request.status}")
        if accept:
            if request.proposed_starts_at:
                self.move_session(request.session_id, request.proposed_starts_at)
            else:
                self.set_session_status(request.session_id, "cancelled")
        return self._apply(
            request,
            {
                "status": "accepted" if accept else "declined",
                "answer": answer,
                "answered_by": self.me.id,
                "answered_at": self._now(),
            },
        )

    def withdraw_request(self, request_id: str) -> ChangeRequest:
        """Take back one's own unanswered change request; the session stays as it is."""
        request = self.get(ChangeRequest, request_id)
        if request.author != self.me.id:
            raise UsageError("only the member who asked can withdraw a request")
        if request.status != "open":
            raise UsageError(f"this request was already {request.status}")
        return self._apply(
            request, {"status": "withdrawn", "answered_by": self.me.id, "answered_at": self._now()}
        )

    def open_requests(self, *, for_member: str | None = None) -> list[ChangeRequest]:
        """Unanswered change requests, oldest first; `for_member`: those others asked."""
        requests = sorted(
            (r for r in self._iter(ChangeRequest) if r.status == "open"),
            key=lambda r: r.created_at,
        )
        if for_member is not None:
            requests = [r for r in requests if r.author != for_member]
        return requests

    def unread_resources(self, member_id: str | None = None) -> list[Resource]:
        """Resources shared by others that this member (default: me) has not marked read."""
        member = member_id or self.me.id
        return [
            r for r in self.all(Resource) if r.author != member and member not in r.acknowledged
        ]

    def sessions(self) -> list[Session]:
        """Sessions by start time."""
        return sorted(self.all(Session), key=lambda s: s.starts_at)

    # --- summary --------------------------------------------------------------------

    def stats(self) -> Stats:
        """Counts per kind of record, members and the time of the last change."""
        counts: dict[str, int] = {kind: 0 for kind in ENTRY_KINDS}
        deleted = 0
        last = ""
        for cls in TABLES.values():
            for doc in self._raw(cls).values():
                last = max(last, doc.get("updated_at") or "")
                if doc.get("deleted_at") is not None:
                    deleted += 1
                    continue
                key = doc.get("kind", "") if cls is Entry else cls.TABLE
                if cls in (Entry, Goal, Measurement, Comment, Resource, Session):
                    counts[key] = counts.get(key, 0) + 1
        return Stats(
            title=self.title,
            journal_id=self.journal_id,
            members=self.members(),
            counts=counts,
            deleted=deleted,
            last_change=last,
        )

    def describe_merge(self, report: MergeReport) -> list[str]:
        """What a merge brought, in a few short sentences for a person.

        For example "2 new entries from Dr. Lee", "1 goal changed",
        "1 conflict to resolve: Tuesday (body)".
        """
        lines: list[str] = []
        document = report.preview if report.preview is not None else self.document()
        names = {
            member_id: doc.get("name", "someone")
            for member_id, doc in document.get(Member.TABLE, {}).items()
        }
        for table, changes in report.tables.items():
            cls = TABLES[table]
            if cls in (JournalInfo, Thread):
                continue
            noun = _NOUNS.get(table, table)
            records = document.get(table, {})
            by_author: dict[str, int] = {}
            for record_id in changes.added:
                doc = records.get(record_id)
                if doc is not None and doc.get("deleted_at") is None:
                    author = names.get(doc.get("author", ""), "someone")
                    by_author[author] = by_author.get(author, 0) + 1
            for author, count in sorted(by_author.items()):
                lines.append(f"{count} new {_plural(noun, count)} from {author}")
            for verb, ids in (("changed", changes.changed), ("deleted", changes.deleted)):
                if ids:
                    lines.append(f"{len(ids)} {_plural(noun, len(ids))} {verb}")
            for record_id in changes.conflicts:
                doc = records.get(record_id, {})
                label = doc.get("title") or doc.get("name") or doc.get("body", "")[:30] or noun
                fields = ", ".join(conflicting_units(doc)) or "deleted and edited"
                lines.append(f"1 conflict to resolve: {label} ({fields})")
            if changes.resolved:
                count = len(changes.resolved)
                lines.append(f"{count} {_plural('conflict', count)} resolved on the other copy")
        if report.clock.clamped:
            days = report.clock.max_ahead_ms / 86_400_000
            ahead = f"{days:.0f} days" if days >= 1 else f"{report.clock.max_ahead_ms // 60000} min"
            lines.append(
                f"that copy's clock was {ahead} ahead; its changes are ordered as if made now"
            )
        return lines

    def document(self) -> dict[str, Any]:
        """The whole journal document (tables of stored records), for export and merging."""
        self._read_older_entries()
        return self._middleware.read() or {}


def _newest(docs: Iterable[dict[str, Any]], limit: int | None) -> list[dict[str, Any]]:
    """The stored entries newest first (`entry_order`), at most `limit` of them."""
    found = list(docs)
    if limit is not None and 0 <= limit < len(found) // 4:
        return heapq.nlargest(limit, found, key=entry_order)  # `list -n 10`
    found.sort(key=entry_order, reverse=True)
    return found if limit is None else found[: max(limit, 0)]


_ENVELOPE = frozenset(Record.field_names())
_NOUNS = {
    "members": "member",
    "entries": "entry",
    "goals": "goal",
    "measurements": "measurement",
    "comments": "comment",
    "resources": "resource",
    "sessions": "session",
    "goal_events": "goal move",
    "requests": "change request",
}


def _plural(noun: str, count: int) -> str:
    if count == 1:
        return noun
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


def _refresh(record: Record, doc: dict[str, Any]) -> None:
    """Copy the stamped metadata of `doc` back onto the caller's record object."""
    for name in ("vv", "dots", "writes", "hlc", "conflicts", "updated_at", "updated_by"):
        setattr(record, name, doc.get(name, getattr(record, name)))
    record.deleted_at, record.deleted_by = doc.get("deleted_at"), doc.get("deleted_by")
    record.deletion = doc.get("deletion")


def _check_choice(what: str, value: str, choices: Iterable[str]) -> None:
    options = tuple(choices)
    if value not in options:
        raise UsageError(f"unknown {what} {value!r}; use one of: {', '.join(options)}")


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
            _check_choice(spec.label.lower(), str(value), spec.choices)
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
