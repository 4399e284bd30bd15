"""One description of a merge (journal/merge_report.py), for the app and the command line."""

from __future__ import annotations

from typing import Any

import pytest

from journal.journal import Journal
from journal.merge import ClockReport, MergeReport, TableChanges
from journal.merge_report import (
    ahead_text,
    clock_warning,
    conflict_state,
    describe_merge,
    noun,
    record_label,
    record_name,
    record_type,
)
from journal.model import TABLES, Entry
from tests.conftest import copy_of

DAY_MS = 24 * 3600 * 1000


def report_of(clock: ClockReport | None = None, **tables: TableChanges) -> MergeReport:
    return MergeReport(tables=dict(tables), clock=clock or ClockReport(), live_before=10)


def members(**names: str) -> dict[str, Any]:
    return {
        "members": {member_id: {"id": member_id, "name": name} for member_id, name in names.items()}
    }


# --- naming records ---------------------------------------------------------------------


def test_records_are_named_by_what_people_call_them() -> None:
    assert record_name("entries", {"title": "Tuesday"}, "0123456789") == "Tuesday"
    assert record_name("members", {"name": "Dr. Lee"}, "m") == "Dr. Lee"
    assert record_name("sessions", {"starts_at": "2026-11-26T10:00"}, "s") == (
        "session of 2026-11-26 10:00"
    )
    assert record_name("measurements", {"date": "2026-11-26"}, "x") == "measurement of 2026-11-26"
    assert record_name("comments", {"body": "Hi"}, "abcdef0123") == "comment abcdef01"
    assert record_name("threads", {}, "abcdef0123") == "thread state abcdef01"
    assert record_name("meta", {}, "x") == "the journal page"
    assert record_name("entries", None, "abcdef0123") == "abcdef01"


def test_a_label_is_safe_and_short() -> None:
    label = record_label("entries", {"title": "\x1b[31mred\n" + "x" * 60}, "e")
    assert "\x1b" not in label and "\n" not in label
    assert label.startswith("\\x1b[31mred x") and label.endswith("…")
    assert len(label) == 40


def test_every_table_has_a_noun_and_json_types_stay() -> None:
    assert noun("entries") == ("entry", "entries")
    assert noun("goal_events") == ("goal move", "goal moves")
    assert noun("requests") == ("change request", "change requests")
    assert record_type("meta") == "journal" and record_type("entries") == "entry"
    assert record_type("goal_events") == "goal_events"


def test_a_report_names_the_records_of_every_table() -> None:
    assert {table: noun(table)[1] for table in TABLES} == {
        "meta": "journal pages",
        "members": "members",
        "entries": "entries",
        "goals": "goals",
        "measurements": "measurements",
        "comments": "comments",
        "threads": "threads",
        "resources": "resources",
        "sessions": "sessions",
        "goal_events": "goal moves",
        "requests": "change requests",
        "events": "events",
    }
    assert noun("meta")[0] == "journal page" and noun("sessions")[0] == "session"
    assert noun("unknown") == ("unknown", "unknown")


def test_a_tombstone_has_nothing_to_resolve() -> None:
    assert conflict_state(None) == ([], False)
    assert conflict_state({"conflicts": [{"unit": "body"}], "deleted_at": "2026"}) == ([], False)


# --- clocks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("millis", "text"),
    [
        (364 * DAY_MS + 5, "364 days"),
        (2 * DAY_MS, "2 days"),
        (DAY_MS, "24 hours"),
        (5 * 3600 * 1000, "5 hours"),
        (90 * 60 * 1000, "90 minutes"),
        (60 * 1000, "1 minute"),
        (10, "1 minute"),
    ],
)
def test_how_far_a_clock_was_ahead(millis: int, text: str) -> None:
    assert ahead_text(millis) == text


def test_a_clock_warning_only_when_a_clock_was_clamped() -> None:
    assert clock_warning(ClockReport()) is None
    assert clock_warning(ClockReport(clamped=2, max_ahead_ms=3 * DAY_MS)) == (
        "that copy's clock was 3 days ahead; its changes are ordered as if made now"
    )


# --- the forms of one description ---------------------------------------------------------


def test_nothing_new_reads_the_same_everywhere() -> None:
    described = describe_merge(report_of(entries=TableChanges()))
    assert described.nothing_new
    assert described.line() == "nothing new"
    assert described.summary() == "nothing new"
    assert described.lines() == []
    assert described.to_json()["nothing_new"] is True


def test_counts_per_table_in_each_form() -> None:
    after = {
        **members(m1="Dr. Lee", m2="Ana"),
        "entries": {
            "e1": {"author": "m1", "deleted_at": None},
            "e2": {"author": "m1", "deleted_at": None},
            "e3": {"author": "m2", "deleted_at": None},
        },
        "comments": {"c1": {"author": "m2", "deleted_at": None}},
    }
    report = report_of(
        entries=TableChanges(added=["e1", "e2", "e3"], changed=["e4"], deleted=["e5"]),
        comments=TableChanges(added=["c1"]),
        goals=TableChanges(changed=["g1"]),
    )
    described = describe_merge(report, before={}, after=after, name="lee.tandem")
    assert described.line() == "entries +3 ~1 -1, comments +1, goals +0 ~1 -0"
    assert (
        described.summary()
        == "3 entries added, 1 changed, 1 deleted; 1 comment added; 1 goal changed"
    )
    assert described.lines() == [
        "1 new entry from Ana",
        "2 new entries from Dr. Lee",
        "1 entry changed",
        "1 entry deleted",
        "1 new comment from Ana",
        "1 goal changed",
    ]
    data = described.to_json()
    assert data["file"] == "lee.tandem"
    assert data["tables"]["entries"]["added"] == ["e1", "e2", "e3"]
    assert set(data["tables"]) == {"entries", "comments", "goals"}
    assert (data["deleted"], data["live_before"], data["deletes_too_much"]) == (1, 10, False)


def test_new_records_deleted_on_arrival_are_not_announced_as_new() -> None:
    after = {**members(m1="Dr. Lee"), "entries": {"e1": {"author": "m1", "deleted_at": "2026"}}}
    described = describe_merge(report_of(entries=TableChanges(added=["e1"])), after=after)
    assert described.lines() == []
    assert described.line() == "entries +1 ~0 -0"


def test_resolved_conflicts_and_clocks() -> None:
    report = report_of(
        ClockReport(clamped=1, max_ahead_ms=364 * DAY_MS),
        entries=TableChanges(changed=["e1", "e2"], resolved=["e1", "e2"]),
    )
    described = describe_merge(report, before={}, after={})
    assert "2 conflicts resolved on that copy" in described.line()
    assert described.summary() == "2 entries changed; 2 conflicts resolved"
    assert described.lines()[-2:] == [
        "2 conflicts resolved on the other copy",
        "that copy's clock was 364 days ahead; its changes are ordered as if made now",
    ]
    assert described.to_json()["clock"] == {"clamped": 1, "max_ahead_ms": 364 * DAY_MS}


def test_a_new_passphrase_slot_is_counted_and_not_shown_as_a_page_change() -> None:
    page = {"id": "j", "title": "Sam", "slot_owners": {"s1": "m1"}}
    before = {"meta": {"j": page}}
    after = {"meta": {"j": {**page, "slot_owners": {"s1": "m1", "s2": "m2"}}}}
    report = report_of(meta=TableChanges(changed=["j"]))
    described = describe_merge(report, before=before, after=after)
    assert described.slots == 1
    assert described.line() == "1 new passphrase or invitation"
    assert described.summary() == "1 new passphrase or invitation"
    assert described.to_json()["new_passphrases_or_invitations"] == 1


def test_only_sync_details() -> None:
    page = {"id": "j", "slot_owners": {"s1": "m1"}}
    before = {"meta": {"j": page}}
    after = {"meta": {"j": {**page, "slot_owners": {"s1": "m2"}}}}
    described = describe_merge(
        report_of(meta=TableChanges(changed=["j"])), before=before, after=after
    )
    assert described.slots == 0
    assert described.line() == "only sync details changed"


def test_a_refused_merge_names_its_conflicts_without_fields() -> None:
    before = {"entries": {"e1": {"title": "Tuesday", "deleted_at": None}}}
    report = report_of(entries=TableChanges(changed=["e1"], conflicts=["e1"]))
    described = describe_merge(report, before=before, after=None)
    assert described.line() == "entries +0 ~1 -0; 1 conflict: Tuesday"
    assert "1 conflict to resolve: Tuesday" in described.lines()
    assert described.to_json()["conflicts"] == [
        {"type": "entry", "id": "e1", "title": "Tuesday", "fields": []}
    ]


# --- with real copies ---------------------------------------------------------------------


def diverged(journal: Journal) -> tuple[Journal, str]:
    """The therapist's copy: a session and a comment, and the same entry retitled on both."""
    entry = journal.add_entry("checkin", "Tuesday")
    therapist = journal.add_member("Dr. Lee", "therapist").id
    journal.save()
    theirs = copy_of(journal, "lee.tandem")
    theirs.edit_entry(entry.id, title="Tuesday (Lee)")  # the entry's author edits it there
    with theirs.acting_as(therapist):
        theirs.comment(entry.id, "Noted")
        theirs.add_entry("session", "Session 3")
    theirs.save()
    journal.edit_entry(entry.id, title="Tuesday (Ana)")
    return theirs, entry.id


def test_the_app_and_the_command_line_say_the_same_merge(journal: Journal) -> None:
    other, entry_id = diverged(journal)
    before = journal.document()
    report = journal.merge_copy(other.path)
    described = describe_merge(report, before=before, after=journal.document(), name="other")
    assert (
        journal.describe_merge(report) == describe_merge(report, after=journal.document()).lines()
    )
    # Which of the two titles is shown is the merge's choice; the description names that one.
    shown = journal.get(Entry, entry_id).title
    changed = len(report.tables["entries"].changed)
    lines = described.lines()
    assert "1 new entry from Dr. Lee" in lines and "1 new comment from Dr. Lee" in lines
    assert ("1 entry changed" in lines) == (changed == 1)
    assert lines[-1] == f"1 conflict to resolve: {shown} (title)"
    assert described.line() == (
        f"entries +1 ~{changed} -0, comments +1; 1 conflict: {shown} (title)"
    )
    assert described.summary().endswith("1 comment added; 1 new conflict")
    assert described.to_json()["conflicts"] == [
        {"type": "entry", "id": entry_id, "title": shown, "fields": ["title"]}
    ]


def test_a_dry_run_is_described_from_its_preview(journal: Journal) -> None:
    other, _entry_id = diverged(journal)
    report = journal.merge_copy(other.path, dry_run=True)
    assert "1 new entry from Dr. Lee" in journal.describe_merge(report)


def test_a_record_kept_despite_a_deletion(journal: Journal) -> None:
    entry = journal.add_entry("question", "Visual schedule?")
    journal.save()
    other = copy_of(journal, "other.tandem")
    journal.delete(entry.id)
    other.edit_entry(entry.id, title="Visual schedule?", body="Yes, try it")
    other.save()
    before = journal.document()
    report = journal.merge_copy(other.path)
    described = describe_merge(report, before=before, after=journal.document())
    assert "kept despite a deletion: Visual schedule?" in described.line()
    assert "kept despite a deletion: Visual schedule?" in described.lines()
    assert described.to_json()["deletions_overridden"] == [
        {"type": "entry", "id": entry.id, "title": "Visual schedule?"}
    ]
