"""Reading and writing the bytes of a `.tandem` file (format version 1).

The binding description is docs/FORMAT.md. In short::

    magic(8) | version(2) | H(4) | header(H) | P(8) | payload(P) | sha256(32)

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
import secrets
import uuid
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import zstandard

from journal.crypto import (
    KEY_SIZE,
    NONCE_SIZE,
    TAG_SIZE,
    KdfParams,
    aead_decrypt,
    aead_encrypt,
    b64decode,
    b64encode,
    default_kdf_params,
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

MAGIC = b"\x89TDM\r\n\x1a\n"
"""The first eight bytes of every Tandem journal."""

FORMAT_VERSION = 1
"""The newest (and only) format version this code reads and writes."""

CIPHER = "AES-256-GCM"
COMPRESSIONS = ("zstd", "zlib", "none")
SLOT_KINDS = ("passphrase", "recovery", "invite")
CODE_KINDS = ("recovery", "invite")

# The payload is compressed with zstd. Measured on a 16 MB document of 10,000
# entries on a 2-core machine: zstd level 3 compresses in 32 ms and
# decompresses in 10 ms to 2.1 MB; zlib level 1 took 110 ms and 51 ms for 2.7 MB.
# Every save compresses the whole journal, so this is most of a save's cost.
ZSTD_LEVEL = 3
ZLIB_LEVEL = 1  # only to write files for tests of the older setting; always readable

_FIXED_SIZE = 8 + 2 + 4 + 8 + 32  # everything but the header and the payload: 54
_WRAPPED_SIZE = KEY_SIZE + 16 + TAG_SIZE  # journal key || member id, plus the tag
_HEX32 = re.compile(r"[0-9a-f]{32}")
_HEX16 = re.compile(r"[0-9a-f]{16}")
_ZERO_MEMBER = bytes(16)


def _nbytes(n: int) -> str:
    return "1 byte" if n == 1 else f"{n} bytes"


def _bad_header(reason: str) -> DamagedFile:
    return DamagedFile(f"this file is damaged: its header is not valid ({reason})")


def utc_now() -> str:
    """The current UTC time as ``YYYY-MM-DDTHH:MM:SSZ``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_journal_id() -> str:
    """A fresh journal id: 32 lowercase hex characters of a random UUID."""
    return uuid.uuid4().hex


@dataclass
class KeySlot:
    """One way into the journal: the journal key wrapped under a secret-derived key."""

    id: str
    kind: str
    created: str
    kdf: KdfParams
    nonce: bytes
    wrapped: bytes

    def to_json(self) -> dict[str, Any]:
        """The slot as a header JSON object."""
        return {
            "id": self.id,
            "kind": self.kind,
            "created": self.created,
            "kdf": self.kdf.to_json(),
            "nonce": b64encode(self.nonce),
            "wrapped": b64encode(self.wrapped),
        }

    @classmethod
    def from_json(cls, d: object) -> KeySlot:
        """Parse a slot object from the header, raising `DamagedFile` if it is malformed."""
        if not isinstance(d, dict):
            raise _bad_header("a key slot is not an object")
        slot_id = d.get("id")
        if not isinstance(slot_id, str) or not _HEX16.fullmatch(slot_id):
            raise _bad_header("a key slot has a bad id")
        kind = d.get("kind")
        if kind not in SLOT_KINDS:
            raise _bad_header("a key slot has an unknown kind")
        created = d.get("created")
        if not isinstance(created, str):
            raise _bad_header("a key slot has a bad creation time")
        kdf = KdfParams.from_json(d.get("kdf"))
        nonce = b64decode(d.get("nonce"), "a key slot's nonce")
        if len(nonce) != NONCE_SIZE:
            raise _bad_header("a key slot's nonce has the wrong size")
        wrapped = b64decode(d.get("wrapped"), "a wrapped key")
        if len(wrapped) != _WRAPPED_SIZE:
            raise _bad_header("a wrapped key has the wrong size")
        return cls(id=slot_id, kind=kind, created=created, kdf=kdf, nonce=nonce, wrapped=wrapped)


@dataclass
class Header:
    """The plaintext header: the journal id, the key slots and how the payload is sealed."""

    journal_id: str
    slots: list[KeySlot]
    revoked_slots: list[str]
    payload_nonce: bytes = b""
    cipher: str = CIPHER
    compression: str = "zstd"

    def to_json(self) -> dict[str, Any]:
        """The header as a JSON object."""
        return {
            "journal_id": self.journal_id,
            "cipher": self.cipher,
            "compression": self.compression,
            "payload_nonce": b64encode(self.payload_nonce),
            "slots": [slot.to_json() for slot in self.slots],
            "revoked_slots": list(self.revoked_slots),
        }

    def to_bytes(self) -> bytes:
        """The header as written: UTF-8 JSON with sorted keys and no insignificant whitespace."""
        text = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"))
        return text.encode("utf-8")

    @classmethod
    def from_json(cls, d: object) -> Header:
        """Parse the header object, raising `DamagedFile` if it is malformed.

        Unknown keys are ignored.
        """
        if not isinstance(d, dict):
            raise _bad_header("it is not a JSON object")
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
        slots = [KeySlot.from_json(s) for s in raw_slots]
        revoked = d.get("revoked_slots")
        if not isinstance(revoked, list) or not all(isinstance(r, str) for r in revoked):
            raise _bad_header("revoked_slots is not a list of ids")
        return cls(
            journal_id=journal_id,
            slots=slots,
            revoked_slots=list(revoked),
            payload_nonce=payload_nonce,
            cipher=cipher,
            compression=compression,
        )


@dataclass
class Container:
    """A checked, still locked file: its header, the AAD (bytes 0..end of header), the payload."""

    header: Header
    aad: bytes
    ciphertext: bytes


@dataclass
class Unlocked:
    """The result of unlocking: the journal key, the slot that opened and who it belongs to."""

    key: bytes
    slot: KeySlot
    member_id: str | None


def _not_tandem(data: bytes) -> NotATandemFile:
    if data[1:4] == b"TDM":
        return NotATandemFile(
            "this is not a Tandem journal (it looks like one altered in transfer; "
            "copy it as a binary file)"
        )
    return NotATandemFile("this is not a Tandem journal")


def parse_container(data: bytes) -> Container:
    """Check a file's bytes (reading steps 1-5 of docs/FORMAT.md) and split them up.

    Raises `NotATandemFile`, `NewerFormat` or `DamagedFile` with a one-line message;
    never anything else, whatever the input.
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
    if hashlib.sha256(data[:-32]).digest() != data[-32:]:
        raise DamagedFile("this file is damaged: it was altered (its checksum does not match)")
    # 5. Header.
    try:
        obj = json.loads(data[14:header_end].decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise _bad_header("it is not JSON") from exc
    header = Header.from_json(obj)
    if payload_len < TAG_SIZE:
        raise DamagedFile("this file is damaged: its encrypted contents are too short")
    return Container(
        header=header,
        aad=data[:header_end],
        ciphertext=data[header_end + 8 : header_end + 8 + payload_len],
    )


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


def _slot_aad(journal_id: str, slot_id: str, kind: str) -> bytes:
    return MAGIC + journal_id.encode("ascii") + slot_id.encode("ascii") + kind.encode("ascii")


def make_slot(
    kind: str,
    secret: str,
    key: bytes,
    journal_id: str,
    member_id: str | None,
    kdf: KdfParams | None = None,
) -> KeySlot:
    """Wrap the journal key in a new slot of `kind` opened by `secret`.

    A recovery or invite secret is normalised with `normalize_code` first (and
    must be a 25- or 16-character code respectively). `kdf` defaults to fresh
    `default_kdf_params`; pass `shared_passphrase_kdf(header)` for a new
    passphrase slot so unlocking derives once. Raises `ValueError` on bad
    arguments.
    """
    if kind not in SLOT_KINDS:
        raise ValueError(f"unknown slot kind {kind!r}")
    if len(key) != KEY_SIZE:
        raise ValueError("the journal key must be 32 bytes")
    if not _HEX32.fullmatch(journal_id):
        raise ValueError("the journal id must be 32 lowercase hex characters")
    if member_id is None:
        member = _ZERO_MEMBER
    elif _HEX32.fullmatch(member_id) and member_id != "0" * 32:
        member = bytes.fromhex(member_id)
    else:
        raise ValueError("the member id must be 32 lowercase hex characters, not all zero")
    if kind in CODE_KINDS:
        code = normalize_code(secret)
        wanted = 25 if kind == "recovery" else 16
        if code is None or len(code) != wanted:
            raise ValueError(f"not a valid {kind} code")
        secret = code
    if kdf is None:
        kdf = default_kdf_params()
    slot_id = secrets.token_hex(8)
    nonce = new_nonce()
    kek = derive_kek(secret, kdf)
    wrapped = aead_encrypt(kek, nonce, key + member, _slot_aad(journal_id, slot_id, kind))
    return KeySlot(id=slot_id, kind=kind, created=utc_now(), kdf=kdf, nonce=nonce, wrapped=wrapped)


def shared_passphrase_kdf(header: Header) -> KdfParams | None:
    """The KDF parameters of the first live passphrase slot, to reuse for a new one."""
    revoked = set(header.revoked_slots)
    for slot in header.slots:
        if slot.kind == "passphrase" and slot.id not in revoked:
            return slot.kdf
    return None


def unlock(header: Header, secret: str) -> Unlocked:
    """Find the slot `secret` opens and return the journal key (reading step 6).

    If `secret` reads as a recovery or invite code, the recovery and invite
    slots are tried with the normalised code first; then the passphrase slots
    with `secret` as typed. Each distinct set of KDF parameters is derived once.
    Revoked slots are skipped. Raises `WrongPassphrase` if no slot opens.
    """
    revoked = set(header.revoked_slots)
    live = [slot for slot in header.slots if slot.id not in revoked]
    attempts: list[tuple[str, list[KeySlot]]] = []
    code = normalize_code(secret)
    if code is not None:
        attempts.append((code, [s for s in live if s.kind in CODE_KINDS]))
    attempts.append((secret, [s for s in live if s.kind == "passphrase"]))
    for attempt_secret, slots in attempts:
        groups: dict[KdfParams, list[KeySlot]] = {}
        for slot in slots:
            groups.setdefault(slot.kdf, []).append(slot)
        for params, group in groups.items():
            try:
                kek = derive_kek(attempt_secret, params)
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
                aad = _slot_aad(header.journal_id, slot.id, slot.kind)
                plain = aead_decrypt(kek, slot.nonce, slot.wrapped, aad)
                if plain is not None and len(plain) == KEY_SIZE + 16:
                    member = plain[KEY_SIZE:]
                    return Unlocked(
                        key=plain[:KEY_SIZE],
                        slot=slot,
                        member_id=None if member == _ZERO_MEMBER else member.hex(),
                    )
    raise WrongPassphrase("wrong passphrase or recovery code")


def encode_file(header: Header, key: bytes, document: dict[str, Any]) -> bytes:
    """The whole file for `document`, sealed with the journal `key`.

    Sets a fresh random ``header.payload_nonce`` (mutating `header`), writes the
    document as compact UTF-8 JSON, compresses it as ``header.compression`` says
    (zstd by default), encrypts it with AES-256-GCM bound to every header byte, and frames
    it with the lengths and the SHA-256 checksum. Raises `ValueError` if the
    document is not plain JSON (NaN, lone surrogates, cycles) or the header is
    unusable.
    """
    if header.cipher != CIPHER:
        raise ValueError(f"unsupported cipher {header.cipher!r}")
    if header.compression not in COMPRESSIONS:
        raise ValueError(f"unsupported compression {header.compression!r}")
    if len(key) != KEY_SIZE:
        raise ValueError("the journal key must be 32 bytes")
    try:
        body = orjson.dumps(document)
    except (orjson.JSONEncodeError, RecursionError) as exc:
        raise ValueError(f"the journal cannot be written as JSON: {exc}") from exc
    if header.compression == "zstd":
        body = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(body)
    elif header.compression == "zlib":
        body = zlib.compress(body, ZLIB_LEVEL)
    header.payload_nonce = new_nonce()
    header_bytes = header.to_bytes()
    aad = b"".join(
        (
            MAGIC,
            FORMAT_VERSION.to_bytes(2, "big"),
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


def decrypt_payload(container: Container, key: bytes) -> dict[str, Any]:
    """Decrypt and parse the journal document (reading step 7).

    `key` is the journal key from `unlock`, so a failing tag or an unreadable
    document means the file was altered: raises `DamagedFile`.
    """
    header = container.header
    body = aead_decrypt(key, header.payload_nonce, container.ciphertext, container.aad)
    if body is None:
        raise DamagedFile(
            "this file is damaged: its contents fail their integrity check (they were altered)"
        )
    try:
        if header.compression == "zstd":
            body = zstandard.ZstdDecompressor().decompress(body)
        elif header.compression == "zlib":
            body = zlib.decompress(body)
        # Parsing builds a few hundred thousand small objects; the cycle
        # collector would scan them again and again (a third of the time).
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            document = orjson.loads(body)
            # The journal lives as long as the program: keep the collector from
            # scanning its few hundred thousand objects again at every collection.
            gc.freeze()
        finally:
            if gc_was_enabled:
                gc.enable()
    except (zstandard.ZstdError, zlib.error, ValueError, RecursionError) as exc:
        raise DamagedFile("this file is damaged: its contents cannot be read") from exc
    if not isinstance(document, dict):
        raise DamagedFile("this file is damaged: its contents are not a journal")
    return document
