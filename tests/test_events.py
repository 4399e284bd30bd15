"""Dated events on goal charts (the `events` table), the new fields of a measurement taken
live, and how a copy holding them is checked and merged (docs/MODEL.md)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from journal.errors import DamagedFile, UsageError
from journal.journal import Journal
from journal.model import Event
from journal.reports import csv_files, export_json, import_file
from journal.validate import check_records
from tests.conftest import MakeJournal
from tests.test_cli import Cli, run  # noqa: F401  (the fixture)

RECORD_ID = "a" * 32


def test_add_edit_list_and_delete_events(journal: Journal) -> None:
    goal = journal.add_goal("Asks for help")
    other = journal.add_goal("Waits")
    everyone = journal.add_event("2026-02-01", "  started   melatonin ", note="1 mg")
    only = journal.add_event("2026-01-10", "new teacher", goals=[goal.id[:8]])
    assert everyone.title == "started melatonin" and only.goals == [goal.id]
    assert [e.title for e in journal.events()] == ["new teacher", "started melatonin"]
    assert [e.title for e in journal.events(other.id)] == ["started melatonin"]
    assert len(journal.events(goal.id)) == 2
    journal.edit_event(only.id, date="2026-03-01T10:00", goals=[])
    assert journal.get(Event, only.id).date == "2026-03-01"
    assert [e.title for e in journal.events(other.id)] == ["started melatonin", "new teacher"]
    journal.delete(everyone.id)
    assert [e.id for e in journal.events()] == [only.id]
    with pytest.raises(UsageError, match="bad date"):
        journal.add_event("soon", "x")
    with pytest.raises(UsageError, match="needs a title"):
        journal.add_event("2026-01-01", "  ")


def test_events_merge_like_any_record(make_journal, tmp_path) -> None:  # type: ignore[no-untyped-def]
    journal, _code = make_journal()
    event = journal.add_event("2026-02-01", "started melatonin")
    journal.save()
    copy = Journal.open(journal.path, "correct horse battery staple")
    copy.edit_event(event.id, note="0.5 mg at 19:00")
    journal.edit_event(event.id, title="started melatonin (0.5 mg)")
    copy.save()
    journal.save()  # merges the copy on disk first
    merged = journal.get(Event, event.id)
    assert (merged.title, merged.note) == ("started melatonin (0.5 mg)", "0.5 mg at 19:00")
    assert not merged.conflicts


def test_live_fields_are_stored_and_checked(journal: Journal) -> None:
    goal = journal.add_goal("Hits", measure="count")
    point = journal.record_measurement(
        goal.id,
        value=3,
        collector="frequency",
        observer="Ms. Kay",
        started_at="2026-01-05T09:00:00",
        ended_at="2026-01-05T09:20:00",
        counts={"hit": 2, "kick": 1},
        minutes=20.0,
        rate=9.0,
    )
    stored = journal.stored_doc("measurements", point.id)
    assert stored is not None
    assert stored["counts"] == {"hit": 2, "kick": 1} and stored["rate"] == 9.0
    check_records("measurements", {point.id: stored})
    with pytest.raises(UsageError, match="unknown collector"):
        journal.record_measurement(goal.id, value=1, collector="guess")
    with pytest.raises(UsageError, match="whole number of 0 or more"):
        journal.record_measurement(goal.id, value=1, counts={"hit": -1})
    with pytest.raises(UsageError, match="numbers of 0 or more"):
        journal.record_measurement(goal.id, value=1, episodes=[float("nan")])
    with pytest.raises(UsageError, match="at least 1 second"):
        journal.record_measurement(goal.id, value=1, interval_seconds=0)


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("prompts", {"verbal": -1}, "its 'prompts' is not an object of whole numbers from 0"),
        ("counts", {"hit": 1.5}, "its 'counts' is not an object of whole numbers from 0"),
        ("minutes", -2, "its 'minutes' is not a number from 0, or null"),
        ("rate", "fast", "its 'rate' is text, not a number from 0, or null"),
        ("episodes", [3, -1], "its 'episodes' is not a list of numbers from 0"),
        ("interval_seconds", 0, "its 'interval_seconds' is not a whole number from 1, or null"),
        ("intervals", [1, 0], "its 'intervals' is not a list of true or false"),
        ("collector", 7, "its 'collector' is a whole number, not text"),
    ],
)
def test_a_copy_with_bad_live_fields_is_refused_in_one_line(
    field: str, value: object, problem: str
) -> None:
    record = {"id": RECORD_ID, "goal_id": "g", field: value}
    with pytest.raises(DamagedFile) as raised:
        check_records("measurements", {RECORD_ID: record})
    assert str(raised.value) == f"this file is damaged: measurement aaaaaaaa: {problem}"


def test_a_copy_with_a_bad_event_is_refused() -> None:
    with pytest.raises(DamagedFile, match="event aaaaaaaa: its 'goals' is not a list of text"):
        check_records("events", {RECORD_ID: {"id": RECORD_ID, "goals": [1]}})
    check_records("events", {RECORD_ID: {"id": RECORD_ID, "date": "2026-01-01", "later": 1}})


def test_event_commands(run: Cli, journal: Journal) -> None:  # noqa: F811
    goal = journal.add_goal("Asks for help")
    journal.save()
    path = journal.path
    added = run("event", "add", path, "--when", "2026-02-01", "--title", "started melatonin")
    assert added.code == 0
    run("event", "add", path, "--when", "2026-01-10", "--title", "new teacher", "--goal", goal.id)
    listed = run("event", "list", path)
    assert listed.out.splitlines()[1].startswith("2026-01-10  new teacher")
    assert "every goal" in listed.out
    data = json.loads(run("event", "list", path, "--json").out)
    assert [e["title"] for e in data] == ["new teacher", "started melatonin"]
    assert data[0]["goals"] == [goal.id] and data[1]["created_by"] == "Ana Rivera"
    bad = run("event", "add", path, "--when", "2026-13-01", "--title", "x")
    assert bad.code == 2 and "bad --when date" in bad.err
    shown = run("show", path, goal.id)
    assert "EVENT" in shown.out and "new teacher" in shown.out


def test_events_go_into_the_json_and_csv_exports_and_back_in(
    make_journal: MakeJournal, tmp_path: Path
) -> None:
    journal, _code = make_journal()
    journal.update_info(child_name="Sam")
    words = journal.add_goal("Asks for help with words", domain="communication")
    journal.add_goal("Brushes teeth", domain="self-care")
    journal.add_event("2026-03-02", "Sam started melatonin", goals=[words.id])
    journal.add_event("2026-03-05", "New teacher", note="Ms. Park")  # every goal's
    journal.add_event("2025-12-01", "Holidays")  # before the period
    journal.save()

    data = json.loads(export_json(journal, since="2026-03-01", pseudonym="Alex"))
    assert [(e["date"], e["title"]) for e in data["events"]] == [
        ("2026-03-02", "Alex started melatonin"),
        ("2026-03-05", "New teacher"),
    ]
    assert data["events"][0]["goals"] == [words.id]
    teeth_only = json.loads(export_json(journal, goal=data["goals"][1]["id"]))
    assert [e["title"] for e in teeth_only["events"]] == ["Holidays", "New teacher"]

    rows = list(csv.DictReader(io.StringIO(csv_files(journal)["events.csv"].decode("utf-8-sig"))))
    assert [(r["date"], r["title"], r["goals"]) for r in rows] == [
        ("2025-12-01", "Holidays", ""),
        ("2026-03-02", "Sam started melatonin", "Asks for help with words"),
        ("2026-03-05", "New teacher", ""),
    ]

    source = tmp_path / "export.json"
    source.write_text(export_json(journal), encoding="utf-8")
    fresh, _code = make_journal("fresh.tandem")
    report = import_file(fresh, source)
    assert report.by_table["events"] == 3
    imported = {event.title: event for event in fresh.events()}
    assert imported["Sam started melatonin"].goals == [
        g.id for g in fresh.goals() if g.title == "Asks for help with words"
    ]
    assert imported["New teacher"].goals == [] and imported["New teacher"].note == "Ms. Park"
