"""Merging copies: each failure mode users reported (docs/SYNC.md, shared notes) as a test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from journal.clock import format_hlc, wall_millis
from journal.errors import (
    MergeTooDestructive,
    NewerFormat,
    OtherJournal,
    UsageError,
    WrongPassphrase,
)
from journal.journal import DOCUMENT_VERSION, Journal
from journal.merge import MAX_CLOCK_AHEAD_MS, deletion_disputed, deletion_overridden
from journal.model import Entry, Resource
from tests.conftest import PASSPHRASE, copy_of

ROOT = Path(__file__).resolve().parents[1]
DAY_MS = 24 * 3600 * 1000


def exchange(mine: Journal, theirs: Journal) -> None:
    """Both save, then each merges the other's file (email both ways)."""
    mine.save()
    theirs.save()
    mine.merge_copy(theirs.path)
    theirs.merge_copy(mine.path)


def edited_on_both(
    journal: Journal,
    mine: dict[str, Any],
    theirs: dict[str, Any],
    *,
    body: str = "A",
    copy: str = "other.tandem",
) -> tuple[Entry, Journal]:
    """An entry saved and copied, edited with `mine` here and `theirs` on the copy offline,
    then the copies exchanged; returns the entry (as first written) and the copy."""
    entry = journal.add_entry("checkin", "Tuesday", body=body)
    journal.save()
    other = copy_of(journal, copy)
    journal.edit_entry(entry.id, **mine)
    other.edit_entry(entry.id, **theirs)
    exchange(journal, other)
    return entry, other


def test_both_edit_the_same_entry_offline_and_both_texts_survive(journal: Journal) -> None:
    entry, other = edited_on_both(
        journal,
        {"body": "Slept badly, woke at 3."},
        {"body": "Slept badly. Melatonin?"},
        body="Slept badly.",
        copy="therapist.tandem",
    )
    for side in (journal, other):
        versions = side.conflicts(entry.id)["body"]
        assert {v.value for v in versions} == {"Slept badly, woke at 3.", "Slept badly. Melatonin?"}
        assert side.get(Entry, entry.id).body == versions[0].value
    assert journal.get(Entry, entry.id).body == other.get(Entry, entry.id).body
    assert [r.id for r in journal.records_in_conflict()] == [entry.id]


def test_concurrent_edits_of_different_fields_merge_without_conflict(journal: Journal) -> None:
    entry, _other = edited_on_both(
        journal,
        {"tags": ["sleep"]},
        {"body": "Slept badly; we tried the weighted blanket."},
        body="Slept badly.",
        copy="therapist.tandem",
    )
    merged = journal.get(Entry, entry.id)
    assert merged.tags == ["sleep"]
    assert merged.body == "Slept badly; we tried the weighted blanket."
    assert journal.conflicts(entry.id) == {}


def test_same_timestamp_different_content_keeps_both_and_agrees(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = journal.add_entry("win", "Waited for his turn")
    journal.save()
    other = copy_of(journal, "other.tandem")
    frozen = wall_millis() + 1000
    monkeypatch.setattr("journal.clock.wall_millis", lambda: frozen)
    journal.edit_entry(entry.id, title="Waited for his turn at the slide")
    other.edit_entry(entry.id, title="Waited for his turn on the swing")
    monkeypatch.undo()
    assert journal.get(Entry, entry.id).hlc == other.get(Entry, entry.id).hlc
    exchange(journal, other)
    titles = {v.value for v in journal.conflicts(entry.id)["title"]}
    assert titles == {"Waited for his turn at the slide", "Waited for his turn on the swing"}
    assert journal.get(Entry, entry.id).title == other.get(Entry, entry.id).title


@pytest.mark.parametrize("deleter_first", [True, False])
def test_an_edit_beats_a_concurrent_delete(journal: Journal, deleter_first: bool) -> None:
    entry = journal.add_entry("question", "Visual schedule?", body="Should we try one?")
    journal.save()
    other = copy_of(journal, "other.tandem")
    journal.delete(entry.id)
    other.edit_entry(entry.id, body="Should we try one at bedtime too?")
    if deleter_first:
        exchange(journal, other)
    else:
        exchange(other, journal)
    for side in (journal, other):
        kept = side.get(Entry, entry.id)
        assert not kept.deleted
        assert kept.body == "Should we try one at bedtime too?"
        assert kept.deletion is not None  # the notice: someone deleted it meanwhile
        assert entry.id in [r.id for r in side.records_in_conflict()]


def test_a_deleted_record_never_comes_back_from_an_older_copy(journal: Journal) -> None:
    entry = journal.add_entry("incident", "Hit at the store")
    journal.save()
    old_copy = copy_of(journal, "old.tandem")
    third = copy_of(journal, "third.tandem")
    journal.delete(entry.id)
    journal.save()
    third.merge_copy(journal.path)
    third.save()
    for source in (old_copy.path, third.path, old_copy.path):
        journal.merge_copy(source)
        assert journal.get(Entry, entry.id).deleted
    old_copy.merge_copy(third.path)
    assert old_copy.get(Entry, entry.id).deleted


def test_remerging_the_same_copy_creates_no_duplicates(journal: Journal) -> None:
    journal.save()
    other = copy_of(journal, "other.tandem")
    first_win = other.add_entry("win", "win 0")
    for n in range(3):
        other.add_entry("win", f"win {n + 1}")
        other.comment(first_win.id, f"comment {n}")
    other.save()
    first = journal.merge_copy(other.path)
    assert len(first.tables["entries"].added) == 4
    again = journal.merge_copy(other.path)
    assert again.empty
    assert len(journal.entries()) == 4
    assert len(journal.thread(first_win.id)) == 3


def test_comments_merge_as_a_set(journal: Journal) -> None:
    goal = journal.add_goal("Requests with words")
    journal.save()
    other = copy_of(journal, "other.tandem")
    journal.comment(goal.id, "How did it go at grandma's?")
    other.comment(goal.id, "Great session today, 8/10.")
    exchange(journal, other)
    assert sorted(c.body for c in journal.thread(goal.id)) == sorted(
        c.body for c in other.thread(goal.id)
    )
    assert len(journal.thread(goal.id)) == 2
    assert journal.records_in_conflict() == []


def test_acknowledgements_by_two_members_do_not_conflict(journal: Journal) -> None:
    lee = journal.add_member("Dr. Lee", "therapist")
    resource = journal.add_resource("Visual schedules", url="https://example.org")
    journal.save()
    other = copy_of(journal, "other.tandem")
    journal.acknowledge(resource.id)
    with other.acting_as(lee.id):
        other.acknowledge(resource.id)
    exchange(journal, other)
    assert set(journal.get(Resource, resource.id).acknowledged) == {journal.me.id, lee.id}
    assert journal.records_in_conflict() == []


def test_resolving_keeps_one_version_everywhere(journal: Journal) -> None:
    entry, other = edited_on_both(journal, {"body": "mine"}, {"body": "theirs"})
    with pytest.raises(Exception, match="resolve the conflict first"):
        journal.edit_entry(entry.id, body="sneaky overwrite")
    theirs = next(v for v in journal.conflicts(entry.id)["body"] if v.value == "theirs")
    journal.resolve(entry.id, "body", keep=theirs.dot)
    exchange(journal, other)
    for side in (journal, other):
        assert side.get(Entry, entry.id).body == "theirs"
        assert side.conflicts(entry.id) == {}


def test_resolving_with_merged_text(journal: Journal) -> None:
    entry, other = edited_on_both(journal, {"body": "mine"}, {"body": "theirs"})
    journal.resolve(entry.id, "body", value="mine and theirs")
    exchange(journal, other)
    assert other.get(Entry, entry.id).body == "mine and theirs"
    assert other.conflicts(entry.id) == {}


def test_a_clock_a_year_ahead_does_not_win_every_later_conflict(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = journal.add_entry("checkin", "Tuesday", body="A")
    journal.save()
    ahead = copy_of(journal, "ahead.tandem")
    real_now = wall_millis()
    monkeypatch.setattr("journal.clock.wall_millis", lambda: real_now + 365 * DAY_MS)
    ahead.edit_entry(entry.id, body="written on the machine a year ahead")
    monkeypatch.undo()
    ahead.save()
    report = journal.merge_copy(ahead.path)
    assert report.clock.clamped >= 1
    assert report.clock.max_ahead_ms > 364 * DAY_MS
    merged = journal.get(Entry, entry.id)
    bound = format_hlc(wall_millis() + MAX_CLOCK_AHEAD_MS, 99999)
    assert merged.hlc <= bound
    # a later, concurrent edit by someone else is ordered fairly: it is shown first
    journal.save()
    late = copy_of(journal, "late.tandem")
    ahead.merge_copy(journal.path)
    monkeypatch.setattr("journal.clock.wall_millis", lambda: real_now + 365 * DAY_MS)
    ahead.edit_entry(entry.id, body="the far-ahead machine again")
    monkeypatch.undo()
    monkeypatch.setattr("journal.clock.wall_millis", lambda: real_now + 20 * 60 * 1000)
    late.edit_entry(entry.id, body="twenty minutes later, for real")
    ahead.save()
    late.merge_copy(ahead.path)
    assert late.get(Entry, entry.id).body == "twenty minutes later, for real"


def test_a_passphrase_change_is_not_undone_by_an_older_copy(journal: Journal, make_journal) -> None:
    journal.add_entry("win", "x")
    journal.save()
    old_copy = copy_of(journal, "old.tandem")
    journal.change_passphrase("the new one")
    journal.merge_copy(old_copy.path)
    journal.save()
    with pytest.raises(WrongPassphrase):
        Journal.open(journal.path, PASSPHRASE)
    assert Journal.open(journal.path, "the new one").entries()
    # and the other way: the older copy learns the change when it merges ours
    old_copy.merge_copy(journal.path)
    old_copy.save()
    with pytest.raises(WrongPassphrase):
        Journal.open(old_copy.path, PASSPHRASE)


def test_a_copy_under_a_passphrase_you_do_not_know_still_merges(journal: Journal) -> None:
    journal.save()
    _lee, code = journal.invite("Dr. Lee", "therapist")
    other = copy_of(journal, "other.tandem")  # the file Lee receives by email
    invited = Journal.open(other.path, code)
    invited.change_passphrase("lee's own secret")
    other = Journal.open(other.path, "lee's own secret")
    other.add_entry("session", "Session 1")
    other.save()
    journal.change_passphrase("my new passphrase")  # the copy has never heard of it
    with pytest.raises(WrongPassphrase):
        Journal.open(other.path, "my new passphrase")
    journal.merge_copy(other.path)
    assert [e.title for e in journal.entries()] == ["Session 1"]


def test_recovery_code_survives_merges(make_journal) -> None:
    journal, code = make_journal()
    journal.save()
    other = copy_of(journal, "other.tandem")
    other.change_passphrase("changed on the other copy")
    other.save()
    journal.merge_copy(other.path)
    journal.save()
    assert Journal.open(journal.path, code).opened_with == "recovery"


def test_a_copy_of_another_journal_is_refused(journal: Journal, make_journal) -> None:
    stranger, _code = make_journal("stranger.tandem")
    with pytest.raises(OtherJournal):
        journal.merge_copy(stranger.path)


def test_a_merge_deleting_more_than_half_stops(journal: Journal) -> None:
    ids = [journal.add_entry("win", f"w{n}").id for n in range(4)]
    journal.save()
    other = copy_of(journal, "other.tandem")
    for entry_id in ids[:3]:
        other.delete(entry_id)
    other.save()
    preview = journal.merge_copy(other.path, dry_run=True)
    assert preview.deleted_count == 3
    assert len(journal.entries()) == 4
    with pytest.raises(MergeTooDestructive, match="--force"):
        journal.merge_copy(other.path)
    assert len(journal.entries()) == 4
    journal.merge_copy(other.path, force=True)
    assert len(journal.entries()) == 1


def test_a_copy_from_a_newer_version_is_refused(journal: Journal) -> None:
    journal.save()
    newer = copy_of(journal, "newer.tandem")
    newer._middleware.cache["tandem"] = DOCUMENT_VERSION + 1  # type: ignore[index]
    newer._middleware.dirty = True
    newer.save()
    with pytest.raises(NewerFormat):
        journal.merge_copy(newer.path)
    with pytest.raises(NewerFormat):
        Journal.open(newer.path, PASSPHRASE)


ADDER = """
import sys
from journal.journal import Journal
for n in range(int(sys.argv[3])):
    journal = Journal.open(sys.argv[1], sys.argv[2])
    journal.add_entry("checkin", f"{sys.argv[4]} {n}")
    journal.save()
"""


def test_two_processes_writing_at_once_lose_nothing(journal: Journal) -> None:
    journal.save()
    env = dict(os.environ)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", ADDER, str(journal.path), PASSPHRASE, "15", name],
            cwd=ROOT,
            env=env,
        )
        for name in ("app", "script")
    ]
    for writer in writers:
        assert writer.wait(timeout=120) == 0
    titles = {e.title for e in Journal.open(journal.path, PASSPHRASE).entries()}
    assert titles == {f"{name} {n}" for name in ("app", "script") for n in range(15)}


def test_a_long_open_journal_merges_other_writers_on_save(journal: Journal) -> None:
    journal.save()
    env = dict(os.environ)
    subprocess.run(
        [sys.executable, "-c", ADDER, str(journal.path), PASSPHRASE, "5", "script"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    journal.add_entry("checkin", "from the app")
    report = journal.save()
    assert report is not None
    titles = {e.title for e in Journal.open(journal.path, PASSPHRASE).entries()}
    assert titles == {"from the app"} | {f"script {n}" for n in range(5)}


def test_an_invite_opens_only_to_set_a_passphrase_then_stops_working(journal: Journal) -> None:
    lee, code = journal.invite("Dr. Lee", "therapist")
    assert len(code.replace("-", "")) * 5 >= 80
    invited = Journal.open(journal.path, code)
    assert invited.needs_own_passphrase and invited.me.id == lee.id
    with pytest.raises(UsageError, match="set your own passphrase"):
        invited.add_entry("win", "not yet")
    invited.change_passphrase("lee's passphrase")
    with pytest.raises(WrongPassphrase):
        Journal.open(journal.path, code)
    lee_view = Journal.open(journal.path, "lee's passphrase")
    assert lee_view.me.name == "Dr. Lee" and not lee_view.needs_own_passphrase


def test_the_new_members_slot_survives_merging_back_into_the_inviters_copy(
    journal: Journal,
) -> None:
    _lee, code = journal.invite("Dr. Lee", "therapist")
    lee_path = journal.path.with_name("lee.tandem")
    shutil.copyfile(journal.path, lee_path)
    Journal.open(lee_path, code).change_passphrase("lee's passphrase")
    lee = Journal.open(lee_path, "lee's passphrase")
    lee.add_entry("session", "Intake")
    lee.save()
    journal.add_entry("checkin", "Monday")
    journal.merge_copy(lee_path)
    journal.save()
    assert Journal.open(journal.path, "lee's passphrase").me.name == "Dr. Lee"
    with pytest.raises(WrongPassphrase):
        Journal.open(journal.path, code)
    assert Journal.open(journal.path, PASSPHRASE).me.id == journal.me.id


def test_only_the_recovery_code_sets_someone_elses_passphrase(make_journal) -> None:
    journal, code = make_journal()
    lee, _invite = journal.invite("Dr. Lee", "therapist")
    with pytest.raises(UsageError, match="only change your own"):
        journal.change_passphrase("hijack", lee.id)
    recovered = Journal.open(journal.path, code)
    recovered.change_passphrase("set by recovery", lee.id)
    assert Journal.open(journal.path, "set by recovery").me.id == lee.id
    assert Journal.open(journal.path, PASSPHRASE).me.id == journal.me.id


def test_a_merge_is_described_in_words(journal: Journal) -> None:
    lee = journal.add_member("Dr. Lee", "therapist")  # an invited member's keys are their own
    entry = journal.add_entry("checkin", "Tuesday", body="A")
    journal.save()
    other = copy_of(journal, "other.tandem")
    with other.acting_as(lee.id):
        other.add_entry("session", "Session 3")
        other.add_entry("session", "Session 4")
    other.edit_entry(entry.id, body="theirs")  # only an entry's author edits it
    journal.edit_entry(entry.id, body="mine")
    other.save()
    lines = journal.describe_merge(journal.merge_copy(other.path))
    assert "2 new entries from Dr. Lee" in lines
    assert "1 conflict to resolve: Tuesday (body)" in lines


def test_two_copies_deleting_the_same_record_agree(journal: Journal) -> None:
    entry = journal.add_entry("win", "duplicate")
    journal.save()
    other = copy_of(journal, "other.tandem")
    journal.delete(entry.id)
    other.delete(entry.id)
    exchange(journal, other)
    assert journal.get(Entry, entry.id).deleted
    assert journal.records_in_conflict() == []


def test_both_copies_resolving_a_thread_never_blocks_it(journal: Journal) -> None:
    entry = journal.add_entry("question", "Bedtime?")
    journal.comment(entry.id, "What time is right?")
    journal.save()
    other = copy_of(journal, "other.tandem")
    journal.set_thread_status(entry.id, "resolved")
    other.set_thread_status(entry.id, "resolved")
    exchange(journal, other)
    journal.comment(entry.id, "One more question")
    assert journal.thread_status(entry.id) == "open"
    journal.set_thread_status(entry.id, "resolved")
    assert journal.records_in_conflict() == []


MERGING_SAVER = """
import sys
from journal.journal import Journal
path, theirs, secret = sys.argv[1], sys.argv[2], sys.argv[3]
n = 0
while True:
    n += 1
    journal = Journal.open(path, secret)
    journal.merge_copy(theirs)
    journal.add_entry("checkin", f"mine {n}", body="m" * 3000)
    journal.save()
    print(n, flush=True)
"""


def test_a_merge_and_save_killed_at_random_points_loses_nothing(journal: Journal) -> None:
    import random
    import signal
    import time

    for n in range(100):
        journal.add_entry("win", f"base {n}", body="b" * 500)
    journal.save()
    theirs = copy_of(journal, "theirs.tandem")
    for n in range(50):
        theirs.add_entry("session", f"theirs {n}", body="t" * 800)
    theirs.save()
    rng = random.Random(99)
    confirmed = 0
    for _round in range(8):
        process = subprocess.Popen(
            [sys.executable, "-c", MERGING_SAVER, str(journal.path), str(theirs.path), PASSPHRASE],
            cwd=ROOT,
            env=dict(os.environ),
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(rng.uniform(0.3, 1.2))
        process.send_signal(signal.SIGKILL)
        out, _ = process.communicate()
        saved = out.split()
        confirmed += len(saved)
        survivor = Journal.open(journal.path, PASSPHRASE)  # always openable
        survivor.merge_copy(theirs.path)
        titles = {e.title for e in survivor.entries()}
        assert {f"mine {n}" for n in saved} <= titles  # every save that finished
        assert {f"base {n}" for n in range(100)} <= titles
        assert {f"theirs {n}" for n in range(50)} <= titles
    assert confirmed > 0, "no save finished before a kill: the test proves nothing"


# --- issue #12: a deletion never wins over an edit it did not see -------------------


def later() -> None:
    """Let the wall clock move on, so the next change has the later clock time."""
    time.sleep(0.005)


def test_an_edit_hidden_in_a_conflict_still_beats_a_deletion_that_missed_it(
    journal: Journal,
) -> None:
    # A and B edit the body at once; T sees only B's edit and deletes the entry.
    entry = journal.add_entry("checkin", "Tuesday", body="Slept badly.")
    journal.save()
    b = copy_of(journal, "b.tandem")
    t = copy_of(journal, "t.tandem")
    journal.edit_entry(entry.id, body="A: woke at 3.")
    later()
    b.edit_entry(entry.id, body="B: melatonin?")  # the later clock: the version shown
    b.save()
    t.merge_copy(b.path)
    t.delete(entry.id)
    t.save()
    journal.merge_copy(t.path)
    kept = journal.get(Entry, entry.id)
    assert not kept.deleted
    assert kept.deletion is not None  # the notice: T deleted it
    assert {v.value for v in journal.conflicts(entry.id)["body"]} == {
        "A: woke at 3.",
        "B: melatonin?",
    }
    assert [r.id for r in journal.records_in_conflict()] == [entry.id]
    # every copy agrees once all have met
    journal.save()
    for side in (b, t):
        side.merge_copy(journal.path)
        assert not side.get(Entry, entry.id).deleted
        assert entry.id in [r.id for r in side.records_in_conflict()]


def test_two_deletions_of_one_record_do_not_bring_it_back(journal: Journal) -> None:
    # B edits then deletes; A deletes without having seen B's edit (A's clock is later).
    entry = journal.add_entry("checkin", "Duplicate", body="x")
    keep = journal.add_entry("checkin", "Stays")
    journal.save()
    b = copy_of(journal, "b.tandem")
    b.edit_entry(entry.id, body="x, fixed")
    b.delete(entry.id)
    later()
    journal.delete(entry.id)
    exchange(journal, b)
    for side in (journal, b):
        assert side.get(Entry, entry.id).deleted
        assert [e.id for e in side.entries()] == [keep.id]
        assert side.records_in_conflict() == []


@pytest.mark.parametrize("delete_later", [True, False])
def test_keep_and_delete_at_once_is_a_conflict_for_a_person(
    journal: Journal, delete_later: bool
) -> None:
    entry = journal.add_entry("question", "Visual schedule?", body="Try one?")
    journal.save()
    other = copy_of(journal, "other.tandem")
    journal.delete(entry.id)
    other.edit_entry(entry.id, body="Try one at bedtime too?")
    exchange(journal, other)
    assert deletion_overridden(journal.stored_doc("entries", entry.id) or {})
    # one keeps the record, the other deletes it, neither having seen the other's answer
    if delete_later:
        journal.keep_deleted_record(entry.id)
        later()
        other.delete(entry.id)
    else:
        other.delete(entry.id)
        later()
        journal.keep_deleted_record(entry.id)
    exchange(journal, other)
    for side in (journal, other):
        doc = side.stored_doc("entries", entry.id) or {}
        assert not side.get(Entry, entry.id).deleted  # a person decides
        assert deletion_overridden(doc) and deletion_disputed(doc)
        assert side.get(Entry, entry.id).deletion is not None  # who deleted it, for the notice
        assert [r.id for r in side.records_in_conflict()] == [entry.id]
    # deciding settles it everywhere
    journal.delete(entry.id)
    exchange(journal, other)
    for side in (journal, other):
        assert side.get(Entry, entry.id).deleted
        assert side.records_in_conflict() == []
