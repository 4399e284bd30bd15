"""Copies a shared drive delivered in place, held aside until a person decides.

docs/SYNC.md ("Safety rails"): when a drive writes another copy over the
journal while it is open and merging it would delete more than half of the
journal or change who is in it, the copy is kept as a file in the journal's
archive folder (`<journal name> held <UTC time>.tandem`, beside the merged
conflict copies), nothing of it is applied, and the app asks. Applying or
declining it renames the file (`... applied ...`, `... declined ...`); nothing
is ever deleted.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from journal.copies import archive_folder
from journal.errors import TandemError
from journal.fileformat import peek_journal_id

__all__ = ["HeldCopy", "held_copies", "hold_copy", "settle_held_copy"]

_HELD = " held "


@dataclass(frozen=True)
class HeldCopy:
    """A drive's copy kept aside: where it is and when it was held."""

    path: Path
    held_at: str
    """UTC, as the file name says it (YYYYMMDD-HHMMSS)."""


def hold_copy(data: bytes, journal_path: Path) -> Path:
    """Keep the bytes of a delivered copy in the archive folder (0600); returns the file."""
    folder = archive_folder(journal_path)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    try:
        folder.mkdir(exist_ok=True, mode=0o700)
        target = folder / f"{journal_path.stem}{_HELD}{stamp}{journal_path.suffix}"
        number = 1
        while target.exists():
            number += 1
            target = folder / f"{journal_path.stem}{_HELD}{stamp} ({number}){journal_path.suffix}"
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        raise TandemError(
            f"cannot keep the copy on disk aside in {folder}: {error.strerror or error}"
        ) from error
    return target


def held_copies(journal_path: Path, journal_id: str) -> list[HeldCopy]:
    """The copies held aside for this journal and not yet applied or declined, oldest first."""
    folder = archive_folder(journal_path)
    prefix = f"{journal_path.stem}{_HELD}"
    found: list[HeldCopy] = []
    with contextlib.suppress(OSError):
        for path in sorted(folder.iterdir()):
            name = path.name
            if not (name.startswith(prefix) and name.endswith(journal_path.suffix)):
                continue
            with contextlib.suppress(TandemError):
                if peek_journal_id(path) == journal_id:
                    stamp = name[len(prefix) : len(prefix) + 15]
                    found.append(HeldCopy(path, stamp))
    return found


def settle_held_copy(held: Path, word: str) -> Path:
    """Rename a held copy once decided ('applied' or 'declined'); returns its new path."""
    target = held.with_name(held.name.replace(_HELD, f" {word} ", 1))
    number = 1
    while target.exists():
        number += 1
        target = target.with_name(f"{target.stem} ({number}){target.suffix}")
    try:
        os.replace(held, target)
    except OSError as error:
        raise TandemError(f"cannot rename {held}: {error.strerror or error}") from error
    return target
