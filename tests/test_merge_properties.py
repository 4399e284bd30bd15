"""Property tests: merging is commutative, associative, idempotent, and loses no text.

Random histories of adds, edits, deletes, comments, conflict resolutions and
merges run on three replicas (three openings of one journal); then every
order of merging the three copies must give the same journal, and every
title, body and comment anyone wrote that nobody knowingly replaced must be
in it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.errors import JournalLocked
from journal.journal import Journal
from journal.merge import conflicting_units, covered, merge_documents, unit_dot, units
from journal.model import TABLES, Entry
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

    def log(self, replica: Journal, cls: type, record_id: str, unit_names: list[str]) -> None:
        doc = replica.document()[cls.TABLE][record_id]
        shown = units(doc)
        for unit in unit_names:
            self.writes.append(
                Write(record_id, unit, unit_dot(doc, unit), shown.get(unit), dict(doc["vv"]))
            )

    def run(self, op: tuple[Any, ...]) -> None:
        kind, r = op[0], op[1]
        journal = self.replicas[r]
        known = journal.document().get("entries", {})
        if kind == "add":
            entry = journal.add_entry("checkin", op[2], body=op[2] * 2)
            self.ids.append(entry.id)
            self.log(journal, Entry, entry.id, ["title", "body"])
            return
        if kind == "merge":
            journal.merge_document(self.replicas[op[2]].document())
            return
        if not self.ids:
            return
        record_id = self.ids[op[2] % len(self.ids)]
        if record_id not in known:
            return
        deleted = known[record_id]["deleted_at"] is not None
        if kind == "edit" and not deleted:
            unit, text = op[3], op[4]
            try:
                journal.edit_entry(record_id, **{unit: text})
            except JournalLocked:
                journal.resolve(record_id, unit, value=text)  # a merged text
            self.log(journal, Entry, record_id, [unit])
        elif kind == "tag" and not deleted:
            try:
                journal.edit_entry(record_id, tags=[op[3]])
            except JournalLocked:
                journal.resolve(record_id, "tags", value=[op[3]])
        elif kind == "delete" and not deleted:
            journal.delete(record_id)
        elif kind == "restore" and deleted:
            journal.keep_deleted_record(record_id)
        elif kind == "comment":
            comment = journal.comment(record_id, op[3])
            self.writes.append(
                Write(comment.id, "body", "", op[3], {})  # comments are never replaced
            )


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=1, max_size=40))
def test_merge_orders_agree_and_no_text_is_lost(journal_path: str, ops: list[tuple]) -> None:
    replicas = [Journal.open(journal_path, PASSPHRASE) for _ in range(REPLICAS)]
    history = History(replicas)
    for op in ops:
        history.run(op)
    a, b, c = (replica.document() for replica in replicas)

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
            other.record == write.record
            and other.unit == write.unit
            and other.dot != write.dot
            and covered(write.dot, other.seen)
            for other in history.writes
        )
        if superseded:
            continue
        doc = joined["entries"][write.record]
        present = [units(doc).get(write.unit)]
        present += [c["value"] for c in doc["conflicts"] if c["unit"] == write.unit]
        assert write.value in present, (write, doc)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(operation, min_size=1, max_size=30))
def test_a_fully_synced_journal_has_no_spurious_conflicts(
    journal_path: str, ops: list[tuple]
) -> None:
    replicas = [Journal.open(journal_path, PASSPHRASE) for _ in range(REPLICAS)]
    history = History(replicas)
    for op in ops:
        history.run(op)
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
    for other in replicas[1:]:
        other.merge_document(first.document())
        for doc in other.document().get("entries", {}).values():
            assert not conflicting_units(doc)
