"""Conflict copies of Dropbox, Google Drive, OneDrive, Nextcloud and Syncthing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from journal.copies import archive_folder, find_conflict_copies, sync_copies
from journal.journal import Journal
from tests.conftest import PASSPHRASE

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
    copy_path = journal.path.with_name("family (Dr Lee's conflicted copy 2026-11-26).tandem")
    shutil.copyfile(journal.path, copy_path)
    theirs = Journal.open(copy_path, PASSPHRASE)
    theirs.add_entry("session", "from the therapist")
    theirs.save()
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
