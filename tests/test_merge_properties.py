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

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from journal.errors import JournalLocked, UsageError
from journal.journal import Journal
from journal.membership import kept_hash
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


def slow_examples(count: int) -> settings:
    """`count` examples, each free to take long (its histories open, write and merge journals)."""
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


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


@slow_examples(120)
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


@slow_examples(150)
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


# --- signed changes (rules version 3): forgeries and removals never get in --------------------

TEAM_TEXT = st.text(alphabet="abcdefgh", min_size=1, max_size=5)
MEMBER = st.sampled_from(["ana", "sam"])
team_operation = st.one_of(
    st.tuples(st.just("add"), REPLICA, TEAM_TEXT, MEMBER),
    st.tuples(st.just("edit"), REPLICA, st.integers(0, 9), TEAM_TEXT),
    st.tuples(st.just("comment"), REPLICA, st.integers(0, 9), TEAM_TEXT, MEMBER),
    st.tuples(st.just("merge"), REPLICA, REPLICA),
    st.tuples(st.just("remove"), REPLICA),
)
FORGED = "FORGED"
# Ana removes Sam on replica 0 while, on replica 1, Sam writes and edits on: those changes
# (after what Ana had seen) never get in, whichever way the copies travel.
REMOVED_WHILE_WRITING = [
    ("add", 0, "a", "ana"),
    ("add", 0, "b", "sam"),
    ("merge", 1, 0),
    ("merge", 2, 0),
    ("remove", 0),
    ("add", 1, "c", "sam"),
    ("edit", 1, 1, "d"),
    ("merge", 2, 1),
    ("merge", 0, 2),
    ("merge", 1, 0),
]


@pytest.fixture(scope="module")
def team_path(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A saved journal of Ana (its owner) and Sam, whose keys Ana holds."""

    path = tmp_path_factory.mktemp("team") / "team.tandem"
    journal, _code = Journal.create(
        path, title="Team", name="Ana", role="parent", passphrase=PASSPHRASE
    )
    sam = journal.add_member("Sam", "other")
    journal.save()
    return str(path), sam.id


def run_team_history(team: tuple[str, str], ops: list[tuple[Any, ...]]) -> list[Journal]:
    """Ana's and Sam's adds, edits and comments on three replicas; Ana may remove Sam."""
    path, sam = team
    replicas = [Journal.open(path, PASSPHRASE) for _ in range(REPLICAS)]
    ids: list[str] = []
    for op in ops:
        kind, journal = op[0], replicas[op[1]]
        who = {"ana": journal.me.id, "sam": sam}
        try:
            if kind == "add":
                with journal.acting_as(who[op[3]]):
                    ids.append(journal.add_entry("checkin", op[2]).id)
            elif kind == "merge":
                journal.merge_document(replicas[op[2]].document())
            elif kind == "remove":
                journal.remove_member(sam)
            elif ids:
                entry_id = ids[op[2] % len(ids)]
                doc = journal.document().get("entries", {}).get(entry_id)
                if doc is None:
                    continue
                if kind == "edit":
                    with journal.acting_as(doc["author"]):
                        journal.edit_entry(entry_id, title=op[3])
                else:
                    with journal.acting_as(who[op[4]]):
                        journal.comment(entry_id, op[3])
        except (JournalLocked, UsageError):
            continue  # Sam was removed on that replica, or the entry is in conflict
    return replicas


def forgeries(document: dict[str, Any], sam: str) -> dict[str, Any]:
    """A copy of `document` as an insider holding the key could make it: values changed
    without signing, a record with no signature, an old value replayed with a forged
    vector, an entry re-attributed, and a change of Sam's dated after any removal."""
    forged = json.loads(json.dumps(document))
    entries = forged.setdefault("entries", {})
    for number, (_entry_id, doc) in enumerate(sorted(entries.items())):
        if number % 3 == 0:
            doc["title"] = FORGED
        elif number % 3 == 1:
            doc["vv"] = {replica: 10**6 for replica in doc.get("vv") or {}}
            doc["author"] = sam
            doc["writes"][doc["dots"]["*"]][1] = sam
        else:
            doc["title"] = FORGED + " by Sam"
            for info in doc["writes"].values():
                info[1] = sam
    unsigned = {
        "id": "f" * 32,
        "author": sam,
        "title": FORGED,
        "kind": "checkin",
        "vv": {"ffffffffffff": 1},
        "dots": {"*": "ffffffffffff:1"},
        "writes": {"ffffffffffff:1": ["000000000000001:00000", sam, "2026-01-01T00:00:00.000000Z"]},
        "conflicts": [],
        "deletion": None,
    }
    entries["f" * 32] = unsigned
    return forged


@slow_examples(50)
@given(ops=st.lists(team_operation, min_size=1, max_size=25))
@example(ops=REMOVED_WHILE_WRITING)
def test_forged_unsigned_and_post_removal_changes_never_appear_in_any_merge(
    team_path: tuple[str, str], ops: list[tuple]
) -> None:
    path, sam = team_path
    a, b, c = (replica.document() for replica in run_team_history(team_path, ops))
    f = forgeries(a, sam)
    joined = merge(merge(a, b), c)
    orders = [
        merge(a, merge(b, c)),
        merge(merge(c, f), merge(a, b)),
        merge(f, merge(merge(b, a), c)),
        merge(merge(merge(a, f), b), c),
    ]
    for other in orders:
        assert canonical(other) == canonical(joined)
    assert canonical(merge(joined, f)) == canonical(joined)
    assert FORGED not in canonical(joined)
    assert "f" * 32 not in joined.get("entries", {})
    removal = joined["members"][sam].get("removed")
    if isinstance(removal, dict):
        kept = set(removal["kept"])
        for candidate in joined["members"][sam].get("conflicts") or ():
            if candidate["unit"] == "removed" and isinstance(candidate["value"], dict):
                kept |= set(candidate["value"]["kept"])
        for name in ("entries", "comments"):
            for record_id, doc in joined.get(name, {}).items():
                for dot, info in doc["writes"].items():
                    if info[1] == sam:
                        assert kept_hash(record_id, dot) in kept, (name, doc)
