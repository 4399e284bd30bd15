"""`tandem resolve`: settle a record changed on two copies at once.

Keep one of the versions `tandem show` numbers (--keep N), write a merged
value (--body, --title, --value), or settle a deletion that a concurrent
edit overrode (--keep-record, --delete).
"""

from __future__ import annotations

import argparse
from typing import Any

from journal.cli.entries import parse_fields
from journal.cli.opening import open_journal, save
from journal.cli.output import err, out
from journal.cli.parser import Commands, TandemArgumentParser
from journal.cli.records import stored_doc
from journal.errors import UsageError
from journal.merge_report import conflict_state, short_id
from journal.model import Entry


def register(commands: Commands) -> None:
    """Define `resolve`."""
    commands.add("resolve", cmd_resolve, _arguments)


def _arguments(p: TandemArgumentParser) -> None:
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
    journal = open_journal(args)
    record = journal.find(args.id)
    units, overridden = conflict_state(stored_doc(journal, record))
    if args.keep_record or args.delete:
        if not overridden:
            raise UsageError(
                f"{short_id(record.id)} was not deleted by anyone else; "
                "to delete it, use 'tandem delete'"
            )
        if args.field is not None:
            raise UsageError("--field goes with --keep, --body, --title or --value")
        if args.keep_record:
            resolved = journal.keep_deleted_record(record.id)
        else:
            resolved = journal.delete(record.id)
        save(journal)
        out(resolved.id)
        return 0
    if not units:
        raise UsageError(f"{short_id(record.id)} has no conflict to resolve")
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
            value = parse_fields(record.kind, [f"{name}={text}"]).get(name, text)
        else:
            value = _typed_value(text, versions, unit)
        resolved = journal.resolve(record.id, unit, value=value)
    save(journal)
    left = [u for u in units if u != unit]
    if left:
        err(f"still in conflict: {', '.join(left)} (see 'tandem show')")
    out(resolved.id)
    return 0
