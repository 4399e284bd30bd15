"""`tandem comment` and `tandem resolve-thread`: the thread under an entry, goal, resource
or topic."""

from __future__ import annotations

import argparse

from journal.cli import terminal
from journal.cli.opening import open_journal, save
from journal.cli.output import out
from journal.cli.parser import Commands, TandemArgumentParser
from journal.errors import UsageError


def register(commands: Commands) -> None:
    """Define `comment` and `resolve-thread`."""
    commands.add("comment", cmd_comment, _comment_arguments)
    commands.add("resolve-thread", cmd_resolve_thread, _resolve_thread_arguments)


def _comment_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("target", metavar="TARGET_ID")
    p.add_argument("--body", help="the comment (default: read from stdin if piped)")


def _resolve_thread_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("target", metavar="TARGET_ID")
    p.add_argument("--reopen", action="store_true")


def cmd_comment(args: argparse.Namespace) -> int:
    """`tandem comment`: post a comment in a thread; prints its id."""
    body = terminal.body_text(args)
    if not body.strip():
        raise UsageError("a comment needs --body TEXT (or text on stdin)")
    journal = open_journal(args)
    comment = journal.comment(args.target, body)
    save(journal)
    out(comment.id)
    return 0


def cmd_resolve_thread(args: argparse.Namespace) -> int:
    """`tandem resolve-thread`: resolve (or with --reopen, reopen) a thread; prints its status."""
    journal = open_journal(args)
    thread = journal.set_thread_status(args.target, "open" if args.reopen else "resolved")
    save(journal)
    out(thread.status)
    return 0
