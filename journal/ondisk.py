"""Tandem's files on disk: private folders, atomic saves, the writers' lock and backups.

The rules are in docs/FORMAT.md ("Writing"). In short: a save writes a
temporary file beside the journal (through a symbolic link, beside its
target) under a name the shared drives do not sync, then renames it over the
journal; a lock serialises the writers of one journal; the previous file is
kept as a numbered backup in Tandem's data folder; and every folder and file
Tandem makes for itself is private to its user (0700 and 0600).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import glob
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import platformdirs

from journal.errors import TandemError

__all__ = [
    "BACKUPS_KEPT",
    "LOCK_TIMEOUT_SECONDS",
    "STALE_TEMP_SECONDS",
    "Backups",
    "atomic_write",
    "data_dir",
    "describe_os_error",
    "fsync_directory",
    "journal_lock",
    "make_private_dir",
    "prune_backups",
    "prune_later",
    "prune_now",
    "remember_opened",
    "remembered_opened",
    "remove_left_temps",
    "remove_stale_temps",
    "tandem_folder",
]

BACKUPS_KEPT = 5
"""How many backups of each journal are kept."""
STALE_TEMP_SECONDS = 600
"""A temporary file this old is left over from a killed save, even while someone saves."""
LOCK_TIMEOUT_SECONDS = 30.0
"""How long a save waits for another program's save to finish."""

# Temporary files start with "~$", the Office lock file prefix, which the shared drives
# leave unsynced: Dropbox's "files that aren't synced" page (help.dropbox.com/sync/
# files-not-syncing; also ".~" and "~*.tmp"), Microsoft's "Restrictions and limitations in
# OneDrive and SharePoint" (no name may start with "~$"), the Nextcloud/ownCloud clients'
# sync-exclude.lst ("~$*", ".~lock.*") and Insync's list for Google Drive and OneDrive
# ("~$", ".~lock" and ".tmp"). Syncthing skips only its own ".syncthing." temporaries
# unless told; "~*.tmp" and "*.tmp" are in most of its users' ignore lists.
TEMP_PREFIX = "~$"
_OLD_TEMP_PREFIX = "."  # before December 2026: ".<name>.<8 hex>.tmp"
# The lock beside a journal (only when the data folder cannot be written): LibreOffice's
# name for its lock files, which Dropbox (".~"), Nextcloud and Insync (".~lock") skip.
LOCK_BESIDE = ".~lock.{name}#"


def data_dir() -> Path:
    """Tandem's folder for backups and other per-user data (never beside a journal)."""
    return Path(platformdirs.user_data_dir("tandem", appauthor=False))


def describe_os_error(action: str, path: Path, error: OSError) -> str:
    """One line: what could not be done to `path`, and why in plain words."""
    reason = error.strerror or str(error)
    if error.errno == errno.ENOSPC:
        reason = "the disk is full"
    return f"cannot {action} {path}: {reason}"


# --- private folders --------------------------------------------------------------


def make_private_dir(folder: Path, *, narrow: bool = False) -> None:
    """Create `folder` and its missing parents with mode 0700 (raises `OSError`).

    `mkdir(parents=True)` gives the parents the default mode, and the umask
    trims the mode of all: each folder made here is set to 0700 after. With
    `narrow`, an existing `folder` of this user that others may read is
    narrowed to 0700 too (Tandem's own folders, made wider by older versions).
    """
    missing: list[Path] = []
    current = Path(folder)
    while not current.is_dir() and current.parent != current:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            if not path.is_dir():
                reason = os.strerror(errno.ENOTDIR)
                raise NotADirectoryError(errno.ENOTDIR, reason, str(path)) from None
            continue  # made meanwhile by another program
        os.chmod(path, 0o700)
    if narrow:
        _narrow(Path(folder))


def _narrow(path: Path) -> None:
    info = os.stat(path)
    if info.st_uid == os.getuid() and info.st_mode & 0o077:
        os.chmod(path, stat.S_IMODE(info.st_mode) & 0o700)


def tandem_folder(*parts: str) -> Path:
    """A folder inside Tandem's data folder, made (or narrowed) to 0700 at every level."""
    level = data_dir()
    make_private_dir(level.joinpath(*parts))
    _narrow(level)
    for part in parts:
        level = level / part
        _narrow(level)
    return level


def _private_copy(source: Path, destination: Path) -> None:
    """Copy `source` to a new file `destination` of mode 0600 (never readable by others)."""
    fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    with os.fdopen(fd, "wb") as out, open(source, "rb") as inp:
        os.fchmod(out.fileno(), 0o600)
        shutil.copyfileobj(inp, out)


# --- atomic saves and their temporary files -----------------------------------------------


def fsync_directory(folder: Path) -> None:
    """Make a rename in `folder` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def final_path(path: Path) -> Path:
    """`path` with every symbolic link resolved: where its bytes are written."""
    return Path(os.path.realpath(path))


class OpenFile(Protocol):
    """A file open for reading at offsets (`journal.frames.FileSource`)."""

    def fileno(self) -> int:
        """Its descriptor."""
        ...

    def read(self, offset: int, length: int) -> bytes:
        """`length` bytes from `offset`."""
        ...


@dataclass(frozen=True)
class CopiedRange:
    """Bytes of an open file that a save copies into the new file in the kernel."""

    source: OpenFile
    offset: int
    length: int

    def read(self) -> bytes:
        """The bytes themselves (to hold a file in memory)."""
        return self.source.read(self.offset, self.length)


_COPY_UNSUPPORTED = frozenset(
    getattr(errno, name)
    for name in ("EXDEV", "ENOSYS", "EINVAL", "EOPNOTSUPP", "ENOTSUP", "ENOTSOCK", "EBADF")
    + ("EPERM", "EOVERFLOW", "ETXTBSY")
    if hasattr(errno, name)
)
"""What a kernel copy answers where it cannot copy these files (macOS's sendfile wants a
socket, an older kernel refuses two file systems, ...): then the next way is tried."""


WRITEBACK_STEP = 4 << 20
"""A save copies this many bytes at a time, and has the disk start on each (`_write_soon`)."""


def _write_soon(fd: int, offset: int, length: int) -> None:
    """Have the kernel start writing these bytes of the new file to the disk now, so that
    the fsync at the end of a save waits for the last step only, not the whole copy.

    Measured on this project's machine (ext4), copying 25 MB then fsyncing took
    15 ms, in 4 MB steps 11 ms. POSIX_FADV_DONTNEED starts the writing of dirty
    pages and then drops the clean ones only; the pages just copied are dirty,
    so they stay cached for the next command. A system without it skips this.
    """
    if hasattr(os, "posix_fadvise"):
        with contextlib.suppress(OSError):
            os.posix_fadvise(fd, offset, length, os.POSIX_FADV_DONTNEED)


def _copy_range(piece: CopiedRange, out: int) -> None:
    """Append `piece` to the file open at `out` (at its position), without passing through
    this process when the system can: copy_file_range, else sendfile, else read and write."""
    source, offset, left = piece.source.fileno(), piece.offset, piece.length
    for copy in (_copy_file_range, _sendfile):
        try:
            while left:
                start = os.lseek(out, 0, os.SEEK_CUR)
                done = copy(source, out, min(left, WRITEBACK_STEP), offset)
                if done <= 0:
                    raise OSError(errno.EIO, "the copy ended early")
                _write_soon(out, start, done)
                offset, left = offset + done, left - done
            return
        except OSError as error:
            if error.errno not in _COPY_UNSUPPORTED:
                raise
    while left:
        chunk = os.pread(source, min(left, 1 << 20), offset)
        if not chunk:
            raise OSError(errno.EIO, "the journal being saved was cut short")
        os.write(out, chunk)
        offset, left = offset + len(chunk), left - len(chunk)


def _copy_file_range(source: int, out: int, count: int, offset: int) -> int:
    if not hasattr(os, "copy_file_range"):
        raise OSError(errno.ENOSYS, "no copy_file_range")
    return os.copy_file_range(source, out, count, offset)


def _sendfile(source: int, out: int, count: int, offset: int) -> int:
    return os.sendfile(out, source, offset, count)


def _write_pieces(fd: int, pieces: Sequence[bytes | memoryview | CopiedRange]) -> None:
    """Write every piece in order to the new file at `fd`, then flush it to the disk."""
    with os.fdopen(fd, "wb", closefd=False) as handle:
        for piece in pieces:
            if isinstance(piece, CopiedRange):
                handle.flush()
                _copy_range(piece, fd)
            else:
                handle.write(piece)
        handle.flush()
    os.fsync(fd)


def _reads_back(temp: Path, pieces: Sequence[bytes | memoryview | CopiedRange]) -> bool:
    """True when the new file holds every piece written from memory, at its place, and is
    exactly as long as all pieces (those the kernel copied are checked by their length)."""
    with open(temp, "rb") as check:
        position = 0
        for piece in pieces:
            if isinstance(piece, CopiedRange):
                position += piece.length
                continue
            check.seek(position)
            if check.read(len(piece)) != piece:
                return False
            position += len(piece)
        return os.fstat(check.fileno()).st_size == position


def atomic_write(
    path: Path,
    data: bytes | Sequence[bytes | memoryview | CopiedRange],
    *,
    backups: Backups | None = None,
) -> None:
    """Replace `path` with `data` so that a crash leaves the old or the new file, whole.

    `data` is the file's bytes, or its pieces in order (`CopiedRange`: bytes the
    kernel copies from an open file). The new file is written to a temporary
    file beside the file (mode 0600, named so that shared drives skip it),
    flushed and fsynced, read back and compared, then renamed over it. A
    symbolic link at `path` is written through: its target is replaced and the
    link stays. With `backups`, the previous file is kept among them first (a
    failure there never blocks the save).
    """
    pieces = [data] if isinstance(data, (bytes, memoryview)) else list(data)
    target = final_path(Path(path))
    folder = target.parent
    temp = folder / f"{TEMP_PREFIX}{target.name}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise TandemError(describe_os_error("save to", folder, error)) from error
    # The previous file is kept while the new one is written: pruning the oldest backup
    # of a large journal takes as long as freeing its blocks.
    keeping = _keep_meanwhile(backups, target)
    try:
        try:
            try:
                _write_pieces(fd, pieces)
            finally:
                os.close(fd)
            if not _reads_back(temp, pieces):
                raise TandemError(f"cannot save {path}: the new file did not read back intact")
            if keeping is not None:
                keeping.join()
            os.replace(temp, target)
        except OSError as error:
            raise TandemError(describe_os_error("save", Path(path), error)) from error
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if keeping is not None:
            keeping.join()
        raise
    fsync_directory(folder)
    remove_stale_temps(target)


def _keep_meanwhile(backups: Backups | None, target: Path) -> threading.Thread | None:
    """Start keeping `target` among `backups` on a thread (None: nothing to keep).

    Keeping it before the new file is in place is safe: it is the file as it
    is, and a save that then fails keeps no second copy of it (`Backups.keep`).
    """
    if backups is None or not target.exists():
        return None
    thread = threading.Thread(target=backups.keep, args=(target,), name="tandem-backup")
    thread.start()
    return thread


def _temps_of(target: Path) -> Iterator[Path]:
    """The temporary files of saves of `target`, this version's and older ones."""
    for prefix in (TEMP_PREFIX, _OLD_TEMP_PREFIX):
        pattern = re.compile(re.escape(prefix + target.name) + r"\.[0-9a-f]{8}\.tmp")
        for temp in target.parent.glob(glob.escape(prefix + target.name) + ".*.tmp"):
            if pattern.fullmatch(temp.name):
                yield temp


def remove_stale_temps(target: Path, *, any_age: bool = False) -> None:
    """Remove temporary files left by killed saves of `target`.

    Only those older than `STALE_TEMP_SECONDS` (a live save's is younger),
    unless `any_age`: the caller holds the lock, so no save is under way.
    """
    now = time.time()
    for temp in _temps_of(target):
        with contextlib.suppress(OSError):
            if any_age or now - temp.stat().st_mtime > STALE_TEMP_SECONDS:
                temp.unlink()


def remove_left_temps(path: Path) -> None:
    """At open: remove what killed saves of the journal at `path` left beside it.

    If no program holds the journal's lock, no save is under way and every
    temporary file is left over; otherwise only the stale ones are.
    """
    target = final_path(Path(path))
    try:
        with journal_lock(target, timeout=0):
            remove_stale_temps(target, any_age=True)
            return
    except TandemError:
        pass
    remove_stale_temps(target)


# --- the writers' lock ---------------------------------------------------------------------


class _LockFile:
    """One lock file, held with an OS lock (flock) that dies with its holder.

    A `transient` lock file (beside the journal) is removed by its holder
    before it lets go, so nothing stays in a synced folder; a waiter checks
    after locking that the file it holds is still the one at the path.
    """

    def __init__(self, path: Path, *, transient: bool = False) -> None:
        self.path = path
        self.transient = transient
        self.fd = self._open()

    def _open(self) -> int:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        with contextlib.suppress(OSError):
            if stat.S_IMODE(os.fstat(fd).st_mode) & 0o077:
                os.fchmod(fd, 0o600)  # made by an older version
        return fd

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; False if someone does."""
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            if not self.transient or self._still_at_path():
                return True
            os.close(self.fd)  # its holder removed it: lock the one at the path now
            self.fd = self._open()

    def _still_at_path(self) -> bool:
        try:
            on_disk = os.stat(self.path)
        except FileNotFoundError:
            return False
        held = os.fstat(self.fd)
        return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)

    def release(self, *, held: bool) -> None:
        """Let go of the lock (removing a transient lock file first) and close it."""
        if held and self.transient:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
        with contextlib.suppress(OSError):
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def _lock_name(target: Path) -> str:
    return f"{hashlib.sha256(str(target).encode()).hexdigest()[:32]}.lock"


def _open_lock(target: Path) -> _LockFile:
    """The lock file of the journal at `target`: in the data folder, else beside it, else run/.

    Raises `TandemError` when none can be made.
    """
    first: OSError | None = None
    try:
        return _LockFile(tandem_folder("locks") / _lock_name(target))
    except OSError as error:
        first = error
    try:
        beside = target.parent / LOCK_BESIDE.format(name=target.name)
        return _LockFile(beside, transient=True)
    except OSError:
        pass
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isabs(runtime):
        with contextlib.suppress(OSError):
            folder = Path(runtime) / "tandem"
            make_private_dir(folder, narrow=True)
            return _LockFile(folder / _lock_name(target))
    raise TandemError(describe_os_error("lock", target, first))


@contextlib.contextmanager
def journal_lock(path: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the lock that serialises local writers of the journal at `path`.

    The lock follows symbolic links (one lock per real file). Its file lives
    in Tandem's data folder (not beside the journal, where a shared drive
    would sync it); if that folder cannot be written, beside the journal under
    a name the drives skip (removed after use), or in `$XDG_RUNTIME_DIR`. An
    OS lock: a writer that is killed releases it, so a stale lock never
    blocks anyone.
    """
    lock = _open_lock(final_path(Path(path)))
    held = False
    try:
        deadline = time.monotonic() + timeout
        while not lock.try_acquire():
            if time.monotonic() >= deadline:
                raise TandemError(
                    f"another program has been saving {path} for {timeout:.0f} s; try again"
                )
            time.sleep(0.02)
        held = True
        yield
    finally:
        lock.release(held=held)


# --- backups -------------------------------------------------------------------------------

_NUMBERED = re.compile(r"([0-9]{1,12})-.*\.tandem")


def _backup_order(path: Path) -> tuple[int, str]:
    """Backups sort by their number; names from before numbering (a time only) come first."""
    numbered = _NUMBERED.fullmatch(path.name)
    return (int(numbered[1]), path.name) if numbered else (0, path.name)


_pruning_later: list[tuple[Path, int]] | None = None
"""While a list (`prune_later`), the backups to prune once the command has answered."""


def prune_later() -> None:
    """From now on, leave pruning backups to `prune_now`: the key agent's fork of a command
    answers first, then prunes (deleting the oldest backup of a large journal costs as
    long as freeing its blocks, a few ms that the person does not wait for)."""
    global _pruning_later
    _pruning_later = []


def prune_now() -> None:
    """Prune the backups left by `prune_later` (a backup not pruned now is at the next save)."""
    global _pruning_later
    waiting, _pruning_later = _pruning_later or [], None
    for folder, keep in waiting:
        prune_backups(folder, keep)


def _prune(folder: Path, keep: int) -> None:
    if _pruning_later is None:
        prune_backups(folder, keep)
    else:
        _pruning_later.append((folder, keep))


def prune_backups(folder: Path, keep: int = BACKUPS_KEPT) -> None:
    """Delete all but the `keep` highest-numbered backups in `folder`.

    By number, not by the time in the name: a clock that ran ahead, then
    back, cannot make a new backup look older than the rest.
    """
    try:
        backups = sorted(folder.glob("*.tandem"), key=_backup_order)
    except OSError:
        return
    for old in backups[:-keep] if keep else backups:
        with contextlib.suppress(OSError):
            old.unlink()


class Backups:
    """The backups of one journal in the data folder: `<number>-<UTC time>.tandem`.

    A failed backup never blocks a save: `off` then says why backups are
    off, in one line, until one succeeds again.
    """

    def __init__(self, journal_id: str, keep: int = BACKUPS_KEPT) -> None:
        self.journal_id = journal_id
        self.keep_count = keep
        self.off: str | None = None

    def keep(self, current: Path) -> None:
        """Keep the file at `current` as the newest backup, and prune the oldest."""
        folder = data_dir() / "backups" / self.journal_id
        try:
            folder = tandem_folder("backups", self.journal_id)
            if self._newest_is(current, folder):
                return  # kept already (a save that failed after keeping it): no second copy
            self._add(current, folder, self._next_number(folder))
        except OSError as error:
            reason = error.strerror or str(error)
            self.off = f"backups are off: cannot write to {folder} ({reason})"
            return
        self.off = None
        _prune(folder, self.keep_count)

    def keep_damaged(self, current: Path) -> None:
        """Keep a damaged file found on disk, in `damaged/` (never pruned)."""
        with contextlib.suppress(OSError):
            folder = tandem_folder("backups", self.journal_id, "damaged")
            self._add(current, folder, None)

    @staticmethod
    def _newest_is(current: Path, folder: Path) -> bool:
        """True when the newest backup is `current` itself (backups are hard links)."""
        newest = max(folder.glob("*.tandem"), key=_backup_order, default=None)
        try:
            return newest is not None and os.path.samefile(newest, current)
        except OSError:
            return False

    @staticmethod
    def _next_number(folder: Path) -> int:
        return max((_backup_order(p)[0] for p in folder.glob("*.tandem")), default=0) + 1

    @staticmethod
    def _add(current: Path, folder: Path, number: int | None) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        for attempt in range(100):
            name = f"{stamp}.tandem" if number is None else f"{number + attempt:08d}-{stamp}.tandem"
            backup = folder / name
            try:
                os.link(current, backup)  # the file is about to be replaced: no copy needed
                os.chmod(backup, 0o600)
                return
            except FileExistsError:
                continue  # another program's backup took this number
            except OSError:
                try:
                    _private_copy(current, backup)
                    return
                except FileExistsError:
                    continue
        raise FileExistsError(errno.EEXIST, "no free backup name", str(folder))


# --- the slot this person last opened a journal with ---------------------------------------


def _opened_file(journal_id: str) -> Path:
    return tandem_folder("opened") / f"{journal_id}.json"


def remember_opened(journal_id: str, slot: dict[str, object]) -> None:
    """Remember the id and key settings of the slot a journal was opened with (0600, no secret).

    So that a slot removed or changed later reads as altered, not as a wrong
    passphrase (docs/FORMAT.md, reading step 6). Best effort: a data folder
    that cannot be written only loses this memory.
    """
    if not re.fullmatch(r"[0-9a-f]{32}", journal_id):
        return
    text = json.dumps(slot, sort_keys=True)
    try:
        path = _opened_file(journal_id)
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            return
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(text)
    except (OSError, UnicodeDecodeError):
        return


def remembered_opened(journal_id: str) -> dict[str, object] | None:
    """What `remember_opened` kept for this journal, or None."""
    if not re.fullmatch(r"[0-9a-f]{32}", journal_id):
        return None
    try:
        path = data_dir() / "opened" / f"{journal_id}.json"
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None
