"""Signed changes: what is signed, how, and reading a record back as its changes.

docs/SYNC.md ("Signatures") is the binding description. A change is one dot
of one record; its signature covers the journal, the record, the dot, the
write's clock and wall times and author, its causal context, and a hash of
each unit's new value. `changes_of` reads a stored record back as its
changes (the values still in it, and the hashes kept in `h` for the values
it no longer holds), `sign_change` signs a local one, `signature_valid`
checks one against a public key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import orjson

from journal.identity import MemberKeys, b64, unb64, verify_signature

__all__ = [
    "PREFIX",
    "Change",
    "canonical",
    "changes_of",
    "context_of",
    "signature_of",
    "signature_valid",
    "signed_hlc",
    "value_hash",
]

PREFIX = b"tandem-change-3\x00"
"""What every signed message starts with."""
SIG = 3
"""The index of the signature in a write `[hlc, member, wall, signature]`."""


def canonical(value: Any) -> bytes:
    """Canonical JSON: UTF-8, keys sorted, no whitespace (raises ValueError if not JSON)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except (orjson.JSONEncodeError, RecursionError) as error:
        raise ValueError(f"not JSON: {error}") from error


def value_hash(value: Any) -> str:
    """The first 16 bytes of SHA-256 over a value's canonical JSON, as 32 hex characters."""
    return hashlib.sha256(canonical(value)).hexdigest()[:32]


def signature_of(info: Any) -> dict[str, Any] | None:
    """The signature object of a write, or None for an unsigned one (formats 1 and 2)."""
    if isinstance(info, list) and len(info) > SIG and isinstance(info[SIG], dict):
        return info[SIG]
    return None


def context_of(info: Any) -> dict[str, int]:
    """The signed causal context of a write (`{}` for an unsigned one)."""
    signature = signature_of(info)
    context = signature.get("c") if signature is not None else None
    return context if isinstance(context, dict) else {}


def signed_hlc(info: list[Any]) -> str:
    """The clock time that was signed: the write's own, or `t` when a merge clamped it."""
    signature = signature_of(info)
    if signature is not None and isinstance(signature.get("t"), str):
        return str(signature["t"])
    return str(info[0])


@dataclass
class Change:
    """One change (dot) of a stored record: who, when, what it wrote, and its signature."""

    table: str
    record_id: str
    dot: str
    info: list[Any]
    values: dict[str, Any] = field(default_factory=dict)
    """Unit -> value, for the units whose value written by this change the record still holds."""
    hashes: dict[str, str] = field(default_factory=dict)
    """Unit -> value hash, for every unit the change wrote (what is signed)."""
    creation: bool = False

    @property
    def signature(self) -> dict[str, Any] | None:
        """The write's signature object, or None when unsigned."""
        return signature_of(self.info)

    @property
    def member(self) -> str:
        """The member the write names."""
        return str(self.info[1])

    @property
    def carried(self) -> str | None:
        """The owner who carried this change over from format 2, or None."""
        signature = self.signature
        carrier = signature.get("o") if signature is not None else None
        return carrier if isinstance(carrier, str) else None

    @property
    def signer(self) -> str:
        """Whose key signs it: the carrier of a carried-over change, else its member."""
        return self.carried or self.member

    @property
    def context(self) -> dict[str, int]:
        """Its signed causal context."""
        return context_of(self.info)

    def message(self, journal_id: str) -> bytes:
        """The bytes its signature covers (docs/SYNC.md, "Signatures"), made once."""
        made = self.__dict__.get("_message")
        if made is not None and made[0] == journal_id:
            return made[1]
        body = [
            journal_id,
            self.table,
            self.record_id,
            self.dot,
            signed_hlc(self.info),
            self.info[1],
            self.info[2],
            self.context,
            self.hashes,
            self.carried,
        ]
        message = PREFIX + canonical(body)
        self.__dict__["_message"] = (journal_id, message)
        return message

    def cache_key(self, journal_id: str) -> tuple[str, bytes] | None:
        """(signature, SHA-256 of the message): what a check of it can be remembered by."""
        signature = self.signature
        text = signature.get("s") if signature is not None else None
        if not isinstance(text, str):
            return None
        return text, hashlib.sha256(self.message(journal_id)).digest()


def changes_of(table: str, record_id: str, doc: dict[str, Any]) -> dict[str, Change]:
    """A stored record read back as its changes: dot -> `Change` (docs/SYNC.md).

    Raises ValueError for a value that is not JSON (the validator refuses those first).
    """
    from journal.merge import candidate_values

    writes = doc.get("writes") or {}
    creation = (doc.get("dots") or {}).get("*", "")
    found: dict[str, Change] = {}
    for unit, by_dot in candidate_values(doc).items():
        for dot, value in by_dot.items():
            change = found.get(dot)
            if change is None:
                info = writes.get(dot)
                if not isinstance(info, list) or len(info) < 3:
                    info = ["", "", ""]
                change = found[dot] = Change(table, record_id, dot, info, creation=dot == creation)
            change.values[unit] = value
            change.hashes[unit] = value_hash(value)
    for change in found.values():
        signature = change.signature
        kept = signature.get("h") if signature is not None else None
        if isinstance(kept, dict):
            for unit, digest in kept.items():
                change.hashes.setdefault(str(unit), str(digest))
    return found


def sign_change(
    keys: MemberKeys,
    journal_id: str,
    table: str,
    record_id: str,
    dot: str,
    info: list[Any],
    context: dict[str, int],
    written: dict[str, Any],
    *,
    carried: str | None = None,
) -> list[Any]:
    """The write `info` with its signature: `keys` sign the change that wrote `written`.

    `written` maps every unit the change wrote to its new value (None for a
    removed unit). Returns a new write list; `info` is not changed.
    """
    signature: dict[str, Any] = {"c": dict(context)}
    if carried is not None:
        signature["o"] = carried
    change = Change(table, record_id, dot, [*info[:SIG], signature], dict(written))
    change.hashes = {unit: value_hash(value) for unit, value in written.items()}
    signature["s"] = b64(keys.sign(change.message(journal_id)))
    return change.info


def signature_valid(change: Change, journal_id: str, public: bytes) -> bool:
    """True when `change` carries a valid signature by the Ed25519 key `public`."""
    signature = change.signature
    raw = unb64(signature.get("s"), 64) if signature is not None else None
    if raw is None:
        return False
    try:
        message = change.message(journal_id)
    except ValueError:
        return False
    return verify_signature(public, raw, message)
