"""Conflict copies that shared drives leave beside a journal, and merging them in.

When two people change the file at once, Dropbox, Google Drive, OneDrive,
Nextcloud and Syncthing keep both and rename one. `find_conflict_copies`
finds those names (a hint only); `sync_copies` confirms each by the journal
id inside, merges it, and moves it into an archive folder. Nothing is ever
deleted.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from journal.errors import TandemError

if TYPE_CHECKING:
    from journal.journal import Journal
    from journal.merge import MergeReport

# One rename step a drive applies; copies of copies chain several.
_SUFFIXES = {
    "Syncthing": r"\.sync-conflict-\d{8}-\d{6}-[A-Za-z0-9]+",
    # Dropbox ("Maya's conflicted copy 2026-11-26", localized, "Case Conflict"),
    # Nextcloud/ownCloud ("conflicted copy 2026-11-26 173000"), Google Drive "(1)".
    "Dropbox, Nextcloud or Google Drive": r" \((?:[^()]|\([^()]*\))*\)",
    "Google Drive": r" \d+",
    # OneDrive: "-COMPUTERNAME", "-COMPUTERNAME-2"; Mac host names have spaces.
    "OneDrive": r"-[^/\\]+?",
}
_ONE_SUFFIX = "|".join(f"(?:{pattern})" for pattern in _SUFFIXES.values())


@dataclass(frozen=True)
class ConflictCopy:
    """A file beside the journal whose name says it may be a drive's conflict copy."""

    path: Path
    service: str


def _service_of(chain: str) -> str:
    """Name the drive by the last rename in a chain of suffixes (a hint for the report)."""
    if re.search(rf"(?:{_SUFFIXES['Syncthing']})$", chain):
        return "Syncthing"
    last = re.search(r" \((?:[^()]|\([^()]*\))*\)$", chain)
    if last:
        inside = last.group(0)
        if re.fullmatch(r" \(\d+\)", inside):
            return "Google Drive"
        if re.search(r"conflicted copy \d{4}-\d{2}-\d{2} \d{6}\)$", inside):
            return "Nextcloud"
        return "Dropbox"
    if re.search(r" \d+$", chain):
        return "Google Drive"
    return "OneDrive"


def find_conflict_copies(journal_path: Path | str) -> list[ConflictCopy]:
    """Files beside the journal named like a drive's conflict copy of it, oldest first."""
    journal_path = Path(journal_path)
    folder = journal_path.parent
    stem, ext = journal_path.stem, journal_path.suffix
    pattern = re.compile(rf"{re.escape(stem)}((?:{_ONE_SUFFIX})+){re.escape(ext)}", re.DOTALL)
    found: list[tuple[float, ConflictCopy]] = []
    try:
        names = os.listdir(folder)
    except OSError as error:
        raise TandemError(f"cannot look in {folder}: {error.strerror or error}") from error
    for name in names:
        if name == journal_path.name or name.startswith("."):
            continue
        match = pattern.fullmatch(name)
        if match is None:
            continue
        path = folder / name
        with contextlib.suppress(OSError):
            if path.is_file():
                found.append((path.stat().st_mtime, ConflictCopy(path, _service_of(match[1]))))
    return [copy for _mtime, copy in sorted(found, key=lambda item: (item[0], str(item[1].path)))]


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
    """What `sync_copies` did with each conflict copy it found."""

    merged: list[tuple[ConflictCopy, MergeReport]] = field(default_factory=list)
    skipped: list[tuple[ConflictCopy, str]] = field(default_factory=list)
    archived: list[Path] = field(default_factory=list)


def sync_copies(journal: Journal, *, dry_run: bool = False, force: bool = False) -> SyncResult:
    """Merge every confirmed conflict copy beside the journal, save, then archive them.

    A file whose journal id differs, or that cannot be read, is skipped with
    the reason and left where it is.
    """
    result = SyncResult()
    for copy in find_conflict_copies(journal.path):
        try:  # merge_copy reads the file once and refuses another journal's copy
            report = journal.merge_copy(copy.path, dry_run=dry_run, force=force)
        except TandemError as error:
            result.skipped.append((copy, str(error)))
            continue
        result.merged.append((copy, report))
    if dry_run or not result.merged:
        return result
    journal.save()
    for copy, _report in result.merged:
        result.archived.append(move_to_archive(copy.path, journal.path))
    return result
