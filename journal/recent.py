"""The journals this person opened lately: their paths and when, never their content.

The list lives in the user's config folder (`recent.json` in
`platformdirs.user_config_dir("tandem")`), most recent first, at most
`MAX_RECENT` paths. It holds only where each journal file is and when it was
last opened; nothing from inside a journal (no title, no names) is ever
written there.

It is a convenience: a missing, unreadable or corrupt file reads as an empty
list, and a failure to write it is reported by a False return, never raised.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from journal.errors import TandemError
from journal.model import utc_now
from journal.ondisk import atomic_write, make_private_dir

__all__ = ["MAX_RECENT", "RecentJournal", "forget", "recent", "recent_file", "remember"]

MAX_RECENT = 10
"""How many journals the list keeps."""

FILE_VERSION = 1


@dataclass(frozen=True)
class RecentJournal:
    """A journal opened lately: where it is, when it was last opened, and if it is still there."""

    path: Path
    """The journal file, as an absolute path."""
    opened_at: str
    """When it was last opened: UTC, ISO 8601 (`2026-01-05T09:00:00.000000Z`)."""
    missing: bool = False
    """True when no file is at `path` any more (moved, renamed, or on a drive not mounted)."""


def recent_file() -> Path:
    """Where the list is kept: `recent.json` in Tandem's config folder."""
    return Path(platformdirs.user_config_dir("tandem", appauthor=False)) / "recent.json"


def _absolute(path: Path | str) -> Path:
    """`path` made absolute and normalised, without following links."""
    return Path(os.path.abspath(Path(path).expanduser()))


def _read() -> list[tuple[Path, str]]:
    """The stored (path, opened_at) pairs, most recent first; [] if absent or unreadable."""
    try:
        data: Any = json.loads(recent_file().read_bytes())
    except (OSError, ValueError):
        return []
    items = data.get("journals") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    pairs: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for item in items:
        if not isinstance(item, dict):
            continue
        path, opened_at = item.get("path"), item.get("opened_at")
        if not isinstance(path, str) or not path or "\x00" in path:
            continue
        absolute = _absolute(path)
        if absolute in seen:
            continue
        seen.add(absolute)
        pairs.append((absolute, opened_at if isinstance(opened_at, str) else ""))
    pairs.sort(key=lambda pair: pair[1], reverse=True)  # stable: ties keep the stored order
    return pairs[:MAX_RECENT]


def _write(pairs: list[tuple[Path, str]]) -> bool:
    """Store the pairs atomically; False if the config folder cannot be written."""
    document = {
        "tandem_recent": FILE_VERSION,
        "journals": [{"path": str(path), "opened_at": at} for path, at in pairs[:MAX_RECENT]],
    }
    data = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()
    target = recent_file()
    try:
        make_private_dir(target.parent, narrow=True)
        atomic_write(target, data)
    except (OSError, TandemError):
        return False
    return True


def recent() -> list[RecentJournal]:
    """The journals opened lately, most recent first, each marked if its file is missing."""
    found: list[RecentJournal] = []
    for path, opened_at in _read():
        try:
            missing = not path.is_file()
        except OSError:
            missing = True
        found.append(RecentJournal(path=path, opened_at=opened_at, missing=missing))
    return found


def remember(path: Path | str, *, at: str | None = None) -> bool:
    """Put `path` at the top of the list, opened now (or `at`, UTC ISO); keeps `MAX_RECENT`.

    Returns False if the list could not be saved (the config folder is not writable).
    """
    absolute = _absolute(path)
    pairs = [(p, when) for p, when in _read() if p != absolute]
    return _write([(absolute, at or utc_now()), *pairs])


def forget(path: Path | str) -> bool:
    """Take `path` off the list. Returns False if the list could not be saved."""
    absolute = _absolute(path)
    pairs = _read()
    kept = [(p, when) for p, when in pairs if p != absolute]
    if len(kept) == len(pairs):
        return True
    return _write(kept)
