"""Members you can trust: whose keys are whose, who owns the journal, and which changes count.

docs/SYNC.md ("Which changes a merge applies", "Key slots and membership",
"Removing a member") and docs/MODEL.md ("Owners", "Rights") are the binding
description. In short:

- member records are checked first, from the journal's creator down: a
  member's keys are accepted when the creator made them with the journal,
  an owner introduced them, the member took them with their invitation's
  key, or introduced them at the upgrade from format 2 (`Checker.begin`);
- every other change is accepted when its signature is valid for its
  signer's keys, the signer had the right to make it (journal.rights), and
  the signer was not removed before it (`Checker.accept_table`); the rest is
  held aside (`Held`);
- `Trust.of_document` reads who is who from a journal as it is (for the
  program's own refusals, and to check what it shows).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from journal.identity import PublicKeys, unb64
from journal.merge import (
    candidate_values,
    covered,
    join_vv,
    prune_and_derive,
    signed_vv,
    split_dot,
    unit_dot,
    units,
)
from journal.model import Record
from journal.rights import People, author_of, refusal
from journal.signing import Change, changes_of, signature_valid, value_hash

__all__ = [
    "HELD_REASONS",
    "Checker",
    "Epoch",
    "Held",
    "SignatureCache",
    "Trust",
    "kept_hash",
    "signing_keys",
]

Doc = dict[str, Any]
Table = dict[str, Doc]

MEMBERS = "members"
META = "meta"
EPOCHS = "epochs"
HELD_REASONS = ("unsigned", "invalid", "refused", "removed")
"""Why a change is held aside: no signature, a wrong one, no right to it, after a removal."""


@dataclass
class Held:
    """A change that was not applied, and why (docs/SYNC.md)."""

    table: str
    record_id: str
    dot: str
    member: str
    """The member the change names (the claimed author)."""
    reason: str
    """One of HELD_REASONS."""
    detail: str = ""
    """The rule it broke, in a few words."""
    local: bool = False
    """True when it was in this journal already (a removal arrived that cuts it off)."""


def kept_hash(record_id: str, dot: str) -> str:
    """How a removal names one change the remover had seen (docs/SYNC.md)."""
    return hashlib.sha256(f"{record_id}:{dot}".encode()).hexdigest()[:12]


class SignatureCache:
    """Signature checks already made: (signature, message digest, public key) -> valid."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, bytes, bytes], bool] = {}

    def valid(self, change: Change, journal_id: str, public: bytes) -> bool:
        """Whether `change` is validly signed by `public` (checked once per process)."""
        try:
            key = change.cache_key(journal_id)
        except ValueError:
            return False
        if key is None:
            return False
        known = self._known.get((*key, public))
        if known is None:
            known = signature_valid(change, journal_id, public)
            self._known[(*key, public)] = known
        return known


def signing_keys(record: Doc | None) -> list[bytes]:
    """The Ed25519 keys whose signatures count as this member's (docs/MODEL.md, `keys`).

    Every candidate of the record's `keys`, and the keys a reset replaced;
    never an invitation's keys (they sign only the change that replaces them).
    """
    if record is None:
        return []
    found: list[bytes] = []
    for value in candidate_values(record).get("keys", {}).values():
        keys = PublicKeys.read(value)
        while keys is not None:
            if keys.via != "invited" and keys.sign not in found:
                found.append(keys.sign)
            keys = keys.previous if keys.via == "reset" else None
    return found


@dataclass
class Trust:
    """Who is who in a journal: its creator, members' keys, owners and removals."""

    journal_id: str
    people: People
    keys: dict[str, list[bytes]] = field(default_factory=dict)
    """Member id -> the signing keys that count as theirs."""
    removals: dict[str, set[str]] = field(default_factory=dict)
    """Removed member id -> `kept_hash` of each of their changes that still count."""

    @classmethod
    def of_document(cls, document: Doc, journal_id: str) -> Trust:
        """Who is who in a journal as it is (its own records taken as they are)."""
        members: Table = document.get(MEMBERS) or {}
        meta = (document.get(META) or {}).get(journal_id)
        creator = author_of(meta) if meta is not None else ""
        trust = cls(journal_id, People(creator=creator))
        trust.learn(members)
        return trust

    def learn(self, members: Table) -> None:
        """Take members, owners, keys and removals from a members table."""
        people = self.people
        people.members = set(members)
        people.owners = {m for m, doc in members.items() if doc.get("owner") is True}
        people.roles = {m: str(doc.get("role") or "") for m, doc in members.items()}
        self.keys = {m: signing_keys(doc) for m, doc in members.items()}
        self.removals = {}
        for member_id, doc in members.items():
            removals = [
                value
                for value in candidate_values(doc).get("removed", {}).values()
                if isinstance(value, dict)
            ]
            if isinstance(doc.get("removed"), dict) and removals:
                kept: set[str] = set()
                for removal in removals:
                    kept.update(str(h) for h in removal.get("kept") or () if isinstance(h, str))
                self.removals[member_id] = kept
        people.removed = set(self.removals)

    def cut_off(self, change: Change) -> bool:
        """True when the change's signer was removed before it (docs/SYNC.md)."""
        kept = self.removals.get(change.signer)
        return kept is not None and kept_hash(change.record_id, change.dot) not in kept

    def check(
        self, change: Change, doc: Doc, cache: SignatureCache, related: list[Doc] | None = None
    ) -> Held | None:
        """Why `change` (of record `doc`) is not accepted, or None when it is.

        `related`: the copies of a member record being merged, among which a
        second change of the member's keys is looked for.
        """
        if change.signature is None:
            return self._held(change, "unsigned", "it is not signed")
        if change.table == MEMBERS and "keys" in change.hashes:
            problem = _keys_problem(change, doc, self, cache, related or [doc])
            if problem is not None:
                return self._held(change, *problem)
        elif not self.signed_by_signer(change, cache):
            return self._held(change, "invalid", "it is not signed by its author")
        if self.cut_off(change):
            return self._held(change, "removed", "its author was removed before it")
        reason = refusal(change, doc, self.people)
        if reason is not None:
            return self._held(change, "refused", reason)
        return None

    def signed_by_signer(self, change: Change, cache: SignatureCache) -> bool:
        """Whether `change` carries a valid signature by one of its signer's keys."""
        return any(cache.valid(change, self.journal_id, k) for k in self.keys_of(change))

    def keys_of(self, change: Change) -> list[bytes]:
        """The keys whose signature `change` may carry."""
        return self.keys.get(change.signer, [])

    def _held(self, change: Change, reason: str, detail: str) -> Held:
        return Held(change.table, change.record_id, change.dot, change.member, reason, detail)


def _keys_problem(
    change: Change, doc: Doc, trust: Trust, cache: SignatureCache, related: list[Doc]
) -> tuple[str, str] | None:
    """What is wrong with a change of a member's keys (docs/MODEL.md), or None."""
    value = change.values.get("keys")
    if value is None and "keys" not in change.values:
        value = _replaced_keys(change, doc)
    keys = PublicKeys.read(value)
    if keys is None:
        return "refused", "its keys are not readable"
    member, signer, people = change.record_id, change.signer, trust.people
    if keys.via in ("created", "upgrade"):
        signing = [keys.sign]
        if keys.via == "created" and not (change.creation and member == signer == people.creator):
            return "refused", "only the creator's own keys are made with the journal"
        if keys.via == "upgrade" and (signer != member or change.creation):
            return "refused", "only the member themself introduces their keys"
    elif keys.via == "accepted":
        invitation = keys.previous
        if signer != member or invitation is None or invitation.via != "invited":
            return "refused", "only an invited member takes keys of their own"
        if not _introduced(invitation.value, doc, change):
            return "refused", "those keys were not the invitation's"
        signing = [invitation.sign]
    elif keys.via in ("invited", "held"):
        if not change.creation or not people.is_owner(signer):
            return "refused", "only an owner introduces a member's keys"
        signing = trust.keys.get(signer, [])
    else:  # reset
        if not people.is_owner(signer):
            return "refused", "only an owner resets a member's keys"
        signing = trust.keys.get(signer, [])
    if not any(cache.valid(change, trust.journal_id, key) for key in signing):
        return "invalid", "it is not signed by its author"
    if not change.creation and (problem := _second_keys(change, keys, related)):
        return "refused", problem
    return None


def _replaced_keys(change: Change, doc: Doc) -> Any:
    """The keys value a change wrote that the record no longer shows (found by its hash)."""
    wanted = change.hashes.get("keys")
    for value in candidate_values(doc).get("keys", {}).values():
        keys = PublicKeys.read(value)
        while keys is not None:
            if value_hash(keys.value) == wanted:
                return keys.value
            keys = keys.previous
    return None


def _introduced(invitation: dict[str, Any], doc: Doc, change: Change) -> bool:
    """True when `invitation` is the keys value an earlier change of this record wrote."""
    wanted = value_hash(invitation)
    context = change.context
    return any(
        other.hashes.get("keys") == wanted and covered(dot, context)
        for dot, other in changes_of(change.table, change.record_id, doc).items()
        if dot != change.dot
    )


def _second_keys(change: Change, keys: PublicKeys, related: list[Doc]) -> str | None:
    """Why a change of keys clashes with another one of this member's, or None.

    Keys introduced at the upgrade need a member who had none; any other
    change of keys must have seen every other one (two uses of an invitation
    made at once are both refused, docs/MODEL.md).
    """
    context = change.context
    seen: set[str] = set()
    for doc in related:
        for dot, other in changes_of(change.table, change.record_id, doc).items():
            if dot == change.dot or dot in seen or "keys" not in other.hashes:
                continue
            seen.add(dot)
            if covered(dot, context):
                if keys.via == "upgrade":
                    return "this member already had keys"
                continue
            if covered(change.dot, other.context) or other.creation:
                continue
            if other.hashes["keys"] != change.hashes["keys"]:
                return "two sets of keys were made for this member at once"
    return None


class Checker:
    """Which changes of two copies a merge applies (docs/SYNC.md); the rest is held aside.

    With `trust_local`, the receiving journal's own changes are taken as
    checked (they were, when they arrived, or were made here) and only what
    the copy brings new is checked; without, both copies are checked alike
    (`checking_both`: the merge is then the same in every order).
    """

    def __init__(
        self,
        journal_id: str | None = None,
        *,
        trust_local: bool = True,
        cache: SignatureCache | None = None,
    ) -> None:
        self.journal_id = journal_id
        self.trust_local = trust_local
        self.cache = cache or SignatureCache()
        self.trust = Trust("", People(creator=""))
        self.held: list[Held] = []
        self.signed = 0
        """Changes checked and accepted, signed by their author (`tandem verify` counts them)."""
        self.carried = 0
        """Changes checked and accepted, carried over from format 2."""
        self._merged: dict[str, Table] = {}

    @classmethod
    def checking_both(cls) -> Checker:
        """A checker that trusts neither copy."""
        return cls(trust_local=False)

    def begin(self, local: Doc, remote: Doc, tables: Iterable[str]) -> list[str]:
        """Establish who is who from both copies' member records; returns the tables in order."""
        names = list(tables)
        journal_id = self.journal_id or _journal_id(local) or _journal_id(remote)
        self.journal_id = journal_id
        self.trust = Trust(journal_id, People(creator=_creator(local, remote, journal_id)))
        self.trust.people.lookup = self._lookup
        self._local_members = local.get(MEMBERS) or {}
        self._remote_members = remote.get(MEMBERS) or {}
        ordered = [MEMBERS] + [name for name in names if name != MEMBERS]
        if EPOCHS not in ordered:
            ordered.append(EPOCHS)
        return ordered

    def accept_table(self, name: str, mine: Table, theirs: Table) -> tuple[Table, Table]:
        """Both copies' records of one table, each without the changes not accepted."""
        if name == MEMBERS:
            return self._accept_members(mine, theirs)
        trust = self.trust
        accepted_mine = self._accept(name, mine, None, local=True)
        accepted_theirs = self._accept(name, theirs, mine, local=False)
        del trust
        return accepted_mine, accepted_theirs

    def merged_table(self, name: str, merged: Table) -> None:
        """Note a table as merged: later tables' rules may look at it; members settle who is who."""
        self._merged[name] = merged
        if name == MEMBERS:
            self.trust.learn(merged)

    def take_held(self) -> list[Held]:
        """The changes held aside so far (and forget them)."""
        held, self.held = self.held, []
        return held

    def _lookup(self, table: str, record_id: str) -> Doc | None:
        return self._merged.get(table, {}).get(record_id)

    # --- records of one table ---------------------------------------------------------

    def _accept(self, name: str, records: Table, known: Table | None, *, local: bool) -> Table:
        trust = self.trust
        out: Table = {}
        for record_id, doc in records.items():
            if local and self.trust_local and not _signed_by(doc, trust.removals):
                out[record_id] = doc
                continue
            mine = known.get(record_id) if known is not None else None
            if mine is not None and mine == doc:
                out[record_id] = doc
                continue
            accepted = self._accept_record(name, record_id, doc, mine, local=local)
            if accepted is not None:
                out[record_id] = accepted
        return out

    def _accept_record(
        self, name: str, record_id: str, doc: Doc, mine: Doc | None, *, local: bool
    ) -> Doc | None:
        trust = self.trust
        try:
            changes = changes_of(name, record_id, doc)
        except ValueError:
            return None
        here = _changes_here(name, record_id, mine)
        carried = _carried_here(name, record_id, mine, changes)
        rejected: set[str] = set()
        for dot, change in changes.items():
            ours = here.get(dot)
            if self.trust_local and ours is not None and dot not in carried:
                if not _same_change(ours, change):
                    held: Held | None = trust._held(
                        change, "invalid", "it is another version of a change already here"
                    )
                elif trust.cut_off(change):
                    held = trust._held(change, "removed", "its author was removed before it")
                else:
                    continue  # the journal holds this very change: checked when it came
            elif self.trust_local and dot in carried:
                if not trust.cut_off(change):
                    continue
                held = trust._held(change, "removed", "its author was removed before it")
            elif local and self.trust_local:
                held = (
                    trust._held(change, "removed", "its author was removed before it")
                    if trust.cut_off(change)
                    else None
                )
            else:
                held = trust.check(change, doc, self.cache)
                if held is None:
                    self._count(change)
            if held is not None:
                held.local = local
                self.held.append(held)
                rejected.add(dot)
        if not rejected:
            return doc
        return without_changes(doc, rejected)

    # --- members ----------------------------------------------------------------------

    def _accept_members(self, mine: Table, theirs: Table) -> tuple[Table, Table]:
        """Member records, checked from the creator down until nothing more is accepted.

        A change waits while its signer's keys are not established yet; a
        refused one is tried again while others are accepted (its signer may
        become an owner by one of them). What is left is held aside.
        """
        trust = self.trust
        trust.learn(mine if self.trust_local else {})
        trust.people.members = set(mine) | set(theirs)
        pending: dict[tuple[bool, str, str], tuple[bool, Change, Doc, list[Doc]]] = {}
        for local, table in ((True, mine), (False, theirs)):
            if local and self.trust_local:
                continue
            for record_id, doc in table.items():
                related = [d for d in (mine.get(record_id), theirs.get(record_id)) if d]
                here = {} if local else _changes_here(MEMBERS, record_id, mine.get(record_id))
                try:
                    changes = changes_of(MEMBERS, record_id, doc)
                except ValueError:
                    continue
                carried = (
                    set()
                    if local
                    else _carried_here(MEMBERS, record_id, mine.get(record_id), changes)
                )
                for dot, change in changes.items():
                    ours = here.get(dot)
                    if self.trust_local and (
                        dot in carried or (ours is not None and _same_change(ours, change))
                    ):
                        continue  # the very change this journal holds: checked when it came
                    pending[(local, record_id, dot)] = (local, change, doc, related)
        order = sorted(pending, key=lambda k: (not pending[k][0], k))
        accepted: set[tuple[bool, str, str]] = set()
        progress = True
        while progress:
            progress = False
            for key in order:
                if key in accepted:
                    continue
                _local, change, doc, related = pending[key]
                if (
                    self._signer_known(change)
                    and trust.check(change, doc, self.cache, related) is None
                ):
                    accepted.add(key)
                    self._learn_change(change)
                    self._count(change)
                    progress = True
        rejected: set[tuple[bool, str, str]] = set()
        for key in order:
            if key in accepted:
                continue
            local, change, doc, related = pending[key]
            held = (
                trust.check(change, doc, self.cache, related)
                if self._signer_known(change)
                else trust._held(change, "invalid", "it is signed by no member's keys")
            )
            if held is None:  # accepted on this last look: its signer's rights arrived late
                self._learn_change(change)
                self._count(change)
                continue
            held.local = local
            self.held.append(held)
            rejected.add(key)
        result: list[Table] = []
        for local, table in ((True, mine), (False, theirs)):
            out: Table = {}
            for record_id, doc in table.items():
                dots = {dot for side, rid, dot in rejected if side == local and rid == record_id}
                if not dots:
                    out[record_id] = doc
                elif (kept := without_changes(doc, dots)) is not None:
                    out[record_id] = kept
            result.append(out)
        return result[0], result[1]

    def _count(self, change: Change) -> None:
        if change.carried is not None:
            self.carried += 1
        else:
            self.signed += 1

    def _signer_known(self, change: Change) -> bool:
        """Whether the keys that would check `change` are known yet (else: try again later)."""
        if change.signature is None:
            return True
        keys = PublicKeys.read(change.values.get("keys"))
        if keys is not None and keys.via in ("created", "upgrade", "accepted"):
            return True
        return bool(self.trust.keys.get(change.signer))

    def _learn_change(self, change: Change) -> None:
        """Take what an accepted member change says about who is who."""
        people = self.trust.people
        people.members.add(change.record_id)
        keys = PublicKeys.read(change.values.get("keys"))
        if keys is not None and keys.via != "invited":
            known = self.trust.keys.setdefault(change.record_id, [])
            while keys is not None:
                if keys.via != "invited" and keys.sign not in known:
                    known.append(keys.sign)
                keys = keys.previous if keys.via == "reset" else None
        if change.values.get("owner") is True:
            people.owners.add(change.record_id)


def _changes_here(table: str, record_id: str, mine: Doc | None) -> dict[str, Change]:
    """The changes of this journal's copy of a record (none when it has no copy)."""
    if mine is None:
        return {}
    try:
        return changes_of(table, record_id, mine)
    except ValueError:
        return {}


def _same_change(ours: Change, theirs: Change) -> bool:
    """True when a copy's change is the very change this journal holds under that dot.

    The same author, time, signature and values: a copy cannot slip another value,
    or another unit, under a dot it knows this journal holds (docs/SYNC.md).
    """
    return (
        ours.info[1:3] == theirs.info[1:3]
        and (ours.signature or {}).get("s") == (theirs.signature or {}).get("s")
        and ours.hashes == theirs.hashes
    )


def _carried_here(
    table: str, record_id: str, mine: Doc | None, changes: dict[str, Change]
) -> set[str]:
    """Dots of a copy's unsigned changes that this journal holds signed, with the same values.

    A format 1 or 2 copy still holds the changes an upgrade carried over
    (docs/SYNC.md, "Format 1 and 2 copies"): the same change, not a new one.
    """
    if mine is None or not any(change.signature is None for change in changes.values()):
        return set()
    writes = mine.get("writes") or {}
    try:
        here = changes_of(table, record_id, mine)
    except ValueError:
        return set()
    found: set[str] = set()
    for dot, change in changes.items():
        held = here.get(dot)
        if change.signature is not None or held is None or held.signature is None:
            continue
        same_write = list(writes[dot][:3]) == list(change.info[:3])
        if same_write and all(held.hashes.get(u) == h for u, h in change.hashes.items()):
            found.add(dot)
    return found


def without_changes(doc: Doc, rejected: set[str]) -> Doc | None:
    """The record without the changes `rejected` (None when its creation is one of them)."""
    dots: dict[str, str] = doc.get("dots") or {}
    if dots.get("*", "") in rejected:
        return None
    writes = doc.get("writes") or {}
    kept: Doc = {key: value for key, value in doc.items()}
    kept["conflicts"] = [c for c in doc.get("conflicts") or () if c.get("dot") not in rejected]
    new_dots = dict(dots)
    candidates = candidate_values(doc)
    shown = units(doc)
    for unit, by_dot in candidates.items():
        dot = unit_dot(doc, unit) if unit in shown else dots.get(unit, "")
        if dot not in rejected:
            continue
        remaining = {d: v for d, v in by_dot.items() if d not in rejected}
        _unset(kept, unit)
        new_dots.pop(unit, None)
        if remaining:
            best = max(remaining, key=lambda d: (str((writes.get(d) or [""])[0]), d))
            _put(kept, unit, remaining[best])
            if best != dots.get("*"):
                new_dots[unit] = best
            kept["conflicts"] = [
                c for c in kept["conflicts"] if not (c["unit"] == unit and c["dot"] == best)
            ]
    kept["dots"] = new_dots
    kept["writes"] = {d: info for d, info in writes.items() if d not in rejected}
    kept["vv"] = signed_vv(kept)
    prune_and_derive(kept)
    return kept


def _unset(doc: Doc, unit: str) -> None:
    head, dot, sub = unit.partition(".")
    if dot and isinstance(doc.get(head), dict) and unit not in doc:
        doc[head] = {k: v for k, v in doc[head].items() if k != sub}
    else:
        doc.pop(unit, None)


def _put(doc: Doc, unit: str, value: Any) -> None:
    head, dot, sub = unit.partition(".")
    if dot and isinstance(doc.get(head), dict) and unit not in doc:
        doc[head] = {**doc[head], sub: value}
    else:
        doc[unit] = value


def _signed_by(doc: Doc, removed: dict[str, set[str]]) -> bool:
    """True when a record holds a change whose signer was removed (it needs a look)."""
    if not removed:
        return False
    for info in (doc.get("writes") or {}).values():
        if len(info) > 1 and info[1] in removed:
            return True
        if len(info) > 3 and isinstance(info[3], dict) and info[3].get("o") in removed:
            return True
    return False


def _journal_id(document: Doc) -> str:
    return next(iter(document.get(META) or {}), "")


def _creator(local: Doc, remote: Doc, journal_id: str) -> str:
    """The journal's creator: the author of its journal page (the earlier, if two differ)."""
    pages = [d.get(META, {}).get(journal_id) for d in (local, remote)]
    found = [(str((p.get("dots") or {}).get("*", "")), author_of(p)) for p in pages if p]
    return min(found)[1] if found else ""


def iter_member_slots(members: Table) -> Iterator[tuple[str, str, str]]:
    """(member id, slot id, binding) for every slot a member record binds."""
    for member_id, doc in members.items():
        for slot_id, binding in (doc.get("slots") or {}).items():
            if isinstance(binding, str):
                yield member_id, slot_id, binding


# --- epochs and the keyring -------------------------------------------------------------


@dataclass
class Epoch(Record):
    """One epoch of the journal key (docs/MODEL.md, `epochs`); its id is the epoch id."""

    TABLE: ClassVar[str] = EPOCHS

    n: int = 1
    key: str = ""  # base64, 32 bytes
    to: list[str] = field(default_factory=list)  # the members it was given to


def current_epoch(epochs: Table, removed: Iterable[str]) -> Doc | None:
    """The epoch to encrypt with: the highest (n, id) never given to a removed member."""
    gone = set(removed)
    usable = [
        doc
        for doc in epochs.values()
        if doc.get("deleted_at") is None
        and isinstance(doc.get("n"), int)
        and unb64(doc.get("key"), 32) is not None
        and not gone.intersection(doc.get("to") or ())
    ]
    return max(usable, key=lambda doc: (doc["n"], str(doc.get("id", ""))), default=None)


def epoch_keys(epochs: Table) -> dict[str, bytes]:
    """Epoch id -> key, of every readable epoch record."""
    found: dict[str, bytes] = {}
    for epoch_id, doc in epochs.items():
        key = unb64(doc.get("key"), 32)
        if key is not None:
            found[epoch_id] = key
    return found


def keyring_recipients(members: Table, removed: Iterable[str]) -> list[tuple[str, bytes]]:
    """(member id, X25519 public key) of every current member who can open a slot."""
    gone = set(removed)
    found: list[tuple[str, bytes]] = []
    for member_id, doc in sorted(members.items()):
        keys = PublicKeys.read(doc.get("keys"))
        if member_id in gone or keys is None or keys.via == "held":
            continue
        found.append((member_id, keys.box))
    return found


def slot_bindings(document: Doc) -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """(live bindings, revoked slot ids, format 2 slots bound by the journal page)."""
    live: dict[str, str] = {}
    revoked: set[str] = set()
    for _member, slot_id, binding in iter_member_slots(document.get(MEMBERS) or {}):
        if binding == "revoked":
            revoked.add(slot_id)
        else:
            live[slot_id] = binding
    legacy: set[str] = set()
    for page in (document.get(META) or {}).values():
        legacy.update(page.get("slot_owners") or {})
    return live, frozenset(revoked), frozenset(legacy - revoked)


def removal(document: Doc, member_id: str, by: str, at: str) -> dict[str, Any]:
    """The `removed` value an owner writes (docs/SYNC.md, "Removing a member").

    `seen`: for each replica that wrote a change signed by the member, the
    highest counter of it this journal has seen; `kept`: each of those changes
    this journal holds.
    """
    replicas: set[str] = set()
    kept: list[str] = []
    seen: dict[str, int] = {}
    tables = [(name, t) for name, t in document.items() if isinstance(t, dict)]
    for name, records in tables:
        for record_id, doc in records.items():
            if not isinstance(doc, dict):
                continue
            try:
                changes = changes_of(name, record_id, doc)
            except ValueError:
                continue
            for dot, change in changes.items():
                if change.signer == member_id:
                    replicas.add(split_dot(dot)[0])
                    kept.append(kept_hash(record_id, dot))
            seen = join_vv(seen, doc.get("vv") or {})
    return {
        "at": at,
        "by": by,
        "seen": {replica: seen.get(replica, 0) for replica in sorted(replicas)},
        "kept": sorted(set(kept)),
    }
