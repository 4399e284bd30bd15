"""Key slots: the ways into a journal, each opened by one secret (docs/FORMAT.md, "Key slots").

A format 3 slot holds one member's own keys (`journal.identity.MemberKeys`)
wrapped under a key derived from their passphrase, recovery code or
invitation code, its authenticated data binding the format version and the
slot's key settings; the payload's key then comes from the keyring entry
sealed to that member (`open_keyring`). A format 2 slot (files of formats 1
and 2, and members who have not opened a format 3 journal yet) wraps the
journal key itself. `journal.fileformat.unlock` tries them.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

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
from journal.errors import DamagedFile
from journal.identity import PLAIN_SIZE, MemberKeys, seal_key, unseal
from journal.signing import canonical, value_hash

if TYPE_CHECKING:
    from journal.fileformat import Header

MAGIC = b"\x89TDM\r\n\x1a\n"
"""The first eight bytes of every Tandem journal (and of every slot's authenticated data)."""
SLOT_KINDS = ("passphrase", "recovery", "invite")
CODE_KINDS = ("recovery", "invite")

_WRAPPED_SIZE = KEY_SIZE + 16 + TAG_SIZE  # journal key || member id, plus the tag
_MEMBER_WRAPPED_SIZE = PLAIN_SIZE + TAG_SIZE  # member id || Ed25519 seed || X25519, plus tag
_HEX16 = re.compile(r"[0-9a-f]{16}")
_HEX32 = re.compile(r"[0-9a-f]{32}")
_ZERO_MEMBER = bytes(16)


def _created_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _bad_header(reason: str) -> DamagedFile:
    return DamagedFile(f"this file is damaged: its header is not valid ({reason})")


@dataclass
class KeySlot:
    """One way into the journal: a member's keys (format 3) or the journal key (format 2),
    wrapped under a secret-derived key."""

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
        if len(wrapped) not in (_WRAPPED_SIZE, _MEMBER_WRAPPED_SIZE):
            raise _bad_header("a wrapped key has the wrong size")
        return cls(id=slot_id, kind=kind, created=created, kdf=kdf, nonce=nonce, wrapped=wrapped)

    @property
    def holds_member_keys(self) -> bool:
        """True for a format 3 slot (member keys), False for a format 2 one (the journal key)."""
        return len(self.wrapped) == _MEMBER_WRAPPED_SIZE

    def binding(self) -> str:
        """What the member record that binds this slot says: its kind and a hash of it."""
        return f"{self.kind}:{value_hash(self.to_json())}"


@dataclass
class Unlocked:
    """The result of unlocking: the payload's key, the slot that opened and whose it is.

    A format 3 slot gives the member's own keys (`keys`), and the keyring the
    epoch's key; a format 2 slot gives the journal key itself. `kek` is the
    key-encryption key that opened the slot (to wrap a new slot for the same
    secret without asking again).
    """

    key: bytes
    slot: KeySlot
    member_id: str | None
    keys: MemberKeys | None = field(default=None, repr=False)
    kek: bytes | None = field(default=None, repr=False, compare=False)


def _slot_aad(journal_id: str, slot_id: str, kind: str) -> bytes:
    return MAGIC + journal_id.encode("ascii") + slot_id.encode("ascii") + kind.encode("ascii")


def _member_slot_aad(journal_id: str, slot_id: str, kind: str, kdf: KdfParams) -> bytes:
    """A format 3 slot's authenticated data: the version and its key settings bound too."""
    return b"".join(
        (
            MAGIC,
            (3).to_bytes(2, "big"),
            journal_id.encode("ascii"),
            slot_id.encode("ascii"),
            kind.encode("ascii"),
            canonical(kdf.to_json()),
        )
    )


def member_slot(
    kind: str, kek: bytes, kdf: KdfParams, keys: MemberKeys, journal_id: str
) -> KeySlot:
    """A format 3 slot holding `keys`, wrapped under `kek` (derived with `kdf`).

    `secret_kek` derives the key-encryption key from a secret.
    """
    if kind not in SLOT_KINDS:
        raise ValueError(f"unknown slot kind {kind!r}")
    slot_id = secrets.token_hex(8)
    nonce = new_nonce()
    aad = _member_slot_aad(journal_id, slot_id, kind, kdf)
    wrapped = aead_encrypt(kek, nonce, keys.to_plain(), aad)
    return KeySlot(
        id=slot_id, kind=kind, created=_created_now(), kdf=kdf, nonce=nonce, wrapped=wrapped
    )


def secret_kek(kind: str, secret: str, kdf: KdfParams) -> bytes:
    """The key-encryption key of a secret for a slot of `kind` (codes are normalised first)."""
    if kind in CODE_KINDS:
        code = normalize_code(secret)
        wanted = 25 if kind == "recovery" else 16
        if code is None or len(code) != wanted:
            raise ValueError(f"not a valid {kind} code")
        secret = code
    return derive_kek(secret, kdf)


def shared_code_kdf(header: Header) -> KdfParams | None:
    """The KDF parameters of a live recovery or invitation slot, to reuse for a new one."""
    revoked = set(header.revoked_slots)
    for slot in header.slots:
        if slot.kind in CODE_KINDS and slot.id not in revoked:
            return slot.kdf
    return None


def keyring_entry(
    journal_id: str, epoch: str, member_id: str, box: bytes, key: bytes
) -> dict[str, str]:
    """The epoch's `key` sealed to one member's X25519 key `box` (docs/FORMAT.md)."""
    aad = (journal_id + epoch + member_id).encode("ascii")
    return {"member": member_id, "epoch": epoch, **seal_key(key, box, aad)}


def open_keyring(header: Header, keys: MemberKeys) -> bytes | None:
    """The key of the header's epoch, from the keyring entry for `keys`' member, or None."""
    aad = (header.journal_id + header.epoch + keys.member_id).encode("ascii")
    for entry in header.keyring:
        if entry["member"] == keys.member_id and entry["epoch"] == header.epoch:
            key = unseal(entry, keys.box_private, aad)
            if key is not None and len(key) == KEY_SIZE:
                return key
    return None


def _open_slot(header: Header, slot: KeySlot, kek: bytes) -> Unlocked | bool:
    """What `kek` opens in `slot`: the unlocked journal, True when the slot opened but its
    member has no key for this epoch, or False when it does not open."""
    if slot.holds_member_keys:
        aad = _member_slot_aad(header.journal_id, slot.id, slot.kind, slot.kdf)
        plain = aead_decrypt(kek, slot.nonce, slot.wrapped, aad)
        keys = MemberKeys.from_plain(plain) if plain is not None else None
        if keys is None:
            return False
        key = open_keyring(header, keys) if header.format >= 3 else None
        if key is None:
            return True
        return Unlocked(key=key, slot=slot, member_id=keys.member_id, keys=keys, kek=kek)
    aad = _slot_aad(header.journal_id, slot.id, slot.kind)
    plain = aead_decrypt(kek, slot.nonce, slot.wrapped, aad)
    if plain is None or len(plain) != KEY_SIZE + 16:
        return False
    member = plain[KEY_SIZE:]
    member_id = None if member == _ZERO_MEMBER else member.hex()
    return Unlocked(key=plain[:KEY_SIZE], slot=slot, member_id=member_id, kek=kek)


def make_slot(
    kind: str,
    secret: str,
    key: bytes,
    journal_id: str,
    member_id: str | None,
    kdf: KdfParams | None = None,
    *,
    keys: MemberKeys | None = None,
) -> KeySlot:
    """Make a new slot of `kind` opened by `secret`.

    With `keys`, a format 3 slot holding that member's keys (`key` and
    `member_id` are not used); without, a format 2 slot wrapping the journal
    `key`. A recovery or invite secret is normalised with `normalize_code`
    first (and must be a 25- or 16-character code respectively). `kdf`
    defaults to fresh `default_kdf_params`; pass `shared_passphrase_kdf(header)`
    for a new passphrase slot so unlocking derives once. Raises `ValueError`
    on bad arguments.
    """
    if kind not in SLOT_KINDS:
        raise ValueError(f"unknown slot kind {kind!r}")
    if not _HEX32.fullmatch(journal_id):
        raise ValueError("the journal id must be 32 lowercase hex characters")
    if kdf is None:
        kdf = default_kdf_params()
    if keys is not None:
        return member_slot(kind, secret_kek(kind, secret, kdf), kdf, keys, journal_id)
    if len(key) != KEY_SIZE:
        raise ValueError("the journal key must be 32 bytes")
    if member_id is None:
        member = _ZERO_MEMBER
    elif _HEX32.fullmatch(member_id) and member_id != "0" * 32:
        member = bytes.fromhex(member_id)
    else:
        raise ValueError("the member id must be 32 lowercase hex characters, not all zero")
    kek = secret_kek(kind, secret, kdf)
    slot_id = secrets.token_hex(8)
    nonce = new_nonce()
    wrapped = aead_encrypt(kek, nonce, key + member, _slot_aad(journal_id, slot_id, kind))
    return KeySlot(
        id=slot_id, kind=kind, created=_created_now(), kdf=kdf, nonce=nonce, wrapped=wrapped
    )


def shared_passphrase_kdf(header: Header) -> KdfParams | None:
    """The KDF parameters of the first live passphrase slot, to reuse for a new one."""
    revoked = set(header.revoked_slots)
    for slot in header.slots:
        if slot.kind == "passphrase" and slot.id not in revoked:
            return slot.kdf
    return None
