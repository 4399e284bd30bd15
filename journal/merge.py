"""Merging copies of a journal: the rules of docs/SYNC.md as pure functions over records.

A stored record (a JSON object) carries, beside its data:

- `vv`: version vector, `{replica: counter}` of the changes it has seen;
- `dots`: `{"*": creation dot, unit: dot}`, the change that wrote each unit;
- `writes`: `{dot: [hlc, member id, utc wall time]}` for every dot in use;
- `conflicts`: `[{"unit", "value", "dot"}]`, concurrent values not shown;
- `deletion`: `{"at", "by", "vv"}` or None, the deletion unit.

`apply_local_change` stamps a local change; `merge_records` and
`merge_documents` join two copies.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from journal.clock import MAX_CLOCK_AHEAD_MS, format_hlc, parse_hlc

Doc = dict[str, Any]

# Keys that are not data units: identity, creation facts, merge metadata, derived display.
META_KEYS = frozenset(
    {
        "id",
        "author",
        "created_at",
        "updated_at",
        "updated_by",
        "deleted_at",
        "deleted_by",
        "vv",
        "dots",
        "writes",
        "conflicts",
        "hlc",
    }
)
# Dict-valued fields whose keys merge one by one.
KEYED_FIELDS = frozenset({"fields", "acknowledged", "slot_owners", "read"})
DELETION = "deletion"
# Tables whose records are never deleted; they do not count toward the mass-deletion guard.
UNDELETABLE_TABLES = frozenset({"meta", "members"})


# --- dots and vectors ------------------------------------------------------------


def make_dot(replica: str, counter: int) -> str:
    """The name of one change: `replica:counter`."""
    return f"{replica}:{counter}"


def split_dot(dot: str) -> tuple[str, int]:
    """(replica, counter) of a dot."""
    replica, _, counter = dot.rpartition(":")
    return replica, int(counter)


def covered(dot: str, vv: dict[str, int]) -> bool:
    """True if the vector has seen the change `dot`."""
    replica, counter = split_dot(dot)
    return vv.get(replica, 0) >= counter


def join_vv(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    """Pointwise maximum of two version vectors."""
    joined = dict(a)
    for replica, counter in b.items():
        if counter > joined.get(replica, 0):
            joined[replica] = counter
    return joined


# --- units -------------------------------------------------------------------------


def units(doc: Doc) -> dict[str, Any]:
    """The record's data units and their values (see docs/SYNC.md)."""
    found: dict[str, Any] = {}
    for key, value in doc.items():
        if key in META_KEYS:
            continue
        if key in KEYED_FIELDS and isinstance(value, dict):
            for sub, sub_value in value.items():
                found[f"{key}.{sub}"] = sub_value
        else:
            found[key] = value
    return found


def _set_unit(doc: Doc, unit: str, value: Any) -> None:
    head, dot, sub = unit.partition(".")
    if dot and head in KEYED_FIELDS:
        doc.setdefault(head, {})[sub] = value
    else:
        doc[unit] = value


def unit_dot(doc: Doc, unit: str) -> str:
    """The dot of the change that wrote `unit`."""
    dots: dict[str, str] = doc.get("dots") or {}
    return dots.get(unit) or dots.get("*", "")


def _same(a: Any, b: Any) -> bool:
    return _canonical(a) == _canonical(b)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def conflicting_units(doc: Doc) -> dict[str, list[dict[str, Any]]]:
    """Units with concurrent values that differ from the one shown: unit -> other versions.

    The deletion is never among them: concurrent deletions agree, and a
    deletion against an edit or a keep is settled by keeping or deleting the
    record (`deletion_overridden`, `deletion_disputed`).
    """
    if not doc.get("conflicts"):
        return {}
    shown = units(doc)
    found: dict[str, list[dict[str, Any]]] = {}
    for conflict in doc.get("conflicts") or ():
        unit = conflict["unit"]
        if unit == DELETION:
            continue
        if not _same(conflict["value"], shown.get(unit)):
            found.setdefault(unit, []).append(conflict)
    return found


def write_info(doc: Doc, dot: str) -> tuple[str, str, str]:
    """(hlc, member id, wall time) of a change, or empty strings if unknown."""
    info = (doc.get("writes") or {}).get(dot)
    if not info:
        return ("", "", "")
    return (info[0], info[1], info[2])


# --- local changes ----------------------------------------------------------------


def stamp_new(doc: Doc, dot: str, hlc: str, member: str, wall: str) -> Doc:
    """Stamp a newly created record: every unit is written by `dot`."""
    replica, counter = split_dot(dot)
    doc["vv"] = {replica: counter}
    doc["dots"] = {"*": dot}
    doc["writes"] = {dot: [hlc, member, wall]}
    doc["conflicts"] = []
    doc.setdefault(DELETION, None)
    _derive(doc)
    return doc


def changed_units(old: Doc, new: Doc) -> list[str]:
    """Units whose value differs between two versions of a record."""
    before, after = units(old), units(new)
    return sorted(
        unit
        for unit in set(before) | set(after)
        if unit not in before or unit not in after or not _same(before[unit], after[unit])
    )


def apply_local_change(
    old: Doc,
    new: Doc,
    dot: str,
    hlc: str,
    member: str,
    wall: str,
    *,
    touched: Iterable[str] = (),
) -> Doc:
    """Stamp `new`, an edited copy of `old`, as the change `dot`.

    The changed units, and the `touched` ones even if their value is the same
    (resolving a conflict by keeping the shown version), take the new dot and
    lose their conflicts: the change descends from every version this copy
    has seen. Returns `new`.
    """
    changed = sorted(set(changed_units(old, new)) | set(touched))
    replica, counter = split_dot(dot)
    vv = dict(old.get("vv") or {})
    vv[replica] = counter
    new["vv"] = vv
    dots = dict(old.get("dots") or {})
    for unit in changed:
        dots[unit] = dot
    new["dots"] = dots
    new["conflicts"] = [c for c in old.get("conflicts") or () if c["unit"] not in changed]
    if DELETION in changed and new.get(DELETION):
        new[DELETION] = {**new[DELETION], "vv": dict(vv)}
    writes = dict(old.get("writes") or {})
    writes[dot] = [hlc, member, wall]
    new["writes"] = writes
    _prune_writes(new)
    _derive(new)
    return new


# --- merging -----------------------------------------------------------------------


@dataclass
class ClockReport:
    """How far ahead of this machine the clocks of a merged copy were."""

    clamped: int = 0
    max_ahead_ms: int = 0


def clamp_clocks(doc: Doc, now_ms: int, report: ClockReport | None = None) -> Doc:
    """Clamp clock times more than MAX_CLOCK_AHEAD_MS ahead of `now_ms` (in place)."""
    bound = now_ms + MAX_CLOCK_AHEAD_MS
    writes = doc.get("writes") or {}
    changed = False
    for info in writes.values():
        millis, counter = parse_hlc(info[0])
        if millis > bound:
            if report is not None:
                report.clamped += 1
                report.max_ahead_ms = max(report.max_ahead_ms, millis - now_ms)
            info[0] = format_hlc(bound, counter)
            changed = True
    if changed:
        _derive(doc)
    return doc


def merge_records(a: Doc, b: Doc) -> Doc:
    """Join two copies of one record (docs/SYNC.md). Does not modify its arguments."""
    vv_a, vv_b = a.get("vv") or {}, b.get("vv") or {}
    units_a, units_b = units(a), units(b)
    candidates_a = _candidates(a, units_a)
    candidates_b = _candidates(b, units_b)
    writes = _join_writes(a.get("writes") or {}, b.get("writes") or {})

    # Creation facts come from the earlier creation. They only differ when two
    # copies created a record with the same id (a thread's state, say).
    star_a, star_b = (a.get("dots") or {}).get("*", ""), (b.get("dots") or {}).get("*", "")
    first = b if star_b and (not star_a or star_b < star_a) else a
    star = (first.get("dots") or {}).get("*", "")
    merged: Doc = {key: first[key] for key in ("id", "author", "created_at") if key in first}
    dots: dict[str, str] = {"*": star} if star else {}
    conflicts: list[dict[str, Any]] = []
    for unit in sorted(set(candidates_a) | set(candidates_b)):
        side_a = candidates_a.get(unit, {})
        side_b = candidates_b.get(unit, {})
        survivors: dict[str, Any] = {}
        for dot in sorted(set(side_a) | set(side_b)):
            in_a, in_b = dot in side_a, dot in side_b
            if in_a and in_b:
                value_a, value_b = side_a[dot], side_b[dot]
                survivors[dot] = value_a if _canonical(value_a) >= _canonical(value_b) else value_b
            elif in_a and not covered(dot, vv_b):
                survivors[dot] = side_a[dot]
            elif in_b and not covered(dot, vv_a):
                survivors[dot] = side_b[dot]
        if not survivors:
            continue
        # The latest clock is shown; of the deletion unit, a deletion before a keep
        # (so the notice can always say who deleted the record).
        ranked = sorted(
            survivors,
            key=lambda d: (unit != DELETION or bool(survivors[d]), _hlc_of(writes, d), d),
            reverse=True,
        )
        winner = ranked[0]
        _set_unit(merged, unit, survivors[winner])
        if winner != star:
            dots[unit] = winner
        for dot in ranked[1:]:
            conflicts.append({"unit": unit, "value": survivors[dot], "dot": dot})
    merged["vv"] = join_vv(vv_a, vv_b)
    merged["dots"] = dots
    merged["writes"] = writes
    merged["conflicts"] = conflicts
    for key in KEYED_FIELDS:
        if key in a or key in b:
            merged.setdefault(key, {})
    merged.setdefault(DELETION, None)
    _prune_writes(merged)
    _derive(merged)
    return merged


def _candidates(doc: Doc, shown: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for unit, value in shown.items():
        found.setdefault(unit, {})[unit_dot(doc, unit)] = value
    for conflict in doc.get("conflicts") or ():
        found.setdefault(conflict["unit"], {})[conflict["dot"]] = conflict["value"]
    return found


def _join_writes(a: dict[str, list[str]], b: dict[str, list[str]]) -> dict[str, list[str]]:
    joined = {dot: list(info) for dot, info in a.items()}
    for dot, info in b.items():
        mine = joined.get(dot)
        if mine is None or list(info) < mine:
            joined[dot] = list(info)
    return joined


def _hlc_of(writes: dict[str, list[str]], dot: str) -> str:
    info = writes.get(dot)
    return info[0] if info else ""


def _prune_writes(doc: Doc) -> None:
    used = {unit_dot(doc, unit) for unit in units(doc)}
    used.update(c["dot"] for c in doc.get("conflicts") or ())
    dots = doc.get("dots") or {}
    used.update(dots.values())
    doc["writes"] = {dot: info for dot, info in (doc.get("writes") or {}).items() if dot in used}


def _versions(doc: Doc, unit: str) -> list[tuple[str, Any]]:
    """(dot, value) of every concurrent version of one unit: the shown one first."""
    shown = units(doc)
    found = [(unit_dot(doc, unit), shown[unit])] if unit in shown else []
    found += [(c["dot"], c["value"]) for c in doc.get("conflicts") or () if c["unit"] == unit]
    return found


def deletion_effective(doc: Doc) -> bool:
    """True when the record is deleted (docs/SYNC.md, "Deletion").

    Every concurrent version of the deletion unit is a deletion (none is a
    keep), and every concurrent version of every other unit, shown or kept
    in `conflicts`, was seen by one of those deletions.
    """
    deletions = [value for _dot, value in _versions(doc, DELETION)]
    if not deletions or not all(deletions):
        return False
    context: dict[str, int] = {}
    for deletion in deletions:
        context = join_vv(context, deletion.get("vv") or {})
    edits = [unit_dot(doc, unit) for unit in units(doc) if unit != DELETION]
    edits += [c["dot"] for c in doc.get("conflicts") or () if c["unit"] != DELETION]
    return all(covered(dot, context) for dot in edits)


def deletion_overridden(doc: Doc) -> bool:
    """True when a deletion is not in effect: a concurrent edit or keep beat it.

    The record stays, with a notice, until a member keeps or deletes it.
    """
    deleted = any(value for _dot, value in _versions(doc, DELETION))
    return deleted and not deletion_effective(doc)


def deletion_disputed(doc: Doc) -> bool:
    """True when one member kept the record while another deleted it, concurrently.

    The record stays live and in conflict until a member keeps or deletes it.
    """
    values = [value for _dot, value in _versions(doc, DELETION)]
    return any(values) and not all(values)


def _derive(doc: Doc) -> None:
    """Recompute the display fields: deleted_at/by, updated_at/by and hlc."""
    deletion = doc.get(DELETION)
    if deletion and deletion_effective(doc):  # the shown deletion is the latest one
        doc["deleted_at"], doc["deleted_by"] = deletion.get("at"), deletion.get("by")
    else:
        doc["deleted_at"] = doc["deleted_by"] = None
    writes = doc.get("writes") or {}
    shown = {unit_dot(doc, unit) for unit in units(doc)}
    latest = max((writes[d] for d in shown if d in writes), key=lambda info: info[0], default=None)
    if latest is not None:
        doc["hlc"], doc["updated_by"], doc["updated_at"] = latest[0], latest[1], latest[2]


# --- whole documents ---------------------------------------------------------------


@dataclass
class TableChanges:
    """What a merge did to one table."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)  # conflicts resolved on the other copy
    metadata: list[str] = field(default_factory=list)  # only merge metadata changed

    def total(self) -> int:
        """How many records this table's report mentions."""
        return len(self.added) + len(self.changed) + len(self.deleted)


@dataclass
class MergeReport:
    """The change report of merging a copy into a journal."""

    tables: dict[str, TableChanges] = field(default_factory=dict)
    clock: ClockReport = field(default_factory=ClockReport)
    live_before: int = 0
    preview: Doc | None = None  # the merged document of a dry run, to describe it

    @property
    def deleted_count(self) -> int:
        """Records the merge deletes."""
        return sum(len(t.deleted) for t in self.tables.values())

    @property
    def empty(self) -> bool:
        """True when the merge brought nothing a person would notice."""
        return all(
            not (t.added or t.changed or t.deleted or t.conflicts or t.resolved)
            for t in self.tables.values()
        )

    @property
    def changed_anything(self) -> bool:
        """True when the merged journal differs from the local one at all."""
        return not self.empty or any(t.metadata for t in self.tables.values())

    def deletes_too_much(self, share: float = 0.5, at_least: int = 3) -> bool:
        """True when the merge would delete more than `share` of the live records.

        A handful of deletions (fewer than `at_least`) never trips the guard, so
        a new journal with two entries does not ask about deleting one.
        """
        deleted = self.deleted_count
        return deleted >= at_least and deleted > share * self.live_before


def merge_documents(
    local: Doc, remote: Doc, *, tables: Iterable[str], now_ms: int | None = None
) -> tuple[Doc, MergeReport]:
    """Join a remote copy's document into the local one; returns (merged, report).

    Neither argument is modified. With `now_ms`, the remote copy's clock
    times are clamped to at most MAX_CLOCK_AHEAD_MS after it.
    """
    report = MergeReport()
    merged: Doc = {key: value for key, value in local.items() if not isinstance(value, dict)}
    merged["tandem"] = max(local.get("tandem", 1), remote.get("tandem", 1))
    clocks = [c for c in (local.get("clock"), remote.get("clock")) if isinstance(c, str)]
    if clocks:
        merged["clock"] = max(clocks)  # the latest clock time anyone issued
    for name in tables:
        if name not in local and name not in remote:
            continue
        mine: dict[str, Doc] = local.get(name) or {}
        theirs: dict[str, Doc] = remote.get(name) or {}
        out: dict[str, Doc] = {}
        changes = TableChanges()
        for record_id, doc in mine.items():
            if doc.get("deleted_at") is None and name not in UNDELETABLE_TABLES:
                report.live_before += 1
            other = theirs.get(record_id)
            if other is None or other == doc:  # most records: not changed on either side
                out[record_id] = doc
                continue
            if now_ms is not None:
                other = clamp_clocks(_copy(other), now_ms, report.clock)
            result = merge_records(doc, other)
            out[record_id] = result
            _describe(doc, result, record_id, changes)
        for record_id, other in theirs.items():
            if record_id in mine:
                continue
            if now_ms is not None:
                other = clamp_clocks(_copy(other), now_ms, report.clock)
            out[record_id] = other
            changes.added.append(record_id)
            if conflicting_units(other):
                changes.conflicts.append(record_id)
        merged[name] = out
        report.tables[name] = changes
    return merged, report


def _describe(before: Doc, after: Doc, record_id: str, changes: TableChanges) -> None:
    if _canonical(before) == _canonical(after):
        return
    was_deleted = before.get("deleted_at") is not None
    is_deleted = after.get("deleted_at") is not None
    if is_deleted and not was_deleted:
        changes.deleted.append(record_id)
    elif was_deleted and not is_deleted:
        changes.restored.append(record_id)
        changes.changed.append(record_id)
    elif changed_units(before, after):
        changes.changed.append(record_id)
    conflicts_before, conflicts_after = (
        set(conflicting_units(before)),
        set(conflicting_units(after)),
    )
    if conflicts_after - conflicts_before:
        changes.conflicts.append(record_id)
    elif conflicts_before - conflicts_after:
        changes.resolved.append(record_id)
    if not any(record_id in group for group in (changes.changed, changes.deleted)):
        changes.metadata.append(record_id)


def _copy(doc: Doc) -> Doc:
    copied: Doc = json.loads(json.dumps(doc))
    return copied
