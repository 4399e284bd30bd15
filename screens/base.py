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

from textual.message import Message
from textual.screen import Screen

from journal.journal import Journal
from widgets.messages import JournalEdited, OpenRecord
from widgets.workers import WorkerHost

__all__ = ["JournalEdited", "MainScreen", "OpenRecord"]


class MainScreen(WorkerHost, Screen[None]):
    """A screen over the open journal that the app can refresh and point at a record."""

    class Written(Message):
        """A write worker of the screen changed the journal."""

        def __init__(self, what: str, select: str | None) -> None:
            """`what` changed, in a few words; `select` is the record to show after."""
            super().__init__()
            self.what = what
            self.select = select

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
