"""Exports (JSON, Markdown), writing them safely, and imports from jrnl and Tandem exports."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import pytest

from journal.errors import TandemError, UsageError
from journal.fileformat import MAGIC
from journal.journal import Journal
from journal.model import (
    ENTRY_KINDS,
    TABLES,
    Comment,
    Entry,
    Goal,
    Measurement,
    Record,
    Resource,
    Session,
    Thread,
)
from journal.reports import (
    SYNC_KEYS,
    export_json,
    export_markdown,
    import_file,
    jrnl_entry_id,
    write_export,
)
from tests.conftest import PASSPHRASE, MakeJournal

DATA = Path(__file__).parent / "data"
JRNL_SAMPLE = DATA / "jrnl_export.json"


def utc(day: str, hm: str) -> str:
    return f"{day}T{hm}:00.000000Z"


@pytest.fixture
def filled(journal: Journal) -> Journal:
    """A small but complete journal: two members, every entry kind, a goal with data,
    threads, an addendum, a resource, sessions, a topic and a deleted entry."""
    j = journal
    parent = j.me.id
    j.update_info(child_name="Sam", interests="Trains, bubbles", avoid="Hand dryers")
    therapist = j.add_member(
        "Dr. Lee Chen", "therapist", background="BCBA", what_works="Short playful trials"
    ).id
    with j.acting_as(therapist, at=utc("2025-03-03", "20:00")):
        goal = j.add_goal(
            "Requests with 2-word phrases",
            domain="communication",
            method="Wait 5 s, then model",
            desired_outcome="Sam asks for what he wants",
            status="acquisition",
        )
        objective = j.add_goal("Asks for help", parent_id=goal.id, criterion_value=80.0)
        session = j.add_session("2025-03-04T15:30", location="Home")
        resource = j.add_resource(
            "Wait time", text="Count to five before you prompt.", kind="tip", goal_id=goal.id
        )
    for day, correct in (("2025-03-04", 3), ("2025-03-11", 6), ("2025-03-18", 9)):
        with j.acting_as(therapist, at=utc(day, "17:05")):
            j.record_measurement(goal.id, correct=correct, total=10, prompt="verbal", date=day)
    with j.acting_as(therapist, at=utc("2025-03-04", "19:00")):
        note = j.add_entry(
            "session",
            "Mand training with bubbles",
            "Sam warmed up fast. Good session.",
            tags=["parent-training"],
            goals=[goal.id],
            fields={"start": "15:30", "end": "17:00", "targets": "Mands: 3/10\nHelp: 1/5"},
            occurred_at="2025-03-04T15:30",
            session_id=session.id,
        )
        j.finalize(note.id)
    with j.acting_as(therapist, at=utc("2025-03-05", "09:00")):
        j.add_addendum(note.id, "Sam had been up since 4 a.m.; read the data as a tired day.")
    with j.acting_as(parent, at=utc("2025-03-02", "21:00")):
        checkin = j.add_entry(
            "checkin",
            "Quiet Sunday",
            "SAM ate rice. Samantha (his cousin) came over; same as usual.",
            tags=["food"],
            fields={"bedtime": "20:30", "mood": 4, "aggression": 0, "new_words": "'open'"},
            occurred_at="2025-03-02T21:00",
        )
        incident = j.add_entry(
            "incident",
            "Ran in the parking lot",
            "Sam's hand slipped out of mine.",
            goals=[goal.id],
            fields={
                "antecedent": "Opened the car door",
                "behavior": "Ran toward the carts",
                "consequence": "Picked him up",
                "intensity": 4,
            },
            occurred_at="2025-03-09T10:40",
        )
        j.add_entry("win", "Said 'more bubbles'", occurred_at="2025-03-12T18:00")
        j.add_entry("question", "Timer for the bath?", occurred_at="2025-03-13T21:00")
        j.add_entry(
            "observation",
            "Watching the session",
            fields={"what_went_well": "Lee waited"},
            occurred_at="2025-03-04T16:00",
            session_id=session.id,
        )
        gone = j.add_entry("win", "Deleted win", occurred_at="2025-03-14T18:00")
        j.delete(gone.id)
        j.acknowledge(resource.id)
        j.new_topic("Summer camp?", "Swim lessons or day camp for Sam?")
    with j.acting_as(therapist, at=utc("2025-03-10", "09:30")):
        j.comment(incident.id, "Looks like the cart is the prize (tangible).")
        j.comment(objective.id, "Starting next week.")
    with j.acting_as(parent, at=utc("2025-03-10", "20:00")):
        j.comment(incident.id, "Makes sense; we'll try the cart job.")
        j.set_thread_status(incident.id, "resolved")
        j.comment(checkin.id, "Note to self: ask about rice.")
    j.save()
    return j


def counts(journal: Journal) -> dict[str, int]:
    """Stored records per table, tombstones included: 'nothing was added' means equal."""
    document = journal.document()
    return {name: len(document.get(name, {})) for name in TABLES}


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def entry_view(journal: Journal) -> list[tuple[Any, ...]]:
    return sorted(
        (
            e.id,
            e.kind,
            e.title,
            e.body,
            e.occurred_at,
            tuple(e.tags),
            tuple(e.goals),
            json.dumps(e.fields, sort_keys=True),
            e.status,
            e.session_id,
            e.created_at,
            journal.member_name(e.author),
        )
        for e in journal.entries()
    )


# --- JSON export ------------------------------------------------------------------------


def test_every_envelope_field_is_data_or_sync_metadata() -> None:
    """A new merge field on Record must be added to SYNC_KEYS (or kept on purpose)."""
    envelope = {"id", "author", "created_at", "updated_at", "updated_by"}
    envelope |= {"deleted_at", "deleted_by"}
    assert set(Record.field_names()) == envelope | SYNC_KEYS


def test_json_export_has_every_section_without_sync_metadata(filled: Journal) -> None:
    data = json.loads(export_json(filled))
    assert data["tandem_export"] == 1
    assert data["journal_id"] == filled.journal_id
    assert data["exported_at"].endswith("Z")
    assert data["journal"]["title"] == "Sam's journal"
    assert data["journal"]["child_name"] == "Sam"
    for section in (
        "members",
        "entries",
        "goals",
        "measurements",
        "comments",
        "threads",
        "resources",
        "sessions",
    ):
        assert data[section], section
        for record in data[section]:
            assert not SYNC_KEYS & record.keys(), section
            assert record["author_name"] != "unknown", section
    assert {m["name"] for m in data["members"]} == {"Ana Rivera", "Dr. Lee Chen"}
    assert {e["kind"] for e in data["entries"]} == set(ENTRY_KINDS)
    assert "Deleted win" not in {e["title"] for e in data["entries"]}
    note = next(e for e in data["entries"] if e["kind"] == "session")
    assert note["author_name"] == "Dr. Lee Chen"
    assert note["status"] == "final"
    assert any(c["kind"] == "addendum" for c in data["comments"])
    assert any(t["topic"] for t in data["threads"])
    goal = next(g for g in data["goals"] if g["title"].startswith("Requests"))
    assert goal["criterion_met"] is False


def test_json_round_trip_into_a_fresh_journal(
    filled: Journal, make_journal: MakeJournal, tmp_path: Path
) -> None:
    source = tmp_path / "export.json"
    source.write_text(export_json(filled), encoding="utf-8")
    fresh, _code = make_journal("fresh.tandem", title="Copy")

    report = import_file(fresh, source)

    assert report.format == "tandem"
    assert report.members_added == ["Dr. Lee Chen"]  # "Ana Rivera" matched by name
    assert report.by_table["entries"] == len(filled.entries())
    assert entry_view(fresh) == entry_view(filled)
    for cls in (Goal, Measurement, Comment, Thread, Resource, Session):
        assert {r.id for r in fresh.all(cls)} == {r.id for r in filled.all(cls)}, cls.__name__
    goal = next(g for g in fresh.goals() if g.parent_id)
    assert fresh.get(Goal, goal.parent_id).title == "Requests with 2-word phrases"
    incident = next(e for e in fresh.entries(kind="incident"))
    assert fresh.thread_status(incident.id) == "resolved"
    assert [c.body for c in fresh.thread(incident.id)] == [
        c.body for c in filled.thread(incident.id)
    ]
    resource = fresh.all(Resource)[0]
    assert [fresh.member_name(m) for m in resource.acknowledged] == ["Ana Rivera"]
    note = next(e for e in fresh.entries(kind="session"))
    assert note.locked and fresh.member_name(note.finalized_by) == "Dr. Lee Chen"
    assert len(fresh.addenda(note.id)) == 1

    fresh.save()
    reopened = Journal.open(fresh.path, PASSPHRASE)
    assert entry_view(reopened) == entry_view(filled)

    again = import_file(reopened, source)
    assert (again.added, again.members_added) == (0, [])
    assert again.skipped == report.added


def test_reimporting_into_the_same_journal_adds_nothing(filled: Journal, tmp_path: Path) -> None:
    source = tmp_path / "export.json"
    source.write_text(export_json(filled), encoding="utf-8")
    before = counts(filled)
    report = import_file(filled, source)
    assert report.added == 0
    assert report.skipped > 0
    assert counts(filled) == before


def test_a_deleted_record_does_not_come_back(filled: Journal, tmp_path: Path) -> None:
    source = tmp_path / "export.json"
    source.write_text(export_json(filled), encoding="utf-8")
    win = filled.entries(kind="win")[0]
    filled.delete(win.id)
    import_file(filled, source)
    assert filled.get(Entry, win.id).deleted


def test_date_and_kind_filters(filled: Journal) -> None:
    data = json.loads(export_json(filled, since="2025-03-04", until="2025-03-10"))
    days = sorted(e["occurred_at"][:10] for e in data["entries"])
    assert days == ["2025-03-04", "2025-03-04", "2025-03-09"]
    assert [m["date"] for m in data["measurements"]] == ["2025-03-04"]
    assert [s["starts_at"] for s in data["sessions"]] == ["2025-03-04T15:30"]
    entry_ids = {e["id"] for e in data["entries"]}
    checkin = filled.entries(kind="checkin")[0]
    assert checkin.id not in entry_ids
    assert all(c["target_id"] != checkin.id for c in data["comments"])

    only = json.loads(export_json(filled, kind="incident"))
    assert [e["kind"] for e in only["entries"]] == ["incident"]
    assert {c["body"] for c in only["comments"]} >= {"Makes sense; we'll try the cart job."}

    month = json.loads(export_json(filled, since="2025-03", until="2025-03"))
    assert len(month["entries"]) == len(filled.entries())
    assert json.loads(export_json(filled, since="2025-04"))["entries"] == []
    with pytest.raises(UsageError):
        export_json(filled, since="March")
    with pytest.raises(UsageError):
        export_json(filled, kind="diary")


def test_goal_filter_keeps_the_goal_its_objectives_and_linked_entries(filled: Journal) -> None:
    goal = next(g for g in filled.goals() if not g.parent_id)
    data = json.loads(export_json(filled, goal=goal.id[:8]))
    assert {g["title"] for g in data["goals"]} == {"Requests with 2-word phrases", "Asks for help"}
    assert {e["kind"] for e in data["entries"]} == {"session", "incident"}
    assert len(data["measurements"]) == 3
    assert [r["title"] for r in data["resources"]] == ["Wait time"]
    assert not any(t["topic"] for t in data["threads"])


# --- pseudonyms ----------------------------------------------------------------------------

WHOLE_WORD_SAM = re.compile(r"(?<!\w)sam(?!\w)", re.IGNORECASE)


def test_pseudonym_replaces_the_childs_name_everywhere(filled: Journal) -> None:
    text = export_json(filled, pseudonym="Alex")
    assert not WHOLE_WORD_SAM.search(text)
    data = json.loads(text)
    assert data["journal"]["child_name"] == "Alex"
    assert data["journal"]["title"] == "Alex's journal"
    checkin = next(e for e in data["entries"] if e["kind"] == "checkin")
    assert checkin["body"] == "Alex ate rice. Samantha (his cousin) came over; same as usual."

    markdown = export_markdown(filled, pseudonym="Alex")
    assert not WHOLE_WORD_SAM.search(markdown)
    assert "# Alex's journal" in markdown
    assert "Samantha" in markdown


def test_pseudonym_covers_the_first_name_of_a_full_name(filled: Journal) -> None:
    filled.update_info(child_name="Sam Rivera")
    text = export_markdown(filled, pseudonym="Alex")
    assert not WHOLE_WORD_SAM.search(text)
    assert "Child:** Alex" in text


def test_pseudonym_needs_a_childs_name(journal: Journal) -> None:
    journal.add_entry("checkin", "Sam slept well")
    with pytest.raises(UsageError, match="child's name"):
        export_json(journal, pseudonym="Alex")
    with pytest.raises(UsageError):
        export_markdown(journal, pseudonym=" ")


# --- Markdown ----------------------------------------------------------------------------


def test_markdown_report(filled: Journal) -> None:
    text = export_markdown(filled)
    assert text.startswith("# Sam's journal\n")
    assert "- **Period:** 2025-03-02 to 2025-03-13" in text
    assert "**Dr. Lee Chen** (therapist)" in text
    assert "### Requests with 2-word phrases" in text
    assert "- **Status:** acquisition" in text
    assert "- **Criterion:** 90% across 3 consecutive sessions" in text
    assert "- **Latest data:** 2025-03-18: 9/10 (90%)" in text
    assert "30% → 60% → 90%" in text
    assert "### 2025-03-09 10:40 · ABC incident · Ran in the parking lot" in text
    assert "- **Antecedent (just before):** Opened the car door" in text
    assert "- **Intensity (1-5):** 4" in text
    assert "- **Targets worked (with data):**\n  - Mands: 3/10\n  - Help: 1/5" in text
    assert "*By Dr. Lee Chen* · finalized" in text
    assert "**Addendum** by Dr. Lee Chen" in text
    assert "**Thread (resolved):**" in text
    assert "> Looks like the cart is the prize (tangible)." in text
    assert "Tags: #food" in text
    assert "Read by: Ana Rivera" in text
    assert "### Summer camp?" in text
    assert "Deleted win" not in text
    titles = [line for line in text.splitlines() if re.match(r"### \d{4}-", line)]
    assert titles == sorted(titles, reverse=True)  # newest first


def test_markdown_filters(filled: Journal) -> None:
    text = export_markdown(filled, kind="win", until="2025-03-12")
    assert "· Win ·" in text
    assert "· Check-in ·" not in text
    assert "- **Only:** kind Win" in text


# --- writing exports ------------------------------------------------------------------------


def test_write_export_refuses_the_journal_and_leaves_it_unchanged(
    filled: Journal, tmp_path: Path
) -> None:
    before = filled.path.read_bytes()
    text = export_json(filled)
    with pytest.raises(TandemError, match="journal") as refused:
        write_export(filled.path, filled.path, text)
    assert "\n" not in str(refused.value)
    link = tmp_path / "link.json"
    link.symlink_to(filled.path)
    with pytest.raises(TandemError):
        write_export(filled.path, link, text)
    with pytest.raises(TandemError):
        write_export(filled.path, tmp_path / "." / filled.path.name, text)
    assert filled.path.read_bytes() == before
    assert Journal.open(filled.path, PASSPHRASE).title == "Sam's journal"


def test_write_export_refuses_any_tandem_file(
    filled: Journal, make_journal: MakeJournal, tmp_path: Path
) -> None:
    other, _code = make_journal("other.tandem")
    before = other.path.read_bytes()
    with pytest.raises(TandemError, match="Tandem journal"):
        write_export(filled.path, other.path, "hello")
    assert other.path.read_bytes() == before
    renamed = tmp_path / "looks-like-an-export.json"
    renamed.write_bytes(MAGIC + b"rest")
    with pytest.raises(TandemError):
        write_export(filled.path, renamed, "hello")
    with pytest.raises(TandemError, match="folder"):
        write_export(filled.path, tmp_path, "hello")


def test_write_export_writes_atomically_with_mode_0600(filled: Journal, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    out.write_text("old report")
    os.chmod(out, 0o644)
    text = export_markdown(filled)
    write_export(filled.path, out, text)
    assert out.read_text(encoding="utf-8") == text
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    new = tmp_path / "new.json"
    write_export(filled.path, new, export_json(filled))
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


# --- jrnl import ---------------------------------------------------------------------------------


def test_jrnl_import(journal: Journal) -> None:
    report = import_file(journal, JRNL_SAMPLE)
    assert (report.format, report.added, report.skipped) == ("jrnl", 7, 0)
    entries = {e.title: e for e in journal.entries()}
    car = entries['He said "car"!']
    assert car.kind == "checkin"
    assert car.occurred_at == "2024-01-11T17:30"
    assert car.tags == ["words", "starred"]
    assert car.body.startswith("Clear as anything")
    assert car.author == journal.me.id
    both = entries["Slept through!"]
    assert both.tags == ["sleep", "words", "starred"]
    assert "\n" in both.body
    assert entries["Quiet Sunday."].body == ""
    assert entries["OT evaluation."].tags == ["ot", "sleep"]
    assert len(journal.entries(since="2024-01-08", until="2024-01-08")) == 2
    assert {"sleep", "school", "words", "meltdown", "ot", "starred"} == set(journal.tags())
    assert car.id == jrnl_entry_id(journal.journal_id, "2024-01-11", car.title, car.body)

    journal.save()
    reopened = Journal.open(journal.path, PASSPHRASE)
    again = import_file(reopened, JRNL_SAMPLE)
    assert (again.added, again.skipped) == (0, 7)
    assert len(reopened.entries()) == 7


def test_jrnl_import_as_another_kind(journal: Journal) -> None:
    report = import_file(journal, JRNL_SAMPLE, kind="observation")
    assert report.added == 7
    assert {e.kind for e in journal.entries()} == {"observation"}
    with pytest.raises(UsageError):
        import_file(journal, JRNL_SAMPLE, kind="diary")


def test_jrnl_ids_differ_between_journals(journal: Journal, make_journal: MakeJournal) -> None:
    other, _code = make_journal("other.tandem")
    import_file(journal, JRNL_SAMPLE)
    import_file(other, JRNL_SAMPLE)
    assert {e.id for e in journal.entries()}.isdisjoint({e.id for e in other.entries()})


# --- malformed input ---------------------------------------------------------------------


def good_jrnl_entry(**changes: Any) -> dict[str, Any]:
    entry = {
        "title": "Fine.",
        "body": "Body",
        "date": "2024-01-01",
        "time": "10:00",
        "tags": ["@x"],
        "starred": False,
    }
    entry.update(changes)
    return entry


def tandem_export_with(entry_changes: dict[str, Any]) -> dict[str, Any]:
    good = {
        "id": "a" * 32,
        "kind": "checkin",
        "title": "Fine",
        "body": "",
        "occurred_at": "2024-01-01T10:00",
        "author": "b" * 32,
        "author_name": "Someone",
    }
    bad = {**good, "id": "c" * 32, **entry_changes}
    return {"tandem_export": 1, "entries": [good, bad], "members": []}


MALFORMED: dict[str, Any] = {
    "not json": b"{ this is not json",
    "not utf-8": b'{"entries": ["\xff\xfe"]}',
    "a list": [],
    "no entries": {"tags": {}},
    "entries not a list": {"entries": {"a": 1}},
    "entry not an object": {"entries": [good_jrnl_entry(), "text"]},
    "entry without a date": {"entries": [good_jrnl_entry(), {"title": "x", "body": ""}]},
    "bad date": {"entries": [good_jrnl_entry(), good_jrnl_entry(date="2024-02-30")]},
    "bad time": {"entries": [good_jrnl_entry(), good_jrnl_entry(time="25:00")]},
    "tags not strings": {"entries": [good_jrnl_entry(), good_jrnl_entry(tags=[1])]},
    "starred not a bool": {"entries": [good_jrnl_entry(), good_jrnl_entry(starred="yes")]},
    "title not a string": {"entries": [good_jrnl_entry(), good_jrnl_entry(title=None)]},
    "newer tandem export": {"tandem_export": 2, "entries": []},
    "tandem version not a number": {"tandem_export": "1", "entries": []},
    "tandem entry of unknown kind": tandem_export_with({"kind": "diary"}),
    "tandem entry without an id": tandem_export_with({"id": ""}),
    "tandem entry with a bad time": tandem_export_with({"occurred_at": "yesterday"}),
    "tandem entry with a wrong type": tandem_export_with({"tags": "food"}),
    "tandem entry listed twice": tandem_export_with({"id": "a" * 32}),
    "tandem goals not a list": {"tandem_export": 1, "entries": [], "goals": {}},
    "tandem measurement without a value": {
        "tandem_export": 1,
        "entries": [],
        "measurements": [{"id": "d" * 32, "goal_id": "e" * 32, "date": "2024-01-01"}],
    },
    "tandem member with an unknown role": {
        "tandem_export": 1,
        "entries": [],
        "members": [{"id": "f" * 32, "name": "X", "role": "aunt"}],
    },
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_input_is_refused_and_adds_nothing(
    filled: Journal, tmp_path: Path, case: str
) -> None:
    content = MALFORMED[case]
    source = tmp_path / "source.json"
    if isinstance(content, bytes):
        source.write_bytes(content)
    else:
        write_json(source, content)
    before = counts(filled)
    members = len(filled.members())
    with pytest.raises(TandemError) as refused:
        import_file(filled, source)
    message = str(refused.value)
    assert message.startswith(f"{source} is not a jrnl or Tandem JSON export: ")
    assert "\n" not in message
    assert counts(filled) == before
    assert len(filled.members()) == members


def test_importing_a_journal_file_or_a_missing_file(filled: Journal, tmp_path: Path) -> None:
    with pytest.raises(TandemError, match="encrypted Tandem journal"):
        import_file(filled, filled.path)
    with pytest.raises(TandemError, match="cannot read"):
        import_file(filled, tmp_path / "missing.json")


def test_unknown_authors_are_added_once_by_name(journal: Journal, tmp_path: Path) -> None:
    entries = [
        {
            "id": f"{i:032x}",
            "kind": "observation",
            "title": f"Note {i}",
            "occurred_at": "2024-02-01T09:00",
            "author": "9" * 32,
            "author_name": "Priya Nair",
            "created_at": "2024-02-01T09:05:00.000000Z",
        }
        for i in range(1, 4)
    ]
    source = write_json(tmp_path / "x.json", {"tandem_export": 1, "entries": entries})
    report = import_file(journal, source)
    assert report.members_added == ["Priya Nair"]
    priya = next(m for m in journal.members() if m.name == "Priya Nair")
    assert priya.role == "other"
    assert {e.author for e in journal.entries()} == {priya.id}
    assert {e.created_at for e in journal.entries()} == {"2024-02-01T09:05:00.000000Z"}
    entries[0]["id"] = "f" * 32
    again = import_file(
        journal, write_json(tmp_path / "y.json", {"tandem_export": 1, "entries": entries})
    )
    assert (again.added, again.skipped, again.members_added) == (1, 2, [])
