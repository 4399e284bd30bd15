"""What an export will hold, said before anything is written (the app's Export dialog).

preview = preview_export(journal, kind="incident", pseudonym="Alex")
preview.lines()   # ['Period: ...', '12 entries, ...', ...]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Unpack

from journal.journal import Journal
from journal.model import Record
from journal.reports.common import SYNC_KEYS
from journal.reports.pseudonyms import child_name_pattern
from journal.reports.selection import ExportFilters, check_filters, read


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


def preview_export(journal: Journal, **filters: Unpack[ExportFilters]) -> ExportPreview:
    """What an export with these filters would hold (any format), without writing.

    Raises UsageError for a filter or pseudonym an export would refuse.
    """
    check_filters(filters)
    reading = read(journal, filters, details=False)
    chosen, replace = reading.chosen, reading.replace
    since, until, pseudonym = filters.get("since"), filters.get("until"), filters.get("pseudonym")
    pattern = child_name_pattern(chosen.info.child_name)
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
