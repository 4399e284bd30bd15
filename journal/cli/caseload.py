"""`tandem caseload` and `tandem search`, and `tandem sync` without PATH: many journals at once.

    tandem caseload                      # the recent journals, what needs you first
    tandem caseload a.tandem b.tandem --json
    tandem caseload --sessions --days 7  # the coming week's sessions, every journal
    tandem caseload --ics -o week.ics    # ... as one calendar file
    tandem search "sleep" [PATH...]      # every journal that opens
    tandem sync                          # each journal's drive copies

Keys come from the agent when it holds them, else from TANDEM_PASSPHRASE or
--passphrase-file, else (in a terminal) one prompt whose passphrase is tried
on every journal still locked. A journal that does not open is listed with
its state and never stops the others (journal/caseload.py).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.cli import terminal
from journal.cli.opening import agent_for, given_passphrase, tell_notices
from journal.cli.output import TITLE_WIDTH, err, out, out_json, out_lines, table
from journal.cli.parser import Commands, TandemArgumentParser, add_no_agent, positive_int
from journal.errors import UsageError
from journal.text import clip, plural, safe_line

if TYPE_CHECKING:
    from journal.caseload import Case
    from journal.journal import Journal

NAME_WIDTH = 32


def register(commands: Commands) -> None:
    """Define `caseload` and `search`."""
    commands.add("caseload", cmd_caseload, _caseload_arguments, unlocks=False)
    commands.add("search", cmd_search, _search_arguments, unlocks=False)


def add_many_arguments(p: TandemArgumentParser) -> None:
    """PATH... (default: the recent journals), --passphrase-file and --no-agent."""
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="journal files (default: the recent journals)"
    )
    p.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help="read one passphrase, tried on every journal, from the first line of FILE",
    )
    add_no_agent(p)


def _caseload_arguments(p: TandemArgumentParser) -> None:
    add_many_arguments(p)
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.add_argument("--sessions", action="store_true", help="list the coming sessions instead")
    p.add_argument("--days", type=positive_int, default=7, help="with --sessions/--ics: 7")
    p.add_argument("--ics", action="store_true", help="write the coming sessions as a calendar")
    p.add_argument("-o", "--output", metavar="FILE", help="with --ics: the file to write")


def _search_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("text", metavar="TEXT", help="the text to look for (any case)")
    add_many_arguments(p)
    p.add_argument("--json", action="store_true", help="print a JSON list")


# --- opening many journals --------------------------------------------------------------


def caseload_paths(given: list[str]) -> list[Path]:
    """The journals named, or else the recent ones (missing ones too: they are listed)."""
    if given:
        return [Path(p) for p in given]
    from journal.recent import recent

    paths = [item.path for item in recent()]
    if not paths:
        raise UsageError("no recent journals: name the journal files (PATH...)")
    return paths


def open_all(args: argparse.Namespace) -> Iterator[tuple[Case, Journal | None]]:
    """Each journal's case and, when it opened, the journal, in the order named.

    Held keys first (the agent); then the given passphrase; then, in a
    terminal, one prompt for every journal still locked (empty skips).
    """
    from journal.caseload import open_case

    paths = caseload_paths(list(args.paths))
    holder = agent_for(args)
    secret = given_passphrase(args)
    found = [open_case(path, holder=holder, secret=secret) for path in paths]
    typed = _ask_once([case for case, _journal in found], secret)
    if typed:
        for n, (case, _journal) in enumerate(found):
            if case.state == "locked":
                found[n] = open_case(paths[n], holder=holder, secret=typed)
    yield from found


def read_all(args: argparse.Namespace) -> list[Case]:
    """Each journal's case, in the order named, as `open_all` unlocks them.

    A large caseload is read by a worker process per core (journal/caseload_pool.py).
    """
    from journal.caseload_pool import read_cases

    paths = caseload_paths(list(args.paths))
    holder = agent_for(args)
    secret = given_passphrase(args)
    found = {case.path: case for case in read_cases(paths, holder=holder, secret=secret)}
    typed = _ask_once(list(found.values()), secret)
    if typed:
        locked = [path for path, case in found.items() if case.state == "locked"]
        found.update((case.path, case) for case in read_cases(locked, holder=holder, secret=typed))
    return [found[path] for path in paths]


def _ask_once(cases: list[Case], secret: str | None) -> str | None:
    """In a terminal, with no passphrase given: one passphrase for every locked journal."""
    locked = [case for case in cases if case.state == "locked"]
    if not locked or secret is not None or not terminal.terminal_available():
        return None
    names = ", ".join(safe_line(case.path.name) for case in locked)
    return terminal.ask_hidden(f"Passphrase for {names} (Enter to skip): ") or None


def _name(case: Case) -> str:
    return clip(safe_line(case.name), NAME_WIDTH)


# --- tandem caseload -----------------------------------------------------------------------


def cmd_caseload(args: argparse.Namespace) -> int:
    """`tandem caseload`: each journal and what needs you there, what needs you first."""
    if args.output and not args.ics:
        raise UsageError("-o/--output goes with --ics")
    if args.ics and not args.output:
        raise UsageError("--ics needs -o FILE, the calendar file to write")
    if args.sessions or args.ics:
        return _sessions(args)
    from journal.caseload import sort_cases

    cases = sort_cases(read_all(args))
    if args.json:
        out_json([case.to_json() for case in cases])
        return 0
    rows = [[_name(case), safe_line(case.line()), safe_line(case.path.name)] for case in cases]
    out_lines(table(["JOURNAL", "WHAT WAITS", "FILE"], rows))
    closed = [case for case in cases if not case.is_open]
    if closed:
        states = sorted({case.state for case in closed})
        hint = " (tandem unlock PATH... with the agent on)" if "locked" in states else ""
        err(f"{plural(len(closed), 'journal')} not open: {', '.join(states)}{hint}")
    return 0


def _sessions(args: argparse.Namespace) -> int:
    from journal.caseload import caseload_calendar, sessions_ahead

    opened = list(open_all(args))
    journals = [journal for _case, journal in opened if journal is not None]
    sessions = [s for journal in journals for s in sessions_ahead(journal, days=args.days)]
    sessions.sort(key=lambda s: (s.starts_at, s.journal, s.session_id))
    closed = [case for case, journal in opened if journal is None]
    for case in closed:
        err(f"{case.path}: {case.line()}")
    if args.ics:
        text = caseload_calendar(journals, days=args.days)
        _write_text(Path(args.output), text)
        out(
            f"Wrote {plural(len(sessions), 'session')} of the next {plural(args.days, 'day')} "
            f"from {plural(len(journals), 'journal')} to {safe_line(args.output)}."
        )
        return 0
    if args.json:
        out_json([s.to_json() for s in sessions])
        return 0
    if not sessions:
        out(f"No sessions planned in the next {plural(args.days, 'day')}.")
        return 0
    rows = [
        [
            s.starts_at.replace("T", " "),
            f"{s.duration_min} min",
            clip(safe_line(s.journal), TITLE_WIDTH),
            safe_line(s.location),
        ]
        for s in sessions
    ]
    out_lines(table(["WHEN", "LENGTH", "JOURNAL", "WHERE"], rows))
    return 0


def _write_text(path: Path, text: str) -> None:
    from journal.ondisk import atomic_write

    if path.is_dir():
        raise UsageError(f"{path} is a folder; name the calendar file to write")
    if not path.parent.is_dir():
        raise UsageError(f"the folder {path.parent} does not exist")
    atomic_write(path, text.encode("utf-8"))


# --- tandem search ---------------------------------------------------------------------------


def cmd_search(args: argparse.Namespace) -> int:
    """`tandem search TEXT [PATH...]`: the entries holding TEXT, in every journal that opens."""
    from journal.caseload import search_journal
    from journal.merge_report import short_id

    if not args.text.strip():
        raise UsageError("give some text to look for")
    found: list[dict[str, Any]] = []
    rows: list[list[str]] = []
    for case, journal in open_all(args):
        if journal is None:
            err(f"{case.path}: {case.line()}")
            continue
        title = journal.title
        for doc in search_journal(journal, args.text):
            found.append(
                {
                    "path": str(journal.path),
                    "journal": title,
                    "id": doc["id"],
                    "kind": doc.get("kind", ""),
                    "title": doc.get("title", ""),
                    "occurred_at": doc.get("occurred_at", ""),
                }
            )
            rows.append(
                [
                    clip(safe_line(title), NAME_WIDTH),
                    str(doc.get("occurred_at", ""))[:16].replace("T", " "),
                    str(doc.get("kind", "")),
                    clip(safe_line(str(doc.get("title", ""))), TITLE_WIDTH),
                    short_id(doc["id"]),
                ]
            )
    if args.json:
        out_json(found)
        return 0
    if not rows:
        err("no entries found")
        return 0
    out_lines(table(["JOURNAL", "WHEN", "KIND", "TITLE", "ID"], rows))
    return 0


# --- tandem sync without PATH ------------------------------------------------------------------


def sync_caseload(args: argparse.Namespace) -> int:
    """`tandem sync` with no PATH: merge and archive each recent journal's drive copies."""
    from journal.copies import sync_copies

    reports: list[dict[str, Any]] = []
    for case, journal in open_all(args):
        if journal is None:
            reports.append({"path": str(case.path), "state": case.state, "reason": case.reason})
            if not args.json:
                out(f"{safe_line(case.name)}: {case.line()}")
            continue
        result = sync_copies(journal, dry_run=args.dry_run, force=args.force)
        tell_notices(journal)
        item = {
            "path": str(journal.path),
            "state": case.state,
            "merged": sorted({copy.path.name for copy, _report in result.merged}),
            "skipped": [{"file": c.path.name, "reason": why} for c, why in result.skipped],
            "archived": [str(p) for p in result.archived],
            "other_copies": [p.name for p in result.other_copies],
        }
        reports.append(item)
        if not args.json:
            out(f"{safe_line(case.name)}: {_sync_line(item, args.dry_run)}")
    if args.json:
        out_json({"dry_run": bool(args.dry_run), "journals": reports})
    return 0


def _sync_line(item: dict[str, Any], dry_run: bool) -> str:
    merged, skipped = item["merged"], item["skipped"]
    if not merged and not skipped:
        return "no conflict copies"
    parts = []
    if merged:
        verb = "would merge" if dry_run else "merged"
        parts.append(f"{verb} {plural(len(merged), 'copy')}")
    if skipped:
        parts.append(f"skipped {plural(len(skipped), 'copy')} ({safe_line(skipped[0]['reason'])})")
    return "; ".join(parts)
