"""`tandem add`, `edit`, `delete`, `finalize` and `addendum`: writing entries.

Each prints the id of the record it wrote. Structured fields are given as
``--field NAME=VALUE`` and checked against the entry kind's fields.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from journal.cli import terminal
from journal.cli.opening import open_journal, save
from journal.cli.output import out
from journal.cli.parser import Commands, TandemArgumentParser, parse_date, parse_when
from journal.errors import UsageError
from journal.model import ENTRY_KINDS, KIND_FIELDS, Entry, FieldSpec

if TYPE_CHECKING:
    from journal.journal import Journal
    from journal.model import Record

WHEN = "'YYYY-MM-DD HH:MM'"


def register(commands: Commands) -> None:
    """Define `add`, `edit`, `delete`, `finalize` and `addendum`."""
    commands.add("add", cmd_add, _add_arguments)
    commands.add("edit", cmd_edit, _edit_arguments)
    commands.add("delete", cmd_delete, _id_argument)
    commands.add("finalize", cmd_finalize, _id_argument)
    commands.add("addendum", cmd_addendum, _addendum_arguments)


def _add_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("--kind", required=True, choices=ENTRY_KINDS)
    p.add_argument("--title", required=True)
    p.add_argument("--body", help="the Markdown body (default: read from stdin if piped)")
    p.add_argument("--tag", action="append", default=[], metavar="TAG")
    p.add_argument("--goal", action="append", default=[], metavar="ID", help="link a goal")
    p.add_argument(
        "--field", action="append", default=[], metavar="NAME=VALUE", help="a structured field"
    )
    p.add_argument("--when", metavar=WHEN, help="when it happened (default: now)")


def _edit_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("id", metavar="ID")
    p.add_argument("--title")
    p.add_argument("--body")
    p.add_argument("--tag", action="append", metavar="TAG", help="replaces the tags")
    p.add_argument("--goal", action="append", metavar="ID", help="replaces the linked goals")
    p.add_argument("--field", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--when", metavar=WHEN)


def _id_argument(p: TandemArgumentParser) -> None:
    p.add_argument("id", metavar="ID")


def _addendum_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("id", metavar="ID")
    p.add_argument("--body", help="the addendum (default: read from stdin if piped)")


# --- structured fields --------------------------------------------------------------------

_TIME = r"(\d{1,2}):(\d{2})"  # compiled on first use (start-up time)


def _convert_field(spec: FieldSpec, raw: str) -> Any:
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
        match = re.fullmatch(_TIME, value)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise UsageError(f"{label} is a time of day as HH:MM, not {raw!r}")
        return f"{int(match[1]):02d}:{match[2]}"
    if spec.type == "date":
        return parse_date(value, spec.name)
    if spec.type == "datetime":
        return parse_when(value)
    if spec.type == "choice":
        for choice in spec.choices:
            if value.casefold() == choice.casefold():
                return choice
        raise UsageError(f"{label} must be one of: {', '.join(spec.choices)}; not {raw!r}")
    return raw


def parse_fields(kind: str, items: Iterable[str]) -> dict[str, Any]:
    """--field NAME=VALUE options checked against KIND_FIELDS[kind] and converted
    ('' for a field given empty, which removes it)."""
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
        fields[name] = _convert_field(spec, raw) if raw.strip() else ""
    return fields


# --- commands -------------------------------------------------------------------------------


def cmd_add(args: argparse.Namespace) -> int:
    """`tandem add`: add an entry; prints its id."""
    fields = parse_fields(args.kind, args.field)
    occurred = parse_when(args.when) if args.when else None
    body = terminal.body_text(args)
    journal = open_journal(args)
    entry = journal.add_entry(
        args.kind,
        args.title,
        body,
        tags=args.tag,
        goals=args.goal,
        fields={k: v for k, v in fields.items() if v != ""},
        occurred_at=occurred,
    )
    save(journal)
    out(entry.id)
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    """`tandem edit`: change an entry; prints its id."""
    occurred = parse_when(args.when) if args.when else None
    given = (args.title, args.body, args.tag, args.goal, occurred)
    if all(value is None for value in given) and not args.field:
        raise UsageError(
            "nothing to change: give --title, --body, --tag, --goal, --field or --when"
        )
    journal = open_journal(args)
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
        for name, value in parse_fields(entry.kind, args.field).items():
            if value == "":
                fields.pop(name, None)
            else:
                fields[name] = value
        changes["fields"] = fields
    if occurred is not None:
        changes["occurred_at"] = occurred
    edited = journal.edit_entry(entry.id, **changes)
    save(journal)
    out(edited.id)
    return 0


def _change_record(args: argparse.Namespace, change: Callable[[Journal, str], Record]) -> int:
    """Open the journal, make one change to record ID, save, print the record's id."""
    journal = open_journal(args)
    record = change(journal, args.id)
    save(journal)
    out(record.id)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """`tandem delete`: leave a tombstone in place of a record; prints its id."""
    return _change_record(args, lambda journal, record_id: journal.delete(record_id))


def cmd_finalize(args: argparse.Namespace) -> int:
    """`tandem finalize`: lock a session note; prints its id."""
    return _change_record(args, lambda journal, record_id: journal.finalize(record_id))


def cmd_addendum(args: argparse.Namespace) -> int:
    """`tandem addendum`: amend a finalized session note; prints the addendum's id."""
    body = terminal.body_text(args)
    if not body.strip():
        raise UsageError("an addendum needs --body TEXT (or text on stdin)")
    return _change_record(args, lambda journal, record_id: journal.add_addendum(record_id, body))
