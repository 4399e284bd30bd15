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

Sync (issue 3, docs/SYNC.md): `merge` and `sync` bring in copies received by
email or left by a shared drive and print a change report; `invite` adds a
member with a one-time code, which opens a copy only for `passwd`; `list`,
`show` and `resolve` show and settle records changed on two copies at once.
Every command that saves says on stderr what it merged from the file on
disk if another program changed it meanwhile.

Start-up is kept short: this module imports only the standard library and
`journal.errors`/`journal.model`; the storage, crypto, exports, demo and the
terminal app are imported by the commands that need them.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from journal.errors import DamagedFile, NotFound, TandemError, UsageError
from journal.model import (
    ENTRY_KIND_LABELS,
    ENTRY_KINDS,
    GOAL_STATUSES,
    KIND_FIELDS,
    MEASURES,
    ROLES,
    TABLES,
    Comment,
    Entry,
    FieldSpec,
    Goal,
    Measurement,
)

if TYPE_CHECKING:
    from journal.journal import Journal

PROG = "tandem"
PASSPHRASE_ENV = "TANDEM_PASSPHRASE"
NEW_PASSPHRASE_ENV = "TANDEM_NEW_PASSPHRASE"
SHORT_ID = 8

TITLE_WIDTH = 48
AUTHOR_WIDTH = 20
TAGS_WIDTH = 30


# --- safe text ------------------------------------------------------------------

# Bidirectional overrides and isolates: they reorder what a terminal shows.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _escape_char(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def _is_unsafe(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or char in _BIDI


def safe_text(text: str) -> str:
    """`text` with every control character a terminal would act on made visible.

    Newlines and tabs are kept (a CR LF pair becomes a newline); ESC, the other
    C0 and C1 controls, DEL and bidirectional overrides are written as ``\\xNN``
    or ``\\uNNNN``.
    """
    text = text.replace("\r\n", "\n")
    if not any(_is_unsafe(c) and c not in "\n\t" for c in text):
        return text
    return "".join(_escape_char(c) if _is_unsafe(c) and c not in "\n\t" else c for c in text)


def safe_line(text: str) -> str:
    """`text` as one safe line: newlines and tabs become spaces, other controls are escaped."""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return safe_text(text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """How many terminal cells `text` (already made safe) takes."""
    if text.isascii():
        return len(text)
    return sum(_char_width(c) for c in text)


def _clip(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out: list[str] = []
    used = 0
    for char in text:
        w = _char_width(char)
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - display_width(text), 0)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Left-aligned columns separated by two spaces; the last column is not padded."""
    widths = [display_width(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], display_width(cell))
    lines = []
    for row in (header, *rows):
        cells = [_pad(cell, widths[i]) for i, cell in enumerate(row[:-1])]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return lines


def _json_dumps(value: Any) -> str:
    """JSON that keeps non-ASCII text readable but escapes every control character.

    `json.dumps` escapes C0 controls itself; DEL, C1 controls and bidirectional
    overrides can only occur inside strings, so escaping them afterwards keeps
    the JSON valid.
    """
    import json

    text = json.dumps(value, ensure_ascii=False, indent=2)
    return "".join(f"\\u{ord(c):04x}" if c != "\n" and _is_unsafe(c) else c for c in text)


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(f"{PROG}: {safe_line(text)}\n")
    sys.stderr.flush()


# --- dates --------------------------------------------------------------------


def _local_time(stamp: str | None) -> str:
    """A stored UTC time (``...Z``) as local 'YYYY-MM-DD HH:MM'; local times pass through."""
    if not stamp:
        return ""
    if stamp.endswith("Z"):
        try:
            moment = datetime.fromisoformat(stamp)
        except ValueError:
            return safe_line(stamp)
        return moment.astimezone().strftime("%Y-%m-%d %H:%M")
    return safe_line(stamp[:16].replace("T", " "))


def _parse_when(text: str) -> str:
    """'YYYY-MM-DD HH:MM' (or with a T, or a bare date) as stored: 'YYYY-MM-DDTHH:MM'."""
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt).strftime("%Y-%m-%dT%H:%M")
        except ValueError:
            continue
    raise UsageError(f"bad time {text!r}; write it as 'YYYY-MM-DD HH:MM'")


def _parse_date(text: str, what: str = "date") -> str:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").strftime("%Y-%m-%d")
    except ValueError:
        raise UsageError(f"bad {what} {text!r}; write it as YYYY-MM-DD") from None


# --- argument parsing -----------------------------------------------------------


class _ParserExit(Exception):
    def __init__(self, status: int, message: str | None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class TandemArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (``tandem: ...``) and exit code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)  # --passphrase must never mean a file name
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        """Report a usage error in one line and stop with exit code 2."""
        command = self.prog.removeprefix(PROG).strip()
        hint = f" (see '{self.prog} --help')"
        prefix = f"{command}: " if command else ""
        raise _ParserExit(2, f"{prefix}{message}{hint}")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        """Stop parsing (after --help) without exiting the interpreter."""
        raise _ParserExit(status, message)


def _finite_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


COMMANDS = (
    "new",
    "add",
    "edit",
    "delete",
    "finalize",
    "addendum",
    "list",
    "show",
    "goal",
    "comment",
    "resolve-thread",
    "verify",
    "import",
    "export",
    "passwd",
    "merge",
    "sync",
    "invite",
    "resolve",
    "demo",
    "open",
    "serve",
)


def build_parser() -> TandemArgumentParser:
    """The argument parser of the `tandem` command with all its subcommands."""
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    unlock = TandemArgumentParser(add_help=False)
    unlock.add_argument("path", metavar="PATH", help="the .tandem journal file")
    unlock.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help="read the passphrase (or recovery code) from the first line of FILE",
    )

    def command(name: str, help_text: str, *, unlocks: bool = True) -> TandemArgumentParser:
        parents = [unlock] if unlocks else []
        made: TandemArgumentParser = sub.add_parser(
            name, help=help_text, description=help_text, parents=parents
        )
        return made

    p = command("new", "create a new journal and print its recovery code")
    p.add_argument("--title", required=True, help="the journal's title")
    p.add_argument("--name", required=True, help="your name as the others will see it")
    p.add_argument("--role", required=True, choices=ROLES, help="your role")
    p.add_argument("--child", default="", metavar="NAME", help="the child's name")
    p.set_defaults(run=cmd_new)

    p = command("add", "add an entry and print its id")
    p.add_argument("--kind", required=True, choices=ENTRY_KINDS)
    p.add_argument("--title", required=True)
    p.add_argument("--body", help="the Markdown body (default: read from stdin if piped)")
    p.add_argument("--tag", action="append", default=[], metavar="TAG")
    p.add_argument("--goal", action="append", default=[], metavar="ID", help="link a goal")
    p.add_argument(
        "--field", action="append", default=[], metavar="NAME=VALUE", help="a structured field"
    )
    p.add_argument("--when", metavar="'YYYY-MM-DD HH:MM'", help="when it happened (default: now)")
    p.set_defaults(run=cmd_add)

    p = command("edit", "change an entry's title, body, tags or fields")
    p.add_argument("id", metavar="ID")
    p.add_argument("--title")
    p.add_argument("--body")
    p.add_argument("--tag", action="append", metavar="TAG", help="replaces the tags")
    p.add_argument("--goal", action="append", metavar="ID", help="replaces the linked goals")
    p.add_argument("--field", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--when", metavar="'YYYY-MM-DD HH:MM'")
    p.set_defaults(run=cmd_edit)

    p = command("delete", "delete a record (a tombstone stays for sync)")
    p.add_argument("id", metavar="ID")
    p.set_defaults(run=cmd_delete)

    p = command("finalize", "finalize a session note (it is locked afterwards)")
    p.add_argument("id", metavar="ID")
    p.set_defaults(run=cmd_finalize)

    p = command("addendum", "add an addendum to a finalized session note")
    p.add_argument("id", metavar="ID")
    p.add_argument("--body", help="the addendum (default: read from stdin if piped)")
    p.set_defaults(run=cmd_addendum)

    p = command("list", "list entries, newest first")
    p.add_argument("--kind", choices=ENTRY_KINDS)
    p.add_argument("--tag")
    p.add_argument("--search", metavar="TEXT")
    p.add_argument("--author", metavar="NAME")
    p.add_argument("-n", type=_non_negative_int, metavar="N", help="show at most N entries")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.add_argument(
        "--conflicts",
        action="store_true",
        help="list only records with a conflict to resolve (of every kind)",
    )
    p.set_defaults(run=cmd_list)

    p = command("show", "show one record (an entry, a goal, ...) with its thread and conflicts")
    p.add_argument("id", metavar="ID", help="an id or a unique prefix of one")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_show)

    goal = command("goal", "goals and their measurements", unlocks=False)
    goal_sub = goal.add_subparsers(dest="goal_command", metavar="COMMAND", required=True)
    gp: TandemArgumentParser = goal_sub.add_parser(
        "add", help="add a goal and print its id", parents=[unlock]
    )
    gp.add_argument("--title", required=True)
    gp.add_argument("--measure", choices=MEASURES, default="percent")
    gp.add_argument("--domain", default="")
    gp.add_argument("--criterion", type=_finite_float, metavar="VALUE", help="mastery value")
    gp.add_argument(
        "--sessions", type=_positive_int, default=3, metavar="N", help="consecutive sessions"
    )
    gp.add_argument("--status", choices=GOAL_STATUSES, default="baseline")
    gp.set_defaults(run=cmd_goal_add)
    gp = goal_sub.add_parser("list", help="list goals", parents=[unlock])
    gp.add_argument("--json", action="store_true")
    gp.set_defaults(run=cmd_goal_list)
    gp = goal_sub.add_parser(
        "record", help="record a measurement and print its id", parents=[unlock]
    )
    gp.add_argument("goal_id", metavar="GOAL_ID")
    gp.add_argument("--value", type=_finite_float, metavar="V")
    gp.add_argument("--correct", type=_non_negative_int, metavar="C")
    gp.add_argument("--total", type=_non_negative_int, metavar="T")
    gp.add_argument("--prompt", default="", metavar="LEVEL", help="prompt level")
    gp.add_argument("--setting", default="", metavar="S")
    gp.add_argument("--note", default="", metavar="N")
    gp.add_argument("--date", metavar="YYYY-MM-DD")
    gp.set_defaults(run=cmd_goal_record)

    p = command("comment", "comment on an entry, goal, resource or topic; prints its id")
    p.add_argument("target", metavar="TARGET_ID")
    p.add_argument("--body", help="the comment (default: read from stdin if piped)")
    p.set_defaults(run=cmd_comment)

    p = command("resolve-thread", "mark the thread on a record resolved (or reopen it)")
    p.add_argument("target", metavar="TARGET_ID")
    p.add_argument("--reopen", action="store_true")
    p.set_defaults(run=cmd_resolve_thread)

    p = command("verify", "check the whole file and print a summary")
    p.set_defaults(run=cmd_verify)

    p = command("import", "import a jrnl JSON export or a Tandem JSON export")
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("--kind", choices=ENTRY_KINDS, help="the kind of the imported entries")
    p.set_defaults(run=cmd_import)

    p = command("export", "export to a plain (NOT encrypted) HTML, Markdown, CSV or JSON file")
    p.add_argument("--format", required=True, choices=("html", "md", "csv", "json"))
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="the file to write; for csv a folder, or a name ending in .zip",
    )
    p.add_argument("--from", dest="since", metavar="DATE")
    p.add_argument("--to", dest="until", metavar="DATE")
    p.add_argument("--kind", choices=ENTRY_KINDS)
    p.add_argument("--goal", metavar="ID", help="only this goal (id or prefix) and its objectives")
    p.add_argument("--pseudonym", metavar="NAME", help="replace the child's name with NAME")
    p.set_defaults(run=cmd_export)

    p = command("passwd", "change a passphrase (new one from TANDEM_NEW_PASSPHRASE or a prompt)")
    p.add_argument("--member", metavar="NAME", help="whose passphrase (needs the recovery code)")
    p.set_defaults(run=cmd_passwd)

    p = command("merge", "merge copies of the journal received by email or from a drive")
    p.add_argument("others", nargs="+", metavar="OTHER", help="a received copy of the journal")
    p.add_argument("--dry-run", action="store_true", help="only report; write nothing")
    p.add_argument(
        "--force", action="store_true", help="merge even if it deletes more than half the records"
    )
    p.add_argument("--json", action="store_true", help="print the change report as JSON")
    p.set_defaults(run=cmd_merge)

    p = command("sync", "merge the conflict copies a shared drive left beside the journal")
    p.add_argument("--dry-run", action="store_true", help="only report; write or move nothing")
    p.add_argument(
        "--force", action="store_true", help="merge even if it deletes more than half the records"
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(run=cmd_sync)

    p = command("invite", "add a member and print their one-time invite code")
    p.add_argument("--name", required=True, help="the new member's name")
    p.add_argument("--role", required=True, choices=ROLES, help="their role")
    p.set_defaults(run=cmd_invite)

    p = command("resolve", "resolve a conflict on a record; prints its id")
    p.add_argument("id", metavar="ID")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--keep", metavar="N", help="keep version N as numbered by 'tandem show'")
    how.add_argument("--body", metavar="TEXT", help="write a merged body")
    how.add_argument("--title", metavar="TEXT", help="write a merged title")
    how.add_argument("--value", metavar="TEXT", help="write a merged value (JSON if not text)")
    how.add_argument(
        "--keep-record", action="store_true", help="keep a record another member deleted"
    )
    how.add_argument(
        "--delete", action="store_true", help="delete a record whose deletion was overridden"
    )
    p.add_argument(
        "--field", metavar="UNIT", help="the field in conflict (needed when several are)"
    )
    p.set_defaults(run=cmd_resolve)

    p = command("demo", "write a demo journal to a temporary folder and open it", unlocks=False)
    p.add_argument("--dir", metavar="DIR", help="write it here instead")
    p.add_argument("--no-open", action="store_true", help="do not open the app")
    p.set_defaults(run=cmd_demo)

    p = command("open", "open a journal in the terminal app")
    p.set_defaults(run=cmd_open)

    p = command("serve", "serve the terminal app in a browser on this computer only", unlocks=False)
    p.add_argument(
        "path", nargs="?", metavar="PATH", help="the journal to open (default: the welcome screen)"
    )
    p.add_argument("--port", type=_positive_int, default=8000, help="default: 8000")
    p.add_argument("--host", default="127.0.0.1", help="127.0.0.1 (default), localhost or ::1")
    p.set_defaults(run=cmd_serve)

    return parser


# --- passphrases ----------------------------------------------------------------


def _terminal_available() -> bool:
    """True when a hidden prompt can be shown (a controlling terminal exists)."""
    if os.name == "nt":  # pragma: no cover - no /dev/tty there
        return bool(sys.stdin and sys.stdin.isatty())
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return False
    os.close(fd)
    return True


def _ask_hidden(prompt: str) -> str:
    import getpass

    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise TandemError("no passphrase was entered") from None


def _no_passphrase(env: str) -> UsageError:
    return UsageError(
        f"no passphrase given: set {env}, use --passphrase-file FILE, or run in a terminal"
    )


def _read_passphrase_file(name: str) -> str:
    try:
        with open(name, encoding="utf-8") as handle:
            line = handle.readline()
    except FileNotFoundError:
        raise UsageError(f"no passphrase file at {name}") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "it is not UTF-8 text"
        raise UsageError(f"cannot read the passphrase file {name}: {reason}") from None
    secret = line.removesuffix("\n").removesuffix("\r")
    if not secret:
        raise UsageError(f"the passphrase file {name} starts with an empty line")
    return secret


def _given_passphrase(args: argparse.Namespace) -> str | None:
    """The passphrase given without a prompt: --passphrase-file, then TANDEM_PASSPHRASE."""
    if getattr(args, "passphrase_file", None):
        return _read_passphrase_file(args.passphrase_file)
    return os.environ.get(PASSPHRASE_ENV) or None


def _new_passphrase(env: str | None, *, file: str | None = None, what: str = "passphrase") -> str:
    """A new passphrase from a file, the environment or asked twice on the terminal."""
    if file:
        return _read_passphrase_file(file)
    if env is not None:
        secret = os.environ.get(env)
        if secret:
            return secret
    if not _terminal_available():
        hint = f"set {env}" if env == NEW_PASSPHRASE_ENV else f"set {env}, use --passphrase-file"
        raise UsageError(f"no new {what} given: {hint}, or run in a terminal")
    first = _ask_hidden(f"New {what}: ")
    if not first:
        raise UsageError(f"the {what} cannot be empty")
    second = _ask_hidden(f"Repeat the new {what}: ")
    if first != second:
        raise UsageError(f"the two {what}s do not match; nothing was changed")
    return first


def _precheck(path: str) -> None:
    """Read and check the file's structure, so damage is reported before any prompt."""
    from journal.fileformat import read_container

    read_container(path)


PROMPT_ATTEMPTS = 3


INVITE_ONLY_PASSWD = "this is an invite code: set your own passphrase first with `tandem passwd`"


def _open(args: argparse.Namespace, *, allow_invite: bool = False) -> Journal:
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


def _unlock(args: argparse.Namespace) -> Journal:
    from journal.errors import WrongPassphrase
    from journal.journal import Journal

    path: str = args.path
    given = _given_passphrase(args)
    if given is not None:
        return Journal.open(path, given, lazy=True)
    _precheck(path)
    if not _terminal_available():
        raise _no_passphrase(PASSPHRASE_ENV)
    ask = f"Passphrase for {safe_line(Path(path).name)}: "
    prompt = ask
    for attempt in range(1, PROMPT_ATTEMPTS + 1):
        secret = _ask_hidden(prompt)
        if not secret:
            raise UsageError("no passphrase was entered")
        try:
            return Journal.open(path, secret, lazy=True)
        except WrongPassphrase:
            if attempt == PROMPT_ATTEMPTS:
                raise
            prompt = f"Wrong passphrase or recovery code; try again. {ask}"
    raise AssertionError("unreachable")  # pragma: no cover


# --- reading text from stdin and arguments -------------------------------------


def _stdin_text() -> str | None:
    """The text piped on stdin, or None when stdin is a terminal or missing."""
    stream = sys.stdin
    if stream is None or stream.closed:
        return None
    try:
        if stream.isatty():
            return None
    except (OSError, ValueError):
        return None
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        return stream.read()
    data = buffer.read()
    try:
        return str(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UsageError("the text on stdin is not UTF-8") from None


def _body(args: argparse.Namespace) -> str:
    if args.body is not None:
        return str(args.body)
    return _stdin_text() or ""


def _check_argv_text(argv: Iterable[str]) -> None:
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError("an argument is not valid UTF-8 text") from None


_TIME = re.compile(r"(\d{1,2}):(\d{2})")


def _convert_field(kind: str, spec: FieldSpec, raw: str) -> Any:
    value = raw.strip()
    label = f"{spec.name} ({spec.label})"
    if spec.type in ("int", "rating"):
        try:
            number = int(value)
        except ValueError:
            raise UsageError(f"{label} must be a whole number, not {raw!r}") from None
        if spec.type == "rating" and not 1 <= number <= 5:
            raise UsageError(f"{label} is a rating from 1 to 5, not {number}")
        if number < 0:
            raise UsageError(f"{label} cannot be negative")
        return number
    if spec.type == "time":
        match = _TIME.fullmatch(value)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise UsageError(f"{label} is a time of day as HH:MM, not {raw!r}")
        return f"{int(match[1]):02d}:{match[2]}"
    if spec.type == "date":
        return _parse_date(value, spec.name)
    if spec.type == "datetime":
        return _parse_when(value)
    if spec.type == "choice":
        for choice in spec.choices:
            if value.casefold() == choice.casefold():
                return choice
        raise UsageError(f"{label} must be one of: {', '.join(spec.choices)}; not {raw!r}")
    return raw


def _parse_fields(kind: str, items: Iterable[str]) -> dict[str, Any]:
    """--field NAME=VALUE options checked against KIND_FIELDS[kind] and converted."""
    specs = {spec.name: spec for spec in KIND_FIELDS[kind]}
    fields: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"write --field as NAME=VALUE, not {item!r}")
        spec = specs.get(name)
        if spec is None:
            if not specs:
                raise UsageError(f"{kind} entries have no structured fields")
            raise UsageError(
                f"{kind} entries have no field {name!r}; use one of: {', '.join(specs)}"
            )
        fields[name] = _convert_field(kind, spec, raw) if raw.strip() else ""
    return fields


# --- presenting records ---------------------------------------------------------


def _short(record_id: str) -> str:
    return record_id[:SHORT_ID]


def _entry_json(entry: Entry, names: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "entry",
        "id": entry.id,
        "kind": entry.kind,
        "title": entry.title,
        "body": entry.body,
        "tags": list(entry.tags),
        "author": names.get(entry.author, "unknown"),
        "author_id": entry.author,
        **_who_json(entry, names),
        "occurred_at": entry.occurred_at,
        "goals": list(entry.goals),
        "fields": dict(entry.fields),
        "status": entry.status,
        "finalized_at": entry.finalized_at,
        "session_id": entry.session_id,
        "deleted_at": entry.deleted_at,
    }


def _comment_json(comment: Comment, names: dict[str, str]) -> dict[str, Any]:
    return {
        "id": comment.id,
        "author": names.get(comment.author, "unknown"),
        "author_id": comment.author,
        "body": comment.body,
        "created_at": comment.created_at,
        "created_by": names.get(comment.author, "unknown"),
        "created_by_id": comment.author,
    }


def _names(journal: Journal) -> dict[str, str]:
    return {member_id: m.name for member_id, m in journal.members_by_id().items()}


def _format_score(goal: Goal, measurement: Measurement | None) -> str:
    if measurement is None:
        return "-"
    if measurement.correct is not None and measurement.total:
        percent = 100.0 * measurement.correct / measurement.total
        return f"{percent:.0f}% ({measurement.correct}/{measurement.total})"
    value = measurement.value
    if value is None:
        return "-"
    unit = {"percent": "%", "count": "", "duration": " min", "rating": "/5"}.get(goal.measure, "")
    return f"{value:g}{unit}"


def _goal_json(journal: Journal, goal: Goal) -> dict[str, Any]:
    measurements = journal.measurements(goal.id)
    last = measurements[-1] if measurements else None
    names = _names(journal)
    return {
        "type": "goal",
        "id": goal.id,
        "title": goal.title,
        "status": goal.status,
        "measure": goal.measure,
        "domain": goal.domain,
        "criterion": goal.criterion_text(),
        "criterion_value": goal.criterion_value,
        "criterion_sessions": goal.criterion_sessions,
        "criterion_met": journal.criterion_met(goal.id),
        "last_value": last.score if last else None,
        "last_date": last.date if last else None,
        "measurements": len(measurements),
        "author": names.get(goal.author, "unknown"),
        "author_id": goal.author,
        **_who_json(goal, names),
        **_conflicts_json(journal, goal, names),
    }


def _measurement_json(measurement: Measurement, names: dict[str, str]) -> dict[str, Any]:
    return {
        "id": measurement.id,
        "date": measurement.date,
        "value": measurement.value,
        "correct": measurement.correct,
        "total": measurement.total,
        "score": measurement.score,
        "prompt": measurement.prompt,
        "setting": measurement.setting,
        "note": measurement.note,
        "author": names.get(measurement.author, "unknown"),
        "author_id": measurement.author,
        **_who_json(measurement, names),
    }


def _indent(text: str, prefix: str = "  ") -> list[str]:
    return [prefix + line if line else "" for line in safe_text(text).split("\n")]


def _thread_lines(comments: list[Comment], names: dict[str, str], status: str) -> list[str]:
    lines = [f"Thread ({status}, {len(comments)} comment{'s' if len(comments) != 1 else ''}):"]
    for comment in comments:
        who = safe_line(names.get(comment.author, "unknown"))
        lines.append(f"  {who}, {_local_time(comment.created_at)}:")
        lines.extend(_indent(comment.body, "    "))
    return lines


# --- commands ------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    """`tandem new`: create a journal, print its recovery code (last line of stdout)."""
    from journal.journal import Journal

    path = Path(args.path)
    if path.exists():
        raise TandemError(f"{path} already exists; choose another name")
    if not path.parent.is_dir():
        raise TandemError(f"cannot create {path}: the folder {path.parent} does not exist")
    passphrase = _new_passphrase(PASSPHRASE_ENV, file=args.passphrase_file)
    _journal, code = Journal.create(
        path,
        title=args.title,
        name=args.name,
        role=args.role,
        passphrase=passphrase,
        child_name=args.child or "",
    )
    _out(f"Created {safe_line(str(path))}.")
    _out(
        "Write down this recovery code and keep it somewhere safe; "
        "it opens the journal if a passphrase is lost and is shown only once:"
    )
    _out(code)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    """`tandem add`: add an entry; prints its id."""
    fields = _parse_fields(args.kind, args.field)
    occurred = _parse_when(args.when) if args.when else None
    body = _body(args)
    journal = _open(args)
    entry = journal.add_entry(
        args.kind,
        args.title,
        body,
        tags=args.tag,
        goals=args.goal,
        fields={k: v for k, v in fields.items() if v != ""},
        occurred_at=occurred,
    )
    _save(journal)
    _out(entry.id)
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    """`tandem edit`: change an entry; prints its id."""
    occurred = _parse_when(args.when) if args.when else None
    if (
        args.title is None
        and args.body is None
        and args.tag is None
        and args.goal is None
        and not args.field
        and occurred is None
    ):
        raise UsageError(
            "nothing to change: give --title, --body, --tag, --goal, --field or --when"
        )
    journal = _open(args)
    entry = journal.get(Entry, args.id)
    changes: dict[str, Any] = {}
    if args.title is not None:
        changes["title"] = args.title.strip()
    if args.body is not None:
        changes["body"] = args.body
    if args.tag is not None:
        changes["tags"] = args.tag
    if args.goal is not None:
        changes["goals"] = args.goal
    if args.field:
        fields = dict(entry.fields)
        for name, value in _parse_fields(entry.kind, args.field).items():
            if value == "":
                fields.pop(name, None)
            else:
                fields[name] = value
        changes["fields"] = fields
    if occurred is not None:
        changes["occurred_at"] = occurred
    edited = journal.edit_entry(entry.id, **changes)
    _save(journal)
    _out(edited.id)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """`tandem delete`: leave a tombstone in place of a record; prints its id."""
    journal = _open(args)
    record = journal.delete(args.id)
    _save(journal)
    _out(record.id)
    return 0


def cmd_finalize(args: argparse.Namespace) -> int:
    """`tandem finalize`: lock a session note; prints its id."""
    journal = _open(args)
    entry = journal.finalize(args.id)
    _save(journal)
    _out(entry.id)
    return 0


def cmd_addendum(args: argparse.Namespace) -> int:
    """`tandem addendum`: amend a finalized session note; prints the addendum's id."""
    body = _body(args)
    if not body.strip():
        raise UsageError("an addendum needs --body TEXT (or text on stdin)")
    journal = _open(args)
    addendum = journal.add_addendum(args.id, body)
    _save(journal)
    _out(addendum.id)
    return 0


def _author_ids(journal: Journal, name: str) -> set[str]:
    wanted = name.strip().casefold()
    members = journal.members_by_id()
    ids = {mid for mid, m in members.items() if m.name.casefold() == wanted}
    if not ids:
        ids = {mid for mid in members if wanted and mid.startswith(wanted)}
    if not ids:
        known = ", ".join(m.name for m in journal.members())
        raise UsageError(f"no member named {name!r}; members: {known}")
    return ids


def _record_json(journal: Journal, record: Any, names: dict[str, str]) -> dict[str, Any]:
    """Any record as JSON: its type, id, title and own fields, who made it, its conflicts."""
    from journal.model import Record

    table = _table_of(record)
    doc = record.to_doc()
    envelope = set(Record.field_names())
    data: dict[str, Any] = {
        "type": RECORD_TYPE.get(table, table),
        "id": record.id,
        "title": _record_name(table, doc, record.id),
        "author": names.get(record.author, "unknown"),
        "author_id": record.author,
        **_who_json(record, names),
    }
    data.update({k: v for k, v in doc.items() if k not in envelope and k not in data})
    data["deleted_at"] = record.deleted_at
    data.update(_conflicts_json(journal, record, names))
    return data


def _listed_entry_json(journal: Journal, entry: Entry, names: dict[str, str]) -> dict[str, Any]:
    data = _entry_json(entry, names)
    data.update(_conflicts_json(journal, entry, names))
    return data


def cmd_list(args: argparse.Namespace) -> int:
    """`tandem list`: entries newest first, as a table or JSON; records in conflict marked."""
    journal = _open(args)
    names = _names(journal)
    filters: dict[str, Any] = {"kind": args.kind, "tag": args.tag, "search": args.search}
    if args.author is not None:
        ids = _author_ids(journal, args.author)
        limit = None if args.conflicts else args.n
        if len(ids) == 1:
            entries = journal.entries(**filters, author=next(iter(ids)), limit=limit)
        else:
            found = [e for e in journal.entries(**filters) if e.author in ids]
            entries = found if limit is None else found[:limit]
    else:
        entries = journal.entries(**filters, limit=None if args.conflicts else args.n)
    flagged = {e.id for e in entries if _needs_attention(_raw_doc(journal, "entries", e.id))}
    others: list[Any] = []
    if args.conflicts:
        entries = [e for e in entries if e.id in flagged]
        unfiltered = args.kind is None and args.tag is None and args.search is None
        if unfiltered and args.author is None:
            others = [
                r
                for r in journal.records_in_conflict()
                if not isinstance(r, Entry) and not r.deleted
            ]
        if args.n is not None:
            entries = entries[: args.n]
            others = others[: max(args.n - len(entries), 0)]
    if args.json:
        items = [_listed_entry_json(journal, e, names) for e in entries]
        items.extend(_record_json(journal, r, names) for r in others)
        _out(_json_dumps(items))
        return 0
    if not entries and not others:
        sys.stderr.write("no records in conflict\n" if args.conflicts else "no entries\n")
        return 0
    rows = []
    for entry in entries:
        tags = " ".join(f"#{t}" for t in entry.tags)
        rows.append(
            [
                "!" if entry.id in flagged else "",
                _local_time(entry.occurred_at),
                entry.kind,
                _clip(safe_line(names.get(entry.author, "unknown")), AUTHOR_WIDTH),
                _clip(safe_line(entry.title), TITLE_WIDTH),
                _clip(safe_line(tags), TAGS_WIDTH),
                _short(entry.id),
            ]
        )
    for record in others:
        table = _table_of(record)
        rows.append(
            [
                "!",
                _local_time(record.created_at),
                RECORD_TYPE.get(table, table),
                _clip(safe_line(names.get(record.author, "unknown")), AUTHOR_WIDTH),
                _clip(_record_label(table, record.to_doc(), record.id), TITLE_WIDTH),
                "",
                _short(record.id),
            ]
        )
    header: tuple[str, ...] = ("!", "DATE", "KIND", "AUTHOR", "TITLE", "TAGS", "ID")
    if not any(row[0] for row in rows):
        header, rows = header[1:], [row[1:] for row in rows]
    for line in _table(header, rows):
        _out(line)
    if not args.conflicts:
        waiting = sum(1 for r in journal.records_in_conflict() if not r.deleted)
        if waiting:
            _err(
                f"{_plural(waiting, 'record')} {'has' if waiting == 1 else 'have'} a conflict "
                "to resolve; see 'tandem list --conflicts'"
            )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """`tandem show`: one entry (or goal) in full, with addenda and its thread."""
    journal = _open(args)
    record = journal.find(args.id)
    if isinstance(record, Goal):
        return _show_goal(journal, record, args)
    if not isinstance(record, Entry):
        return _show_record(journal, record, args)
    entry = record
    names = _names(journal)
    thread = journal.thread(entry.id)
    addenda = journal.addenda(entry.id)
    status = journal.thread_status(entry.id)
    if args.json:
        data = _entry_json(entry, names)
        data["addenda"] = [_comment_json(c, names) for c in addenda]
        data["comments"] = [_comment_json(c, names) for c in thread]
        data["thread_status"] = status
        data.update(_conflicts_json(journal, entry, names))
        _out(_json_dumps(data))
        return 0
    members = journal.members_by_id()
    author = members.get(entry.author)
    who = f"{author.name} ({author.role})" if author else "unknown"
    lines = [safe_line(entry.title), "=" * min(display_width(safe_line(entry.title)), 72)]
    kind = ENTRY_KIND_LABELS.get(entry.kind, entry.kind)
    if entry.kind == "session":
        kind += " (final)" if entry.locked else " (draft)"
    lines.append(f"Kind:    {kind}")
    lines.append(f"Date:    {_local_time(entry.occurred_at)}")
    lines.append(f"Author:  {safe_line(who)}")
    lines.append(f"History: {_who_line(entry, names)}")
    if entry.finalized_at:
        by = safe_line(names.get(entry.finalized_by or "", "unknown"))
        lines.append(f"Final:   {_local_time(entry.finalized_at)} by {by}")
    if entry.deleted_at:
        lines.append(f"Deleted: {_local_time(entry.deleted_at)}")
    if entry.tags:
        lines.append("Tags:    " + safe_line(" ".join(f"#{t}" for t in entry.tags)))
    if entry.goals:
        linked = []
        for goal_id in entry.goals:
            try:
                linked.append(f"{journal.get(Goal, goal_id).title} ({_short(goal_id)})")
            except NotFound:
                linked.append(_short(goal_id))
        lines.append("Goals:   " + safe_line("; ".join(linked)))
    lines.append(f"ID:      {entry.id}")
    specs = {spec.name: spec for spec in KIND_FIELDS.get(entry.kind, ())}
    shown = [name for name in specs if entry.fields.get(name) not in (None, "")]
    shown += [name for name in entry.fields if name not in specs and entry.fields[name] != ""]
    if shown:
        lines.append("")
        for name in shown:
            label = specs[name].label if name in specs else name
            value = str(entry.fields[name])
            if "\n" in value.strip():
                lines.append(f"{safe_line(label)}:")
                lines.extend(_indent(value.strip()))
            else:
                lines.append(f"{safe_line(label)}: {safe_line(value)}")
    if entry.body.strip():
        lines.append("")
        lines.extend(safe_text(entry.body.rstrip()).split("\n"))
    if addenda:
        lines.append("")
        lines.append("Addenda:")
        for addendum in addenda:
            who_added = safe_line(names.get(addendum.author, "unknown"))
            lines.append(f"  {_local_time(addendum.created_at)}, {who_added}:")
            lines.extend(_indent(addendum.body, "    "))
    lines.extend(_conflict_lines(journal, args, entry))
    lines.append("")
    lines.extend(_thread_lines(thread, names, status))
    for line in lines:
        _out(line)
    return 0


def _show_goal(journal: Journal, goal: Goal, args: argparse.Namespace) -> int:
    names = _names(journal)
    thread = journal.thread(goal.id)
    status = journal.thread_status(goal.id)
    measurements = journal.measurements(goal.id)
    if args.json:
        data = _goal_json(journal, goal)
        data["description"] = goal.description
        data["data"] = [_measurement_json(m, names) for m in measurements]
        data["comments"] = [_comment_json(c, names) for c in thread]
        data["thread_status"] = status
        _out(_json_dumps(data))
        return 0
    title = safe_line(goal.title)
    lines = [title, "=" * min(display_width(title), 72)]
    lines.append(f"Status:    {goal.status}")
    lines.append(f"Measure:   {goal.measure}")
    if goal.domain:
        lines.append(f"Domain:    {safe_line(goal.domain)}")
    met = "yes" if journal.criterion_met(goal.id) else "no"
    lines.append(f"Criterion: {goal.criterion_text()} (met: {met})")
    lines.append(f"History:   {_who_line(goal, names)}")
    if goal.deleted_at:
        lines.append(f"Deleted:   {_local_time(goal.deleted_at)}")
    lines.append(f"ID:        {goal.id}")
    if goal.description.strip():
        lines.append("")
        lines.extend(safe_text(goal.description.rstrip()).split("\n"))
    if measurements:
        lines.append("")
        rows = [
            [
                safe_line(m.date),
                _format_score(goal, m),
                safe_line(m.prompt),
                _clip(safe_line(m.note), TITLE_WIDTH),
            ]
            for m in measurements
        ]
        lines.extend(_table(("DATE", "RESULT", "PROMPT", "NOTE"), rows))
    lines.extend(_conflict_lines(journal, args, goal))
    lines.append("")
    lines.extend(_thread_lines(thread, names, status))
    for line in lines:
        _out(line)
    return 0


def _show_record(journal: Journal, record: Any, args: argparse.Namespace) -> int:
    """Any other record (member, resource, session, topic, comment, ...) in full."""
    from journal.model import Record, Thread

    names = _names(journal)
    table = _table_of(record)
    has_thread = table in ("resources", "meta") or (isinstance(record, Thread) and record.topic)
    thread = journal.thread(record.id) if has_thread else []
    status = journal.thread_status(record.id) if has_thread else ""
    if args.json:
        data = _record_json(journal, record, names)
        if has_thread:
            data["comments"] = [_comment_json(c, names) for c in thread]
            data["thread_status"] = status
        _out(_json_dumps(data))
        return 0
    title = safe_line(_record_name(table, record.to_doc(), record.id))
    kind = RECORD_TYPE.get(table, table).capitalize()
    lines = [f"{kind}: {title}", "=" * min(display_width(title) + len(kind) + 2, 72)]
    envelope = set(Record.field_names())
    for key, value in record.to_doc().items():
        if key in envelope or key == "title" or value in (None, "", [], {}):
            continue
        label = key.replace("_", " ").capitalize()
        if key in ("author", "target_id", "goal_id", "moved_to", "parent_id", "resolved_by"):
            value = names.get(str(value)) or _short(str(value))
        elif key == "acknowledged" and isinstance(value, dict):
            value = ", ".join(
                f"{names.get(k, 'unknown')} ({_local_time(v)})" for k, v in value.items()
            )
        elif key.endswith("_at") or key == "last_seen":
            value = _local_time(str(value))
        if isinstance(value, str) and "\n" in value.strip():
            lines.append(f"{label}:")
            lines.extend(_indent(value.strip()))
        elif isinstance(value, list):
            lines.append(f"{label}: {safe_line(', '.join(map(str, value)))}")
        else:
            lines.append(f"{label}: {safe_line(str(value))}")
    lines.append(f"History: {_who_line(record, names)}")
    if record.deleted_at:
        lines.append(f"Deleted: {_local_time(record.deleted_at)}")
    lines.append(f"ID: {record.id}")
    lines.extend(_conflict_lines(journal, args, record))
    if has_thread:
        lines.append("")
        lines.extend(_thread_lines(thread, names, status))
    for line in lines:
        _out(line)
    return 0


def cmd_goal_add(args: argparse.Namespace) -> int:
    """`tandem goal add`: add a goal; prints its id."""
    criterion = args.criterion
    if criterion is not None:
        if criterion <= 0:
            raise UsageError("the mastery criterion must be above 0")
        if args.measure == "percent" and criterion > 100:
            raise UsageError("a percent criterion is at most 100")
        if args.measure == "rating" and not 1 <= criterion <= 5:
            raise UsageError("a rating criterion is from 1 to 5")
    journal = _open(args)
    goal = journal.add_goal(
        args.title,
        measure=args.measure,
        domain=args.domain,
        status=args.status,
        criterion_value=criterion,
        criterion_sessions=args.sessions,
    )
    _save(journal)
    _out(goal.id)
    return 0


def cmd_goal_list(args: argparse.Namespace) -> int:
    """`tandem goal list`: goals with their criterion and last value."""
    journal = _open(args)
    goals = journal.goals()
    if args.json:
        _out(_json_dumps([_goal_json(journal, g) for g in goals]))
        return 0
    if not goals:
        sys.stderr.write("no goals\n")
        return 0
    rows = []
    for goal in goals:
        measurements = journal.measurements(goal.id)
        rows.append(
            [
                _clip(safe_line(goal.title), TITLE_WIDTH),
                goal.status,
                goal.measure,
                goal.criterion_text(),
                _format_score(goal, measurements[-1] if measurements else None),
                "yes" if journal.criterion_met(goal.id) else "no",
                _short(goal.id),
            ]
        )
    header = ("TITLE", "STATUS", "MEASURE", "CRITERION", "LAST", "MET", "ID")
    for line in _table(header, rows):
        _out(line)
    return 0


def cmd_goal_record(args: argparse.Namespace) -> int:
    """`tandem goal record`: record a measurement; prints its id."""
    trials = args.correct is not None or args.total is not None
    if args.value is not None and trials:
        raise UsageError("give either --value V or --correct C --total T, not both")
    if args.value is None and (args.correct is None or args.total is None):
        raise UsageError("give --value V, or --correct C and --total T")
    if trials and args.total == 0:
        raise UsageError("--total must be at least 1")
    date = _parse_date(args.date) if args.date else None
    journal = _open(args)
    goal = journal.get(Goal, args.goal_id)
    if goal.measure == "percent" and args.value is not None and not 0 <= args.value <= 100:
        raise UsageError("a percent value is from 0 to 100")
    if goal.measure != "percent" and trials:
        raise UsageError(f"a {goal.measure} goal takes --value, not --correct/--total")
    measurement = journal.record_measurement(
        goal.id,
        value=args.value,
        correct=args.correct,
        total=args.total,
        prompt=args.prompt,
        setting=args.setting,
        note=args.note,
        date=date,
    )
    _save(journal)
    _out(measurement.id)
    return 0


def cmd_comment(args: argparse.Namespace) -> int:
    """`tandem comment`: post a comment in a thread; prints its id."""
    body = _body(args)
    if not body.strip():
        raise UsageError("a comment needs --body TEXT (or text on stdin)")
    journal = _open(args)
    comment = journal.comment(args.target, body)
    _save(journal)
    _out(comment.id)
    return 0


def cmd_resolve_thread(args: argparse.Namespace) -> int:
    """`tandem resolve-thread`: resolve (or with --reopen, reopen) a thread; prints its status."""
    journal = _open(args)
    thread = journal.set_thread_status(args.target, "open" if args.reopen else "resolved")
    _save(journal)
    _out(thread.status)
    return 0


def _check_records(journal: Journal) -> int:
    """Parse every stored record; raise DamagedFile naming the first one that does not."""
    document = journal.document()
    version = document.get("tandem", 1)
    if not isinstance(version, int):
        raise DamagedFile("this file is damaged: its contents have no valid version")
    count = 0
    for table_name, cls in TABLES.items():
        table = document.get(table_name, {})
        if not isinstance(table, dict):
            raise DamagedFile(f"this file is damaged: its {table_name} table cannot be read")
        for key, doc in table.items():
            try:
                if not isinstance(doc, dict):
                    raise TypeError("not an object")
                cls.from_doc(doc)
            except (TypeError, ValueError) as error:
                raise DamagedFile(
                    f"this file is damaged: record {str(key)[:SHORT_ID]} in {table_name} "
                    "cannot be read"
                ) from error
            count += 1
    return count


def cmd_verify(args: argparse.Namespace) -> int:
    """`tandem verify`: check structure, checksum, unlock, decryption and every record."""
    _precheck(args.path)
    journal = _open(args)
    records = _check_records(journal)
    try:
        stats = journal.stats()
    except NotFound as error:
        raise DamagedFile("this file is damaged: its journal page is missing") from error
    me = journal.me
    members = ", ".join(f"{m.name} ({m.role})" for m in stats.members)
    kinds = ", ".join(f"{stats.counts.get(kind, 0)} {kind}" for kind in ENTRY_KINDS)
    others = ", ".join(
        f"{stats.counts.get(table, 0)} {table}"
        for table in ("goals", "measurements", "comments", "resources", "sessions")
    )
    size = os.path.getsize(args.path)
    lines = [
        f"OK: {args.path} is a whole, undamaged Tandem journal "
        f"({size} bytes, {records} records, all readable).",
        f"Title:        {stats.title}",
        f"Journal id:   {stats.journal_id}",
        f"Unlocked as:  {me.name} ({me.role}), with the {journal.opened_with}",
        f"Members:      {members}",
        f"Entries:      {kinds}",
        f"Other:        {others}",
        f"Deleted:      {stats.deleted}",
        f"Last change:  {_local_time(stats.last_change) or '-'}",
    ]
    for line in lines:
        _out(safe_line(line))
    return 0


def _count(value: Any) -> int:
    if isinstance(value, list | tuple | set | frozenset | dict):
        return len(value)
    return int(value)


def cmd_import(args: argparse.Namespace) -> int:
    """`tandem import`: add the entries of a jrnl or Tandem JSON export."""
    source = Path(args.source)
    if not source.is_file():
        raise TandemError(f"no file to import at {source}")
    try:
        from journal.exports import import_file
    except ModuleNotFoundError as error:
        raise _missing(error) from None

    journal = _open(args)
    result = import_file(journal, source, **({"kind": args.kind} if args.kind else {}))
    _save(journal)
    added, skipped = _count(result.added), _count(result.skipped)
    _out(
        f"Imported {added} record{'' if added == 1 else 's'} from {safe_line(str(source))} "
        f"({safe_line(str(result.format))}); skipped {skipped}."
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """`tandem export`: write a plain HTML, Markdown, CSV or JSON export (NOT encrypted)."""
    since = _parse_date(args.since, "--from date") if args.since else None
    until = _parse_date(args.until, "--to date") if args.until else None
    if since and until and since > until:
        raise UsageError("--from is after --to")
    try:
        from journal.exports import export_to
    except ModuleNotFoundError as error:
        raise _missing(error) from None

    journal = _open(args)
    out = Path(args.output)
    warning = export_to(
        journal,
        args.format,
        out,
        since=since,
        until=until,
        kind=args.kind,
        goal=args.goal,
        pseudonym=args.pseudonym,
    )
    _err(f"warning: {warning}; anyone who can read it can read what it holds")
    _out(f"Exported to {safe_line(str(out))}.")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    """`tandem passwd`: re-wrap the journal key under a new passphrase.

    Opened with an invite code, this is the only command allowed: it sets the
    new member's own passphrase, which replaces the invite slot.
    """
    journal = _open(args, allow_invite=True)
    invited = journal.needs_own_passphrase
    member = journal.me
    if args.member is not None:
        wanted = args.member.strip().casefold()
        members = journal.members()
        matches = [m for m in members if m.name.casefold() == wanted]
        if not matches and wanted:
            matches = [m for m in members if m.id.startswith(wanted)]
        if len(matches) != 1:
            known = ", ".join(m.name for m in members)
            what = "more than one member" if matches else "no member"
            raise UsageError(f"{what} named {args.member!r}; members: {known}")
        member = matches[0]
        if member.id != journal.me.id and journal.opened_with != "recovery":
            raise UsageError(
                f"setting another member's passphrase needs the recovery code (in {PASSPHRASE_ENV})"
            )
    new = _new_passphrase(NEW_PASSPHRASE_ENV)
    _merge_disk_first(journal)
    journal.change_passphrase(new, member.id)
    if invited:
        _out(
            f"Welcome, {safe_line(member.name)}: your passphrase is set and the invite code "
            "no longer opens this file. Send your copy back so the others can merge it."
        )
        return 0
    _out(f"Changed the passphrase of {safe_line(member.name)}.")
    return 0


def _missing(error: ModuleNotFoundError) -> TandemError:
    return TandemError(f"this installation of Tandem is incomplete: {error.name} is missing")


def _interactive() -> bool:
    """True when stdin and stdout are a terminal the app can run in."""
    try:
        return bool(sys.stdin and sys.stdin.isatty() and sys.stdout.isatty())
    except (OSError, ValueError):
        return False


def _run_app(
    journal: Journal | None, *, path: Path | None = None, secret: str | None = None
) -> int:
    if not _interactive():
        raise UsageError("the app needs a terminal; use 'tandem list' or 'tandem show' in scripts")
    try:
        from screens.app import TandemApp
    except ModuleNotFoundError as error:
        raise _missing(error) from None
    TandemApp(journal, path=path, secret=secret).run()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """`tandem demo`: write a demo journal, print where and its passphrase, open it."""
    import tempfile

    try:
        from journal.demo import DEMO_PASSPHRASE, write_demo_journal
    except ModuleNotFoundError as error:
        raise _missing(error) from None

    if args.dir:
        folder = Path(args.dir)
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder = Path(tempfile.mkdtemp(prefix="tandem-demo-"))
    path = folder / "demo.tandem"
    if path.exists():
        raise TandemError(f"{path} already exists; choose another --dir")
    journal = write_demo_journal(path, passphrase=DEMO_PASSPHRASE)
    _out(f"Demo journal: {safe_line(str(path))}")
    _out(f"Passphrase:   {DEMO_PASSPHRASE}")
    if args.no_open:
        return 0
    sys.stdout.flush()
    return _run_app(journal)


def cmd_serve(args: argparse.Namespace) -> int:
    """`tandem serve [PATH]`: the app in a browser on this computer; the passphrase is
    typed in the browser (on the unlock screen), never taken from here."""
    try:
        from journal.serve import serve
    except ModuleNotFoundError as error:
        raise _missing(error) from None
    serve(Path(args.path) if args.path else None, host=args.host, port=args.port)
    return 0


def cmd_open(args: argparse.Namespace) -> int:
    """`tandem open PATH` (or `tandem PATH`): unlock and run the terminal app.

    With TANDEM_PASSPHRASE or --passphrase-file the journal is unlocked first;
    otherwise the app opens on its unlock screen (key derivation in a worker).
    An invite code opens the app on the step that sets your own passphrase.
    """
    given = _given_passphrase(args)
    if _interactive():
        _precheck(args.path)
        return _run_app(None, path=Path(args.path), secret=given)
    journal = _open(args, allow_invite=True)
    return _run_app(journal)


def _run_welcome() -> int:
    """`tandem` alone: the welcome screen (recent journals, create, open, demo)."""
    return _run_app(None)


# --- merging, conflicts and invitations ------------------------------------------

# What one record of each table is called in reports and in JSON ("type").
RECORD_TYPE = {
    "meta": "journal",
    "members": "member",
    "entries": "entry",
    "goals": "goal",
    "measurements": "measurement",
    "comments": "comment",
    "threads": "thread",
    "resources": "resource",
    "sessions": "session",
}
_NOUNS = {
    "meta": ("journal page", "journal pages"),
    "members": ("member", "members"),
    "entries": ("entry", "entries"),
    "goals": ("goal", "goals"),
    "measurements": ("measurement", "measurements"),
    "comments": ("comment", "comments"),
    "threads": ("thread", "threads"),
    "resources": ("resource", "resources"),
    "sessions": ("session", "sessions"),
}
LABEL_WIDTH = 40
DAY_MS = 24 * 3600 * 1000


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _table_of(record: Any) -> str:
    return str(type(record).TABLE)


def _raw_doc(journal: Journal, table: str, record_id: str) -> dict[str, Any] | None:
    return journal.stored_doc(table, record_id)


def _record_label(table: str, doc: dict[str, Any] | None, record_id: str) -> str:
    """A short, safe name for a record in a report: its title, a member's name, ..."""
    return _clip(safe_line(_record_name(table, doc, record_id)), LABEL_WIDTH)


def _record_name(table: str, doc: dict[str, Any] | None, record_id: str) -> str:
    """What a record is called: its title, a member's name, a session's time, ..."""
    if doc is None:
        return _short(record_id)
    if table == "meta":
        label = "the journal page"
    elif table == "members":
        label = str(doc.get("name") or "a member")
    elif table == "sessions":
        label = f"session of {str(doc.get('starts_at') or '').replace('T', ' ')}"
    elif table == "measurements":
        label = f"measurement of {doc.get('date') or '?'}"
    elif table == "comments":
        label = f"comment {_short(record_id)}"
    elif table == "threads" and not doc.get("title"):
        label = f"thread state {_short(record_id)}"
    else:
        label = str(doc.get("title") or _short(record_id))
    return label


def _conflict_state(doc: dict[str, Any] | None) -> tuple[list[str], bool]:
    """(units in conflict, deletion overridden) of a stored record; none for a deleted one."""
    if doc is None or not (doc.get("conflicts") or doc.get("deletion")):
        return [], False
    if doc.get("deleted_at") is not None:
        return [], False  # nothing to resolve on a tombstone (two copies both deleted it)
    from journal.merge import conflicting_units, deletion_overridden

    return sorted(conflicting_units(doc)), deletion_overridden(doc)


def _needs_attention(doc: dict[str, Any] | None) -> bool:
    units, overridden = _conflict_state(doc)
    return bool(units) or overridden


def _who_json(record: Any, names: dict[str, str]) -> dict[str, Any]:
    """Who created a record and who last changed it, by name and id, and when."""
    return {
        "created_by": names.get(record.author, "unknown"),
        "created_by_id": record.author,
        "created_at": record.created_at,
        "updated_by": names.get(record.updated_by, "unknown"),
        "updated_by_id": record.updated_by,
        "updated_at": record.updated_at,
    }


def _who_line(record: Any, names: dict[str, str]) -> str:
    created = safe_line(names.get(record.author, "unknown"))
    changed = safe_line(names.get(record.updated_by or record.author, "unknown"))
    when = _local_time(record.updated_at or record.created_at)
    return (
        f"created by {created} on {_local_time(record.created_at)}, "
        f"last changed by {changed} on {when}"
    )


def _conflicts_json(journal: Journal, record: Any, names: dict[str, str]) -> dict[str, Any]:
    """The `conflicts` list and `deleted_by_other` notice of a record, for JSON."""
    doc = _raw_doc(journal, _table_of(record), record.id)
    units, overridden = _conflict_state(doc)
    items: list[dict[str, Any]] = []
    if units:
        for unit, versions in journal.conflicts(record.id).items():
            for number, version in enumerate(versions, 1):
                items.append(
                    {
                        "field": unit,
                        "version": number,
                        "shown": number == 1,
                        "dot": version.dot,
                        "value": version.value,
                        "author": names.get(version.author, "unknown"),
                        "author_id": version.author,
                        "at": version.at,
                    }
                )
    notice = None
    if overridden and doc is not None:
        deletion = doc.get("deletion") or {}
        by = str(deletion.get("by") or "")
        notice = {"by": names.get(by, "unknown"), "by_id": by, "at": deletion.get("at")}
    return {"conflicts": items, "deleted_by_other": notice}


def _value_lines(value: Any, prefix: str) -> list[str]:
    if isinstance(value, str):
        return _indent(value.rstrip() or "(empty)", prefix)
    import json

    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return [prefix + safe_line(text)]


def _conflict_lines(journal: Journal, args: argparse.Namespace, record: Any) -> list[str]:
    """The versions of every unit in conflict, numbered, and the commands that resolve them."""
    import shlex

    names = _names(journal)
    doc = _raw_doc(journal, _table_of(record), record.id)
    units, overridden = _conflict_state(doc)
    if not units and not overridden:
        return []
    base = f"tandem resolve {shlex.quote(str(args.path))} {_short(record.id)}"
    what = RECORD_TYPE.get(_table_of(record), "record")
    lines: list[str] = []
    conflicts = journal.conflicts(record.id) if units else {}
    for unit, versions in conflicts.items():
        lines.append("")
        lines.append(
            f"! Conflict in {safe_line(unit)}: changed on two copies at once "
            f"({len(versions)} versions)"
        )
        for number, version in enumerate(versions, 1):
            who = safe_line(names.get(version.author, "unknown"))
            shown = " (shown)" if number == 1 else ""
            lines.append(f"  Version {number}{shown}, by {who} on {_local_time(version.at)}:")
            lines.extend(_value_lines(version.value, "    "))
        field = f" --field {shlex.quote(unit)}" if len(conflicts) > 1 else ""
        option = {"body": "--body", "title": "--title"}.get(unit, "--value")
        example = "'the merged text'"
        if not isinstance(versions[0].value, str | None):
            import json

            example = shlex.quote(json.dumps(versions[0].value, ensure_ascii=False))
        lines.append(f"  Keep one:   {base}{field} --keep N   (N: a version number above)")
        lines.append(f"  Or write:   {base}{field} {option} {safe_line(example)}")
    if overridden and doc is not None:
        deletion = doc.get("deletion") or {}
        who = safe_line(names.get(str(deletion.get("by") or ""), "unknown"))
        lines.append("")
        lines.append(
            f"! {who} deleted this {what} on {_local_time(deletion.get('at'))}, but it was "
            "changed on another copy at the same time, so it was kept."
        )
        lines.append(f"  Keep it:    {base} --keep-record")
        lines.append(f"  Delete it:  {base} --delete")
    return lines


def _ahead_text(millis: int) -> str:
    if millis >= 2 * DAY_MS:
        return f"{millis // DAY_MS} days"
    hours = millis // (3600 * 1000)
    if hours >= 2:
        return f"{hours} hours"
    return _plural(max(millis // 60000, 1), "minute")


def _clock_warning(report: Any) -> str | None:
    if not report.clock.clamped:
        return None
    return (
        f"that copy's clock was {_ahead_text(report.clock.max_ahead_ms)} ahead; "
        "its changes are ordered as if made now"
    )


def _report_summary(item: CopyReport) -> str:
    """'2 entries added, 1 changed; 1 comment added; 1 new conflict' (the merge-on-save note)."""
    report = item.report
    parts = []
    for table, changes in report.tables.items():
        singular, plural = _NOUNS.get(table, (table, table))
        bits: list[str] = []
        for verb, ids in (
            ("added", changes.added),
            ("changed", [i for i in changes.changed if i not in item.slots_only]),
            ("deleted", changes.deleted),
        ):
            if ids:
                count = len(ids)
                noun = f" {singular if count == 1 else plural}" if not bits else ""
                bits.append(f"{count}{noun} {verb}")
        if bits:
            parts.append(", ".join(bits))
    if item.slots:
        parts.append(
            _plural(item.slots, "new passphrase or invitation", "new passphrases or invitations")
        )
    conflicts = sum(len(t.conflicts) for t in report.tables.values())
    resolved = sum(len(t.resolved) for t in report.tables.values())
    if conflicts:
        parts.append(_plural(conflicts, "new conflict"))
    if resolved:
        parts.append(f"{_plural(resolved, 'conflict')} resolved")
    return "; ".join(parts) or "nothing new"


def _save(journal: Journal) -> None:
    """Save; if the file on disk had changed meanwhile, say what was merged from it (stderr)."""
    # The whole document is only needed to describe a merge (and reading it all is slow).
    before = journal.document() if journal.file.changed_on_disk() else None
    _announce_disk_merge(journal, journal.save(), before)


def _merge_disk_first(journal: Journal) -> None:
    """Before a command that saves by itself: merge in what changed on disk, and say what."""
    if journal.file.changed_on_disk():
        before = journal.document()
        _announce_disk_merge(journal, journal.refresh(), before)


def _announce_disk_merge(journal: Journal, report: Any, before: dict[str, Any] | None) -> None:
    if report is not None and not report.empty:
        after = journal.document()
        item = _copy_report("the file on disk", report, after if before is None else before, after)
        _err(f"merged changes from the file on disk: {_report_summary(item)}")
    if report is not None and (warning := _clock_warning(report)):
        _err(f"warning: the file on disk: {warning}")


@dataclass
class CopyReport:
    """What merging one received copy did, ready to print."""

    name: str
    report: Any
    conflicts: list[tuple[str, str, str, list[str]]]  # (table, id, label, units)
    overridden: list[tuple[str, str, str]]  # (table, id, label): deletions beaten by an edit
    slots: int = 0  # passphrases and invitations the copy brought (the page's slot_owners)
    slots_only: frozenset[str] = frozenset()  # journal pages changed only in slot_owners

    @property
    def nothing_new(self) -> bool:
        return bool(self.report.empty)

    def line(self) -> str:
        """'entries +3 ~1 -0, comments +2; 1 conflict: Tuesday (body)'."""
        if self.nothing_new:
            return "nothing new"
        counts = []
        for table, changes in self.report.tables.items():
            added, changed, deleted = len(changes.added), len(changes.changed), len(changes.deleted)
            if table == "meta":
                changed -= len(self.slots_only & set(changes.changed))
            if not (added or changed or deleted):
                continue
            label = _NOUNS.get(table, (table, table))[1]
            if table == "comments" and not (changed or deleted):
                counts.append(f"{label} +{added}")
            else:
                counts.append(f"{label} +{added} ~{changed} -{deleted}")
        parts = [", ".join(counts)] if counts else []
        if self.slots:
            many = "new passphrases or invitations"
            parts.append(_plural(self.slots, "new passphrase or invitation", many))
        if self.conflicts:
            shown = ", ".join(
                f"{label} ({', '.join(units)})" if units else label
                for _t, _i, label, units in self.conflicts
            )
            parts.append(f"{_plural(len(self.conflicts), 'conflict')}: {shown}")
        if self.overridden:
            shown = ", ".join(label for _t, _i, label in self.overridden)
            parts.append(f"kept despite a deletion: {shown}")
        resolved = sum(len(t.resolved) for t in self.report.tables.values())
        if resolved:
            parts.append(f"{_plural(resolved, 'conflict')} resolved on that copy")
        return "; ".join(parts) or "only sync details changed"

    def to_json(self) -> dict[str, Any]:
        fields = ("added", "changed", "deleted", "conflicts", "resolved", "restored")
        return {
            "file": self.name,
            "nothing_new": self.nothing_new,
            "tables": {
                table: {name: list(getattr(changes, name)) for name in fields}
                for table, changes in self.report.tables.items()
                if any(getattr(changes, name) for name in fields)
            },
            "conflicts": [
                {"type": RECORD_TYPE.get(t, t), "id": i, "title": label, "fields": units}
                for t, i, label, units in self.conflicts
            ],
            "deletions_overridden": [
                {"type": RECORD_TYPE.get(t, t), "id": i, "title": label}
                for t, i, label in self.overridden
            ],
            "new_passphrases_or_invitations": self.slots,
            "deleted": self.report.deleted_count,
            "live_before": self.report.live_before,
            "deletes_too_much": self.report.deletes_too_much(),
            "clock": {
                "clamped": self.report.clock.clamped,
                "max_ahead_ms": self.report.clock.max_ahead_ms,
            },
        }


def _copy_report(
    name: str,
    report: Any,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> CopyReport:
    """Describe a merge, looking records up in the documents before and after it."""
    from journal.merge import changed_units

    conflicts: list[tuple[str, str, str, list[str]]] = []
    overridden: list[tuple[str, str, str]] = []
    slots = 0
    slots_only: set[str] = set()
    for record_id in report.tables["meta"].changed if "meta" in report.tables else ():
        old = (before or {}).get("meta", {}).get(record_id)
        new = (after or {}).get("meta", {}).get(record_id)
        if old is None or new is None:
            continue
        units = changed_units(old, new)
        owners = [u for u in units if u.startswith("slot_owners.")]
        slots += sum(
            1 for u in owners if u.removeprefix("slot_owners.") not in old.get("slot_owners", {})
        )
        if owners and len(owners) == len(units):
            slots_only.add(record_id)
    for table, changes in report.tables.items():
        merged = (after or {}).get(table, {})
        previous = (before or {}).get(table, {})
        for record_id in changes.conflicts:
            doc = merged.get(record_id) or previous.get(record_id)
            units, _ = _conflict_state(merged.get(record_id))
            if after is not None and not units:
                continue
            if doc is not None and doc.get("deleted_at") is not None:
                continue  # a tombstone: nothing to resolve
            conflicts.append((table, record_id, _record_label(table, doc, record_id), units))
        for record_id in changes.changed:
            doc = merged.get(record_id)
            if doc is None or not _conflict_state(doc)[1]:
                continue
            if _conflict_state(previous.get(record_id))[1]:
                continue  # the notice was already there
            overridden.append((table, record_id, _record_label(table, doc, record_id)))
    return CopyReport(name, report, conflicts, overridden, slots, frozenset(slots_only))


def _copy_name(path: str | Path) -> str:
    return safe_line(Path(path).name)


def _stdin_is_terminal() -> bool:
    try:
        return bool(sys.stdin and sys.stdin.isatty())
    except (OSError, ValueError):
        return False


def _confirm(question: str) -> bool:
    """Ask a yes/no question on the terminal (stderr, stdin); the default is no."""
    sys.stderr.write(f"{question} [y/N] ")
    sys.stderr.flush()
    try:
        answer = sys.stdin.readline()
    except (OSError, ValueError):
        return False
    return answer.strip().casefold() in ("y", "yes")


def _in_copy(name: str, error: TandemError) -> TandemError:
    """The same error, naming the received copy it is about (same exit code)."""
    message = str(error)
    if name not in message:
        message = f"{name}: {message}"
    renamed = TandemError(f"{message}; nothing was written")
    renamed.exit_code = error.exit_code
    return renamed


def _print_copy_reports(reports: list[CopyReport], verb: str) -> None:
    for item in reports:
        _out(f"{verb} {item.name}: {item.line()}")


def _warn_clocks(reports: list[CopyReport]) -> None:
    for item in reports:
        warning = _clock_warning(item.report)
        if warning:
            _err(f"warning: {item.name}: {warning}")


def _warn_mass_deletions(reports: list[CopyReport], force: bool) -> None:
    for item in reports:
        if item.report.deletes_too_much() and not force:
            _err(
                f"warning: {item.name} would delete {item.report.deleted_count} of "
                f"{item.report.live_before} records: merging it needs --force"
            )


def _conflict_hint(path: str, reports: list[CopyReport]) -> None:
    import shlex

    if any(item.conflicts or item.overridden for item in reports):
        quoted = shlex.quote(path)
        _out(
            f"To resolve: 'tandem show {quoted} ID' lists the versions; "
            f"'tandem list {quoted} --conflicts' lists every record in conflict."
        )


def cmd_merge(args: argparse.Namespace) -> int:
    """`tandem merge`: merge received copies into the journal, save once, report."""
    from journal.errors import MergeTooDestructive

    for other in args.others:
        if not Path(other).is_file():
            raise TandemError(f"no journal at {other}; nothing was merged")
    journal = _open(args)
    reports: list[CopyReport] = []
    for other in args.others:
        name = _copy_name(other)
        before = journal.document()
        try:
            # A dry run merges in memory too (never saved), so several copies add up.
            report = journal.merge_copy(other, force=args.force or args.dry_run)
        except MergeTooDestructive as error:
            refused: Any = error.report
            item = _copy_report(name, refused, before, None)
            stop = (
                f"{name}: this merge would delete {refused.deleted_count} of "
                f"{refused.live_before} records"
            )
            if not _stdin_is_terminal():
                raise TandemError(
                    f"{stop}; look at that copy first (--dry-run), or use --force to merge "
                    "anyway; nothing was written"
                ) from None
            sys.stderr.write(f"From {name}: {item.line()}\n")
            if not _confirm(f"{PROG}: {stop}. Merge it anyway?"):
                raise TandemError("stopped; nothing was written") from None
            report = journal.merge_copy(other, force=True)
        except TandemError as error:
            raise _in_copy(name, error) from None
        reports.append(_copy_report(name, report, before, journal.document()))
    saved = False
    if not args.dry_run:
        saved = journal.dirty
        _save(journal)
    if args.json:
        _out(
            _json_dumps(
                {
                    "path": str(args.path),
                    "dry_run": bool(args.dry_run),
                    "saved": saved,
                    "copies": [item.to_json() for item in reports],
                }
            )
        )
        _warn_clocks(reports)
        return 0
    _print_copy_reports(reports, "From")
    _warn_clocks(reports)
    if args.dry_run:
        _warn_mass_deletions(reports, args.force)
        _out("Dry run: nothing was written.")
    elif saved:
        _out(f"Saved {safe_line(str(args.path))}.")
    else:
        _out(f"Nothing new; {safe_line(str(args.path))} is unchanged.")
    if not args.dry_run:
        _conflict_hint(str(args.path), reports)
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    """`tandem sync`: merge the drives' conflict copies beside the journal, then archive them."""
    from journal.copies import archive_folder, find_conflict_copies, sync_copies

    journal = _open(args)
    found = find_conflict_copies(journal.path)
    before = journal.document()
    result = sync_copies(journal, dry_run=args.dry_run, force=args.force)
    after = None if args.dry_run else journal.document()
    reports = [
        _copy_report(_copy_name(copy.path), report, before, after) for copy, report in result.merged
    ]
    folder = archive_folder(journal.path)
    if args.json:
        services = {c.path: c.service for c in found}
        _out(
            _json_dumps(
                {
                    "path": str(args.path),
                    "dry_run": bool(args.dry_run),
                    "found": [{"file": c.path.name, "service": c.service} for c in found],
                    "merged": [
                        {**item.to_json(), "service": services.get(copy.path, copy.service)}
                        for item, (copy, _r) in zip(reports, result.merged, strict=True)
                    ],
                    "skipped": [
                        {"file": c.path.name, "service": c.service, "reason": reason}
                        for c, reason in result.skipped
                    ],
                    "archived": [str(p) for p in result.archived],
                }
            )
        )
        _warn_clocks(reports)
        return 0
    where = safe_line(journal.path.name)
    if not found and not result.merged and not result.skipped:
        _out(f"No conflict copies beside {where}.")
        return 0
    _out(f"Found {_plural(len(found), 'copy', 'copies')} beside {where}:")
    width = max(len(c.service) for c in found) if found else 0
    for copy in found:
        _out(f"  {copy.service.ljust(width)}  {_copy_name(copy.path)}")
    verb = "Would merge" if args.dry_run else "Merged"
    _print_copy_reports(reports, verb)
    for copy, reason in result.skipped:
        _out(f"Skipped {_copy_name(copy.path)}: {safe_line(reason)}; left where it is")
    _warn_clocks(reports)
    if args.dry_run:
        _warn_mass_deletions(reports, args.force)
        _out("Dry run: nothing was written or moved.")
        return 0
    if result.archived:
        _out(
            f"Moved {_plural(len(result.archived), 'merged copy', 'merged copies')} "
            f"to {safe_line(str(folder))}{os.sep} (nothing was deleted)."
        )
    _conflict_hint(str(args.path), reports)
    return 0


def cmd_invite(args: argparse.Namespace) -> int:
    """`tandem invite`: add a member with a one-time invite code (printed last)."""
    name = args.name.strip()
    if not name:
        raise UsageError("a member needs a name")
    journal = _open(args)
    if any(m.name.casefold() == name.casefold() for m in journal.members()):
        raise UsageError(f"there is already a member named {name!r}")
    _merge_disk_first(journal)
    member, code = journal.invite(name, args.role)
    who = safe_line(member.name)
    _out(
        f"Invited {who} ({member.role}). Send them a copy of the journal file; with the code "
        "they can only set their own passphrase (tandem passwd)."
    )
    _out(
        f"Give {who} this code by phone or in person, never in the same email or message as "
        "the file:"
    )
    _out(code)
    return 0


def _resolve_unit(conflicts: dict[str, Any], wanted: str | None, implied: str | None) -> str:
    """Which unit a `tandem resolve` is about: --field, or the option's, or the only one."""
    units = list(conflicts)
    listed = ", ".join(units)
    if wanted is not None and implied is not None and wanted != implied:
        raise UsageError(f"--field {wanted} does not go with --{implied}; use --value")
    choice = wanted or implied
    if choice is None:
        if len(units) > 1:
            raise UsageError(f"several fields are in conflict ({listed}); choose one with --field")
        return units[0]
    if choice not in conflicts and f"fields.{choice}" in conflicts:
        choice = f"fields.{choice}"
    if choice not in conflicts:
        raise UsageError(f"{choice} is not in conflict; the fields in conflict: {listed}")
    return choice


def _typed_value(text: str, versions: list[Any], unit: str) -> Any:
    """--value as the type the versions have: text as it is, anything else as JSON."""
    if all(isinstance(v.value, str) or v.value is None for v in versions):
        return text
    import json

    try:
        return json.loads(text)
    except ValueError:
        example = json.dumps(versions[0].value, ensure_ascii=False)
        raise UsageError(f"{unit} is not text; give --value as JSON, e.g. {example}") from None


def cmd_resolve(args: argparse.Namespace) -> int:
    """`tandem resolve`: keep one version, write a merged one, or settle a deletion."""
    journal = _open(args)
    record = journal.find(args.id)
    doc = _raw_doc(journal, _table_of(record), record.id)
    units, overridden = _conflict_state(doc)
    if args.keep_record or args.delete:
        if not overridden:
            raise UsageError(
                f"{_short(record.id)} was not deleted by anyone else; "
                "to delete it, use 'tandem delete'"
            )
        if args.field is not None:
            raise UsageError("--field goes with --keep, --body, --title or --value")
        if args.keep_record:
            resolved = journal.keep_deleted_record(record.id)
        else:
            resolved = journal.delete(record.id)
        _save(journal)
        _out(resolved.id)
        return 0
    if not units:
        raise UsageError(f"{_short(record.id)} has no conflict to resolve")
    conflicts = journal.conflicts(record.id)
    implied = "body" if args.body is not None else "title" if args.title is not None else None
    unit = _resolve_unit(conflicts, args.field, implied)
    versions = conflicts[unit]
    if args.keep is not None:
        keep = args.keep.strip()
        if keep.isdigit():
            number = int(keep)
            if not 1 <= number <= len(versions):
                raise UsageError(
                    f"{unit} has versions 1 to {len(versions)} (see 'tandem show'), not {keep}"
                )
            resolved = journal.resolve(record.id, unit, keep=versions[number - 1].dot)
        else:
            resolved = journal.resolve(record.id, unit, keep=keep)
    else:
        text = next(v for v in (args.body, args.title, args.value) if v is not None)
        if unit == "title" and not text.strip():
            raise UsageError("a title cannot be empty")
        name = unit.removeprefix("fields.")
        if isinstance(record, Entry) and unit.startswith("fields.") and text.strip():
            # A structured field is checked and converted as `tandem edit --field` does.
            value = _parse_fields(record.kind, [f"{name}={text}"]).get(name, text)
        else:
            value = _typed_value(text, versions, unit)
        resolved = journal.resolve(record.id, unit, value=value)
    _save(journal)
    left = [u for u in units if u != unit]
    if left:
        _err(f"still in conflict: {', '.join(left)} (see 'tandem show')")
    _out(resolved.id)
    return 0


# --- entry point -------------------------------------------------------------------


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
    parser = build_parser()
    if not argv:
        if _interactive():
            return _run_welcome()
        parser.print_help()
        return 0
    _check_argv_text(argv)
    for arg in argv:
        if arg == "--":
            break
        if arg == "--passphrase" or arg.startswith("--passphrase="):
            raise UsageError(
                "a passphrase is never given as an argument: set TANDEM_PASSPHRASE, "
                "use --passphrase-file FILE, or type it at the prompt"
            )
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
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
    except _ParserExit as stop:
        if stop.message:
            if stop.status:
                _err(stop.message)
            else:
                sys.stdout.write(stop.message)
        return stop.status
    except TandemError as error:
        _err(str(error) or type(error).__name__)
        return error.exit_code
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 1
    except OSError as error:
        _err(_describe_os_error(error))
        return 1
    except Exception as error:  # the contract: one line, never a traceback
        detail = str(error) or type(error).__name__
        _err(f"unexpected error: {detail}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
