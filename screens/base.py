"""What every main screen of the app shares: the journal it shows, workers, two messages up.

Main screens (Home, Journal, Threads, ...) are built with the open `Journal`
(attributes down). When one changes the journal it posts `JournalEdited`; the
app saves in a worker and calls `reload()` on every main screen, as it also
does after merging a copy that arrived on disk. To show a record somewhere
else (an item on Home opens its entry) a screen posts `OpenRecord`, and the
app takes the person to the screen for it. Both messages live in
`widgets.messages` (widgets send them too) and are named here as well.

A main screen runs its slow calls as `WorkerHost` says (`widgets.workers`);
a write worker reports with `written(what, select)`, which posts `Written`
for the screen to show the journal as it is now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from textual import work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen

from journal.digest import mark_thread_read
from journal.journal import Journal
from widgets.messages import JournalEdited, OpenRecord
from widgets.workers import WorkerHost

__all__ = ["COMMENT_POSTED", "NARROW_BELOW", "JournalEdited", "MainScreen", "OpenRecord"]

AnswerT = TypeVar("AnswerT")

COMMENT_POSTED = "Comment posted"
"""What `MainScreen.written` says after `c` posted a comment."""

NARROW_BELOW = 100
"""Columns under which a main screen stacks its panes: the list on top, the record below.

At 80 columns two panes side by side left the Journal's list no room for titles.
"""


class MainScreen(WorkerHost, Screen[None]):
    """A screen over the open journal that the app can refresh and point at a record.

    `c` comments on the record the screen shows (`comment_target`): the reply
    box opens focused, ctrl+s posts it in a write worker, and the screen hears
    of it through `Written` like any other change.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "comment", "Comment", id="main.comment"),
    ]

    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 (typed by Textual as it is)
        (0, "-narrow"),
        (NARROW_BELOW, "-wide"),
    ]
    """Below `NARROW_BELOW` columns the screen is `-narrow`: its panes stack (see the CSS)."""

    DEFAULT_CSS = """
    MainScreen.-narrow .panes {
        layout: vertical;
        & > * {
            width: 1fr !important;
            min-width: 0 !important;
            height: 1fr;
            border-right: none !important;
            overflow-y: auto;
        }
        & > *:last-child { border-top: hkey $foreground 20%; }
    }
    """

    @dataclass
    class Written(Message):
        """A write worker of the screen changed the journal."""

        what: str
        """What changed, in a few words."""
        select: str | None
        """The record to show after, or None."""

    def __init__(self, journal: Journal) -> None:
        """The screen for `journal`."""
        super().__init__()
        self.journal = journal

    def written(self, what: str, select: str | None = None) -> None:
        """From a write worker: `what` changed (a few words); show `select` after."""
        self.post_message(self.Written(what, select))

    def reload(self) -> None:
        """Read the journal again (it was saved, or a copy was merged in)."""

    def show_record(self, record_id: str) -> None:
        """Bring `record_id` into view (an entry, a thread, ...); the default does nothing."""

    # --- dialogs ------------------------------------------------------------------------

    def ask(self, dialog: Screen[AnswerT | None], then: Callable[[AnswerT], object]) -> None:
        """Open `dialog`; when it closes with an answer (not None), call `then` with it."""

        def answered(answer: AnswerT | None) -> None:
            if answer is not None:
                then(answer)

        self.app.push_screen(dialog, callback=answered)

    def confirm(self, dialog: Screen[bool], then: Callable[[], object]) -> None:
        """Open `dialog`, a yes or no question (a `ConfirmDialog`); on yes, call `then`."""

        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.app.push_screen(dialog, callback=answered)

    # --- commenting on the record shown ---------------------------------------------

    def comment_target(self) -> tuple[str, str] | None:
        """The record `c` comments on: (its id, its title), or None when none is shown."""
        return None

    def action_comment(self, question: bool = False) -> None:
        """Comment on (or, with `question`, ask about) the record shown, in the reply box."""
        from screens.reply_dialog import ReplyDialog

        target = self.comment_target()
        if target is None:
            self.notify("Choose a record first, then press c to comment on it.")
            return
        target_id, title = target

        def post(body: str | None) -> None:
            if body is not None and body.strip():
                self._post_comment(target_id, body)

        heading = "Ask a question about" if question else "Comment on"
        self.app.push_screen(ReplyDialog(title, heading=heading), post)

    @work(thread=True, exit_on_error=False, group="write")
    def _post_comment(self, target_id: str, body: str) -> None:
        """Post a comment (in a thread): the member has read the thread they wrote in."""
        self.journal.comment(target_id, body)
        mark_thread_read(self.journal, target_id)
        self.written(COMMENT_POSTED, target_id)
