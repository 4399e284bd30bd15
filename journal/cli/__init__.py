"""The `tandem` command: create, unlock and script a journal from the terminal.

Every subcommand goes through the `Journal` API. The command line is a
contract (issue 2, section 5) that scripts and tests rely on:

- exit codes: 0 ok; 1 other failure; 2 usage; 3 wrong passphrase or recovery
  code; 4 not a Tandem file, damaged, or a newer format; 5 another journal;
  130 interrupted;
- every error is one line on stderr, ``tandem: <message>``, never a traceback;
- a failing command leaves every file as it was (the journal is saved last);
- the passphrase comes from ``TANDEM_PASSPHRASE``, ``--passphrase-file FILE``
  or a hidden prompt on the terminal, never from an argument;
- text written by people is printed with control characters escaped, so a
  title can never drive the terminal.

This module holds `main` (the contract above), the list of commands with their
one-line help (`COMMANDS`, the table of contents of `tandem --help`), and
assembles the parser; each command group is a module that defines the
arguments of its commands (`register`) and runs them (`cmd_*`):

- `members`: new, passwd, invite, member - `entries`: add, edit, delete, finalize, addendum
- `show`: list, show                    - `goals`: goal add|list|record
- `events`: event add|list
- `threads`: comment, resolve-thread    - `files`: verify, import, export
- `sync`: merge, sync                   - `conflicts`: resolve
- `send`: send
- `app`: open, demo, serve (and `tandem` alone)
- `caseload`: caseload, search (and sync without PATH)
- `agent`: agent, unlock, lock

and the shared parts are `parser` (arguments), `opening` (passphrases,
unlocking, saving), `output` (what is printed), `records` (records as JSON and
text) and `terminal` (prompts, stdin). A merge is described in the words of
`journal.merge_report`, which the app uses too (docs/SYNC.md).

Start-up is kept short: these modules import only the standard library and
light parts of the core (`journal.errors`, `model`, `text`, `merge_report`);
the storage, crypto, exports, demo and the terminal app are imported by the
commands that need them.
"""

from __future__ import annotations

import contextlib
import os
import sys

from journal.cli import (
    agent,
    app,
    caseload,
    conflicts,
    entries,
    events,
    files,
    goals,
    members,
    send,
    show,
    sync,
    terminal,
    threads,
)
from journal.cli.output import err
from journal.cli.parser import (
    PROG,
    Commands,
    ParserExit,
    Run,
    TandemArgumentParser,
    check_argv_text,
)
from journal.errors import TandemError, UsageError

__all__ = ["COMMANDS", "build_parser", "main"]

COMMANDS = {
    "new": "create a new journal and print its recovery code",
    "add": "add an entry and print its id",
    "edit": "change an entry's title, body, tags or fields",
    "delete": "delete a record (a tombstone stays for sync)",
    "finalize": "finalize a session note (it is locked afterwards)",
    "addendum": "add an addendum to a finalized session note",
    "list": "list entries, newest first",
    "show": "show one record (an entry, a goal, ...) with its thread and conflicts",
    "goal": "goals and their measurements",
    "event": "dated events drawn on goal charts ('started melatonin')",
    "comment": "comment on an entry, goal, resource or topic; prints its id",
    "resolve-thread": "mark the thread on a record resolved (or reopen it)",
    "verify": "check the whole file and print a summary",
    "import": "import a jrnl JSON export or a Tandem JSON export",
    "export": "export to a plain (NOT encrypted) HTML, Markdown, CSV, JSON or calendar file",
    "passwd": "change a passphrase (new one from TANDEM_NEW_PASSPHRASE or a prompt)",
    "merge": "merge copies of the journal received by email or from a drive",
    "send": "write a copy to send by email (Downloads) and open a message for it",
    "sync": "merge the conflict copies a shared drive left beside the journal (or each recent one)",
    "invite": "add a member and print their one-time invite code",
    "member": "members: list (with safety numbers), remove, owner, role, rotate the key, check",
    "resolve": "resolve a conflict on a record; prints its id",
    "demo": "write a demo journal to a temporary folder and open it",
    "open": "open a journal in the terminal app",
    "serve": "serve the terminal app in a browser on this computer only",
    "caseload": "every recent journal and what waits for you there, what needs you first",
    "search": "search the entries of every recent journal (or those named)",
    "unlock": "unlock journals for a while with one passphrase (the key agent holds the keys)",
    "lock": "have the key agent forget the keys now",
    "agent": "the key agent: start, stop, status, enable or disable",
}
"""Every subcommand and its one-line help, in the order `tandem --help` lists them."""

_GROUPS = (
    *(members, entries, show, goals, events, threads, files, sync, send, conflicts, app),
    *(caseload, agent),
)


def build_parser(command: str | None = None) -> TandemArgumentParser:
    """The argument parser of the `tandem` command with all its subcommands.

    With `command`, only that subcommand gets its arguments (see `Commands.build`).
    """
    parser = TandemArgumentParser(
        prog=PROG,
        description=(
            "Tandem: one encrypted journal shared by a child's parents and therapist. "
            "'tandem PATH' opens the journal in the terminal app."
        ),
        epilog=(
            "The passphrase comes from TANDEM_PASSPHRASE, --passphrase-file FILE or a "
            "prompt; never from an argument. Exit codes: 0 ok, 1 failure, 2 usage, "
            "3 wrong passphrase, 4 damaged or not a journal, 5 another journal. "
            "Sync: 'tandem merge PATH OTHER...' and 'tandem sync PATH'."
        ),
    )
    commands = Commands(parser)
    for group in _GROUPS:
        group.register(commands)
    commands.build(COMMANDS, only=command)
    return parser


def _looks_like_journal(arg: str) -> bool:
    if arg.startswith("-") or arg in COMMANDS:
        return False
    return arg.endswith(".tandem") or os.path.isfile(arg)


def _describe_os_error(error: OSError) -> str:
    reason = error.strerror or str(error) or type(error).__name__
    if error.filename is not None:
        return f"{reason}: {error.filename}"
    return reason


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _run(argv: list[str]) -> int:
    if argv and _looks_like_journal(argv[0]):
        argv = ["open", *argv]
    # The command is the first word, as argparse will find it (after an option such as
    # --help, every command is built: the help lists them all).
    parser = build_parser(argv[0] if argv and not argv[0].startswith("-") else "")
    if not argv:
        if terminal.interactive():
            return app.run_welcome()
        parser.print_help()
        return 0
    check_argv_text(argv)
    for arg in argv:
        if arg == "--":
            break
        if arg == "--passphrase" or arg.startswith("--passphrase="):
            raise UsageError(
                "a passphrase is never given as an argument: set TANDEM_PASSPHRASE, "
                "use --passphrase-file FILE, or type it at the prompt"
            )
    args = parser.parse_args(argv)
    run: Run | None = getattr(args, "run", None)
    if run is None:
        parser.print_help()
        return 0
    return run(args)


def main(argv: list[str] | None = None) -> int:
    """Run the `tandem` command with `argv` (default: sys.argv[1:]); returns the exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")
    try:
        code = _run(args)
        sys.stdout.flush()
        return code
    except ParserExit as stop:
        if stop.message:
            if stop.status:
                err(stop.message)
            else:
                sys.stdout.write(stop.message)
        return stop.status
    except TandemError as error:
        err(str(error) or type(error).__name__)
        return error.exit_code
    except KeyboardInterrupt:
        err("interrupted")
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 1
    except OSError as error:
        err(_describe_os_error(error))
        return 1
    except Exception as error:  # the contract: one line, never a traceback
        detail = str(error) or type(error).__name__
        err(f"unexpected error: {detail}")
        return 1
