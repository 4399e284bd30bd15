"""Explicit exports of a journal (JSON and Markdown) and imports from JSON exports.

    text = export_markdown(journal, since="2025-03-01", pseudonym="Alex")
    write_export(journal.path, Path("report.md"), text)

    report = import_file(journal, Path("jrnl.json"))     # jrnl 4.x `--export json`
    report = import_file(journal, Path("backup.json"))   # Tandem's own JSON export
    journal.save()

An export is the only way Tandem writes a journal's contents in plaintext, so
`write_export` refuses to write over the journal (or any Tandem file), and a
report can replace the child's name with a pseudonym.

Imports validate the whole source before they add anything, give every
record a stable id (so importing the same file twice adds nothing), and keep
the changes in memory: the caller saves the journal.
"""

from __future__ import annotations

import json
import re
import types
import typing
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
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


# --- pseudonyms --------------------------------------------------------------------


def pseudonymizer(journal: Journal, pseudonym: str | None) -> Callable[[str], str]:
    """A function that replaces the child's name with `pseudonym` in a text.

    The child's name (from the journal page) is matched as a whole word,
    ignoring case; when it has several words, the first name alone is
    replaced too ("Sam" as well as "Sam Rivera"). Without a pseudonym the
    function returns texts unchanged.
    """
    if pseudonym is None:
        return lambda text: text
    replacement = pseudonym.strip()
    if not replacement:
        raise UsageError("the pseudonym cannot be empty")
    name = " ".join(journal.info.child_name.split())
    if not name:
        raise UsageError(
            "the journal page has no child's name to replace; set it before using a pseudonym"
        )
    variants = {name, name.split()[0]}
    alternatives = "|".join(
        r"\s+".join(re.escape(word) for word in variant.split())
        for variant in sorted(variants, key=len, reverse=True)
    )
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
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


def record_to_export(journal: Journal, record: Record) -> dict[str, Any]:
    """A record as an export holds it: its stored fields without sync metadata, plus
    `author_name`."""
    doc = {k: v for k, v in record.to_doc().items() if k not in SYNC_KEYS}
    doc["author_name"] = journal.member_name(record.author)
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
    chosen = select(journal, since=since, until=until, kind=kind, goal=goal)

    def docs(records: Iterable[Record]) -> list[dict[str, Any]]:
        return [record_to_export(journal, r) for r in records]

    goals = docs(chosen.goals)
    for doc in goals:
        doc["criterion_met"] = journal.criterion_met(doc["id"])
    data: dict[str, Any] = {
        "tandem_export": EXPORT_VERSION,
        "journal_id": journal.journal_id,
        "exported_at": utc_now(),
        "filters": {
            "since": since,
            "until": until,
            "kind": kind,
            "goal": chosen.goals[0].id if goal is not None and chosen.goals else None,
            "pseudonym": pseudonym is not None,
        },
        "journal": record_to_export(journal, chosen.info),
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


def _thread_lines(journal: Journal, target_id: str, comments: list[Comment]) -> list[str]:
    posts = [c for c in comments if c.target_id == target_id and c.kind == "comment"]
    if not posts:
        return []
    status = journal.thread_status(target_id)
    lines = ["", f"**Thread ({status}):**", ""]
    for post in posts:
        lines.append(f"> **{journal.member_name(post.author)}**, {_when(post.created_at)}:")
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
    chosen = select(journal, since=since, until=until, kind=kind, goal=goal)
    info = chosen.info
    goal_titles = {g.id: g.title for g in journal.all(Goal, include_deleted=True)}
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
            if journal.criterion_met(g.id) and g.status in ("baseline", "acquisition"):
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
                    part
                    for part in (last.prompt, last.setting, journal.member_name(last.author))
                    if part
                )
                out.append(f"- **Latest data:** {last.date}: {_score_text(g, last)} ({detail})")
                recent = " → ".join(_short_score(g, m) for m in points[-6:])
                out.append(f"- **Recent ({min(len(points), 6)} of {len(points)}):** {recent}")
            else:
                out.append("- **Latest data:** none yet")
            out.extend(_thread_lines(journal, g.id, chosen.comments))

    out += ["", f"## Entries ({len(chosen.entries)}, newest first)"]
    for entry in chosen.entries:
        label = ENTRY_KIND_LABELS.get(entry.kind, entry.kind)
        when = entry.occurred_at.replace("T", " ")
        out += ["", f"### {when} · {label} · {_one_line(entry.title)}", ""]
        byline = f"*By {journal.member_name(entry.author)}*"
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
        addenda = [c for c in chosen.comments if c.target_id == entry.id and c.kind == "addendum"]
        for addendum in addenda:
            out += [
                "",
                f"**Addendum** by {journal.member_name(addendum.author)}, "
                f"{_when(addendum.created_at)}:",
                "",
            ]
            out.extend(_quote(addendum.body))
        out.extend(_thread_lines(journal, entry.id, chosen.comments))

    if chosen.sessions:
        out += ["", "## Sessions", ""]
        for s in chosen.sessions:
            line = f"- {s.starts_at.replace('T', ' ')} · {s.duration_min} min · {s.status}"
            if s.location:
                line += f" · {_one_line(s.location)}"
            if s.notes.strip():
                line += f" · {_one_line(s.notes)}"
            out.append(line)
            discussion = _thread_lines(journal, s.id, chosen.comments)
            if discussion:
                out.extend([*discussion, ""])

    if chosen.resources:
        out += ["", "## Resources"]
        for r in chosen.resources:
            out += ["", f"### {_one_line(r.title)} ({r.kind})", ""]
            out.append(f"*Shared by {journal.member_name(r.author)}*")
            if r.url:
                out += ["", f"<{r.url}>"]
            if r.text.strip():
                out += ["", r.text.strip()]
            readers = [journal.member_name(m) for m in r.acknowledged]
            out += ["", f"Read by: {', '.join(readers) if readers else 'nobody yet'}"]
            out.extend(_thread_lines(journal, r.id, chosen.comments))

    topics = [t for t in chosen.threads if t.topic]
    if topics:
        out += ["", "## Discussions"]
        for t in topics:
            out += ["", f"### {_one_line(t.title)}", ""]
            out.append(f"*Started by {journal.member_name(t.author)}*")
            out.extend(_thread_lines(journal, t.id, chosen.comments))

    return replace("\n".join(out).rstrip() + "\n")


# --- writing an export ------------------------------------------------------------------


def write_export(journal_path: Path, out_path: Path, text: str) -> None:
    """Write an export to `out_path` atomically, readable only by its owner (mode 0600).

    Refuses to write over the journal itself or over any Tandem file.
    """
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
    atomic_write(target, text.encode("utf-8"))


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
