"""The threads part of `Journal`: comments on a record, topics, open and resolved threads.

`ThreadMethods` is mixed into `Journal` (journal/journal.py); see `journal_base`.
"""

from __future__ import annotations

from journal.errors import UsageError
from journal.journal_base import JournalBase, check_choice, locked
from journal.model import Comment, Thread


class ThreadMethods(JournalBase):
    """Feedback threads: comments (and addenda) are written once; a thread opens and resolves."""

    @locked
    def comment(self, target_id: str, body: str) -> Comment:
        """Post a comment in the thread of an entry, goal, resource or topic."""
        target = self.find(target_id)
        target_id = target.target_id if isinstance(target, Comment) else target.id
        return self._post(target_id, body, kind="comment")

    def _post(self, target_id: str, body: str, *, kind: str) -> Comment:
        if not body.strip():
            raise UsageError("a comment cannot be empty")
        comment = Comment(target_id=target_id, body=body, kind=kind)
        self._insert(comment)
        if kind == "comment":
            thread = self._thread_record(target_id)
            if thread is not None and thread.status == "resolved":
                thread.status = "open"
                thread.resolved_by = thread.resolved_at = None
                self._update(thread)
        return comment

    def _comments_on(self, target_id: str) -> list[Comment]:
        return sorted(
            (c for c in self._iter(Comment) if c.target_id == target_id),
            key=lambda c: (c.created_at, c.hlc, c.id),
        )

    @locked
    def thread(self, target_id: str) -> list[Comment]:
        """The comments on one target, oldest first."""
        return [c for c in self._comments_on(target_id) if c.kind == "comment"]

    def _thread_record(self, target_id: str) -> Thread | None:
        doc = self._raw(Thread).get(target_id)
        return Thread.from_doc(doc) if doc is not None else None

    @locked
    def thread_status(self, target_id: str) -> str:
        """'open' or 'resolved'."""
        record = self._thread_record(target_id)
        return record.status if record is not None else "open"

    @locked
    def new_topic(self, title: str, body: str) -> Thread:
        """Start a standalone discussion topic with its first comment."""
        if not title.strip():
            raise UsageError("a topic needs a title")
        thread = Thread(title=title.strip(), topic=True)
        self._insert(thread)
        self._post(thread.id, body, kind="comment")
        return thread

    @locked
    def set_thread_status(self, target_id: str, status: str) -> Thread:
        """Resolve or reopen the thread on a target."""
        check_choice("status", status, ("open", "resolved"))
        target_id = self.find(target_id).id
        thread = self._thread_record(target_id)
        if thread is None:
            thread = Thread(id=target_id)
            self._insert(thread)
        thread.status = status
        thread.resolved_by = self.member_id if status == "resolved" else None
        thread.resolved_at = self._now() if status == "resolved" else None
        self._update(thread)
        return thread

    @locked
    def open_threads(self) -> list[str]:
        """Ids of targets whose thread has comments and is not resolved."""
        targets = {c.target_id for c in self._iter(Comment) if c.kind == "comment"}
        return sorted(t for t in targets if self.thread_status(t) == "open")

    @locked
    def thread_state(self, target_id: str) -> Thread | None:
        """The state of the thread on `target_id` (status, who resolved it and when).

        None while nobody has resolved or reopened it (it is open).
        """
        return self._thread_record(target_id)
