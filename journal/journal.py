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

import secrets
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journal.buffered_db import BufferedMiddleware, EncryptedStorage, JournalDB, StringIdTable
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
from journal.fileformat import Header, KekSource
from journal.identity import b64
from journal.journal_base import R, check_choice, field_defaults, locked
from journal.journal_conflicts import ConflictMethods, Version
from journal.journal_entries import EntryFilters, EntryMethods
from journal.journal_goals import GoalMethods
from journal.journal_held import HeldMethods, why_hold
from journal.journal_members import MemberInfo, MemberMethods
from journal.journal_schedule import ScheduleMethods
from journal.journal_threads import ThreadMethods
from journal.journal_trust import DOCUMENT_VERSION, RecordTrust, SignatureReport
from journal.membership import Epoch, SignatureCache, epoch_keys
from journal.merge import (
    MergeReport,
    apply_local_change,
    changed_units,
    conflicting_units,
    make_dot,
    merge_documents,
    stamp_new,
)
from journal.model import (
    ENTRY_KINDS,
    ROLES,
    TABLES,
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
from journal.storage import Fingerprint, JournalFile, journal_lock

__all__ = [
    "DOCUMENT_VERSION",
    "EntryFilters",
    "Journal",
    "JournalDB",
    "MemberInfo",
    "RecordTrust",
    "SignatureReport",
    "Stats",
    "StringIdTable",
    "Version",
]


@dataclass
class Stats:
    """A short summary of a journal: what `tandem verify` prints."""

    title: str
    journal_id: str
    members: list[Member]
    counts: dict[str, int]
    deleted: int
    last_change: str


class Journal(
    EntryMethods,
    GoalMethods,
    ThreadMethods,
    ScheduleMethods,
    ConflictMethods,
    MemberMethods,
    HeldMethods,
):
    """An open, unlocked journal: its records and the member who opened it.

    Safe to share between threads. `lock` guards what is in memory: every
    public method and property that reads or changes it is `@locked` (or
    takes `lock` in a `with` block); only `path` and `journal_id`, which
    never change, need none. Saving and refreshing hold it only to copy and
    to take in, never across a write or read of the file (`save`), so a
    reader never waits for the disk. Its parts: see `journal_base`.
    """

    def __init__(self, journal_file: JournalFile) -> None:
        self.lock = threading.RLock()
        # One save or refresh at a time (`_file_turn`); `file.loaded` changes only in one.
        self._file_busy = False
        self._file_free = threading.Condition(self.lock)
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
        self._glimpsed: tuple[object, dict[str, dict[str, Any]]] | None = None
        """Older entries a search parsed without reading every section, and the file they
        were read from (`entry_docs`): what it shows can be found and checked."""
        # Trust (journal_trust): who is who, checked signatures, keys held in my care.
        self._trust_cache = None
        self._trust_epoch = 0
        self._checks = SignatureCache()
        self._custody = {}
        self._signing_keys = None
        self._bootstrapping = False
        self._new_recovery_code = None
        document = self._middleware.read()
        if document is not None and document.get("tandem", DOCUMENT_VERSION) > DOCUMENT_VERSION:
            raise NewerFormat(
                "this journal was written by a newer version of Tandem; update Tandem"
            )

    # --- opening, creating, saving -----------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str,
        secret: str,
        *,
        lazy: bool = False,
        kek_source: KekSource | None = None,
    ) -> Journal:
        """Unlock the journal at `path` with a passphrase, recovery or invite code.

        With `lazy`, older entries stay compressed until something needs them:
        adding an entry or listing the newest few reads only the newest ones.
        Every method still sees the whole journal (it reads the rest first).
        `kek_source` supplies held key-encryption keys (`fileformat.unlock`).
        """
        journal = cls(JournalFile.open(path, secret, lazy=lazy, kek_source=kek_source))
        if journal.member_id is None or journal.members_by_id().get(journal.member_id) is None:
            raise TandemError("this key slot belongs to no member of the journal")
        journal._check_my_keys()
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
        check_choice("role", role, ROLES)
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
        keys = journal_file.member_keys
        assert keys is not None
        header = journal_file.header
        journal._bootstrapping = True  # the first records: nobody is a member yet
        member = Member(
            id=member_id,
            author=member_id,
            name=name.strip(),
            role=role,
            owner=True,
            keys=keys.public("created"),
            slots={slot.id: slot.binding() for slot in header.slots},
        )
        journal._insert(member)
        info = JournalInfo(
            id=journal_id, author=member_id, title=title.strip(), child_name=child_name.strip()
        )
        journal._insert(info)
        journal._insert(
            Epoch(id=header.epoch, n=1, key=b64(journal_file.unlocked.key), to=[member_id])
        )
        journal._bootstrapping = False
        journal._acting_time = None
        journal.save()
        return journal, recovery_code

    def save(self) -> MergeReport | None:
        """Write all changes to the file, atomically.

        If the file changed on disk since it was loaded (a shared drive
        delivered another copy, another program saved), that copy is merged
        in first, so nothing on disk is overwritten unmerged. Returns the
        report of that merge, or None when there was nothing to merge.

        The journal's lock is held only to copy the journal and then to note
        what was written, not during the write: others read and edit meanwhile,
        and their edits leave it `dirty` for the next save.
        """
        with self._file_turn():
            if not self.dirty:
                return None
            with self.lock:
                self._ensure_signing()
            report: MergeReport | None = None
            for _attempt in range(3):
                with journal_lock(self.path):
                    if self.file.changed_on_disk():
                        report = self._merge_disk_copy()
                    try:
                        self._write_changes()
                        return report
                    except FileChangedOnDisk:
                        continue  # replaced behind the lock's back (a drive): merge again
        raise FileChangedOnDisk(
            f"{self.path} keeps changing on disk; your changes are kept in memory, try again"
        )

    def _write_changes(self) -> None:
        """Write the journal as it is now; `lock` is held to copy it and to note the result."""
        with self.lock:
            epoch, recipients = self._save_keys()
            pending = self.file.prepare_save(self._middleware.read() or {}, epoch, recipients)
            self._middleware.dirty = False  # an edit made during the write sets it again
        try:
            self.file.write(pending)
        except BaseException:
            with self.lock:
                self._middleware.dirty = True  # nothing was written
            raise
        with self.lock:
            self.file.finish_save(pending, self._middleware.read() or {})

    def refresh(self) -> MergeReport | None:
        """Merge in the file on disk if it changed since it was loaded.

        Nothing is written, unless the copy on disk was held aside (docs/SYNC.md,
        "Safety rails"): then this journal is written back over it at once, so
        that quitting does not leave the held copy in its place.
        """
        with self._file_turn():
            if not self.file.changed_on_disk():
                return None
            report = self._merge_disk_copy()
            if report is not None and report.held_copy is not None:
                with journal_lock(self.path):
                    self._write_changes()
            return report

    @contextmanager
    def _file_turn(self) -> Iterator[None]:
        """This journal's turn at its file: one save or refresh at a time.

        Waiting for a turn lets go of `lock`, even when the caller holds it,
        so the save under way can finish (no deadlock).
        """
        with self.lock:
            while self._file_busy:
                self._file_free.wait()
            self._file_busy = True
        try:
            yield
        finally:
            with self.lock:
                self._file_busy = False
                self._file_free.notify_all()

    def _merge_disk_copy(self) -> MergeReport | None:
        """Merge in the file on disk; in the caller's `_file_turn`, reading it without `lock`."""
        try:
            data = self.file.read_disk_bytes()
            header, document = self.file.open_copy(data, self.path)
            fingerprint = Fingerprint.of_bytes(data)
        except DamagedFile:
            self.file.keep_damaged_disk_copy()
            self.file.loaded = Fingerprint.of_path(self.path)
            return None
        except TandemError:
            if self.path.exists():
                raise
            self.file.loaded = None  # the file was removed: saving writes it anew
            return None
        with self.lock:
            report = self._merge(header, document, force=True, guard=True)
        if report.why_held:
            from journal.held import hold_copy  # rarely needed: not at start-up

            report.held_copy = str(hold_copy(data, self.path))
            with self.lock:
                self._middleware.dirty = True  # our version goes back on disk
        self.file.loaded = fingerprint
        return report

    def merge_copy(
        self,
        path: Path | str,
        *,
        dry_run: bool = False,
        force: bool = False,
        carry_over: bool = False,
    ) -> MergeReport:
        """Merge a copy of this journal (from email or a drive) into this one, in memory.

        Raises `OtherJournal` for a copy of a different journal and
        `MergeTooDestructive` when the merge would delete more than half of
        the records (unless `force`). With `dry_run`, only reports. With
        `carry_over` (owners), the unsigned changes of a format 1 or 2 copy
        are signed as carried over by me and merged (docs/SYNC.md). Call
        `save()` to write the result.
        """
        header, document, _fingerprint = self.file.read_copy(Path(path))  # slow: no lock
        with self.lock:
            if carry_over:
                document = self._carry_over(document)
            return self._merge(header, document, dry_run=dry_run, force=force)

    @locked
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
        guard: bool = False,
    ) -> MergeReport:
        if document.get("tandem", DOCUMENT_VERSION) > DOCUMENT_VERSION:
            raise NewerFormat("that copy was written by a newer version of Tandem; update Tandem")
        merged, report = merge_documents(
            self.document(), document, tables=TABLES, now_ms=wall_millis(), checker=self._checker()
        )
        if dry_run:
            report.preview = merged
            return report
        if report.deletes_too_much() and not force:
            raise MergeTooDestructive(report)
        if guard and (why := why_hold(report, self.document(), merged)):
            report.preview, report.why_held = merged, why  # a drive's copy: a person decides
            return report
        bindings = self._slot_bindings(merged)
        slots_changed = header is not None and self.file.adopt_header(header, bindings)
        if report.changed_anything or slots_changed:
            self._middleware.cache = merged
            self._middleware.dirty = True
            for table in self._db.tables():
                self._db.table(table).clear_cache()
            self._clock = None  # observe the merged clock times before the next change
            self._forget_trust()
            self.file.epoch_keys = {
                **self.file.epoch_keys,
                **epoch_keys(merged.get("epochs") or {}),
            }
        return report

    @property
    @locked
    def lazy(self) -> bool:
        """True while entries left unread by `open(lazy=True)` are still unread."""
        return self.file.lazy

    @property
    @locked
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
    @locked
    def member_id(self) -> str | None:
        """The id of the member who unlocked the journal (or is acting, see `acting_as`)."""
        return self._acting_member or self.file.member_id

    @contextmanager
    def acting_as(self, member_id: str, at: str | None = None) -> Iterator[None]:
        """Write records as another member, optionally at a past UTC time.

        For importers and the demo generator, which record what others wrote,
        and for tests that play another member. The lock is taken to switch and
        to switch back, not held in between: a block may run the app, whose
        workers need the journal (every change meanwhile is written as them).
        """
        with self.lock:
            previous = (self._acting_member, self._acting_time)
            self._acting_member = self.get(Member, member_id).id
            self._acting_time = at
        try:
            yield
        finally:
            with self.lock:
                self._acting_member, self._acting_time = previous

    @locked
    def now(self) -> str:
        """The UTC time changes are stamped with (the `acting_as` time when one is set)."""
        return self._acting_time or utc_now()

    def _now(self) -> str:
        return self._acting_time or utc_now()

    @property
    @locked
    def me(self) -> Member:
        """The member who unlocked the journal."""
        member_id = self.member_id
        if member_id is None:
            raise TandemError("this journal was opened without a member's key")
        return self.get(Member, member_id)

    @property
    @locked
    def opened_with(self) -> str:
        """The kind of key slot used to unlock: passphrase, recovery or invite."""
        return self.file.unlocked.slot.kind

    # --- generic record access -------------------------------------------------

    def _table(self, cls: type[Record]) -> StringIdTable:
        table = self._db.table(cls.TABLE)
        assert isinstance(table, StringIdTable)
        return table

    def read_older_entries(self) -> None:
        """After a lazy open, read the older entries now (for a worker, ahead of a full list).

        Parsing them holds no lock, so other threads use the journal meanwhile;
        call it without holding `lock`, or they wait for the parse all the same.
        """
        self.file.parse_older_entries()
        with self.lock:
            self._read_older_entries()

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

    @locked
    def stored_doc(self, table: str, record_id: str) -> dict[str, Any] | None:
        """The stored record `record_id` of `table` as a plain dict, or None."""
        found = self._in_memory(table).get(record_id)
        if found is None and table == Entry.TABLE:
            found = self._glimpsed_entry(record_id)
        if found is None and table == Entry.TABLE and self.file.lazy:
            self._read_older_entries()
            found = self._in_memory(table).get(record_id)
        return found if isinstance(found, dict) else None

    def _glimpsed_entry(self, entry_id: str) -> dict[str, Any] | None:
        """An older entry a search parsed (`_glimpsed`), while the file is still that one."""
        glimpsed = self._glimpsed
        if glimpsed is None or glimpsed[0] is not self.file.loaded or not self.file.lazy:
            return None
        return glimpsed[1].get(entry_id)

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

    @locked
    def all(self, cls: type[R], *, include_deleted: bool = False) -> list[R]:
        """Every record of one type (tombstones only when asked)."""
        return list(self._iter(cls, include_deleted=include_deleted))

    @locked
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

    @locked
    def find(self, record_id: str) -> Record:
        """Any record by id or unique id prefix, whatever its type."""
        exact = self._find_exact_in_memory(record_id)
        if exact is not None:
            return exact  # a whole id read already: no need to read older entries
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

    def _find_exact_in_memory(self, record_id: str) -> Record | None:
        """The one record read so far whose id is exactly `record_id`, or None."""
        found: list[Record] = []
        for cls in TABLES.values():
            doc = self._in_memory(cls.TABLE).get(record_id)
            if doc is None and cls is Entry:
                doc = self._glimpsed_entry(record_id)
            if isinstance(doc, dict):
                record = cls.from_doc(doc)
                if not (isinstance(record, Thread) and not record.topic):
                    found.append(record)
        return found[0] if len(found) == 1 else None

    def _next_change(self) -> tuple[str, str, str, str]:
        """(dot, clock time, member id, wall time) for the next local change."""
        self._refuse_if_invite()
        self._ensure_signing()
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
        self._stamp(type(record).TABLE, doc, dot, {}, new=True)
        self._table(type(record)).put(record.id, doc)
        self._stored(type(record).TABLE)
        _refresh(record, doc)

    def _update(
        self, record: Record, *, resolving: bool = False, touched: Iterable[str] = ()
    ) -> None:
        """Save an edited record as one local change (docs/SYNC.md)."""
        old = self._raw(type(record))[record.id]
        defaults = field_defaults(type(record))
        # Keeps fields a newer Tandem wrote; a field an older one never wrote is no change
        # while it keeps its default.
        new = {
            **old,
            **{
                key: value
                for key, value in record.to_doc().items()
                if key in old or key not in defaults or value != defaults[key]
            },
        }
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
        self._stamp(type(record).TABLE, doc, dot, dict(old.get("vv") or {}), new=False)
        self._table(type(record)).put(record.id, doc)
        self._stored(type(record).TABLE)
        _refresh(record, doc)

    @locked
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

    @locked
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

    # --- members and the journal page --------------------------------------------

    @property
    @locked
    def info(self) -> JournalInfo:
        """The journal's own page: title, the child, interests, strengths."""
        return self.get(JournalInfo, self.journal_id)

    @property
    @locked
    def title(self) -> str:
        """The journal's title."""
        return self.info.title

    @locked
    def update_info(self, **changes: Any) -> JournalInfo:
        """Change the journal page's fields (title, child_name, interests, ...)."""
        return self._apply(self.info, changes)

    def _apply(self, record: R, changes: dict[str, Any]) -> R:
        names = set(record.field_names())
        for key, value in changes.items():
            if key not in names or key in _ENVELOPE:
                raise UsageError(f"{type(record).__name__.lower()} has no field {key!r}")
            setattr(record, key, value)
        self._update(record)
        return record

    # --- summary --------------------------------------------------------------------

    @locked
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

    @locked
    def describe_merge(self, report: MergeReport) -> list[str]:
        """What a merge brought, in a few short sentences for a person.

        For example "2 new entries from Dr. Lee", "1 goal changed",
        "1 conflict to resolve: Tuesday (body)"; the words are those of
        `journal.merge_report`, which the command line uses too.
        """
        from journal.merge_report import describe_merge

        document = report.preview if report.preview is not None else self.document()
        return describe_merge(report, after=document).lines()

    @locked
    def document(self) -> dict[str, Any]:
        """The whole journal document (tables of stored records), for export and merging."""
        self._read_older_entries()
        return self._middleware.read() or {}


_ENVELOPE = frozenset(Record.field_names())


def _refresh(record: Record, doc: dict[str, Any]) -> None:
    """Copy the stamped metadata of `doc` back onto the caller's record object."""
    for name in ("vv", "dots", "writes", "hlc", "conflicts", "updated_at", "updated_by"):
        setattr(record, name, doc.get(name, getattr(record, name)))
    record.deleted_at, record.deleted_by = doc.get("deleted_at"), doc.get("deleted_by")
    record.deletion = doc.get("deletion")
