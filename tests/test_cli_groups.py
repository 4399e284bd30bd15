"""Commands with subcommands defined from a table (journal/cli/groups.py)."""

from __future__ import annotations

import argparse

import pytest

from journal.cli.groups import add_group
from journal.cli.parser import Commands, ParserExit, TandemArgumentParser


def _run(args: argparse.Namespace) -> int:
    return 0


def _title(p: TandemArgumentParser) -> None:
    p.add_argument("--title", required=True)


def _parser() -> TandemArgumentParser:
    parser = TandemArgumentParser(prog="tandem")
    commands = Commands(parser)
    add_group(commands, "thing", [("add", "add one", _run, _title), ("list", "list", _run, None)])
    commands.build({"thing": "things"})
    return parser


def test_each_subcommand_opens_a_journal_with_its_own_arguments() -> None:
    args = _parser().parse_args(["thing", "add", "j.tandem", "--title", "T", "--no-agent"])
    assert args.run is _run and args.thing_command == "add"
    assert (args.path, args.title, args.no_agent) == ("j.tandem", "T", True)
    assert _parser().parse_args(["thing", "list", "j.tandem"]).path == "j.tandem"


def test_a_group_without_its_subcommand_is_a_usage_error() -> None:
    with pytest.raises(ParserExit) as stop:
        _parser().parse_args(["thing"])
    assert stop.value.status == 2
    assert stop.value.message is not None and stop.value.message.startswith("thing: ")
