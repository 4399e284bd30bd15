"""`tandem new`, `passwd` and `invite`: who can open the journal, and with what.

`new` creates the journal with its first member and prints the recovery code;
`invite` adds a member with a one-time code that opens a copy only for
`passwd`, which sets their own passphrase (or, with the recovery code,
anyone's).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from journal.cli.opening import (
    NEW_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    merge_disk_first,
    new_passphrase,
    open_journal,
    tell_notices,
)
from journal.cli.output import out
from journal.cli.parser import Commands, TandemArgumentParser
from journal.errors import TandemError, UsageError
from journal.model import ROLES
from journal.text import safe_line


def register(commands: Commands) -> None:
    """Define `new`, `passwd` and `invite`."""
    commands.add("new", cmd_new, _new_arguments)
    commands.add("passwd", cmd_passwd, _passwd_arguments)
    commands.add("invite", cmd_invite, _invite_arguments)


def _new_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("--title", required=True, help="the journal's title")
    p.add_argument("--name", required=True, help="your name as the others will see it")
    p.add_argument("--role", required=True, choices=ROLES, help="your role")
    p.add_argument("--child", default="", metavar="NAME", help="the child's name")


def _passwd_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("--member", metavar="NAME", help="whose passphrase (needs the recovery code)")


def _invite_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("--name", required=True, help="the new member's name")
    p.add_argument("--role", required=True, choices=ROLES, help="their role")


def cmd_new(args: argparse.Namespace) -> int:
    """`tandem new`: create a journal, print its recovery code (last line of stdout)."""
    from journal.journal import Journal

    path = Path(args.path)
    if path.exists():
        raise TandemError(f"{path} already exists; choose another name")
    if not path.parent.is_dir():
        raise TandemError(f"cannot create {path}: the folder {path.parent} does not exist")
    passphrase = new_passphrase(
        PASSPHRASE_ENV,
        file=args.passphrase_file,
        avoid=(args.title, args.child or "", args.name),
    )
    _journal, code = Journal.create(
        path,
        title=args.title,
        name=args.name,
        role=args.role,
        passphrase=passphrase,
        child_name=args.child or "",
    )
    out(f"Created {safe_line(str(path))}.")
    out(
        "Write down this recovery code and keep it somewhere safe; "
        "it opens the journal if a passphrase is lost and is shown only once:"
    )
    out(code)
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    """`tandem passwd`: re-wrap the journal key under a new passphrase.

    Opened with an invite code, this is the only command allowed: it sets the
    new member's own passphrase, which replaces the invite slot.
    """
    journal = open_journal(args, allow_invite=True)
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
    new = new_passphrase(NEW_PASSPHRASE_ENV, avoid=(member.name, journal.title))
    merge_disk_first(journal)
    journal.change_passphrase(new, member.id)
    tell_notices(journal)
    if invited:
        out(
            f"Welcome, {safe_line(member.name)}: your passphrase is set and the invite code "
            "no longer opens this file. Send your copy back so the others can merge it."
        )
        return 0
    out(f"Changed the passphrase of {safe_line(member.name)}.")
    return 0


def cmd_invite(args: argparse.Namespace) -> int:
    """`tandem invite`: add a member with a one-time invite code (printed last)."""
    name = args.name.strip()
    if not name:
        raise UsageError("a member needs a name")
    journal = open_journal(args)
    if any(m.name.casefold() == name.casefold() for m in journal.members()):
        raise UsageError(f"there is already a member named {name!r}")
    merge_disk_first(journal)
    member, code = journal.invite(name, args.role)
    tell_notices(journal)
    who = safe_line(member.name)
    out(
        f"Invited {who} ({member.role}). Send them a copy of the journal file; with the code "
        "they can only set their own passphrase (tandem passwd)."
    )
    out(
        f"Give {who} this code by phone or in person, never in the same email or message as "
        "the file:"
    )
    out(code)
    return 0
