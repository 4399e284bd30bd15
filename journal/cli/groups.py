"""Commands with subcommands (`tandem goal add`, `tandem member list`), defined from a table.

`add_group(commands, "goal", [("add", help, cmd_goal_add, arguments), ...])`
defines `tandem goal` with one subcommand per row, in that order; every
subcommand opens a journal, so each gets PATH and --passphrase-file.
"""

from __future__ import annotations

from collections.abc import Iterable

from journal.cli.parser import Arguments, Commands, Run, TandemArgumentParser

Subcommand = tuple[str, str, Run, Arguments | None]
"""A subcommand: its name, its one-line help, what runs it, what adds its own arguments."""


def add_group(commands: Commands, name: str, subcommands: Iterable[Subcommand]) -> None:
    """Define command `name`, whose subcommands (one is required) each open a journal."""
    rows = tuple(subcommands)

    def define(group: TandemArgumentParser) -> None:
        sub = group.add_subparsers(dest=f"{name}_command", metavar="COMMAND", required=True)
        for subcommand, help_text, run, arguments in rows:
            made: TandemArgumentParser = sub.add_parser(
                subcommand, help=help_text, parents=[commands.unlock]
            )
            if arguments is not None:
                arguments(made)
            made.set_defaults(run=run)

    commands.add(name, None, define, unlocks=False)
