"""Unsaved collections kept through a crash: encrypted, private, beside nothing shared.

    save_draft(journal, goal.id, {"setup": {...}, "collection": trials.state()})
    data = load_draft(journal, goal.id)        # after a crash: offered back
    discard_draft(journal, goal.id)            # saved or thrown away

While someone takes data live, the collector screen writes what it holds to
a draft after each change, so that a terminal closed by mistake loses
nothing. A draft holds child data, so it is written like the journal is:
encrypted with the journal's key (AES-256-GCM, `journal.crypto`), with the
journal, the member and the goal in the authenticated data (a draft cannot
pass for another goal's), atomically, mode 0600, in Tandem's private data
folder (`collecting/<journal id>/`, 0700), never beside the journal where a
shared drive would carry it off. One draft per member and goal.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.crypto import NONCE_SIZE, aead_decrypt, aead_encrypt, new_nonce
from journal.errors import TandemError
from journal.ondisk import atomic_write, data_dir, describe_os_error, tandem_folder

if TYPE_CHECKING:
    from journal.journal import Journal

__all__ = ["discard_draft", "draft_goals", "draft_path", "load_draft", "save_draft"]

_MAGIC = b"TANDEM-DRAFT-1\n"
_SUFFIX = ".draft"


def _folder(journal: Journal) -> Path:
    return data_dir() / "collecting" / journal.journal_id


def draft_path(journal: Journal, goal_id: str) -> Path:
    """Where the draft of this member's collection for `goal_id` is kept."""
    return _folder(journal) / f"{journal.member_id or 'nobody'}-{goal_id}{_SUFFIX}"


def _aad(journal: Journal, goal_id: str) -> bytes:
    parts = ("tandem collector draft", journal.journal_id, journal.member_id or "", goal_id)
    return "\0".join(parts).encode("utf-8")


def save_draft(journal: Journal, goal_id: str, data: dict[str, Any]) -> Path:
    """Write `data` (JSON) as the draft for `goal_id`, encrypted; returns where.

    Raises TandemError when the data folder cannot be written.
    """
    try:
        tandem_folder("collecting", journal.journal_id)
    except OSError as error:
        raise TandemError(describe_os_error("keep a draft in", _folder(journal), error)) from None
    plain = json.dumps(data, separators=(",", ":")).encode("utf-8")
    nonce = new_nonce()
    sealed = aead_encrypt(journal.file.unlocked.key, nonce, plain, _aad(journal, goal_id))
    path = draft_path(journal, goal_id)
    atomic_write(path, _MAGIC + nonce + sealed)
    return path


def load_draft(journal: Journal, goal_id: str) -> dict[str, Any] | None:
    """The draft for `goal_id`, or None when there is none or it cannot be read (a
    draft that does not decrypt, from a damaged disk or another key, is removed)."""
    path = draft_path(journal, goal_id)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    plain = None
    if data.startswith(_MAGIC):
        body = data[len(_MAGIC) :]
        nonce, sealed = body[:NONCE_SIZE], body[NONCE_SIZE:]
        plain = aead_decrypt(journal.file.unlocked.key, nonce, sealed, _aad(journal, goal_id))
    try:
        found = json.loads(plain) if plain is not None else None
    except ValueError:
        found = None
    if not isinstance(found, dict):
        discard_draft(journal, goal_id)
        return None
    return found


def discard_draft(journal: Journal, goal_id: str) -> None:
    """Remove the draft for `goal_id`, if there is one."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(draft_path(journal, goal_id))


def draft_goals(journal: Journal) -> list[str]:
    """The goals this member has an unsaved collection for (their ids)."""
    prefix = f"{journal.member_id or 'nobody'}-"
    try:
        names = os.listdir(_folder(journal))
    except OSError:
        return []
    return sorted(
        name[len(prefix) : -len(_SUFFIX)]
        for name in names
        if name.startswith(prefix) and name.endswith(_SUFFIX)
    )
