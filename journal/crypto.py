"""Key derivation, random codes and AEAD helpers for the `.tandem` format.

See docs/FORMAT.md ("Key slots"). Everything here is plain Python over the
`cryptography` package; nothing here knows about the file layout.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any, ClassVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from journal.errors import DamagedFile

try:
    from argon2.low_level import Type as _Argon2Type
    from argon2.low_level import hash_secret_raw as _hash_secret_raw
except ImportError:  # pragma: no cover - the dependency is declared; this is a fallback
    _hash_secret_raw = None  # type: ignore[assignment]

KEY_SIZE = 32
"""Bytes in a journal key and in a key-encryption key (AES-256)."""

NONCE_SIZE = 12
"""Bytes in an AES-GCM nonce."""

TAG_SIZE = 16
"""Bytes in an AES-GCM authentication tag."""

SALT_SIZE = 16
"""Bytes in a freshly made Argon2id salt."""

FAST_KDF_ENV = "TANDEM_TEST_FAST_KDF"
"""Environment variable that, set to ``1``, makes new KDF parameters as cheap as possible."""

# Limits a reader accepts for parameters found in a file. The parameters are
# chosen by the writer, but a hostile or damaged file must not make the reader
# allocate without bound or spin for hours.
MIN_SALT_SIZE = 8  # Argon2's own minimum
MAX_SALT_SIZE = 64
MAX_MEMORY_KIB = 1024 * 1024  # 1 GiB per derivation
MAX_ITERATIONS = 64
MAX_LANES = 64
MAX_WORK_KIB = 4 * 1024 * 1024  # memory x iterations: 1 GiB x 4 passes, or 64 MiB x 64

CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford base32 digits (no I, L, O or U)."""

RECOVERY_CODE_LENGTH = 25  # 125 bits, five groups of five
INVITE_CODE_LENGTH = 16  # 80 bits, four groups of four

_CROCKFORD_SET = frozenset(CROCKFORD_ALPHABET)
_CODE_TRANSLATION = str.maketrans({"O": "0", "I": "1", "L": "1"})


def b64encode(data: bytes) -> str:
    """Standard base64 (with padding) as an ASCII string, as used in the header."""
    return base64.b64encode(data).decode("ascii")


def b64decode(text: object, what: str) -> bytes:
    """Decode strict standard base64 from a header field, or raise `DamagedFile`."""
    if not isinstance(text, str):
        raise DamagedFile(f"this file is damaged: its header is not valid ({what} is not text)")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DamagedFile(
            f"this file is damaged: its header is not valid ({what} is not base64)"
        ) from exc


def _json_int(d: dict[str, Any], key: str, low: int, high: int) -> int:
    value = d.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise DamagedFile(f"this file is damaged: its header is not valid (bad kdf {key})")
    return value


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters of one key slot (hashable, so slots can be grouped by them)."""

    salt: bytes
    memory_kib: int = 65536
    iterations: int = 3
    lanes: int = 4

    name: ClassVar[str] = "argon2id"

    def to_json(self) -> dict[str, Any]:
        """The slot's ``kdf`` object."""
        return {
            "name": self.name,
            "salt": b64encode(self.salt),
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
        }

    @classmethod
    def from_json(cls, d: object) -> KdfParams:
        """Parse a slot's ``kdf`` object, raising `DamagedFile` if it is malformed or absurd."""
        if not isinstance(d, dict):
            raise DamagedFile("this file is damaged: its header is not valid (bad kdf)")
        if d.get("name") != cls.name:
            raise DamagedFile("this file is damaged: its header is not valid (unknown kdf)")
        salt = b64decode(d.get("salt"), "kdf salt")
        if not MIN_SALT_SIZE <= len(salt) <= MAX_SALT_SIZE:
            raise DamagedFile("this file is damaged: its header is not valid (bad kdf salt)")
        lanes = _json_int(d, "lanes", 1, MAX_LANES)
        iterations = _json_int(d, "iterations", 1, MAX_ITERATIONS)
        memory_kib = _json_int(d, "memory_kib", 8 * lanes, MAX_MEMORY_KIB)
        if memory_kib * iterations > MAX_WORK_KIB:
            raise DamagedFile(
                "this file is damaged: its header is not valid (a key slot asks for too much work)"
            )
        return cls(salt=salt, memory_kib=memory_kib, iterations=iterations, lanes=lanes)


def fast_kdf_enabled() -> bool:
    """Whether the explicit test setting ``TANDEM_TEST_FAST_KDF=1`` is in the environment."""
    return os.environ.get(FAST_KDF_ENV) == "1"


def default_kdf_params(salt: bytes | None = None) -> KdfParams:
    """Parameters for a new slot: 64 MiB, 3 iterations, 4 lanes and a fresh 16-byte salt.

    With ``TANDEM_TEST_FAST_KDF=1`` set, the cheapest parameters Argon2id accepts
    (8 KiB, 1 iteration, 1 lane) instead; only tests set it.
    """
    if salt is None:
        salt = secrets.token_bytes(SALT_SIZE)
    if fast_kdf_enabled():
        return KdfParams(salt=salt, memory_kib=8, iterations=1, lanes=1)
    return KdfParams(salt=salt)


def derive_kek(secret: str, params: KdfParams) -> bytes:
    """Derive the 32-byte key-encryption key from a secret (NFC-normalised, UTF-8).

    Raises `UnicodeEncodeError` (a `ValueError`) for a string that is not valid
    Unicode text (lone surrogates).
    """
    material = unicodedata.normalize("NFC", secret).encode("utf-8")
    if _hash_secret_raw is not None:
        # argon2-cffi computes the lanes on several threads: on two cores the
        # default parameters take ~0.12 s instead of ~0.2 s with `cryptography`,
        # which runs them one after another. Both give the same key.
        return _hash_secret_raw(
            material,
            params.salt,
            time_cost=params.iterations,
            memory_cost=params.memory_kib,
            parallelism=params.lanes,
            hash_len=KEY_SIZE,
            type=_Argon2Type.ID,
            version=19,
        )
    kdf = Argon2id(
        salt=params.salt,
        length=KEY_SIZE,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(material)


def new_journal_key() -> bytes:
    """A fresh random 256-bit journal key."""
    return secrets.token_bytes(KEY_SIZE)


def new_nonce() -> bytes:
    """A fresh random 12-byte AES-GCM nonce."""
    return secrets.token_bytes(NONCE_SIZE)


def _random_code(length: int, group: int) -> str:
    chars = "".join(secrets.choice(CROCKFORD_ALPHABET) for _ in range(length))
    return "-".join(chars[i : i + group] for i in range(0, length, group))


def new_recovery_code() -> str:
    """A recovery code: 25 Crockford base32 characters (125 bits) as five groups of five."""
    return _random_code(RECOVERY_CODE_LENGTH, 5)


def new_invite_code() -> str:
    """An invite code: 16 Crockford base32 characters (80 bits) as four groups of four."""
    return _random_code(INVITE_CODE_LENGTH, 4)


def normalize_code(text: str) -> str | None:
    """The canonical form of a typed recovery or invite code, or None if it is not one.

    Upper-cases, reads ``O`` as ``0`` and ``I``/``L`` as ``1``, drops whitespace
    and dashes. The result (no dashes) is returned if it is 25 or 16 Crockford
    base32 characters.
    """
    cleaned = "".join(text.split()).replace("-", "").upper().translate(_CODE_TRANSLATION)
    if len(cleaned) not in (RECOVERY_CODE_LENGTH, INVITE_CODE_LENGTH):
        return None
    if not all(c in _CROCKFORD_SET for c in cleaned):
        return None
    return cleaned


def aead_encrypt(key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """AES-256-GCM encryption; returns ciphertext with its 16-byte tag appended."""
    return AESGCM(key).encrypt(nonce, plaintext, aad)


def aead_decrypt(
    key: bytes, nonce: bytes, ciphertext: bytes | memoryview, aad: bytes
) -> bytes | None:
    """AES-256-GCM decryption; returns None if the tag does not verify."""
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, aad)
    except InvalidTag:
        return None
