"""Merging copies of a journal: the rules of docs/SYNC.md as pure functions over records.

A stored record (a JSON object) carries, beside its data:

- `vv`: version vector, `{replica: counter}` of the changes it has seen;
- `dots`: `{"*": creation dot, unit: dot}`, the change that wrote each unit;
- `writes`: `{dot: [hlc, member id, utc wall time, signature]}` for every dot in
  use (no signature in formats 1 and 2, docs/SYNC.md "Signatures");
- `conflicts`: `[{"unit", "value", "dot"}]`, concurrent values not shown;
- `deletion`: `{"at", "by", "vv"}` or None, the deletion unit.

`apply_local_change` stamps a local change; `merge_records` and
`merge_documents` join two copies. Records whose changes are signed merge by
rules version 3 (a value is replaced only by a change whose *signed* context
covers it); unsigned ones by rules version 2. `merge_documents` lets a
checker (journal.membership) hold aside the changes it does not accept.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from journal.clock import MAX_CLOCK_AHEAD_MS, format_hlc, parse_hlc
from journal.signing import SIG, context_of, signature_of, value_hash

if TYPE_CHECKING:
    from journal.membership import Checker, Held

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
KEYED_FIELDS = frozenset({"fields", "acknowledged", "slot_owners", "read", "checked", "slots"})
DELETION = "deletion"
# Tables whose records are never deleted; they do not count toward the mass-deletion guard.
UNDELETABLE_TABLES = frozenset({"meta", "members", "epochs"})


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


def removed_units(doc: Doc) -> dict[str, str]:
    """Units a change removed from the record (named in `dots`, with no value): unit -> dot."""
    dots: dict[str, str] = doc.get("dots") or {}
    if len(dots) <= 1:
        return {}
    present = units(doc)
    return {unit: dot for unit, dot in dots.items() if unit != "*" and unit not in present}


def candidate_values(doc: Doc) -> dict[str, dict[str, Any]]:
    """Every candidate of every unit: unit -> {dot: value} (a removed unit's value is None).

    The shown value, the values kept in `conflicts`, and the units a change
    removed (docs/SYNC.md, "Merging one record").
    """
    found: dict[str, dict[str, Any]] = {}
    for unit, value in units(doc).items():
        found[unit] = {unit_dot(doc, unit): value}
    for unit, dot in removed_units(doc).items():
        found.setdefault(unit, {})[dot] = None
    for conflict in doc.get("conflicts") or ():
        found.setdefault(conflict["unit"], {})[conflict["dot"]] = conflict["value"]
    return found


def is_signed(doc: Doc) -> bool:
    """True when any change of the record is signed (rules version 3 apply)."""
    return any(signature_of(info) is not None for info in (doc.get("writes") or {}).values())


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
    retired = _replaced(old, changed, dot) if is_signed(old) else []
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
    _retire(writes, retired)
    _prune_writes(new)
    _derive(new)
    return new


def _replaced(old: Doc, changed: Iterable[str], dot: str) -> list[tuple[str, str, Any]]:
    """(unit, dot, value) of the candidates a change of `changed` units replaces."""
    candidates = candidate_values(old)
    return [
        (unit, old_dot, value)
        for unit in changed
        for old_dot, value in candidates.get(unit, {}).items()
        if old_dot != dot
    ]


def _retire(writes: dict[str, list[Any]], gone: Iterable[tuple[str, str, Any]]) -> None:
    """Keep the hash of each value no longer in the record in its signed write's `h`.

    The signature covers every unit its change wrote; the values still in
    the record give their hashes again, the others are kept (docs/SYNC.md).
    Writes are replaced, never changed in place (they may be shared).
    """
    for unit, dot, value in gone:
        info = writes.get(dot)
        signature = signature_of(info)
        if info is None or signature is None:
            continue
        kept = dict(signature.get("h") or {})
        kept[unit] = value_hash(value)
        writes[dot] = [*info[:SIG], {**signature, "h": kept}]


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
            signature = signature_of(info)
            if signature is not None and "t" not in signature:
                signature["t"] = info[0]  # the time that was signed
            info[0] = format_hlc(bound, counter)
            changed = True
    if changed:
        _derive(doc)
    return doc


def merge_records(a: Doc, b: Doc) -> Doc:
    """Join two copies of one record (docs/SYNC.md). Does not modify its arguments.

    Signed records merge by rules version 3: both copies hold only accepted
    changes (a checker held the others aside), a candidate in one copy only
    is dropped when the other copy has a candidate of the same unit whose
    *signed* context covers it, and the record's `vv` is the join of its
    candidates' contexts and dots. Unsigned records (formats 1 and 2) merge
    by rules version 2: dropped when the other copy's `vv` covers it.
    """
    signed = is_signed(a) or is_signed(b)
    vv_a, vv_b = a.get("vv") or {}, b.get("vv") or {}
    writes_a, writes_b = a.get("writes") or {}, b.get("writes") or {}
    if signed:
        candidates_a, candidates_b = candidate_values(a), candidate_values(b)
        removed = {**removed_units(b), **removed_units(a)}
    else:
        candidates_a, candidates_b = _candidates(a, units(a)), _candidates(b, units(b))
        removed = {}

    def replaced(dot: str, other_side: dict[str, Any], other: Doc) -> bool:
        """True when the other copy has seen the candidate `dot` and replaced it."""
        if not signed:
            return covered(dot, other.get("vv") or {})
        return _replaced_in(dot, other_side, other.get("writes") or {})

    writes = _join_writes(writes_a, writes_b)
    # Creation facts come from the earlier creation. They only differ when two
    # copies created a record with the same id (a thread's state, say).
    star_a, star_b = (a.get("dots") or {}).get("*", ""), (b.get("dots") or {}).get("*", "")
    first = b if star_b and (not star_a or star_b < star_a) else a
    star = (first.get("dots") or {}).get("*", "")
    merged: Doc = {key: first[key] for key in ("id", "author", "created_at") if key in first}
    dots: dict[str, str] = {"*": star} if star else {}
    conflicts: list[dict[str, Any]] = []
    dropped: list[tuple[str, str, Any]] = []
    for unit in sorted(set(candidates_a) | set(candidates_b)):
        side_a = candidates_a.get(unit, {})
        side_b = candidates_b.get(unit, {})
        survivors: dict[str, Any] = {}
        for dot in sorted(set(side_a) | set(side_b)):
            in_a, in_b = dot in side_a, dot in side_b
            if in_a and in_b:
                value_a, value_b = side_a[dot], side_b[dot]
                survivors[dot] = value_a if _canonical(value_a) >= _canonical(value_b) else value_b
            elif in_a and replaced(dot, side_b, b):
                dropped.append((unit, dot, side_a[dot]))
            elif in_b and replaced(dot, side_a, a):
                dropped.append((unit, dot, side_b[dot]))
            else:
                survivors[dot] = side_a[dot] if in_a else side_b[dot]
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
        if removed.get(unit) != winner or survivors[winner] is not None:
            _set_unit(merged, unit, survivors[winner])
        if winner != star:
            dots[unit] = winner
        for dot in ranked[1:]:
            conflicts.append({"unit": unit, "value": survivors[dot], "dot": dot})
    merged["dots"] = dots
    merged["writes"] = writes
    merged["conflicts"] = conflicts
    merged["vv"] = signed_vv(merged) if signed else join_vv(vv_a, vv_b)
    for key in KEYED_FIELDS:
        if key in a or key in b:
            merged.setdefault(key, {})
    merged.setdefault(DELETION, None)
    if signed:
        _keep_hashes(merged, (writes_a, candidates_a), (writes_b, candidates_b), dropped)
    _prune_writes(merged)
    _derive(merged)
    return merged


def signed_vv(doc: Doc) -> dict[str, int]:
    """A signed record's version vector: the join of its candidates' contexts and dots."""
    writes = doc.get("writes") or {}
    vv: dict[str, int] = {}
    for by_dot in candidate_values(doc).values():
        for dot in by_dot:
            vv = join_vv(vv, context_of(writes.get(dot)))
            replica, counter = split_dot(dot)
            vv[replica] = max(vv.get(replica, 0), counter)
    return vv


def _replaced_in(dot: str, side: dict[str, Any], writes: dict[str, list[Any]]) -> bool:
    """True when one of a copy's candidates `side` of a unit covers `dot` by its signed context."""
    return any(other != dot and covered(dot, context_of(writes.get(other))) for other in side)


def _keep_hashes(
    merged: Doc,
    local: tuple[dict[str, list[Any]], dict[str, dict[str, Any]]],
    remote: tuple[dict[str, list[Any]], dict[str, dict[str, Any]]],
    dropped: list[tuple[str, str, Any]],
) -> None:
    """Make each signed write's `h` exactly the units it wrote that the record no longer holds.

    What a change wrote is known from the copy that holds it (the local copy
    first, which checked it already); the merged record's candidates are
    hashed again when needed, so `h` never holds a unit that is present.
    """
    writes = merged["writes"]
    present: dict[str, set[str]] = {}
    for unit, by_dot in candidate_values(merged).items():
        for dot in by_dot:
            present.setdefault(dot, set()).add(unit)
    gone = {(unit, dot): value for unit, dot, value in dropped}
    for dot, info in list(writes.items()):
        signature = signature_of(info)
        if signature is None:
            continue
        source_writes, source_candidates = local if dot in local[0] else remote
        kept = dict(signature_of(source_writes.get(dot)) or {}).get("h") or {}
        wrote = set(kept)
        wrote.update(u for u, by_dot in source_candidates.items() if dot in by_dot)
        wrote.update(u for (u, d) in gone if d == dot)
        here = present.get(dot, set())
        hashes: dict[str, str] = {}
        for unit in sorted(wrote - here):
            if unit in kept:
                hashes[unit] = kept[unit]
            elif (unit, dot) in gone:
                hashes[unit] = value_hash(gone[unit, dot])
            else:
                hashes[unit] = value_hash(source_candidates[unit][dot])
        if hashes != (signature.get("h") or {}):
            fresh = {key: value for key, value in signature.items() if key != "h"}
            if hashes:
                fresh["h"] = hashes
            writes[dot] = [*info[:SIG], fresh]


def _candidates(doc: Doc, shown: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for unit, value in shown.items():
        found.setdefault(unit, {})[unit_dot(doc, unit)] = value
    for conflict in doc.get("conflicts") or ():
        found.setdefault(conflict["unit"], {})[conflict["dot"]] = conflict["value"]
    return found


def _join_writes(a: dict[str, list[Any]], b: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Both copies' writes; of two copies of one write, the smaller clock time (docs/SYNC.md).

    The signature of a write is the first copy's (the local one); when the
    clock time kept is not the one signed, its `t` keeps the signed one.
    """
    joined = {dot: list(info) for dot, info in a.items()}
    for dot, info in b.items():
        mine = joined.get(dot)
        if mine is None:
            joined[dot] = list(info)
            continue
        if list(info[:SIG]) == mine[:SIG]:
            if signature_of(mine) is None and signature_of(info) is not None:
                joined[dot] = list(info)
            continue
        mine_signature, their_signature = signature_of(mine), signature_of(info)
        base = list(info[:SIG]) if list(info[:SIG]) < mine[:SIG] else mine[:SIG]
        signature = mine_signature or their_signature
        if signature is None:
            joined[dot] = base
            continue
        signed = (
            (mine_signature or {}).get("t")
            or (their_signature or {}).get("t")
            or max(str(mine[0]), str(info[0]))
        )
        fresh = {key: value for key, value in signature.items() if key != "t"}
        if base[0] != signed:
            fresh["t"] = signed
        joined[dot] = [*base, fresh]
    return joined


def _hlc_of(writes: dict[str, list[str]], dot: str) -> str:
    info = writes.get(dot)
    return info[0] if info else ""


def prune_and_derive(doc: Doc) -> None:
    """After the record's candidates changed: drop writes no longer used, derive what is shown."""
    _prune_writes(doc)
    _derive(doc)


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
    held: list[Held] = field(default_factory=list)
    """Changes of the copy that were not applied (docs/SYNC.md), each with why."""
    held_copy: str | None = None
    """A drive's copy held aside as a whole (docs/SYNC.md, "Safety rails"): where it is kept."""
    why_held: str = ""
    """Why that copy was held aside, in a few words."""

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


def document_signed(document: Doc) -> bool:
    """True for a document of version 2 or later, whose changes are signed (docs/MODEL.md)."""
    version = document.get("tandem", 1)
    return isinstance(version, int) and version >= 2


def merge_documents(
    local: Doc,
    remote: Doc,
    *,
    tables: Iterable[str],
    now_ms: int | None = None,
    checker: Checker | None = None,
) -> tuple[Doc, MergeReport]:
    """Join a remote copy's document into the local one; returns (merged, report).

    Neither argument is modified. With `now_ms`, the remote copy's clock
    times are clamped to at most MAX_CLOCK_AHEAD_MS after it. When either
    document is signed (version 2), only the changes `checker` accepts are
    merged, the others are listed in `report.held` (docs/SYNC.md, "Which
    changes a merge applies"); without a checker, every change of both
    copies is checked.
    """
    report = MergeReport()
    merged: Doc = {key: value for key, value in local.items() if not isinstance(value, dict)}
    merged["tandem"] = max(local.get("tandem", 1), remote.get("tandem", 1))
    clocks = [c for c in (local.get("clock"), remote.get("clock")) if isinstance(c, str)]
    if clocks:
        merged["clock"] = max(clocks)  # the latest clock time anyone issued
    names = list(tables)
    if not (document_signed(local) or document_signed(remote)):
        checker = None  # formats 1 and 2: nothing is signed, rules version 2
    elif checker is None:
        from journal.membership import Checker

        checker = Checker.checking_both()
    if checker is not None:
        names = checker.begin(local, remote, names)
    for name in names:
        if name not in local and name not in remote:
            continue
        mine: dict[str, Doc] = local.get(name) or {}
        theirs: dict[str, Doc] = remote.get(name) or {}
        if checker is not None:
            mine, theirs = checker.accept_table(name, mine, theirs)
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
        if out or (name in local and name in remote):  # an empty table in one copy only: none
            merged[name] = out
        report.tables[name] = changes
        if checker is not None:
            checker.merged_table(name, out)
    if checker is not None:
        report.held = checker.take_held()
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
