"""Who may make which change: the rights of docs/MODEL.md ("Rights"), in one place.

`refusal(change, doc, people)` says why a signer could not make a change
(one short line), or None when they could. A merge holds such a change
aside; `Journal` refuses it before it is made, with the same words. The
rules look at the change's units (what it wrote), the record it belongs to
(its author, an entry's kind and finalization) and who is who (`People`:
members, owners, the creator).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from journal.signing import value_hash

if TYPE_CHECKING:
    from journal.signing import Change

__all__ = ["People", "author_of", "refusal"]

Doc = dict[str, Any]

_FINAL = value_hash("final")

PROFILE_UNITS = frozenset(
    {"name", "background", "values", "what_works", "contact_times", "last_seen"}
)
OWNER_UNITS = frozenset({"role", "owner", "removed"})
IMMUTABLE_TABLES = frozenset({"comments", "measurements", "goal_events"})
SHARED_TABLES = frozenset({"goals", "sessions"})
REQUEST_ANSWER_UNITS = frozenset({"status", "answer", "answered_by", "answered_at"})
THREAD_STATE_UNITS = frozenset({"status", "resolved_by", "resolved_at"})
META_ANYONE_UNITS = frozenset({"child_name", "interests", "strengths", "avoid"})
BY_UNITS = frozenset({"finalized_by", "resolved_by", "answered_by"})
DELETION = "deletion"


@dataclass
class People:
    """Who is who, as far as rights go: the creator, the members and the owners.

    A removed member keeps their rights over what they did before the removal:
    which of their changes count is the removal's cut-off (journal.membership).
    """

    creator: str
    members: set[str] = field(default_factory=set)
    owners: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    roles: dict[str, str] = field(default_factory=dict)
    """Member id -> role (parent, therapist, other)."""
    lookup: Callable[[str, str], Doc | None] = field(default=lambda _table, _id: None)
    """(table, record id) -> the record, for rules that look at another record."""

    def is_member(self, member_id: str) -> bool:
        """A member of the journal (removed or not)."""
        return member_id in self.members

    def is_owner(self, member_id: str) -> bool:
        """An owner: the creator, or made one by an owner."""
        return member_id == self.creator or member_id in self.owners

    def current_owner(self, member_id: str) -> bool:
        """An owner who was not removed: who may act as one now."""
        return self.is_owner(member_id) and member_id not in self.removed


def author_of(doc: Doc) -> str:
    """A record's author: the member of its creation write."""
    writes = doc.get("writes") or {}
    creation = writes.get((doc.get("dots") or {}).get("*", ""))
    return str(creation[1]) if isinstance(creation, list) and len(creation) > 1 else ""


def refusal(change: Change, doc: Doc, people: People) -> str | None:
    """Why the signer of `change` could not make it, or None when they could (docs/MODEL.md)."""
    signer = change.signer
    if change.carried is not None:
        if people.is_owner(signer):
            return None
        return "only an owner carries changes over from format 2"
    if not people.is_member(signer):
        return "its signer is not a member of the journal"
    units = set(change.hashes)
    if problem := _names_signer(change, signer):
        return problem
    if change.creation:
        if doc.get("author", change.member) != change.member:
            return "its author is not the member who signed it"
        if doc.get("created_at", change.info[2]) != change.info[2]:
            return "its creation time is not the one signed"
        return _creation_refusal(change, doc, people)
    author = author_of(doc)
    return _change_refusal(change.table, units, change, doc, author, people)


def _names_signer(change: Change, signer: str) -> str | None:
    for unit in BY_UNITS & set(change.values):
        if change.values[unit] not in (None, "", signer):
            return f"its {unit} names someone other than its signer"
    deletion = change.values.get(DELETION)
    if isinstance(deletion, dict) and deletion.get("by") not in (None, signer):
        return "its deletion names someone other than its signer"
    removed = change.values.get("removed")
    if isinstance(removed, dict) and removed.get("by") != signer:
        return "its removal names someone other than its signer"
    return None


def _creation_refusal(change: Change, doc: Doc, people: People) -> str | None:
    table, signer = change.table, change.signer
    if table == "meta":
        return None if signer == people.creator else "only the creator makes the journal page"
    if table == "members":
        if change.record_id == signer == people.creator:
            return None  # the creator's own record, made with the journal
        if not people.is_owner(signer):
            return "only an owner adds or invites members"
        return None
    if table == "comments" and change.values.get("kind") == "addendum":
        target = people.lookup("entries", str(change.values.get("target_id") or ""))
        if target is not None and author_of(target) != signer:
            return "only a session note's author adds addenda to it"
    return None


def _change_refusal(
    table: str, units: set[str], change: Change, doc: Doc, author: str, people: People
) -> str | None:
    signer = change.signer
    if table == "members":
        return _member_refusal(units, change, doc, people)
    if table == "meta":
        if "title" in units and not people.is_owner(signer):
            return "only an owner changes the journal's title"
        if any(u.startswith("slot_owners.") for u in units) and not people.is_owner(signer):
            return "only an owner binds key slots"
        if units - META_ANYONE_UNITS - {"title"} - _prefixed(units, "slot_owners."):
            return None if signer == author else "only the creator changes the journal page"
        return None
    if table in IMMUTABLE_TABLES:
        if units == {DELETION} and table != "goal_events" and signer == author:
            return None
        return "it is written once and never changed"
    if table == "epochs":
        return None if units <= {"to"} else "an epoch's key never changes"
    if table == "entries":
        if signer != author and not _therapists_call(units, doc, signer, people):
            return "only its author edits or deletes an entry"
        if _after_finalizing(change, doc):
            return "the session note was finalized; only addenda may follow"
        return None
    if table in SHARED_TABLES:
        deleting_anothers = table == "goals" and DELETION in units and signer != author
        if deleting_anothers and not people.is_owner(signer):
            return "only its author or an owner deletes a goal"
        return None
    if table == "threads":
        return None if units <= THREAD_STATE_UNITS or signer == author else _not_author(table)
    if table == "resources":
        acknowledged = _prefixed(units, "acknowledged.")
        if any(unit != f"acknowledged.{signer}" for unit in acknowledged):
            return "each member marks only their own reading"
        return None if units <= acknowledged or signer == author else _not_author(table)
    if table == "requests":
        return None if units <= REQUEST_ANSWER_UNITS or signer == author else _not_author(table)
    return None if signer == author else _not_author(table)


THERAPISTS_CALL = "fields.function"
"""An ABC incident's hypothesized function is the therapist's call (journal.model.KIND_FIELDS)."""


def _therapists_call(units: set[str], doc: Doc, signer: str, people: People) -> bool:
    """A therapist writing only the hypothesized function of someone's ABC incident."""
    return (
        units == {THERAPISTS_CALL}
        and doc.get("kind") == "incident"
        and people.roles.get(signer) == "therapist"
    )


def _not_author(table: str) -> str:
    return f"only its author changes this record ({table})"


def _prefixed(units: Iterable[str], prefix: str) -> set[str]:
    return {unit for unit in units if unit.startswith(prefix)}


def _after_finalizing(change: Change, doc: Doc) -> bool:
    """True when `change` follows (its context covers) the finalizing of a session note."""
    if doc.get("kind") != "session":
        return False
    from journal.merge import covered
    from journal.signing import changes_of

    context = change.context
    for dot, other in changes_of(change.table, change.record_id, doc).items():
        if dot != change.dot and other.hashes.get("status") == _FINAL and covered(dot, context):
            return True
    return False


def _member_refusal(units: set[str], change: Change, doc: Doc, people: People) -> str | None:
    signer, member = change.signer, change.record_id
    for unit in units:
        head, _dot, sub = unit.partition(".")
        if unit in PROFILE_UNITS or head == "read":
            if signer != member:
                return "only the member themself edits their profile"
        elif unit in OWNER_UNITS:
            if not people.is_owner(signer):
                return "only an owner changes roles, owners and removals"
        elif head == "checked":
            if sub != signer:
                return "each member marks only their own checks"
        elif head == "slots":
            if signer != member and not people.is_owner(signer):
                return "only the member or an owner binds their key slots"
        elif unit == "keys":
            continue  # checked where keys are established (journal.membership)
        elif signer != member:
            return "only the member themself changes their record"
    return None
