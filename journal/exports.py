"""Explicit exports of a journal (HTML, Markdown, CSV, JSON) and imports from JSON exports.

    warning = export_to(journal, "html", Path("report.html"), since="2025-03-01",
                        pseudonym="Alex")            # what `tandem export` and the app call
    text = export_markdown(journal, since="2025-03-01", pseudonym="Alex")
    write_export(journal.path, Path("report.md"), text)
    export_csv(journal, Path("tables.zip"))          # or a folder of CSV files
    preview = preview_export(journal, kind="incident")   # what an export would hold

    report = import_file(journal, Path("jrnl.json"))     # jrnl 4.x `--export json`
    report = import_file(journal, Path("backup.json"))   # Tandem's own JSON export
    journal.save()

An export is the only way Tandem writes a journal's contents in plaintext, so
every export is written atomically and refuses to write over the journal (or
any Tandem file), `export_to` returns the "NOT encrypted" warning for the
caller to show, and a report can replace the child's name with a pseudonym
(`pseudonymizer`, the same in every format). The HTML report itself is
`journal.report.export_html`.

Imports validate the whole source before they add anything, give every
record a stable id (so importing the same file twice adds nothing), and keep
the changes in memory: the caller saves the journal.
"""

from __future__ import annotations

import csv
import io
import json
import re
import types
import typing
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Union

from journal.errors import TandemError, UsageError
from journal.fileformat import MAGIC
from journal.journal import Journal
from journal.model import (
    ENTRY_KIND_LABELS,
    ENTRY_KINDS,
    GOAL_STATUSES,
    KIND_FIELDS,
    MEASURES,
    ROLES,
    SESSION_STATUSES,
    THREAD_STATUSES,
    Comment,
    Entry,
    Goal,
    JournalInfo,
    Measurement,
    Member,
    Record,
    Resource,
    Session,
    Thread,
    utc_now,
)
from journal.storage import atomic_write

EXPORT_VERSION = 1
"""The version of Tandem's JSON export (the value of its `tandem_export` key)."""

SYNC_KEYS = frozenset({"vv", "hlc", "conflicts", "dots", "writes", "deletion"})
"""Merge metadata that exports leave out: it only means something inside one file."""

SECTIONS: dict[str, type[Record]] = {
    "members": Member,
    "goals": Goal,
    "sessions": Session,
    "resources": Resource,
    "entries": Entry,
    "measurements": Measurement,
    "comments": Comment,
    "threads": Thread,
}
"""The record lists of a Tandem export, in the order an import inserts them."""

RESOURCE_KINDS = ("link", "reading", "video", "tip")
COMMENT_KINDS = ("comment", "addendum")
ENTRY_STATUSES = ("draft", "final")
MEMBER_PROFILE = ("background", "values", "what_works", "contact_times")

_DATE_PREFIX = re.compile(r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2})?)?)?")
_LOCAL_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?")
_JRNL_TIME = re.compile(r"\d{2}:\d{2}")
_UTC_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


# --- choosing what to export --------------------------------------------------


@dataclass
class Selection:
    """The records an export holds after its filters."""

    info: JournalInfo
    members: list[Member]
    entries: list[Entry]
    goals: list[Goal]
    measurements: list[Measurement]
    comments: list[Comment]
    threads: list[Thread]
    resources: list[Resource]
    sessions: list[Session]


def _check_date(name: str, value: str | None) -> None:
    if value is not None and not _DATE_PREFIX.fullmatch(value):
        raise UsageError(f"{name} must be a date like 2025-03-01, not {value!r}")


def _in_range(stamp: str, since: str | None, until: str | None) -> bool:
    if since is not None and stamp[: len(since)] < since:
        return False
    return not (until is not None and stamp[: len(until)] > until)


def select(
    journal: Journal,
    *,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    goal: str | None = None,
) -> Selection:
    """Pick the records an export holds.

    `since` and `until` (dates, inclusive) narrow entries by the day they
    are about, measurements by their date, sessions by their start and
    standalone topics by their creation. `kind` narrows entries only.
    `goal` (an id or unique prefix) narrows entries to those linked to the
    goal or one of its objectives, and goals, measurements and resources to
    that goal and its objectives. Comments and thread states follow the
    records they are about. Tombstones are never exported.
    """
    _check_date("since", since)
    _check_date("until", until)
    all_goals = journal.goals()
    goal_ids: set[str] | None = None
    if goal is not None:
        root = journal.get(Goal, goal)
        goal_ids = {root.id}
        grew = True
        while grew:
            children = {g.id for g in all_goals if g.parent_id in goal_ids}
            grew = not children <= goal_ids
            goal_ids |= children
    entries = journal.entries(kind=kind, since=since, until=until)
    if goal_ids is not None:
        entries = [e for e in entries if goal_ids.intersection(e.goals)]
    goals = [g for g in all_goals if goal_ids is None or g.id in goal_ids]
    kept_goals = {g.id for g in goals}
    measurements = sorted(
        (
            m
            for m in journal.all(Measurement)
            if m.goal_id in kept_goals and _in_range(m.date, since, until)
        ),
        key=lambda m: (m.goal_id, m.date, m.created_at),
    )
    resources = sorted(
        (r for r in journal.all(Resource) if goal_ids is None or r.goal_id in goal_ids),
        key=lambda r: r.created_at,
    )
    sessions = [s for s in journal.sessions() if _in_range(s.starts_at, since, until)]
    topics: list[Thread] = []
    if kind is None and goal is None:
        topics = [
            t for t in journal.all(Thread) if t.topic and _in_range(t.created_at, since, until)
        ]
    targets = {r.id for group in (entries, goals, resources, sessions, topics) for r in group}
    comments = sorted(
        (c for c in journal.all(Comment) if c.target_id in targets),
        key=lambda c: (c.created_at, c.id),
    )
    threads = sorted(
        (t for t in journal.all(Thread) if t.id in targets), key=lambda t: t.created_at
    )
    return Selection(
        info=journal.info,
        members=journal.members(),
        entries=entries,
        goals=goals,
        measurements=measurements,
        comments=comments,
        threads=threads,
        resources=resources,
        sessions=sessions,
    )


@dataclass
class Lookups:
    """What an export looks up for many records, read once from the journal.

    Member names and roles (removed members too, so old records keep their
    author), goal titles (deleted goals too), the selection's comments by
    the record they are about (oldest first), and thread states.
    """

    members: dict[str, Member]
    goal_titles: dict[str, str]
    comments: dict[str, list[Comment]]
    thread_status: dict[str, str]

    def name(self, member_id: str | None) -> str:
        """A member's display name, or 'unknown'."""
        member = self.members.get(member_id or "")
        return member.name if member else "unknown"

    def role(self, member_id: str | None) -> str:
        """A member's role, or ''."""
        member = self.members.get(member_id or "")
        return member.role if member else ""

    def posts(self, target_id: str) -> list[Comment]:
        """The thread on a record: its comments (not addenda), oldest first."""
        return [c for c in self.comments.get(target_id, ()) if c.kind == "comment"]

    def addenda(self, target_id: str) -> list[Comment]:
        """The addenda of a finalized session note, oldest first."""
        return [c for c in self.comments.get(target_id, ()) if c.kind == "addendum"]

    def status(self, target_id: str) -> str:
        """'open' or 'resolved'."""
        return self.thread_status.get(target_id, "open")


def lookups(journal: Journal, chosen: Selection) -> Lookups:
    """Build the `Lookups` of a selection: one pass over members, goals and threads."""
    by_target: dict[str, list[Comment]] = {}
    for comment in chosen.comments:  # already oldest first
        by_target.setdefault(comment.target_id, []).append(comment)
    return Lookups(
        members=journal.members_by_id(),
        goal_titles={g.id: g.title for g in journal.all(Goal, include_deleted=True)},
        comments=by_target,
        thread_status={t.id: t.status for t in journal.all(Thread)},
    )


def criterion_met(goal: Goal, points: Iterable[Measurement]) -> bool:
    """`Journal.criterion_met` over points already at hand (all of the goal's, oldest first)."""
    scores = [m.score for m in points if m.score is not None]
    recent = scores[-goal.criterion_sessions :]
    return len(recent) >= goal.criterion_sessions and all(s >= goal.criterion_value for s in recent)


def measurements_by_goal(journal: Journal) -> dict[str, list[Measurement]]:
    """Every goal's data points, oldest first, in one pass over the measurements."""
    grouped: dict[str, list[Measurement]] = {}
    for m in journal.all(Measurement):
        grouped.setdefault(m.goal_id, []).append(m)
    for points in grouped.values():
        points.sort(key=lambda m: (m.date, m.created_at))
    return grouped


# --- pseudonyms --------------------------------------------------------------------


def name_pattern(journal: Journal) -> re.Pattern[str] | None:
    """The child's name (from the journal page) as a pattern, or None when the page has none.

    The name matches as a whole word, ignoring case; when it has several
    words, the first name alone matches too ("Sam" as well as "Sam Rivera").
    `pseudonymizer` replaces what it matches; the export preview counts it.
    """
    name = " ".join(journal.info.child_name.split())
    if not name:
        return None
    variants = {name, name.split()[0]}
    alternatives = "|".join(
        r"\s+".join(re.escape(word) for word in variant.split())
        for variant in sorted(variants, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def pseudonymizer(journal: Journal, pseudonym: str | None) -> Callable[[str], str]:
    """A function that replaces the child's name with `pseudonym` in a text.

    The child's name (from the journal page) is matched as a whole word,
    ignoring case; when it has several words, the first name alone is
    replaced too ("Sam" as well as "Sam Rivera"). Without a pseudonym the
    function returns texts unchanged. A pseudonym is one line, and cannot
    itself contain the child's name.
    """
    if pseudonym is None:
        return lambda text: text
    replacement = " ".join(pseudonym.split())
    if not replacement:
        raise UsageError("the pseudonym cannot be empty")
    pattern = name_pattern(journal)
    if pattern is None:
        raise UsageError(
            "the journal page has no child's name to replace; set it before using a pseudonym"
        )
    if pattern.search(replacement):
        raise UsageError("the pseudonym cannot contain the child's name")
    return lambda text: pattern.sub(lambda _match: replacement, text)


def _replace_everywhere(value: Any, replace: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, dict):
        return {
            _replace_everywhere(k, replace): _replace_everywhere(v, replace)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_replace_everywhere(item, replace) for item in value]
    return value


# --- JSON export ---------------------------------------------------------------------


def record_to_export(
    journal: Journal, record: Record, members: dict[str, Member] | None = None
) -> dict[str, Any]:
    """A record as an export holds it: its stored fields without sync metadata, plus
    `author_name` (looked up in `members`, every member by id, when given)."""
    doc = {k: v for k, v in record.to_doc().items() if k not in SYNC_KEYS}
    if members is None:
        doc["author_name"] = journal.member_name(record.author)
    else:
        author = members.get(record.author)
        doc["author_name"] = author.name if author else "unknown"
    return doc


def export_data(
    journal: Journal,
    *,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    goal: str | None = None,
    pseudonym: str | None = None,
) -> dict[str, Any]:
    """Tandem's JSON export as a Python object (see `export_json`)."""
    replace = pseudonymizer(journal, pseudonym)
    with journal.lock:  # one consistent reading, even while the app saves or merges
        chosen = select(journal, since=since, until=until, kind=kind, goal=goal)
        members = journal.members_by_id()
        all_points = measurements_by_goal(journal) if chosen.goals else {}
        journal_id = journal.journal_id

    def docs(records: Iterable[Record]) -> list[dict[str, Any]]:
        return [record_to_export(journal, r, members) for r in records]

    goals = docs(chosen.goals)
    for doc, g in zip(goals, chosen.goals, strict=True):
        doc["criterion_met"] = criterion_met(g, all_points.get(g.id, ()))
    data: dict[str, Any] = {
        "tandem_export": EXPORT_VERSION,
        "journal_id": journal_id,
        "exported_at": utc_now(),
        "filters": {
            "since": since,
            "until": until,
            "kind": kind,
            "goal": chosen.goals[0].id if goal is not None and chosen.goals else None,
            "pseudonym": pseudonym is not None,
        },
        "journal": record_to_export(journal, chosen.info, members),
        "members": docs(chosen.members),
        "entries": docs(chosen.entries),
        "goals": goals,
        "measurements": docs(chosen.measurements),
        "comments": docs(chosen.comments),
        "threads": docs(chosen.threads),
        "resources": docs(chosen.resources),
        "sessions": docs(chosen.sessions),
    }
    result: dict[str, Any] = _replace_everywhere(data, replace)
    return result


def export_json(
    journal: Journal,
    *,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    goal: str | None = None,
    pseudonym: str | None = None,
) -> str:
    """Tandem's own JSON export of the journal (or of a filtered part of it).

    An object `{"tandem_export": 1, "journal_id", "exported_at", "filters",
    "journal", "members", "entries", "goals", "measurements", "comments",
    "threads", "resources", "sessions"}`. Records carry their stored fields
    except the sync metadata (vv, hlc, conflicts), plus `author_name`; goals
    also carry `criterion_met`. See `select` for what the filters narrow.
    With `pseudonym`, the child's name is replaced everywhere in the text.
    """
    data = export_data(journal, since=since, until=until, kind=kind, goal=goal, pseudonym=pseudonym)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- Markdown export ----------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _short_score(goal: Goal, m: Measurement) -> str:
    score = m.score
    if score is None:
        return "-"
    unit = {"percent": "%", "count": "", "duration": " min", "rating": "/5"}.get(goal.measure, "")
    return f"{score:.0f}%" if m.correct is not None and m.total else f"{score:g}{unit}"


def _score_text(goal: Goal, m: Measurement) -> str:
    if m.correct is not None and m.total:
        return f"{m.correct}/{m.total} ({_short_score(goal, m)})"
    return _short_score(goal, m)


def _block(label: str, value: Any) -> list[str]:
    lines = [line.strip() for line in str(value).strip().splitlines() if line.strip()]
    head = f"- **{label}**" if label.endswith("?") else f"- **{label}:**"
    if len(lines) <= 1:
        return [f"{head} {lines[0] if lines else ''}".rstrip()]
    return [head, *(f"  - {line}" for line in lines)]


def _when(stamp: str) -> str:
    """A stored UTC time as people read it: '2025-03-01 14:05 UTC'."""
    return f"{stamp[:10]} {stamp[11:16]} UTC" if len(stamp) >= 16 else stamp


def _quote(text: str) -> list[str]:
    return [f"> {line}" if line.strip() else ">" for line in text.strip().splitlines()]


def _thread_lines(found: Lookups, target_id: str) -> list[str]:
    posts = found.posts(target_id)
    if not posts:
        return []
    lines = ["", f"**Thread ({found.status(target_id)}):**", ""]
    for post in posts:
        lines.append(f"> **{found.name(post.author)}**, {_when(post.created_at)}:")
        lines.extend(_quote(post.body))
        lines.append("")
    return lines[:-1]


def export_markdown(
    journal: Journal,
    *,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    goal: str | None = None,
    pseudonym: str | None = None,
) -> str:
    """A readable Markdown report of the journal (filters as in `export_json`).

    Title and period, the child's page, the team, goals with status,
    criterion and latest data, then entries newest first with their kind,
    date, author, tags, structured fields, body, addenda and threads; then
    sessions, resources and standalone topics.
    """
    replace = pseudonymizer(journal, pseudonym)
    with journal.lock:  # one consistent reading, even while the app saves or merges
        chosen = select(journal, since=since, until=until, kind=kind, goal=goal)
        found = lookups(journal, chosen)
        all_points = measurements_by_goal(journal) if chosen.goals else {}
    info = chosen.info
    goal_titles = found.goal_titles
    out: list[str] = [f"# {_one_line(info.title)}", ""]

    days = sorted(e.occurred_at[:10] for e in chosen.entries)
    start = since or (days[0] if days else "")
    end = until or (days[-1] if days else "")
    period = f"{start} to {end}" if start or end else "no entries"
    out.append(f"- **Period:** {period}")
    out.append(f"- **Exported:** {_when(utc_now())}")
    narrowed = []
    if kind is not None:
        narrowed.append(f"kind {ENTRY_KIND_LABELS.get(kind, kind)}")
    if goal is not None and chosen.goals:
        narrowed.append(f"goal {chosen.goals[0].title!r}")
    if narrowed:
        out.append(f"- **Only:** {', '.join(narrowed)}")
    if info.child_name:
        out.append(f"- **Child:** {info.child_name}")
    for label, value in (
        ("Interests", info.interests),
        ("Strengths", info.strengths),
        ("Please avoid", info.avoid),
    ):
        if value.strip():
            out.extend(_block(label, value))

    out += ["", "## Team", ""]
    for member in chosen.members:
        out.append(f"- **{member.name}** ({member.role})")
        for label, value in (
            ("Background", member.background),
            ("Values", member.values),
            ("What works", member.what_works),
            ("Best times to reach", member.contact_times),
        ):
            if value.strip():
                out.append(f"  - {label}: {_one_line(value)}")

    if chosen.goals:
        out += ["", "## Goals"]
        by_goal: dict[str, list[Measurement]] = {}
        for m in chosen.measurements:
            by_goal.setdefault(m.goal_id, []).append(m)
        for g in chosen.goals:
            heading = g.title
            if g.parent_id:
                heading = f"{g.title} (objective of {goal_titles.get(g.parent_id, 'a goal')!r})"
            out += ["", f"### {_one_line(heading)}", ""]
            status = g.status
            met = criterion_met(g, all_points.get(g.id, ()))
            if met and g.status in ("baseline", "acquisition"):
                status += " · criterion met, awaiting the therapist's confirmation"
            out.append(f"- **Status:** {status}")
            if g.domain:
                out.append(f"- **Domain:** {g.domain}")
            out.append(f"- **Criterion:** {g.criterion_text()} ({g.measure})")
            for label, value in (
                ("Definition", g.description),
                ("Method", g.method),
                ("Desired outcome", g.desired_outcome),
                ("Setting", g.setting),
            ):
                if value.strip():
                    out.extend(_block(label, value))
            if g.start_date or g.review_date:
                out.append(
                    f"- **Started:** {g.start_date or '-'} · **Review:** {g.review_date or '-'}"
                )
            points = by_goal.get(g.id, [])
            if points:
                last = points[-1]
                detail = ", ".join(
                    part for part in (last.prompt, last.setting, found.name(last.author)) if part
                )
                out.append(f"- **Latest data:** {last.date}: {_score_text(g, last)} ({detail})")
                recent = " → ".join(_short_score(g, m) for m in points[-6:])
                out.append(f"- **Recent ({min(len(points), 6)} of {len(points)}):** {recent}")
            else:
                out.append("- **Latest data:** none yet")
            out.extend(_thread_lines(found, g.id))

    out += ["", f"## Entries ({len(chosen.entries)}, newest first)"]
    for entry in chosen.entries:
        label = ENTRY_KIND_LABELS.get(entry.kind, entry.kind)
        when = entry.occurred_at.replace("T", " ")
        out += ["", f"### {when} · {label} · {_one_line(entry.title)}", ""]
        byline = f"*By {found.name(entry.author)}*"
        if entry.kind == "session":
            byline += " · finalized" if entry.locked else " · draft"
        out.append(byline)
        if entry.tags:
            out.append("")
            out.append("Tags: " + " ".join(f"#{t}" for t in entry.tags))
        if entry.goals:
            out.append("")
            out.append("Goals: " + "; ".join(goal_titles.get(g, g[:8]) for g in entry.goals))
        specs = KIND_FIELDS.get(entry.kind, ())
        known = {spec.name for spec in specs}
        field_lines: list[str] = []
        for spec in specs:
            shown = entry.fields.get(spec.name)
            if shown is None or (isinstance(shown, str) and not shown.strip()):
                continue
            field_lines.extend(_block(spec.label, shown))
        for name, extra in entry.fields.items():
            if name not in known and extra not in (None, ""):
                field_lines.extend(_block(name.replace("_", " ").capitalize(), extra))
        if field_lines:
            out.append("")
            out.extend(field_lines)
        if entry.body.strip():
            out += ["", entry.body.strip()]
        for addendum in found.addenda(entry.id):
            out += [
                "",
                f"**Addendum** by {found.name(addendum.author)}, {_when(addendum.created_at)}:",
                "",
            ]
            out.extend(_quote(addendum.body))
        out.extend(_thread_lines(found, entry.id))

    if chosen.sessions:
        out += ["", "## Sessions", ""]
        for s in chosen.sessions:
            line = f"- {s.starts_at.replace('T', ' ')} · {s.duration_min} min · {s.status}"
            if s.location:
                line += f" · {_one_line(s.location)}"
            if s.notes.strip():
                line += f" · {_one_line(s.notes)}"
            out.append(line)
            discussion = _thread_lines(found, s.id)
            if discussion:
                out.extend([*discussion, ""])

    if chosen.resources:
        out += ["", "## Resources"]
        for r in chosen.resources:
            out += ["", f"### {_one_line(r.title)} ({r.kind})", ""]
            out.append(f"*Shared by {found.name(r.author)}*")
            if r.url:
                out += ["", f"<{r.url}>"]
            if r.text.strip():
                out += ["", r.text.strip()]
            readers = [found.name(m) for m in r.acknowledged]
            out += ["", f"Read by: {', '.join(readers) if readers else 'nobody yet'}"]
            out.extend(_thread_lines(found, r.id))

    topics = [t for t in chosen.threads if t.topic]
    if topics:
        out += ["", "## Discussions"]
        for t in topics:
            out += ["", f"### {_one_line(t.title)}", ""]
            out.append(f"*Started by {found.name(t.author)}*")
            out.extend(_thread_lines(found, t.id))

    return replace("\n".join(out).rstrip() + "\n")


# --- writing an export ------------------------------------------------------------------


def _checked_target(journal_path: Path, out_path: Path) -> Path:
    """The resolved path to write an export to, after refusing the journal, folders and
    Tandem files."""
    out = Path(out_path)
    target = out.resolve()
    if target == Path(journal_path).resolve():
        raise TandemError(f"refusing to write the export over the journal itself ({out})")
    if target.is_dir():
        raise TandemError(f"{out} is a folder; give the export a file name")
    if target.exists():
        try:
            if Path(journal_path).exists() and target.samefile(journal_path):
                raise TandemError(f"refusing to write the export over the journal itself ({out})")
            with open(target, "rb") as handle:
                head = handle.read(len(MAGIC))
        except OSError as error:
            reason = error.strerror or str(error)
            raise TandemError(f"cannot check {out} before writing: {reason}") from error
        if head == MAGIC:
            raise TandemError(f"refusing to write the export over {out}: it is a Tandem journal")
    return target


def write_export(journal_path: Path, out_path: Path, text: str) -> None:
    """Write an export to `out_path` atomically, readable only by its owner (mode 0600).

    Refuses to write over the journal itself or over any Tandem file.
    """
    write_export_bytes(journal_path, out_path, text.encode("utf-8"))


def write_export_bytes(journal_path: Path, out_path: Path, data: bytes) -> None:
    """`write_export` for bytes (a zip, a CSV file with its byte order mark)."""
    atomic_write(_checked_target(journal_path, out_path), data)


# --- CSV export -----------------------------------------------------------------------

CSV_FILES = ("entries.csv", "measurements.csv", "comments.csv", "goals.csv", "sessions.csv")
"""The files of a CSV export, in a folder or a zip."""

_FORMULA_START = frozenset("=+-@\t\r")


def csv_cell(value: Any) -> Any:
    """A value as a spreadsheet cell: text that a spreadsheet would run as a formula
    (starting with = + - @, a tab or a carriage return, even after spaces) gets a
    leading apostrophe; None is empty; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text[:1] in _FORMULA_START or text.lstrip(" \n")[:1] in _FORMULA_START:
        return "'" + text
    return text


def _csv_bytes(
    header: list[str], rows: Iterable[list[Any]], replace: Callable[[str], str]
) -> bytes:
    """One CSV file: UTF-8 with a byte order mark (Excel reads it as UTF-8), CRLF line
    endings, a header row, every text through `replace` and `csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(name) for name in header])
    for row in rows:
        writer.writerow([csv_cell(replace(v) if isinstance(v, str) else v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _utc_cell(stamp: str | None) -> str:
    """A stored UTC time as '2025-03-01 14:05:09' (the column says UTC)."""
    return stamp[:19].replace("T", " ") if stamp else ""


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def entry_field_columns(entries: Iterable[Entry] = ()) -> list[tuple[str, str]]:
    """(field name, column header) for every structured field of every kind, in
    KIND_FIELDS order (a field several kinds share is one column), then any other
    field found in `entries` (from an import)."""
    columns: dict[str, str] = {}
    labels: set[str] = set()
    for specs in KIND_FIELDS.values():
        for spec in specs:
            if spec.name in columns:
                continue
            label = spec.label if spec.label not in labels else f"{spec.label} ({spec.name})"
            columns[spec.name] = label
            labels.add(label)
    for entry in entries:
        for name in entry.fields:
            if name not in columns:
                label = name.replace("_", " ").capitalize()
                columns[name] = label if label not in labels else f"{label} ({name})"
                labels.add(columns[name])
    return list(columns.items())


def csv_files(
    journal: Journal,
    *,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    goal: str | None = None,
    pseudonym: str | None = None,
) -> dict[str, bytes]:
    """The files of a CSV export by name (see `CSV_FILES`), each ready to write.

    entries.csv has one row per entry and one column per structured field of
    every kind; measurements.csv one row per data point with its goal;
    comments.csv every comment and addendum with the record it is about;
    goals.csv the goals with their criterion and latest data; sessions.csv
    the schedule. Filters and pseudonym as in `export_json`.
    """
    replace = pseudonymizer(journal, pseudonym)
    with journal.lock:  # one consistent reading, even while the app saves or merges
        chosen = select(journal, since=since, until=until, kind=kind, goal=goal)
        found = lookups(journal, chosen)
        goals_by_id = {g.id: g for g in journal.all(Goal, include_deleted=True)}
        all_points = measurements_by_goal(journal)

    def titles(goal_ids: Iterable[str]) -> str:
        return "; ".join(found.goal_titles.get(g, g[:8]) for g in goal_ids)

    columns = entry_field_columns(chosen.entries)
    entry_rows = (
        [
            e.id,
            e.occurred_at[:10],
            e.occurred_at[11:16],
            ENTRY_KIND_LABELS.get(e.kind, e.kind),
            e.title,
            found.name(e.author),
            found.role(e.author),
            " ".join(f"#{t}" for t in e.tags),
            titles(e.goals),
            e.status if e.kind == "session" else "",
            e.body,
            *(_field_cell(e.fields.get(name)) for name, _label in columns),
            len(found.posts(e.id)),
            len(found.addenda(e.id)),
            _utc_cell(e.created_at),
        ]
        for e in chosen.entries
    )
    entries_header = [
        "id",
        "date",
        "time",
        "kind",
        "title",
        "author",
        "author role",
        "tags",
        "goals",
        "note status",
        "body",
        *(label for _name, label in columns),
        "comments",
        "addenda",
        "written (UTC)",
    ]

    def measure_of(m: Measurement) -> Goal | None:
        return goals_by_id.get(m.goal_id)

    measurement_rows = []
    for m in chosen.measurements:
        g = measure_of(m)
        measurement_rows.append(
            [
                m.id,
                m.goal_id,
                g.title if g else "",
                m.date,
                g.measure if g else "",
                _number(m.score),
                _number(m.value),
                m.correct,
                m.total,
                m.prompt,
                m.setting,
                m.note,
                found.name(m.author),
                _utc_cell(m.created_at),
            ]
        )
    measurements_header = [
        "id",
        "goal id",
        "goal",
        "date",
        "measure",
        "score",
        "value",
        "correct",
        "total",
        "prompt",
        "setting",
        "note",
        "recorded by",
        "recorded (UTC)",
    ]

    about = _about_index(chosen)
    comment_rows = (
        [
            c.id,
            c.kind,
            about.get(c.target_id, ("record", ""))[0],
            c.target_id,
            about.get(c.target_id, ("record", ""))[1],
            found.status(c.target_id) if c.kind == "comment" else "",
            found.name(c.author),
            found.role(c.author),
            _utc_cell(c.created_at),
            c.body,
        ]
        for c in chosen.comments
    )
    comments_header = [
        "id",
        "kind",
        "about",
        "about id",
        "about title",
        "thread status",
        "author",
        "author role",
        "written (UTC)",
        "body",
    ]

    goal_rows = []
    for g in chosen.goals:
        points = all_points.get(g.id, [])
        last = points[-1] if points else None
        parent = goals_by_id.get(g.parent_id or "")
        goal_rows.append(
            [
                g.id,
                g.title,
                parent.title if parent else "",
                g.domain,
                g.status,
                criterion_met(g, points),
                g.criterion_text(),
                g.measure,
                _number(g.criterion_value),
                g.criterion_sessions,
                g.owner,
                g.setting,
                g.start_date,
                g.review_date,
                g.description,
                g.method,
                g.desired_outcome,
                len(points),
                last.date if last else "",
                _number(last.score) if last else None,
                found.name(g.author),
            ]
        )
    goals_header = [
        "id",
        "title",
        "objective of",
        "domain",
        "status",
        "criterion met",
        "criterion",
        "measure",
        "criterion value",
        "criterion sessions",
        "owner",
        "setting",
        "start date",
        "review date",
        "definition",
        "method",
        "desired outcome",
        "data points",
        "latest date",
        "latest score",
        "created by",
    ]

    starts = {s.id: s.starts_at for s in chosen.sessions}
    session_rows = (
        [
            s.id,
            s.starts_at[:10],
            s.starts_at[11:16],
            s.duration_min,
            s.status,
            s.location,
            s.notes,
            starts.get(s.moved_to or "", "").replace("T", " "),
            found.name(s.author),
        ]
        for s in chosen.sessions
    )
    sessions_header = [
        "id",
        "date",
        "time",
        "minutes",
        "status",
        "location",
        "notes",
        "moved to",
        "planned by",
    ]
    return {
        "entries.csv": _csv_bytes(entries_header, entry_rows, replace),
        "measurements.csv": _csv_bytes(measurements_header, measurement_rows, replace),
        "comments.csv": _csv_bytes(comments_header, comment_rows, replace),
        "goals.csv": _csv_bytes(goals_header, goal_rows, replace),
        "sessions.csv": _csv_bytes(sessions_header, session_rows, replace),
    }


def _field_cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _about_index(chosen: Selection) -> dict[str, tuple[str, str]]:
    """Record id -> (what it is, its title) for the records comments can be about."""
    index: dict[str, tuple[str, str]] = {}
    for e in chosen.entries:
        index[e.id] = ("entry", e.title)
    for g in chosen.goals:
        index[g.id] = ("goal", g.title)
    for r in chosen.resources:
        index[r.id] = ("resource", r.title)
    for s in chosen.sessions:
        index[s.id] = ("session", s.starts_at.replace("T", " "))
    for t in chosen.threads:
        if t.topic:
            index[t.id] = ("topic", t.title)
    return index


def export_csv(
    journal: Journal,
    out: Path,
    *,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    goal: str | None = None,
    pseudonym: str | None = None,
) -> list[Path]:
    """Write the CSV export to a folder, or to a zip when `out` ends with .zip.

    A folder is created if needed (mode 0700) and each file in it is written
    atomically (mode 0600); a zip is built in memory and written atomically.
    Never writes over the journal or any Tandem file. Returns the paths
    written. See `csv_files` for what the files hold.
    """
    out = Path(out)
    files = csv_files(journal, since=since, until=until, kind=kind, goal=goal, pseudonym=pseudonym)
    if out.suffix.lower() == ".zip":
        buffer = io.BytesIO()
        stamp = datetime.now().timetuple()[:6]
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                archive.writestr(info, data)
        write_export_bytes(journal.path, out, buffer.getvalue())
        return [out]
    if out.resolve() == journal.path.resolve():
        raise TandemError(f"refusing to write the export over the journal itself ({out})")
    if out.exists() and not out.is_dir():
        raise TandemError(f"{out} is a file; give a folder, or a name ending in .zip")
    try:
        out.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise TandemError(f"cannot create the folder {out}: {error.strerror or error}") from error
    targets = {name: _checked_target(journal.path, out / name) for name in files}
    for name, data in files.items():  # every target was checked before the first write
        atomic_write(targets[name], data)
    return [out / name for name in files]


# --- one call for every format ------------------------------------------------------

EXPORT_FORMATS: dict[str, str] = {
    "html": "HTML report (print it or save it as PDF)",
    "md": "Markdown",
    "csv": "CSV for a spreadsheet (a folder, or a .zip)",
    "json": "JSON (Tandem can import it back)",
}
"""The export formats by the name `tandem export --format` takes, with a description."""

EXPORT_SUFFIXES = {"html": ".html", "md": ".md", "csv": ".zip", "json": ".json"}
"""The usual file name ending of each format (CSV: a zip; a folder works too)."""


def not_encrypted_warning(out: Path | str) -> str:
    """The one-line warning every export ends with."""
    return f"the export is NOT encrypted: {out}"


def export_to(
    journal: Journal,
    fmt: str,
    out: Path | str,
    *,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    goal: str | None = None,
    pseudonym: str | None = None,
) -> str:
    """Export the journal (or a filtered part) as `fmt` to `out`; returns the warning.

    `fmt` is one of EXPORT_FORMATS: html (`journal.report.export_html`), md,
    json, or csv (`export_csv`: a folder, or a zip when `out` ends with
    .zip). Filters and pseudonym as in `export_json`. Written atomically,
    never over the journal; the result is the one-line warning "the export
    is NOT encrypted: <out>", for the caller to show.
    """
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}")
    _check_date("the start date", since)
    _check_date("the end date", until)
    if since is not None and until is not None and since > until:
        raise UsageError(f"the start date {since} is after the end date {until}")
    path = Path(out)
    filters: dict[str, Any] = {
        "since": since,
        "until": until,
        "kind": kind,
        "goal": goal,
        "pseudonym": pseudonym,
    }
    if fmt == "csv":
        export_csv(journal, path, **filters)
        return not_encrypted_warning(path)
    if fmt == "html":
        from journal.report import export_html

        text = export_html(journal, **filters)
    elif fmt == "md":
        text = export_markdown(journal, **filters)
    else:
        text = export_json(journal, **filters)
    write_export(journal.path, path, text)
    return not_encrypted_warning(path)


# --- what an export will hold --------------------------------------------------------


@dataclass(frozen=True)
class ExportPreview:
    """What an export with given filters holds, shown before anything is written."""

    entries: int
    goals: int
    measurements: int
    comments: int
    sessions: int
    resources: int
    members: list[str]
    """The members named in the export (all of them: the cover lists the team)."""
    period: str
    child_name: str
    """The child's name on the journal page ('' when it has none)."""
    mentions: int
    """Records in the selection whose text names the child, before any pseudonym (the
    journal page, whose title and child's name are on the cover, not counted)."""
    name_appears: bool
    """Whether the child's name will appear in the written export."""
    pseudonym: str | None = None
    family_names: list[str] = field(default_factory=list)
    """Members whose name carries the child's family name (a pseudonym does not change them)."""

    def lines(self) -> list[str]:
        """The preview in a few sentences for a person."""

        def count(n: int, noun: str, plural: str | None = None) -> str:
            return f"{n:,} {noun if n == 1 else plural or noun + 's'}"

        lines = [
            f"Period: {self.period}",
            ", ".join(
                (
                    count(self.entries, "entry", "entries"),
                    count(self.goals, "goal"),
                    count(self.measurements, "measurement"),
                    count(self.comments, "comment"),
                    count(self.sessions, "session"),
                    count(self.resources, "resource"),
                )
            ),
            "Members named: " + (", ".join(self.members) or "none"),
        ]
        if not self.child_name:
            lines.append("The journal page has no child's name, so none can be replaced.")
        elif self.name_appears:
            lines.append(
                f"The child's name ({self.child_name}) appears: on the cover and in "
                f"{count(self.mentions, 'record')}. Give a pseudonym to replace it."
            )
        else:
            lines.append(
                f"The child's name does not appear: {count(self.mentions, 'mention')} "
                f"replaced by {self.pseudonym!r}."
            )
        if self.family_names and not self.name_appears:
            lines.append(
                "Note: the family name still appears in members' names: "
                + ", ".join(self.family_names)
            )
        return lines


def preview_export(
    journal: Journal,
    *,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    goal: str | None = None,
    pseudonym: str | None = None,
) -> ExportPreview:
    """What an export with these filters would hold (any format), without writing.

    Raises UsageError for a filter or pseudonym an export would refuse.
    """
    _check_date("the start date", since)
    _check_date("the end date", until)
    if since is not None and until is not None and since > until:
        raise UsageError(f"the start date {since} is after the end date {until}")
    replace = pseudonymizer(journal, pseudonym)
    with journal.lock:
        chosen = select(journal, since=since, until=until, kind=kind, goal=goal)
        pattern = name_pattern(journal)
    mentions = 0
    if pattern is not None:
        records: list[Iterable[Record]] = [
            chosen.members,
            chosen.entries,
            chosen.goals,
            chosen.measurements,
            chosen.comments,
            chosen.threads,
            chosen.resources,
            chosen.sessions,
        ]
        for group in records:
            for record in group:
                if any(pattern.search(text) for text in _texts(record)):
                    mentions += 1
    days = sorted(
        [e.occurred_at[:10] for e in chosen.entries] + [m.date for m in chosen.measurements]
    )
    start = since or (days[0] if days else "")
    end = until or (days[-1] if days else "")
    child = " ".join(chosen.info.child_name.split())
    names = [replace(m.name) for m in chosen.members]
    family: list[str] = []
    if len(child.split()) > 1:
        surname = re.compile(rf"(?<!\w){re.escape(child.split()[-1])}(?!\w)", re.IGNORECASE)
        family = [name for name in names if surname.search(name)]
    return ExportPreview(
        entries=len(chosen.entries),
        goals=len(chosen.goals),
        measurements=len(chosen.measurements),
        comments=len(chosen.comments),
        sessions=len(chosen.sessions),
        resources=len(chosen.resources),
        members=names,
        period=f"{start} to {end}" if start or end else "nothing in this period",
        child_name=child,
        mentions=mentions,
        name_appears=bool(child) and pseudonym is None,
        pseudonym=None if pseudonym is None else " ".join(pseudonym.split()),
        family_names=family,
    )


def _texts(value: Any) -> Iterator[str]:
    """Every text in a record (or a value inside one)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Record):
        for name in value.field_names():
            if name not in SYNC_KEYS:
                yield from _texts(getattr(value, name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


# --- imports -----------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did: records added, records skipped (already present or
    unusable), the source's format ("jrnl" or "tandem"), the added records per
    table, and the names of members it had to add."""

    added: int
    skipped: int
    format: str
    by_table: dict[str, int] = field(default_factory=dict)
    members_added: list[str] = field(default_factory=list)


class _Malformed(Exception):
    """Raised inside validation; turned into one TandemError naming the source."""


def _insert_with_id(journal: Journal, record: Record, author: str, at: str | None) -> None:
    """Insert a record built here, keeping its id, as `author` at `at`."""
    record.author = author
    if at:
        record.created_at = at
    journal.import_record(record)


def import_file(journal: Journal, source: Path, *, kind: str = "checkin") -> ImportReport:
    """Import a jrnl JSON export (`jrnl --export json`) or a Tandem JSON export.

    jrnl entries become entries of `kind`: tags lose their "@", a starred
    entry gets the tag "starred", date and time become `occurred_at`, and
    the id is derived from the journal id, date, title and body, so a second
    import of the same file adds nothing. A Tandem export's records keep
    their ids; records whose id is already in the journal (deleted or not)
    are skipped, and authors unknown to this journal are matched by name
    or added as members. The whole source is validated before anything is
    added; a malformed source raises a one-line `TandemError`. Changes are
    not saved: call `journal.save()`.
    """
    if kind not in ENTRY_KINDS:
        raise UsageError(f"unknown kind {kind!r}; use one of: {', '.join(ENTRY_KINDS)}")
    source = Path(source)
    try:
        raw = source.read_bytes()
    except OSError as error:
        raise TandemError(f"cannot read {source}: {error.strerror or error}") from error

    def malformed(reason: str) -> TandemError:
        return TandemError(f"{source} is not a jrnl or Tandem JSON export: {_one_line(reason)}")

    if raw.startswith(MAGIC):
        raise malformed("it is an encrypted Tandem journal (merge it instead of importing it)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise malformed(f"it is not UTF-8 text (byte {error.start})") from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise malformed(f"invalid JSON ({error.msg} at line {error.lineno})") from error
    except RecursionError as error:
        raise malformed("the JSON is nested too deeply") from error
    try:
        if not isinstance(data, dict):
            raise _Malformed(f"the top level is a JSON {_json_type(data)}, not an object")
        if "tandem_export" in data:
            return _import_tandem(journal, data)
        if "entries" in data:
            return _import_jrnl(journal, data, kind)
        raise _Malformed("it has neither jrnl's 'entries' list nor a 'tandem_export' marker")
    except _Malformed as error:
        raise malformed(str(error)) from None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _valid_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _valid_local_time(text: str) -> bool:
    match = _LOCAL_TIME.fullmatch(text)
    return match is not None and _valid_day(match.group(1))


# --- jrnl ---


def jrnl_entry_id(journal_id: str, day: str, title: str, body: str) -> str:
    """The stable id of an imported jrnl entry: a UUID5 of the journal id, date, title, body."""
    name = "\x1f".join(("tandem-jrnl-import", journal_id, day, title, body))
    return uuid.uuid5(uuid.NAMESPACE_OID, name).hex


def _jrnl_tags(tags: list[str], starred: bool) -> list[str]:
    seen: dict[str, str] = {}
    for tag in [*tags, *(["starred"] if starred else [])]:
        cleaned = tag.strip().lstrip("@#").strip()
        if cleaned and cleaned.casefold() not in seen:
            seen[cleaned.casefold()] = cleaned
    return list(seen.values())


def _import_jrnl(journal: Journal, data: dict[str, Any], kind: str) -> ImportReport:
    entries = data["entries"]
    if not isinstance(entries, list):
        raise _Malformed(f"'entries' is a JSON {_json_type(entries)}, not an array")
    tags_index = data.get("tags", {})
    if not isinstance(tags_index, dict):
        raise _Malformed(f"'tags' is a JSON {_json_type(tags_index)}, not an object")
    planned: list[Entry] = []
    skipped = 0
    existing = set(journal.document().get(Entry.TABLE, {}))
    for index, item in enumerate(entries):
        where = f"entry {index + 1}"
        if not isinstance(item, dict):
            raise _Malformed(f"{where} is a JSON {_json_type(item)}, not an object")
        for key in ("title", "date"):
            if key not in item:
                raise _Malformed(f"{where} has no {key!r}")
        for key, expected in (("title", str), ("body", str), ("date", str), ("time", str)):
            if key in item and not isinstance(item[key], expected):
                raise _Malformed(
                    f"{where}: {key!r} is a JSON {_json_type(item[key])}, not a string"
                )
        day = item["date"]
        if not _valid_day(day) or len(day) != 10:
            raise _Malformed(f"{where}: the date {day!r} is not YYYY-MM-DD")
        clock = item.get("time", "00:00")
        if not _JRNL_TIME.fullmatch(clock) or not (int(clock[:2]) < 24 and int(clock[3:]) < 60):
            raise _Malformed(f"{where}: the time {clock!r} is not HH:MM")
        tags = item.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise _Malformed(f"{where}: 'tags' is not an array of strings")
        starred = item.get("starred", False)
        if not isinstance(starred, bool):
            raise _Malformed(f"{where}: 'starred' is not true or false")
        title, body = item["title"], item.get("body", "")
        shown = title.strip() or (body.strip().splitlines() or [""])[0].strip()[:80]
        if not shown:
            skipped += 1
            continue
        entry_id = jrnl_entry_id(journal.journal_id, day, title, body)
        if entry_id in existing:
            skipped += 1
            continue
        existing.add(entry_id)
        planned.append(
            Entry(
                id=entry_id,
                kind=kind,
                title=shown,
                body=body.strip("\n"),
                occurred_at=f"{day}T{clock}",
                tags=_jrnl_tags(tags, starred),
            )
        )
    me = journal.me.id
    for entry in planned:
        _insert_with_id(journal, entry, me, None)
    by_table = {Entry.TABLE: len(planned)} if planned else {}
    return ImportReport(added=len(planned), skipped=skipped, format="jrnl", by_table=by_table)


# --- Tandem exports ---


def _check_type(value: Any, hint: Any) -> bool:
    """Whether a JSON value fits a record field's type annotation."""
    if hint is Any:
        return True
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        return any(_check_type(value, arm) for arm in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    if origin is list:
        (arm,) = typing.get_args(hint)
        return isinstance(value, list) and all(_check_type(v, arm) for v in value)
    if origin is dict:
        key_hint, value_hint = typing.get_args(hint)
        return isinstance(value, dict) and all(
            _check_type(k, key_hint) and _check_type(v, value_hint) for k, v in value.items()
        )
    return False


_HINTS: dict[type[Record], dict[str, Any]] = {}


def _hints(cls: type[Record]) -> dict[str, Any]:
    if cls not in _HINTS:
        hints = typing.get_type_hints(cls)
        _HINTS[cls] = {name: hints[name] for name in cls.field_names()}
    return _HINTS[cls]


def _choice(where: str, name: str, value: str, choices: Iterable[str]) -> None:
    if value not in tuple(choices):
        raise _Malformed(f"{where}: unknown {name} {value!r}")


def _parse_record(cls: type[Record], item: Any, where: str) -> Record:
    if not isinstance(item, dict):
        raise _Malformed(f"{where} is a JSON {_json_type(item)}, not an object")
    record_id = item.get("id")
    if not isinstance(record_id, str) or not record_id.strip() or len(record_id) > 64:
        raise _Malformed(f"{where} has no usable 'id'")
    for name, hint in _hints(cls).items():
        if name in SYNC_KEYS or name not in item:
            continue
        if not _check_type(item[name], hint):
            raise _Malformed(f"{where}: {name!r} has the wrong type ({_json_type(item[name])})")
    record = cls.from_doc({k: v for k, v in item.items() if k not in SYNC_KEYS})
    if not _UTC_STAMP.match(record.created_at):
        record.created_at = utc_now()  # keeps the record, loses only an unusable time
    where = f"{where} ({record_id[:8]})"
    if isinstance(record, Member):
        _choice(where, "role", record.role, ROLES)
        if not record.name.strip():
            raise _Malformed(f"{where}: a member needs a name")
    elif isinstance(record, Entry):
        _choice(where, "kind", record.kind, ENTRY_KINDS)
        _choice(where, "status", record.status, ENTRY_STATUSES)
        if not record.title.strip():
            raise _Malformed(f"{where}: an entry needs a title")
        if not _valid_local_time(record.occurred_at):
            raise _Malformed(f"{where}: occurred_at {record.occurred_at!r} is not a date and time")
    elif isinstance(record, Goal):
        _choice(where, "measure", record.measure, MEASURES)
        _choice(where, "status", record.status, GOAL_STATUSES)
        if not record.title.strip():
            raise _Malformed(f"{where}: a goal needs a title")
        if record.criterion_sessions < 1:
            raise _Malformed(f"{where}: criterion_sessions must be at least 1")
    elif isinstance(record, Measurement):
        if not _valid_day(record.date) or len(record.date) != 10:
            raise _Malformed(f"{where}: the date {record.date!r} is not YYYY-MM-DD")
        if record.score is None:
            raise _Malformed(f"{where}: a measurement needs a value or correct/total")
    elif isinstance(record, Comment):
        _choice(where, "kind", record.kind, COMMENT_KINDS)
        if not record.body.strip():
            raise _Malformed(f"{where}: a comment cannot be empty")
    elif isinstance(record, Thread):
        _choice(where, "status", record.status, THREAD_STATUSES)
    elif isinstance(record, Resource):
        _choice(where, "kind", record.kind, RESOURCE_KINDS)
        if not record.title.strip():
            raise _Malformed(f"{where}: a resource needs a title")
    elif isinstance(record, Session):
        _choice(where, "status", record.status, SESSION_STATUSES)
        if not _valid_local_time(record.starts_at):
            raise _Malformed(f"{where}: starts_at {record.starts_at!r} is not a date and time")
        if record.duration_min <= 0:
            raise _Malformed(f"{where}: a session lasts more than 0 minutes")
    return record


class _People:
    """Maps the member ids of an export to members of this journal, by id, then by name."""

    def __init__(self, journal: Journal, exported: list[Member], names: dict[str, str]):
        self.journal = journal
        self.known = journal.members_by_id()
        self.exported = {m.id: m for m in exported}
        self.names = names  # member id -> author_name seen on records
        self.mapping: dict[str, str] = {}
        self.to_add: dict[str, Member] = {}  # casefolded name -> member to add

    def resolve(self, member_id: str | None) -> str | None:
        """This journal's id for an exported member id (planning any member to add)."""
        if not member_id:
            return None
        if member_id in self.mapping:
            return self.mapping[member_id]
        if member_id in self.known:
            self.mapping[member_id] = member_id
            return member_id
        source = self.exported.get(member_id)
        name = " ".join((source.name if source else self.names.get(member_id, "")).split())
        if not name or name == "unknown":
            self.mapping[member_id] = self.journal.me.id
            return self.mapping[member_id]
        matches = [
            m
            for m in sorted(self.known.values(), key=lambda m: (m.deleted, m.created_at))
            if m.name.casefold() == name.casefold()
        ]
        if matches:
            self.mapping[member_id] = matches[0].id
        else:
            key = name.casefold()
            if key not in self.to_add:
                self.to_add[key] = source or Member(id=member_id, name=name, role="other")
            self.mapping[member_id] = f"pending:{key}"
        return self.mapping[member_id]

    def add_pending(self) -> list[str]:
        """Add the planned members; returns their names."""
        added: list[str] = []
        for key, source in self.to_add.items():
            profile = {name: getattr(source, name) for name in MEMBER_PROFILE}
            member = self.journal.add_member(source.name, source.role, **profile)
            for old, new in self.mapping.items():
                if new == f"pending:{key}":
                    self.mapping[old] = member.id
            added.append(member.name)
        return added

    def final(self, member_id: str | None) -> str | None:
        """This journal's id for an exported member id, after `add_pending`."""
        return self.mapping.get(member_id) if member_id else None


def _import_tandem(journal: Journal, data: dict[str, Any]) -> ImportReport:
    version = data["tandem_export"]
    if not isinstance(version, int) or isinstance(version, bool):
        raise _Malformed("'tandem_export' is not a version number")
    if version > EXPORT_VERSION:
        raise _Malformed(f"it was made by a newer Tandem (export version {version}); update Tandem")
    if version < 1:
        raise _Malformed(f"unknown export version {version}")
    parsed: dict[str, list[Record]] = {}
    author_names: dict[str, str] = {}
    seen_ids: set[tuple[str, str]] = set()
    for section, cls in SECTIONS.items():
        items = data.get(section, [])
        if not isinstance(items, list):
            raise _Malformed(f"{section!r} is a JSON {_json_type(items)}, not an array")
        records: list[Record] = []
        for index, item in enumerate(items):
            record = _parse_record(cls, item, f"{section}[{index}]")
            if (section, record.id) in seen_ids:
                raise _Malformed(f"{section}[{index}]: the id {record.id[:8]} appears twice")
            seen_ids.add((section, record.id))
            name = item.get("author_name")
            if isinstance(name, str) and record.author:
                author_names.setdefault(record.author, name)
            records.append(record)
        parsed[section] = records

    document = journal.document()
    existing = {section: set(document.get(cls.TABLE, {})) for section, cls in SECTIONS.items()}
    skipped = 0
    fresh: dict[str, list[Record]] = {}
    for section, records in parsed.items():
        if section == "members":
            continue
        keep: list[Record] = []
        for record in records:
            if record.id in existing[section] or record.deleted:
                skipped += 1
            else:
                keep.append(record)
        fresh[section] = keep

    # Which references will resolve once everything is in.
    def ids(section: str) -> set[str]:
        return existing[section] | {r.id for r in fresh[section]}

    goal_ids, session_ids = ids("goals"), ids("sessions")
    all_ids = set().union(*(ids(s) for s in SECTIONS if s not in ("members", "threads")))
    all_ids |= {t.id for t in fresh["threads"] if isinstance(t, Thread) and t.topic}
    all_ids |= {tid for tid in existing["threads"]}

    def usable(record: Record) -> bool:
        if isinstance(record, Measurement):
            return record.goal_id in goal_ids
        if isinstance(record, Comment):
            return record.target_id in all_ids
        if isinstance(record, Thread):
            return record.topic or record.id in all_ids
        return True

    for section in list(fresh):
        kept = [r for r in fresh[section] if usable(r)]
        skipped += len(fresh[section]) - len(kept)
        fresh[section] = kept

    people = _People(journal, [m for m in parsed["members"] if isinstance(m, Member)], author_names)
    for records in fresh.values():
        for record in records:
            people.resolve(record.author)
            if isinstance(record, Entry):
                people.resolve(record.finalized_by)
            elif isinstance(record, Thread):
                people.resolve(record.resolved_by)
            elif isinstance(record, Resource):
                for member_id in record.acknowledged:
                    people.resolve(member_id)

    # Everything is valid: from here on, records go in.
    members_added = people.add_pending()
    me = journal.me.id
    by_table: dict[str, int] = {}
    goals = sorted(fresh["goals"], key=lambda g: _goal_depth(g, fresh["goals"]))
    for section in SECTIONS:
        if section == "members":
            continue
        records = goals if section == "goals" else fresh[section]
        for record in records:
            _relink(record, people, goal_ids, session_ids)
            author = people.final(record.author) or me
            _insert_with_id(journal, record, author, record.created_at)
        if records:
            by_table[section] = len(records)
    added = sum(by_table.values())
    return ImportReport(
        added=added,
        skipped=skipped,
        format="tandem",
        by_table=by_table,
        members_added=members_added,
    )


def _goal_depth(goal: Record, goals: list[Record]) -> int:
    parents = {g.id: g for g in goals if isinstance(g, Goal)}
    depth, current = 0, goal
    while isinstance(current, Goal) and current.parent_id in parents and depth < len(parents):
        current = parents[current.parent_id]
        depth += 1
    return depth


def _relink(record: Record, people: _People, goal_ids: set[str], session_ids: set[str]) -> None:
    """Point a record's references at members, goals and sessions of this journal."""
    if isinstance(record, Entry):
        record.goals = [g for g in record.goals if g in goal_ids]
        if record.session_id not in session_ids:
            record.session_id = None
        if record.finalized_by:
            record.finalized_by = people.final(record.finalized_by)
    elif isinstance(record, Goal):
        if record.parent_id not in goal_ids or record.parent_id == record.id:
            record.parent_id = None
    elif isinstance(record, Thread):
        if record.resolved_by:
            record.resolved_by = people.final(record.resolved_by)
    elif isinstance(record, Resource):
        if record.goal_id not in goal_ids:
            record.goal_id = None
        record.acknowledged = {
            people.final(member_id) or member_id: when
            for member_id, when in record.acknowledged.items()
        }
    elif isinstance(record, Session) and record.moved_to not in session_ids:
        record.moved_to = None
    record.updated_by = ""
    record.deleted_at = record.deleted_by = None
