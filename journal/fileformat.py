"""Reading and writing the bytes of a `.tandem` file (format version 3; 1 and 2 are still read).

The binding description is docs/FORMAT.md. In short::

    magic(8) | version(2) | H(4) | header(H) | P(8) | payload(P) | sha256(32)

Inside the payload, version 2 keeps the newest entries with the rest of the
document in a small head frame and older entries in separately compressed
sections, so adding an entry or listing the newest ones need not decompress,
parse or compress the whole journal (`open_payload`, `Section`).

`parse_container` performs the reading steps 1-5 (magic, version, lengths,
checksum, header) and raises only `TandemError` subclasses, whatever the
bytes. `unlock` is step 6 and `decrypt_payload` step 7. `encode_file` writes
a whole file; saving it safely to disk is the caller's job (journal/storage.py).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from journal.compression import COMPRESSIONS, declared_size
from journal.compression import compress as _compress
from journal.compression import decompress as _decompress
from journal.compression import mib as _mib
from journal.crypto import (
    KEY_SIZE,
    NONCE_SIZE,
    TAG_SIZE,
    KdfParams,
    aead_decrypt,
    aead_encrypt,
    b64decode,
    b64encode,
    derive_kek,
    new_nonce,
    normalize_code,
)
from journal.errors import (
    DamagedFile,
    NewerFormat,
    NotATandemFile,
    TandemError,
    WrongPassphrase,
)
from journal.section_search import dump_lines, lines_holding, two_at_a_time
from journal.slots import CODE_KINDS as CODE_KINDS
from journal.slots import MAGIC as MAGIC
from journal.slots import SLOT_KINDS as SLOT_KINDS
from journal.slots import KeySlot as KeySlot
from journal.slots import Unlocked as Unlocked
from journal.slots import _bad_header, _open_slot
from journal.slots import make_slot as make_slot
from journal.slots import shared_passphrase_kdf as shared_passphrase_kdf
from journal.validate import check_document, check_records, shown_id

HEAD_ENTRIES = 100
"""How many of the newest entries a full save keeps in the head frame."""
SECTION_ENTRIES = 1000
"""How many entries a full save puts in each older section."""
HEAD_ENTRIES_MAX = 500
"""A save that kept the sections spills the head's oldest entries past this many."""
MAX_ENTRY_BYTES = 8 << 20
"""A section may expand to its entry count times this (no entry is near that large)."""
MAX_PAYLOAD_BYTES = 512 << 20
"""All frames of a file together may expand to at most this many bytes (docs/FORMAT.md)."""
_SECTIONED_TABLE = "entries"
_SECTIONS_KEY = "sections"


FORMAT_VERSION = 3
"""The format version this code writes, and the newest it reads (it reads 1 and 2 too)."""
MAX_SLOTS = 64
"""A header may hold at most this many key slots (docs/FORMAT.md, "Limits")."""
MAX_DERIVATIONS = 4
"""Unlocking derives at most this many keys (parameter sets) per secret tried."""

CIPHER = "AES-256-GCM"
KEYRING_FIELDS = ("member", "epoch", "eph", "nonce", "sealed")

_FIXED_SIZE = 8 + 2 + 4 + 8 + 32  # everything but the header and the payload: 54
_HEX32 = re.compile(r"[0-9a-f]{32}")
_EPOCH = re.compile(r"[0-9a-f]{16}")


def _nbytes(n: int) -> str:
    return "1 byte" if n == 1 else f"{n} bytes"


def utc_now() -> str:
    """The current UTC time as ``YYYY-MM-DDTHH:MM:SSZ``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_journal_id() -> str:
    """A fresh journal id: 32 lowercase hex characters of a random UUID."""
    return uuid.uuid4().hex


@dataclass
class Header:
    """The plaintext header: the journal id, the key slots and how the payload is sealed."""

    journal_id: str
    slots: list[KeySlot]
    revoked_slots: list[str]
    payload_nonce: bytes = b""
    cipher: str = CIPHER
    compression: str = "zstd"
    format: int = 2
    """The format version this header is written in: 3 has the epoch and the keyring."""
    epoch: str = ""
    """Format 3: the id of the epoch whose key encrypts the payload."""
    keyring: list[dict[str, str]] = field(default_factory=list)
    """Format 3: that key sealed to each member (docs/FORMAT.md, "Epochs and the keyring")."""

    def to_json(self) -> dict[str, Any]:
        """The header as a JSON object."""
        found: dict[str, Any] = {
            "journal_id": self.journal_id,
            "cipher": self.cipher,
            "compression": self.compression,
            "payload_nonce": b64encode(self.payload_nonce),
            "slots": [slot.to_json() for slot in self.slots],
            "revoked_slots": list(self.revoked_slots),
        }
        if self.format >= 3:
            found.update(format=self.format, epoch=self.epoch, keyring=list(self.keyring))
        return found

    def to_bytes(self) -> bytes:
        """The header as written: UTF-8 JSON with sorted keys and no insignificant whitespace."""
        text = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"))
        return text.encode("utf-8")

    @classmethod
    def from_json(cls, d: object, version: int = 2) -> Header:
        """Parse the header object of a file of format `version`, raising `DamagedFile`.

        Unknown keys are ignored. A format 3 header says so inside (`format`),
        so that a changed outer version reads as altered (docs/FORMAT.md).
        """
        if not isinstance(d, dict):
            raise _bad_header("it is not a JSON object")
        inner = d.get("format")
        if inner is not None and inner != version:
            raise DamagedFile(
                "this file is damaged: it was altered "
                "(its format version does not match its header)"
            )
        journal_id = d.get("journal_id")
        if not isinstance(journal_id, str) or not _HEX32.fullmatch(journal_id):
            raise _bad_header("bad journal id")
        cipher = d.get("cipher")
        if cipher != CIPHER:
            raise _bad_header("unknown cipher")
        compression = d.get("compression")
        if compression not in COMPRESSIONS:
            raise _bad_header("unknown compression")
        payload_nonce = b64decode(d.get("payload_nonce"), "the payload nonce")
        if len(payload_nonce) != NONCE_SIZE:
            raise _bad_header("the payload nonce has the wrong size")
        raw_slots = d.get("slots")
        if not isinstance(raw_slots, list):
            raise _bad_header("slots is not a list")
        if len(raw_slots) > MAX_SLOTS:
            raise _bad_header(f"more than {MAX_SLOTS} key slots")
        slots = [KeySlot.from_json(s) for s in raw_slots]
        revoked = d.get("revoked_slots")
        if not isinstance(revoked, list) or not all(isinstance(r, str) for r in revoked):
            raise _bad_header("revoked_slots is not a list of ids")
        header = cls(
            journal_id=journal_id,
            slots=slots,
            revoked_slots=list(revoked),
            payload_nonce=payload_nonce,
            cipher=cipher,
            compression=compression,
        )
        if inner is not None:  # format 3 (without it, the payload's check finds any change)
            header.format = version
            header.epoch = _epoch_id(d.get("epoch"))
            header.keyring = _keyring(d.get("keyring"))
        return header


def _epoch_id(value: object) -> str:
    if not isinstance(value, str) or not _EPOCH.fullmatch(value):
        raise _bad_header("bad epoch")
    return value


def _keyring(value: object) -> list[dict[str, str]]:
    if not isinstance(value, list) or len(value) > MAX_SLOTS:
        raise _bad_header("the keyring is not a list of entries")
    entries: list[dict[str, str]] = []
    for entry in value:
        if (
            not isinstance(entry, dict)
            or not all(isinstance(entry.get(k), str) for k in KEYRING_FIELDS)
            or not _HEX32.fullmatch(entry["member"])
            or not _EPOCH.fullmatch(entry["epoch"])
        ):
            raise _bad_header("a keyring entry is not valid")
        entries.append({k: entry[k] for k in KEYRING_FIELDS})
    return entries


@dataclass
class Container:
    """A checked, still locked file: its header, the AAD (bytes 0..end of header), the payload."""

    header: Header
    aad: bytes
    ciphertext: bytes | memoryview

    @property
    def version(self) -> int:
        """The format version the file was written in."""
        return int.from_bytes(self.aad[8:10], "big")


def entry_order(doc: dict[str, Any]) -> tuple[str, str]:
    """How entries sort, newest last: by the day they happened, then by when they were written."""
    return (doc.get("occurred_at") or "", doc.get("created_at") or "")


@dataclass
class Section:
    """A frame of older entries, kept compressed until something needs them."""

    frame: bytes | memoryview
    count: int
    newest: tuple[str, str]
    flagged: int = 0
    """How many of its entries hold conflicts or a deletion note (`needs_a_look`)."""
    parsed: dict[str, dict[str, Any]] | None = field(default=None, repr=False, compare=False)
    """Its entries once parsed (`Payload.section_entries`)."""
    size: int = -1
    """Its JSON's length once decompressed, when this program made it (-1: read from a file)."""
    beside: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    """The ids of the head it was read with: none of its entries may be among them."""
    lines: bool = False
    """Written one entry per line, escaping only control characters: a search may look at
    the lines that hold its words alone (journal/section_search.py)."""

    @property
    def cap(self) -> int:
        """The most its frame may expand to: its entry count times `MAX_ENTRY_BYTES`."""
        return max(self.count, 1) * MAX_ENTRY_BYTES

    def to_json(self) -> dict[str, Any]:
        """What the head says about this section."""
        about = {"entries": self.count, "newest": list(self.newest), "flagged": self.flagged}
        return {**about, "lines": True} if self.lines else about


def needs_a_look(doc: dict[str, Any]) -> bool:
    """True for a stored record with conflicting versions or a deletion note (docs/SYNC.md)."""
    return bool(doc.get("conflicts") or doc.get("deletion"))


@dataclass
class Payload:
    """A decrypted payload: the head document, and the older entries still compressed.

    `head` is the whole journal document except that its ``entries`` table
    holds only the entries not in `sections`. `cutoff` is the newest
    `entry_order` of any sectioned entry: a head entry above it is newer than
    every entry left in the sections.
    """

    head: dict[str, Any]
    sections: list[Section]
    compression: str
    budget: int = MAX_PAYLOAD_BYTES
    """How much more the sections read from the file may expand to (the cap less the head)."""

    @property
    def flagged(self) -> int:
        """How many sectioned entries hold conflicts or a deletion note."""
        return sum(section.flagged for section in self.sections)

    @property
    def cutoff(self) -> tuple[str, str] | None:
        """The newest order of the sectioned entries, or None when there are none."""
        return max((s.newest for s in self.sections), default=None)

    def load_sections(self) -> dict[str, dict[str, Any]]:
        """Decompress and parse every section: entry id -> entry record.

        Raises `DamagedFile` when an entry is in two sections (or see `section_entries`).
        """
        older: dict[str, dict[str, Any]] = {}
        for section in list(self.sections):
            entries = self.section_entries(section)
            _refuse_repeats(entries, older)
            older.update(entries)
        return older

    def entries_holding(self, needle: str) -> dict[str, dict[str, Any]] | None:
        """The older entries whose stored line holds `needle` (folded), parsed and checked.

        A search reads these instead of every section (journal/section_search.py):
        an entry that does not hold the words is not parsed. None when a
        section cannot be searched so: then read them all (`load_sections`).
        """
        found: dict[str, dict[str, Any]] = {}
        unread = []
        for section in self.sections:
            if section.parsed is not None:
                found.update(section.parsed)  # every one: the search's own test decides
            elif not section.lines:
                return None
            else:
                unread.append(section)

        budget = [self.budget]  # what sections read from the file may still expand to
        counting = threading.Lock()

        def look(section: Section) -> dict[str, dict[str, Any]] | None:
            if section.size >= 0:  # made by this program
                return lines_holding(
                    _decompress(section.frame, self.compression, section.cap), needle
                )
            # As `section_entries`: a file's sections together expand to its budget at the most.
            declared = declared_size(section.frame, self.compression)
            plain: bytes | None = None
            with counting:
                cap = min(section.cap, budget[0])
                if declared < 0:  # a size not said beforehand: counted as it is unpacked
                    plain = _decompress(section.frame, self.compression, cap)
                    budget[0] -= len(plain)
                else:
                    budget[0] -= min(declared, cap)  # more than `cap`: refused just below
            if plain is None:
                plain = _decompress(section.frame, self.compression, cap)
            return lines_holding(plain, needle)

        for section, holding in zip(unread, two_at_a_time(look, unread), strict=True):
            if holding is None or any(key in found or key in section.beside for key in holding):
                return None  # a repeated id is damage, which reading it all reports
            check_records(_SECTIONED_TABLE, holding)
            found.update(holding)
        return found

    def section_entries(self, section: Section) -> dict[str, dict[str, Any]]:
        """One section's entries, parsed once (whichever thread asks first parses it).

        Raises `DamagedFile` for a section that unpacks past its cap or the
        file's remaining budget, that is not its count of well-formed entries
        (`journal.validate`), or that holds an entry of the head it was read with.
        """
        if section.parsed is None:
            # Parsing holds the interpreter lock for a while: before each section, let
            # other threads run (an app's screen stays responsive while it reads).
            time.sleep(0)
            if section.size < 0:  # read from a file: it may not expand past its share
                cap = min(section.cap, self.budget)
                plain = _decompress(section.frame, self.compression, cap)
                self.budget -= len(plain)
            else:
                plain = _decompress(section.frame, self.compression, section.cap)
            entries = _parse_json(plain)
            if not isinstance(entries, dict) or len(entries) != section.count:
                raise DamagedFile("this file is damaged: a section of entries is not readable")
            check_records(_SECTIONED_TABLE, entries)
            _refuse_repeats(entries, section.beside)
            section.parsed = entries
        return section.parsed

    def document(self) -> dict[str, Any]:
        """The whole document: the head with every section's entries put back."""
        older = self.load_sections()
        if older:
            entries = self.head.setdefault(_SECTIONED_TABLE, {})
            if not isinstance(entries, dict) or any(key in entries for key in older):
                raise DamagedFile("this file is damaged: its sections of entries overlap")
            entries.update(older)
        self.sections = []
        return self.head


def _not_tandem(data: bytes) -> NotATandemFile:
    if data[1:4] == b"TDM":
        return NotATandemFile(
            "this is not a Tandem journal (it looks like one altered in transfer; "
            "copy it as a binary file)"
        )
    return NotATandemFile("this is not a Tandem journal")


def parse_container(data: bytes, *, checksum: bool = True) -> Container:
    """Check a file's bytes (reading steps 1-5 of docs/FORMAT.md) and split them up.

    Raises `NotATandemFile`, `NewerFormat` or `DamagedFile` with a one-line message;
    never anything else, whatever the input. Without `checksum`, step 4 is left
    to the caller (`check_checksum`): a reader that holds the key already and
    derives none checks it when unlocking or decrypting fails.
    """
    size = len(data)
    # 1. Magic.
    if size < len(MAGIC):
        if data != MAGIC[:size]:
            raise _not_tandem(data)
        if size == 0:
            raise DamagedFile("this file is damaged: it is empty")
        raise DamagedFile(f"this file is damaged: it is truncated (only {_nbytes(size)} long)")
    if data[: len(MAGIC)] != MAGIC:
        raise _not_tandem(data)
    # 2. Version.
    if size < 10:
        raise DamagedFile(f"this file is damaged: it is truncated (only {_nbytes(size)} long)")
    version = int.from_bytes(data[8:10], "big")
    if version > FORMAT_VERSION:
        raise NewerFormat(
            f"this journal was written by a newer version of Tandem (format {version}); "
            "update Tandem to open it"
        )
    if version < 1:
        raise DamagedFile(f"this file is damaged: its format version ({version}) is not valid")
    # 3. Lengths.
    if size < 14:
        raise DamagedFile("this file is damaged: it is truncated (it ends inside its header)")
    header_len = int.from_bytes(data[10:14], "big")
    header_end = 14 + header_len
    if size < header_end + 8:
        raise DamagedFile("this file is damaged: it is truncated (it ends inside its header)")
    payload_len = int.from_bytes(data[header_end : header_end + 8], "big")
    expected = _FIXED_SIZE + header_len + payload_len
    if size < expected:
        raise DamagedFile(
            f"this file is damaged: it is truncated (missing its last {_nbytes(expected - size)})"
        )
    if size > expected:
        sealed = data[: expected - 32]
        if hashlib.sha256(sealed).digest() == data[expected - 32 : expected]:
            raise DamagedFile(
                "this file is damaged: something was appended after its end "
                f"({_nbytes(size - expected)} too many)"
            )
        raise DamagedFile("this file is damaged: it was altered (its lengths do not add up)")
    # 4. Checksum, before anything else is believed.
    if checksum:
        check_checksum(data)
    try:
        header = _parse_header(data[14:header_end], version)
        if payload_len < TAG_SIZE:
            raise DamagedFile("this file is damaged: its encrypted contents are too short")
    except DamagedFile:
        if not checksum:
            check_checksum(data)  # a damaged file is reported by its checksum first
        raise
    return Container(
        header=header,
        aad=data[:header_end],
        # Views, not copies: at 100,000 entries each copy of the payload costs ~10 ms.
        ciphertext=memoryview(data)[header_end + 8 : header_end + 8 + payload_len],
    )


def _parse_header(text: bytes, version: int) -> Header:
    """Reading step 5: the header's JSON."""
    try:
        obj = json.loads(text.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise _bad_header("it is not JSON") from exc
    return Header.from_json(obj, version)


def check_checksum(data: bytes) -> None:
    """Reading step 4: refuse (`DamagedFile`) a file whose checksum does not match."""
    if hashlib.sha256(memoryview(data)[:-32]).digest() != data[-32:]:  # no 2nd copy of the file
        raise DamagedFile("this file is damaged: it was altered (its checksum does not match)")


def read_container(path: str | os.PathLike[str]) -> Container:
    """Read and check the file at `path` (see `parse_container`).

    A missing file raises ``TandemError("no journal at ...")``; any other OS error
    a `TandemError` naming the path and the reason.
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise TandemError(f"no journal at {os.fspath(path)}") from exc
    except OSError as exc:
        raise TandemError(f"cannot read {os.fspath(path)}: {exc.strerror or exc}") from exc
    return parse_container(data)


def peek_journal_id(path: str | os.PathLike[str]) -> str:
    """The journal id of the (checked) file at `path`, without unlocking it."""
    return read_container(path).header.journal_id


NO_LONGER_OPENS = (
    "this passphrase no longer opens this journal: you were removed, "
    "or its key was renewed without you (ask an owner for a new invitation)"
)

KekSource = Callable[[str, KdfParams, str], bytes | None]
"""`unlock`'s hook: (journal id, a slot group's KDF parameters, the secret) -> its
key-encryption key, or None to skip the group (journal/keys.py: a key the agent holds)."""

_CODE_SHAPE = re.compile(r"\s*(?:\w{5}(?:-\w{5}){4}|\w{4}(?:-\w{4}){3})\s*", re.ASCII)
"""A recovery code (five groups of five) or an invite code (four of four) with its dashes."""


def unlock(header: Header, secret: str, *, kek_source: KekSource | None = None) -> Unlocked:
    """Find the slot `secret` opens and return the journal key (reading step 6).

    A secret written as a code, dashes included, tries the recovery and invite
    slots (with the normalised code) first, then the passphrase slots; any other
    secret tries the passphrase slots first, and the code slots only after, if it
    reads as a code. Each distinct set of KDF parameters is derived once, or
    taken from `kek_source` when given. Revoked slots are skipped. Raises
    `WrongPassphrase` if no slot opens.
    """
    revoked = set(header.revoked_slots)
    live = [slot for slot in header.slots if slot.id not in revoked]
    attempts: list[tuple[str, list[KeySlot]]] = [
        (secret, [s for s in live if s.kind == "passphrase"])
    ]
    code = normalize_code(secret)
    if code is not None:
        first = 0 if _CODE_SHAPE.fullmatch(secret) else 1
        attempts.insert(first, (code, [s for s in live if s.kind in CODE_KINDS]))
    no_key_here = False
    for attempt_secret, slots in attempts:
        groups: dict[KdfParams, list[KeySlot]] = {}
        for slot in slots:
            groups.setdefault(slot.kdf, []).append(slot)
        for params, group in list(groups.items())[:MAX_DERIVATIONS]:
            try:
                if kek_source is None:
                    kek = derive_kek(attempt_secret, params)
                elif (held := kek_source(header.journal_id, params, attempt_secret)) is None:
                    continue
                else:
                    kek = held
            except UnicodeEncodeError:
                break  # not valid text, so it cannot be any passphrase
            except MemoryError as exc:
                raise TandemError(
                    f"not enough memory to unlock this journal "
                    f"(it needs {params.memory_kib // 1024} MiB)"
                ) from exc
            except (ValueError, OverflowError) as exc:
                raise _bad_header("a key slot has unusable key settings") from exc
            for slot in group:
                opened = _open_slot(header, slot, kek)
                if isinstance(opened, Unlocked):
                    return opened
                no_key_here = no_key_here or opened
    if no_key_here:
        raise WrongPassphrase(NO_LONGER_OPENS)
    raise WrongPassphrase("wrong passphrase or recovery code")


def encode_file(header: Header, key: bytes, document: dict[str, Any]) -> bytes:
    """The whole file for `document`, sealed with the journal `key`.

    Divides the entries afresh into the head and sections (`divide`), then
    `seal`s them. Raises `ValueError` if the document is not plain JSON (NaN,
    lone surrogates, cycles) or the header is unusable.
    """
    head, sections = divide(document, None, header.compression)
    return seal(header, key, head, sections)


def seal(header: Header, key: bytes, head: dict[str, Any], sections: list[Section]) -> bytes:
    """The whole file for a head document and the sections of older entries after it.

    Sets a fresh random ``header.payload_nonce`` (mutating `header`), writes the
    head as compact UTF-8 JSON compressed as ``header.compression`` says, frames
    it with the sections (docs/FORMAT.md), encrypts the frames with AES-256-GCM
    bound to every header byte, and adds the lengths and the SHA-256 checksum.
    """
    if header.cipher != CIPHER:
        raise ValueError(f"unsupported cipher {header.cipher!r}")
    if header.compression not in COMPRESSIONS:
        raise ValueError(f"unsupported compression {header.compression!r}")
    if len(key) != KEY_SIZE:
        raise ValueError("the journal key must be 32 bytes")
    listed = {**head, _SECTIONS_KEY: [section.to_json() for section in sections]}
    head_json = _dump_json(listed)
    _refuse_too_large(len(head_json), sections, header.compression)
    frames: list[bytes | memoryview] = [_compress(head_json, header.compression)]
    frames.extend(section.frame for section in sections)
    body = b"".join(
        (
            len(frames).to_bytes(4, "big"),
            *(len(frame).to_bytes(8, "big") for frame in frames),
            *frames,
        )
    )
    header.payload_nonce = new_nonce()
    header_bytes = header.to_bytes()
    aad = b"".join(
        (
            MAGIC,
            header.format.to_bytes(2, "big"),
            len(header_bytes).to_bytes(4, "big"),
            header_bytes,
        )
    )
    ciphertext = aead_encrypt(key, header.payload_nonce, body, aad)
    digest = hashlib.sha256()
    parts = (aad, len(ciphertext).to_bytes(8, "big"), ciphertext)
    for part in parts:
        digest.update(part)
    return b"".join((*parts, digest.digest()))


def divide(
    document: dict[str, Any], kept: list[Section] | None, compression: str
) -> tuple[dict[str, Any], list[Section]]:
    """Split a document into its head (a shallow copy) and the sections of older entries.

    Without `kept`, the newest `HEAD_ENTRIES` entries stay in the head and the
    rest go into sections of `SECTION_ENTRIES`. With `kept` (the sections of
    a journal opened lazily, whose `document` holds only the head's entries),
    those sections are kept as they are, and once the head holds more than
    `HEAD_ENTRIES_MAX` entries its oldest go into one new section.
    """
    head = dict(document)
    head.pop(_SECTIONS_KEY, None)
    sections = list(kept or [])
    entries = head.get(_SECTIONED_TABLE)
    if not isinstance(entries, dict) or not all(isinstance(d, dict) for d in entries.values()):
        return head, sections
    if len(entries) <= (HEAD_ENTRIES if kept is None else HEAD_ENTRIES_MAX):
        return head, sections
    ordered = sorted(entries.items(), key=lambda item: entry_order(item[1]), reverse=True)
    newest, older = ordered[:HEAD_ENTRIES], ordered[HEAD_ENTRIES:]
    size = SECTION_ENTRIES if kept is None else len(older)
    for start in range(0, len(older), size):
        chunk = older[start : start + size]
        plain = dump_lines([(key, _dump_json(doc)) for key, doc in chunk])
        frame = _compress(plain, compression)
        flagged = sum(1 for _id, doc in chunk if needs_a_look(doc))
        top = entry_order(chunk[0][1])
        section = Section(frame, len(chunk), top, flagged, size=len(plain), lines=True)
        if section.size > section.cap:
            raise TandemError(
                "this journal is too large to save: its entries hold more than "
                f"{_mib(MAX_ENTRY_BYTES)} each; nothing was written"
            )
        sections.append(section)
    head[_SECTIONED_TABLE] = dict(newest)
    return head, sections


def _dump_json(value: Any) -> bytes:
    try:
        return orjson.dumps(value)
    except (orjson.JSONEncodeError, RecursionError) as exc:
        raise ValueError(f"the journal cannot be written as JSON: {exc}") from exc


def _refuse_too_large(head_size: int, sections: list[Section], compression: str) -> None:
    """Refuse to write what a reader would refuse as too large (docs/FORMAT.md, "Limits")."""
    total = head_size
    for section in sections:
        size = section.size  # if carried over still compressed, the size its frame declares
        total += max(size if size >= 0 else declared_size(section.frame, compression), 0)
    if total > MAX_PAYLOAD_BYTES:
        raise TandemError(
            f"this journal is too large to save (more than {_mib(MAX_PAYLOAD_BYTES)} "
            "once unpacked); nothing was written"
        )


def _refuse_repeats(entries: dict[str, Any], seen: Any) -> None:
    """Refuse a section holding an entry already read from another frame (`seen`)."""
    repeated = next((key for key in entries if key in seen), None)
    if repeated is not None:
        raise DamagedFile(
            f"this file is damaged: entry {shown_id(repeated)} is stored "
            "in more than one of its sections"
        )


def _parse_json(data: bytes) -> Any:
    # Parsing builds a few hundred thousand small objects; the cycle collector
    # would scan them again and again (a third of the time).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        value = orjson.loads(data)
        # The journal lives as long as the program: keep the collector from
        # scanning its many objects again at every collection.
        gc.freeze()
        return value
    except (ValueError, RecursionError) as exc:
        raise DamagedFile("this file is damaged: its contents cannot be read") from exc
    finally:
        if gc_was_enabled:
            gc.enable()


def _split_frames(body: bytes) -> list[memoryview]:
    damaged = DamagedFile("this file is damaged: its contents are not laid out as a journal")
    if len(body) < 4:
        raise damaged
    count = int.from_bytes(body[:4], "big")
    table_end = 4 + 8 * count
    if count < 1 or len(body) < table_end:
        raise damaged
    frames: list[memoryview] = []
    view = memoryview(body)  # frames are views: no copy of a large journal's sections
    offset = table_end
    for index in range(count):
        length = int.from_bytes(body[4 + 8 * index : 12 + 8 * index], "big")
        frames.append(view[offset : offset + length])
        offset += length
    if offset != len(body):
        raise damaged
    return frames


def _read_sections(head: dict[str, Any], frames: list[memoryview]) -> list[Section]:
    listed = head.pop(_SECTIONS_KEY, [])
    damaged = DamagedFile("this file is damaged: its sections of entries do not match its head")
    if not isinstance(listed, list) or len(listed) != len(frames):
        raise damaged
    sections: list[Section] = []
    in_head = head.get(_SECTIONED_TABLE)
    beside = frozenset(in_head) if isinstance(in_head, dict) else frozenset()
    for about, frame in zip(listed, frames, strict=True):
        count = about.get("entries") if isinstance(about, dict) else None
        newest = about.get("newest") if isinstance(about, dict) else None
        flagged = about.get("flagged") if isinstance(about, dict) else None
        if (
            not isinstance(count, int)
            or not isinstance(flagged, int)
            or not isinstance(newest, list)
            or len(newest) != 2
            or not all(isinstance(part, str) for part in newest)
        ):
            raise damaged
        lines = isinstance(about, dict) and about.get("lines") is True
        sections.append(
            Section(frame, count, (newest[0], newest[1]), flagged, beside=beside, lines=lines)
        )
    return sections


def open_payload(container: Container, key: bytes) -> Payload:
    """Decrypt the payload and parse its head; older entries stay compressed (step 7).

    `key` is the journal key from `unlock`, so a failing tag or an unreadable
    document means the file was altered: raises `DamagedFile`.
    """
    header = container.header
    body = aead_decrypt(key, header.payload_nonce, container.ciphertext, container.aad)
    if body is None:
        raise DamagedFile(
            "this file is damaged: its contents fail their integrity check (they were altered)"
        )
    # Version 1 has one frame, the whole document.
    frames = [memoryview(body)] if container.version == 1 else _split_frames(body)
    plain = _decompress(frames[0], header.compression, MAX_PAYLOAD_BYTES)
    head = _parse_json(plain)
    if not isinstance(head, dict):
        raise DamagedFile("this file is damaged: its contents are not a journal")
    sections = _read_sections(head, frames[1:]) if container.version > 1 else []
    check_document(head)
    budget = MAX_PAYLOAD_BYTES - len(plain)
    return Payload(head=head, sections=sections, compression=header.compression, budget=budget)


def decrypt_payload(container: Container, key: bytes) -> dict[str, Any]:
    """Decrypt and parse the whole journal document (reading step 7).

    Raises `DamagedFile` as `open_payload` does.
    """
    return open_payload(container, key).document()
