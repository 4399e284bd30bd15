"""The CSV export: one file per kind of data, ready for a spreadsheet.

export_csv(journal, Path("tables.zip"))     # or a folder of CSV files
files = csv_files(journal, kind="incident")  # name -> bytes, nothing written
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, Unpack

from journal.errors import TandemError
from journal.journal import Journal
from journal.model import ENTRY_KIND_LABELS, KIND_FIELDS, Entry, Goal, Measurement
from journal.reports.selection import ExportFilters, Selection, read
from journal.reports.writing import checked_target, write_export_bytes
from journal.storage import atomic_write

CSV_FILES = (
    "entries.csv",
    "measurements.csv",
    "comments.csv",
    "goals.csv",
    "sessions.csv",
    "events.csv",
)
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


def csv_files(journal: Journal, **filters: Unpack[ExportFilters]) -> dict[str, bytes]:
    """The files of a CSV export by name (see `CSV_FILES`), each ready to write.

    entries.csv has one row per entry and one column per structured field of
    every kind; measurements.csv one row per data point with its goal;
    comments.csv every comment and addendum with the record it is about;
    goals.csv the goals with their criterion and latest data; sessions.csv
    the schedule; events.csv the dated events drawn on the charts, with the
    goals they are about (none: every goal). Filters and pseudonym as in
    `export_json`.
    """
    reading = read(journal, filters)
    chosen, found, replace = reading.chosen, reading.found, reading.replace
    goals_by_id = found.goals

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
        points = reading.all_points.get(g.id, [])
        last = points[-1] if points else None
        parent = goals_by_id.get(g.parent_id or "")
        goal_rows.append(
            [
                g.id,
                g.title,
                parent.title if parent else "",
                g.domain,
                g.status,
                reading.criterion_met(g),
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
    event_rows = (
        [e.id, e.date, e.title, e.note, titles(e.goals), found.name(e.author)]
        for e in chosen.events
    )
    events_header = ["id", "date", "title", "note", "goals", "added by"]
    return {
        "entries.csv": _csv_bytes(entries_header, entry_rows, replace),
        "measurements.csv": _csv_bytes(measurements_header, measurement_rows, replace),
        "comments.csv": _csv_bytes(comments_header, comment_rows, replace),
        "goals.csv": _csv_bytes(goals_header, goal_rows, replace),
        "sessions.csv": _csv_bytes(sessions_header, session_rows, replace),
        "events.csv": _csv_bytes(events_header, event_rows, replace),
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


def export_csv(journal: Journal, out: Path, **filters: Unpack[ExportFilters]) -> list[Path]:
    """Write the CSV export to a folder, or to a zip when `out` ends with .zip.

    A folder is created if needed (mode 0700) and each file in it is written
    atomically (mode 0600); a zip is built in memory and written atomically.
    Never writes over the journal or any Tandem file. Returns the paths
    written. See `csv_files` for what the files hold.
    """
    out = Path(out)
    files = csv_files(journal, **filters)
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
    targets = {name: checked_target(journal.path, out / name) for name in files}
    for name, data in files.items():  # every target was checked before the first write
        atomic_write(targets[name], data)
    return [out / name for name in files]
