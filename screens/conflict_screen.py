"""Resolve conflicts: records changed on two copies at once, their versions side by side.

For each field in conflict the person keeps one version or writes a merged
text; a record whose deletion was beaten by a concurrent edit is kept or
deleted again. Every resolution is an edit that replaces all the versions on
every copy it reaches (docs/SYNC.md).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from journal.errors import TandemError
from journal.journal import Journal, Version
from journal.model import Record
from journal.text import one_line
from widgets.entry_view import version_text

__all__ = ["ConflictScreen", "record_label", "value_text"]


def record_label(record: Record) -> str:
    """A short, safe name for a record: its title, name or the start of its body."""
    for name in ("title", "name", "body"):
        value = getattr(record, name, "")
        if isinstance(value, str) and value.strip():
            return one_line(value)[:60]
    return type(record).__name__


value_text = version_text
"""A version's value as safe text for showing (`widgets.entry_view.version_text`)."""


class ConflictScreen(ModalScreen[int]):
    """Every record in conflict on the left; the selected one's versions on the right."""

    DEFAULT_CSS = """
    ConflictScreen { align: center middle; }
    ConflictScreen > Vertical {
        width: 95%; height: 90%; border: thick $warning; background: $surface; padding: 0 1;
    }
    ConflictScreen #panes { height: 1fr; }
    ConflictScreen #records { width: 32; }
    ConflictScreen #detail { width: 1fr; padding: 0 1; }
    ConflictScreen .versions { height: auto; }
    ConflictScreen .version {
        width: 1fr; height: auto; border: round $primary; padding: 0 1; margin-right: 1;
    }
    ConflictScreen .who { text-style: bold; }
    ConflictScreen TextArea { height: 8; }
    ConflictScreen .field-title { margin-top: 1; text-style: bold; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="conflicts.close"),
    ]

    def __init__(self, journal: Journal, record_id: str | None = None) -> None:
        """The conflicts of `journal`; with `record_id`, that record's first.

        Opened for one record (`r` on the Journal screen), the screen closes by
        itself once that record has nothing left to resolve.
        """
        super().__init__()
        self.journal = journal
        self.record_id = record_id
        self.resolved = 0
        self._record_id: str | None = None
        self._buttons: dict[str, tuple[str, str | None]] = {}

    def compose(self) -> ComposeResult:
        """The list of records and the detail pane."""
        with Vertical():
            yield Label("Changed on two copies at once: choose what to keep")
            with Horizontal(id="panes"):
                yield OptionList(id="records")
                yield VerticalScroll(id="detail")

    def on_mount(self) -> None:
        """List the records in conflict."""
        self._fill()

    def _fill(self) -> None:
        records = self.journal.records_in_conflict()
        options = self.query_one("#records", OptionList)
        options.clear_options()
        options.add_options(Option(record_label(r), id=r.id) for r in records)
        ids = [r.id for r in records]
        if self.record_id is not None and self.resolved and self.record_id not in ids:
            self.dismiss(self.resolved)  # the record asked about is resolved
            return
        if self.record_id in ids:
            options.highlighted = ids.index(self.record_id)
        elif records:
            options.highlighted = 0
        else:
            self._record_id = None
            detail = self.query_one("#detail", VerticalScroll)
            detail.remove_children()
            detail.mount(Static("Nothing to resolve: every copy agrees.", markup=False))

    @on(OptionList.OptionHighlighted, "#records")
    def _record_chosen(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self._show(event.option.id)

    def _show(self, record_id: str) -> None:
        self._record_id = record_id
        self._buttons.clear()
        detail = self.query_one("#detail", VerticalScroll)
        detail.remove_children()
        record = self.journal.find(record_id)
        widgets: list[Any] = [Label(record_label(record), markup=False)]
        if self.journal.kept_after_deletion(record.id):
            deletion = record.deletion or {}
            who = self.journal.member_name(deletion.get("by"))
            widgets.append(
                Static(
                    f"{who} deleted this while someone else changed it, so it was kept.",
                    markup=False,
                )
            )
            widgets.append(
                Horizontal(
                    Button("Keep it", id="keep-record", variant="primary"),
                    Button("Delete it", id="delete-record", variant="error"),
                    classes="versions",
                )
            )
        for unit, versions in self.journal.conflicts(record.id).items():
            widgets.append(Static(f"{unit}", classes="field-title", markup=False))
            panels = []
            for number, version in enumerate(versions, start=1):
                button_id = f"keep-{len(self._buttons)}"
                self._buttons[button_id] = (unit, version.dot)
                panels.append(self._version_panel(number, version, button_id))
            widgets.append(Horizontal(*panels, classes="versions"))
            if all(isinstance(v.value, str) for v in versions):
                merged_id = f"merge-{len(self._buttons)}"
                self._buttons[merged_id] = (unit, None)
                joined = "\n\n".join(str(v.value) for v in versions)
                widgets.append(TextArea(joined, id=f"text-{merged_id}"))
                widgets.append(Button("Save the merged text", id=merged_id))
        detail.mount(*widgets)
        if record_id == self.record_id:  # opened for this record: its first choice at hand
            self.call_after_refresh(self._focus_first_choice)

    def _focus_first_choice(self) -> None:
        buttons = self.query_one("#detail", VerticalScroll).query(Button)
        if buttons:
            buttons.first().focus()

    def _version_panel(self, number: int, version: Version, button_id: str) -> Vertical:
        who = self.journal.member_name(version.author)
        when = version.at[:16].replace("T", " ")
        shown = " (shown now)" if number == 1 else ""
        return Vertical(
            Static(f"Version {number}{shown}: {who}, {when}", classes="who", markup=False),
            Static(value_text(version.value), markup=False),
            Button("Keep this", id=button_id),
            classes="version",
        )

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if self._record_id is None:
            return
        try:
            if button_id == "keep-record":
                self.journal.keep_deleted_record(self._record_id)
            elif button_id == "delete-record":
                self.journal.delete(self._record_id)
            elif button_id in self._buttons:
                unit, dot = self._buttons[button_id]
                if dot is None:
                    text = self.query_one(f"#text-{button_id}", TextArea).text
                    self.journal.resolve(self._record_id, unit, value=text)
                else:
                    self.journal.resolve(self._record_id, unit, keep=dot)
            else:
                return
        except TandemError as error:
            self.notify(one_line(str(error)), severity="error", markup=False)
            return
        self.resolved += 1
        self._fill()

    def action_close(self) -> None:
        """Close, reporting how many conflicts were resolved."""
        self.dismiss(self.resolved)
