"""The thread view: the comments on one entry, goal, resource or topic, and a way to reply.

Give it the journal, the dialog that asks for a reply (attributes down: a
widget never imports a screen), and a target (`show_thread`); it loads the
thread in a thread worker, shows each comment as Markdown under its author,
role and time, marks the comments that were new to this member, and records
that the member has read the thread. `c` opens the reply dialog, `r`
resolves or reopens.

Every change it makes to the journal (a reply, a status, the read mark) is
followed by `JournalEdited`, which bubbles to the screen and the app (which
saves), and by `ThreadView.Changed`, for the screen to refresh its own list.

User text is never interpreted: the title and names in the heading are
escaped for Markdown, each signature is a plain `Content` border title, and
each body (which *is* Markdown) is its own `Markdown` widget with raw HTML off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Markdown

from journal.dates import local_time
from journal.digest import (
    TARGET_KINDS,
    ThreadSummary,
    describe_target,
    mark_thread_read,
    unread_comments,
)
from journal.journal import Journal
from journal.text import one_line
from widgets.entry_view import Post, body_markdown, escape_markdown, markdown_parser
from widgets.messages import JournalEdited
from widgets.workers import WorkerHost

__all__ = ["ThreadDetails", "ThreadView", "ThreadViewMessage", "thread_heading", "thread_row"]


@dataclass(frozen=True)
class ThreadDetails:
    """Everything the thread view shows about one thread, loaded from the journal."""

    target_id: str
    target_kind: str
    title: str
    status: str
    resolved_by: str = ""
    resolved_at: str = ""
    posts: tuple[Post, ...] = ()
    comment_ids: tuple[str, ...] = ()
    """The id of each post's comment, in the same order."""
    new_ids: frozenset[str] = frozenset()
    """The comments that were unread when the member opened the thread."""

    @classmethod
    def load(cls, journal: Journal, target_id: str) -> ThreadDetails:
        """Read a thread and which of its comments the current member has not read.

        No Textual: fine in a worker thread.
        """
        with journal.lock:
            kind, title = describe_target(journal, target_id)
            members = journal.members_by_id()
            comments = journal.thread(target_id)
            unread = unread_comments(journal, target_id)
            state = journal.thread_state(target_id)
        resolved = state if state is not None and state.status == "resolved" else None
        resolver = members.get(resolved.resolved_by or "") if resolved is not None else None
        return cls(
            target_id=target_id,
            target_kind=kind,
            title=title,
            status=state.status if state is not None else "open",
            resolved_by=resolver.name if resolver is not None else "",
            resolved_at=(resolved.resolved_at or "") if resolved is not None else "",
            posts=tuple(Post.from_comment(comment, members) for comment in comments),
            comment_ids=tuple(comment.id for comment in comments),
            new_ids=frozenset(comment.id for comment in unread),
        )

    @property
    def new_count(self) -> int:
        """How many comments are marked new."""
        return len(self.new_ids)


def thread_heading(details: ThreadDetails) -> str:
    """The Markdown for a thread's heading: its title, what it is about and its status.

    Every piece of user text in it is escaped, so it reads exactly as typed.
    """
    kind = TARGET_KINDS.get(details.target_kind, "Record")
    count = len(details.posts)
    facts = [f"{count} comment{'s' if count != 1 else ''}"]
    if details.new_count:
        facts.append(f"{details.new_count} new")
    if details.status == "resolved":
        by = f"by {one_line(details.resolved_by)} " if details.resolved_by else ""
        when = f"on {local_time(details.resolved_at)}" if details.resolved_at else ""
        state = f"**Resolved** {escape_markdown(by + when)}".strip()
    else:
        state = "**Open**"
    return (
        f"## {escape_markdown(one_line(details.title)) or '(untitled)'}\n\n"
        f"{escape_markdown(kind)} · {state} · {escape_markdown(' · '.join(facts))}\n"
    )


def thread_row(thread: ThreadSummary, *, full: bool = False) -> Content:
    """A thread as a list row: a marker and the count when it has news, its title; then what
    it is about, who wrote last and when. `full` (the Threads list) adds whether it is
    resolved and the last comment."""
    kind = TARGET_KINDS.get(thread.target_kind, "Record")
    parts: list[str | tuple[str, str]] = [
        ("● ", "bold $text-accent") if thread.unread else "  ",
        (one_line(thread.title), "bold" if thread.unread else ""),
    ]
    if thread.unread:
        parts.append((f"  {thread.unread} new", "$text-accent"))
    if full and thread.status == "resolved":
        parts.append(("  resolved", "italic $text-muted"))
    last = f"{kind} · {one_line(thread.last_author)} · {local_time(thread.last_at)}"
    parts.append(("\n  " + last, "$text-muted"))
    if full:
        parts.append(("\n  " + one_line(thread.last_preview), "$text-muted italic"))
    return Content.assemble(*parts)


def _markdown(text: str, *, id: str | None = None, classes: str | None = None) -> Markdown:
    return Markdown(text, id=id, classes=classes, parser_factory=markdown_parser, open_links=False)


@dataclass
class ThreadViewMessage(Message):
    """The base of the messages a `ThreadView` posts: about the thread on `target_id`."""

    thread_view: ThreadView
    """The view that posted the message."""
    target_id: str
    """The id of the thread's target."""

    @property
    def control(self) -> ThreadView:
        """The view that posted the message (for `@on` selectors)."""
        return self.thread_view


ReplyDialogFactory = Callable[[str], Screen[str | None]]
"""Makes the dialog that asks for a reply to the thread titled with its argument."""


class ThreadView(WorkerHost, VerticalScroll, can_focus=True):
    """Shows one thread: a heading with its status, then each comment, new ones marked.

    Call `show_thread(target_id)` from the screen (`None` shows `empty_text`);
    `reload()` reads the same thread again.
    """

    WORKER_ERRORS: ClassVar[dict[str, str]] = {
        "thread-view": "Could not read the thread",
        "thread-change": "The thread could not be changed",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "reply", "Reply", id="thread.reply"),
        Binding("r", "toggle_status", "Resolve/reopen", id="thread.resolve"),
    ]

    DEFAULT_CSS = """
    ThreadView {
        height: 1fr;
        padding: 0 1;
        & > Markdown { margin: 0; padding: 0 1; }
        & > #thread-header > MarkdownH2 { margin: 1 0 0 0; }
        & > .thread-comment {
            border: round $secondary 50%;
            border-title-color: $text-secondary;
            border-subtitle-color: $text-accent;
            border-subtitle-style: bold;
            margin: 0 0 1 0;
            padding: 0 1;
            & > MarkdownBlock:last-child { margin-bottom: 0; }
        }
        & > .-new { border: round $accent; }
        & > .thread-resolved { color: $text-muted; }
    }
    """

    details: reactive[ThreadDetails | None] = reactive(None, recompose=True)
    """The thread shown, or `None`."""

    empty_text: reactive[str] = reactive("Choose a thread to read it.", recompose=True)
    """What the view says when no thread is shown."""

    @dataclass
    class Changed(ThreadViewMessage):
        """The view changed the thread in the journal: `what` is read, reply or status."""

        what: str

    @dataclass
    class _Loaded(Message):
        details: ThreadDetails
        scroll: str
        """Where to scroll once shown: "home", "end", or keep the place."""

    def __init__(
        self,
        journal: Journal,
        *,
        reply_dialog: ReplyDialogFactory,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """A view over threads of `journal`, showing none yet; `c` asks in `reply_dialog`."""
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.journal = journal
        self.reply_dialog = reply_dialog
        self._target: str | None = None
        self._marks = True  # the thread shown was opened: reading it marks it read
        self._reply_when_shown = False

    @property
    def target_id(self) -> str | None:
        """The target of the thread shown (or being loaded), or `None`."""
        return self._target

    def show_thread(
        self,
        target_id: str | None,
        empty_text: str | None = None,
        *,
        mark_read: bool = True,
        reply: bool = False,
    ) -> None:
        """Show the thread on `target_id` (loaded in a worker), or nothing.

        With `mark_read` the thread counts as read once shown (it was opened);
        without, it is only previewed (a cursor passing over it): `mark_read()`
        marks it later, when it is opened. With `reply` the reply box opens
        once the thread is shown.
        """
        if empty_text is not None:
            self.empty_text = empty_text
        self._reply_when_shown = reply and target_id is not None
        if target_id == self._target and target_id is not None:
            self._marks = self._marks or mark_read
            self._load(target_id, "keep", mark_read=self._marks)
            return
        self._target = target_id
        self._marks = mark_read
        if target_id is None:
            self.workers.cancel_group(self, "thread-view")
            self.details = None
        else:
            self._load(target_id, "home", mark_read=mark_read)

    def mark_read(self) -> None:
        """The thread shown was opened: from now on it counts as read."""
        if self._target is not None and not self._marks:
            self._marks = True
            self._load(self._target, "keep", mark_read=True)

    def reload(self) -> None:
        """Read the thread shown again (it changed in the journal)."""
        if self._target is not None:
            self._load(self._target, "keep", mark_read=self._marks)

    # --- loading ------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="thread-view")
    def _load(self, target_id: str, scroll: str, *, mark_read: bool = True) -> None:
        """Read a thread (in a thread), mark it read if it had news and was opened, post it."""
        details = ThreadDetails.load(self.journal, target_id)
        if not self.post_result(self._Loaded(details, scroll)):
            return
        if details.new_ids and mark_read:
            mark_thread_read(self.journal, target_id)
            self._changed(target_id, "read", "")

    def _changed(self, target_id: str, what: str, description: str) -> None:
        """Tell the screen and the app that the journal changed (safe from a thread)."""
        self.post_message(JournalEdited(description))
        self.post_message(self.Changed(self, target_id, what))

    @on(_Loaded)
    def _show(self, event: _Loaded) -> None:
        event.stop()
        details = event.details
        if details.target_id != self._target:
            return  # another thread was chosen since
        current = self.details
        if (
            event.scroll != "home"
            and current is not None
            and current.target_id == details.target_id
        ):
            # Comments stay marked new while the thread is on screen.
            details = replace(details, new_ids=details.new_ids | current.new_ids)
        scroll_y = self.scroll_y
        self.details = details
        if self._reply_when_shown:
            self._reply_when_shown = False
            self.call_after_refresh(self.action_reply)
        if event.scroll == "home":
            self.call_after_refresh(self.scroll_home, animate=False)
        elif event.scroll == "end":
            self.call_after_refresh(self.scroll_end, animate=False)
        else:
            self.call_after_refresh(self.scroll_to, y=scroll_y, animate=False)

    # --- drawing ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """The heading and the comments of the current thread."""
        details = self.details
        if details is None:
            yield _markdown(escape_markdown(self.empty_text), id="thread-empty")
            return
        header = _markdown(thread_heading(details), id="thread-header")
        if details.status == "resolved":
            header.add_class("thread-resolved")
        yield header
        if not details.posts:
            yield _markdown("*No comments yet. Press c to write the first one.*", id="thread-none")
        for comment_id, post in zip(details.comment_ids, details.posts, strict=True):
            new = comment_id in details.new_ids
            widget = _markdown(
                body_markdown(post.body) or " ",
                classes="thread-comment -new" if new else "thread-comment",
            )
            widget.border_title = Content(post.signature)
            if new:
                widget.border_subtitle = Content("new")
            yield widget

    # --- actions ----------------------------------------------------------------

    def action_reply(self) -> None:
        """Write a reply in the reply dialog; post it when the dialog returns text."""
        details = self.details
        if details is None or details.target_id != self._target:
            self.notify("Choose a thread first.", severity="warning")
            return
        target_id = details.target_id

        def post(body: str | None) -> None:
            if body is not None and body.strip():
                self._post_reply(target_id, body)

        self.app.push_screen(self.reply_dialog(details.title), post)

    def action_toggle_status(self) -> None:
        """Resolve an open thread, or reopen a resolved one."""
        details = self.details
        if details is None or details.target_id != self._target:
            self.notify("Choose a thread first.", severity="warning")
            return
        status = "open" if details.status == "resolved" else "resolved"
        self._set_status(details.target_id, status)

    @work(thread=True, exclusive=True, exit_on_error=False, group="thread-change")
    def _post_reply(self, target_id: str, body: str) -> None:
        """Post a comment (in a thread), mark the thread read and show it again."""
        self.journal.comment(target_id, body)
        mark_thread_read(self.journal, target_id)
        self._changed(target_id, "reply", "Reply posted")
        self.post_message(self._Loaded(ThreadDetails.load(self.journal, target_id), "end"))

    @work(thread=True, exclusive=True, exit_on_error=False, group="thread-change")
    def _set_status(self, target_id: str, status: str) -> None:
        """Resolve or reopen a thread (in a thread) and show it again."""
        self.journal.set_thread_status(target_id, status)
        self._changed(target_id, "status", f"Thread {'reopened' if status == 'open' else status}")
        self.post_message(self._Loaded(ThreadDetails.load(self.journal, target_id), "keep"))
