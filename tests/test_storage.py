"""Saving: atomic replacement, permissions, backups, outside changes, failures, crashes."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from journal.errors import FileChangedOnDisk, TandemError
from journal.fileformat import decrypt_payload, encode_file, read_container
from journal.journal import Journal
from journal.storage import STALE_TEMP_SECONDS, atomic_write, data_dir
from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[1]


def test_new_file_is_private(journal: Journal) -> None:
    assert journal.path.stat().st_mode & 0o777 == 0o600


def test_file_holds_no_plaintext(journal: Journal) -> None:
    journal.update_info(child_name="Samuel")
    journal.add_entry(
        "incident", "Bit his sister", body="At dinner, over the blue cup.", tags=["x"]
    )
    journal.save()
    data = journal.path.read_bytes()
    for text in ("Samuel", "Sam's journal", "Ana Rivera", "Bit his sister", "blue cup", "parent"):
        assert text.encode() not in data
        assert text.encode("utf-16-le") not in data
    for folder in (journal.path.parent, data_dir()):
        for path in folder.rglob("*"):
            if path.is_file():
                assert b"Bit his sister" not in path.read_bytes()


def test_save_replaces_whole_file_and_leaves_no_temp(journal: Journal) -> None:
    journal.add_entry("win", "one")
    journal.save()
    assert sorted(p.name for p in journal.path.parent.iterdir()) == ["family.tandem"]


def test_backups_live_in_the_data_folder_and_rotate(journal: Journal) -> None:
    for n in range(8):
        journal.add_entry("win", f"win {n}")
        journal.save()
    backups = sorted((data_dir() / "backups" / journal.journal_id).glob("*.tandem"))
    assert len(backups) == 5
    assert not any(
        p.suffix == ".tandem" and p != journal.path for p in journal.path.parent.iterdir()
    )
    newest = Journal.open(backups[-1], PASSPHRASE)
    assert len(newest.entries()) == 7  # the version before the last save


def test_outside_change_is_merged_before_saving(journal: Journal) -> None:
    other = Journal.open(journal.path, PASSPHRASE)
    other.add_entry("win", "from the other program")
    other.save()
    journal.add_entry("checkin", "mine")
    report = journal.save()
    assert report is not None and report.tables["entries"].added
    on_disk = Journal.open(journal.path, PASSPHRASE)
    assert sorted(e.title for e in on_disk.entries()) == ["from the other program", "mine"]


def test_file_layer_refuses_to_overwrite_an_unmerged_change(journal: Journal) -> None:
    other = Journal.open(journal.path, PASSPHRASE)
    other.add_entry("win", "from the other program")
    other.save()
    before = journal.path.read_bytes()
    with pytest.raises(FileChangedOnDisk, match="changed on disk"):
        journal.file.write_document(journal.document())
    assert journal.path.read_bytes() == before


def test_damaged_file_on_disk_is_kept_as_a_backup_then_replaced(journal: Journal) -> None:
    journal.add_entry("win", "mine")
    data = journal.path.read_bytes()[:-100]  # a drive delivered half a download
    journal.path.write_bytes(data)
    journal.save()
    assert [e.title for e in Journal.open(journal.path, PASSPHRASE).entries()] == ["mine"]
    kept = list((data_dir() / "backups" / journal.journal_id / "damaged").glob("*.tandem"))
    assert [p.read_bytes() for p in kept] == [data]


def test_file_replaced_by_same_bytes_is_not_a_change(journal: Journal) -> None:
    data = journal.path.read_bytes()
    journal.path.unlink()
    journal.path.write_bytes(data)  # a drive re-downloaded the same version
    journal.add_entry("win", "still saves")
    journal.save()


def test_unwritable_folder_gives_one_line_and_changes_nothing(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = journal.path.read_bytes()
    real_open = os.open

    def refuse(path, flags, *args):  # type: ignore[no-untyped-def]
        if str(path).endswith(".tmp"):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refuse)
    journal.add_entry("win", "kept in memory")
    with pytest.raises(TandemError, match="Permission denied") as raised:
        journal.save()
    assert "\n" not in str(raised.value)
    assert journal.path.read_bytes() == before
    assert journal.dirty


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_disk_full_or_failed_rename_keeps_old_file(
    journal: Journal, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    before = journal.path.read_bytes()

    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    journal.add_entry("win", "too big")
    with pytest.raises(TandemError, match="disk is full"):
        journal.save()
    monkeypatch.undo()
    assert journal.path.read_bytes() == before
    assert sorted(p.name for p in journal.path.parent.iterdir()) == ["family.tandem"]


def test_stale_temp_files_are_cleaned_after_a_save(journal: Journal) -> None:
    stale = journal.path.parent / f".{journal.path.name}.deadbeef.tmp"
    stale.write_bytes(b"left by a killed save")
    old = time.time() - STALE_TEMP_SECONDS - 5
    os.utime(stale, (old, old))
    fresh = journal.path.parent / f".{journal.path.name}.cafebabe.tmp"
    fresh.write_bytes(b"another writer, right now")
    journal.add_entry("win", "x")
    journal.save()
    assert not stale.exists()
    assert fresh.exists()


def test_atomic_write_never_leaves_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "f.bin"
    atomic_write(target, b"old")
    atomic_write(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    assert target.stat().st_mode & 0o777 == 0o600


SAVER = """
import sys
from journal.journal import Journal
journal = Journal.open(sys.argv[1], sys.argv[2])
print("ready", flush=True)
n = 0
while True:
    n += 1
    journal.add_entry("checkin", f"entry {n}", body="x" * 2000)
    journal.save()
"""


def test_killed_during_saves_always_leaves_an_openable_journal(journal: Journal) -> None:
    for n in range(200):
        journal.add_entry("checkin", f"seed {n}", body="y" * 500)
    journal.save()
    rng = random.Random(1234)
    seen_counts = set()
    env = dict(os.environ)
    for _ in range(15):
        process = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(journal.path), PASSPHRASE],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.4))
        process.send_signal(signal.SIGKILL)
        process.wait()
        survivor = Journal.open(journal.path, PASSPHRASE)
        count = len(survivor.entries())
        assert count >= 200
        seen_counts.add(count)
    assert len(seen_counts) > 1, "the saver never got to save; the test proves nothing"


def test_a_save_rewrites_an_older_compression_as_zstd(journal: Journal) -> None:
    journal.add_entry("win", "packed the old way")
    journal.save()
    header = read_container(journal.path).header
    document = decrypt_payload(read_container(journal.path), journal.file.unlocked.key)
    header.compression = "zlib"
    journal.path.write_bytes(encode_file(header, journal.file.unlocked.key, document))
    reopened = Journal.open(journal.path, PASSPHRASE)
    reopened.add_entry("win", "packed the new way")
    reopened.save()
    assert read_container(journal.path).header.compression == "zstd"
    titles = {entry.title for entry in Journal.open(journal.path, PASSPHRASE).entries()}
    assert {"packed the old way", "packed the new way"} <= titles
