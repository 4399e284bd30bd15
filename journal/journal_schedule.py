"""The schedule part of `Journal`: sessions, change requests and shared resources.

`ScheduleMethods` is mixed into `Journal` (journal/journal.py); see `journal_base`.
"""

from __future__ import annotations

from typing import Any

from journal.errors import UsageError
from journal.journal_base import JournalBase, check_choice, locked
from journal.model import SESSION_STATUSES, ChangeRequest, Goal, Resource, Session


class ScheduleMethods(JournalBase):
    """Sessions and the requests to change them; resources shared with the team."""

    @locked
    def add_resource(
        self,
        title: str,
        *,
        url: str = "",
        text: str = "",
        kind: str = "link",
        goal_id: str | None = None,
    ) -> Resource:
        """Share a link, reading, video or written tip with the team."""
        if not title.strip():
            raise UsageError("a resource needs a title")
        check_choice("kind", kind, ("link", "reading", "video", "tip"))
        if goal_id is not None:
            goal_id = self.get(Goal, goal_id).id
        resource = Resource(title=title.strip(), url=url, text=text, kind=kind, goal_id=goal_id)
        self._insert(resource)
        return resource

    @locked
    def acknowledge(self, resource_id: str) -> Resource:
        """Mark a resource as read by the current member."""
        resource = self.get(Resource, resource_id)
        resource.acknowledged = {**resource.acknowledged, self.me.id: self._now()}
        self._update(resource)
        return resource

    @locked
    def add_session(
        self, starts_at: str, *, duration_min: int = 60, location: str = "", notes: str = ""
    ) -> Session:
        """Schedule a session at a local date and time ('YYYY-MM-DDTHH:MM')."""
        if duration_min <= 0:
            raise UsageError("a session lasts more than 0 minutes")
        session = Session(
            starts_at=starts_at, duration_min=duration_min, location=location, notes=notes
        )
        self._insert(session)
        return session

    @locked
    def move_session(self, session_id: str, starts_at: str) -> Session:
        """Move a session: the old one is marked moved and points to the new one."""
        old = self.get(Session, session_id)
        if old.status in ("cancelled", "moved"):
            raise UsageError(f"this session was already {old.status}")
        new = self.add_session(
            starts_at, duration_min=old.duration_min, location=old.location, notes=old.notes
        )
        self._apply(old, {"status": "moved", "moved_to": new.id})
        return new

    @locked
    def edit_session(self, session_id: str, **changes: Any) -> Session:
        """Change a session's time, duration, location or notes."""
        if "status" in changes:
            check_choice("status", changes["status"], SESSION_STATUSES)
        if "duration_min" in changes and int(changes["duration_min"]) <= 0:
            raise UsageError("a session lasts more than 0 minutes")
        return self._apply(self.get(Session, session_id), changes)

    @locked
    def set_session_status(self, session_id: str, status: str) -> Session:
        """Mark a session planned, done, cancelled or moved."""
        check_choice("status", status, SESSION_STATUSES)
        return self._apply(self.get(Session, session_id), {"status": status})

    @locked
    def request_change(
        self, session_id: str, text: str, *, proposed_starts_at: str = ""
    ) -> ChangeRequest:
        """Ask the others to change a session ("can we move Thursday to Friday?")."""
        session = self.get(Session, session_id)
        if session.status in ("cancelled", "moved"):
            raise UsageError(f"this session was already {session.status}")
        if not text.strip():
            raise UsageError("say what you would like to change")
        request = ChangeRequest(
            session_id=session.id, text=text.strip(), proposed_starts_at=proposed_starts_at
        )
        self._insert(request)
        return request

    @locked
    def answer_request(self, request_id: str, *, accept: bool, answer: str = "") -> ChangeRequest:
        """Accept or decline a change request; accepting moves (or cancels) the session."""
        request = self.get(ChangeRequest, request_id)
        if request.status != "open":
            raise UsageError(f"this request was already {request.status}")
        if accept:
            if request.proposed_starts_at:
                self.move_session(request.session_id, request.proposed_starts_at)
            else:
                self.set_session_status(request.session_id, "cancelled")
        return self._apply(
            request,
            {
                "status": "accepted" if accept else "declined",
                "answer": answer,
                "answered_by": self.me.id,
                "answered_at": self._now(),
            },
        )

    @locked
    def withdraw_request(self, request_id: str) -> ChangeRequest:
        """Take back one's own unanswered change request; the session stays as it is."""
        request = self.get(ChangeRequest, request_id)
        if request.author != self.me.id:
            raise UsageError("only the member who asked can withdraw a request")
        if request.status != "open":
            raise UsageError(f"this request was already {request.status}")
        return self._apply(
            request, {"status": "withdrawn", "answered_by": self.me.id, "answered_at": self._now()}
        )

    @locked
    def open_requests(self, *, for_member: str | None = None) -> list[ChangeRequest]:
        """Unanswered change requests, oldest first; `for_member`: those others asked."""
        requests = sorted(
            (r for r in self._iter(ChangeRequest) if r.status == "open"),
            key=lambda r: r.created_at,
        )
        if for_member is not None:
            requests = [r for r in requests if r.author != for_member]
        return requests

    @locked
    def unread_resources(self, member_id: str | None = None) -> list[Resource]:
        """Resources shared by others that this member (default: me) has not marked read."""
        member = member_id or self.me.id
        return [
            r for r in self.all(Resource) if r.author != member and member not in r.acknowledged
        ]

    @locked
    def sessions(self) -> list[Session]:
        """Sessions by start time."""
        return sorted(self.all(Session), key=lambda s: s.starts_at)
