"""Light list rows (`journal.rows`): the same entries as `Journal.entries`, fewer values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from journal import fileformat
from journal.errors import UsageError
from journal.journal import Journal
from journal.rows import EntryRow, entry_rows
from tests.conftest import PASSPHRASE

QUERIES: list[dict[str, Any]] = [
    {},
    {"kind": "win"},
    {"kind": "session"},
    {"tag": "#Sleep"},
    {"tag": "outside"},
    {"search": "BALL"},
    {"search": "toy aisle"},
    {"search": "nothing like this"},
    {"since": "2026-03-03"},
    {"until": "2026-03-03"},
    {"since": "2026-03", "until": "2026-03-03"},
    {"kind": "checkin", "tag": "sleep", "search": "slept"},
]


@pytest.fixture
def filled(journal: Journal) -> Journal:
    """A journal with an entry of most kinds, tags, fields, a goal, a deletion, a final note."""
    goal = journal.add_goal("Requests with words", measure="percent")
    journal.add_entry(
        "checkin", "Monday", body="Slept 9 hours", occurred_at="2026-03-02T08:00", tags=["sleep"]
    )
    journal.add_entry(
        "win",
        "First word",
        body="He said *ball*!",
        occurred_at="2026-03-03T17:00",
        tags=["Outside", "words"],
        goals=[goal.id],
    )
    journal.add_entry(
        "incident",
        "Store",
        fields={"antecedent": "asked to leave the toy aisle"},
        occurred_at="2026-03-04T11:00",
    )
    note = journal.add_entry("session", "Session 12", occurred_at="2026-03-04T09:00")
    journal.finalize(note.id)
    journal.add_entry("session", "Session 13 (draft)", occurred_at="2026-03-05T09:00")
    gone = journal.add_entry("question", "Deleted", occurred_at="2026-03-06T09:00")
    journal.delete(gone.id)
    # Two on the same minute: the one written later comes first.
    journal.add_entry("checkin", "Same minute, first", occurred_at="2026-03-01T08:00")
    journal.add_entry("checkin", "Same minute, second", occurred_at="2026-03-01T08:00")
    return journal


def row_ids(rows: list[EntryRow]) -> list[str]:
    return [row.id for row in rows]


def test_rows_hold_what_a_list_row_draws(filled: Journal) -> None:
    rows = entry_rows(filled)
    assert all(isinstance(row, EntryRow) for row in rows)
    for row, entry in zip(rows, filled.entries(), strict=True):
        assert row == EntryRow(
            id=entry.id,
            occurred_at=entry.occurred_at,
            kind=entry.kind,
            author=entry.author,
            title=entry.title,
            tags=tuple(entry.tags),
            locked=entry.locked,
        )


def test_only_a_finalized_session_note_is_locked(filled: Journal) -> None:
    locked = [row.title for row in entry_rows(filled) if row.locked]
    assert locked == ["Session 12"]


@pytest.mark.parametrize("query", QUERIES, ids=repr)
def test_rows_are_the_entries_that_journal_entries_finds(
    filled: Journal, query: dict[str, Any]
) -> None:
    assert row_ids(entry_rows(filled, **query)) == [e.id for e in filled.entries(**query)]


def test_filters_by_author_and_goal(filled: Journal) -> None:
    goal = filled.goals()[0]
    assert [row.title for row in entry_rows(filled, goal=goal.id)] == ["First word"]
    assert len(entry_rows(filled, author=filled.me.id)) == 7
    assert entry_rows(filled, author="someone else") == []


def test_deleted_entries_are_left_out(filled: Journal) -> None:
    assert "Deleted" not in [row.title for row in entry_rows(filled)]


def test_an_unknown_kind_is_refused(filled: Journal) -> None:
    with pytest.raises(UsageError, match="unknown kind"):
        entry_rows(filled, kind="diary")


def test_search_sees_an_edit_made_after_an_earlier_search(filled: Journal) -> None:
    assert entry_rows(filled, search="giraffe") == []
    monday = filled.entries(search="Slept 9")[0]
    filled.edit_entry(monday.id, body="Saw a giraffe")
    assert row_ids(entry_rows(filled, search="giraffe")) == [monday.id]
    assert entry_rows(filled, search="Slept 9") == []


def test_a_row_shares_nothing_mutable_with_the_journal(filled: Journal) -> None:
    row = entry_rows(filled, search="ball")[0]
    assert isinstance(row.tags, tuple)
    filled.edit_entry(row.id, tags=["changed"])
    assert row.tags == ("Outside", "words")


def test_a_lazily_opened_journal_lists_its_older_entries_too(
    make_journal: Callable[..., tuple[Journal, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fileformat, "HEAD_ENTRIES", 4)
    monkeypatch.setattr(fileformat, "SECTION_ENTRIES", 6)
    monkeypatch.setattr(fileformat, "HEAD_ENTRIES_MAX", 9)
    journal, _code = make_journal()
    for day in range(1, 26):
        journal.add_entry("win", f"day {day}", occurred_at=f"2026-01-{day:02d}T08:00")
    journal.save()
    lazy = Journal.open(journal.path, PASSPHRASE, lazy=True)
    rows = entry_rows(lazy)
    assert [row.title for row in rows] == [f"day {day}" for day in range(25, 0, -1)]
    assert row_ids(rows) == [entry.id for entry in journal.entries()]
