"""`tandem verify`, `import` and `export`: checking the file, and files in and out.

An export is plain text (NOT encrypted): the command says so on stderr.
"""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.cli.opening import open_journal, precheck, save
from journal.cli.output import err, local_time, missing_module, out, out_json, out_lines
from journal.cli.parser import Commands, TandemArgumentParser, parse_date
from journal.cli.records import names
from journal.errors import DamagedFile, NotFound, TandemError, UsageError
from journal.merge_report import short_id
from journal.model import ENTRY_KINDS, TABLES
from journal.text import plural, safe_line

if TYPE_CHECKING:
    from journal.journal import Journal
    from journal.reports import ExportFilters


def register(commands: Commands) -> None:
    """Define `verify`, `import` and `export`."""
    commands.add("verify", cmd_verify, _verify_arguments)
    commands.add("import", cmd_import, _import_arguments)
    commands.add("export", cmd_export, _export_arguments)


def _verify_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="the checks and counts as JSON")


def _import_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("--kind", choices=ENTRY_KINDS, help="the kind of the imported entries")


def _export_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("--format", required=True, choices=("html", "md", "csv", "json", "ics"))
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="the file to write; for csv a folder, or a name ending in .zip",
    )
    p.add_argument(
        "--preset",
        choices=("meeting", "full"),
        help="meeting: the goals with their charts and the last 4 weeks' highlights (no "
        "drafts, check-ins, questions or threads), to hand to a school or a doctor; "
        "full: everything (the default)",
    )
    p.add_argument("--from", dest="since", metavar="DATE")
    p.add_argument("--to", dest="until", metavar="DATE")
    p.add_argument("--kind", choices=ENTRY_KINDS, action="append", help="repeat for several")
    p.add_argument(
        "--goal",
        metavar="ID",
        action="append",
        help="only this goal (id or prefix) and its objectives; repeat for several",
    )
    p.add_argument(
        "--pseudonym",
        metavar="NAME",
        help="replace the child's name with NAME, and the members' names with their roles "
        "('Parent 1', 'Therapist')",
    )
    p.add_argument("--names", action="store_true", help="with --pseudonym: keep the members' names")


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
                    f"this file is damaged: record {short_id(str(key))} in {table_name} "
                    "cannot be read"
                ) from error
            count += 1
    return count


def cmd_verify(args: argparse.Namespace) -> int:
    """`tandem verify`: check structure, checksum, unlock, decryption, every record and every
    signature; exit 4 when any change carries an invalid signature (docs/SYNC.md)."""
    precheck(args.path)
    journal = open_journal(args)
    records = _check_records(journal)
    try:
        stats = journal.stats()
    except NotFound as error:
        raise DamagedFile("this file is damaged: its journal page is missing") from error
    signatures = journal.verify_signatures()
    known = names(journal)
    problems = [
        {
            "table": held.table,
            "id": held.record_id,
            "change": held.dot,
            "member": known.get(held.member, "unknown"),
            "member_id": held.member,
            "reason": held.reason,
            "detail": held.detail,
        }
        for held in signatures.problems
    ]
    counts = {
        "verified": signatures.verified,
        "carried_over": signatures.carried,
        "unsigned": signatures.unsigned,
        "invalid": signatures.invalid,
    }
    if args.json:
        out_json(
            {
                "file": str(args.path),
                "ok": signatures.invalid == 0,
                "format": journal.file.format,
                "records": records,
                "signatures": counts,
                "problems": problems,
            }
        )
        return 4 if signatures.invalid else 0
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
        f"Last change:  {local_time(stats.last_change) or '-'}",
        f"Signatures:   {counts['verified']} verified, {counts['carried_over']} carried over "
        f"from format 2, {counts['unsigned']} unsigned, {counts['invalid']} invalid",
    ]
    lines.extend(
        f"  not valid: {p['table']} {short_id(p['id'])}, a change in {p['member']}'s name: "
        f"{p['detail']}"
        for p in problems[:20]
    )
    out_lines([safe_line(line) for line in lines])
    if signatures.invalid:
        err(
            f"{plural(signatures.invalid, 'change')} in this file carry an invalid signature: "
            "someone holding the key changed them (see above)"
        )
        return 4
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
        from journal.reports import import_file
    except ModuleNotFoundError as error:
        raise missing_module(error) from None

    journal = open_journal(args)
    result = import_file(journal, source, **({"kind": args.kind} if args.kind else {}))
    save(journal)
    added, skipped = _count(result.added), _count(result.skipped)
    out(
        f"Imported {plural(added, 'record')} from {safe_line(str(source))} "
        f"({safe_line(str(result.format))}); skipped {skipped}."
    )
    return 0


def _one_or_many(values: list[str] | None) -> str | list[str] | None:
    """A repeatable option's values: None, one value, or the list of them."""
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def cmd_export(args: argparse.Namespace) -> int:
    """`tandem export`: write a plain HTML, Markdown, CSV, JSON or calendar (ics) export
    (NOT encrypted)."""
    since = parse_date(args.since, "--from date") if args.since else None
    until = parse_date(args.until, "--to date") if args.until else None
    if since and until and since > until:
        raise UsageError("--from is after --to")
    try:
        from journal.reports import export_to
    except ModuleNotFoundError as error:
        raise missing_module(error) from None

    if args.names and args.pseudonym is None:
        raise UsageError("--names goes with --pseudonym (names are kept without it)")
    journal = open_journal(args)
    out_path = Path(args.output)
    filters: ExportFilters = {
        "since": since,
        "until": until,
        "kind": _one_or_many(args.kind),
        "goal": _one_or_many(args.goal),
        "pseudonym": args.pseudonym,
    }
    if args.names:
        filters["names"] = True
    if args.preset is not None:
        from journal.reports import preset_filters

        filters = preset_filters(args.preset, filters, today=date.today().isoformat())
    warning = export_to(journal, args.format, out_path, **filters)
    err(f"warning: {warning}; anyone who can read it can read what it holds")
    out(f"Exported to {safe_line(str(out_path))}.")
    return 0
