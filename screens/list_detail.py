"""A list on the left and the highlighted row in full on the right: Sessions, Resources, People.

A `ListDetailScreen[D]` reads its data (a `D`, plain data built from the
journal) in a thread worker, `read_data`, and shows it, `show_data`. Its list
is an `OptionList` with the id `LIST_ID`. A change runs in a write worker
that calls `written(what, select)` (`MainScreen`): the screen then tells the app
(`JournalEdited`), says `what` in a short notification, remembers `select` as
the row to show and reads its data again (`read_again`).

Workers take the shape of `widgets.workers`; their groups are "read" and
"write", which `WORKER_ERRORS` titles.
"""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar, cast

from textual import on, work
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import OptionDoesNotExist

from journal.journal import Journal
from screens.base import MainScreen
from widgets.messages import JournalEdited

__all__ = ["ListDetailScreen"]

DataT = TypeVar("DataT")


class ListDetailScreen(MainScreen, Generic[DataT]):  # noqa: UP046 (Textual's generic Screen)
    """A main screen with a list of records and the highlighted one in full."""

    LIST_ID: ClassVar[str] = "list"
    """The id of the list (an `OptionList`)."""

    class DataLoaded(Message):
        """The screen's data, from the worker that read it."""

        def __init__(self, data: object) -> None:
            """The data to show."""
            super().__init__()
            self.data = data

    def __init__(self, journal: Journal) -> None:
        """The screen for `journal`, with nothing read yet."""
        super().__init__(journal)
        self.data: DataT | None = None
        """The data shown, once read."""
        self._wanted: str | None = None  # a record to show once the data has it

    def on_mount(self) -> None:
        """Read the data."""
        self.reload()

    def reload(self) -> None:
        """Read the data again, keeping the row shown."""
        self.load_data()

    # --- reading -----------------------------------------------------------------------

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

    # --- the list ----------------------------------------------------------------------

    @property
    def list_view(self) -> OptionList:
        """The list of records."""
        return self.query_one(f"#{self.LIST_ID}", OptionList)

    @property
    def selected_id(self) -> str | None:
        """The id of the highlighted row, or None."""
        option = self.list_view.highlighted_option
        return option.id if option is not None and not option.disabled else None

    def highlight(self, option_id: str) -> bool:
        """Highlight the row `option_id`; False when the list has none."""
        options = self.list_view
        try:
            options.highlighted = options.get_option_index(option_id)
        except OptionDoesNotExist:
            return False
        return True

    def action_focus_list(self) -> None:
        """Move to the list."""
        self.list_view.focus()

    # --- writing -----------------------------------------------------------------------

    @on(MainScreen.Written)
    def _written(self, event: MainScreen.Written) -> None:
        self.post_message(JournalEdited(event.what))
        self.notify(event.what, timeout=3, markup=False)
        if event.select is not None:
            self._wanted = event.select
        self.read_again()

    def read_again(self) -> None:
        """After a write: read the data again (`reload`, unless the screen needs less)."""
        self.reload()
