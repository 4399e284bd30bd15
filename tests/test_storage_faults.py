"""Local faults around saving (issue 12, items 6-8, 10 and 17).

A clock that jumps, a data folder that cannot be written, a save killed
half-way, a journal reached through a symbolic link, and the permissions of
everything Tandem makes in its own folders.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from journal import ondisk
from journal.errors import TandemError
from journal.journal import Journal
from journal.recent import recent_file, remember
from journal.storage import STALE_TEMP_SECONDS, JournalFile, data_dir, journal_lock
from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[1]


def titles(path: Path) -> set[str]:
    return {entry.title for entry in Journal.open(path, PASSPHRASE).entries()}


def assert_busy(path: Path) -> None:
    """Another taker of the lock of `path` waits a moment, then gives up."""
    with pytest.raises(TandemError, match="another program"), journal_lock(path, timeout=0.05):
        pass


def others_beside(journal_path: Path) -> list[str]:
    """Names in the journal's folder other than the journal itself."""
    return sorted(p.name for p in journal_path.parent.iterdir() if p.name != journal_path.name)


# --- 6. backups and a clock that jumps -------------------------------------------------


def test_backups_are_kept_in_save_order_whatever_the_clock_says(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = datetime
    offset = [timedelta(0)]

    class JumpingClock(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
            return real.now(tz) + offset[0]

    monkeypatch.setattr(ondisk, "datetime", JumpingClock)  # the clock that names backups
    folder = data_dir() / "backups" / journal.journal_id
    saved = []
    for jump in (timedelta(days=365), timedelta(0), timedelta(days=-365), timedelta(0)):
        offset[0] = jump
        for n in range(3):
            before = journal.path.read_bytes()
            journal.add_entry("win", f"{jump.days} {n}")
            journal.save()
            saved.append(before)
            kept = {p.read_bytes() for p in folder.glob("*.tandem")}
            assert before in kept, "the backup of this save was pruned at once"
    backups = sorted(folder.glob("*.tandem"))
    assert [p.read_bytes() for p in backups] == saved[-5:]


def test_backups_from_before_the_sequence_are_pruned_first(journal: Journal) -> None:
    folder = data_dir() / "backups" / journal.journal_id
    folder.mkdir(parents=True, exist_ok=True)
    legacy = folder / "20991231T235959000000Z.tandem"  # a name from a clock far ahead
    legacy.write_bytes(journal.path.read_bytes())
    for n in range(5):
        journal.add_entry("win", f"win {n}")
        journal.save()
    assert not legacy.exists()
    assert len(list(folder.glob("*.tandem"))) == 5


# --- 7. a data folder that cannot be written ------------------------------------------


@pytest.fixture
def unwritable_data_folder(
    journal: Journal, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Once the journal is made, point the data folder below a regular file: nothing fits."""
    blocker = tmp_path_factory.mktemp("blocked") / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "data"))
    return blocker


@pytest.mark.usefixtures("unwritable_data_folder")
def test_a_data_folder_that_cannot_be_written_never_blocks_a_save(journal: Journal) -> None:
    journal.add_entry("win", "saved anyway")
    journal.save()
    assert "saved anyway" in titles(journal.path)
    reason = journal.file.backups_off
    assert reason is not None and "backups are off" in reason and "\n" not in reason
    assert journal.file.take_notices() == [reason]
    journal.add_entry("win", "and again")
    journal.save()
    assert journal.file.take_notices() == [], "the notice is given once"
    assert others_beside(journal.path) == [], "the lock beside the journal is gone"


@pytest.mark.usefixtures("unwritable_data_folder")
def test_the_lock_still_keeps_two_writers_apart_without_the_data_folder(
    journal: Journal,
) -> None:
    with journal_lock(journal.path):
        assert_busy(journal.path)
    with journal_lock(journal.path, timeout=0.05):
        pass


def test_the_lock_falls_back_to_the_run_folder(
    journal: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "data"))
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    real_open = os.open

    def no_lock_beside(path, flags, *args):  # type: ignore[no-untyped-def]
        if Path(path).parent == journal.path.parent and "lock" in Path(path).name:
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", no_lock_beside)
    with journal_lock(journal.path):
        assert any((run / "tandem").iterdir())
        assert_busy(journal.path)


# --- 8. temporary files of a killed save -----------------------------------------------

KILLED_SAVE = """
import os, signal, sys
from journal.journal import Journal
journal = Journal.open(sys.argv[1], sys.argv[2])
journal.add_entry("win", "never saved")
os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
journal.save()
"""


def drives_skip(name: str) -> bool:
    """True for a name Dropbox, OneDrive and Nextcloud leave unsynced (see storage.py)."""
    return name.startswith("~$")


def test_a_killed_save_leaves_only_a_temp_the_drives_skip_and_the_next_open_removes_it(
    journal: Journal,
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", KILLED_SAVE, str(journal.path), PASSPHRASE],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
    )
    assert done.returncode == -9, done.stderr.decode()
    left = others_beside(journal.path)
    assert len(left) == 1 and left[0].endswith(".tmp"), left
    assert drives_skip(left[0]), f"{left[0]} would be uploaded by a shared drive"
    assert "never saved" not in titles(journal.path)  # this open removes it
    assert others_beside(journal.path) == []


def test_an_open_keeps_the_temp_of_a_writer_saving_now(journal: Journal) -> None:
    young = journal.path.parent / f"~${journal.path.name}.0badc0de.tmp"
    young.write_bytes(b"another program is writing this right now")
    legacy = journal.path.parent / f".{journal.path.name}.deadbeef.tmp"
    legacy.write_bytes(b"left by an older version")
    old = (legacy.stat().st_mtime - STALE_TEMP_SECONDS - 5,) * 2
    os.utime(legacy, old)
    with journal_lock(journal.path):
        JournalFile.open(journal.path, PASSPHRASE)
    assert young.exists(), "a young temp while the lock is held belongs to a live save"
    assert not legacy.exists(), "a stale temp goes whatever the lock"
    JournalFile.open(journal.path, PASSPHRASE)
    assert not young.exists(), "with nobody holding the lock, every temp is stale"


def test_the_temp_of_a_journal_is_the_only_thing_an_open_removes(journal: Journal) -> None:
    folder = journal.path.parent
    mine = [folder / "notes.txt", folder / "~$report.docx", folder / "~$other.tandem.1a2b3c4d.tmp"]
    for path in mine:
        path.write_text("not Tandem's")
    JournalFile.open(journal.path, PASSPHRASE)
    assert all(path.exists() for path in mine)


# --- 10. symbolic links ------------------------------------------------------------------


@pytest.fixture
def linked(journal: Journal, tmp_path: Path) -> Iterator[tuple[Journal, Path]]:
    """The journal, and a relative symbolic link to it in another ("synced") folder."""
    synced = tmp_path / "Dropbox"
    synced.mkdir()
    link = synced / "family.tandem"
    link.symlink_to(Path("..") / journal.path.name)
    yield journal, link


def test_saving_through_a_symbolic_link_keeps_the_link(linked: tuple[Journal, Path]) -> None:
    journal, link = linked
    via_link = Journal.open(link, PASSPHRASE)
    via_link.add_entry("win", "through the link")
    via_link.save()
    assert link.is_symlink() and link.resolve() == journal.path.resolve()
    assert "through the link" in titles(journal.path)
    assert others_beside(link) == [] and others_beside(journal.path) == ["Dropbox"]
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600


def test_through_a_link_the_lock_and_the_change_check_follow_the_target(
    linked: tuple[Journal, Path],
) -> None:
    journal, link = linked
    via_link = Journal.open(link, PASSPHRASE)
    with journal_lock(journal.path):
        assert_busy(link)
    journal.add_entry("win", "saved on the target")
    journal.save()
    assert via_link.file.changed_on_disk()
    via_link.add_entry("win", "saved on the link")
    report = via_link.save()
    assert report is not None
    assert link.is_symlink()
    assert {"saved on the target", "saved on the link"} <= titles(link)


# --- 17. private folders and files --------------------------------------------------------


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def modes_below(root: Path) -> dict[str, int]:
    found = {root.name: stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = stat.S_IMODE(path.stat().st_mode)
    return found


@pytest.mark.usefixtures("umask_022")
def test_everything_tandem_makes_in_its_folders_is_private(
    journal: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("XDG_DATA_HOME", str(fresh / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(fresh / "config"))
    journal.add_entry("win", "one")
    journal.save()
    journal.path.write_bytes(journal.path.read_bytes()[:-100])  # damaged: kept, then replaced
    journal.add_entry("win", "two")
    journal.save()
    assert remember(journal.path)
    assert recent_file().is_file()
    modes = modes_below(fresh)
    assert len(modes) > 6
    for name, mode in modes.items():
        is_dir = (fresh / name).is_dir() if name != fresh.name else True
        assert mode == (0o700 if is_dir else 0o600), f"{name} has mode {mode:o}"


@pytest.mark.usefixtures("umask_022")
def test_a_data_folder_made_open_by_an_older_version_is_narrowed(journal: Journal) -> None:
    folder = data_dir()
    for path in (folder, folder / "backups", folder / "locks"):
        path.mkdir(exist_ok=True)
        path.chmod(0o755)
    journal.add_entry("win", "one")
    journal.save()
    for path in (folder, folder / "backups", folder / "locks"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
