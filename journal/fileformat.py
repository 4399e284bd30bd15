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

import hashlib
import json
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from journal.both_cores import two_at_a_time
from journal.compression import COMPRESSIONS, SECTION_LEVEL, declared_size
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
from journal.frames import (
    ByteSource,
    FileSource,
    Layout,
    MemorySource,
    SealedFrame,
    frame_row,
    parse_layout,
    seal_section,
    section_aad,
    table_bytes,
)
from journal.ondisk import CopiedRange
from journal.payload import MAX_ENTRY_BYTES as MAX_ENTRY_BYTES
from journal.payload import MAX_PAYLOAD_BYTES as MAX_PAYLOAD_BYTES
from journal.payload import SECTIONED_TABLE as _SECTIONED_TABLE
from journal.payload import Payload as Payload
from journal.payload import Section as Section
from journal.payload import entry_order as entry_order
from journal.payload import needs_a_look as needs_a_look
from journal.payload import parse_json as _parse_json
from journal.section_search import dump_lines
from journal.slots import CODE_KINDS as CODE_KINDS
from journal.slots import MAGIC as MAGIC
from journal.slots import SLOT_KINDS as SLOT_KINDS
from journal.slots import KeySlot as KeySlot
from journal.slots import Unlocked as Unlocked
from journal.slots import _bad_header, _open_slot
from journal.slots import make_slot as make_slot
from journal.slots import shared_passphrase_kdf as shared_passphrase_kdf
from journal.validate import check_document

HEAD_ENTRIES = 100
"""How many of the newest entries a full save keeps in the head frame."""
SECTION_ENTRIES = 1000
"""How many entries a full save puts in each older section."""
HEAD_ENTRIES_MAX = 500
"""A save that kept the sections spills the head's oldest entries past this many."""
_SECTIONS_KEY = "sections"


FORMAT_VERSION = 4
"""The format version this code writes, and the newest it reads (it reads 1 to 3 too)."""
KEYS_VERSION = 3
"""From this format on, members have keys and the payload an epoch (docs/FORMAT.md)."""
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
        if (inner is not None and inner != version) or (inner is None and version >= 4):
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
        if inner is not None:  # format 3 or 4 (without it, the payload's check finds any change)
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
    """A checked, still locked file: its header, the AAD (bytes 0..end of header), the payload.

    Format 4: `layout` is the frame table (`ciphertext` is empty); the head's
    hash is checked when it is decrypted, each section's when it is read.
    """

    header: Header
    aad: bytes
    ciphertext: bytes | memoryview
    layout: Layout | None = None

    @property
    def version(self) -> int:
        """The format version the file was written in."""
        return int.from_bytes(self.aad[8:10], "big")

    def check_integrity(self, source: ByteSource) -> None:
        """Reading step 4 in full: the checksum, and in format 4 every frame's hash."""
        if self.layout is not None:
            self.layout.check_frames()
        else:
            check_checksum(source.read(0, source.size))


def _not_tandem(data: bytes) -> NotATandemFile:
    if data[1:4] == b"TDM":
        return NotATandemFile(
            "this is not a Tandem journal (it looks like one altered in transfer; "
            "copy it as a binary file)"
        )
    return NotATandemFile("this is not a Tandem journal")


def parse_container(data: bytes | ByteSource, *, checksum: bool = True) -> Container:
    """Check a file (reading steps 1-5 of docs/FORMAT.md) and split it up.

    `data` is the file's bytes, or an open file (`FileSource`) read only as
    far as needed. Raises `NotATandemFile`, `NewerFormat` or `DamagedFile`
    with a one-line message; never anything else, whatever the input. Without
    `checksum`, what step 4 checks beyond the header is left to the caller
    (`Container.check_integrity`): a reader that holds the key already and
    derives none checks it when unlocking or decrypting fails; format 4 then
    checks each frame's hash when it reads the frame.
    """
    source = MemorySource(data) if isinstance(data, (bytes, memoryview)) else data
    size = source.size
    start = bytes(source.read(0, min(size, 14)))
    # 1. Magic.
    if size < len(MAGIC):
        if start != MAGIC[:size]:
            raise _not_tandem(start)
        if size == 0:
            raise DamagedFile("this file is damaged: it is empty")
        raise DamagedFile(f"this file is damaged: it is truncated (only {_nbytes(size)} long)")
    if start[: len(MAGIC)] != MAGIC:
        raise _not_tandem(start)
    # 2. Version.
    if size < 10:
        raise DamagedFile(f"this file is damaged: it is truncated (only {_nbytes(size)} long)")
    version = int.from_bytes(start[8:10], "big")
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
    header_end = 14 + int.from_bytes(start[10:14], "big")
    if version >= 4:
        layout = parse_layout(source, header_end)  # 3, and 4 but for the frames' own hashes
        if checksum:
            layout.check_frames()
        header = _parse_header(bytes(source.read(14, header_end - 14)), version)
        return Container(header, bytes(source.read(0, header_end)), b"", layout)
    data = bytes(source.read(0, size))
    _refuse_a_later_layout(data, version, header_end)
    return _parse_version_3(data, version, header_end, checksum)


def _refuse_a_later_layout(data: bytes, version: int, header_end: int) -> None:
    """A header that says a later format under an older outer version was altered: say so
    before the older layout's lengths are read (they would read as truncated)."""
    try:
        inner = json.loads(data[14:header_end]).get("format")
    except (ValueError, RecursionError, AttributeError):
        return  # step 5 reports it, after the lengths and the checksum
    if isinstance(inner, int) and inner > version:
        raise DamagedFile(
            "this file is damaged: it was altered (its format version does not match its header)"
        )


def _parse_version_3(data: bytes, version: int, header_end: int, checksum: bool) -> Container:
    """Steps 3-5 of a file of format 1 to 3: one payload and a checksum of the whole file."""
    size = len(data)
    header_len = header_end - 14
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


def check_checksum(data: bytes | memoryview) -> None:
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
    return joined(seal(header, key, head, sections))


Piece = bytes | memoryview | CopiedRange
"""A part of a file to write: bytes, or a range the kernel copies from an open file."""


def seal(header: Header, key: bytes, head: dict[str, Any], sections: list[Section]) -> list[Piece]:
    """The file for a head document and the sections of older entries after it, in pieces.

    Sets a fresh random ``header.payload_nonce`` (mutating `header`) and writes
    the head as compact UTF-8 JSON compressed as ``header.compression`` says.
    A journal with member keys is written as format 4 (docs/FORMAT.md): each
    frame encrypted on its own, the sections read from the file and still
    under this key copied from it (`CopiedRange`); a format 2 journal as one
    encrypted payload bound to every header byte, with the SHA-256 checksum.
    """
    if header.cipher != CIPHER:
        raise ValueError(f"unsupported cipher {header.cipher!r}")
    if header.compression not in COMPRESSIONS:
        raise ValueError(f"unsupported compression {header.compression!r}")
    if len(key) != KEY_SIZE:
        raise ValueError("the journal key must be 32 bytes")
    if header.format >= KEYS_VERSION:
        header.format = FORMAT_VERSION
        for section in sections:
            if section.size < 0:  # from an older file: its size is part of format 4's head
                section.size = len(
                    _decompress(section.compressed(), header.compression, section.cap)
                )
    listed = {**head, _SECTIONS_KEY: [section.to_json() for section in sections]}
    head_json = _dump_json(listed)
    _refuse_too_large(len(head_json), sections, header.compression)
    compressed = _compress(head_json, header.compression)
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
    if header.format >= FORMAT_VERSION:
        return _seal_frames(header, key, aad, compressed, sections)
    frames = [compressed, *(section.compressed() for section in sections)]
    body = b"".join(
        (len(frames).to_bytes(4, "big"), *(len(f).to_bytes(8, "big") for f in frames), *frames)
    )
    ciphertext = aead_encrypt(key, header.payload_nonce, body, aad)
    digest = hashlib.sha256()
    parts = (aad, len(ciphertext).to_bytes(8, "big"), ciphertext)
    for part in parts:
        digest.update(part)
    return [b"".join((*parts, digest.digest()))]


def _seal_frames(
    header: Header, key: bytes, aad: bytes, head: bytes, sections: list[Section]
) -> list[Piece]:
    """Format 4: the table, the head and each section encrypted on its own, the checksum."""
    sections_aad = section_aad(MAGIC, header.journal_id, header.epoch)
    rows: list[bytes] = []
    frames: list[Piece] = []
    for section in sections:
        sealed = section.stored
        if sealed is not None and sealed.key == key and sealed.aad == sections_aad:  # as it is
            stored = sealed.frame
            rows.append(stored.row())
            source = stored.source
            if isinstance(source, FileSource):
                last = frames[-1] if frames else None
                if (
                    isinstance(last, CopiedRange)
                    and last.source is source
                    and last.offset + last.length == stored.offset
                ):  # one copy for the sections that lie together
                    frames[-1] = CopiedRange(source, last.offset, last.length + stored.length)
                else:
                    frames.append(CopiedRange(source, stored.offset, stored.length))
            else:
                frames.append(source.read(stored.offset, stored.length))
        else:
            frame = seal_section(key, section.compressed(), sections_aad)
            rows.append(frame_row(frame))
            frames.append(frame)
    head_frame = aead_encrypt(key, header.payload_nonce, head, aad + b"".join(rows))
    prefix = aad + table_bytes([frame_row(head_frame), *rows])
    return [prefix, head_frame, *frames, hashlib.sha256(prefix).digest()]


def joined(pieces: list[Piece]) -> bytes:
    """A sealed file held in memory as one `bytes` (its sections all made or read here)."""
    return b"".join(piece.read() if isinstance(piece, CopiedRange) else piece for piece in pieces)


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
    chunks = [older[start : start + size] for start in range(0, len(older), size)]

    def packed(chunk: list[tuple[str, Any]]) -> tuple[bytes, int]:
        plain = dump_lines([(key, _dump_json(doc)) for key, doc in chunk])
        return _compress(plain, compression, level=SECTION_LEVEL), len(plain)

    # zstd lets go of the interpreter lock: a journal written whole compresses two at a time.
    for chunk, (frame, plain_size) in zip(chunks, two_at_a_time(packed, chunks), strict=True):
        flagged = sum(1 for _id, doc in chunk if needs_a_look(doc))
        top = entry_order(chunk[0][1])
        section = Section(
            frame, len(chunk), top, flagged, parsed=dict(chunk), size=plain_size, lines=True
        )
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


def _read_sections(head: dict[str, Any], frames: list[memoryview | SealedFrame]) -> list[Section]:
    """The sections the head lists, one per frame: its bytes (formats 2 and 3), or where it
    is in the file and what opens it (format 4, whose head also gives each one's size)."""
    listed = head.pop(_SECTIONS_KEY, [])
    damaged = DamagedFile("this file is damaged: its sections of entries do not match its head")
    if not isinstance(listed, list) or len(listed) != len(frames):
        raise damaged
    sections: list[Section] = []
    in_head = head.get(_SECTIONED_TABLE)
    beside = frozenset(in_head) if isinstance(in_head, dict) else frozenset()
    for about, frame in zip(listed, frames, strict=True):
        if not isinstance(about, dict):
            raise damaged
        count, newest, flagged = about.get("entries"), about.get("newest"), about.get("flagged")
        sealed = isinstance(frame, SealedFrame)
        size = about.get("bytes", -1) if sealed else -1
        if (
            not isinstance(count, int)
            or not isinstance(flagged, int)
            or not isinstance(newest, list)
            or len(newest) != 2
            or not all(isinstance(part, str) for part in newest)
            or not isinstance(size, int)
            or (sealed and not 0 <= size <= max(count, 1) * MAX_ENTRY_BYTES)
        ):
            raise damaged
        section = Section(
            b"",
            count,
            (newest[0], newest[1]),
            flagged,
            size=size,
            beside=beside,
            lines=about.get("lines") is True,
        )
        if isinstance(frame, SealedFrame):
            section.stored = frame
        else:
            section.frame = frame
        sections.append(section)
    return sections


def _open_frames(container: Container, key: bytes) -> Payload:
    """Format 4's step 7: decrypt the head; the sections stay in the file until read."""
    header, layout = container.header, container.layout
    assert layout is not None
    head_frame = layout.frames[0].read_checked()
    body = aead_decrypt(key, header.payload_nonce, head_frame, container.aad + layout.section_rows)
    if body is None:
        raise DamagedFile(
            "this file is damaged: its contents fail their integrity check (they were altered)"
        )
    plain = _decompress(body, header.compression, MAX_PAYLOAD_BYTES)
    head = _parse_json(plain)
    if not isinstance(head, dict):
        raise DamagedFile("this file is damaged: its contents are not a journal")
    aad = section_aad(MAGIC, header.journal_id, header.epoch)
    sections = _read_sections(head, [SealedFrame(f, key, aad) for f in layout.frames[1:]])
    if len(plain) + sum(section.size for section in sections) > MAX_PAYLOAD_BYTES:
        raise DamagedFile(
            f"this file is damaged: it unpacks to more than {_mib(MAX_PAYLOAD_BYTES)}"
        )
    check_document(head)
    return Payload(head=head, sections=sections, compression=header.compression, budget=0)


def open_payload(container: Container, key: bytes) -> Payload:
    """Decrypt the payload and parse its head; older entries stay compressed (step 7).

    `key` is the journal key from `unlock`, so a failing tag or an unreadable
    document means the file was altered: raises `DamagedFile`.
    """
    if container.layout is not None:
        return _open_frames(container, key)
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
    sections = _read_sections(head, list(frames[1:])) if container.version > 1 else []
    check_document(head)
    budget = MAX_PAYLOAD_BYTES - len(plain)
    return Payload(head=head, sections=sections, compression=header.compression, budget=budget)


def decrypt_payload(container: Container, key: bytes) -> dict[str, Any]:
    """Decrypt and parse the whole journal document (reading step 7).

    Raises `DamagedFile` as `open_payload` does.
    """
    return open_payload(container, key).document()
