"""Tandem's own JSON export: every selected record with its stored fields.

    text = export_json(journal, since="2025-03-01", pseudonym="Alex")

`journal.reports.importers` reads it back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Unpack

from journal.journal import Journal
from journal.model import Member, Record, utc_now
from journal.reports.common import EXPORT_VERSION, SYNC_KEYS
from journal.reports.pseudonyms import replace_everywhere
from journal.reports.selection import ExportFilters, read


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


def export_data(journal: Journal, **filters: Unpack[ExportFilters]) -> dict[str, Any]:
    """Tandem's JSON export as a Python object (see `export_json`)."""
    reading = read(journal, filters)
    chosen, members = reading.chosen, reading.found.members

    def docs(records: Iterable[Record]) -> list[dict[str, Any]]:
        return [record_to_export(journal, r, members) for r in records]

    goals = docs(chosen.goals)
    for doc, g in zip(goals, chosen.goals, strict=True):
        doc["criterion_met"] = reading.criterion_met(g)
    goal = filters.get("goal")
    data: dict[str, Any] = {
        "tandem_export": EXPORT_VERSION,
        "journal_id": reading.journal_id,
        "exported_at": utc_now(),
        "filters": {
            "since": filters.get("since"),
            "until": filters.get("until"),
            "kind": filters.get("kind"),
            "goal": chosen.goals[0].id if goal is not None and chosen.goals else None,
            "pseudonym": filters.get("pseudonym") is not None,
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
        "events": docs(chosen.events),
    }
    result: dict[str, Any] = replace_everywhere(data, reading.replace)
    return result


def export_json(journal: Journal, **filters: Unpack[ExportFilters]) -> str:
    """Tandem's own JSON export of the journal (or of a filtered part of it).

    An object `{"tandem_export": 1, "journal_id", "exported_at", "filters",
    "journal", "members", "entries", "goals", "measurements", "comments",
    "threads", "resources", "sessions", "events"}`. Records carry their stored
    fields except the sync metadata (vv, hlc, conflicts), plus `author_name`; goals
    also carry `criterion_met`. See `select` for what the filters narrow.
    With `pseudonym`, the child's name is replaced everywhere in the text.
    """
    return json.dumps(export_data(journal, **filters), indent=2, ensure_ascii=False) + "\n"
