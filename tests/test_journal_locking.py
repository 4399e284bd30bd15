"""The journal's lock: readers and editors never wait for the disk (journal/journal_base.py).

A save holds `Journal.lock` only to copy the journal and to note what it
wrote; the write itself runs without it. These tests stop a save (or a read
of the file, or the parsing of older entries) half-way on an Event and use
the journal from other threads meanwhile.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from journal import fileformat, payload, storage
from journal.journal import Journal
from journal.journal_base import locked
from tests.conftest import PASSPHRASE

WAIT = 10.0  # seconds: far more than any step here takes; a deadlock fails instead of hanging

# Public names that hold `Journal.lock` in `with` blocks of their own, around
# the parts that touch memory, or need none (what they read never changes).
LOCKED_INSIDE = {"save", "refresh", "merge_copy", "change_passphrase", "invite", "acting_as"}
LOCKED_INSIDE |= {"read_older_entries"}
UNCHANGING = {"path", "journal_id"}


class Gate:
    """Stops the threads that reach it until `open()`; says when the first one has."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self._open = threading.Event()
        self.inside = 0
        self.most_inside = 0
        self._count = threading.Lock()

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        def stopped(*args: Any, **kwargs: Any) -> Any:
            with self._count:
                self.inside += 1
                self.most_inside = max(self.most_inside, self.inside)
            self.reached.set()
            try:
                assert self._open.wait(WAIT), "the gate was never opened"
                return function(*args, **kwargs)
            finally:
                with self._count:
                    self.inside -= 1

        return stopped

    def open(self) -> None:
        self._open.set()


def in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    """Start `work` in a thread; the list gets its result, or the exception it raised."""
    results: list[Any] = []

    def run() -> None:
        try:
            results.append(work())
        except BaseException as error:  # handed to the test, which fails on it
            results.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, results


def finished(thread: threading.Thread, results: list[Any]) -> Any:
    """Wait for a thread from `in_thread`; its result (a deadlock fails the test)."""
    thread.join(WAIT)
    assert not thread.is_alive(), "the thread is still waiting: a deadlock"
    (result,) = results
    if isinstance(result, BaseException):
        raise result
    return result


def save_until_it_writes(journal: Journal, gate: Gate) -> tuple[threading.Thread, list[Any]]:
    """Start a save in a thread and wait until it stops at `gate`, about to write the file."""
    saving = in_thread(journal.save)
    assert gate.reached.wait(WAIT)
    return saving


@pytest.fixture
def write_gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    """Every save stops just before it writes the file, until the gate opens."""
    gate = Gate()
    monkeypatch.setattr(storage, "atomic_write", gate.wrap(storage.atomic_write))
    yield gate
    gate.open()  # never leave a thread stuck


def read_while_stopped_in(
    monkeypatch: pytest.MonkeyPatch,
    module: Any,
    name: str,
    journal: Journal,
    work: Callable[[], Any],
) -> Any:
    """Run `work` in a thread, stop it in `module.name`, read the title meanwhile; its result."""
    gate = Gate()
    monkeypatch.setattr(module, name, gate.wrap(getattr(module, name)))
    working = in_thread(work)
    assert gate.reached.wait(WAIT)
    assert finished(*in_thread(lambda: journal.title)) == "Sam's journal"
    gate.open()
    return finished(*working)


def titles_on_disk(path: Path) -> set[str]:
    return {entry.title for entry in Journal.open(path, PASSPHRASE).entries()}


def test_reads_go_on_while_a_save_writes(journal: Journal, write_gate: Gate) -> None:
    for day in range(1, 8):
        journal.add_entry("checkin", f"Day {day}", occurred_at=f"2025-03-0{day}T08:00")
    saving = save_until_it_writes(journal, write_gate)

    reading = in_thread(lambda: (journal.title, [e.title for e in journal.entries(limit=5)]))
    title, newest = finished(*reading)  # while the save is still stopped in its write
    assert title == "Sam's journal"
    assert newest == ["Day 7", "Day 6", "Day 5", "Day 4", "Day 3"]
    assert saving[0].is_alive()

    write_gate.open()
    assert finished(*saving) is None
    assert not journal.dirty
    assert len(titles_on_disk(journal.path)) == 7


def test_an_edit_made_during_a_save_is_saved_by_the_next(
    journal: Journal, write_gate: Gate
) -> None:
    journal.add_entry("checkin", "Before the save")
    saving = save_until_it_writes(journal, write_gate)
    finished(*in_thread(lambda: journal.add_entry("win", "During the save")))
    write_gate.open()
    finished(*saving)

    assert journal.dirty  # the save wrote the journal as it was when it began
    assert titles_on_disk(journal.path) == {"Before the save"}
    journal.save()
    assert not journal.dirty
    assert titles_on_disk(journal.path) == {"Before the save", "During the save"}


def test_a_failed_write_leaves_the_changes_to_save(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*args: Any, **kwargs: Any) -> None:
        raise storage.TandemError("cannot save: the disk is full")

    journal.add_entry("checkin", "Kept in memory")
    monkeypatch.setattr(storage, "atomic_write", full_disk)
    with pytest.raises(storage.TandemError, match="disk is full"):
        journal.save()
    assert journal.dirty
    monkeypatch.undo()
    journal.save()
    assert titles_on_disk(journal.path) == {"Kept in memory"}


def test_two_saves_write_one_after_the_other(journal: Journal, write_gate: Gate) -> None:
    journal.add_entry("checkin", "First")
    first = save_until_it_writes(journal, write_gate)
    journal.add_entry("checkin", "Second")
    second = in_thread(journal.save)
    second[0].join(0.2)
    assert second[0].is_alive()  # waiting for its turn, not writing beside the first

    write_gate.open()
    finished(*first)
    finished(*second)
    assert write_gate.most_inside == 1
    assert not journal.dirty
    assert titles_on_disk(journal.path) == {"First", "Second"}


def test_a_save_called_while_holding_the_lock_waits_without_a_deadlock(
    journal: Journal, write_gate: Gate
) -> None:
    journal.add_entry("checkin", "First")
    first = save_until_it_writes(journal, write_gate)

    def edit_and_save_holding_the_lock() -> None:
        with journal.lock:
            journal.add_entry("checkin", "Second")
            write_gate.open()  # the first save now needs the lock to finish
            journal.save()

    finished(*in_thread(edit_and_save_holding_the_lock))
    finished(*first)
    assert titles_on_disk(journal.path) == {"First", "Second"}


def test_a_refresh_reads_the_file_without_the_lock(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = Journal.open(journal.path, PASSPHRASE)
    other.add_entry("win", "From the other program")
    other.save()
    report = read_while_stopped_in(
        monkeypatch, storage, "decrypt_payload", journal, journal.refresh
    )
    assert report is not None and report.tables["entries"].added
    assert [e.title for e in journal.entries()] == ["From the other program"]


def test_older_entries_are_parsed_without_the_lock(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fileformat, "HEAD_ENTRIES", 2)
    monkeypatch.setattr(fileformat, "SECTION_ENTRIES", 3)
    for day in range(1, 10):
        journal.add_entry("checkin", f"Day {day}", occurred_at=f"2025-03-0{day}T08:00")
    journal.save()
    lazy = Journal.open(journal.path, PASSPHRASE, lazy=True)
    assert lazy.lazy
    read_while_stopped_in(monkeypatch, payload, "_decompress", lazy, lazy.read_older_entries)
    assert not lazy.lazy
    assert len(lazy.entries()) == 9


def test_an_entry_moved_out_of_the_head_by_a_save_during_edits_is_not_lost(
    journal: Journal, monkeypatch: pytest.MonkeyPatch, write_gate: Gate
) -> None:
    monkeypatch.setattr(fileformat, "HEAD_ENTRIES", 2)
    monkeypatch.setattr(fileformat, "SECTION_ENTRIES", 3)
    monkeypatch.setattr(fileformat, "HEAD_ENTRIES_MAX", 4)
    write_gate.open()
    for day in range(1, 8):
        journal.add_entry("checkin", f"Day {day}", occurred_at=f"2025-03-0{day}T08:00")
    journal.save()
    lazy = Journal.open(journal.path, PASSPHRASE, lazy=True)
    gate = Gate()
    monkeypatch.setattr(storage, "atomic_write", gate.wrap(storage.atomic_write))
    for day in range(10, 14):  # the head overflows: this save makes a new section
        lazy.add_entry("win", f"Day {day}", occurred_at=f"2025-03-{day}T08:00")
    saving = in_thread(lazy.save)
    assert gate.reached.wait(WAIT)
    lazy.add_entry("win", "Day 20", occurred_at="2025-03-20T08:00")
    gate.open()
    finished(*saving)
    lazy.save()

    expected = {f"Day {day}" for day in (*range(1, 8), *range(10, 14), 20)}
    assert {e.title for e in lazy.entries()} == expected
    assert titles_on_disk(journal.path) == expected


def test_a_passphrase_change_derives_its_key_without_the_lock(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    def change() -> None:
        journal.change_passphrase("a new passphrase")

    read_while_stopped_in(monkeypatch, storage, "make_slot", journal, change)
    assert Journal.open(journal.path, "a new passphrase").title == "Sam's journal"


def test_every_public_method_and_property_holds_the_lock() -> None:
    """The rule in journal_base: a new method on `Journal` or a part is `@locked`."""
    locked_code = locked(lambda self: None).__code__
    unlocked: list[str] = []
    for name, member in inspect.getmembers(Journal):
        if name.startswith("_") or name in LOCKED_INSIDE | UNCHANGING:
            continue
        raw = inspect.getattr_static(Journal, name)
        if isinstance(raw, classmethod | staticmethod):
            continue
        function = raw.fget if isinstance(raw, property) else member
        if callable(function) and getattr(function, "__code__", None) is not locked_code:
            unlocked.append(name)
    assert unlocked == []
