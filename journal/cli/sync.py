"""`tandem merge` and `tandem sync`: bring in copies of the journal and report what came.

`merge` takes copies received by email or from a drive; `sync` finds the
conflict copies a shared drive left beside the journal, merges them and moves
them to an archive folder. Each copy gets one report line (or JSON) in the
words of `journal.merge_report`, which the app uses too. A copy that would
delete more than half the records needs --force (or a yes on the terminal).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.cli import terminal
from journal.cli.opening import open_journal, save, tell_notices
from journal.cli.output import err, out, out_json
from journal.cli.parser import PROG, Commands, TandemArgumentParser
from journal.errors import TandemError
from journal.merge_report import MergeDescription, clock_warning, describe_merge
from journal.text import plural, safe_line

if TYPE_CHECKING:
    from journal.journal import Journal

_FORCE_HELP = "merge even if it deletes more than half the records"


def register(commands: Commands) -> None:
    """Define `merge` and `sync`."""
    commands.add("merge", cmd_merge, _merge_arguments)
    commands.add("sync", cmd_sync, _sync_arguments, unlocks=False)  # PATH is optional


def _merge_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("others", nargs="+", metavar="OTHER", help="a received copy of the journal")
    p.add_argument("--dry-run", action="store_true", help="only report; write nothing")
    p.add_argument("--force", action="store_true", help=_FORCE_HELP)
    p.add_argument("--json", action="store_true", help="print the change report as JSON")
    p.add_argument(
        "--carry-over",
        action="store_true",
        help="owners: take the unsigned changes of a copy made before format 3, signed by you",
    )


def _sync_arguments(p: TandemArgumentParser) -> None:
    from journal.cli.caseload import add_many_arguments

    add_many_arguments(p)  # no PATH: every recent journal (journal/cli/caseload.py)
    p.add_argument("--dry-run", action="store_true", help="only report; write or move nothing")
    p.add_argument("--force", action="store_true", help=_FORCE_HELP)
    p.add_argument("--json", action="store_true", help="print the report as JSON")


def _copy_name(path: str | Path) -> str:
    return safe_line(Path(path).name)


def _in_copy(name: str, error: TandemError) -> TandemError:
    """The same error, naming the received copy it is about (same exit code)."""
    message = str(error)
    if name not in message:
        message = f"{name}: {message}"
    renamed = TandemError(f"{message}; nothing was written")
    renamed.exit_code = error.exit_code
    return renamed


def _print_reports(reports: list[MergeDescription], verb: str) -> None:
    for item in reports:
        out(f"{verb} {item.name}: {item.line()}")


def _warn_clocks(reports: list[MergeDescription]) -> None:
    for item in reports:
        if warning := clock_warning(item.report.clock):
            err(f"warning: {item.name}: {warning}")


def _warn_mass_deletions(reports: list[MergeDescription], force: bool) -> None:
    for item in reports:
        if item.report.deletes_too_much() and not force:
            err(
                f"warning: {item.name} would delete {item.report.deleted_count} of "
                f"{item.report.live_before} records: merging it needs --force"
            )


def _conflict_hint(path: str, reports: list[MergeDescription]) -> None:
    import shlex

    if any(item.conflicts or item.kept for item in reports):
        quoted = shlex.quote(path)
        out(
            f"To resolve: 'tandem show {quoted} ID' lists the versions; "
            f"'tandem list {quoted} --conflicts' lists every record in conflict."
        )


def _merge_one(journal: Journal, other: str, args: argparse.Namespace) -> MergeDescription:
    """Merge one received copy in memory; ask (or refuse) when it deletes too much."""
    from journal.errors import MergeTooDestructive

    name = _copy_name(other)
    before = journal.document()
    try:
        # A dry run merges in memory too (never saved), so several copies add up.
        report = journal.merge_copy(
            other, force=args.force or args.dry_run, carry_over=args.carry_over
        )
    except MergeTooDestructive as error:
        refused: Any = error.report
        item = describe_merge(refused, before=before, name=name)
        stop = (
            f"{name}: this merge would delete {refused.deleted_count} of "
            f"{refused.live_before} records"
        )
        if not terminal.stdin_is_terminal():
            raise TandemError(
                f"{stop}; look at that copy first (--dry-run), or use --force to merge "
                "anyway; nothing was written"
            ) from None
        sys.stderr.write(f"From {name}: {item.line()}\n")
        if not terminal.confirm(f"{PROG}: {stop}. Merge it anyway?"):
            raise TandemError("stopped; nothing was written") from None
        report = journal.merge_copy(other, force=True, carry_over=args.carry_over)
    except TandemError as error:
        raise _in_copy(name, error) from None
    return describe_merge(report, before=before, after=journal.document(), name=name)


def cmd_merge(args: argparse.Namespace) -> int:
    """`tandem merge`: merge received copies into the journal, save once, report."""
    for other in args.others:
        if not Path(other).is_file():
            raise TandemError(f"no journal at {other}; nothing was merged")
    journal = open_journal(args)
    reports = [_merge_one(journal, other, args) for other in args.others]
    saved = False
    if not args.dry_run:
        saved = journal.dirty
        save(journal)
    if args.json:
        out_json(
            {
                "path": str(args.path),
                "dry_run": bool(args.dry_run),
                "saved": saved,
                "copies": [item.to_json() for item in reports],
            }
        )
        _warn_clocks(reports)
        return 0
    _print_reports(reports, "From")
    _warn_clocks(reports)
    if args.dry_run:
        _warn_mass_deletions(reports, args.force)
        out("Dry run: nothing was written.")
    elif saved:
        out(f"Saved {safe_line(str(args.path))}.")
    else:
        out(f"Nothing new; {safe_line(str(args.path))} is unchanged.")
    if not args.dry_run:
        _conflict_hint(str(args.path), reports)
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    """`tandem sync`: merge the drives' conflict copies beside the journal, then archive them."""
    from journal.copies import archive_folder, find_conflict_copies, other_copy_note, sync_copies

    if len(args.paths) != 1:
        from journal.cli.caseload import sync_caseload

        return sync_caseload(args)
    args.path = args.paths[0]
    journal = open_journal(args)
    found = find_conflict_copies(journal.path)
    before = journal.document()
    result = sync_copies(journal, dry_run=args.dry_run, force=args.force)
    tell_notices(journal)
    after = None if args.dry_run else journal.document()
    reports = [
        describe_merge(report, before=before, after=after, name=_copy_name(copy.path))
        for copy, report in result.merged
    ]
    folder = archive_folder(journal.path)
    if args.json:
        services = {c.path: c.service for c in found}
        out_json(
            {
                "path": str(args.path),
                "dry_run": bool(args.dry_run),
                "found": [{"file": c.path.name, "service": c.service} for c in found],
                "merged": [
                    {**item.to_json(), "service": services.get(copy.path, copy.service)}
                    for item, (copy, _r) in zip(reports, result.merged, strict=True)
                ],
                "skipped": [
                    {"file": c.path.name, "service": c.service, "reason": reason}
                    for c, reason in result.skipped
                ],
                "archived": [str(p) for p in result.archived],
                "other_copies": [p.name for p in result.other_copies],
            }
        )
        _warn_clocks(reports)
        return 0
    where = safe_line(journal.path.name)
    for other in result.other_copies:
        out(safe_line(other_copy_note(other)))
    if not found and not result.merged and not result.skipped:
        out(f"No conflict copies beside {where}.")
        return 0
    out(f"Found {plural(len(found), 'copy')} beside {where}:")
    width = max(len(c.service) for c in found) if found else 0
    for copy in found:
        out(f"  {copy.service.ljust(width)}  {_copy_name(copy.path)}")
    _print_reports(reports, "Would merge" if args.dry_run else "Merged")
    for copy, reason in result.skipped:
        out(f"Skipped {_copy_name(copy.path)}: {safe_line(reason)}; left where it is")
    _warn_clocks(reports)
    if args.dry_run:
        _warn_mass_deletions(reports, args.force)
        out("Dry run: nothing was written or moved.")
        return 0
    if result.archived:
        out(
            f"Moved {plural(len(result.archived), 'merged copy')} "
            f"to {safe_line(str(folder))}{os.sep} (nothing was deleted)."
        )
    _conflict_hint(str(args.path), reports)
    return 0
