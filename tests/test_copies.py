"""Conflict copies of Dropbox, Google Drive, OneDrive, Nextcloud and Syncthing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from journal.copies import archive_folder, find_conflict_copies, other_copy_note, sync_copies
from journal.journal import Journal
from tests.conftest import PASSPHRASE, copy_of

COPY_NAMES = {
    "family.sync-conflict-20261126-173000-ABCDEF7.tandem": "Syncthing",
    "family (Maya's conflicted copy 2026-11-26).tandem": "Dropbox",
    "family (Maya's conflicted copy 2026-11-26 (1)).tandem": "Dropbox",
    "family (Exemplaar met conflict van Maya 2026-11-26).tandem": "Dropbox",
    "family (Case Conflict).tandem": "Dropbox",
    "family (conflicted copy 2026-11-26 173000).tandem": "Nextcloud",
    "family-DESKTOP-4F2K9Q.tandem": "OneDrive",
    "family-DESKTOP-4F2K9Q-2.tandem": "OneDrive",
    "family-Maya's MacBook Pro.tandem": "OneDrive",
    "family (1).tandem": "Google Drive",
    "family (1) (1).tandem": "Google Drive",
    "family 1.tandem": "Google Drive",
    "family (1).sync-conflict-20261126-173000-ABCDEF7.tandem": "Syncthing",
    "family (Maya's conflicted copy 2026-11-26) (1).tandem": "Google Drive",
}
NOT_COPIES = [
    "family.tandem",
    "familyplan.tandem",
    "family.tandem.bak",
    ".family.tandem.0a1b2c3d.tmp",
    "family (1).txt",
    "other (1).tandem",
]


def test_every_drive_naming_pattern_is_found(tmp_path: Path) -> None:
    for name in [*COPY_NAMES, *NOT_COPIES]:
        (tmp_path / name).write_bytes(b"x")
    found = {c.path.name: c.service for c in find_conflict_copies(tmp_path / "family.tandem")}
    assert set(found) == set(COPY_NAMES)
    for name, service in COPY_NAMES.items():
        assert found[name] == service, name


def test_sync_merges_confirmed_copies_and_archives_them(journal: Journal, make_journal) -> None:
    journal.add_entry("checkin", "mine")
    journal.save()
    name = "family (Dr Lee's conflicted copy 2026-11-26).tandem"
    copy_path = drive_copy(journal, name, "from the therapist", kind="session").path
    stranger, _code = make_journal("family (1).tandem")
    result = sync_copies(journal)
    assert [c.path.name for c, _r in result.merged] == [copy_path.name]
    assert [c.path.name for c, _r in result.skipped] == ["family (1).tandem"]
    assert not copy_path.exists()
    assert (archive_folder(journal.path) / copy_path.name).exists()
    assert stranger.path.exists()
    reopened = Journal.open(journal.path, PASSPHRASE)
    assert {e.title for e in reopened.entries()} == {"mine", "from the therapist"}
    again = sync_copies(journal)
    assert again.merged == []


def test_dry_run_moves_nothing(journal: Journal) -> None:
    journal.save()
    copy_path = journal.path.with_name("family.sync-conflict-20261126-173000-ABCDEF7.tandem")
    shutil.copyfile(journal.path, copy_path)
    before = journal.path.read_bytes()
    result = sync_copies(journal, dry_run=True)
    assert len(result.merged) == 1
    assert copy_path.exists()
    assert journal.path.read_bytes() == before


@pytest.mark.parametrize("name", ["family (2).tandem"])
def test_archive_never_overwrites(journal: Journal, name: str) -> None:
    journal.save()
    for _round in range(2):
        shutil.copyfile(journal.path, journal.path.with_name(name))
        sync_copies(journal)
    archived = sorted(p.name for p in archive_folder(journal.path).iterdir())
    assert archived == ["family (2) (2).tandem", "family (2).tandem"]


# --- issue #12: names matched exactly; copies that are not a drive's are reported ------------

NOT_A_DRIVES = [
    "family-before-cleanup.tandem",  # a person's own copy, not OneDrive's
    "family-old.tandem",
    "family-Neo.tandem",  # perhaps OneDrive on a computer called Neo: not recognized, reported
    "family (before cleanup).tandem",
    "family (copy 2026-11-26).tandem",  # a date, but no word for conflict: not Dropbox's
    "family 2026.tandem",
    "family.sync-conflict-20261126-173000-abc1234.tandem",  # not a Syncthing device id
    "family-DESKTOP.tandem",
]
DRIVES_TOO = {
    "family-maya-laptop.tandem": "OneDrive",  # this computer's own name
    "family-MAYA-LAPTOP-2.tandem": "OneDrive",
    "family-LAPTOP-8J3K2Q1M.tandem": "OneDrive",
    "family-Ana’s iMac.tandem": "OneDrive",
    "family-ubuntu-box-safeBackup-0001.tandem": "OneDrive",
    "family (Kopie mit Konflikt von Maya 2026-11-26).tandem": "Dropbox",
    "family (Case Conflict 1).tandem": "Dropbox",
    "family (12).tandem": "Google Drive",
}


@pytest.fixture
def this_computer(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr("journal.copies.this_computer", lambda: "maya-laptop")
    return "maya-laptop"


def test_only_the_drives_patterns_are_taken_for_conflict_copies(
    tmp_path: Path, this_computer: str
) -> None:
    for name in [*COPY_NAMES, *DRIVES_TOO, *NOT_A_DRIVES]:
        (tmp_path / name).write_bytes(b"x")
    found = {c.path.name: c.service for c in find_conflict_copies(tmp_path / "family.tandem")}
    assert found == {**COPY_NAMES, **DRIVES_TOO}


def test_a_persons_own_copy_is_reported_never_merged_or_moved(
    journal: Journal, make_journal, this_computer: str
) -> None:
    journal.add_entry("checkin", "mine")
    journal.save()
    theirs = copy_of(journal, "family-before-cleanup.tandem")
    own = theirs.path
    theirs.add_entry("checkin", "kept aside")
    theirs.save()
    make_journal("family-other.tandem")  # named alike, but another journal: not mentioned
    own_bytes = own.read_bytes()
    for dry_run in (True, False):
        result = sync_copies(journal, dry_run=dry_run)
        assert result.merged == [] and result.archived == []
        assert result.other_copies == [own]
        assert own.read_bytes() == own_bytes
    assert [e.title for e in Journal.open(journal.path, PASSPHRASE).entries()] == ["mine"]
    assert other_copy_note(own) == (
        "family-before-cleanup.tandem is a copy of this journal but not a drive's "
        "conflict copy: merge it with `tandem merge`"
    )


# --- issue #12: only the bytes that were merged go to the archive --------------------------


def drive_copy(journal: Journal, name: str, title: str, kind: str = "checkin") -> Journal:
    """A drive's conflict copy beside the journal, with one entry of its own."""
    theirs = copy_of(journal, name)
    theirs.add_entry(kind, title)
    theirs.save()
    return theirs


def the_drive_delivers(theirs: Journal, title: str) -> bytes:
    """The drive replaces the copy with a newer version, one entry longer; its bytes."""
    theirs.add_entry("checkin", title)
    theirs.save()
    return theirs.path.read_bytes()


@pytest.fixture
def theirs(journal: Journal) -> Journal:
    """Google Drive's conflict copy `family (1).tandem`, with the entry "first"."""
    journal.save()
    return drive_copy(journal, "family (1).tandem", "first")


def titles(journal: Journal) -> set[str]:
    return {e.title for e in Journal.open(journal.path, PASSPHRASE).entries()}


# The drive replaces the copy just after it was read, or after the journal was saved.
@pytest.mark.parametrize("after", ["merge_copy", "save"])
def test_a_copy_replaced_during_sync_is_merged_again_before_it_is_archived(
    journal: Journal, theirs: Journal, monkeypatch: pytest.MonkeyPatch, after: str
) -> None:
    real = getattr(journal, after)
    replaced: list[bytes] = []

    def then_the_drive_delivers(*args: object, **options: object) -> object:
        done = real(*args, **options)
        if not replaced:  # once
            replaced.append(the_drive_delivers(theirs, "second"))
        return done

    monkeypatch.setattr(journal, after, then_the_drive_delivers)
    result = sync_copies(journal)
    assert titles(journal) == {"first", "second"}
    assert not theirs.path.exists()
    assert [p.read_bytes() for p in result.archived] == replaced
    assert [c.path.name for c, _report in result.merged] == ["family (1).tandem"] * 2


def test_a_copy_that_keeps_changing_is_left_for_the_next_sync(
    journal: Journal, theirs: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_save = journal.save
    count = iter(range(100))

    def save_then_the_drive_delivers() -> object:
        report = real_save()
        the_drive_delivers(theirs, f"more {next(count)}")
        return report

    monkeypatch.setattr(journal, "save", save_then_the_drive_delivers)
    result = sync_copies(journal)
    assert theirs.path.exists() and result.archived == []
    assert [(c.path.name, "kept changing" in reason) for c, reason in result.skipped] == [
        ("family (1).tandem", True)
    ]
    monkeypatch.undo()
    latest = {e.title for e in Journal.open(theirs.path, PASSPHRASE).entries()}
    again = sync_copies(journal)  # the drive has settled
    assert titles(journal) == latest
    assert len(again.archived) == 1


def test_a_copy_replaced_in_the_instant_before_its_move_is_merged_from_the_archive(
    journal: Journal, theirs: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def the_drive_wins_the_race(source: Path, target: Path) -> None:
        if Path(source) == theirs.path and "second" not in {e.title for e in theirs.entries()}:
            the_drive_delivers(theirs, "second")
        real_replace(source, target)

    monkeypatch.setattr("journal.copies.os.replace", the_drive_wins_the_race)
    result = sync_copies(journal)
    monkeypatch.undo()
    assert titles(journal) == {"first", "second"}
    assert [p.name for p in result.archived] == ["family (1).tandem"]
