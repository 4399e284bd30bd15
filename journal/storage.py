"""The journal file on disk: unlocking, atomic saves, backups, and TinyDB storage.

`JournalFile` owns the bytes: it opens and unlocks a `.tandem` file once,
keeps the journal key in memory, and writes every save as a complete new file
(temp file in the same folder, fsync, `os.replace`, fsync the folder). It
refuses to overwrite a file that changed on disk since it was loaded.

`EncryptedStorage` is a TinyDB `Storage` over a `JournalFile`, and
`BufferedMiddleware` keeps TinyDB's many small writes in memory until the
journal is saved, so one `Journal.save()` is one encrypted write.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import secrets
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journal.crypto import (
    KdfParams,
    aead_decrypt,
    default_kdf_params,
    new_invite_code,
    new_journal_key,
    new_recovery_code,
)
from journal.errors import (
    DamagedFile,
    FileChangedOnDisk,
    OtherJournal,
    TandemError,
    WrongPassphrase,
)
from journal.fileformat import (
    FORMAT_VERSION,
    MAGIC,
    Container,
    Header,
    KekSource,
    Payload,
    Piece,
    Section,
    decrypt_payload,
    divide,
    open_payload,
    parse_container,
    seal,
    unlock,
)
from journal.frames import FileSource, SealedFrame, section_aad
from journal.identity import MemberKeys
from journal.ondisk import BACKUPS_KEPT as BACKUPS_KEPT
from journal.ondisk import LOCK_TIMEOUT_SECONDS as LOCK_TIMEOUT_SECONDS
from journal.ondisk import STALE_TEMP_SECONDS as STALE_TEMP_SECONDS
from journal.ondisk import (
    Backups,
    CopiedRange,
    atomic_write,
    describe_os_error,
    final_path,
    remember_opened,
    remembered_opened,
    remove_left_temps,
)
from journal.ondisk import data_dir as data_dir
from journal.ondisk import fsync_directory as fsync_directory
from journal.ondisk import journal_lock as journal_lock
from journal.ondisk import prune_backups as prune_backups
from journal.payload import SECTIONED_TABLE as _SECTIONED_TABLE
from journal.slots import (
    KeySlot,
    Unlocked,
    keyring_entry,
    make_slot,
    member_slot,
    open_keyring,
    secret_kek,
    shared_code_kdf,
    shared_passphrase_kdf,
)

CHECKSUM_SIZE = 32

Document = dict[str, Any]  # table name -> {record id -> record}, plus "tandem": version


@dataclass(frozen=True)
class Fingerprint:
    """What identifies one saved version of the file: its size and its SHA-256 trailer."""

    size: int
    checksum: bytes

    @classmethod
    def of_bytes(cls, data: bytes) -> Fingerprint:
        """The fingerprint of file contents held in memory."""
        return cls(len(data), data[-CHECKSUM_SIZE:])

    @classmethod
    def of_source(cls, source: FileSource) -> Fingerprint:
        """The fingerprint of an open file, as it was when it was opened."""
        return cls(source.size, bytes(source.read(source.size - CHECKSUM_SIZE, CHECKSUM_SIZE)))

    @classmethod
    def of_pieces(cls, pieces: list[Piece]) -> Fingerprint:
        """The fingerprint of a file written in pieces (its last piece is its checksum)."""
        size = sum(p.length if isinstance(p, CopiedRange) else len(p) for p in pieces)
        last = pieces[-1]
        assert not isinstance(last, CopiedRange)
        return cls(size, bytes(last[-CHECKSUM_SIZE:]))

    @classmethod
    def of_path(cls, path: Path) -> Fingerprint | None:
        """The fingerprint of the file on disk now, or None if it is gone."""
        try:
            with open(path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size < CHECKSUM_SIZE:
                    return cls(size, handle.read())
                handle.seek(size - CHECKSUM_SIZE)
                return cls(size, handle.read())
        except FileNotFoundError:
            return None
        except OSError as error:
            raise TandemError(describe_os_error("read", path, error)) from error


@dataclass(frozen=True)
class SlotBindings:
    """What a journal's signed member records say about key slots (docs/SYNC.md).

    `live`: slot id -> its binding (`KeySlot.binding()`, kind and hash);
    `revoked`: slots a member record says are revoked; `legacy`: format 2
    slots the journal page's `slot_owners` binds (members who have not opened
    the journal since the upgrade).
    """

    live: dict[str, str]
    revoked: frozenset[str]
    legacy: frozenset[str]

    def keeps(self, slot: KeySlot) -> bool:
        """True when a member record binds this very slot, and it is not revoked."""
        if slot.id in self.revoked:
            return False
        if slot.holds_member_keys:
            return self.live.get(slot.id) == slot.binding()
        return slot.id in self.legacy


def merge_headers(
    local: Header,
    remote: Header,
    bindings: SlotBindings | None = None,
    opened: str | None = None,
) -> Header:
    """Join two copies' key slots (docs/SYNC.md, "Key slots and membership").

    Format 2: the union of slots minus the union of revoked ones. Format 3
    (`bindings` given): only the slots the merged, signed member records bind,
    local ones first; a copy's own list of revoked slots counts for nothing,
    and the slot this journal was `opened` with stays unless a record revokes it.
    """
    if bindings is None:
        revoked = list(dict.fromkeys([*local.revoked_slots, *remote.revoked_slots]))
        gone = set(revoked)
        slots = [slot for slot in local.slots if slot.id not in gone]
        known = {slot.id for slot in slots}
        for slot in remote.slots:
            if slot.id not in gone and slot.id not in known:
                slots.append(slot)
                known.add(slot.id)
    else:
        revoked = list(dict.fromkeys([*local.revoked_slots, *sorted(bindings.revoked)]))
        slots = [
            slot
            for slot in local.slots
            if bindings.keeps(slot) or (slot.id == opened and slot.id not in bindings.revoked)
        ]
        known = {slot.id for slot in slots}
        for slot in remote.slots:
            if slot.id not in known and bindings.keeps(slot):
                slots.append(slot)
                known.add(slot.id)
    return dataclasses.replace(local, slots=slots, revoked_slots=revoked)


@dataclass
class PendingSave:
    """One save between `JournalFile.prepare_save` and `finish_save`."""

    document: Document
    """The tables as they were when the save began (copied)."""
    header: Header
    kept: list[Section] | None
    """After a lazy open, the sections of older entries, written back as they are."""
    key: bytes = b""
    """The key the payload is encrypted with (format 3: the current epoch's)."""
    recipients: list[tuple[str, bytes]] = dataclasses.field(default_factory=list)
    """Format 3: (member id, X25519 public key) of each member the keyring gives the key to."""
    sections: list[Section] = dataclasses.field(default_factory=list)
    head_entries: set[str] = dataclasses.field(default_factory=set)
    written: Fingerprint | None = None


class JournalFile:
    """An unlocked `.tandem` file: its header, its key in memory, and what was loaded."""

    def __init__(self, path: Path, header: Header, unlocked: Unlocked, loaded: Fingerprint | None):
        self.path = Path(path)
        self.header = header
        self.unlocked = unlocked
        self.loaded = loaded
        self._document: Document | None = None
        # Opened lazily: the older entries, still compressed (see `older_entries`).
        self._lazy: Payload | None = None
        # Once every entry is read: the sections they were read from, each with its parsed
        # entries, so that a save copies those none of whose entries changed since.
        self._read_sections: list[Section] = []
        self.backups = Backups(header.journal_id)
        self._told_backups_off = False
        self.epoch_keys: dict[str, bytes] = {}
        """Format 3: epoch id -> key, of every epoch the journal knows (to read other copies)."""

    # --- opening and creating ---------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str,
        secret: str,
        *,
        lazy: bool = False,
        kek_source: KekSource | None = None,
    ) -> JournalFile:
        """Read and unlock the journal at `path` (one key derivation).

        With `lazy`, the document read holds only the newest entries; the
        older ones stay compressed until `older_entries()` is called, and a
        save writes them back untouched. `kek_source`: see `fileformat.unlock`.
        """
        path = Path(path)
        # One open file: what is decrypted is exactly what was fingerprinted, and a
        # format 4 file's sections are read from it later (docs/FORMAT.md, "Reading").
        source = _open_source(path)
        remove_left_temps(path)  # by a save that was killed: never left for a drive to sync
        # With a held key and no passphrase, nothing is derived: decrypting authenticates
        # what is read (format 4: each frame's hash is checked as it is read; format 3:
        # every byte but the checksum's, which is checked only if something fails).
        held = not secret and kek_source is not None
        container = parse_container(source, checksum=not held)
        unlocked: Unlocked | None = None
        try:
            unlocked = unlock(container.header, secret, kek_source=kek_source)
            payload = _open_with(container, unlocked)
        except (WrongPassphrase, DamagedFile) as error:
            if held:
                container.check_integrity(source)  # damage reads as damage, never a wrong key
            if isinstance(error, WrongPassphrase) and unlocked is None:
                _refuse_altered_slot(container.header, path)  # no slot opened
            raise
        remember_opened(container.header.journal_id, _slot_memory(unlocked.slot, path))
        loaded = Fingerprint.of_source(source)
        journal_file = cls(path, container.header, unlocked, loaded)
        if lazy and payload.sections:
            journal_file._lazy = payload
            journal_file._document = payload.head
        else:
            sections = payload.sections
            journal_file._document = payload.document()
            journal_file._read_sections = sections
        return journal_file

    @classmethod
    def create(
        cls, path: Path | str, passphrase: str, member_id: str, journal_id: str
    ) -> tuple[JournalFile, str]:
        """Make a new, not yet saved, journal file; returns it and its recovery code."""
        path = Path(path)
        if path.exists():
            raise TandemError(f"{path} already exists; choose another name")
        if not path.parent.is_dir():
            raise TandemError(f"cannot create {path}: the folder {path.parent} does not exist")
        key = new_journal_key()
        recovery_code = new_recovery_code()
        keys = MemberKeys.generate(member_id)
        passphrase_kdf = default_kdf_params()
        kek = secret_kek("passphrase", passphrase, passphrase_kdf)
        slots = [
            member_slot("passphrase", kek, passphrase_kdf, keys, journal_id),
            make_slot("recovery", recovery_code, b"", journal_id, member_id, keys=keys),
        ]
        epoch = secrets.token_hex(8)
        header = Header(
            journal_id=journal_id, slots=slots, revoked_slots=[], format=FORMAT_VERSION, epoch=epoch
        )
        unlocked = Unlocked(key=key, slot=slots[0], member_id=member_id, keys=keys, kek=kek)
        journal_file = cls(path, header, unlocked, None)
        journal_file.epoch_keys = {epoch: key}
        journal_file._document = {}
        return journal_file, recovery_code

    # --- reading ------------------------------------------------------------

    @property
    def journal_id(self) -> str:
        """The id shared by every copy of this journal."""
        return self.header.journal_id

    @property
    def member_id(self) -> str | None:
        """The member whose key slot unlocked the file."""
        return self.unlocked.member_id

    @property
    def format(self) -> int:
        """The format version of the file as read, or as the next save writes it."""
        return self.header.format

    @property
    def member_keys(self) -> MemberKeys | None:
        """The private keys of the member who unlocked (format 3 slots), else None."""
        return self.unlocked.keys

    def read_document(self) -> Document:
        """The decrypted journal document (TinyDB tables); only the newest entries if lazy."""
        if self._document is None:
            self._document = {}
        return self._document

    @property
    def lazy(self) -> bool:
        """True while older entries are still unread (see `open(lazy=True)`)."""
        return self._lazy is not None

    @property
    def entries_cutoff(self) -> tuple[str, str] | None:
        """While lazy, the newest `entry_order` of the unread entries (else None)."""
        return self._lazy.cutoff if self._lazy is not None else None

    @property
    def unread_entries_flagged(self) -> int:
        """While lazy, how many unread entries hold conflicts or a deletion note."""
        return self._lazy.flagged if self._lazy is not None else 0

    def parse_older_entries(self) -> None:
        """Parse the entries a lazy open left out, so that `older_entries` is quick.

        Needs no lock: it only reads the compressed sections, and keeps what it parsed.
        """
        lazy = self._lazy
        if lazy is not None:
            for section in list(lazy.sections):
                lazy.section_entries(section)

    def entries_holding(self, needle: str) -> Document | None:
        """After a lazy open, the older entries a search for `needle` must look at, or None
        (`Payload.entries_holding`); read-only: the document is not changed."""
        return self._lazy.entries_holding(needle) if self._lazy is not None else None

    def older_entries(self) -> Document:
        """Read the entries a lazy open left out (id -> record); afterwards nothing is lazy."""
        if self._lazy is None:
            return {}
        older = self._lazy.load_sections()
        self._read_sections = self._lazy.sections
        self._lazy = None
        return older

    def changed_on_disk(self) -> bool:
        """True if the file on disk is no longer the version that was loaded or last saved."""
        return Fingerprint.of_path(self.path) != self.loaded

    def read_copy(self, path: Path | None = None) -> tuple[Header, Document, Fingerprint]:
        """Read another copy of this journal (default: the file on disk now) with our key.

        Raises `OtherJournal` for a file of a different journal.
        """
        source = Path(path) if path is not None else self.path
        data = _read_bytes(source)
        header, document = self.open_copy(data, source)
        return header, document, Fingerprint.of_bytes(data)

    def read_disk_bytes(self) -> bytes:
        """The file on disk now, as bytes (to keep a copy aside exactly as it came)."""
        return _read_bytes(self.path)

    def open_copy(self, data: bytes, source: Path) -> tuple[Header, Document]:
        """Check and decrypt another copy of this journal held in `data` (read from `source`).

        Raises `OtherJournal` for a file of a different journal.
        """
        container = parse_container(data)
        if container.header.journal_id != self.journal_id:
            raise OtherJournal(f"{source} is a copy of a different journal")
        return container.header, decrypt_payload(container, self._key_for(container))

    def _key_for(self, container: Container) -> bytes:
        """The key that opens another copy: its epoch's, or its keyring's entry for us.

        A copy of format 1 or 2 opens with the journal key of that time (the
        first epoch's); several keys are tried only for those.
        """
        header = container.header
        if header.format >= 3:
            key = self.epoch_keys.get(header.epoch)
            if key is None and header.epoch == self.header.epoch:
                key = self.unlocked.key
            if key is None and self.unlocked.keys is not None:
                key = open_keyring(header, self.unlocked.keys)
            if key is None:
                raise TandemError(
                    "that copy was saved with a key this journal was not given "
                    "(it was renewed after you were removed, or you were never given it)"
                )
            return key
        candidates = [self.unlocked.key, *self.epoch_keys.values()]
        for key in dict.fromkeys(candidates):
            if aead_decrypt(key, header.payload_nonce, container.ciphertext, container.aad):
                return key
        return self.unlocked.key  # none opens it: decrypting says it is damaged

    def keep_damaged_disk_copy(self) -> None:
        """Keep a damaged file found on disk among the backups before it is replaced."""
        self.backups.keep_damaged(final_path(self.path))

    @property
    def backups_off(self) -> str | None:
        """Why the last save kept no backup (one line, "backups are off: ..."), or None."""
        return self.backups.off

    def take_notices(self) -> list[str]:
        """What a person should hear about this file since last asked, each said once.

        Today that is only that backups are off (the data folder cannot be
        written): saving goes on, so the command line and the app say it once.
        """
        off = self.backups.off
        if off is None:
            self._told_backups_off = False  # working again: say it again if they stop
            return []
        if self._told_backups_off:
            return []
        self._told_backups_off = True
        return [off]

    def adopt_header(self, remote: Header, bindings: SlotBindings | None = None) -> bool:
        """Merge another copy's key slots into ours (docs/SYNC.md, "Key slots and membership").

        In format 3, `bindings` are what the merged journal's signed member
        records say. Returns True if that changed our slots.
        """
        merged = merge_headers(self.header, remote, bindings, opened=self.unlocked.slot.id)
        changed = [s.id for s in merged.slots] != [s.id for s in self.header.slots] or (
            merged.revoked_slots != self.header.revoked_slots
        )
        self.header = merged
        return changed

    # --- writing -------------------------------------------------------------

    def write_document(self, document: Document) -> None:
        """Encrypt and save `document` atomically, refusing to overwrite outside changes."""
        pending = self.prepare_save(document)
        self.write(pending)
        self.finish_save(pending, document)

    def prepare_save(
        self,
        document: Document,
        epoch: tuple[str, bytes] | None = None,
        recipients: list[tuple[str, bytes]] | None = None,
    ) -> PendingSave:
        """What saving `document` writes, copied so that `write` needs no lock.

        Call it under the journal's lock. Records are replaced, never changed
        in place, so copying the tables is enough. Format 3: the payload is
        encrypted with `epoch` (id, key), given to `recipients` in the keyring.
        """
        header = dataclasses.replace(
            self.header,
            slots=list(self.header.slots),
            revoked_slots=list(self.header.revoked_slots),
        )
        key = self.unlocked.key
        if epoch is not None:
            header.format, header.epoch = FORMAT_VERSION, epoch[0]
            key = epoch[1]
        kept = list(self._lazy.sections) if self._lazy is not None else None
        tables = {
            name: dict(value) if isinstance(value, dict) else value
            for name, value in document.items()
        }
        if kept is None:
            kept = self._unchanged_sections(tables)
        if not kept:
            # An older copy may use an older compression; every save writes the current one.
            header.compression = Header.compression
        return PendingSave(tables, header, kept, key=key, recipients=list(recipients or []))

    def _unchanged_sections(self, tables: Document) -> list[Section] | None:
        """Once every entry was read: the sections none of whose entries changed since, whose
        entries leave `tables` (a save copies those sections as they are); None for none.

        Records are replaced, never changed in place: an entry that is the very object
        its section was read with is unchanged.
        """
        entries = tables.get(_SECTIONED_TABLE)
        if not self._read_sections or not isinstance(entries, dict):
            return None
        unchanged = [
            section
            for section in self._read_sections
            if section.parsed is not None
            and all(entries.get(key) is doc for key, doc in section.parsed.items())
        ]
        if not unchanged:
            return None
        carried = {key for section in unchanged for key in section.parsed or ()}
        tables[_SECTIONED_TABLE] = {k: v for k, v in entries.items() if k not in carried}
        return unchanged

    def write(self, pending: PendingSave) -> None:
        """Encrypt and write a prepared save atomically: the slow part, done without the lock.

        Refuses to overwrite a file that changed on disk since it was loaded.
        One save at a time: the caller serialises them.
        """
        if self.changed_on_disk():
            raise FileChangedOnDisk(
                f"{self.path} changed on disk since it was opened; "
                "your changes are kept in memory and were not saved over it"
            )
        head, pending.sections = divide(pending.document, pending.kept, pending.header.compression)
        pending.head_entries = set(head.get("entries", {}))
        header = pending.header
        if header.format >= 3:
            header.keyring = [
                keyring_entry(self.journal_id, header.epoch, member_id, box, pending.key)
                for member_id, box in pending.recipients
            ]
        pieces = seal(header, pending.key, head, pending.sections)
        atomic_write(self.path, pieces, backups=self.backups)
        pending.written = Fingerprint.of_pieces(pieces)
        if header.format >= FORMAT_VERSION:
            _read_back_from(self.path, pending)

    def finish_save(self, pending: PendingSave, document: Document) -> None:
        """Record a finished `write` (under the journal's lock); `document` is the one in memory.

        After a lazy open, the entries the save moved into a new section are
        unread again: they leave `document`.
        """
        self.loaded = pending.written
        self.header.compression = pending.header.compression
        if pending.header.format >= 3:
            self.header.format = pending.header.format
            self.header.epoch = pending.header.epoch
            self.header.keyring = pending.header.keyring
            self.header.payload_nonce = pending.header.payload_nonce
            self.unlocked = dataclasses.replace(self.unlocked, key=pending.key)
        self._document = document
        if self._lazy is None:
            self._read_sections = pending.sections  # each holds its entries (`divide`)
            return
        if pending.kept is None or len(pending.sections) <= len(pending.kept):
            return
        entries = document.get("entries", {})
        saved = pending.document.get("entries", {})
        changed_meanwhile = False
        for entry_id in set(saved) - pending.head_entries:
            if entries.get(entry_id) is saved[entry_id]:
                del entries[entry_id]
            else:
                changed_meanwhile = True
        self._lazy.sections = pending.sections
        if changed_meanwhile:
            # Never an entry in two places: read every older one back (the newer wins).
            for entry_id, doc in self.older_entries().items():
                entries.setdefault(entry_id, doc)

    def new_invite_slot(
        self, member_id: str, keys: MemberKeys | None = None
    ) -> tuple[str, KeySlot]:
        """A one-time invite code for `member_id` and its slot, for `add_invite_slot`.

        Format 3: the slot holds `keys`, made for the invitation. Slow (a key
        derivation) and changes nothing: call it without the journal's lock.
        """
        code = new_invite_code()
        if keys is None:
            return code, make_slot("invite", code, self.unlocked.key, self.journal_id, member_id)
        return code, self.new_member_slot("invite", code, keys)

    def new_member_slot(self, kind: str, secret: str, keys: MemberKeys) -> KeySlot:
        """A format 3 slot of `kind` opened by `secret` and holding `keys`.

        Passphrase slots share one set of key settings, recovery and invitation
        slots another, so unlocking derives once per kind of secret. Slow (a
        key derivation) and changes nothing: call it without the journal's lock.
        """
        shared = shared_passphrase_kdf if kind == "passphrase" else shared_code_kdf
        kdf = _strong_enough(shared(self.header))
        return make_slot(kind, secret, b"", self.journal_id, keys.member_id, kdf, keys=keys)

    def member_slot_with_kek(self, keys: MemberKeys) -> KeySlot | None:
        """A format 3 slot for the secret this file was opened with, holding `keys`.

        For a member whose format 2 slot gets keys at their first save after
        the upgrade (the same passphrase, the same settings). None when the
        key-encryption key is not known.
        """
        slot, kek = self.unlocked.slot, self.unlocked.kek
        if kek is None:
            return None
        return member_slot(slot.kind, kek, slot.kdf, keys, self.journal_id)

    def use_slot(self, slot: KeySlot, keys: MemberKeys, kek: bytes | None = None) -> None:
        """From now on this journal is opened with `slot` (added already), holding `keys`."""
        self.unlocked = Unlocked(
            key=self.unlocked.key, slot=slot, member_id=keys.member_id, keys=keys, kek=kek
        )

    def add_invite_slot(self, slot: KeySlot) -> None:
        """Add an invite slot made by `new_invite_slot`."""
        self.header.slots.append(slot)

    def revoke_slots(self, slot_ids: Iterable[str]) -> None:
        """Remove key slots for good; merging an older copy cannot bring them back."""
        gone = set(slot_ids) - {self.unlocked.slot.id}
        self.header.slots = [s for s in self.header.slots if s.id not in gone]
        for slot_id in sorted(gone):
            if slot_id not in self.header.revoked_slots:
                self.header.revoked_slots.append(slot_id)

    def live_slot_ids(self, *kinds: str) -> set[str]:
        """Ids of the slots of these kinds that can still unlock the journal."""
        return {s.id for s in self.header.slots if s.kind in kinds}

    def new_passphrase_slot(
        self, passphrase: str, member_id: str, keys: MemberKeys | None = None
    ) -> KeySlot:
        """A passphrase slot for `member_id`, for `add_passphrase_slot`.

        Format 3: it holds the member's `keys`. Slow (a key derivation) and
        changes nothing: call it without the journal's lock.
        """
        if keys is not None:
            return self.new_member_slot("passphrase", passphrase, keys)
        kdf = _strong_enough(shared_passphrase_kdf(self.header))
        return make_slot(
            "passphrase", passphrase, self.unlocked.key, self.journal_id, member_id, kdf
        )

    def add_passphrase_slot(
        self, slot: KeySlot, member_id: str, keys: MemberKeys | None = None
    ) -> str:
        """Add a slot from `new_passphrase_slot` for `member_id`; returns its id.

        If it is the unlocking member's, the slot used to unlock is revoked
        (unless it is the recovery slot). The journal key stays the same:
        only the key is re-wrapped. Takes effect on the next save. Format 3:
        `keys` are the member's keys the slot holds.
        """
        old = self.unlocked.slot
        self.header.slots.append(slot)
        if member_id != self.unlocked.member_id:
            return slot.id  # set with the recovery code for someone else: we stay who we are
        self.unlocked = Unlocked(
            key=self.unlocked.key, slot=slot, member_id=member_id, keys=keys or self.unlocked.keys
        )
        if slot.holds_member_keys:
            remember_opened(self.journal_id, _slot_memory(slot, self.path))
        if old.kind in ("passphrase", "invite"):
            self.revoke_slots([old.id])
        return slot.id


def _strong_enough(kdf: KdfParams | None) -> KdfParams:
    """Shared key settings, unless they are missing or weaker than today's defaults."""
    if kdf is None or kdf.memory_kib < default_kdf_params().memory_kib:
        return default_kdf_params()
    return kdf


def _slot_memory(slot: KeySlot, path: Path) -> dict[str, object]:
    return {"slot": slot.id, "kdf": slot.kdf.to_json(), "path": str(final_path(path))}


def _refuse_altered_slot(header: Header, path: Path) -> None:
    """After no slot opened: say "altered" when the slot this person last used was changed.

    Only this computer's memory of the last open (of this very file; another
    copy may simply be older) can tell it apart from a wrong passphrase
    (docs/FORMAT.md, reading step 6).
    """
    remembered = remembered_opened(header.journal_id)
    if remembered is None or remembered.get("path") != str(final_path(path)):
        return
    slot_id = remembered.get("slot")
    if slot_id in header.revoked_slots:
        raise WrongPassphrase(
            "this passphrase no longer opens this journal: it was replaced, or you were removed"
        )
    slot = next((s for s in header.slots if s.id == slot_id), None)
    if slot is None:
        raise DamagedFile(
            "this file is damaged: it was altered (the key slot you last opened it with is gone)"
        )
    if slot.kdf.to_json() != remembered.get("kdf"):
        raise DamagedFile(
            "this file is damaged: it was altered (your key slot's settings were changed)"
        )


def _open_with(container: Container, unlocked: Unlocked) -> Payload:
    """Decrypt the payload; a format 2 slot under a renewed key says so (not "damaged")."""
    try:
        return open_payload(container, unlocked.key)
    except DamagedFile:
        if container.header.format >= 3 and not unlocked.slot.holds_member_keys:
            raise WrongPassphrase(
                "this passphrase was made before the journal's key was renewed and no longer "
                "opens it: ask an owner for a new invitation"
            ) from None
        raise


def _read_back_from(path: Path, pending: PendingSave) -> None:
    """Point the sections just written at their frames in the new file, so that the next
    save copies them instead of encrypting them again; only while the file at `path` is
    the one just written (nothing if it is not, or cannot be read)."""
    try:
        source = _open_source(path)
        if Fingerprint.of_source(source) != pending.written:
            return  # replaced already (a drive): the sections stay as they are
        layout = parse_container(source, checksum=False).layout
    except TandemError:
        return
    if layout is None or len(layout.frames) != len(pending.sections) + 1:
        return
    header = pending.header
    aad = section_aad(MAGIC, header.journal_id, header.epoch)
    for section, frame in zip(pending.sections, layout.frames[1:], strict=True):
        section.stored = SealedFrame(frame, pending.key, aad)


def _open_source(path: Path) -> FileSource:
    """The journal at `path`, open for reading at offsets (`TandemError` when it cannot be)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            os.close(fd)
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        return FileSource(fd)
    except FileNotFoundError as error:
        raise TandemError(f"no journal at {path}") from error
    except OSError as error:
        raise TandemError(describe_os_error("read", path, error)) from error


def _read_bytes(path: Path) -> bytes:
    """The whole file at `path` (`TandemError` as `_open_source` says)."""
    source = _open_source(path)
    try:
        return source.read(0, source.size)
    finally:
        source.close()
