"""What a merge brought, described once for the app and the command line.

`describe_merge(report, before=..., after=...)` looks the records a
`MergeReport` names up in the journal document before and after the merge,
and returns a `MergeDescription` that says it in each form needed:

- `lines()`: short sentences for a person (the app's notices, the import
  preview): "2 new entries from Dr. Lee", "1 conflict to resolve: Tuesday (body)";
- `line()`: one line per received copy (`tandem merge`, `tandem sync`):
  "entries +3 ~1 -0, comments +2; 1 conflict: Tuesday (body)";
- `summary()`: the note when a save merged the file on disk: "2 entries added, 1 changed";
- `to_json()`: what `tandem merge --json` and `tandem sync --json` print for a copy.

Records are named the same way everywhere (`RECORD_TYPE`, `noun`,
`record_name`), and `conflict_state` says what of a stored record is in
conflict. Every label is made safe for a terminal (`journal.text`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from journal.text import clip, plural, plural_form, safe_line

if TYPE_CHECKING:
    from journal.merge import ClockReport, MergeReport

Doc = dict[str, Any]

SHORT_ID = 8
"""How many characters of a record id are shown (any unique prefix finds it)."""

LABEL_WIDTH = 40
"""At most this many terminal cells of a record's name in a report."""

RECORD_TYPE = {
    "meta": "journal",
    "members": "member",
    "entries": "entry",
    "goals": "goal",
    "measurements": "measurement",
    "comments": "comment",
    "threads": "thread",
    "resources": "resource",
    "sessions": "session",
    "events": "event",
}
"""What one record of each table is called in JSON (`"type"`); other tables keep their name."""

OTHER_NOUNS = {"meta": "journal page", "goal_events": "goal move", "requests": "change request"}
"""What one record of a table is called in a report where that is not its JSON `"type"`."""

PEOPLE_SKIP = frozenset({"meta", "threads"})
"""Tables whose changes the sentences for people leave out (sync details, thread states)."""

NEW_SLOTS = ("new passphrase or invitation", "new passphrases or invitations")

_DAY_MS = 24 * 3600 * 1000


def short_id(record_id: str) -> str:
    """The first characters of a record id, as listings show it."""
    return record_id[:SHORT_ID]


def record_type(table: str) -> str:
    """What one record of `table` is called in JSON: 'entry', 'goal', ..."""
    return RECORD_TYPE.get(table, table)


def noun(table: str) -> tuple[str, str]:
    """What one and several records of `table` are called: ('entry', 'entries')."""
    one = OTHER_NOUNS.get(table) or RECORD_TYPE.get(table)
    if one is None:
        return table, table
    return one, plural_form(one)


def record_name(table: str, doc: Mapping[str, Any] | None, record_id: str) -> str:
    """What a record is called: its title, a member's name, a session's time, ..."""
    if doc is None:
        return short_id(record_id)
    match table:
        case "meta":
            return "the journal page"
        case "members":
            return str(doc.get("name") or "a member")
        case "sessions":
            return f"session of {str(doc.get('starts_at') or '').replace('T', ' ')}"
        case "measurements":
            return f"measurement of {doc.get('date') or '?'}"
        case "comments":
            return f"comment {short_id(record_id)}"
        case "threads" if not doc.get("title"):
            return f"thread state {short_id(record_id)}"
    return str(doc.get("title") or short_id(record_id))


def record_label(table: str, doc: Mapping[str, Any] | None, record_id: str) -> str:
    """A record's name made safe and short enough for a report line."""
    return clip(safe_line(record_name(table, doc, record_id)), LABEL_WIDTH)


def conflict_state(doc: Doc | None) -> tuple[list[str], bool]:
    """(units in conflict, deletion overridden) of a stored record; none for a tombstone."""
    if doc is None or not (doc.get("conflicts") or doc.get("deletion")):
        return [], False
    if doc.get("deleted_at") is not None:
        return [], False  # nothing to resolve on a tombstone (two copies both deleted it)
    from journal.merge import conflicting_units, deletion_overridden

    return sorted(conflicting_units(doc)), deletion_overridden(doc)


def needs_attention(doc: Doc | None) -> bool:
    """True when a stored record has a conflict or an overridden deletion to settle."""
    units, overridden = conflict_state(doc)
    return bool(units) or overridden


def ahead_text(millis: int) -> str:
    """How far a clock was ahead, in words: '3 days', '5 hours', '1 minute'."""
    if millis >= 2 * _DAY_MS:
        return f"{millis // _DAY_MS} days"
    hours = millis // (3600 * 1000)
    if hours >= 2:
        return f"{hours} hours"
    return plural(max(millis // 60000, 1), "minute")


def clock_warning(clock: ClockReport) -> str | None:
    """The warning when a merged copy's clock was ahead of this computer's, else None."""
    if not clock.clamped:
        return None
    return (
        f"that copy's clock was {ahead_text(clock.max_ahead_ms)} ahead; "
        "its changes are ordered as if made now"
    )


# Plain classes rather than dataclasses or NamedTuples: `tandem` imports this module at
# start-up, and making a dataclass costs about a millisecond (a NamedTuple compiles its
# annotations).


class ConflictNote:
    """A record that a merge left with versions to choose from."""

    __slots__ = ("table", "record_id", "label", "units")

    def __init__(self, table: str, record_id: str, label: str, units: list[str]) -> None:
        self.table = table
        self.record_id = record_id
        self.label = label
        self.units = units  # the fields in conflict ([] when the merged record was not looked at)


class KeptRecord:
    """A record deleted on one copy and changed on another, so kept, with a notice."""

    __slots__ = ("table", "record_id", "label")

    def __init__(self, table: str, record_id: str, label: str) -> None:
        self.table = table
        self.record_id = record_id
        self.label = label


class HeldNote:
    """Changes of one member that a merge did not apply, for one reason (docs/SYNC.md)."""

    __slots__ = ("member", "reason", "count", "detail", "local")

    def __init__(self, member: str, reason: str, count: int, detail: str, local: bool) -> None:
        self.member = member  # the name of the member the changes claim
        self.reason = reason  # unsigned, invalid, refused or removed
        self.count = count
        self.detail = detail  # the rule a refused change broke
        self.local = local  # held from this journal itself: a removal that arrived cut them off

    def sentence(self) -> str:
        """'2 changes in Dad's name are not signed by their author and were not applied'."""
        count, who = plural(self.count, "change"), self.member
        were = "were" if self.count != 1 else "was"
        are = "are" if self.count != 1 else "is"
        if self.reason == "removed":
            return f"{count} by {who} {were} made after {who} was removed and {were} not applied"
        if self.reason == "refused":
            return f"{count} by {who} {were} not {who}'s to make ({self.detail}): not applied"
        if self.reason == "unsigned":
            return f"{count} in {who}'s name {are} not signed (made before format 3): not applied"
        return f"{count} in {who}'s name {are} not signed by their author and {were} not applied"


class MergeDescription:
    """What merging one copy did, looked up in the documents, ready to say or print."""

    def __init__(
        self,
        report: MergeReport,
        *,
        name: str = "",
        conflicts: list[ConflictNote] | None = None,
        kept: list[KeptRecord] | None = None,
        slots: int = 0,
        slots_only: frozenset[str] = frozenset(),
        new_by_author: dict[str, dict[str, int]] | None = None,
        held: list[HeldNote] | None = None,
        membership: list[str] | None = None,
    ) -> None:
        self.report = report
        self.name = name  # the copy's file name, for JSON
        self.conflicts = conflicts or []
        self.kept = kept or []  # deletions beaten by an edit
        self.slots = slots  # passphrases and invitations the copy brought (slot_owners)
        self.slots_only = slots_only  # journal pages changed only in slot_owners
        self.new_by_author = new_by_author or {}  # table: author's name: records added
        self.held = held or []  # changes not applied, by member and reason
        self.membership = membership or []  # "Dr Lee joined", "Dad was removed by Ana"

    @property
    def nothing_new(self) -> bool:
        """True when the merge brought nothing a person would notice (nor held anything)."""
        return bool(self.report.empty) and not self.held

    @property
    def held_count(self) -> int:
        """Changes the merge did not apply."""
        return sum(note.count for note in self.held)

    @property
    def resolved(self) -> int:
        """Conflicts the other copy had resolved."""
        return sum(len(t.resolved) for t in self.report.tables.values())

    def _changed(self, table: str, ids: list[str]) -> list[str]:
        """The changed records, less journal pages and members changed only in their slots."""
        if table not in ("meta", "members"):
            return ids
        return [i for i in ids if i not in self.slots_only]

    def lines(self) -> list[str]:
        """Short sentences for a person: '2 new entries from Dr. Lee', '1 goal changed'."""
        lines: list[str] = []
        for table, changes in self.report.tables.items():
            if table in PEOPLE_SKIP:
                continue
            one, many = noun(table)
            for author, count in sorted(self.new_by_author.get(table, {}).items()):
                lines.append(f"{plural(count, f'new {one}', f'new {many}')} from {author}")
            for verb, ids in (
                ("changed", self._changed(table, changes.changed)),
                ("deleted", changes.deleted),
            ):
                if ids:
                    lines.append(f"{plural(len(ids), one, many)} {verb}")
        for conflict in self.conflicts:
            units = f" ({', '.join(conflict.units)})" if conflict.units else ""
            lines.append(f"1 conflict to resolve: {conflict.label}{units}")
        if self.kept:
            lines.append(f"kept despite a deletion: {', '.join(k.label for k in self.kept)}")
        if self.slots:
            lines.append(plural(self.slots, *NEW_SLOTS))
        if self.resolved:
            lines.append(f"{plural(self.resolved, 'conflict')} resolved on the other copy")
        lines.extend(self.membership)
        lines.extend(note.sentence() for note in self.held)
        if warning := clock_warning(self.report.clock):
            lines.append(warning)
        return lines

    def line(self) -> str:
        """One line for a received copy: 'entries +3 ~1 -0, comments +2; 1 conflict: Tuesday
        (body)'; counts are added (+), changed (~) and deleted (-) records."""
        if self.nothing_new:
            return "nothing new"
        counts = []
        for table, changes in self.report.tables.items():
            added, deleted = len(changes.added), len(changes.deleted)
            changed = len(self._changed(table, changes.changed))
            if not (added or changed or deleted):
                continue
            label = noun(table)[1]
            if table == "comments" and not (changed or deleted):
                counts.append(f"{label} +{added}")
            else:
                counts.append(f"{label} +{added} ~{changed} -{deleted}")
        parts = [", ".join(counts)] if counts else []
        if self.slots:
            parts.append(plural(self.slots, *NEW_SLOTS))
        if self.conflicts:
            shown = ", ".join(
                f"{c.label} ({', '.join(c.units)})" if c.units else c.label for c in self.conflicts
            )
            parts.append(f"{plural(len(self.conflicts), 'conflict')}: {shown}")
        if self.kept:
            parts.append(f"kept despite a deletion: {', '.join(k.label for k in self.kept)}")
        if self.resolved:
            parts.append(f"{plural(self.resolved, 'conflict')} resolved on that copy")
        parts.extend(self.membership)
        if self.held:
            parts.append(f"{plural(self.held_count, 'change')} not applied: " + held_words(self))
        return "; ".join(parts) or "only sync details changed"

    def summary(self) -> str:
        """'2 entries added, 1 changed; 1 comment added; 1 new conflict' (a merge on save)."""
        parts = []
        for table, changes in self.report.tables.items():
            one, many = noun(table)
            bits: list[str] = []
            for verb, ids in (
                ("added", changes.added),
                ("changed", self._changed(table, changes.changed)),
                ("deleted", changes.deleted),
            ):
                if ids:
                    # The noun goes with the first count only: '2 entries added, 1 changed'.
                    count = plural(len(ids), one, many) if not bits else str(len(ids))
                    bits.append(f"{count} {verb}")
            if bits:
                parts.append(", ".join(bits))
        if self.slots:
            parts.append(plural(self.slots, *NEW_SLOTS))
        conflicts = sum(len(t.conflicts) for t in self.report.tables.values())
        if conflicts:
            parts.append(plural(conflicts, "new conflict"))
        if self.resolved:
            parts.append(f"{plural(self.resolved, 'conflict')} resolved")
        if self.held:
            parts.append(f"{plural(self.held_count, 'change')} not applied")
        return "; ".join(parts) or "nothing new"

    def to_json(self) -> dict[str, Any]:
        """The copy's report as JSON: changed ids per table, conflicts, guards and clocks."""
        fields = ("added", "changed", "deleted", "conflicts", "resolved", "restored")
        report = self.report
        return {
            "file": self.name,
            "nothing_new": self.nothing_new,
            "tables": {
                table: {name: list(getattr(changes, name)) for name in fields}
                for table, changes in report.tables.items()
                if any(getattr(changes, name) for name in fields)
            },
            "conflicts": [
                {
                    "type": record_type(c.table),
                    "id": c.record_id,
                    "title": c.label,
                    "fields": c.units,
                }
                for c in self.conflicts
            ],
            "deletions_overridden": [
                {"type": record_type(k.table), "id": k.record_id, "title": k.label}
                for k in self.kept
            ],
            "new_passphrases_or_invitations": self.slots,
            "membership": list(self.membership),
            "held": [
                {
                    "table": held.table,
                    "id": held.record_id,
                    "change": held.dot,
                    "member": held.member,
                    "reason": held.reason,
                    "detail": held.detail,
                    "from_this_journal": held.local,
                }
                for held in report.held
            ],
            "deleted": report.deleted_count,
            "live_before": report.live_before,
            "deletes_too_much": report.deletes_too_much(),
            "clock": {"clamped": report.clock.clamped, "max_ahead_ms": report.clock.max_ahead_ms},
        }


def describe_merge(
    report: MergeReport,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    name: str = "",
) -> MergeDescription:
    """Describe a merge, looking its records up in the documents before and after it.

    Without `before`, new passphrases and invitations are not counted and every
    kept record is named; without `after` (a merge that was refused), conflicts
    are named without their fields and new records without their authors.
    """
    from journal.merge import changed_units

    old_doc: Mapping[str, Any] = before or {}
    new_doc: Mapping[str, Any] = after or {}
    slots = 0
    slots_only: set[str] = set()
    for table, prefix in (("meta", "slot_owners."), ("members", "slots.")):
        changes = report.tables.get(table)
        for record_id in changes.changed if changes is not None else ():
            old = old_doc.get(table, {}).get(record_id)
            new = new_doc.get(table, {}).get(record_id)
            if old is None or new is None:
                continue
            units = changed_units(old, new)
            bound = [u for u in units if u.startswith(prefix)]
            known = old.get(prefix[:-1], {})
            slots += sum(
                1
                for u in bound
                if u.removeprefix(prefix) not in known
                and new.get(prefix[:-1], {}).get(u.removeprefix(prefix)) != "revoked"
            )
            quiet = [u for u in units if u.startswith(prefix) or _quiet(table, u, new)]
            if quiet and len(quiet) == len(units):
                slots_only.add(record_id)
    conflicts: list[ConflictNote] = []
    kept: list[KeptRecord] = []
    for table, changes in report.tables.items():
        merged = new_doc.get(table, {})
        previous = old_doc.get(table, {})
        for record_id in changes.conflicts:
            doc = merged.get(record_id) or previous.get(record_id)
            units, _ = conflict_state(merged.get(record_id))
            if after is not None and not units:
                continue
            if doc is not None and doc.get("deleted_at") is not None:
                continue  # a tombstone: nothing to resolve
            label = record_label(table, doc, record_id)
            conflicts.append(ConflictNote(table, record_id, label, units))
        for record_id in changes.changed:
            doc = merged.get(record_id)
            if doc is None or not conflict_state(doc)[1]:
                continue
            if conflict_state(previous.get(record_id))[1]:
                continue  # the notice was already there
            kept.append(KeptRecord(table, record_id, record_label(table, doc, record_id)))
    members = {**old_doc.get("members", {}), **new_doc.get("members", {})}
    return MergeDescription(
        report,
        name=name,
        conflicts=conflicts,
        kept=kept,
        slots=slots,
        slots_only=frozenset(slots_only),
        new_by_author=_new_by_author(report, new_doc),
        held=held_notes(report, members),
        membership=membership_changes(report, old_doc, new_doc) if after is not None else [],
    )


def held_notes(report: MergeReport, members: Mapping[str, Any]) -> list[HeldNote]:
    """The changes a merge held aside, counted by the member they claim and why."""
    counts: dict[tuple[str, str, bool], HeldNote] = {}
    for held in report.held:
        doc = members.get(held.member)
        name = safe_line(str((doc or {}).get("name") or "someone"))
        key = (name, held.reason, held.local)
        note = counts.get(key)
        if note is None:
            counts[key] = HeldNote(name, held.reason, 1, held.detail, held.local)
        else:
            note.count += 1
    return list(counts.values())


def held_words(description: MergeDescription) -> str:
    """Why a copy's changes were not applied, in a few words per member."""
    words = {
        "unsigned": "not signed",
        "invalid": "not signed by their author",
        "refused": "not theirs to make",
        "removed": "made after a removal",
    }
    return ", ".join(
        f"{note.count} by {note.member} {words[note.reason]}" for note in description.held
    )


MEMBERSHIP_UNITS = ("role", "owner", "removed", "keys")
"""A member record's units whose change is a change of membership (docs/SYNC.md)."""


def membership_changes(
    report: MergeReport, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[str]:
    """What a merge changed in who is in the journal and who decides, one sentence each."""
    from journal.merge import changed_units

    changes = report.tables.get("members")
    if changes is None:
        return []
    old, new = before.get("members", {}), after.get("members", {})
    names = {m: safe_line(str(doc.get("name") or "someone")) for m, doc in new.items()}
    lines = [f"{names.get(m, 'someone')} joined" for m in changes.added if m in new]
    for member_id in changes.changed:
        was, now = old.get(member_id), new.get(member_id)
        if was is None or now is None:
            continue
        name = names.get(member_id, "someone")
        units = set(changed_units(was, now))
        removed = now.get("removed")
        if "removed" in units and isinstance(removed, dict):
            lines.append(f"{name} was removed by {names.get(str(removed.get('by')), 'an owner')}")
        elif "removed" in units:
            lines.append(f"{name} is a member again")
        if "owner" in units:
            lines.append(f"{name} is {'now' if now.get('owner') else 'no longer'} an owner")
        if "role" in units:
            lines.append(f"{name} is now {now.get('role')}")
        keys = now.get("keys")
        if "keys" in units and isinstance(keys, dict) and keys.get("via") == "reset":
            lines.append(f"{name}'s keys were reset (their safety number changed)")
    return lines


def membership_changed(
    report: MergeReport, before: Mapping[str, Any], after: Mapping[str, Any]
) -> bool:
    """True when a merge adds or removes a member, or changes a role, an owner or keys."""
    from journal.merge import changed_units

    changes = report.tables.get("members")
    if changes is None:
        return False
    if changes.added:
        return True
    old, new = before.get("members", {}), after.get("members", {})
    for member_id in changes.changed:
        if old.get(member_id) is None or new.get(member_id) is None:
            continue
        units = changed_units(old[member_id], new[member_id])
        if any(unit in MEMBERSHIP_UNITS for unit in units):
            keys = new[member_id].get("keys")
            quiet = units == ["keys"] or set(units) <= {"keys"} | {
                u for u in units if u.startswith("slots.")
            }
            if quiet and isinstance(keys, dict) and keys.get("via") in ("accepted", "upgrade"):
                continue
            return True
    return False


def _quiet(table: str, unit: str, new: Mapping[str, Any]) -> bool:
    """A member record's unit that says nothing a person needs told after a passphrase change.

    A member's checked marks, and the keys an invited member took for their own
    or a member introduced at the upgrade (their passphrase counts as new).
    """
    if table != "members":
        return False
    if unit.startswith("checked."):
        return True
    keys = new.get("keys")
    return unit == "keys" and isinstance(keys, dict) and keys.get("via") in ("accepted", "upgrade")


def _new_by_author(report: MergeReport, document: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """How many live records each member added, per table, by name ('someone' if unknown)."""
    members = document.get("members", {})
    names = {member_id: doc.get("name") or "someone" for member_id, doc in members.items()}
    found: dict[str, dict[str, int]] = {}
    for table, changes in report.tables.items():
        records = document.get(table, {})
        for record_id in changes.added:
            doc = records.get(record_id)
            if doc is None or doc.get("deleted_at") is not None:
                continue
            author = safe_line(str(names.get(doc.get("author", ""), "someone")))
            counts = found.setdefault(table, {})
            counts[author] = counts.get(author, 0) + 1
    return found
