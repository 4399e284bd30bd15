"""A list on the left and the highlighted row in full on the right: Sessions, Resources, People.

A `ListDetailScreen[D]` is a `DataScreen[D]` (`screens.data_screen`): it reads
its data in a thread worker, `read_data`, and shows it, `show_data`. Its list
is an `OptionList` with the id `LIST_ID`, made by `make_list` and styled here
(a subclass sets only its width); as its highlight moves, `show_selected`
shows the row in full. A change runs in a write worker
that calls `written(what, select)` (`MainScreen`): the screen then tells the app
(`JournalEdited`), says `what` in a short notification, remembers `select` as
the row to show and reads its data again (`read_again`).

Workers take the shape of `widgets.workers`; their groups are "read" and
"write", which `WORKER_ERRORS` titles.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import on
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from journal.journal import Journal
from screens.base import MainScreen
from screens.data_screen import DataScreen
from widgets.messages import JournalEdited

__all__ = ["ListDetailScreen"]

DataT = TypeVar("DataT")


class ListDetailScreen(DataScreen[DataT]):
    """A main screen with a list of records and the highlighted one in full."""

    LIST_ID: ClassVar[str] = "list"
    """The id of the list (an `OptionList`)."""

    DEFAULT_CSS = """
    ListDetailScreen {
        layout: vertical;
        & .panes { height: 1fr; }
        & .record-list {
            width: 2fr;
            height: 1fr;
            border: none;
            border-right: vkey $foreground 20%;
            padding: 0 1;
            text-wrap: nowrap;
            text-overflow: ellipsis;
            &:focus { border: none; border-right: vkey $foreground 20%; }
        }
    }
    """
    """The list on the left, its rows on one line each; the panes fill the screen."""

    def __init__(self, journal: Journal) -> None:
        """The screen for `journal`, with nothing read yet."""
        super().__init__(journal)
        self._wanted: str | None = None  # a record to show once the data has it

    # --- the list ----------------------------------------------------------------------

    def make_list(self, *options: Option) -> OptionList:
        """The list of records, for `compose`: its id is `LIST_ID`; rows are never markup."""
        return OptionList(*options, id=self.LIST_ID, classes="record-list", markup=False)

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

    def show_selected(self) -> None:
        """Show the highlighted row in full (the highlight moved, or the data was read)."""
        raise NotImplementedError

    @on(OptionList.OptionHighlighted)
    def _row_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == self.LIST_ID:  # not another list of the screen
            event.stop()
            self.row_highlighted()

    def row_highlighted(self) -> None:
        """The highlight moved in the list: show the row (a subclass may do more)."""
        self.show_selected()

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
