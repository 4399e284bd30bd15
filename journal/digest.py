"""What is new for one member, and which threads they have not read: the Home screen's data.

    digest = whats_new(journal)            # for the member who unlocked it
    for item in digest.items: ...          # newest first, by the other members
    digest.open_threads                    # unread first
    digest.upcoming                        # planned sessions in the next 14 days
    digest.days_since_checkin              # None when nobody has checked in yet

"Since you last looked" is the member's `Member.last_seen` (set by
`Journal.mark_seen`), stored in the journal so it follows the person from one
computer to the next. A member who has never looked counts from the day they
joined.

Read state is per member and per thread: `Member.read` maps a thread's target
id to the UTC time the member last read it (merged key by key, like
`Resource.acknowledged`). A comment is unread when another member wrote it
after that time; the member's own comments count as reading the thread.

Plain Python (no Textual): every function takes the journal's lock, so it is
safe to call from a worker thread while another one saves.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from journal import goals as goal_rules
from journal.journal import Journal
from journal.model import (
    ENTRY_KIND_LABELS,
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
)
from journal.text import one_line

__all__ = [
    "RequestSummary",
    "ResourceSummary",
    "GROUPS",
    "TARGET_KINDS",
    "UPCOMING_DAYS",
    "Digest",
    "DigestItem",
    "ThreadSummary",
    "describe_target",
    "mark_thread_read",
    "order_threads",
    "thread_summaries",
    "unread_comments",
    "unread_count",
    "whats_new",
]

UPCOMING_DAYS = 14
"""How far ahead Home lists planned sessions."""

GROUPS: dict[str, str] = {
    "entries": "Entries",
    "comments": "Comments",
    "measurements": "Measurements",
    "goals": "Goals",
    "resources": "Resources",
    "sessions": "Sessions",
}
"""The groups of `DigestItem.group`, in the order Home shows them, with their headings."""

TARGET_KINDS: dict[str, str] = {
    "entry": "Entry",
    "goal": "Goal",
    "resource": "Resource",
    "topic": "Topic",
    "session": "Session",
    "journal": "Journal",
    "member": "Member",
    "record": "Record",
}
"""What a thread can be about (`ThreadSummary.target_kind`), with its label."""

_KIND_GROUPS = {
    "entry": "entries",
    "entry-edited": "entries",
    "addendum": "entries",
    "comment": "comments",
    "measurement": "measurements",
    "goal": "goals",
    "goal-status": "goals",
    "goal-edited": "goals",
    "resource": "resources",
    "resource-edited": "resources",
    "resource-read": "resources",
    "session": "sessions",
    "session-status": "sessions",
    "session-edited": "sessions",
}

_PREVIEW = 80
"""Characters of a body shown in a one-line summary."""


@dataclass(frozen=True)
class DigestItem:
    """One thing another member did since the member last looked.

    `kind` is one of: entry, entry-edited, addendum, comment, measurement,
    goal, goal-status, goal-edited, resource, resource-edited, resource-read,
    session, session-status, session-edited.
    """

    record_id: str
    """The record the item is about (the new comment, the measurement, ...)."""
    open_id: str
    """The record to take the person to: a comment's target, a measurement's goal, else itself."""
    kind: str
    title: str
    """What it is about, one line: an entry's or goal's title, a session's time."""
    summary: str
    """What happened, one line: 'New check-in', 'Status: mastered', a comment's first words."""
    who: str
    """The name of the member who did it."""
    who_id: str
    when: str
    """When it happened, UTC (`YYYY-MM-DDTHH:MM:SS.ffffffZ`)."""

    @property
    def group(self) -> str:
        """The key in `GROUPS` this item is shown under."""
        return _KIND_GROUPS.get(self.kind, "entries")


@dataclass(frozen=True)
class ThreadSummary:
    """One thread with comments: what it is about, its last comment and what is unread."""

    target_id: str
    target_kind: str
    """entry, goal, resource, topic, session, journal, member or record."""
    title: str
    status: str
    """open or resolved."""
    comments: int
    unread: int
    last_author: str
    """The name of who wrote the last comment."""
    last_author_id: str
    last_at: str
    """When the last comment was written, UTC."""
    last_preview: str
    """The last comment's first words, one line."""
    waiting: bool = False
    """An unanswered question from another member: the member is the one to answer."""


@dataclass(frozen=True)
class RequestSummary:
    """An open change request on a session, as Home shows it."""

    request_id: str
    session_id: str
    asked_by: str
    asked_by_id: str
    text: str
    starts_at: str
    """The session's local start ('' if the session is gone)."""
    proposed_starts_at: str
    """The proposed new start; '' asks to cancel."""
    mine: bool
    """The member's own request, waiting for the others."""


@dataclass(frozen=True)
class ResourceSummary:
    """A resource the member has not read yet."""

    resource_id: str
    title: str
    kind: str
    shared_by: str
    shared_at: str


@dataclass(frozen=True)
class Digest:
    """Everything Home shows for one member."""

    member_id: str
    since: str
    """The member's last look (UTC), or when they joined if they have never looked."""
    first_look: bool
    """True when the member has never looked (`since` is when they joined)."""
    items: tuple[DigestItem, ...] = ()
    """What the other members did since `since`, newest first."""
    open_threads: tuple[ThreadSummary, ...] = ()
    """Unresolved threads: unread first, then the most recently active."""
    upcoming: tuple[Session, ...] = ()
    """Planned sessions from now to `UPCOMING_DAYS` days ahead, soonest first."""
    last_checkin: str | None = None
    """The local time ('YYYY-MM-DDTHH:MM') of the latest check-in, by anyone."""
    last_checkin_id: str | None = None
    days_since_checkin: int | None = None
    """Whole days from the latest check-in's date to today; None when there is none."""
    counts: dict[str, int] = field(default_factory=dict)
    """How many items each group holds."""
    change_requests: tuple[RequestSummary, ...] = ()
    """Open change requests: the others' first (to answer), then the member's own (waiting)."""
    unread_resources: tuple[ResourceSummary, ...] = ()
    """Resources shared by others that the member has not marked read, newest first."""

    @property
    def unread_threads(self) -> int:
        """How many open threads have comments the member has not read."""
        return sum(1 for thread in self.open_threads if thread.unread)


# --- times ---------------------------------------------------------------------------


def _moment(utc: str | None) -> datetime | None:
    """A stored UTC time as an aware datetime; None for empty or unparsable text.

    Stored times are compared as datetimes, not strings, because a time given
    to `acting_as` may lack the microseconds ('...:00Z' sorts after '...:00.5Z').
    """
    if not utc:
        return None
    try:
        moment = datetime.fromisoformat(utc.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _after(utc: str | None, since: datetime | None) -> bool:
    """True when `utc` is a time later than `since` (everything is, when `since` is None)."""
    moment = _moment(utc)
    if moment is None:
        return False
    return since is None or moment > since


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _now_text(journal: Journal) -> str:
    """The journal's notion of now: the time given to `acting_as`, else the clock."""
    return journal.now()


def _preview(text: str) -> str:
    line = one_line(text)
    return line if len(line) <= _PREVIEW else line[: _PREVIEW - 1].rstrip() + "…"


# --- thread read state ---------------------------------------------------------------


def _member(journal: Journal, member_id: str | None) -> Member:
    return journal.get(Member, member_id) if member_id else journal.me


def _unread(member: Member, target_id: str, comments: list[Comment]) -> list[Comment]:
    """The comments of one thread (all on `target_id`) the member has not read."""
    seen = _moment(member.read.get(target_id, ""))
    for comment in comments:
        if comment.author == member.id:
            moment = _moment(comment.created_at)
            if moment is not None and (seen is None or moment > seen):
                seen = moment
    return [c for c in comments if c.author != member.id and _after(c.created_at, seen)]


def unread_comments(
    journal: Journal, target_id: str, member_id: str | None = None
) -> list[Comment]:
    """The comments on a thread the member (default: the current one) has not read, oldest first.

    A comment is unread when another member wrote it after the member last
    read the thread, or after the member's own latest comment on it.
    """
    with journal.lock:
        member = _member(journal, member_id)
        return _unread(member, target_id, journal.thread(target_id))


def unread_count(journal: Journal, target_id: str, member_id: str | None = None) -> int:
    """How many comments on a thread the member (default: the current one) has not read."""
    return len(unread_comments(journal, target_id, member_id))


def mark_thread_read(journal: Journal, target_id: str, *, at: str | None = None) -> str:
    """Record that the current member has read the thread on `target_id`; returns the time kept.

    The time kept is `at` (default: now, or the `acting_as` time), or the
    thread's newest comment's time if that is later, so a comment written on
    a computer whose clock runs ahead still counts as read. The journal must
    be saved afterwards, as for any change.
    """
    with journal.lock:
        member = journal.me
        stamp = at or _now_text(journal)
        newest = max(
            (c.created_at for c in journal.thread(target_id)),
            key=lambda t: _moment(t) or datetime.min.replace(tzinfo=UTC),
            default="",
        )
        stamp_moment, newest_moment = _moment(stamp), _moment(newest)
        if newest_moment is not None and (stamp_moment is None or newest_moment > stamp_moment):
            stamp = _utc_text(newest_moment)
        if member.read.get(target_id) != stamp:
            journal.update_member(member.id, read={**member.read, target_id: stamp})
        return stamp


# --- threads -------------------------------------------------------------------------


_TARGET_TYPES: tuple[type[Record], ...] = (
    Entry,
    Goal,
    Resource,
    Thread,
    Session,
    JournalInfo,
    Member,
    Measurement,
)
"""Where a thread's target may live, most likely first."""


def _lookup(journal: Journal, target_id: str) -> Record | None:
    """The record with exactly this id (a topic for a thread id), without scanning tables."""
    document = journal.document()
    for cls in _TARGET_TYPES:
        doc = document.get(cls.TABLE, {}).get(target_id)
        if doc is not None and (cls is not Thread or doc.get("topic")):
            return cls.from_doc(doc)
    return None


def describe_target(journal: Journal, target_id: str) -> tuple[str, str]:
    """(kind, title) of what a thread is about: an entry, goal, resource, topic, ...

    The kind is entry, goal, resource, topic, session, journal, member, or
    record (for something else); a deleted target's title ends in
    ' (deleted)', a missing one is '(missing)'. `target_id` is a full id.
    """
    with journal.lock:
        record = _lookup(journal, target_id)
    if record is None:
        return ("record", "(missing)")
    kind, title = _describe(record)
    return kind, title + (" (deleted)" if record.deleted else "")


def _target(journal: Journal, target_id: str) -> tuple[str, str, bool]:
    """(kind, title, deleted) of a thread's target; a missing one counts as deleted."""
    with journal.lock:
        record = _lookup(journal, target_id)
    if record is None:
        return ("record", "(missing)", True)
    kind, title = _describe(record)
    return kind, title, record.deleted


def _describe(record: Record) -> tuple[str, str]:
    if isinstance(record, Entry):
        return "entry", one_line(record.title) or "(untitled)"
    if isinstance(record, Goal | Resource):
        kind = "goal" if isinstance(record, Goal) else "resource"
        return kind, one_line(record.title) or "(untitled)"
    if isinstance(record, Thread):
        return "topic", one_line(record.title) or "(untitled topic)"
    if isinstance(record, Session):
        return "session", f"Session {record.starts_at.replace('T', ' ', 1)}"
    if isinstance(record, JournalInfo):
        return "journal", one_line(record.title) or "The journal"
    if isinstance(record, Member):
        return "member", one_line(record.name)
    return "record", record.id[:8]


def _asks(text: str) -> bool:
    """True when a post asks something (a question mark in it)."""
    return "?" in text


def thread_summaries(
    journal: Journal, member_id: str | None = None, *, include_resolved: bool = True
) -> list[ThreadSummary]:
    """Every thread with comments, and every Question entry, for one member.

    Resolved threads only with `include_resolved`. Threads on deleted (or
    missing) records are left out. A thread is `waiting` for the member when
    its last post (a Question entry counts as its first) is another member's
    and asks something: a Question entry, or a comment with a question mark.
    Sorted: open before resolved, unread before read, then the most recently
    active first.
    """
    with journal.lock:
        member = _member(journal, member_id)
        names = {m.id: m.name for m in journal.all(Member, include_deleted=True)}
        by_target: dict[str, list[Comment]] = {}
        for comment in journal.all(Comment):
            if comment.kind == "comment":
                by_target.setdefault(comment.target_id, []).append(comment)
        questions = {e.id: e for e in journal.all(Entry) if e.kind == "question"}
        for entry_id in questions:
            by_target.setdefault(entry_id, [])
        summaries: list[ThreadSummary] = []
        for target_id, comments in by_target.items():
            status = journal.thread_status(target_id)
            if status != "open" and not include_resolved:
                continue
            kind, title, gone = _target(journal, target_id)
            if gone:
                continue
            comments.sort(key=lambda c: (_moment(c.created_at) or _EPOCH, c.id))
            question = questions.get(target_id)
            if comments:
                last_author, last_at, last_body = (
                    comments[-1].author,
                    comments[-1].created_at,
                    comments[-1].body,
                )
                asks = _asks(last_body) or (question is not None and last_author == question.author)
            else:
                assert question is not None
                last_author, last_at = question.author, question.created_at
                last_body, asks = question.body or question.title, True
            summaries.append(
                ThreadSummary(
                    target_id=target_id,
                    target_kind=kind,
                    title=title,
                    status=status,
                    comments=len(comments),
                    unread=len(_unread(member, target_id, comments)),
                    last_author=names.get(last_author, "unknown"),
                    last_author_id=last_author,
                    last_at=last_at,
                    last_preview=_preview(last_body),
                    waiting=asks and status == "open" and last_author != member.id,
                )
            )
    return order_threads(summaries)


def order_threads(
    threads: Iterable[ThreadSummary], *, unread: Collection[str] = ()
) -> list[ThreadSummary]:
    """Threads in the order they are listed: open first, unread first, then newest first.

    Threads whose target id is in `unread` sort as unread even if they are
    read now: a list keeps the threads read while it is on screen in place.
    """
    ordered = sorted(threads, key=lambda t: (t.title, t.target_id))
    ordered.sort(key=lambda t: _moment(t.last_at) or _EPOCH, reverse=True)
    ordered.sort(key=lambda t: (t.status != "open", not (t.unread or t.target_id in unread)))
    return ordered


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# --- what is new ---------------------------------------------------------------------

_NOT_EDITS = ("acknowledged.", "read.")
"""Units whose change is not an edit of the record (reading it is reported on its own)."""


def _new_by_other(record: Record, me: str, since: datetime | None) -> bool:
    return record.author != me and _after(record.created_at, since)


def _changed_by_other(
    record: Record, me: str, since: datetime | None, *, units: Iterable[str] | None = None
) -> tuple[str, str] | None:
    """(member id, UTC time) of the latest change another member made after `since`.

    Only changes after the record's creation count, to `units` if given, and
    never marking it as read (`_NOT_EDITS`).
    """
    wanted = set(units) if units is not None else None
    creation = record.dots.get("*")
    best: tuple[str, str, datetime] | None = None
    for unit, dot in record.dots.items():
        if unit == "*" or dot == creation or unit.startswith(_NOT_EDITS):
            continue
        if wanted is not None and unit not in wanted:
            continue
        info = record.writes.get(dot)
        if not info or len(info) < 3 or info[1] == me:
            continue
        moment = _moment(info[2])
        if moment is None or (since is not None and moment <= since):
            continue
        if best is None or moment > best[2]:
            best = (info[1], info[2], moment)
    return (best[0], best[1]) if best is not None else None


def _measurement_text(measurement: Measurement, goal: Goal) -> str:
    if measurement.correct is not None and measurement.total:
        text = f"{measurement.score or 0.0:.0f}% ({measurement.correct}/{measurement.total})"
    elif measurement.value is not None:
        text = goal_rules.format_value(goal.measure, measurement.value)
    else:
        text = "A data point"
    if measurement.prompt:
        text += f", {measurement.prompt}"
    if measurement.date:
        text += f" on {measurement.date}"
    return one_line(text)


def _session_title(session: Session) -> str:
    return one_line(f"Session {session.starts_at.replace('T', ' ', 1)}")


class _Collector:
    """Gathers the digest items for one member."""

    def __init__(self, journal: Journal, member: Member, since: datetime | None) -> None:
        self.journal = journal
        self.me = member.id
        self.since = since
        self.names = {m.id: m.name for m in journal.all(Member, include_deleted=True)}
        self.items: list[DigestItem] = []

    def add(
        self,
        record: Record,
        kind: str,
        title: str,
        summary: str,
        by: tuple[str, str],
        open_id: str | None = None,
    ) -> None:
        who, when = by
        self.items.append(
            DigestItem(
                record_id=record.id,
                open_id=open_id or record.id,
                kind=kind,
                title=title,
                summary=summary,
                who=one_line(self.names.get(who, "unknown")),
                who_id=who,
                when=when,
            )
        )

    def new(self, record: Record) -> bool:
        return _new_by_other(record, self.me, self.since)

    def changed(self, record: Record, units: Iterable[str] | None = None) -> tuple[str, str] | None:
        return _changed_by_other(record, self.me, self.since, units=units)

    def entries(self, entries: dict[str, Entry]) -> None:
        for entry in entries.values():
            title = one_line(entry.title) or "(untitled)"
            label = ENTRY_KIND_LABELS.get(entry.kind, entry.kind)
            if self.new(entry):
                by = (entry.author, entry.created_at)
                self.add(entry, "entry", title, f"New {label.lower()}", by)
            elif edit := self.changed(entry):
                finalized = entry.locked and self.changed(entry, ["status"]) == edit
                summary = f"{label} finalized" if finalized else f"{label} edited"
                self.add(entry, "entry-edited", title, summary, edit)

    def comments(self, entries: dict[str, Entry]) -> None:
        for comment in self.journal.all(Comment):
            if not self.new(comment):
                continue
            by = (comment.author, comment.created_at)
            if comment.kind == "addendum":
                entry = entries.get(comment.target_id)
                if entry is not None:
                    title = one_line(entry.title) or "(untitled)"
                    summary = "Addendum: " + _preview(comment.body)
                    self.add(comment, "addendum", title, summary, by, entry.id)
                continue
            _kind, title, gone = _target(self.journal, comment.target_id)
            if not gone:
                summary = _preview(comment.body)
                self.add(comment, "comment", title, summary, by, comment.target_id)

    def goals(self, goals: dict[str, Goal]) -> None:
        for measurement in self.journal.all(Measurement):
            goal = goals.get(measurement.goal_id)
            if goal is not None and self.new(measurement):
                title = one_line(goal.title) or "(untitled)"
                summary = _measurement_text(measurement, goal)
                by = (measurement.author, measurement.created_at)
                self.add(measurement, "measurement", title, summary, by, goal.id)
        for goal in goals.values():
            title = one_line(goal.title) or "(untitled)"
            if self.new(goal):
                by = (goal.author, goal.created_at)
                self.add(goal, "goal", title, one_line(f"New goal ({goal.status})"), by)
            elif moved := self.changed(goal, ["status"]):
                self.add(goal, "goal-status", title, one_line(f"Status: {goal.status}"), moved)
            elif edit := self.changed(goal):
                self.add(goal, "goal-edited", title, "Goal edited", edit)

    def resources(self) -> None:
        for resource in self.journal.all(Resource):
            title = one_line(resource.title) or "(untitled)"
            if self.new(resource):
                by = (resource.author, resource.created_at)
                self.add(resource, "resource", title, one_line(f"New {resource.kind}"), by)
                continue
            for reader, at in sorted(resource.acknowledged.items()):
                if reader != self.me and _after(at, self.since):
                    self.add(resource, "resource-read", title, "Marked as read", (reader, at))
            if edit := self.changed(resource):
                self.add(resource, "resource-edited", title, "Resource edited", edit)

    def sessions(self) -> None:
        sessions = {session.id: session for session in self.journal.all(Session)}
        moves = {s.moved_to for s in sessions.values() if s.status == "moved" and s.moved_to}
        for session in sessions.values():
            title = _session_title(session)
            if self.new(session):
                if session.id not in moves:  # shown as the old session's move
                    by = (session.author, session.created_at)
                    self.add(session, "session", title, "New session planned", by)
            elif status := self.changed(session, ["status"]):
                moved = sessions.get(session.moved_to or "")
                if session.status == "moved" and moved is not None:
                    summary = "Moved to " + moved.starts_at.replace("T", " ", 1)
                    self.add(session, "session-status", title, one_line(summary), status, moved.id)
                else:
                    summary = one_line(f"Session {session.status}")
                    self.add(session, "session-status", title, summary, status)
            elif edit := self.changed(session):
                self.add(session, "session-edited", title, "Session changed", edit)


def whats_new(
    journal: Journal, member_id: str | None = None, *, now: datetime | None = None
) -> Digest:
    """What Home shows the member (default: the current one) at `now` (default: the clock).

    Items are what the other members created or changed after the member's
    `last_seen` (or, if they never looked, after they joined), newest first;
    open threads, upcoming sessions and the days since the last check-in are
    as of `now`. A naive `now` is local time.
    """
    moment = now or datetime.now(UTC)
    local = moment.astimezone()
    with journal.lock:
        member = _member(journal, member_id)
        since_text = member.last_seen or member.created_at
        collect = _Collector(journal, member, _moment(since_text))
        entries = {entry.id: entry for entry in journal.all(Entry)}
        collect.entries(entries)
        collect.comments(entries)
        collect.goals({goal.id: goal for goal in journal.all(Goal)})
        collect.resources()
        collect.sessions()
        open_threads = tuple(thread_summaries(journal, member.id, include_resolved=False))
        start = local.strftime("%Y-%m-%dT%H:%M")
        end = (local + timedelta(days=UPCOMING_DAYS)).strftime("%Y-%m-%dT%H:%M")
        upcoming = tuple(
            session
            for session in journal.sessions()
            if session.status == "planned" and start <= session.starts_at <= end
        )
        latest = journal.entries(kind="checkin", limit=1)
        names = {m.id: m.name for m in journal.members_by_id().values()}
        starts = {session.id: session.starts_at for session in journal.all(Session)}
        requests = tuple(
            RequestSummary(
                request_id=r.id,
                session_id=r.session_id,
                asked_by=names.get(r.author, "someone"),
                asked_by_id=r.author,
                text=r.text,
                starts_at=starts.get(r.session_id, ""),
                proposed_starts_at=r.proposed_starts_at,
                mine=r.author == member.id,
            )
            for r in sorted(
                journal.open_requests(), key=lambda r: (r.author == member.id, r.created_at, r.id)
            )
        )
        unread = tuple(
            ResourceSummary(
                resource_id=r.id,
                title=r.title,
                kind=r.kind,
                shared_by=names.get(r.author, "someone"),
                shared_at=r.created_at,
            )
            for r in sorted(
                journal.unread_resources(member.id),
                key=lambda r: (r.created_at, r.id),
                reverse=True,
            )
        )

    # Newest first; at the same time, by title and summary, so the order never depends on ids.
    items = sorted(collect.items, key=lambda item: (item.title, item.summary, item.record_id))
    items.sort(key=lambda item: _moment(item.when) or _EPOCH, reverse=True)
    counts: dict[str, int] = {}
    for item in items:
        counts[item.group] = counts.get(item.group, 0) + 1
    last_checkin = latest[0].occurred_at if latest else None
    return Digest(
        member_id=member.id,
        since=since_text,
        first_look=not member.last_seen,
        items=tuple(items),
        open_threads=open_threads,
        upcoming=upcoming,
        last_checkin=last_checkin,
        last_checkin_id=latest[0].id if latest else None,
        days_since_checkin=_days_since(last_checkin, local.date()),
        counts=counts,
        change_requests=requests,
        unread_resources=unread,
    )


def _days_since(occurred_at: str | None, today: date) -> int | None:
    if not occurred_at:
        return None
    try:
        day = date.fromisoformat(occurred_at[:10])
    except ValueError:
        return None
    return max(0, (today - day).days)
