"""The argument parser of `tandem`: one-line usage errors, the shared arguments, typed values.

Each command group module defines its commands with `Commands.add`;
`journal.cli.build_parser` then adds them with their one-line help, in the
order `tandem --help` lists them (`journal.cli.COMMANDS`).
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, NoReturn

from journal.errors import UsageError

PROG = "tandem"

Run = Callable[[argparse.Namespace], int]
"""A command: runs with the parsed arguments, returns the exit code."""

Arguments = Callable[["TandemArgumentParser"], None]
"""Adds a command's own arguments to its parser."""


class ParserExit(Exception):
    """Parsing stopped: after --help (status 0) or at a usage error (status 2)."""

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
        raise ParserExit(2, f"{prefix}{message}{hint}")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        """Stop parsing (after --help) without exiting the interpreter."""
        raise ParserExit(status, message)


class _Command:
    """A defined command: what runs it, its own arguments, whether it opens a journal."""

    __slots__ = ("run", "arguments", "unlocks")  # not a NamedTuple or dataclass: start-up time

    def __init__(self, run: Run | None, arguments: Arguments | None, unlocks: bool) -> None:
        self.run, self.arguments, self.unlocks = run, arguments, unlocks


def add_no_agent(parser: argparse.ArgumentParser) -> None:
    """Add --no-agent: neither use nor feed the key agent (`tandem agent`)."""
    parser.add_argument(
        "--no-agent",
        action="store_true",
        help="do not use the key agent for this command (ask for the passphrase)",
    )


class Commands:
    """The subcommands of `tandem`, defined by their modules, added in a set order."""

    def __init__(self, parser: TandemArgumentParser) -> None:
        self._subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
        self.unlock = TandemArgumentParser(add_help=False)
        """The parent parser of every command that opens a journal: PATH, --passphrase-file."""
        self.unlock.add_argument("path", metavar="PATH", help="the .tandem journal file")
        self.unlock.add_argument(
            "--passphrase-file",
            metavar="FILE",
            help="read the passphrase (or recovery code) from the first line of FILE",
        )
        add_no_agent(self.unlock)
        self._defined: dict[str, _Command] = {}

    def add(
        self,
        name: str,
        run: Run | None,
        arguments: Arguments | None = None,
        *,
        unlocks: bool = True,
    ) -> None:
        """Define command `name`, which `run` runs: `arguments` adds its own arguments;
        `unlocks` adds PATH and --passphrase-file."""
        self._defined[name] = _Command(run, arguments, unlocks)

    def build(self, helps: Mapping[str, str], *, only: str | None = None) -> None:
        """Add every defined command to the parser with its one-line help, in `helps` order.

        With `only`, a command line that runs that one command, the others are left
        out (each costs start-up a fifth of a millisecond; `tandem --help` and a
        mistyped command, whose error lists them all, build them all); with an `only`
        that names no command, the others are listed without their arguments.
        """
        assert sorted(helps) == sorted(self._defined), "COMMANDS and the modules disagree"
        for name, help_text in helps.items():
            if only in self._defined and name != only:
                continue
            command = self._defined[name]
            whole = only is None or name == only
            made: TandemArgumentParser = self._subparsers.add_parser(
                name,
                help=help_text,
                description=help_text,
                parents=[self.unlock] if command.unlocks and whole else [],
            )
            if not whole:
                continue
            if command.arguments is not None:
                command.arguments(made)
            if command.run is not None:
                made.set_defaults(run=command.run)


# --- typed values -----------------------------------------------------------------------


def finite_float(text: str) -> float:
    """An argument that is a finite number."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return value


def non_negative_int(text: str) -> int:
    """An argument that is a whole number, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def positive_int(text: str) -> int:
    """An argument that is a whole number, 1 or more."""
    value = non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse_when(text: str) -> str:
    """'YYYY-MM-DD HH:MM' (or with a T, or a bare date) as stored: 'YYYY-MM-DDTHH:MM'."""
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt).strftime("%Y-%m-%dT%H:%M")
        except ValueError:
            continue
    raise UsageError(f"bad time {text!r}; write it as 'YYYY-MM-DD HH:MM'")


def parse_date(text: str, what: str = "date") -> str:
    """'YYYY-MM-DD', checked; `what` names the value in the error."""
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").strftime("%Y-%m-%d")
    except ValueError:
        raise UsageError(f"bad {what} {text!r}; write it as YYYY-MM-DD") from None


def check_argv_text(argv: Iterable[str]) -> None:
    """Refuse arguments that are not valid UTF-8 (undecodable bytes from the shell)."""
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError("an argument is not valid UTF-8 text") from None
