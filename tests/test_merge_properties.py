"""Property tests: merging is commutative, associative, idempotent, and loses no text.

Random histories of adds, edits, deletes, keeps, comments, conflict
resolutions and merges run on three replicas (three openings of one
journal); then every order of merging the three copies must give the same
journal, every value anyone wrote that nobody knowingly replaced must be in
it, and each record must be deleted exactly when docs/SYNC.md says: an edit
that no deletion saw is never lost to one, two deletions are not an edit,
and a keep written at the same time as a deletion keeps the record for a
person to decide.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from journal.errors import JournalLocked
from journal.journal import Journal
from journal.merge import (
    DELETION,
    conflicting_units,
    covered,
    deletion_overridden,
    make_dot,
    merge_documents,
    unit_dot,
    units,
)
from journal.model import TABLES
from tests.conftest import PASSPHRASE

REPLICAS = 3
TEXT = st.text(alphabet="abcdefgh", min_size=1, max_size=6)

operation = st.one_of(
    st.tuples(st.just("add"), st.integers(0, REPLICAS - 1), TEXT),
    st.tuples(
        st.just("edit"),
        st.integers(0, REPLICAS - 1),
        st.integers(0, 9),
        st.sampled_from(["title", "body"]),
        TEXT,
    ),
    st.tuples(st.just("tag"), st.integers(0, REPLICAS - 1), st.integers(0, 9), TEXT),
    st.tuples(st.just("delete"), st.integers(0, REPLICAS - 1), st.integers(0, 9)),
    st.tuples(st.just("restore"), st.integers(0, REPLICAS - 1), st.integers(0, 9)),
    st.tuples(st.just("comment"), st.integers(0, REPLICAS - 1), st.integers(0, 9), TEXT),
    st.tuples(st.just("merge"), st.integers(0, REPLICAS - 1), st.integers(0, REPLICAS - 1)),
)


def merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    merged, _report = merge_documents(a, b, tables=TABLES)
    return merged


def canonical(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True)


@dataclass
class Write:
    record: str
    unit: str
    dot: str
    value: Any
    seen: dict[str, int]


@dataclass
class History:
    replicas: list[Journal]
    ids: list[str] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)

    def log(self, replica: Journal, record_id: str) -> None:
        """Log every unit the replica's latest change to the entry wrote."""
        doc = replica.document()["entries"][record_id]
        if replica.replica not in doc["vv"]:
            return  # the replica never changed it (an edit to the same value)
        dot = make_dot(replica.replica, doc["vv"][replica.replica])
        if any(w.record == record_id and w.dot == dot for w in self.writes):
            return  # already logged: the last operation changed nothing
        for unit, value in units(doc).items():
            if unit_dot(doc, unit) == dot:
                self.writes.append(Write(record_id, unit, dot, value, dict(doc["vv"])))

    def run(self, op: tuple[Any, ...]) -> None:
        kind, r = op[0], op[1]
        journal = self.replicas[r]
        known = journal.document().get("entries", {})
        if kind == "add":
            entry = journal.add_entry("checkin", op[2], body=op[2] * 2)
            self.ids.append(entry.id)
            self.log(journal, entry.id)
            return
        if kind == "merge":
            journal.merge_document(self.replicas[op[2]].document())
            return
        if not self.ids:
            return
        record_id = self.ids[op[2] % len(self.ids)]
        if record_id not in known:
            return
        doc = known[record_id]
        deleted = doc["deleted_at"] is not None
        if kind == "edit" and not deleted:
            unit, text = op[3], op[4]
            try:
                journal.edit_entry(record_id, **{unit: text})
            except JournalLocked:
                journal.resolve(record_id, unit, value=text)  # a merged text
            self.log(journal, record_id)
        elif kind == "tag" and not deleted:
            try:
                journal.edit_entry(record_id, tags=[op[3]])
            except JournalLocked:
                journal.resolve(record_id, "tags", value=[op[3]])
            self.log(journal, record_id)
        elif kind == "delete" and not deleted:
            journal.delete(record_id)
            self.log(journal, record_id)
        elif kind == "restore" and (deleted or deletion_overridden(doc)):
            journal.keep_deleted_record(record_id)  # undelete, or keep despite a deletion
            self.log(journal, record_id)
        elif kind == "comment":
            comment = journal.comment(record_id, op[3])
            self.writes.append(
                Write(comment.id, "body", "", op[3], {})  # comments are never replaced
            )

    def deleted_by_the_rules(self, record_id: str) -> bool:
        """Whether docs/SYNC.md says the entry is deleted, from the history alone.

        The latest deletions and keeps (those no other one saw) must all be
        deletions, and every write to the entry must have been seen by one of them.
        """
        writes = [w for w in self.writes if w.record == record_id]
        marks = [w for w in writes if w.unit == DELETION]
        latest = [m for m in marks if not any(seen_by(m, other) for other in marks)]
        if not latest or not all(m.value for m in latest):
            return False
        return all(any(covered(w.dot, m.seen) for m in latest) for w in writes if w not in marks)


def seen_by(write: Write, other: Write) -> bool:
    """True when `other` was written on a copy that had seen `write`."""
    return other.dot != write.dot and covered(write.dot, other.seen)


def run_history(journal_path: str, ops: list[tuple[Any, ...]]) -> History:
    """Run the operations on three fresh replicas of the shared journal."""
    history = History([Journal.open(journal_path, PASSPHRASE) for _ in range(REPLICAS)])
    for op in ops:
        history.run(op)
    return history


def check_merges(history: History) -> None:
    """Every merge order agrees, no value is lost, and deletions follow docs/SYNC.md."""
    a, b, c = (replica.document() for replica in history.replicas)

    # idempotent
    for doc in (a, b, c):
        assert canonical(merge(doc, doc)) == canonical(doc)
    # commutative
    assert canonical(merge(a, b)) == canonical(merge(b, a))
    # associative, and every order agrees
    joined = merge(merge(a, b), c)
    for other in (merge(a, merge(b, c)), merge(merge(c, a), b), merge(c, merge(b, a))):
        assert canonical(other) == canonical(joined)
    # re-merging a copy already merged changes nothing
    assert canonical(merge(joined, b)) == canonical(joined)

    # no text lost: every write nobody knowingly replaced is in the joined journal
    for write in history.writes:
        if write.dot == "":
            comments = joined.get("comments", {})
            assert any(doc["body"] == write.value for doc in comments.values())
            continue
        superseded = any(
            other.record == write.record and other.unit == write.unit and seen_by(write, other)
            for other in history.writes
        )
        if superseded:
            continue
        doc = joined["entries"][write.record]
        present = [units(doc).get(write.unit)]
        present += [c["value"] for c in doc["conflicts"] if c["unit"] == write.unit]
        assert write.value in present, (write, doc)

    # an edit no deletion saw is never lost to one, and each entry is deleted
    # exactly when the rules say so (two deletions are not an edit; a keep at
    # the same time as a deletion keeps the entry for a person to decide)
    deletions = [w for w in history.writes if w.unit == DELETION and w.value]
    for write in history.writes:
        if write.unit == DELETION or write.dot == "":
            continue
        if not any(d.record == write.record and covered(write.dot, d.seen) for d in deletions):
            assert joined["entries"][write.record]["deleted_at"] is None, write
    for record_id in history.ids:
        doc = joined["entries"][record_id]
        assert (doc["deleted_at"] is not None) == history.deleted_by_the_rules(record_id), doc


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=1, max_size=40))
def test_merge_orders_agree_and_no_text_is_lost(journal_path: str, ops: list[tuple]) -> None:
    check_merges(run_history(journal_path, ops))


# Edits, deletions and keeps of two entries that every replica has (SHARED first).
SHARED = [("add", 0, "a"), ("add", 0, "b"), ("merge", 1, 0), ("merge", 2, 0)]
REPLICA = st.integers(0, REPLICAS - 1)
ENTRY = st.integers(0, 1)
edit_or_delete = st.one_of(
    st.tuples(st.just("edit"), REPLICA, ENTRY, st.sampled_from(["title", "body"]), TEXT),
    st.tuples(st.just("delete"), REPLICA, ENTRY),
    st.tuples(st.just("restore"), REPLICA, ENTRY),
    st.tuples(st.just("merge"), REPLICA, REPLICA),
)

# The histories of issue #12, on the first shared entry; A, B and T are replicas 0, 1, 2.
# A and B edit the body at once; T sees only B's edit and deletes; A merges T.
EDIT_HIDDEN_BY_THE_CLOCK = [
    ("edit", 0, 0, "body", "from A"),
    ("edit", 1, 0, "body", "from B"),
    ("merge", 2, 1),
    ("delete", 2, 0),
    ("merge", 0, 2),
]
# B edits then deletes; A deletes without having seen B's edit.
DELETED_ON_BOTH = [
    ("edit", 1, 0, "body", "from B"),
    ("delete", 1, 0),
    ("delete", 0, 0),
    ("merge", 0, 1),
]
# A deletes while B edits; once both know, A keeps the entry while B deletes it.
KEPT_AND_DELETED = [
    ("delete", 0, 0),
    ("edit", 1, 0, "body", "from B"),
    ("merge", 0, 1),
    ("merge", 1, 0),
    ("restore", 0, 0),
    ("delete", 1, 0),
    ("merge", 0, 1),
]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(edit_or_delete, min_size=2, max_size=25))
@example(ops=EDIT_HIDDEN_BY_THE_CLOCK)
@example(ops=DELETED_ON_BOTH)
@example(ops=KEPT_AND_DELETED)
def test_concurrent_edits_and_deletions_follow_the_rules(
    journal_path: str, ops: list[tuple]
) -> None:
    check_merges(run_history(journal_path, SHARED + ops))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(operation, min_size=1, max_size=30))
def test_a_fully_synced_journal_has_no_spurious_conflicts(
    journal_path: str, ops: list[tuple]
) -> None:
    replicas = run_history(journal_path, ops).replicas
    # bring everyone up to date, then edit everything on one replica: no conflicts remain
    for _round in range(2):
        for target in replicas:
            for source in replicas:
                target.merge_document(source.document())
    first = replicas[0]
    for record_id in list(first.document().get("entries", {})):
        doc = first.document()["entries"][record_id]
        for unit in conflicting_units(doc):
            first.resolve(record_id, unit, keep=unit_dot(doc, unit))
        if deletion_overridden(first.document()["entries"][record_id]):
            first.keep_deleted_record(record_id)
    for other in replicas[1:]:
        other.merge_document(first.document())
        for doc in other.document().get("entries", {}).values():
            assert not conflicting_units(doc)
            assert not deletion_overridden(doc)
