"""`tandem send`: write a copy of the journal to send by email, and open a message for it.

The copy goes to Downloads (or --to FOLDER) named for the receiver ("Sam's
journal - from Maya 2026-12-05.tandem"); the command says what it holds
since the last copy sent, and opens a new message with the file attached
where a mail client is set up (--no-mail: never). See `journal.sending`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from journal.cli.opening import open_journal
from journal.cli.output import out_lines
from journal.cli.parser import Commands, TandemArgumentParser
from journal.text import safe_line


def register(commands: Commands) -> None:
    """Define `send`."""
    commands.add("send", cmd_send, _arguments)


def _arguments(p: TandemArgumentParser) -> None:
    p.add_argument("--to", metavar="FOLDER", help="where to write the copy (default: Downloads)")
    p.add_argument("--no-mail", action="store_true", help="do not open a mail message for it")


def cmd_send(args: argparse.Namespace) -> int:
    """`tandem send`: a copy to send, what it holds since the last one, a mail to carry it."""
    from journal.sending import open_mail, send_copy

    journal = open_journal(args)
    sent = send_copy(journal, Path(args.to) if args.to else None)
    lines = [
        f"Copy written: {safe_line(str(sent.path))}",
        f"It holds {safe_line(sent.news)}.",
    ]
    if not args.no_mail and open_mail(sent):
        lines.append("A new mail message with the copy attached is open: add the address.")
    else:
        lines.append("Attach this file to a message to the others.")
    lines.append("Never put the passphrase in the same message: tell it another way.")
    out_lines(lines)
    return 0


__all__ = ["cmd_send", "register"]
