"""The demo journal: realistic, complete, deterministic, encrypted, and quick to make."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from journal.demo import DEMO_PASSPHRASE, write_demo_journal
from journal.errors import TandemError, WrongPassphrase
from journal.exports import export_json
from journal.journal import Journal
from journal.model import (
    ENTRY_KINDS,
    KIND_FIELDS,
    Comment,
    Measurement,
    Resource,
    Thread,
)

TODAY = date(2025, 6, 18)


@pytest.fixture
def demo(tmp_path: Path) -> Journal:
    """The demo journal as written (and saved) for a fixed day."""
    return write_demo_journal(tmp_path / "demo.tandem", today=TODAY)


def snapshot(journal: Journal) -> dict[str, Any]:
    """Everything a person can read in the journal, without random ids and sync metadata."""
    name = journal.member_name
    goal_title = {g.id: g.title for g in journal.goals()}
    return {
        "info": {
            k: v
            for k, v in journal.info.to_doc().items()
            if k in ("title", "child_name", "interests", "strengths", "avoid")
        },
        "members": sorted(
            (m.name, m.role, m.background, m.values, m.what_works, m.last_seen)
            for m in journal.members()
        ),
        "entries": [
            (
                e.kind,
                e.title,
                e.body,
                e.occurred_at,
                json.dumps(e.fields, sort_keys=True),
                e.tags,
                sorted(goal_title[g] for g in e.goals),
                name(e.author),
                e.created_at,
                e.status,
            )
            for e in journal.entries()
        ],
        "goals": [
            (g.title, g.status, g.measure, g.criterion_value, g.start_date, g.created_at)
            for g in journal.goals()
        ],
        "measurements": sorted(
            (goal_title[m.goal_id], m.date, m.correct, m.total, m.value, m.prompt, name(m.author))
            for m in journal.all(Measurement)
        ),
        "comments": sorted(
            (c.body, c.kind, name(c.author), c.created_at) for c in journal.all(Comment)
        ),
        "sessions": [(s.starts_at, s.status, s.location, s.notes) for s in journal.sessions()],
        "resources": sorted(
            (r.title, r.kind, sorted(name(m) for m in r.acknowledged))
            for r in journal.all(Resource)
        ),
    }


def test_reopens_with_its_passphrase_as_a_parent(demo: Journal) -> None:
    reopened = Journal.open(demo.path, DEMO_PASSPHRASE)
    assert reopened.title == "Sam's journal"
    assert reopened.info.child_name == "Sam"
    assert reopened.me.name == "Maya Rivera"
    assert reopened.me.role == "parent"
    assert snapshot(reopened) == snapshot(demo)
    with pytest.raises(WrongPassphrase):
        Journal.open(demo.path, "not the demo passphrase")


def test_custom_passphrase(tmp_path: Path) -> None:
    journal = write_demo_journal(tmp_path / "x.tandem", passphrase="s3cret", today=TODAY)
    assert Journal.open(journal.path, "s3cret").title == journal.title


def test_members_and_journal_page(demo: Journal) -> None:
    members = demo.members()
    assert {m.role for m in members} == {"parent", "therapist"}
    assert {m.name for m in members} == {"Maya Rivera", "Daniel Rivera", "Dr. Lee Chen"}
    for member in members:
        assert member.background and member.values and member.what_works, member.name
        assert member.last_seen
    info = demo.info
    assert info.interests and info.strengths and info.avoid


def test_every_entry_kind_with_its_fields(demo: Journal) -> None:
    by_kind = {kind: demo.entries(kind=kind) for kind in ENTRY_KINDS}
    assert all(by_kind.values()), {k: len(v) for k, v in by_kind.items()}
    assert len(by_kind["checkin"]) >= 70  # near-daily over about three months
    assert len(by_kind["incident"]) >= 4
    assert len(by_kind["session"]) >= 10
    members = demo.members_by_id()
    for kind, entries in by_kind.items():
        known = {spec.name for spec in KIND_FIELDS[kind]}
        for entry in entries:
            assert set(entry.fields) <= known, (kind, set(entry.fields) - known)
            role = members[entry.author].role
            assert role == ("therapist" if kind == "session" else "parent"), entry.title
    for checkin in by_kind["checkin"]:
        assert 1 <= checkin.fields["mood"] <= 5
        for count in ("aggression", "self_injury", "elopement", "night_wakings"):
            assert isinstance(checkin.fields[count], int)
    for incident in by_kind["incident"]:
        for name in ("antecedent", "behavior", "consequence", "intensity", "function"):
            assert incident.fields.get(name), (incident.title, name)


def test_session_notes_drafts_finals_and_an_addendum(demo: Journal) -> None:
    notes = demo.entries(kind="session")  # newest first
    assert notes[0].status == "draft"
    assert all(note.locked for note in notes[1:])
    assert sum(len(demo.addenda(note.id)) for note in notes) == 1
    assert all(note.session_id for note in notes)
    for note in notes:
        assert note.fields["targets"] and note.fields["home_assignment"]


def test_goals_with_learning_curves(demo: Journal) -> None:
    goals = demo.goals()
    assert 5 <= len(goals) <= 7
    assert {"baseline", "acquisition", "mastered", "maintenance"} <= {g.status for g in goals}
    assert any(g.parent_id for g in goals)
    assert len({g.domain for g in goals}) >= 4
    for goal in goals:
        assert goal.method and goal.desired_outcome and goal.description
        points = demo.measurements(goal.id)
        assert 8 <= len(points) <= 25, goal.title
        assert all(p.date < TODAY.isoformat() for p in points)
    met = [g for g in goals if demo.criterion_met(g.id)]
    assert any(g.status == "acquisition" for g in met)  # awaiting the therapist's call
    assert any(g.status == "acquisition" and not demo.criterion_met(g.id) for g in goals)
    for goal in goals:
        if goal.measure != "percent" or goal.status != "acquisition":
            continue
        scores = [p.score or 0.0 for p in demo.measurements(goal.id)]
        third = max(len(scores) // 3, 1)
        assert sum(scores[-third:]) / third > sum(scores[:third]) / third, goal.title
    prompted = [p for g in goals for p in demo.measurements(g.id) if p.prompt]
    assert len({p.prompt for p in prompted}) >= 4  # prompts fade over time


def test_threads_resources_and_sessions(demo: Journal) -> None:
    threads = {c.target_id for c in demo.all(Comment) if c.kind == "comment"}
    statuses = {demo.thread_status(t) for t in threads}
    assert statuses == {"open", "resolved"}
    assert len(threads) >= 8
    assert sum(len(demo.thread(t)) >= 2 for t in threads) >= 5  # replies, not monologues
    assert any(t.topic for t in demo.all(Thread))
    goal_ids = {g.id for g in demo.goals()}
    assert threads & goal_ids
    resources = demo.all(Resource)
    assert 3 <= len(resources) <= 5
    assert any(r.acknowledged for r in resources)
    assert any(not r.acknowledged for r in resources)
    sessions = demo.sessions()
    statuses = {s.status for s in sessions}
    assert {"done", "cancelled", "moved", "planned"} <= statuses
    today = TODAY.isoformat()
    assert all(s.starts_at >= today for s in sessions if s.status == "planned")
    assert all(s.starts_at < today for s in sessions if s.status == "done")


def test_everything_happened_in_the_three_months_before_today(demo: Journal) -> None:
    start = (TODAY - timedelta(days=95)).isoformat()
    entries = demo.entries()
    assert all(start <= e.occurred_at < TODAY.isoformat() for e in entries)
    assert entries[0].occurred_at >= (TODAY - timedelta(days=3)).isoformat()  # recent activity
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    records: list[Any] = [*entries, *demo.all(Comment), *demo.all(Measurement)]
    assert all(r.created_at < now for r in records)
    created = [e.created_at for e in entries]
    assert min(created) >= (TODAY - timedelta(days=96)).isoformat()


def test_deterministic_for_a_seed_and_a_day(demo: Journal, tmp_path: Path) -> None:
    again = write_demo_journal(tmp_path / "again.tandem", today=TODAY)
    assert snapshot(again) == snapshot(demo)
    other_seed = write_demo_journal(tmp_path / "seed.tandem", today=TODAY, seed=8)
    assert snapshot(other_seed) != snapshot(demo)
    later = write_demo_journal(tmp_path / "later.tandem", today=TODAY + timedelta(days=3))
    assert later.entries()[0].occurred_at > demo.entries()[0].occurred_at


def test_no_plaintext_in_the_file(demo: Journal) -> None:
    data = demo.path.read_bytes()
    secrets = [
        b"Sam's journal",
        b'"Sam"',
        b"Maya Rivera",
        b"Daniel Rivera",
        b"Dr. Lee Chen",
        b"Percy",
        b"Fairview Market",
    ]
    secrets += [e.title.encode() for e in demo.entries() if len(e.title) >= 8][:40]
    secrets += [g.title.encode() for g in demo.goals()]
    for secret in secrets:
        assert secret not in data, secret
        assert secret.decode().encode("utf-16-le") not in data, secret


def test_pseudonymized_export_of_the_demo_never_names_the_child(demo: Journal) -> None:
    text = export_json(demo, pseudonym="Alex")
    assert not re.search(r"(?<!\w)sam(?!\w)", text, re.IGNORECASE)
    assert "Alex's journal" in text


def test_quick_with_the_test_key_derivation(tmp_path: Path) -> None:
    started = time.perf_counter()
    write_demo_journal(tmp_path / "quick.tandem", today=TODAY)
    assert time.perf_counter() - started < 2.0


def test_default_today_and_refusing_an_existing_file(tmp_path: Path) -> None:
    journal = write_demo_journal(tmp_path / "now.tandem")
    newest = journal.entries()[0].occurred_at
    assert newest < date.today().isoformat()
    with pytest.raises(TandemError, match="already exists"):
        write_demo_journal(journal.path)
