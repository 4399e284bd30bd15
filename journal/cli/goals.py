"""`tandem goal add|list|record`, and a goal as `tandem show` prints it.

Scores and criteria read as `journal.goals` words them, like everywhere else.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from journal import goals as goal_rules
from journal.cli.groups import add_group
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
    trust_json,
    trust_line,
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
    add_group(
        commands,
        "goal",
        [
            ("add", "add a goal and print its id", cmd_goal_add, _add_arguments),
            ("list", "list goals", cmd_goal_list, _list_arguments),
            ("record", "record a measurement and print its id", cmd_goal_record, _record_arguments),
        ],
    )


def _add_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("--title", required=True)
    p.add_argument("--measure", choices=MEASURES, default="percent")
    p.add_argument("--domain", default="")
    p.add_argument("--criterion", type=finite_float, metavar="VALUE", help="mastery value")
    p.add_argument(
        "--sessions",
        type=positive_int,
        default=goal_rules.DEFAULT_SESSIONS,
        metavar="N",
        help="consecutive sessions",
    )
    p.add_argument("--status", choices=GOAL_STATUSES, default="baseline")


def _list_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("--json", action="store_true")


def _record_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("goal_id", metavar="GOAL_ID")
    p.add_argument("--value", type=finite_float, metavar="V")
    p.add_argument("--correct", type=non_negative_int, metavar="C")
    p.add_argument("--total", type=non_negative_int, metavar="T")
    p.add_argument(
        "--trials",
        metavar="TRIALS",
        help="trial by trial: + correct, - incorrect, a prompt level's letter "
        "(e.g. '++-+P+'; 'tandem show GOAL' lists the letters)",
    )
    p.add_argument("--count", type=non_negative_int, metavar="N", help="times counted")
    p.add_argument(
        "--minutes", type=finite_float, metavar="M", help="with --count: minutes observed"
    )
    p.add_argument(
        "--seconds",
        type=finite_float,
        action="append",
        metavar="S",
        help="an episode's seconds (repeat for several)",
    )
    p.add_argument("--prompt", default="", metavar="LEVEL", help="prompt level")
    p.add_argument("--setting", default="", metavar="S")
    p.add_argument("--observer", default="", metavar="NAME", help="who took the data")
    p.add_argument("--note", default="", metavar="N")
    p.add_argument("--date", metavar="YYYY-MM-DD")


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
        **{name: getattr(measurement, name) for name in LIVE_FIELDS},
        "author": members.get(measurement.author, "unknown"),
        "author_id": measurement.author,
        **who_json(measurement, members),
    }


LIVE_FIELDS = (
    "collector",
    "observer",
    "started_at",
    "ended_at",
    "prompts",
    "counts",
    "minutes",
    "rate",
    "episodes",
    "interval_kind",
    "interval_seconds",
    "intervals",
)
"""A data point's fields of data taken live (docs/MODEL.md), as `--json` prints them."""


def show_goal(journal: Journal, goal: Goal, args: argparse.Namespace) -> int:
    """`tandem show` of a goal: its criterion, data, conflicts and thread."""
    thread, status = thread_of(journal, goal.id)
    measurements = journal.measurements(goal.id)
    members = names(journal)
    if args.json:
        data = goal_json(journal, goal)
        data["description"] = goal.description
        data["trend"] = goal_rules.trend_sentence(goal, goal_rules.trend_points(measurements))
        if goal.measure == "percent":
            data["prompt_letters"] = goal_rules.prompt_letters(goal.prompt_levels)
        data["data"] = [_measurement_json(m, members) for m in measurements]
        data["comments"] = [comment_json(c, members) for c in thread]
        data["thread_status"] = status
        data.update(trust_json(journal, goal, members))
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
    lines.append(
        f"Trend:     {goal_rules.trend_sentence(goal, goal_rules.trend_points(measurements))}"
    )
    letters = goal_rules.prompt_letters(goal.prompt_levels)
    if goal.measure == "percent" and letters:
        keys = ", ".join(f"{letter} {safe_line(level)}" for level, letter in letters.items())
        lines.append(f"Trials:    + correct, - incorrect, {keys}")
    lines.append(f"History:   {who_line(goal, members)}")
    lines.append(trust_line(journal, goal, members).replace("Signed:  ", "Signed:    ", 1))
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
                clip(
                    safe_line("; ".join(filter(None, (goal_rules.live_text(m), m.note)))),
                    TITLE_WIDTH,
                ),
            ]
            for m in measurements
        ]
        lines.extend(table(("DATE", "RESULT", "PROMPT", "NOTE"), rows))
    events = journal.events(goal.id)
    if events:
        lines.append("")
        rows = [[e.date, clip(safe_line(e.title), TITLE_WIDTH)] for e in events]
        lines.extend(table(("EVENT", "TITLE"), rows))
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
        if problem := goal_rules.range_problem(args.measure, criterion):
            raise UsageError(f"the mastery criterion: {problem}")
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


_RECORD_FORMS = {
    "value": "--value V",
    "correct": "--correct C --total T",
    "trials": "--trials",
    "count": "--count N",
    "seconds": "--seconds S",
}


def _record_form(args: argparse.Namespace) -> str:
    """Which one way of giving the result the command line used (a UsageError unless one)."""
    given = [
        name
        for name, present in (
            ("value", args.value is not None),
            ("correct", args.correct is not None or args.total is not None),
            ("trials", args.trials is not None),
            ("count", args.count is not None),
            ("seconds", bool(args.seconds)),
        )
        if present
    ]
    if len(given) != 1:
        forms = ", ".join(_RECORD_FORMS.values())
        raise UsageError(f"give the result one way: {forms}")
    form = given[0]
    if args.minutes is not None and form != "count":
        raise UsageError("--minutes goes with --count N")
    if form == "correct" and (args.correct is None or args.total is None):
        raise UsageError("give --value V, or --correct C and --total T")
    if form == "correct" and args.total == 0:
        raise UsageError("--total must be at least 1")
    if form == "trials" and args.prompt:
        raise UsageError("--trials already holds the prompts; leave out --prompt")
    return form


_FORM_MEASURES = {"trials": "percent", "count": "count", "seconds": "duration"}


def _result(form: str, goal: Goal, args: argparse.Namespace) -> dict[str, Any]:
    """The result given on the command line as `Journal.record_measurement` takes it."""
    wanted = _FORM_MEASURES.get(form)
    if wanted is not None and goal.measure != wanted:
        raise UsageError(
            f"{_RECORD_FORMS[form]} records a {wanted} goal; this is a {goal.measure} goal"
        )
    if form == "value":
        if problem := goal_rules.range_problem(goal.measure, args.value):
            raise UsageError(problem)
        return {"value": args.value}
    if form == "correct":
        if goal.measure != "percent":
            raise UsageError(f"a {goal.measure} goal takes --value, not --correct/--total")
        return {"correct": args.correct, "total": args.total}
    if form == "trials":
        from journal.collect import trials_from_text  # only here: start-up stays short

        tally = trials_from_text(args.trials, goal.prompt_levels).result()
        return {
            "collector": "trials",
            "correct": tally.correct,
            "total": tally.total,
            "prompts": tally.prompts,
            "prompt": tally.prompt,
        }
    if form == "count":
        found: dict[str, Any] = {"value": float(args.count)}
        if args.minutes is not None:
            if args.minutes <= 0:
                raise UsageError("--minutes must be above 0")
            rate = round(args.count * 60 / args.minutes, 2)
            found.update(collector="frequency", minutes=args.minutes, rate=rate)
        return found
    if any(seconds < 0 for seconds in args.seconds):
        raise UsageError("--seconds must not be negative")
    total = sum(args.seconds)
    return {"collector": "duration", "value": round(total / 60, 2), "episodes": args.seconds}


def cmd_goal_record(args: argparse.Namespace) -> int:
    """`tandem goal record`: record a measurement; prints its id."""
    form = _record_form(args)
    date = parse_date(args.date) if args.date else None
    journal = open_journal(args)
    goal = journal.get(Goal, args.goal_id)
    result = _result(form, goal, args)
    result.setdefault("prompt", args.prompt)
    measurement = journal.record_measurement(
        goal.id,
        setting=args.setting,
        observer=" ".join(args.observer.split()),
        note=args.note,
        date=date,
        **result,
    )
    save(journal)
    out(measurement.id)
    return 0
