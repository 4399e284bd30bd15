"""The threads screen: every feedback thread of the journal, unread first, and the one chosen.

The list on the left holds each thread with comments (on entries, goals,
resources and standalone topics) and each Question entry: its title, its last
post, who wrote it and when, how many comments are new to this member, and
whether it is open; "Waiting for me" (w) keeps the threads whose last post
asks this member something. Open threads come first and, among them, unread
ones. The highlighted thread is shown on the right in a `ThreadView`; it is
marked read only when opened (Enter, c, or from another screen), never when
the cursor passes over it. A thread read here keeps its place until the
person leaves the screen, so moving down the list never skips one.

Loading runs in thread workers; every row is plain `Content`, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Footer, Header, Label, OptionList, Select
from textual.widgets.option_list import Option

from journal.digest import ThreadSummary, order_threads, thread_summaries
from journal.errors import NotFound
from journal.journal import Journal
from journal.model import Comment
from screens.base import MainScreen
from screens.reply_dialog import ReplyDialog, TopicDialog
from widgets.messages import JournalEdited
from widgets.thread_view import ThreadView, thread_row

__all__ = ["ThreadsScreen"]

OPEN, WAITING, ALL = "open", "waiting", "all"
"""The filter's values: open threads, those waiting for this member's answer, or every one."""


class ThreadsScreen(MainScreen):
    """The list of threads on the left, the highlighted thread on the right."""

    AUTO_FOCUS = "#threads"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_topic", "New topic", id="threads.new"),
        Binding("c", "reply", "Reply", id="threads.reply"),
        Binding("r", "toggle_status", "Resolve/reopen", id="threads.resolve"),
        Binding("f", "toggle_filter", "Open/all", id="threads.filter"),
        Binding("w", "waiting", "Waiting for me", id="threads.waiting"),
        Binding("escape", "focus_list", "Thread list", id="threads.list", show=False),
    ]

    WORKER_ERRORS: ClassVar[dict[str, str]] = {
        "threads": "Could not read the threads",
        "find": "Could not read the threads",
        "new-topic": "Could not start the topic",
    }

    DEFAULT_CSS = """
    ThreadsScreen {
        layout: vertical;
        & #threads-bar { height: auto; padding: 0 1; }
        & #threads-count { width: 1fr; padding: 1 1 0 1; color: $text-muted; }
        & #threads-filter { width: 26; }
        & #threads-panes { height: 1fr; }
        & #threads {
            width: 2fr;
            min-width: 36;
            height: 1fr;
            border: none;
            border-right: vkey $foreground 20%;
            text-wrap: nowrap;
            text-overflow: ellipsis;
            &:focus { border: none; border-right: vkey $foreground 20%; }
        }
        & #thread { width: 3fr; min-width: 40; }
    }
    """

    @dataclass
    class ThreadsLoaded(Message):
        """The thread list, from the worker that read it."""

        which: str
        """The filter the threads were read with (OPEN, WAITING or ALL)."""
        threads: Sequence[ThreadSummary]

    @dataclass
    class TargetFound(Message):
        """The thread a record asked for belongs to (from `show_record`)."""

        target_id: str | None
        """The target id, or None when the record does not exist."""

    def __init__(self, journal: Journal) -> None:
        """The screen for `journal`."""
        super().__init__(journal)
        self._threads: list[ThreadSummary] = []
        self._read_here: set[str] = set()  # read while on screen: they keep their place
        self._pending: str | None = None  # a thread to highlight once the list has it
        self._reply_wanted = False  # open the reply box once the thread asked for is shown
        self._left = False  # another main screen was shown since: coming back reorders

    def compose(self) -> ComposeResult:
        """Header, the filter bar, the two panes and the footer."""
        yield Header()
        with Horizontal(id="threads-bar"):
            yield Label(Content("Loading threads…"), id="threads-count")
            yield Select(
                [("Open threads", OPEN), ("Waiting for me", WAITING), ("All threads", ALL)],
                value=OPEN,
                allow_blank=False,
                id="threads-filter",
            )
        with Horizontal(id="threads-panes", classes="panes"):
            yield OptionList(id="threads", markup=False)
            yield ThreadView(self.journal, reply_dialog=ReplyDialog, id="thread")
        yield Footer()

    def on_mount(self) -> None:
        """Load the threads."""
        self.reload()

    def on_screen_suspend(self) -> None:
        """Another screen is shown: a dialog over this one, or another main screen."""
        self._left = self not in self.app.screen_stack

    def on_screen_resume(self) -> None:
        """Back from another main screen: threads read last time move to their place.

        Back from a dialog (a reply, a new topic), the list stays as it was.
        """
        if self._left:
            self._left = False
            self._read_here.clear()
            self.reload()

    # --- the list --------------------------------------------------------------------

    @property
    def show_all(self) -> bool:
        """True when resolved threads are listed too."""
        return self.query_one("#threads-filter", Select).value == ALL

    @property
    def waiting_only(self) -> bool:
        """True when only the threads waiting for this member's answer are listed."""
        return self.query_one("#threads-filter", Select).value == WAITING

    @property
    def filter_value(self) -> str:
        """The filter chosen: `OPEN`, `WAITING` or `ALL`."""
        return str(self.query_one("#threads-filter", Select).value)

    @property
    def thread_ids(self) -> list[str]:
        """The target ids of the threads listed, top to bottom."""
        return [thread.target_id for thread in self._threads]

    @property
    def threads(self) -> list[ThreadSummary]:
        """The threads listed, top to bottom."""
        return list(self._threads)

    @property
    def thread_view(self) -> ThreadView:
        """The view of the chosen thread."""
        return self.query_one(ThreadView)

    def reload(self) -> None:
        """Read the threads again, and the thread shown."""
        self.load_threads(self.filter_value)
        self.thread_view.reload()

    @work(thread=True, exclusive=True, exit_on_error=False, group="threads")
    def load_threads(self, which: str) -> None:
        """Read the thread list for the filter `which` (in a thread) and post it back."""
        threads = thread_summaries(self.journal, include_resolved=which == ALL)
        if which == WAITING:
            threads = [thread for thread in threads if thread.waiting]
        self.post_result(self.ThreadsLoaded(which, threads))

    @on(ThreadsLoaded)
    def _show_threads(self, event: ThreadsLoaded) -> None:
        if event.which != self.filter_value:
            return  # the filter changed since; a newer worker is on its way
        self._threads = order_threads(event.threads, unread=self._read_here)
        options = self.query_one("#threads", OptionList)
        keep = self._pending or self.thread_view.target_id
        scroll_y = options.scroll_y
        options.set_options(
            Option(thread_row(thread, full=True), id=thread.target_id) for thread in self._threads
        )
        self._update_count()
        ids = self.thread_ids
        if keep is not None and keep in ids:
            if self._pending is not None:
                self._open(self._pending)
            self._pending = None
            options.scroll_to(y=scroll_y, animate=False, immediate=True)
            options.highlighted = ids.index(keep)
        elif self._pending is not None and not self.show_all:
            self.query_one("#threads-filter", Select).value = ALL  # maybe it is resolved
        elif self._pending is not None:
            self._open(self._pending)  # no comments yet: start one
            self._pending = None
        elif keep is not None:
            pass  # the thread shown left the list (resolved, say): it stays on the right
        elif ids:
            options.highlighted = 0
        else:
            empty = "No threads yet."
            if self.waiting_only:
                empty = "Nothing is waiting for your answer."
            elif not self.show_all:
                empty = "No open threads."
            self.thread_view.show_thread(None, f"{empty} Press n to start a topic.")

    def _update_count(self) -> None:
        unread = sum(1 for thread in self._threads if thread.unread)
        listed = len(self._threads)
        noun = "thread" if self.show_all else "open thread"
        text = f"{listed} {noun}{'s' if listed != 1 else ''}"
        if self.waiting_only:
            text += " waiting for you"
        if unread:
            text += f", {unread} with new comments"
        self.query_one("#threads-count", Label).update(Content(text))

    @on(OptionList.OptionHighlighted, "#threads")
    def _thread_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        target_id = event.option_id
        if target_id is not None and target_id != self.thread_view.target_id:
            # A preview: the thread is read when it is opened (Enter, c, from elsewhere).
            self.thread_view.show_thread(target_id, mark_read=False)

    @on(OptionList.OptionSelected, "#threads")
    def _thread_selected(self) -> None:
        self._after_open()
        self.thread_view.focus()

    def _after_open(self) -> None:
        """The thread shown was opened: it is read now, and keeps its place in the list."""
        target_id = self.thread_view.target_id
        if target_id is not None:
            self._keep_place(target_id)
        self.thread_view.mark_read()

    def _keep_place(self, target_id: str) -> None:
        thread = next((t for t in self._threads if t.target_id == target_id), None)
        if thread is not None and thread.unread:
            self._read_here.add(target_id)

    def _open(self, target_id: str) -> None:
        """Open the thread on `target_id` (it is read now), with the reply box if asked."""
        self._keep_place(target_id)
        self.thread_view.show_thread(target_id, reply=self._reply_wanted)
        self._reply_wanted = False

    @on(Select.Changed, "#threads-filter")
    def _filter_changed(self) -> None:
        self._read_here.clear()
        self.load_threads(self.filter_value)

    @on(ThreadView.Changed)
    def _thread_changed(self, event: ThreadView.Changed) -> None:
        self.load_threads(self.filter_value)

    # --- records from elsewhere ------------------------------------------------------

    def show_record(self, record_id: str) -> None:
        """Open the thread on `record_id` (an entry, goal, topic, ... or a comment in it)."""
        self.open_thread(record_id)

    def open_thread(self, record_id: str, *, reply: bool = False) -> None:
        """Open the thread on `record_id` (it is read now); with `reply`, the reply box too."""
        self._reply_wanted = reply
        self._find_target(record_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="find")
    def _find_target(self, record_id: str) -> None:
        """Find the thread a record belongs to (in a thread) and post it back."""
        try:
            record = self.journal.find(record_id)
        except NotFound:
            self.post_message(self.TargetFound(None))
            return
        target_id = record.target_id if isinstance(record, Comment) else record.id
        self.post_message(self.TargetFound(target_id))

    @on(TargetFound)
    def _target_found(self, event: TargetFound) -> None:
        if event.target_id is None:
            self.notify("That record is not in the journal.", severity="warning")
            return
        ids = self.thread_ids
        if event.target_id in ids:
            self._open(event.target_id)
            self.query_one("#threads", OptionList).highlighted = ids.index(event.target_id)
            return
        self._pending = event.target_id
        self.load_threads(self.filter_value)

    # --- actions ----------------------------------------------------------------------

    def action_focus_list(self) -> None:
        """Move to the thread list."""
        self.query_one("#threads", OptionList).focus()

    def action_toggle_filter(self) -> None:
        """Show open threads only, or all of them."""
        self.query_one("#threads-filter", Select).value = OPEN if self.show_all else ALL

    def action_waiting(self) -> None:
        """Show only the threads waiting for my answer (again: the open ones)."""
        self.query_one("#threads-filter", Select).value = OPEN if self.waiting_only else WAITING

    def action_reply(self) -> None:
        """Reply to the thread shown (which opens it)."""
        self._after_open()
        self.thread_view.action_reply()

    def comment_target(self) -> tuple[str, str] | None:
        """The thread shown: `c` replies in it."""
        details = self.thread_view.details
        return (details.target_id, details.title) if details is not None else None

    def action_comment(self, question: bool = False) -> None:
        """Reply in the thread shown (the thread view posts it)."""
        self.thread_view.action_reply()

    def action_toggle_status(self) -> None:
        """Resolve or reopen the thread shown."""
        self.thread_view.action_toggle_status()

    def action_new_topic(self) -> None:
        """Start a standalone topic: a title and a first comment."""

        def start(result: tuple[str, str] | None) -> None:
            if result is not None:
                self._start_topic(*result)

        self.app.push_screen(TopicDialog(), start)

    @work(thread=True, exclusive=True, exit_on_error=False, group="new-topic")
    def _start_topic(self, title: str, body: str) -> None:
        """Create the topic (in a thread), then list and show it."""
        topic = self.journal.new_topic(title, body)
        self.post_message(JournalEdited("New topic"))
        self.post_message(self.TargetFound(topic.id))
