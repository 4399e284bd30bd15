"""Import a copy: merge a journal file received by email, after showing what it brings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Input, Label, Static

from journal.errors import OtherJournal
from journal.journal import Journal
from journal.merge import MergeReport
from journal.sending import whose_copy
from journal.text import one_line
from widgets.file_picker import JournalTree
from widgets.key_button import KeyButton
from widgets.workers import WorkerHost

__all__ = ["ImportScreen"]


_CANCEL = Binding("escape", "cancel", "Cancel", id="import.cancel")


class ImportScreen(WorkerHost, ModalScreen[MergeReport | None]):
    """Choose a received copy, preview the merge, then merge it into the open journal."""

    DEFAULT_CSS = """
    ImportScreen { align: center middle; }
    ImportScreen > Vertical {
        width: 90%; max-width: 110; height: 85%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    ImportScreen DirectoryTree { height: 1fr; min-height: 6; }
    ImportScreen #report { height: auto; max-height: 12; margin: 1 0; }
    ImportScreen #buttons { height: auto; align-horizontal: right; }
    ImportScreen Button { margin-left: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [_CANCEL]

    @dataclass
    class Previewed(Message):
        """What merging a copy would change, from the preview worker."""

        path: Path
        report: MergeReport
        """The report of merging `path` in memory only."""

    @dataclass
    class Merged(Message):
        """The merge worker merged the copy into the open journal: what it changed."""

        report: MergeReport

    def __init__(self, journal: Journal, start: Path | None = None) -> None:
        """Import into `journal`; the tree starts in `start` (default: the journal's folder)."""
        super().__init__()
        self.journal = journal
        self.start = start or journal.path.parent
        self._previewed: Path | None = None
        self._asked: Path | None = None  # the file last asked about
        self._force = False

    def compose(self) -> ComposeResult:
        """A path field, a folder tree, the preview and the buttons."""
        with Vertical():
            yield Label("Import a copy of this journal (a file you received by email)")
            yield Input(placeholder="Path of the received .tandem file", id="path")
            yield JournalTree(self.start)
            yield Static("", id="report", markup=False)
            with Horizontal(id="buttons"):
                yield KeyButton(_CANCEL, id="cancel")
                yield Button("Preview", id="preview", variant="primary")
                yield Button(
                    "Merge", id="merge", variant="success", disabled=True, action="screen.merge"
                )

    @on(DirectoryTree.FileSelected)
    def _file_chosen(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#path", Input).value = str(event.path)
        self.preview()

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#preview")
    def _preview_pressed(self) -> None:
        self.preview()

    @on(Input.Changed, "#path")
    def _path_changed(self) -> None:
        self._previewed = None
        self.query_one("#merge", Button).disabled = True

    def preview(self) -> None:
        """Show what merging the chosen file would change, without changing anything."""
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self._say("Choose a file first.")
            return
        self._say("Reading the copy…")
        self._asked = Path(text).expanduser()
        self.run_preview(self._asked)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def run_preview(self, path: Path) -> None:
        """Merge in memory only, and post the report back."""
        self.post_result(self.Previewed(path, self.journal.merge_copy(path, dry_run=True)))

    def action_merge(self) -> None:
        """Merge the file previewed into the open journal."""
        if self._previewed is not None:
            self._say("Merging…")
            self.run_merge(self._previewed, self._force)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def run_merge(self, path: Path, force: bool) -> None:
        """Merge the copy into the open journal (the app saves it), and say so."""
        self.post_message(self.Merged(self.journal.merge_copy(path, force=force)))

    @on(Merged)
    def _merged(self, event: Merged) -> None:
        self.dismiss(event.report)

    def worker_failed(self, group: str, error: BaseException) -> None:
        """Say why under the tree (nothing pops up); another journal's copy: whose, if known."""
        message = f"Cannot import: {one_line(str(error))}"
        whose = whose_copy(self._asked) if self._asked is not None else ""
        if isinstance(error, OtherJournal) and whose:
            message += f" By its name it is a copy of {one_line(whose)}."
        self._say(message)

    @on(Previewed)
    def _show_preview(self, event: Previewed) -> None:
        path, report = event.path, event.report
        nothing = "Nothing new: this copy holds nothing you do not have."
        lines = self.journal.describe_merge(report) or [nothing]
        merge = self.query_one("#merge", Button)
        self._force = report.deletes_too_much()
        if self._force:
            lines.append(
                f"Careful: this copy would delete {report.deleted_count} of "
                f"{report.live_before} records. Merge only if that is what you expect."
            )
            merge.label = "Merge anyway"
            merge.variant = "error"
        else:
            merge.label = "Merge"
            merge.variant = "success"
        self._previewed = path
        merge.disabled = report.empty
        self._say("\n".join(one_line(line) for line in lines))

    def _say(self, text: str) -> None:
        self.query_one("#report", Static).update(text)

    def action_cancel(self) -> None:
        """Close without merging."""
        self.dismiss(None)
