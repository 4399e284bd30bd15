"""Sending a copy of the journal: the other half of "Import a copy".

    sent = send_copy(journal)                   # Downloads, by default
    sent.path     # .../Sam's journal - from Maya 2026-12-05.tandem
    sent.news     # "12 new entries, 3 comments" since the last copy sent
    open_mail(sent)                             # a new message with the file attached

The copy is the journal file as saved, under a name that tells the receiver
what it is. What it holds "since the last copy" counts the records written
after the last copy this person sent of this journal (kept on this computer,
`sent/<journal id>.json` in Tandem's data folder: a time, nothing else). A
mail client is opened where one is set up (`xdg-email` on Linux, `open` on
macOS); when there is none, nothing fails: the caller says where the copy is.

The message never holds the passphrase, and says so: it travels another way.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from journal.errors import TandemError, UsageError
from journal.journal import Journal
from journal.model import Comment, Entry, Goal, Measurement, Record, Resource, Session
from journal.text import plural

__all__ = [
    "COPY_NAME",
    "SentCopy",
    "copy_name",
    "downloads_folder",
    "mail_text",
    "open_mail",
    "send_copy",
    "whose_copy",
]

COPY_NAME = re.compile(
    r"^(?P<title>.+) - from (?P<sender>.+) (?P<day>\d{4}-\d{2}-\d{2})(?: \(\d+\))?$"
)
"""The name of a sent copy without its suffix: '<journal title> - from <first name> <date>'."""

_COUNTED: tuple[tuple[type[Record], str, str], ...] = (
    (Entry, "new entry", "new entries"),
    (Comment, "comment", "comments"),
    (Measurement, "data point", "data points"),
    (Goal, "goal", "goals"),
    (Session, "session", "sessions"),
    (Resource, "resource", "resources"),
)

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


@dataclass(frozen=True)
class SentCopy:
    """A copy written for sending: where it is, what it holds since the last one."""

    path: Path
    news: str
    """'12 new entries, 3 comments' since the last copy sent, or 'nothing new since ...'."""
    first: bool
    """No copy of this journal was sent from here before (`news` counts everything)."""
    subject: str
    body: str


def _safe(text: str) -> str:
    """`text` fit for a file name: no separators or controls, no leading dots, at most 80
    characters (a title set on another copy must not make a name the disk refuses)."""
    return " ".join(_UNSAFE.sub(" ", text).split())[:80].strip(". ") or "journal"


def copy_name(journal: Journal, day: date) -> str:
    """'Sam's journal - from Maya 2026-12-05.tandem': what it is, from whom, when."""
    sender = (journal.me.name.split() or ["me"])[0]
    if sender.endswith(".") and len(journal.me.name.split()) > 1:  # "Dr. Lee" -> "Dr. Lee"
        sender = " ".join(journal.me.name.split()[:2])
    return f"{_safe(journal.title)} - from {_safe(sender)} {day.isoformat()}.tandem"


def whose_copy(path: Path) -> str:
    """From a copy's file name, whose it is ('“Sam's journal” from Maya'), or ''."""
    found = COPY_NAME.match(path.stem)
    if found is None:
        return ""
    return f"“{found['title']}” from {found['sender']} ({found['day']})"


def downloads_folder() -> Path:
    """The person's Downloads folder ($XDG_DOWNLOAD_DIR, else ~/Downloads)."""
    configured = os.environ.get("XDG_DOWNLOAD_DIR")
    if configured:
        return Path(os.path.expandvars(configured)).expanduser()
    return Path.home() / "Downloads"


def _sent_file(journal: Journal) -> Path:
    from journal.ondisk import data_dir

    return data_dir() / "sent" / f"{journal.journal_id}.json"


def _last_sent(journal: Journal) -> str | None:
    try:
        found = json.loads(_sent_file(journal).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    at = found.get("at") if isinstance(found, dict) else None
    return at if isinstance(at, str) else None


def _remember_sent(journal: Journal, at: str) -> None:
    from journal.ondisk import atomic_write, make_private_dir

    path = _sent_file(journal)
    try:
        make_private_dir(path.parent, narrow=True)
        atomic_write(path, json.dumps({"at": at}).encode("utf-8"))
    except OSError:
        pass  # best effort: the next copy counts from further back


def _news(journal: Journal, since: str | None) -> str:
    parts: list[str] = []
    with journal.lock:
        for cls, one, many in _COUNTED:
            count = sum(
                1
                for record in journal.all(cls)
                if since is None or record.created_at > since
                if not isinstance(record, Comment) or record.kind == "comment"
            )
            if count:
                parts.append(plural(count, one, many))
    return ", ".join(parts)


def mail_text(journal: Journal, path: Path) -> tuple[str, str]:
    """The subject and body of the message that carries the copy."""
    subject = path.stem
    body = (
        f"Here is my copy of “{journal.title}” ({path.name}).\n\n"
        "To take in what is new: open Tandem, press ctrl+p, choose “Import a copy” "
        "and pick this file (or run: tandem merge YOUR-JOURNAL.tandem THIS-FILE).\n\n"
        "The file is encrypted. Its passphrase is not in this message and never "
        "will be: we agreed on it another way."
    )
    return subject, body


def send_copy(
    journal: Journal, folder: Path | None = None, *, today: date | None = None
) -> SentCopy:
    """Write a copy of the saved journal into `folder` (Downloads) under a telling name.

    The journal is saved first if it has unsaved changes. An existing file of
    the same name is kept: the copy gets ' (2)', ' (3)'... Raises TandemError
    when the folder cannot be written.
    """
    target_folder = (folder or downloads_folder()).expanduser()
    day = today or date.today()
    if journal.dirty:
        journal.save()
    try:
        target_folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise TandemError(f"cannot write to {target_folder}: {error.strerror or error}") from None
    name = copy_name(journal, day)
    path = target_folder / name
    number = 1
    while path.exists():
        number += 1
        path = target_folder / f"{name.removesuffix('.tandem')} ({number}).tandem"
    if path.resolve() == journal.path.resolve():
        raise UsageError("the copy would replace the journal itself")
    since = _last_sent(journal)
    news = _news(journal, since)
    if not news:
        news = "nothing new since the last copy" if since else "an empty journal"
    elif since is None:
        news = f"everything so far: {news}"
    try:
        shutil.copyfile(journal.path, path)
    except OSError as error:
        raise TandemError(f"cannot write {path}: {error.strerror or error}") from None
    _remember_sent(journal, journal.now())
    subject, body = mail_text(journal, path)
    return SentCopy(path=path, news=news, first=since is None, subject=subject, body=body)


def mail_command(sent: SentCopy) -> Sequence[str] | None:
    """The command that opens a new message with the copy attached, or None (no client)."""
    if sys.platform == "darwin" and shutil.which("open"):
        return ["open", "-a", "Mail", str(sent.path)]
    if shutil.which("xdg-email"):
        command = ["xdg-email", "--subject", sent.subject, "--body", sent.body]
        return [*command, "--attach", str(sent.path)]
    return None


def open_mail(sent: SentCopy) -> bool:
    """Open a new message with the copy attached; False when no mail client could be opened.

    Never raises: without a mail client the person attaches the file by hand.
    """
    command = mail_command(sent)
    if command is None:
        return False
    try:
        subprocess.Popen(  # noqa: S603 (a fixed program, arguments as a list)
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False
    return True
