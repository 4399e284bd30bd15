"""Rules of the Journal API: entries, goals, threads, resources, sessions, tombstones."""

from __future__ import annotations

import pytest

from journal.errors import JournalLocked, NotFound, UsageError, WrongPassphrase
from journal.journal import Journal
from journal.model import ENTRY_KINDS, Entry, Goal, Member
from tests.conftest import PASSPHRASE


def reopen(journal: Journal, secret: str = PASSPHRASE) -> Journal:
    return Journal.open(journal.path, secret)


def test_create_makes_the_creator_a_member(journal: Journal) -> None:
    assert journal.title == "Sam's journal"
    assert journal.me.name == "Ana Rivera"
    assert journal.me.role == "parent"
    assert [m.name for m in journal.members()] == ["Ana Rivera"]


def test_every_kind_round_trips_through_the_file(journal: Journal) -> None:
    ids = {}
    for kind in ENTRY_KINDS:
        entry = journal.add_entry(kind, f"A {kind}", body=f"Body of {kind}", tags=["home"])
        ids[kind] = entry.id
    journal.save()
    again = reopen(journal)
    for kind, entry_id in ids.items():
        entry = again.get(Entry, entry_id)
        assert (entry.kind, entry.title, entry.body, entry.tags) == (
            kind,
            f"A {kind}",
            f"Body of {kind}",
            ["home"],
        )
        assert entry.author == journal.me.id
        assert entry.created_at and entry.updated_at
        assert entry.vv and entry.hlc


def test_unknown_kind_and_empty_title_are_refused(journal: Journal) -> None:
    with pytest.raises(UsageError, match="unknown kind"):
        journal.add_entry("diary", "x")
    with pytest.raises(UsageError, match="title"):
        journal.add_entry("win", "   ")
    assert journal.entries() == []


def test_entries_are_newest_first_and_filter(journal: Journal) -> None:
    journal.add_entry("checkin", "Monday", occurred_at="2026-03-02T08:00", tags=["sleep"])
    journal.add_entry("win", "First word", body="He said *ball*!", occurred_at="2026-03-03T17:00")
    journal.add_entry("incident", "Hit at the store", occurred_at="2026-03-04T11:00")
    assert [e.title for e in journal.entries()] == ["Hit at the store", "First word", "Monday"]
    assert [e.title for e in journal.entries(kind="win")] == ["First word"]
    assert [e.title for e in journal.entries(tag="#Sleep")] == ["Monday"]
    assert [e.title for e in journal.entries(search="BALL")] == ["First word"]
    assert [e.title for e in journal.entries(limit=1)] == ["Hit at the store"]
    assert [e.title for e in journal.entries(since="2026-03-03", until="2026-03-03")] == [
        "First word"
    ]


def test_search_looks_into_structured_fields(journal: Journal) -> None:
    journal.add_entry("incident", "Store", fields={"antecedent": "asked to leave the toy aisle"})
    assert [e.title for e in journal.entries(search="toy aisle")] == ["Store"]


def test_edit_changes_fields_and_stamps_the_editor(journal: Journal) -> None:
    entry = journal.add_entry("checkin", "Morning")
    before = entry.hlc
    edited = journal.edit_entry(entry.id[:8], title="Morning, slept well", body="8 hours")
    assert edited.title == "Morning, slept well"
    assert edited.updated_by == journal.me.id
    assert edited.hlc > before
    assert edited.vv[journal.replica] > entry.vv[journal.replica]


def test_delete_leaves_a_tombstone(journal: Journal) -> None:
    entry = journal.add_entry("question", "Should we start a visual schedule?")
    journal.delete(entry.id)
    journal.save()
    again = reopen(journal)
    assert again.entries() == []
    tombstone = again.get(Entry, entry.id)
    assert tombstone.deleted and tombstone.deleted_by == journal.me.id
    assert tombstone.title == "Should we start a visual schedule?"
    assert [e.id for e in again.entries(include_deleted=True)] == [entry.id]
    with pytest.raises(NotFound):
        again.delete(entry.id)


def test_finalized_session_note_is_locked_and_takes_addenda(journal: Journal) -> None:
    note = journal.add_entry("session", "Session 12", body="Worked on requesting.")
    journal.edit_entry(note.id, body="Worked on requesting and waiting.")
    journal.finalize(note.id)
    with pytest.raises(JournalLocked):
        journal.edit_entry(note.id, body="changed afterwards")
    with pytest.raises(JournalLocked):
        journal.delete(note.id)
    with pytest.raises(JournalLocked):
        journal.finalize(note.id)
    addendum = journal.add_addendum(note.id, "Correction: 8 of 10 trials, not 9.")
    assert [a.id for a in journal.addenda(note.id)] == [addendum.id]
    assert journal.thread(note.id) == []
    assert journal.get(Entry, note.id).body == "Worked on requesting and waiting."


def test_only_session_notes_finalize(journal: Journal) -> None:
    win = journal.add_entry("win", "Used the potty")
    with pytest.raises(UsageError):
        journal.finalize(win.id)
    with pytest.raises(UsageError):
        journal.add_addendum(win.id, "x")


def test_goal_defaults_and_criterion(journal: Journal) -> None:
    goal = journal.add_goal("Requests with words", domain="communication")
    assert goal.measure == "percent"
    assert goal.criterion_text() == "90% across 3 consecutive sessions"
    assert goal.status == "baseline"
    for correct in (5, 9, 10):
        journal.record_measurement(goal.id, correct=correct, total=10, prompt="verbal")
    assert not journal.criterion_met(goal.id)
    journal.record_measurement(goal.id, correct=9, total=10, prompt="independent")
    assert journal.criterion_met(goal.id)
    assert [m.score for m in journal.measurements(goal.id)] == [50.0, 90.0, 100.0, 90.0]


def test_measurement_validation(journal: Journal) -> None:
    trials = journal.add_goal("Trials")
    count = journal.add_goal("Elopement", measure="count")
    rating = journal.add_goal("Calm at bedtime", measure="rating")
    with pytest.raises(UsageError):
        journal.record_measurement(trials.id, correct=11, total=10)
    with pytest.raises(UsageError):
        journal.record_measurement(count.id, correct=1, total=2)
    with pytest.raises(UsageError):
        journal.record_measurement(rating.id, value=6)
    for not_a_number in (float("nan"), float("inf")):
        with pytest.raises(UsageError):
            journal.record_measurement(count.id, value=not_a_number)
    with pytest.raises(UsageError, match="prompt level"):
        journal.record_measurement(trials.id, correct=1, total=2, prompt="shouting")
    journal.record_measurement(count.id, value=2, note="at the park")
    assert journal.measurements(count.id)[0].value == 2


def test_goal_status_change_is_an_edit(journal: Journal) -> None:
    goal = journal.add_goal("Brush teeth", measure="rating")
    moved = journal.edit_goal(goal.id, status="acquisition")
    assert moved.status == "acquisition" and moved.updated_by == journal.me.id
    with pytest.raises(UsageError):
        journal.edit_goal(goal.id, status="finished")


def test_nested_goals(journal: Journal) -> None:
    parent = journal.add_goal("Independent morning routine")
    child = journal.add_goal("Puts on shoes", parent_id=parent.id[:10])
    assert journal.get(Goal, child.id).parent_id == parent.id


def test_threads_open_resolve_and_reopen(journal: Journal) -> None:
    entry = journal.add_entry("question", "Screen time before bed?")
    first = journal.comment(entry.id, "What do you think?")
    assert journal.thread(entry.id) == [first]
    assert journal.open_threads() == [entry.id]
    journal.set_thread_status(entry.id, "resolved")
    assert journal.thread_status(entry.id) == "resolved"
    assert journal.open_threads() == []
    journal.comment(entry.id, "One more thing")
    assert journal.thread_status(entry.id) == "open"
    with pytest.raises(JournalLocked):
        journal.delete(first.id)


def test_standalone_topic(journal: Journal) -> None:
    topic = journal.new_topic("Summer schedule", "Camp starts in June.")
    assert [c.body for c in journal.thread(topic.id)] == ["Camp starts in June."]


def test_resources_and_sessions(journal: Journal) -> None:
    resource = journal.add_resource("Visual schedules", url="https://example.org/schedules")
    journal.acknowledge(resource.id)
    assert journal.me.id in journal.all(type(resource))[0].acknowledged
    session = journal.add_session("2026-12-03T15:00", duration_min=90, location="clinic")
    journal.set_session_status(session.id, "cancelled")
    assert journal.sessions()[0].status == "cancelled"


def test_other_members_and_acting_as(journal: Journal) -> None:
    lee = journal.add_member("Dr. Lee", "therapist", background="BCBA, 9 years")
    with journal.acting_as(lee.id, at="2026-01-05T09:00:00.000000Z"):
        note = journal.add_entry("session", "Intake")
    assert note.author == lee.id and note.created_at == "2026-01-05T09:00:00.000000Z"
    assert journal.member_name(note.author) == "Dr. Lee"
    assert journal.me.name == "Ana Rivera"
    assert journal.get(Member, lee.id).background == "BCBA, 9 years"


def test_ids_resolve_by_prefix_and_report_missing(journal: Journal) -> None:
    entry = journal.add_entry("win", "Sat through dinner")
    assert journal.find(entry.id[:6]).id == entry.id
    with pytest.raises(NotFound):
        journal.find("ffffffffffff")


def test_change_passphrase_rewraps_without_new_key(journal: Journal, make_journal) -> None:
    journal.add_entry("win", "kept")
    key_before = journal.file.unlocked.key
    journal.change_passphrase("a brand new passphrase")
    with pytest.raises(WrongPassphrase):
        Journal.open(journal.path, PASSPHRASE)
    again = Journal.open(journal.path, "a brand new passphrase")
    assert again.file.unlocked.key == key_before
    assert [e.title for e in again.entries()] == ["kept"]
    assert again.me.id == journal.me.id


def test_recovery_code_opens_and_sets_a_new_passphrase(make_journal) -> None:
    journal, code = make_journal()
    typed = code.lower().replace("-", " ")
    recovered = Journal.open(journal.path, typed)
    assert recovered.opened_with == "recovery"
    assert recovered.me.id == journal.me.id
    recovered.change_passphrase("new after recovery")
    assert Journal.open(journal.path, "new after recovery").me.id == journal.me.id
    assert Journal.open(journal.path, code).opened_with == "recovery"


def test_stats_counts_kinds(journal: Journal) -> None:
    journal.add_entry("win", "a")
    journal.add_entry("win", "b")
    gone = journal.add_entry("checkin", "c")
    journal.delete(gone.id)
    stats = journal.stats()
    assert stats.counts["win"] == 2 and stats.counts["checkin"] == 0
    assert stats.deleted == 1
    assert stats.last_change


def test_a_reset_with_the_recovery_code_retires_the_forgotten_passphrase(make_journal) -> None:
    journal, code = make_journal()
    recovered = Journal.open(journal.path, code)
    recovered.change_passphrase("remembered this time")
    with pytest.raises(WrongPassphrase):
        Journal.open(journal.path, PASSPHRASE)
    assert Journal.open(journal.path, "remembered this time").me.id == journal.me.id
    assert Journal.open(journal.path, code).opened_with == "recovery"


def test_moving_a_goal_is_kept_in_its_history(journal: Journal) -> None:
    lee = journal.add_member("Dr. Lee", "therapist")
    goal = journal.add_goal("Requests with words")
    journal.move_goal(goal.id, "acquisition")
    with journal.acting_as(lee.id):
        journal.move_goal(goal.id, "mastered", note="criterion met three sessions running")
    history = journal.goal_history(goal.id)
    assert [(e.old_status, e.new_status) for e in history] == [
        ("baseline", "acquisition"),
        ("acquisition", "mastered"),
    ]
    assert history[1].author == lee.id and history[1].note.startswith("criterion")
    assert journal.get(Goal, goal.id).status == "mastered"
    with pytest.raises(JournalLocked):
        journal.delete(history[0].id)


def test_subgoals(journal: Journal) -> None:
    long_term = journal.add_goal("Independent morning routine")
    shoes = journal.add_goal("Puts on shoes", parent_id=long_term.id)
    assert [g.id for g in journal.subgoals(long_term.id)] == [shoes.id]


def test_a_change_request_is_answered_and_moves_the_session(journal: Journal) -> None:
    lee = journal.add_member("Dr. Lee", "therapist")
    session = journal.add_session("2026-12-03T15:00", duration_min=60, location="home")
    with journal.acting_as(lee.id):
        request = journal.request_change(
            session.id, "Can we move Thursday to Friday?", proposed_starts_at="2026-12-04T15:00"
        )
    assert [r.id for r in journal.open_requests(for_member=journal.me.id)] == [request.id]
    assert journal.open_requests(for_member=lee.id) == []
    journal.answer_request(request.id, accept=True, answer="Friday works")
    assert journal.open_requests() == []
    sessions = journal.sessions()
    assert [(s.starts_at, s.status) for s in sessions] == [
        ("2026-12-03T15:00", "moved"),
        ("2026-12-04T15:00", "planned"),
    ]
    assert sessions[0].moved_to == sessions[1].id
    with pytest.raises(UsageError):
        journal.answer_request(request.id, accept=False)


def test_a_declined_request_changes_nothing(journal: Journal) -> None:
    session = journal.add_session("2026-12-03T15:00")
    request = journal.request_change(session.id, "Could we skip this one?")
    journal.answer_request(request.id, accept=False, answer="Let's keep it")
    assert journal.sessions()[0].status == "planned"


def test_only_the_asker_withdraws_an_open_request(journal: Journal) -> None:
    lee = journal.add_member("Dr. Lee", "therapist")
    session = journal.add_session("2026-12-03T15:00")
    request = journal.request_change(session.id, "Could we skip this one?")
    with journal.acting_as(lee.id), pytest.raises(UsageError, match="only the member who asked"):
        journal.withdraw_request(request.id)
    withdrawn = journal.withdraw_request(request.id[:8])
    assert (withdrawn.status, withdrawn.answered_by) == ("withdrawn", journal.me.id)
    assert journal.open_requests() == []
    assert journal.sessions()[0].status == "planned"
    with pytest.raises(UsageError, match="already withdrawn"):
        journal.withdraw_request(request.id)
    with journal.acting_as(lee.id), pytest.raises(UsageError, match="already withdrawn"):
        journal.answer_request(request.id, accept=True)


def test_unread_resources(journal: Journal) -> None:
    lee = journal.add_member("Dr. Lee", "therapist")
    with journal.acting_as(lee.id):
        tip = journal.add_resource("Visual timers", text="Use a timer before transitions.")
    mine = journal.add_resource("A book we liked", kind="reading")
    assert [r.id for r in journal.unread_resources()] == [tip.id]
    assert [r.id for r in journal.unread_resources(lee.id)] == [mine.id]
    journal.acknowledge(tip.id)
    assert journal.unread_resources() == []
