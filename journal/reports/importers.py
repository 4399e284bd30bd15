"""Imports: a jrnl JSON export (`jrnl --export json`) or Tandem's own JSON export.

    report = import_file(journal, Path("jrnl.json"))     # jrnl 4.x
    report = import_file(journal, Path("backup.json"))   # `tandem export --format json`
    journal.save()

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
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Union

from journal.errors import TandemError, UsageError
from journal.fileformat import MAGIC
from journal.journal import Journal
from journal.model import (
    ENTRY_KINDS,
    GOAL_STATUSES,
    MEASURES,
    ROLES,
    SESSION_STATUSES,
    THREAD_STATUSES,
    Comment,
    Entry,
    Event,
    Goal,
    Measurement,
    Member,
    Record,
    Resource,
    Session,
    Thread,
    utc_now,
)
from journal.reports.common import EXPORT_VERSION, SECTIONS, SYNC_KEYS, one_line

RESOURCE_KINDS = ("link", "reading", "video", "tip")
COMMENT_KINDS = ("comment", "addendum")
ENTRY_STATUSES = ("draft", "final")
MEMBER_PROFILE = ("background", "values", "what_works", "contact_times")

_LOCAL_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?")
_JRNL_TIME = re.compile(r"\d{2}:\d{2}")
_UTC_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


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
        return TandemError(f"{source} is not a jrnl or Tandem JSON export: {one_line(reason)}")

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


_CHOICES: dict[type[Record], tuple[tuple[str, Iterable[str]], ...]] = {
    Member: (("role", ROLES),),
    Entry: (("kind", ENTRY_KINDS), ("status", ENTRY_STATUSES)),
    Goal: (("measure", MEASURES), ("status", GOAL_STATUSES)),
    Comment: (("kind", COMMENT_KINDS),),
    Thread: (("status", THREAD_STATUSES),),
    Resource: (("kind", RESOURCE_KINDS),),
    Session: (("status", SESSION_STATUSES),),
}
"""The fields of each record type that hold one of a few words, and those words."""

_NOT_BLANK: dict[type[Record], tuple[str, str]] = {
    Member: ("name", "a member needs a name"),
    Entry: ("title", "an entry needs a title"),
    Goal: ("title", "a goal needs a title"),
    Comment: ("body", "a comment cannot be empty"),
    Resource: ("title", "a resource needs a title"),
}
"""The field of each record type that may not be blank, and the problem when it is."""


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
    for name, choices in _CHOICES.get(cls, ()):
        _choice(where, name, getattr(record, name), choices)
    if cls in _NOT_BLANK:
        name, problem = _NOT_BLANK[cls]
        if not getattr(record, name).strip():
            raise _Malformed(f"{where}: {problem}")
    if isinstance(record, Entry) and not _valid_local_time(record.occurred_at):
        raise _Malformed(f"{where}: occurred_at {record.occurred_at!r} is not a date and time")
    elif isinstance(record, Goal) and record.criterion_sessions < 1:
        raise _Malformed(f"{where}: criterion_sessions must be at least 1")
    elif isinstance(record, Measurement):
        if not _valid_day(record.date) or len(record.date) != 10:
            raise _Malformed(f"{where}: the date {record.date!r} is not YYYY-MM-DD")
        if record.score is None:
            raise _Malformed(f"{where}: a measurement needs a value or correct/total")
    elif isinstance(record, Session):
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
        if isinstance(record, Event):  # of goals none of which came: it would be of every goal
            return not record.goals or bool(goal_ids.intersection(record.goals))
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
    elif isinstance(record, Event):
        record.goals = [g for g in record.goals if g in goal_ids]
    elif isinstance(record, Session) and record.moved_to not in session_ids:
        record.moved_to = None
    record.updated_by = ""
    record.deleted_at = record.deleted_by = None
