"""A copy a shared drive writes over the open journal goes through the same guards as
`tandem merge` (issue #11 §5, docs/SYNC.md "Safety rails")."""

from __future__ import annotations

import shutil
from pathlib import Path

from journal.fileformat import read_container
from journal.journal import Journal
from journal.model import Entry
from tests.conftest import PASSPHRASE


def deliver(copy: Path, journal: Journal) -> None:
    """The drive writes another copy over the journal's file."""
    shutil.copyfile(copy, journal.path)


def destructive_copy(journal: Journal, kept: int = 1) -> tuple[list[str], Path]:
    """Five entries; a copy of the journal that deletes all but `kept` of them."""
    ids = [journal.add_entry("win", f"Win {n}").id for n in range(5)]
    journal.save()
    other = journal.path.with_name("elsewhere.tandem")
    shutil.copyfile(journal.path, other)
    theirs = Journal.open(other, PASSPHRASE)
    for entry_id in ids[kept:]:
        theirs.delete(entry_id)
    theirs.save()
    return ids, other


def test_a_destructive_copy_delivered_in_place_is_held_not_applied(journal: Journal) -> None:
    ids, other = destructive_copy(journal)
    deliver(other, journal)
    report = journal.refresh()
    assert report is not None and report.held_copy is not None
    assert "would delete 4 of 5 records" in report.why_held
    assert all(not journal.get(Entry, entry_id).deleted for entry_id in ids)
    held = Path(report.held_copy)
    assert held.parent.name == "family merged copies" and held.stat().st_mode & 0o077 == 0
    assert held.read_bytes() == other.read_bytes()  # the copy exactly as the drive wrote it
    # Quitting now applies nothing: the journal on disk is this journal again.
    reopened = Journal.open(journal.path, PASSPHRASE)
    assert all(not reopened.get(Entry, entry_id).deleted for entry_id in ids)
    assert [h.path for h in reopened.held_copies()] == [held]
    preview = reopened.preview_held_copy(held)
    assert preview.deleted_count == 4 and all(not reopened.get(Entry, i).deleted for i in ids)
    reopened.apply_held_copy(held)
    assert [entry.title for entry in Journal.open(journal.path, PASSPHRASE).entries()] == ["Win 0"]
    assert reopened.held_copies() == []
    assert any(" applied " in path.name for path in held.parent.iterdir())


def test_a_save_holds_a_destructive_disk_copy_and_keeps_its_own_changes(
    journal: Journal,
) -> None:
    ids, other = destructive_copy(journal)
    journal.add_entry("checkin", "Written meanwhile")
    deliver(other, journal)
    report = journal.save()
    assert report is not None and report.held_copy is not None
    titles = {entry.title for entry in Journal.open(journal.path, PASSPHRASE).entries()}
    assert titles == {f"Win {n}" for n in range(5)} | {"Written meanwhile"}
    declined = journal.decline_held_copy(Path(report.held_copy))
    assert " declined " in declined.name and declined.exists() and journal.held_copies() == []


def elsewhere(journal: Journal) -> tuple[Path, Journal]:
    """The journal as saved, opened from another place (another computer's copy)."""
    journal.save()
    other = journal.path.with_name("elsewhere.tandem")
    shutil.copyfile(journal.path, other)
    return other, Journal.open(other, PASSPHRASE)


def test_a_copy_that_changes_who_is_in_the_journal_is_held(journal: Journal) -> None:
    other, theirs = elsewhere(journal)
    theirs.invite("Dr. Lee", "therapist")
    deliver(other, journal)
    report = journal.refresh()
    assert report is not None and report.why_held == "it would change who is in the journal"
    assert [m.name for m in journal.members()] == ["Ana Rivera"]
    assert read_container(journal.path).header.slots == journal.file.header.slots


def test_an_ordinary_copy_delivered_in_place_is_merged_as_before(journal: Journal) -> None:
    other, theirs = elsewhere(journal)
    theirs.add_entry("win", "From the other computer")
    theirs.save()
    deliver(other, journal)
    report = journal.refresh()
    assert report is not None and report.held_copy is None
    assert [entry.title for entry in journal.entries()] == ["From the other computer"]
