"""Opening and saving a journal from the command line.

The passphrase comes from ``--passphrase-file FILE``, ``TANDEM_PASSPHRASE`` or
a hidden prompt on the terminal (up to three tries), never from an argument.
When the person turned the key agent on and it runs (`tandem agent`), a key it
holds opens the journal without a passphrase, and a typed passphrase's key is
handed to it for the next command (``--no-agent``: neither).
Saving says on stderr what it merged from the file on disk when another
program changed it meanwhile, in the words of `journal.merge_report`.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.cli import terminal
from journal.cli.output import err
from journal.errors import UsageError
from journal.merge_report import clock_warning, describe_merge
from journal.text import safe_line

if TYPE_CHECKING:
    from journal.agent_client import AgentClient
    from journal.journal import Journal
    from journal.merge import MergeReport

PASSPHRASE_ENV = "TANDEM_PASSPHRASE"
NEW_PASSPHRASE_ENV = "TANDEM_NEW_PASSPHRASE"
PROMPT_ATTEMPTS = 3
PASSPHRASE_FILE_LIMIT = 4096  # characters read at most: /dev/zero or a wrong file must not hang
INVITE_ONLY_PASSWD = "this is an invite code: set your own passphrase first with `tandem passwd`"


def _no_passphrase(env: str) -> UsageError:
    return UsageError(
        f"no passphrase given: set {env}, use --passphrase-file FILE, or run in a terminal"
    )


def read_passphrase_file(name: str) -> str:
    """The first line of file `name`, which must not be empty (at most 4,096 characters read)."""
    try:
        with open(name, encoding="utf-8") as handle:
            line = handle.readline(PASSPHRASE_FILE_LIMIT + 1)
    except FileNotFoundError:
        raise UsageError(f"no passphrase file at {name}") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "it is not UTF-8 text"
        raise UsageError(f"cannot read the passphrase file {name}: {reason}") from None
    secret = line.removesuffix("\n").removesuffix("\r")
    if len(secret) > PASSPHRASE_FILE_LIMIT or "\0" in secret:
        raise UsageError(
            f"the passphrase file {name} does not start with a passphrase "
            f"(a line of at most {PASSPHRASE_FILE_LIMIT} characters)"
        )
    if not secret:
        raise UsageError(f"the passphrase file {name} starts with an empty line")
    return secret


def given_passphrase(args: argparse.Namespace) -> str | None:
    """The passphrase given without a prompt: --passphrase-file, then TANDEM_PASSPHRASE."""
    if getattr(args, "passphrase_file", None):
        return read_passphrase_file(args.passphrase_file)
    return os.environ.get(PASSPHRASE_ENV) or None


def new_passphrase(
    env: str | None,
    *,
    file: str | None = None,
    what: str = "passphrase",
    avoid: Iterable[str] = (),
) -> str:
    """A new passphrase from a file, the environment or asked twice on the terminal.

    Whatever its source, it must pass the policy the app applies
    (`journal.passphrase.refusal`; `avoid` names words it should not lean on).
    """
    if file:
        return _allowed(read_passphrase_file(file), what, avoid)
    if env is not None:
        secret = os.environ.get(env)
        if secret:
            return _allowed(secret, what, avoid)
    if not terminal.terminal_available():
        hint = f"set {env}" if env == NEW_PASSPHRASE_ENV else f"set {env}, use --passphrase-file"
        raise UsageError(f"no new {what} given: {hint}, or run in a terminal")
    first = terminal.ask_hidden(f"New {what}: ")
    if not first:
        raise UsageError(f"the {what} cannot be empty")
    second = terminal.ask_hidden(f"Repeat the new {what}: ")
    if first != second:
        raise UsageError(f"the two {what}s do not match; nothing was changed")
    return _allowed(first, what, avoid)


def _allowed(secret: str, what: str, avoid: Iterable[str]) -> str:
    from journal.passphrase import refusal

    if reason := refusal(secret, avoid=avoid):
        raise UsageError(f"the new {what} cannot be used: {reason}")
    return secret


def precheck(path: str) -> None:
    """Read and check the file's structure, so damage is reported before any prompt."""
    from journal.fileformat import read_container

    read_container(path)


def open_journal(args: argparse.Namespace, *, allow_invite: bool = False) -> Journal:
    """Unlock the journal named by the command's PATH.

    With a passphrase from --passphrase-file or TANDEM_PASSPHRASE, one try.
    Otherwise the file is checked first (damage is reported before any
    prompt), then the passphrase is asked on the terminal, up to three times.
    Opened with an invite code, only `tandem passwd` (`allow_invite`) goes on.
    """
    journal = _unlock(args)
    if journal.needs_own_passphrase and not allow_invite:
        raise UsageError(INVITE_ONLY_PASSWD)
    return journal


def agent_for(args: argparse.Namespace) -> AgentClient | None:
    """The key agent this command uses: None with --no-agent, when it is off or not running."""
    from journal.agent_client import agent_for_commands

    return agent_for_commands(no_agent=bool(getattr(args, "no_agent", False)))


def _unlock(args: argparse.Namespace) -> Journal:
    from journal.errors import WrongPassphrase
    from journal.journal import Journal
    from journal.keys import NotHeld, open_and_hold, open_held

    path: str = args.path
    given = given_passphrase(args)
    if given is not None:
        return Journal.open(path, given, lazy=True)
    agent = agent_for(args)
    if agent is not None:
        try:
            return open_held(path, agent)  # no key derivation
        except NotHeld:
            pass  # ask, then the agent holds the key for the next command
    precheck(path)
    if not terminal.terminal_available():
        raise _no_passphrase(PASSPHRASE_ENV)
    ask = f"Passphrase for {safe_line(Path(path).name)}: "
    prompt = ask
    for attempt in range(1, PROMPT_ATTEMPTS + 1):
        secret = terminal.ask_hidden(prompt)
        if not secret:
            raise UsageError("no passphrase was entered")
        try:
            return open_and_hold(path, secret, agent)
        except WrongPassphrase:
            if attempt == PROMPT_ATTEMPTS:
                raise
            prompt = f"Wrong passphrase or recovery code; try again. {ask}"
    raise AssertionError("unreachable")  # pragma: no cover


# --- saving ------------------------------------------------------------------------------


def save(journal: Journal) -> None:
    """Save; if the file on disk had changed meanwhile, say what was merged from it (stderr)."""
    # The whole document is only needed to describe a merge (and reading it all is slow).
    before = journal.document() if journal.file.changed_on_disk() else None
    _announce_disk_merge(journal, journal.save(), before)
    tell_notices(journal)


def tell_notices(journal: Journal) -> None:
    """Say on stderr, once, what the person should know about the file (backups off), and
    the new recovery code of a journal this save upgraded to format 3."""
    for notice in journal.file.take_notices():
        err(f"note: {safe_line(notice)}")
    if code := journal.take_new_recovery_code():
        err(
            "note: this journal now uses format 3 (every change signed by its author); "
            "its recovery code changed and the old one no longer opens it. Write down the "
            f"new recovery code and keep it somewhere safe: {code}"
        )


def merge_disk_first(journal: Journal) -> None:
    """Before a command that saves by itself: merge in what changed on disk, and say what."""
    if journal.file.changed_on_disk():
        before = journal.document()
        _announce_disk_merge(journal, journal.refresh(), before)


def _announce_disk_merge(
    journal: Journal, report: MergeReport | None, before: dict[str, Any] | None
) -> None:
    if report is None:
        return
    if report.held_copy is not None:
        err(
            f"the file on disk was replaced by a copy that {safe_line(report.why_held)}: "
            f"nothing of it was applied and it is kept as {safe_line(report.held_copy)}; "
            "look at it with 'tandem merge --dry-run', and merge it if it is right"
        )
        return
    if not report.empty or report.held:
        after = journal.document()
        described = describe_merge(report, before=after if before is None else before, after=after)
        err(f"merged changes from the file on disk: {described.summary()}")
    if warning := clock_warning(report.clock):
        err(f"warning: the file on disk: {warning}")
