"""A caseload: many journals (one per family) and what each needs from you, in one list.

    cases = [read_case(path, holder=agent) for path in paths]
    for case in sorted(cases, key=Case.needs_you): print(case.path, case.line())

Each journal becomes a `Case`: its state (ok, locked, damaged, newer,
missing, wrong passphrase or unreadable, each with a one-line reason; a list
still filling in shows "reading" for the rest) and,
once open, what Home would show its member (journal/digest.py): what is new
since they last looked, the questions and change requests waiting for their
answer, conflicts to resolve, the next session, the days since the last
check-in and the goals at criterion that wait for confirmation. A journal
that cannot be opened never stops the others.

Keys come from a `journal.keys.KeyHolder` (the agent, or the app's own store)
or from one passphrase tried on every journal ("one entry unlocks them all").
Reading a case never changes its journal. Plain Python: no Textual.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal import goals as goal_rules
from journal.errors import (
    DamagedFile,
    NewerFormat,
    NotATandemFile,
    TandemError,
    WrongPassphrase,
)
from journal.keys import KeyHolder, NotHeld, open_and_hold, open_held
from journal.text import one_line, plural

if TYPE_CHECKING:
    from journal.journal import Journal

__all__ = [
    "AWAITING_CONFIRMATION",
    "STATES",
    "Case",
    "CaseSession",
    "caseload_calendar",
    "case_of",
    "open_case",
    "read_case",
    "search_journal",
    "sessions_ahead",
    "sort_cases",
]

STATES: dict[str, str] = {
    "ok": "open",
    "locked": "locked",
    "damaged": "damaged",
    "newer": "needs a newer Tandem",
    "missing": "missing",
    "wrong_passphrase": "wrong passphrase",
    "unreadable": "cannot be read",
    "reading": "reading…",
}
"""Each state of a case and how it reads."""

AWAITING_CONFIRMATION = goal_rules.AWAITING_CONFIRMATION

QUIET_DAYS = 7
"""No check-in for this many days counts as something that needs you."""
SOON_DAYS = 2
"""A session within this many days counts as something that needs you."""


@dataclass(frozen=True)
class Case:
    """One journal of the caseload: its state and, once open, what waits for you there."""

    path: Path
    state: str
    """A key of `STATES`."""
    reason: str = ""
    """Why it is not open, one line ('' when ok)."""
    title: str = ""
    child: str = ""
    journal_id: str = ""
    member: str = ""
    """Your name in this journal."""
    new: int = 0
    """What the others did since you last looked (Home's "new since you last looked")."""
    questions: int = 0
    """Questions asked of you: question entries by others with no reply from you yet."""
    requests: int = 0
    """Change requests on sessions by others, waiting for your answer."""
    conflicts: int = 0
    """Records with versions to choose between (tandem resolve)."""
    next_session: str | None = None
    """The next planned session's local start, 'YYYY-MM-DDTHH:MM'."""
    days_since_checkin: int | None = None
    goals_to_confirm: int = 0
    """Goals at criterion still in baseline or acquisition."""

    @property
    def is_open(self) -> bool:
        """True when the journal was read (state ok)."""
        return self.state == "ok"

    @property
    def name(self) -> str:
        """The journal's title once open, else its file name (one line)."""
        return one_line(self.title) if self.title else one_line(self.path.name)

    def needs_you(self, now: datetime | None = None) -> tuple[int, int, str, str]:
        """The sort key of "what needs you first" (ascending).

        Tiers: 0 questions, change requests or conflicts; 1 goals to confirm or
        a session within `SOON_DAYS`; 2 something new, or no check-in for
        `QUIET_DAYS`; 3 locked or not read yet (unknown); 4 a file that cannot
        be read; 5 nothing waiting. Within a tier: more waiting first, then name.
        """
        waiting = self.questions + self.requests + self.conflicts
        if self.is_open:
            soon = self.next_session is not None and self.next_session <= _local_text(
                (now or datetime.now(UTC)) + timedelta(days=SOON_DAYS)
            )
            quiet = self.days_since_checkin is not None and self.days_since_checkin >= QUIET_DAYS
            if waiting:
                tier, count = 0, waiting
            elif self.goals_to_confirm or soon:
                tier, count = 1, self.goals_to_confirm
            elif self.new or quiet:
                tier, count = 2, self.new
            else:
                tier, count = 5, 0
        else:
            tier, count = (3 if self.state in ("locked", "reading") else 4), 0
        return (tier, -count, self.name.casefold(), str(self.path))

    def parts(self) -> list[str]:
        """What waits, in short phrases ('3 new', '1 question', ...); [] when nothing does."""
        if not self.is_open:
            return []
        found: list[str] = []
        if self.new:
            found.append(f"{self.new} new")
        if self.questions:
            found.append(plural(self.questions, "question"))
        if self.requests:
            found.append(plural(self.requests, "change request"))
        if self.conflicts:
            found.append(plural(self.conflicts, "conflict"))
        if self.goals_to_confirm:
            found.append(f"{plural(self.goals_to_confirm, 'goal')} to confirm")
        if self.next_session:
            found.append(f"next session {self.next_session.replace('T', ' ')}")
        if self.days_since_checkin is not None:
            days = self.days_since_checkin
            found.append("checked in today" if days == 0 else f"last check-in {days} d ago")
        return found

    def line(self) -> str:
        """One line about this journal: what waits, or its state and why."""
        if not self.is_open:
            reason = f": {self.reason}" if self.reason else ""
            return one_line(f"{STATES.get(self.state, self.state)}{reason}")
        return " · ".join(self.parts()) or "nothing new"

    def to_json(self) -> dict[str, Any]:
        """The case as a JSON object (`path` and `state` first)."""
        data = dataclasses.asdict(self)
        data["path"] = str(self.path)
        return {"path": data.pop("path"), "state": data.pop("state"), **data}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Case:
        """The case `to_json` wrote (unknown keys are left out)."""
        names = {f.name for f in dataclasses.fields(cls)}
        values = {key: value for key, value in data.items() if key in names}
        return cls(**{**values, "path": Path(str(data["path"]))})


def sort_cases(cases: Iterable[Case], now: datetime | None = None) -> list[Case]:
    """The cases, what needs you first (`Case.needs_you`)."""
    return sorted(cases, key=lambda case: case.needs_you(now))


def _local_text(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%dT%H:%M")


# --- reading one journal -----------------------------------------------------------------


def failed_case(path: Path, error: BaseException) -> Case:
    """The case of a journal that did not open, with its state and one-line reason."""
    reason = one_line(str(error))
    if isinstance(error, NotHeld):
        return Case(path, "locked", "unlock it to see what waits")
    if isinstance(error, WrongPassphrase):
        return Case(path, "wrong_passphrase", "the passphrase given does not open it")
    if isinstance(error, NewerFormat):
        return Case(path, "newer", reason)
    if isinstance(error, DamagedFile | NotATandemFile):
        return Case(path, "damaged", reason)
    if isinstance(error, OSError):
        return Case(path, "unreadable", one_line(error.strerror or str(error)))
    if not _exists(path):
        return Case(path, "missing", f"no file at {one_line(str(path))}")
    return Case(path, "unreadable", reason)


def _exists(path: Path) -> bool:
    try:
        return os.path.isfile(path)
    except OSError:
        return False


def open_case(
    path: Path | str,
    *,
    holder: KeyHolder | None = None,
    secret: str | None = None,
    now: datetime | None = None,
) -> tuple[Case, Journal | None]:
    """Open one journal and read its case; returns the case and the open journal (or None).

    A key `holder` holds is tried first (no key derivation); then `secret`,
    whose key is handed to `holder`. Without either, the file is only checked:
    an intact one is "locked". Never raises for a journal that cannot be opened.
    """
    path = Path(path)
    if not _exists(path):
        return Case(path, "missing", f"no file at {one_line(str(path))}"), None
    try:
        journal = _open(path, holder, secret)
    except (TandemError, OSError) as error:
        return failed_case(path, error), None
    try:
        return case_of(journal, now=now), journal
    except TandemError as error:  # a journal whose records do not read as they should
        return failed_case(path, DamagedFile(str(error))), None
    except Exception as error:  # noqa: BLE001 - one journal never stops the others
        return Case(path, "unreadable", one_line(str(error)) or type(error).__name__), None


def read_case(
    path: Path | str,
    *,
    holder: KeyHolder | None = None,
    secret: str | None = None,
    now: datetime | None = None,
) -> Case:
    """`open_case`, keeping only the case."""
    return open_case(path, holder=holder, secret=secret, now=now)[0]


def _open(path: Path, holder: KeyHolder | None, secret: str | None) -> Journal:
    if holder is not None:
        try:
            return open_held(path, holder)
        except NotHeld:
            if not secret:
                raise
    if secret:
        return open_and_hold(path, secret, holder)
    from journal.fileformat import read_container

    read_container(path)  # damage or a newer format shows even while locked
    raise NotHeld("locked")


def case_of(journal: Journal, *, now: datetime | None = None) -> Case:
    """The case of an open journal, for its member, at `now` (default: the clock)."""
    from journal.digest import whats_new
    from journal.model import Goal, Measurement, Session

    moment = now or datetime.now(UTC)
    digest = whats_new(journal, now=moment)
    with journal.lock:
        me = journal.me
        info = journal.info
        questions = 0
        for doc in journal.entry_docs(kind="question"):
            if doc.get("author") == me.id or journal.thread_status(doc["id"]) != "open":
                continue
            if not any(comment.author == me.id for comment in journal.thread(doc["id"])):
                questions += 1
        conflicts = len(journal.records_in_conflict())
        start = _local_text(moment)
        upcoming = (
            s for s in journal.all(Session) if s.status == "planned" and s.starts_at >= start
        )
        next_session = min((s.starts_at for s in upcoming), default=None)
        points: dict[str, list[Measurement]] = {}
        for point in journal.all(Measurement):
            points.setdefault(point.goal_id, []).append(point)
        to_confirm = 0
        for goal in journal.all(Goal):
            if goal.status in AWAITING_CONFIRMATION:
                mine = sorted(points.get(goal.id, ()), key=goal_rules.point_order)
                to_confirm += goal_rules.criterion_met(goal, mine)
    return Case(
        path=journal.path,
        state="ok",
        title=info.title,
        child=info.child_name,
        journal_id=journal.journal_id,
        member=me.name,
        new=len(digest.items),
        questions=questions,
        requests=sum(1 for request in digest.change_requests if not request.mine),
        conflicts=conflicts,
        next_session=next_session,
        days_since_checkin=digest.days_since_checkin,
        goals_to_confirm=to_confirm,
    )


# --- across journals ---------------------------------------------------------------------


@dataclass(frozen=True)
class CaseSession:
    """A planned session of one journal of the caseload."""

    path: Path
    journal: str
    """The journal's title."""
    session_id: str
    starts_at: str
    """Local 'YYYY-MM-DDTHH:MM'."""
    duration_min: int
    location: str
    notes: str

    def to_json(self) -> dict[str, Any]:
        """As a JSON object."""
        data = dataclasses.asdict(self)
        data["path"] = str(self.path)
        return data


def sessions_ahead(
    journal: Journal, *, days: int, now: datetime | None = None
) -> list[CaseSession]:
    """The planned sessions of `journal` from now to `days` days ahead, soonest first."""
    moment = now or datetime.now(UTC)
    start, end = _local_text(moment), _local_text(moment + timedelta(days=days))
    with journal.lock:
        title = journal.title
        return [
            CaseSession(
                path=journal.path,
                journal=title,
                session_id=session.id,
                starts_at=session.starts_at,
                duration_min=session.duration_min,
                location=session.location,
                notes=session.notes,
            )
            for session in journal.sessions()
            if session.status == "planned" and start <= session.starts_at <= end
        ]


def search_journal(journal: Journal, text: str) -> Iterator[dict[str, Any]]:
    """The entries of `journal` whose text holds `text` (as `tandem list --search`), newest first.

    Each is the stored entry (read it, never change it).
    """
    yield from journal.entry_docs(search=text)


def caseload_calendar(
    journals: Iterable[Journal], *, days: int, now: datetime | None = None
) -> str:
    """One iCalendar file of the sessions in the next `days` days of every journal.

    The events are those `journal.reports.ics` writes for one journal (the same
    UIDs, so importing again updates them); each summary names the journal by
    its file name, never by the child's name that its title may hold.
    """
    from journal.model import Session
    from journal.reports.ics import calendar_lines, escape_text, fold_line

    moment = now or datetime.now(UTC)
    start, end = _local_text(moment), _local_text(moment + timedelta(days=days))
    stamp = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    events: list[str] = []
    header: list[str] = []
    for journal in journals:
        with journal.lock:
            sessions = [
                s for s in journal.all(Session, include_deleted=True) if start <= s.starts_at <= end
            ]
        lines = calendar_lines(sessions, stamp=stamp)
        first = lines.index("BEGIN:VEVENT") if "BEGIN:VEVENT" in lines else len(lines) - 1
        header = header or lines[:first]
        label = escape_text(f" · {journal.path.stem}")
        for line in lines[first:-1]:
            events.append(line + label if line.startswith("SUMMARY:") else line)
    if not header:
        header = calendar_lines([], stamp=stamp)[:-1]
    return "".join(fold_line(line) + "\r\n" for line in [*header, *events, "END:VCALENDAR"])
