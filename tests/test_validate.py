"""journal/validate.py: the shape of every record, derived from journal/model.py."""

from __future__ import annotations

import copy
import dataclasses
import time
import uuid
from typing import Any

import pytest

from journal.demo import DEMO_PASSPHRASE, write_demo_journal
from journal.errors import DamagedFile
from journal.model import TABLES, Entry
from journal.validate import MAX_DEPTH, SCHEMAS, check_document, check_records

ENTRY_ID = "0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def demo_document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every kind of record, as the program writes them (the demo journal)."""

    path = tmp_path_factory.mktemp("demo") / "demo.tandem"
    return write_demo_journal(path, passphrase=DEMO_PASSPHRASE).document()


def an_entry(**changes: Any) -> dict[str, Any]:
    doc = Entry(id=ENTRY_ID, title="Waved", kind="win").to_doc()
    doc.update(changes)
    return doc


def refusal(record: dict[str, Any], table: str = "entries") -> str:
    with pytest.raises(DamagedFile) as raised:
        check_records(table, {record.get("id", ENTRY_ID): record})
    message = str(raised.value)
    assert "\n" not in message and message.startswith("this file is damaged: ")
    return message


def test_every_field_of_every_record_type_has_a_check() -> None:
    for table, cls in TABLES.items():
        assert set(SCHEMAS[table]) == {f.name for f in dataclasses.fields(cls)}


def test_what_the_program_writes_passes(demo_document: dict[str, Any]) -> None:
    assert {table for table in TABLES if demo_document.get(table)} >= {
        "meta",
        "members",
        "entries",
        "goals",
        "measurements",
        "comments",
        "sessions",
    }
    check_document(demo_document)


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("title", 5, "its 'title' is a whole number, not text"),
        ("body", None, "its 'body' is null, not text"),
        ("tags", "a,b", "its 'tags' is text, not a list of text"),
        ("tags", ["a", 1], "its 'tags' is not a list of text"),
        ("kind", "diary", "its 'kind' is not one of checkin"),
        ("session_id", 7, "its 'session_id' is a whole number, not text or null"),
        ("fields", {"mood": "happy"}, "its 'fields' is not an object of the kind's fields"),
        ("fields", {"new_field": [1]}, "its 'fields' is not"),
        ("vv", {"r": -1}, "its 'vv' is not"),
        ("vv", {"r": "1"}, "its 'vv' is not"),
        ("dots", {"*": "no-counter"}, "its 'dots' is not"),
        ("writes", {"r:1": ["hlc", "member"]}, "its 'writes' is not"),
        ("deletion", {"at": 5}, "its 'deletion' is not"),
        ("deletion", "yes", "its 'deletion' is text, not null or a deletion"),
        ("conflicts", {}, "its 'conflicts' is an object, not a list"),
        ("deleted_at", True, "its 'deleted_at' is true or false, not text or null"),
    ],
)
def test_a_wrong_value_is_refused_naming_the_record_and_field(
    field: str, value: Any, said: str
) -> None:
    message = refusal(an_entry(**{field: value}))
    assert f"entry {ENTRY_ID[:8]}: " in message
    assert said in message


@pytest.mark.parametrize(
    ("table", "field", "value"),
    [
        ("goals", "criterion_value", "90"),
        ("goals", "measure", "percentage"),
        ("goals", "status", "someday"),
        ("goals", "criterion_sessions", 2.5),
        ("members", "role", "admin"),
        ("members", "read", {"t": 1}),
        ("measurements", "value", [1]),
        ("measurements", "correct", True),
        ("threads", "topic", "yes"),
        ("sessions", "duration_min", "60"),
        ("sessions", "status", "maybe"),
        ("requests", "status", "pending"),
        ("resources", "acknowledged", ["m"]),
        ("meta", "slot_owners", {"slot": None}),
    ],
)
def test_each_record_type_is_checked(table: str, field: str, value: Any) -> None:
    record = TABLES[table](id=ENTRY_ID).to_doc()
    check_records(table, {ENTRY_ID: record})
    record[field] = value
    assert repr(field) in refusal(record, table)


def test_numbers_where_numbers_belong_and_empty_counts_pass() -> None:
    check_records("goals", {ENTRY_ID: {"id": ENTRY_ID, "criterion_value": 90}})
    check_records("measurements", {ENTRY_ID: {"id": ENTRY_ID, "value": 3.5, "correct": None}})
    fields = {"mood": 4, "night_wakings": "", "aggression": None, "illness": "cold"}
    check_records("entries", {ENTRY_ID: an_entry(kind="checkin", fields=fields)})


def test_a_conflicting_value_has_the_type_of_its_field() -> None:
    good = [{"unit": "title", "value": "Other title", "dot": "r2:4"}]
    check_records("entries", {ENTRY_ID: an_entry(conflicts=good)})
    bad = [{"unit": "title", "value": 5, "dot": "r2:4"}]
    assert "'title' is a whole number, not text in a conflicting version" in refusal(
        an_entry(conflicts=bad)
    )
    keyed = [{"unit": "fields.mood", "value": "very", "dot": "r2:4"}]
    assert "in a conflicting version" in refusal(an_entry(conflicts=keyed))
    malformed = [{"unit": "title", "value": "x", "dot": "r2"}]
    assert "not unit, value and change" in refusal(an_entry(conflicts=malformed))


def test_a_record_stored_under_another_id_is_refused() -> None:
    record = an_entry()
    with pytest.raises(DamagedFile, match="not the id it is stored under"):
        check_records("entries", {"f" * 32: record})


def test_fields_and_tables_of_a_newer_version_are_allowed() -> None:
    record = an_entry(mood_emoji=["🙂", {"score": 4}], pinned=True)
    check_document({"tandem": 1, "entries": {ENTRY_ID: record}, "stickers": {"s": {"x": [1]}}})


def nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = [value]
    return value


def test_nesting_is_capped_at_the_limit() -> None:
    check_records("entries", {ENTRY_ID: an_entry(future=nested(MAX_DEPTH))})
    assert "nests deeper than" in refusal(an_entry(future=nested(MAX_DEPTH + 1)))
    with pytest.raises(DamagedFile, match="nests deeper"):
        check_document({"tandem": 1, "future": nested(MAX_DEPTH + 3)})


def test_the_document_version_and_clock_are_checked() -> None:
    with pytest.raises(DamagedFile, match="version"):
        check_document({"tandem": "1"})
    with pytest.raises(DamagedFile, match="clock"):
        check_document({"tandem": 1, "clock": 5})
    with pytest.raises(DamagedFile, match="table is not an object"):
        check_document({"tandem": 1, "entries": []})


def test_names_from_the_file_are_never_printed_as_they_are() -> None:
    hostile = "[bold red]x\n\x1b[2J"
    with pytest.raises(DamagedFile) as raised:
        check_records("entries", {hostile: {"title": 5}})
    assert str(raised.value) == (
        "this file is damaged: entry with an unreadable id: its 'title' is a whole number, not text"
    )


def test_checking_ten_thousand_entries_is_quick(demo_document: dict[str, Any]) -> None:
    entries = list(demo_document["entries"].values())
    many = {}
    for n in range(10_000):
        record = copy.deepcopy(entries[n % len(entries)])
        record["id"] = uuid.uuid4().hex
        many[record["id"]] = record
    started = time.perf_counter()
    check_records("entries", many)
    assert time.perf_counter() - started < 1.0  # about 45 ms on a quiet 2-core machine


def test_a_record_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(DamagedFile, match="is a list, not an object"):
        check_records("members", {ENTRY_ID: [1, 2]})
