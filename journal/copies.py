"""Conflict copies that shared drives leave beside a journal, and merging them in.

When two people change the file at once, Dropbox, Google Drive, OneDrive,
Nextcloud and Syncthing keep both and rename one. `find_conflict_copies`
finds the names that match a drive's pattern exactly (docs/SYNC.md,
"Conflict copies of shared drives"); `sync_copies` confirms each by the
journal id inside, merges it, and moves it into an archive folder, but only
if it still holds the bytes that were merged. A copy of the journal whose
name is no drive's is reported (`SyncResult.other_copies`), never merged or
moved. Nothing is ever deleted.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from journal.errors import TandemError
from journal.fileformat import peek_journal_id
from journal.storage import Fingerprint
from journal.text import safe_line

if TYPE_CHECKING:
    from journal.journal import Journal
    from journal.merge import MergeReport

READ_ATTEMPTS = 3
"""How often a copy that changed while it was read is read again before it is skipped."""

ARCHIVE_ROUNDS = 3
"""How often copies that changed after they were merged are merged again and saved."""

_DATE = r"\d{4}-\d{2}-\d{2}"
# A word for "conflict" in the languages Dropbox speaks (conflicto, conflitto and
# conflito start like conflict and conflit).
_CONFLICT_WORD = r"(?i:conflict|conflit|konflikt|競合|冲突|衝突|충돌|конфликт)"
# Names Windows gives a computer, and the Mac models in the names macOS gives one.
_WINDOWS_HOST = r"(?:DESKTOP|LAPTOP|WIN)-[A-Z0-9]{5,11}"
_MAC_HOST = (
    r"(?:[^-/\\()]+['’]s )?"
    r"(?:MacBook(?: Air| Pro)?|iMac(?: Pro)?|Mac mini|Mac Pro|Mac Studio)"
)

# One rename step a drive applies, by the drive named in reports; copies of copies
# chain several. The OneDrive step also takes this computer's name (`_onedrive`).
_STEPS = {
    "Syncthing": r"\.sync-conflict-\d{8}-\d{6}-[A-Z2-7]{7}",
    "Nextcloud": rf" \(conflicted copy {_DATE} \d{{6}}\)",
    "Dropbox": (
        rf" \((?:[^()]*?{_CONFLICT_WORD}[^()]*?{_DATE}[^()]*?(?: \(\d{{1,3}}\))?"
        r"|Case Conflict(?: \d{1,3})?)\)"
    ),
    "Google Drive": r" \(\d{1,3}\)| \d{1,3}",
}


@dataclass(frozen=True)
class ConflictCopy:
    """A file beside the journal whose name is a drive's conflict copy of it."""

    path: Path
    service: str


def this_computer() -> str:
    """This computer's name without its domain ('' if unknown), as OneDrive appends it."""
    with contextlib.suppress(OSError):
        return socket.gethostname().partition(".")[0]
    return ""


def _onedrive() -> str:
    """OneDrive's rename step: '-HOST' or '-HOST-N' with HOST a computer name it can be."""
    hosts = [_WINDOWS_HOST, _MAC_HOST]
    if name := this_computer():
        hosts.append(f"(?i:{re.escape(name)})")
    return rf"-(?:{'|'.join(hosts)})(?:-\d+)?|-[^/\\]+?-safeBackup-\d{{4}}"


def _service_of(chain: str, steps: dict[str, str]) -> str:
    """Name the drive by the last rename in a chain of steps (a hint for the report)."""
    for service, pattern in steps.items():
        if re.search(rf"(?:{pattern})$", chain):
            return service
    return "OneDrive"


def _names_beside(journal_path: Path) -> list[str]:
    """The names of the files beside the journal that could be copies of it."""
    folder = journal_path.parent
    try:
        names = os.listdir(folder)
    except OSError as error:
        raise TandemError(f"cannot look in {folder}: {error.strerror or error}") from error
    return [n for n in names if n != journal_path.name and not n.startswith(".")]


def _is_file(path: Path) -> bool:
    with contextlib.suppress(OSError):
        return path.is_file()
    return False


def find_conflict_copies(journal_path: Path | str) -> list[ConflictCopy]:
    """Files beside the journal named exactly like a drive's conflict copy of it, oldest first."""
    journal_path = Path(journal_path)
    steps = {**_STEPS, "OneDrive": _onedrive()}
    one_step = "|".join(f"(?:{pattern})" for pattern in steps.values())
    stem, ext = re.escape(journal_path.stem), re.escape(journal_path.suffix)
    pattern = re.compile(rf"{stem}((?:{one_step})+){ext}", re.DOTALL)
    found: list[tuple[float, ConflictCopy]] = []
    for name in _names_beside(journal_path):
        match = pattern.fullmatch(name)
        path = journal_path.parent / name
        if match is None or not _is_file(path):
            continue
        with contextlib.suppress(OSError):
            found.append((path.stat().st_mtime, ConflictCopy(path, _service_of(match[1], steps))))
    return [copy for _mtime, copy in sorted(found, key=lambda item: (item[0], str(item[1].path)))]


def find_other_copies(journal_path: Path | str, journal_id: str) -> list[Path]:
    """Copies of the journal beside it, named like it, whose names are no drive's pattern.

    They hold the same journal id: somebody's own copy (`j-before-cleanup.tandem`).
    Files that cannot be read as a journal are passed over.
    """
    journal_path = Path(journal_path)
    stem, ext = journal_path.stem, journal_path.suffix
    drives = {copy.path.name for copy in find_conflict_copies(journal_path)}
    found: list[Path] = []
    for name in sorted(_names_beside(journal_path)):
        if name in drives or not (name.startswith(stem) and name.endswith(ext)):
            continue
        path = journal_path.parent / name
        if not _is_file(path):
            continue
        with contextlib.suppress(TandemError):
            if peek_journal_id(path) == journal_id:
                found.append(path)
    return found


def other_copy_note(path: Path) -> str:
    """The line that reports a copy of the journal that `sync` leaves alone."""
    return (
        f"{safe_line(path.name)} is a copy of this journal but not a drive's conflict copy: "
        "merge it with `tandem merge`"
    )


def archive_folder(journal_path: Path) -> Path:
    """Where merged conflict copies are moved: a folder beside the journal."""
    return journal_path.parent / f"{journal_path.stem} merged copies"


def move_to_archive(copy: Path, journal_path: Path) -> Path:
    """Move a merged copy into the archive folder (never overwriting); returns its new path."""
    folder = archive_folder(journal_path)
    try:
        folder.mkdir(exist_ok=True, mode=0o700)
        target = folder / copy.name
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{copy.stem} ({n}){copy.suffix}"
        os.replace(copy, target)
    except OSError as error:
        raise TandemError(f"cannot move {copy} to {folder}: {error.strerror or error}") from error
    return target


@dataclass
class SyncResult:
    """What `sync_copies` did with each copy it found."""

    merged: list[tuple[ConflictCopy, MergeReport]] = field(default_factory=list)
    """Each merge, in order; a copy that changed meanwhile is listed once per version."""
    skipped: list[tuple[ConflictCopy, str]] = field(default_factory=list)
    archived: list[Path] = field(default_factory=list)
    other_copies: list[Path] = field(default_factory=list)
    """Copies of this journal whose names are no drive's: reported, never merged or moved."""


@dataclass
class _Merged:
    """A copy merged in memory, and the fingerprint of the bytes that were merged."""

    copy: ConflictCopy
    fingerprint: Fingerprint
    in_archive: bool = False  # merged again from the archive: nothing left to move


def _merge_read_once(
    journal: Journal, copy: ConflictCopy, result: SyncResult, *, dry_run: bool, force: bool
) -> Fingerprint:
    """Merge a copy; the fingerprint of the bytes merged (the same before and after reading).

    A copy that changes while it is read is read again; every merge done is
    listed in `result.merged` (a dry run lists only the last, which is complete).
    """
    for _attempt in range(READ_ATTEMPTS):
        before = Fingerprint.of_path(copy.path)
        report = journal.merge_copy(copy.path, dry_run=dry_run, force=force)
        if dry_run and result.merged and result.merged[-1][0] == copy:
            result.merged.pop()
        result.merged.append((copy, report))
        if before is not None and Fingerprint.of_path(copy.path) == before:
            return before
    raise TandemError("it kept changing while it was read (the next sync merges it)")


def _merge_all(
    journal: Journal,
    copies: list[tuple[ConflictCopy, bool]],
    result: SyncResult,
    *,
    dry_run: bool = False,
    force: bool = False,
) -> list[_Merged]:
    """Merge each (copy, already in the archive); a copy that cannot be merged is skipped."""
    merged: list[_Merged] = []
    for copy, in_archive in copies:
        try:  # merge_copy refuses another journal's copy
            fingerprint = _merge_read_once(journal, copy, result, dry_run=dry_run, force=force)
        except TandemError as error:
            result.skipped.append((copy, str(error)))
            continue
        merged.append(_Merged(copy, fingerprint, in_archive))
    return merged


def _archive_unchanged(
    merged: list[_Merged], journal_path: Path, result: SyncResult
) -> list[tuple[ConflictCopy, bool]]:
    """Move the copies that still hold the merged bytes; return those to merge again."""
    again: list[tuple[ConflictCopy, bool]] = []
    for item in merged:
        if item.in_archive:
            continue  # merged and saved from the archive: done
        if Fingerprint.of_path(item.copy.path) != item.fingerprint:
            again.append((item.copy, False))  # a drive delivered a newer version
            continue
        target = move_to_archive(item.copy.path, journal_path)
        result.archived.append(target)
        if Fingerprint.of_path(target) != item.fingerprint:  # replaced in the instant before
            again.append((ConflictCopy(target, item.copy.service), True))
    return again


def sync_copies(journal: Journal, *, dry_run: bool = False, force: bool = False) -> SyncResult:
    """Merge every conflict copy beside the journal, save, then archive what was merged.

    A file whose journal id differs, or that cannot be read, is skipped with
    the reason and left where it is; so is a copy that keeps changing while
    it is merged (docs/SYNC.md). Copies whose names are no drive's are only
    reported.
    """
    result = SyncResult(other_copies=find_other_copies(journal.path, journal.journal_id))
    found = [(copy, False) for copy in find_conflict_copies(journal.path)]
    pending = _merge_all(journal, found, result, dry_run=dry_run, force=force)
    if dry_run:
        return result
    for _round in range(ARCHIVE_ROUNDS):
        if not pending:
            return result
        journal.save()
        again = _archive_unchanged(pending, journal.path, result)
        pending = _merge_all(journal, again, result, force=force)
    journal.save()
    for item in pending:
        if not item.in_archive:
            reason = "it kept changing while sync worked (the next sync merges it again)"
            result.skipped.append((item.copy, reason))
    return result
