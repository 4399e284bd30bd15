"""A main screen that reads its data in a worker and shows it: Home, Events, Patterns, lists.

A `DataScreen[D]` reads its data (a `D`, plain data built from the journal)
in a thread worker, `read_data`, and shows it on the UI thread, `show_data`.
It reads when mounted and again on every `reload()` (the app calls it after a
save or a merge). The worker's group is "read", which `WORKER_ERRORS` titles
(`widgets.workers`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from textual import on, work
from textual.message import Message

from journal.journal import Journal
from screens.base import MainScreen

__all__ = ["DataScreen"]

DataT = TypeVar("DataT")


class DataScreen(MainScreen, Generic[DataT]):  # noqa: UP046 (Textual's generic Screen)
    """A main screen showing data that a worker reads from the journal."""

    @dataclass
    class DataLoaded(Message):
        """The screen's data, from the worker that read it."""

        data: object

    def __init__(self, journal: Journal) -> None:
        """The screen for `journal`, with nothing read yet."""
        super().__init__(journal)
        self.data: DataT | None = None
        """The data shown, once read."""

    def on_mount(self) -> None:
        """Read the data."""
        self.reload()

    def reload(self) -> None:
        """Read the data again."""
        self.load_data()

    def read_data(self) -> DataT:
        """Read what the screen shows from the journal (in a worker: no Textual)."""
        raise NotImplementedError

    def show_data(self, data: DataT) -> None:
        """Show `data`, just read (`self.data` is already `data`)."""
        raise NotImplementedError

    @work(thread=True, exclusive=True, exit_on_error=False, group="read")
    def load_data(self) -> None:
        """Read the data (in a thread) and post it back."""
        self.post_result(self.DataLoaded(self.read_data()))

    @on(DataLoaded)
    def _data_loaded(self, event: DataLoaded) -> None:
        data = self.data = cast(DataT, event.data)
        self.show_data(data)
