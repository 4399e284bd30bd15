"""`tandem goal add|list|record`, and a goal as `tandem show` prints it.

Scores and criteria read as `journal.goals` words them, like everywhere else.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from journal import goals as goal_rules
from journal.cli.opening import open_journal, save
from journal.cli.output import (
    TITLE_WIDTH,
    local_time,
    out,
    out_json,
    out_lines,
    table,
    underline,
)
from journal.cli.parser import (
    Commands,
    TandemArgumentParser,
    finite_float,
    non_negative_int,
    parse_date,
    positive_int,
)
from journal.cli.records import (
    comment_json,
    conflict_lines,
    conflicts_json,
    names,
    thread_lines,
    thread_of,
    who_json,
    who_line,
)
from journal.errors import UsageError
from journal.merge_report import short_id
from journal.model import GOAL_STATUSES, MEASURES, Goal, Measurement
from journal.text import clip, safe_line, safe_text

if TYPE_CHECKING:
    from journal.journal import Journal


def register(commands: Commands) -> None:
    """Define `goal` and its subcommands `add`, `list` and `record`."""

    def goal_commands(goal: TandemArgumentParser) -> None:
        sub = goal.add_subparsers(dest="goal_command", metavar="COMMAND", required=True)
        unlock = [commands.unlock]
        gp: TandemArgumentParser = sub.add_parser(
            "add", help="add a goal and print its id", parents=unlock
        )
        gp.add_argument("--title", required=True)
        gp.add_argument("--measure", choices=MEASURES, default="percent")
        gp.add_argument("--domain", default="")
        gp.add_argument("--criterion", type=finite_float, metavar="VALUE", help="mastery value")
        gp.add_argument(
            "--sessions",
            type=positive_int,
            default=goal_rules.DEFAULT_SESSIONS,
            metavar="N",
            help="consecutive sessions",
        )
        gp.add_argument("--status", choices=GOAL_STATUSES, default="baseline")
        gp.set_defaults(run=cmd_goal_add)
        gp = sub.add_parser("list", help="list goals", parents=unlock)
        gp.add_argument("--json", action="store_true")
        gp.set_defaults(run=cmd_goal_list)
        gp = sub.add_parser("record", help="record a measurement and print its id", parents=unlock)
        gp.add_argument("goal_id", metavar="GOAL_ID")
        gp.add_argument("--value", type=finite_float, metavar="V")
        gp.add_argument("--correct", type=non_negative_int, metavar="C")
        gp.add_argument("--total", type=non_negative_int, metavar="T")
        gp.add_argument("--prompt", default="", metavar="LEVEL", help="prompt level")
        gp.add_argument("--setting", default="", metavar="S")
        gp.add_argument("--note", default="", metavar="N")
        gp.add_argument("--date", metavar="YYYY-MM-DD")
        gp.set_defaults(run=cmd_goal_record)

    commands.add("goal", None, goal_commands, unlocks=False)


def format_score(goal: Goal, measurement: Measurement | None) -> str:
    """A data point's result: '80% (8/10)', '12', '4.5 min', '4/5'; '-' for none."""
    if measurement is None:
        return "-"
    m = measurement
    text = goal_rules.score_text(goal.measure, m.correct, m.total, m.value)
    if text and m.correct is not None and m.total:
        text += f" ({m.correct}/{m.total})"
    return text or "-"


def goal_json(journal: Journal, goal: Goal) -> dict[str, Any]:
    """A goal as JSON: its criterion, whether it is met, its last result, its conflicts."""
    measurements = journal.measurements(goal.id)
    last = measurements[-1] if measurements else None
    members = names(journal)
    return {
        "type": "goal",
        "id": goal.id,
        "title": goal.title,
        "status": goal.status,
        "measure": goal.measure,
        "domain": goal.domain,
        "criterion": goal.criterion_text(),
        "criterion_value": goal.criterion_value,
        "criterion_sessions": goal.criterion_sessions,
        "criterion_met": journal.criterion_met(goal.id),
        "last_value": last.score if last else None,
        "last_date": last.date if last else None,
        "measurements": len(measurements),
        "author": members.get(goal.author, "unknown"),
        "author_id": goal.author,
        **who_json(goal, members),
        **conflicts_json(journal, goal, members),
    }


def _measurement_json(measurement: Measurement, members: dict[str, str]) -> dict[str, Any]:
    return {
        "id": measurement.id,
        "date": measurement.date,
        "value": measurement.value,
        "correct": measurement.correct,
        "total": measurement.total,
        "score": measurement.score,
        "prompt": measurement.prompt,
        "setting": measurement.setting,
        "note": measurement.note,
        "author": members.get(measurement.author, "unknown"),
        "author_id": measurement.author,
        **who_json(measurement, members),
    }


def show_goal(journal: Journal, goal: Goal, args: argparse.Namespace) -> int:
    """`tandem show` of a goal: its criterion, data, conflicts and thread."""
    thread, status = thread_of(journal, goal.id)
    measurements = journal.measurements(goal.id)
    members = names(journal)
    if args.json:
        data = goal_json(journal, goal)
        data["description"] = goal.description
        data["data"] = [_measurement_json(m, members) for m in measurements]
        data["comments"] = [comment_json(c, members) for c in thread]
        data["thread_status"] = status
        out_json(data)
        return 0
    title = safe_line(goal.title)
    lines = [title, underline(title)]
    lines.append(f"Status:    {goal.status}")
    lines.append(f"Measure:   {goal.measure}")
    if goal.domain:
        lines.append(f"Domain:    {safe_line(goal.domain)}")
    met = "yes" if journal.criterion_met(goal.id) else "no"
    lines.append(f"Criterion: {goal.criterion_text()} (met: {met})")
    lines.append(f"History:   {who_line(goal, members)}")
    if goal.deleted_at:
        lines.append(f"Deleted:   {local_time(goal.deleted_at)}")
    lines.append(f"ID:        {goal.id}")
    if goal.description.strip():
        lines.append("")
        lines.extend(safe_text(goal.description.rstrip()).split("\n"))
    if measurements:
        lines.append("")
        rows = [
            [
                safe_line(m.date),
                format_score(goal, m),
                safe_line(m.prompt),
                clip(safe_line(m.note), TITLE_WIDTH),
            ]
            for m in measurements
        ]
        lines.extend(table(("DATE", "RESULT", "PROMPT", "NOTE"), rows))
    lines.extend(conflict_lines(journal, str(args.path), goal))
    lines.append("")
    lines.extend(thread_lines(thread, members, status))
    out_lines(lines)
    return 0


def cmd_goal_add(args: argparse.Namespace) -> int:
    """`tandem goal add`: add a goal; prints its id."""
    criterion = args.criterion
    if criterion is not None:
        if criterion <= 0:
            raise UsageError("the mastery criterion must be above 0")
        if args.measure == "percent" and criterion > 100:
            raise UsageError("a percent criterion is at most 100")
        if args.measure == "rating" and not 1 <= criterion <= 5:
            raise UsageError("a rating criterion is from 1 to 5")
    journal = open_journal(args)
    goal = journal.add_goal(
        args.title,
        measure=args.measure,
        domain=args.domain,
        status=args.status,
        criterion_value=criterion,
        criterion_sessions=args.sessions,
    )
    save(journal)
    out(goal.id)
    return 0


def cmd_goal_list(args: argparse.Namespace) -> int:
    """`tandem goal list`: goals with their criterion and last value."""
    journal = open_journal(args)
    goals = journal.goals()
    if args.json:
        out_json([goal_json(journal, g) for g in goals])
        return 0
    if not goals:
        sys.stderr.write("no goals\n")
        return 0
    rows = []
    for goal in goals:
        measurements = journal.measurements(goal.id)
        rows.append(
            [
                clip(safe_line(goal.title), TITLE_WIDTH),
                goal.status,
                goal.measure,
                goal.criterion_text(),
                format_score(goal, measurements[-1] if measurements else None),
                "yes" if journal.criterion_met(goal.id) else "no",
                short_id(goal.id),
            ]
        )
    header = ("TITLE", "STATUS", "MEASURE", "CRITERION", "LAST", "MET", "ID")
    out_lines(table(header, rows))
    return 0


def cmd_goal_record(args: argparse.Namespace) -> int:
    """`tandem goal record`: record a measurement; prints its id."""
    trials = args.correct is not None or args.total is not None
    if args.value is not None and trials:
        raise UsageError("give either --value V or --correct C --total T, not both")
    if args.value is None and (args.correct is None or args.total is None):
        raise UsageError("give --value V, or --correct C and --total T")
    if trials and args.total == 0:
        raise UsageError("--total must be at least 1")
    date = parse_date(args.date) if args.date else None
    journal = open_journal(args)
    goal = journal.get(Goal, args.goal_id)
    if goal.measure == "percent" and args.value is not None and not 0 <= args.value <= 100:
        raise UsageError("a percent value is from 0 to 100")
    if goal.measure != "percent" and trials:
        raise UsageError(f"a {goal.measure} goal takes --value, not --correct/--total")
    measurement = journal.record_measurement(
        goal.id,
        value=args.value,
        correct=args.correct,
        total=args.total,
        prompt=args.prompt,
        setting=args.setting,
        note=args.note,
        date=date,
    )
    save(journal)
    out(measurement.id)
    return 0
