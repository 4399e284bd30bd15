"""`tandem event add|list`: dated events that explain a curve ("started melatonin").

Goal charts draw them as labelled vertical lines (docs/MODEL.md, `events`).
An event concerns every goal unless `--goal` names the ones it concerns.
Deleting one is `tandem delete PATH ID`, like any record.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from journal.cli.groups import add_group
from journal.cli.opening import open_journal, save
from journal.cli.output import TITLE_WIDTH, out, out_json, out_lines, table
from journal.cli.parser import Commands, TandemArgumentParser, parse_date
from journal.cli.records import names, who_json
from journal.merge_report import short_id
from journal.text import clip, safe_line

if TYPE_CHECKING:
    from journal.model import Event


def register(commands: Commands) -> None:
    """Define `event` and its subcommands `add` and `list`."""
    add_group(
        commands,
        "event",
        [
            ("add", "add a dated event and print its id", cmd_event_add, _add_arguments),
            ("list", "list events, oldest first", cmd_event_list, _list_arguments),
        ],
    )


def _add_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("--when", required=True, metavar="YYYY-MM-DD", help="the day it happened")
    p.add_argument("--title", required=True, help="e.g. 'started melatonin'")
    p.add_argument("--note", default="")
    p.add_argument(
        "--goal",
        action="append",
        default=[],
        metavar="ID",
        help="a goal it concerns (repeat for several; none: every goal)",
    )


def _list_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("--goal", metavar="ID", help="only the events on this goal's chart")
    p.add_argument("--json", action="store_true")


def event_json(event: Event, members: dict[str, str]) -> dict[str, Any]:
    """An event as JSON: its day, title, note, the goals it concerns, who wrote it."""
    return {
        "type": "event",
        "id": event.id,
        "date": event.date,
        "title": event.title,
        "note": event.note,
        "goals": list(event.goals),
        **who_json(event, members),
    }


def cmd_event_add(args: argparse.Namespace) -> int:
    """`tandem event add`: add an event; prints its id."""
    when = parse_date(args.when, "--when date")
    journal = open_journal(args)
    event = journal.add_event(when, args.title, note=args.note, goals=args.goal)
    save(journal)
    out(event.id)
    return 0


def cmd_event_list(args: argparse.Namespace) -> int:
    """`tandem event list`: every event (or one goal's), oldest first."""
    journal = open_journal(args)
    goal_id = None
    if args.goal:
        from journal.model import Goal

        goal_id = journal.get(Goal, args.goal).id
    events = journal.events(goal_id)
    members = names(journal)
    if args.json:
        out_json([event_json(e, members) for e in events])
        return 0
    if not events:
        sys.stderr.write("no events\n")
        return 0
    titles = {g.id: g.title for g in journal.goals()}
    rows = [
        [
            e.date,
            clip(safe_line(e.title), TITLE_WIDTH),
            clip(safe_line(", ".join(titles.get(g, short_id(g)) for g in e.goals)), 30)
            or "every goal",
            safe_line(members.get(e.author, "unknown")),
            short_id(e.id),
        ]
        for e in events
    ]
    out_lines(table(("DATE", "TITLE", "GOALS", "BY", "ID"), rows))
    return 0
