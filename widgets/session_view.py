"""The session chosen on the sessions screen: its facts, notes and requests, and its notes.

`SessionsData` is the schedule as the sessions screen shows it, read from the
journal in a worker (no Textual). `SessionView` shows one session of it in
full (`show`): when and how long, its status, who planned it, its notes and
the history of its change requests, then the observations and session notes
written from it (a list whose choices bubble up: the screen opens them).
Every line is plain `Content`: no user text is read as markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from journal.dates import describe_when, local_time, session_end
from journal.journal import Journal
from journal.model import ENTRY_KIND_LABELS, ChangeRequest, Entry, Session
from journal.text import one_line, safe_text

__all__ = [
    "OVER",
    "SessionView",
    "SessionsData",
    "ends_at",
    "note_prompt",
    "session_details",
    "session_status",
]

OVER = ("cancelled", "moved")
"""Statuses after which a session can no longer change."""


def ends_at(session: Session) -> str:
    """When `session` ends, as a wall time (`session_end`)."""
    return session_end(session.starts_at, session.duration_min)


# --- what the sessions screen shows, read in a worker (no Textual) -------------------------


@dataclass(frozen=True)
class SessionsData:
    """The schedule as the screen shows it: sessions, requests, linked notes and names."""

    now: str
    """The local time the schedule is split at, 'YYYY-MM-DDTHH:MM'."""
    me: str
    """The id of the member looking."""
    sessions: tuple[Session, ...] = ()
    """Every session, by start time."""
    requests: tuple[ChangeRequest, ...] = ()
    """Every change request (answered too), oldest first."""
    notes: Mapping[str, tuple[Entry, ...]] = field(default_factory=dict)
    """Session id -> the observations and notes linked to it, in the order they happened."""
    names: Mapping[str, str] = field(default_factory=dict)
    """Member id -> name (removed members too)."""

    @classmethod
    def load(cls, journal: Journal, now: str) -> SessionsData:
        """Read the schedule from `journal` (no Textual; fine in a thread)."""
        with journal.lock:
            me = journal.me.id
            sessions = journal.sessions()
            requests = sorted(journal.all(ChangeRequest), key=lambda r: (r.created_at, r.id))
            linked = [entry for entry in journal.all(Entry) if entry.session_id]
            names = {m.id: m.name for m in journal.members_by_id().values()}
        notes: dict[str, list[Entry]] = {}
        for entry in sorted(linked, key=lambda e: (e.occurred_at, e.created_at, e.id)):
            notes.setdefault(entry.session_id or "", []).append(entry)
        return cls(
            now=now,
            me=me,
            sessions=tuple(sessions),
            requests=tuple(requests),
            notes={session_id: tuple(entries) for session_id, entries in notes.items()},
            names=names,
        )

    def session(self, session_id: str) -> Session | None:
        """The session with this id, or None."""
        return next((s for s in self.sessions if s.id == session_id), None)

    @property
    def upcoming(self) -> list[Session]:
        """Sessions that have not ended yet, soonest first."""
        return [s for s in self.sessions if ends_at(s) > self.now]

    @property
    def past(self) -> list[Session]:
        """Sessions that have ended, most recent first."""
        return [s for s in reversed(self.sessions) if ends_at(s) <= self.now]

    def open_requests(self, session_id: str | None = None) -> list[ChangeRequest]:
        """Unanswered requests (about `session_id` only, when given), oldest first."""
        return [
            r
            for r in self.requests
            if r.status == "open" and (session_id is None or r.session_id == session_id)
        ]

    @property
    def to_answer(self) -> list[ChangeRequest]:
        """Open requests from the other members: this member may answer them."""
        return [r for r in self.open_requests() if r.author != self.me]

    @property
    def waiting(self) -> list[ChangeRequest]:
        """This member's own open requests, waiting for an answer."""
        return [r for r in self.open_requests() if r.author == self.me]

    def requests_about(self, session_id: str) -> list[ChangeRequest]:
        """Every request about one session, oldest first."""
        return [r for r in self.requests if r.session_id == session_id]

    def moved_from(self, session_id: str) -> Session | None:
        """The session that was moved to this one, if any."""
        return next((s for s in self.sessions if s.moved_to == session_id), None)

    def name(self, member_id: str | None) -> str:
        """A member's name ('you' for the member looking), or 'unknown'."""
        if member_id == self.me:
            return "you"
        return self.names.get(member_id or "", "unknown")

    def latest(self) -> Session | None:
        """The latest session that took or takes place (not cancelled or moved)."""
        kept = [s for s in self.sessions if s.status not in OVER]
        return kept[-1] if kept else None


# --- the session in full ------------------------------------------------------------------


def session_status(session: Session, data: SessionsData, *, short: bool = False) -> tuple[str, str]:
    """(the status in words, its style) for a session's details (`short`: for its row)."""
    if session.status == "moved":
        moved = data.session(session.moved_to or "")
        target = f" to {describe_when(moved.starts_at)}" if moved and not short else ""
        return f"moved{target}", "$text-muted"
    if session.status == "cancelled":
        return "cancelled", "$text-error"
    if session.status == "done":
        return "done ✓", "$text-success"
    if ends_at(session) <= data.now:
        return "planned · not marked done", "$text-warning"
    return "planned", "$text-primary"


def _request_history_line(request: ChangeRequest, data: SessionsData) -> Content:
    who = one_line(data.name(request.author))
    asked = f"{who[:1].upper()}{who[1:]} asked on {local_time(request.created_at)}: "
    proposal = (
        f" (to {describe_when(request.proposed_starts_at)})"
        if request.proposed_starts_at
        else " (to cancel)"
    )
    parts: list[str | tuple[str, str]] = [
        ("\n• ", ""),
        (asked, "$text-muted"),
        (f"“{one_line(request.text)}”", "italic"),
        (proposal, "$text-muted"),
    ]
    if request.status == "open":
        parts.append(("\n  open, waiting for an answer", "bold $text-accent"))
    else:
        by = one_line(data.name(request.answered_by))
        parts.append((f"\n  {request.status} by {by}", "bold"))
        if request.answer.strip():
            parts.append((f": “{one_line(request.answer)}”", "italic"))
    return Content.assemble(*parts)


def session_details(session: Session, data: SessionsData) -> Content:
    """Everything about one session, as plain text with styles: facts, notes, requests."""
    status, style = session_status(session, data)
    parts: list[str | tuple[str, str] | Content] = [
        (describe_when(session.starts_at), "bold"),
        (f" – {ends_at(session)[11:16]}", "bold"),
        (f"\n{session.duration_min} min", ""),
    ]
    if session.location.strip():
        parts.append((f" · {one_line(session.location)}", ""))
    parts += [("\nStatus: ", "$text-muted"), (status, f"bold {style}")]
    moved_from = data.moved_from(session.id)
    if moved_from is not None:
        parts.append((f"\nMoved here from {describe_when(moved_from.starts_at)}", "$text-muted"))
    planned_by = one_line(data.name(session.author))
    parts.append(
        (f"\nPlanned by {planned_by} on {local_time(session.created_at)[:10]}", "$text-muted")
    )
    if session.notes.strip():
        parts += [("\n\nNotes\n", "bold $text-primary"), (safe_text(session.notes).strip(), "")]
    requests = data.requests_about(session.id)
    if requests:
        parts.append((f"\n\nChange requests ({len(requests)})", "bold $text-primary"))
        parts += [_request_history_line(request, data) for request in requests]
    return Content.assemble(*parts)


def note_prompt(entry: Entry, data: SessionsData) -> Content:
    """A linked note's row: its kind, author and title."""
    kind = ENTRY_KIND_LABELS.get(entry.kind, entry.kind)
    status = " (draft)" if entry.kind == "session" and not entry.locked else ""
    return Content.assemble(
        (f"{kind}{status}", "bold"),
        (f" · {one_line(data.name(entry.author))} · ", "$text-muted"),
        (one_line(entry.title) or "(untitled)", ""),
    )


class SessionView(Vertical):
    """One session in full, and the notes written from it (`#session-notes`)."""

    DEFAULT_CSS = """
    SessionView {
        width: 3fr;
        min-width: 40;
        & #session-info { height: 1fr; padding: 1 2 0 2; }
        & #session-notes-title { text-style: bold; color: $text-primary; padding: 0 2; }
        & #session-notes {
            height: auto;
            max-height: 12;
            border: none;
            padding: 0 1;
            text-wrap: nowrap;
            text-overflow: ellipsis;
            &:focus { border: none; }
        }
    }
    """

    def compose(self) -> ComposeResult:
        """The session's details, then the title and list of its notes."""
        with VerticalScroll(id="session-info"):
            yield Static(Content(""), id="session-details")
        yield Label(Content("Notes from this session"), id="session-notes-title")
        yield OptionList(id="session-notes", markup=False)

    def show(self, session: Session | None, data: SessionsData | None) -> None:
        """Show `session` (None: none chosen); its note keeps its highlight if still there."""
        details = self.query_one("#session-details", Static)
        notes = self.query_one("#session-notes", OptionList)
        title = self.query_one("#session-notes-title", Label)
        if data is None or session is None:
            details.update(Content("No session chosen. n: plan a session."))
            title.update(Content("Notes from this session"))
            notes.set_options([])
            return
        details.update(session_details(session, data))
        entries = data.notes.get(session.id, ())
        title.update(Content(f"Notes from this session ({len(entries)}) · Enter opens one"))
        previous = notes.highlighted_option.id if notes.highlighted_option else None
        if entries:
            notes.set_options(Option(note_prompt(entry, data), id=entry.id) for entry in entries)
            ids = [entry.id for entry in entries]
            notes.highlighted = ids.index(previous) if previous in ids else 0
        else:
            empty = "  None yet. o: write an observation · s: a session note"
            notes.set_options([Option(Content.styled(empty, "$text-muted"), disabled=True)])
