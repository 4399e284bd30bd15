"""Opening a journal lazily (older entries left compressed) changes no answer.

The sizes of the head and sections are made tiny here, so that a few dozen
entries already span several sections.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal import fileformat
from journal.fileformat import read_container
from journal.journal import Journal
from journal.model import Entry
from tests.conftest import PASSPHRASE

KINDS = ("checkin", "incident", "win")


@pytest.fixture(autouse=True)
def small_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fileformat, "HEAD_ENTRIES", 4)
    monkeypatch.setattr(fileformat, "SECTION_ENTRIES", 6)
    monkeypatch.setattr(fileformat, "HEAD_ENTRIES_MAX", 9)


def fill(journal: Journal, count: int, *, start_day: int = 1) -> list[str]:
    ids = []
    for n in range(count):
        day = start_day + n
        entry = journal.add_entry(
            KINDS[n % 3],
            f"entry {day}",
            f"body of day {day}",
            tags=["sleep"] if n % 5 == 0 else [],
            occurred_at=f"2025-{1 + day // 28:02d}-{1 + day % 28:02d}T08:00",
        )
        ids.append(entry.id)
    journal.save()
    return ids


def ids(entries: list[Entry]) -> list[str]:
    return [entry.id for entry in entries]


@pytest.fixture
def big(make_journal: Callable[..., tuple[Journal, str]]) -> Journal:
    journal, _code = make_journal()
    fill(journal, 40)
    return journal


def test_a_lazy_open_reads_only_the_head(big: Journal) -> None:
    lazy = Journal.open(big.path, PASSPHRASE, lazy=True)
    assert lazy.file.lazy
    head = lazy.file.read_document()["entries"]
    assert len(head) == 4
    assert ids(lazy.entries(limit=3)) == ids(big.entries(limit=3))
    assert lazy.file.lazy  # the newest three were all in the head


def test_answers_the_head_cannot_give_read_the_rest(big: Journal) -> None:
    eager = Journal.open(big.path, PASSPHRASE)
    for query in (
        {"limit": 10},
        {"limit": 2, "tag": "sleep"},
        {"kind": "win"},
        {"limit": 3, "search": "day 7"},
    ):
        lazy = Journal.open(big.path, PASSPHRASE, lazy=True)
        assert ids(lazy.entries(**query)) == ids(eager.entries(**query)), query
    lazy = Journal.open(big.path, PASSPHRASE, lazy=True)
    assert len(lazy.all(Entry)) == 40
    assert not lazy.file.lazy


def test_checking_the_newest_entries_signatures_reads_only_the_head(big: Journal) -> None:
    # `tandem list -n 10` checks the signatures of what it shows: that read every section.
    lazy = Journal.open(big.path, PASSPHRASE, lazy=True)
    newest = lazy.entries(limit=3)
    assert all(lazy.record_trust(entry.id).verified for entry in newest)
    assert lazy.find(newest[0].id).id == newest[0].id
    assert lazy.file.lazy
    oldest = big.entries()[-1]
    assert lazy.find(oldest.id).id == oldest.id  # an id not in the head reads the rest
    assert lazy.find(oldest.id[:12]).id == oldest.id
    assert not lazy.file.lazy


def test_adding_lazily_keeps_every_older_entry(big: Journal) -> None:
    before = read_container(big.path)
    for n in range(12):  # enough to spill the head into a new section
        lazy = Journal.open(big.path, PASSPHRASE, lazy=True)
        lazy.add_entry("win", f"added {n}", occurred_at=f"2026-01-{n + 1:02d}T09:00")
        lazy.save()
        assert lazy.file.lazy
    assert read_container(big.path).header.journal_id == before.header.journal_id
    eager = Journal.open(big.path, PASSPHRASE)
    titles = [entry.title for entry in eager.entries()]
    assert len(titles) == 52
    assert titles[:3] == ["added 11", "added 10", "added 9"]
    lazy = Journal.open(big.path, PASSPHRASE, lazy=True)
    assert [e.title for e in lazy.entries(limit=3)] == titles[:3]


def test_many_adds_in_one_lazy_session_spill_and_stay_whole(big: Journal) -> None:
    lazy = Journal.open(big.path, PASSPHRASE, lazy=True)
    for n in range(30):
        lazy.add_entry("win", f"added {n}", occurred_at=f"2026-02-{n % 28 + 1:02d}T09:00")
        lazy.save()
    assert len(lazy.all(Entry)) == 70
    assert len(Journal.open(big.path, PASSPHRASE).all(Entry)) == 70


def test_editing_and_deleting_an_old_entry_lazily(big: Journal) -> None:
    oldest = big.entries()[-1]
    lazy = Journal.open(big.path, PASSPHRASE, lazy=True)
    lazy.edit_entry(oldest.id[:8], title="first day, renamed")
    lazy.delete(big.entries()[-2].id)
    lazy.save()
    eager = Journal.open(big.path, PASSPHRASE)
    assert eager.get(Entry, oldest.id).title == "first day, renamed"
    assert len(eager.entries()) == 39


def test_a_lazy_journal_merges_a_copy_changed_on_disk(big: Journal, tmp_path: Path) -> None:
    lazy = Journal.open(big.path, PASSPHRASE, lazy=True)
    other = Journal.open(big.path, PASSPHRASE)
    other.add_entry("incident", "from the other copy", occurred_at="2024-01-01T08:00")
    other.save()
    lazy.add_entry("win", "from this copy")
    report = lazy.save()
    assert report is not None
    titles = {entry.title for entry in Journal.open(big.path, PASSPHRASE).entries()}
    assert {"from the other copy", "from this copy"} <= titles
    assert len(titles) == 42
    copy = tmp_path / "copy.tandem"
    shutil.copy(big.path, copy)
    assert len(Journal.open(copy, PASSPHRASE, lazy=True).document()["entries"]) == 42


operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 60)),
        st.tuples(st.just("delete"), st.integers(0, 1000)),
        st.tuples(st.just("edit"), st.integers(0, 1000)),
        st.tuples(st.just("list"), st.integers(1, 12)),
    ),
    max_size=25,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations)
def test_lazy_and_eager_journals_agree(
    make_journal: Callable[..., tuple[Journal, str]], steps: list[tuple[str, int]]
) -> None:
    """Each step opens the file lazily, as a command does; the answers match an eager open."""
    journal, _code = make_journal(f"p{abs(hash(tuple(steps)))}.tandem")
    fill(journal, 20)
    path = journal.path
    for action, number in steps:
        lazy = Journal.open(path, PASSPHRASE, lazy=True)
        if action == "add":
            lazy.add_entry(
                "win", f"new {number}", occurred_at=f"2025-03-{number % 28 + 1:02d}T10:00"
            )
        elif action in ("delete", "edit"):
            live = ids(Journal.open(path, PASSPHRASE).entries())
            if not live:
                continue
            target = live[number % len(live)]
            if action == "delete":
                lazy.delete(target)
            else:
                lazy.edit_entry(target, occurred_at=f"2024-12-{number % 28 + 1:02d}T07:00")
        else:
            eager = Journal.open(path, PASSPHRASE)
            assert ids(lazy.entries(limit=number)) == ids(eager.entries(limit=number))
            continue
        lazy.save()
    whole = Journal.open(path, PASSPHRASE)
    assert sorted(ids(Journal.open(path, PASSPHRASE, lazy=True).entries())) == sorted(
        ids(whole.entries())
    )


def test_a_conflict_among_unread_entries_is_still_found(big: Journal) -> None:
    oldest = big.entries()[-1]
    theirs = Journal.open(big.path, PASSPHRASE)
    ours = Journal.open(big.path, PASSPHRASE)
    theirs.edit_entry(oldest.id, title="their title")
    ours.edit_entry(oldest.id, title="our title")
    ours.merge_document(theirs.document())
    ours.save()
    lazy = Journal.open(big.path, PASSPHRASE, lazy=True)
    assert lazy.file.unread_entries_flagged == 1
    assert [record.id for record in lazy.records_in_conflict()] == [oldest.id]
    clean = Journal.open(big.path, PASSPHRASE, lazy=True)
    clean.resolve(oldest.id, "title", value="agreed title")
    clean.save()
    lazy = Journal.open(big.path, PASSPHRASE, lazy=True)
    assert lazy.file.unread_entries_flagged == 0
    assert lazy.records_in_conflict() == []
    assert lazy.file.lazy
