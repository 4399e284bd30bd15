"""Members' own keys: Ed25519 to sign changes, X25519 to receive keys sealed to them.

docs/FORMAT.md ("Member keys", "Epochs and the keyring") is the binding
description. `MemberKeys` holds one member's private keys (they live only in
that member's key slots, or sealed in custody to the member who added them);
`seal_key` and `unseal` give a key to one member's public X25519 key (the keyring,
custody); `safety_number` is what two people compare by phone; `PublicKeys`
reads the `keys` value of a member record.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from journal.crypto import aead_decrypt, aead_encrypt, new_nonce

__all__ = [
    "KEY_VIAS",
    "MemberKeys",
    "PublicKeys",
    "b64",
    "safety_number",
    "seal_key",
    "unb64",
    "unseal",
    "verify_signature",
]

SEED_SIZE = 32
"""Bytes in an Ed25519 seed, an X25519 private key and either public key."""
PLAIN_SIZE = 16 + SEED_SIZE + SEED_SIZE
"""member id || Ed25519 seed || X25519 private: what a format 3 slot wraps."""
KEYRING_INFO = b"tandem-keyring-3"
KEY_VIAS = ("created", "invited", "accepted", "held", "upgrade", "reset")
"""How a member's keys came to be (docs/MODEL.md, `keys`)."""

_RAW = serialization.Encoding.Raw
_RAW_PUBLIC = serialization.PublicFormat.Raw
_RAW_PRIVATE = serialization.PrivateFormat.Raw
_NO_ENCRYPTION = serialization.NoEncryption()


def b64(data: bytes) -> str:
    """Standard base64 as text."""
    return base64.b64encode(data).decode("ascii")


def unb64(text: object, size: int | None = None) -> bytes | None:
    """Strict base64 of `size` bytes (any size when None), or None if it is not that."""
    if not isinstance(text, str):
        return None
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None
    return data if size is None or len(data) == size else None


@dataclass(frozen=True)
class MemberKeys:
    """One member's private keys: an Ed25519 seed and an X25519 private key."""

    member_id: str
    sign_seed: bytes = field(repr=False)
    box_private: bytes = field(repr=False)

    @classmethod
    def generate(cls, member_id: str) -> MemberKeys:
        """Fresh key pairs for `member_id`."""
        return cls(member_id, secrets.token_bytes(SEED_SIZE), secrets.token_bytes(SEED_SIZE))

    @classmethod
    def from_plain(cls, plain: bytes) -> MemberKeys | None:
        """Read what a format 3 slot wraps (member id || seed || X25519 private)."""
        if len(plain) != PLAIN_SIZE:
            return None
        return cls(plain[:16].hex(), plain[16:48], plain[48:80])

    def to_plain(self) -> bytes:
        """What a format 3 slot wraps."""
        return bytes.fromhex(self.member_id) + self.sign_seed + self.box_private

    @property
    def signer(self) -> Ed25519PrivateKey:
        """The Ed25519 private key."""
        return _signer(self.sign_seed)

    @property
    def sign_public(self) -> bytes:
        """The Ed25519 public key (32 bytes)."""
        return _sign_public(self.sign_seed)

    @property
    def box_public(self) -> bytes:
        """The X25519 public key (32 bytes)."""
        return _box_public(self.box_private)

    def sign(self, message: bytes) -> bytes:
        """An Ed25519 signature of `message`."""
        return self.signer.sign(message)

    def public(self, via: str, **extra: Any) -> dict[str, Any]:
        """The `keys` value of a member record for these keys (docs/MODEL.md)."""
        return {"sign": b64(self.sign_public), "box": b64(self.box_public), "via": via, **extra}

    def matches(self, keys: PublicKeys | None) -> bool:
        """True when `keys` (from a member record) are the public halves of these."""
        return keys is not None and (keys.sign, keys.box) == (self.sign_public, self.box_public)


@lru_cache(maxsize=64)
def _signer(seed: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(seed)


@lru_cache(maxsize=64)
def _sign_public(seed: bytes) -> bytes:
    return _signer(seed).public_key().public_bytes(_RAW, _RAW_PUBLIC)


@lru_cache(maxsize=64)
def _box_public(private: bytes) -> bytes:
    return X25519PrivateKey.from_private_bytes(private).public_key().public_bytes(_RAW, _RAW_PUBLIC)


@lru_cache(maxsize=1024)
def _verifier(public: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(public)


def verify_signature(public: bytes, signature: bytes, message: bytes) -> bool:
    """True when `signature` is a valid Ed25519 signature of `message` by `public`."""
    try:
        _verifier(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True)
class PublicKeys:
    """A member's public keys as their record holds them (`keys`), read and checked."""

    sign: bytes
    box: bytes
    via: str
    value: dict[str, Any] = field(repr=False, compare=False, hash=False)

    @classmethod
    def read(cls, value: object) -> PublicKeys | None:
        """The keys of a member record's `keys` value, or None if it holds none or is malformed."""
        if not isinstance(value, dict):
            return None
        sign = unb64(value.get("sign"), SEED_SIZE)
        box = unb64(value.get("box"), SEED_SIZE)
        via = value.get("via")
        if sign is None or box is None or via not in KEY_VIAS:
            return None
        return cls(sign, box, str(via), value)

    @property
    def previous(self) -> PublicKeys | None:
        """The keys these replaced (`from`), for an accepted invitation or a reset."""
        return PublicKeys.read(self.value.get("from"))

    def custody(self) -> dict[str, Any] | None:
        """For keys held in custody (`via` held): the sealed private keys and their holder."""
        custody = self.value.get("custody")
        return custody if self.via == "held" and isinstance(custody, dict) else None


def seal_key(secret: bytes, recipient_box: bytes, aad: bytes) -> dict[str, str]:
    """`secret` sealed to one X25519 public key: `{"eph", "nonce", "sealed"}` (docs/FORMAT.md)."""
    ephemeral = X25519PrivateKey.generate()
    eph = ephemeral.public_key().public_bytes(_RAW, _RAW_PUBLIC)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_box))
    nonce = new_nonce()
    sealed = aead_encrypt(_sealing_key(shared, eph, recipient_box), nonce, secret, aad)
    return {"eph": b64(eph), "nonce": b64(nonce), "sealed": b64(sealed)}


def unseal(entry: dict[str, Any], box_private: bytes, aad: bytes) -> bytes | None:
    """Open what `seal_key` sealed to the X25519 key `box_private`, or None if it does not open."""
    eph = unb64(entry.get("eph"), SEED_SIZE)
    nonce = unb64(entry.get("nonce"), 12)
    sealed = unb64(entry.get("sealed"))
    if eph is None or nonce is None or sealed is None:
        return None
    private = X25519PrivateKey.from_private_bytes(box_private)
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(eph))
    except ValueError:  # a low-order point: not something Tandem wrote
        return None
    mine = private.public_key().public_bytes(_RAW, _RAW_PUBLIC)
    return aead_decrypt(_sealing_key(shared, eph, mine), nonce, sealed, aad)


def _sealing_key(shared: bytes, eph: bytes, recipient: bytes) -> bytes:
    hkdf = HKDF(algorithm=SHA256(), length=32, salt=eph + recipient, info=KEYRING_INFO)
    return hkdf.derive(shared)


def safety_number(journal_id: str, member_id: str, sign: bytes, box: bytes) -> str:
    """Twenty digits in four groups of five, from the member's keys (docs/FORMAT.md)."""
    digest = hashlib.sha256(
        journal_id.encode("ascii") + member_id.encode("ascii") + sign + box
    ).digest()
    groups = (int.from_bytes(digest[5 * i : 5 * i + 5], "big") % 100000 for i in range(4))
    return " ".join(f"{group:05d}" for group in groups)
