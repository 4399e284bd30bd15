"""`tandem new`, `passwd`, `invite` and `member`: who is in the journal, and with what.

`new` creates the journal with its first member (its first owner) and prints
the recovery code; `invite` adds a member with a one-time code that opens a
copy only for `passwd`, which sets their own passphrase (or, with the
recovery code, resets anyone's). `member list` shows everyone with their
safety number; owners `remove` members, make `owner`s and `rotate` the key;
anyone marks a safety number they compared as `check`ed (docs/MODEL.md).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from journal.cli.groups import add_group
from journal.cli.opening import (
    NEW_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    merge_disk_first,
    new_passphrase,
    open_journal,
    save,
    tell_notices,
)
from journal.cli.output import out, out_json, out_lines
from journal.cli.parser import Commands, TandemArgumentParser
from journal.errors import TandemError, UsageError
from journal.model import ROLES
from journal.text import safe_line

if TYPE_CHECKING:
    from journal.journal import Journal


def register(commands: Commands) -> None:
    """Define `new`, `passwd`, `invite` and `member` with its subcommands."""
    commands.add("new", cmd_new, _new_arguments)
    commands.add("passwd", cmd_passwd, _passwd_arguments)
    commands.add("invite", cmd_invite, _invite_arguments)

    add_group(
        commands,
        "member",
        [
            ("list", "every member, their role and safety number", cmd_member_list, _json_option),
            ("remove", "remove a member and renew the key (owners)", cmd_member_remove, _who),
            ("owner", "make a member an owner (owners)", cmd_member_owner, _who_or_undo),
            ("role", "give a member another role (owners)", cmd_member_role, _who_and_role),
            ("check", "mark a member's safety number as compared", cmd_member_check, _who_or_undo),
            ("rotate", "renew the journal's key now (owners)", cmd_member_rotate, None),
        ],
    )


def _json_option(p: TandemArgumentParser) -> None:
    p.add_argument("--json", action="store_true")


def _who(p: TandemArgumentParser) -> None:
    p.add_argument("who", metavar="NAME_OR_ID")


def _who_or_undo(p: TandemArgumentParser) -> None:
    _who(p)
    p.add_argument("--undo", action="store_true", help="take it back")


def _who_and_role(p: TandemArgumentParser) -> None:
    _who(p)
    p.add_argument("role", choices=ROLES, help="their role from now on")


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
        member = journal.find_member(args.member)
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


# --- member: list, remove, owner, rotate, check -----------------------------------------


def cmd_member_list(args: argparse.Namespace) -> int:
    """`tandem member list`: every member with role, owner mark and safety number."""
    journal = open_journal(args)
    people = journal.members_info()
    if args.json:
        out_json([person.to_json() for person in people])
        return 0
    lines = []
    for person in people:
        marks = [person.role]
        if person.owner:
            marks.append("owner")
        if person.removed:
            marks.append("removed")
        if person.me:
            marks.append("you")
        number = person.safety_number or "no keys yet (has not opened it since format 3)"
        checked = "checked" if person.checked else "not checked"
        if person.me or not person.safety_number:
            checked = ""
        lines.append(f"{safe_line(person.name)} ({', '.join(marks)})")
        lines.append(f"  safety number {number}" + (f", {checked}" if checked else ""))
    out_lines(lines)
    return 0


def _change_member(args: argparse.Namespace, change: Callable[[Journal, str], object]) -> str:
    """Open the journal, merge what changed on disk, apply `change` to the member named
    NAME_OR_ID, save; returns the member's name, safe to print."""
    journal = open_journal(args)
    merge_disk_first(journal)
    member = journal.find_member(args.who)
    change(journal, member.id)
    save(journal)
    return safe_line(member.name)


def cmd_member_remove(args: argparse.Namespace) -> int:
    """`tandem member remove`: revoke a member's slots and renew the key for the others."""
    name = _change_member(args, lambda journal, member: journal.remove_member(member))
    out(
        f"Removed {name}: their passphrases no longer open this journal, "
        "and a new key encrypts everything written from now on."
    )
    out(f"What removal cannot do: {name} keeps every copy and every word they already had.")
    return 0


def cmd_member_owner(args: argparse.Namespace) -> int:
    """`tandem member owner`: make a member an owner (or, with --undo, no longer one)."""
    owner = not args.undo
    name = _change_member(args, lambda journal, member: journal.make_owner(member, owner=owner))
    out(f"{name} is {'now' if owner else 'no longer'} an owner.")
    return 0


def cmd_member_role(args: argparse.Namespace) -> int:
    """`tandem member role`: give a member another role (parent, therapist or other)."""
    name = _change_member(args, lambda journal, member: journal.set_role(member, args.role))
    out(f"{name} is now a {args.role} in this journal.")
    return 0


def cmd_member_rotate(args: argparse.Namespace) -> int:
    """`tandem member rotate`: a new key for everything written from now on."""
    journal = open_journal(args)
    merge_disk_first(journal)
    left_out = journal.rotate_key()
    save(journal)
    out(
        "Renewed the journal's key: used invite codes and replaced passphrases open "
        "nothing written from now on."
    )
    if left_out:
        who = ", ".join(safe_line(name) for name in left_out)
        out(f"{who} had no keys of their own yet and will need a new invitation.")
    return 0


def cmd_member_check(args: argparse.Namespace) -> int:
    """`tandem member check`: mark that you compared a member's safety number with them."""
    checked = not args.undo
    name = _change_member(args, lambda journal, member: journal.mark_checked(member, checked))
    out(f"{name}'s safety number is marked {'checked' if checked else 'not checked'}.")
    return 0
