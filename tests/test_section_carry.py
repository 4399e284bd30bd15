"""Saves copy the sections whose entries did not change (docs/FORMAT.md, "Writing").

After a lazy open the sections were never read; after every entry was read (the
app, a full open) a save copies each section none of whose entries changed since,
and makes a new one for the rest. Whatever the order of edits, reads, saves and
opens, nothing is lost, nothing is doubled and nothing comes back.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import journal.fileformat as fileformat
from journal.fileformat import parse_container
from journal.journal import Journal
from journal.model import Entry
from tests.conftest import PASSPHRASE, MakeJournal


def rows(path: Path) -> list[bytes]:
    layout = parse_container(path.read_bytes()).layout
    assert layout is not None
    return [frame.row() for frame in layout.frames]


@pytest.fixture
def small_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fileformat, "HEAD_ENTRIES", 4)
    monkeypatch.setattr(fileformat, "SECTION_ENTRIES", 6)
    monkeypatch.setattr(fileformat, "HEAD_ENTRIES_MAX", 8)


def test_after_reading_everything_a_save_copies_the_sections_that_did_not_change(
    make_journal: MakeJournal, small_sections: None
) -> None:
    journal, _code = make_journal()
    written = [
        journal.add_entry("checkin", f"Day {n}", occurred_at=f"2025-03-{1 + n:02d}T08:00")
        for n in range(25)
    ]
    journal.save()
    before = rows(journal.path)
    assert len(before) == 1 + 4  # the head and 21 older entries in sections of 6
    everything = Journal.open(journal.path, PASSPHRASE)  # a full read, as the app makes
    everything.add_entry("win", "A new one")
    everything.save()
    after = rows(journal.path)
    assert after[0] != before[0] and after[1:] == before[1:]
    everything.edit_entry(written[0].id, body="The oldest entry, edited")  # in the oldest section
    everything.save()
    edited = rows(journal.path)
    assert edited[1:] == before[1:-1]  # the other three copied; its three entries in the head
    again = Journal.open(journal.path, PASSPHRASE)
    assert again.get(Entry, written[0].id).body == "The oldest entry, edited"
    assert len(again.all(Entry)) == 26


@pytest.mark.parametrize("seed", range(12))
def test_any_order_of_edits_reads_and_saves_loses_nothing(
    make_journal: MakeJournal, small_sections: None, seed: int
) -> None:
    rng = random.Random(seed)
    journal, _code = make_journal()
    path = journal.path
    expected: dict[str, tuple[str, bool]] = {}  # entry id -> (body, deleted)
    elsewhere: set[str] = set()  # saved by another program, not yet merged into `journal`

    def live() -> list[str]:
        return sorted(k for k, v in expected.items() if not v[1] and k not in elsewhere) or [""]

    for step in range(60):
        roll = rng.random()
        if roll < 0.45 or not expected:
            day = rng.randrange(1, 28)
            entry = journal.add_entry(
                "checkin", f"Step {step}", f"body {step}", occurred_at=f"2025-04-{day:02d}T08:00"
            )
            expected[entry.id] = (f"body {step}", False)
        elif roll < 0.65:
            entry_id = rng.choice(live())
            if entry_id:
                journal.edit_entry(entry_id, body=f"edited at {step}")
                expected[entry_id] = (f"edited at {step}", False)
        elif roll < 0.72:
            entry_id = rng.choice(live())
            if entry_id:
                journal.delete(entry_id)
                expected[entry_id] = (expected[entry_id][0], True)
        elif roll < 0.78:
            journal.read_older_entries()
        elif roll < 0.84:  # another program saves the file meanwhile: merged at our next save
            journal.save()
            other = Journal.open(path, PASSPHRASE, lazy=rng.random() < 0.5)
            theirs = other.add_entry("win", f"Theirs {step}", f"from elsewhere {step}")
            other.save()
            expected[theirs.id] = (f"from elsewhere {step}", False)
            elsewhere.add(theirs.id)
            ours = journal.add_entry("checkin", f"Ours {step}", occurred_at="2025-05-01T08:00")
            expected[ours.id] = ("", False)
        elif roll < 0.92:
            journal.save()
            elsewhere.clear()
        else:
            journal.save()
            elsewhere.clear()
            journal = Journal.open(path, PASSPHRASE, lazy=rng.random() < 0.5)
    journal.save()
    for lazy in (True, False):
        found = {
            e.id: (e.body, e.deleted)
            for e in Journal.open(path, PASSPHRASE, lazy=lazy).all(Entry, include_deleted=True)
        }
        assert found == expected
    assert Journal.open(path, PASSPHRASE).verify_signatures().invalid == 0
