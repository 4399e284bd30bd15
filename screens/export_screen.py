"""The app's Export command: choose what to export, see what it holds, then write it.

`ExportScreen(journal)` asks for the format (HTML report, Markdown, CSV or
JSON), the period, an entry kind, a goal, a pseudonym for the child and the
output path. Before anything is written it shows what the export will hold:
how many entries, goals, measurements and comments, which members it names,
and whether the child's name appears. The preview and the writing run in
thread workers (`journal.reports.preview_export` and `export_to`, the same
calls as `tandem export`), and the screen says, before and after, that the
export is NOT encrypted. It returns nothing; the app shows a notification
with the warning once the file is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Input, Label, Select, Static

from journal.journal import Journal
from journal.model import ENTRY_KIND_LABELS
from journal.reports import (
    EXPORT_FORMATS,
    EXPORT_SUFFIXES,
    MEETING_WEEKS,
    ExportFilters,
    ExportPreview,
    export_to,
    preset_filters,
    preview_export,
)
from journal.text import one_line
from widgets.workers import WorkerHost

__all__ = ["ExportScreen", "default_output"]

PREVIEW_DELAY = 0.3
"""Seconds of quiet after a change before the preview is computed again."""

WARNING = (
    "The export is NOT encrypted: anyone who can open the file can read it. "
    "Keep it out of shared or synced folders."
)


def default_output(fmt: str, folder: Path | None = None, today: date | None = None) -> Path:
    """Where an export goes unless the person says otherwise.

    In the home folder (not beside the journal, which may be a synced
    folder), named after the date and never after the journal or the child.
    """
    day = (today or date.today()).isoformat()
    return (folder or Path.home()) / f"tandem-export-{day}{EXPORT_SUFFIXES.get(fmt, '')}"


class ExportScreen(WorkerHost, ModalScreen[None]):
    """Export the journal to a plain file, with a preview of what it holds."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > VerticalScroll {
        width: 96; max-width: 96%; height: auto; max-height: 94%;
        border: thick $primary 60%; background: $surface; padding: 1 2;
    }
    ExportScreen .dialog-title { text-style: bold; margin-bottom: 1; }
    ExportScreen #warning { width: 100%; color: $warning; margin-bottom: 1; }
    ExportScreen #choices { height: auto; }
    ExportScreen .row { height: auto; }
    ExportScreen .row > Label { width: 14; padding-top: 1; }
    ExportScreen .row > Label.between { width: auto; padding: 1 1 0 2; }
    ExportScreen .row > Input, ExportScreen .row > Select { width: 1fr; }
    ExportScreen #preview {
        height: auto; min-height: 4; margin-top: 1; padding: 0 1;
        border-left: wide $primary 50%;
    }
    ExportScreen #status { height: auto; margin-top: 1; }
    ExportScreen .dialog-buttons { height: auto; margin-top: 1; align-horizontal: right; }
    ExportScreen .dialog-buttons Button { margin-left: 2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        Binding("ctrl+s", "export", "Export", id="export.write"),
    ]

    @dataclass
    class Previewed(Message):
        """What the export would hold, from the preview worker."""

        preview: ExportPreview
        """The preview to show."""

    @dataclass
    class Exported(Message):
        """The export worker wrote the file."""

        warning: str
        """The warning to repeat: the file is not encrypted."""

    def __init__(
        self,
        journal: Journal,
        *,
        folder: Path | None = None,
        today: date | None = None,
        fmt: str = "html",
    ) -> None:
        """Export `journal`; the output goes to `folder` (default: home) unless changed.

        `fmt` is the format chosen first (the Sessions screen asks for "ics").
        """
        super().__init__()
        self.journal = journal
        self.first_format = fmt if fmt in EXPORT_FORMATS else "html"
        self.folder = folder or Path.home()
        self.today = today
        self._timer: Timer | None = None
        self._preview: ExportPreview | None = None
        self._writing = False

    def compose(self) -> ComposeResult:
        """The choices, the preview, the warning and the buttons."""
        child = " ".join(self.journal.info.child_name.split())
        goals = [(one_line(g.title)[:70], g.id) for g in self.journal.goals()]
        kinds = [(label, kind) for kind, label in ENTRY_KIND_LABELS.items()]
        # One scrolling dialog: in a small terminal every part, the buttons too, stays in reach.
        with VerticalScroll():
            yield Label("Export the journal", classes="dialog-title")
            yield Label(Content(WARNING), id="warning")
            with Vertical(id="choices"):
                with Horizontal(classes="row"):
                    yield Label("Format")
                    yield Select(
                        [(label, fmt) for fmt, label in EXPORT_FORMATS.items()],
                        value=self.first_format,
                        allow_blank=False,
                        id="format",
                    )
                with Horizontal(classes="row"):
                    yield Label("Report")
                    yield Select(
                        [
                            ("Everything chosen below", "full"),
                            (
                                f"For a team meeting: the last {MEETING_WEEKS} weeks' "
                                "session notes, incidents, observations and wins",
                                "meeting",
                            ),
                        ],
                        value="full",
                        allow_blank=False,
                        id="preset",
                    )
                with Horizontal(classes="row"):
                    yield Label("From")
                    yield Input(placeholder="YYYY-MM-DD (optional)", id="since")
                    yield Label("to", classes="between")
                    yield Input(placeholder="YYYY-MM-DD (optional)", id="until")
                with Horizontal(classes="row"):
                    yield Label("Kind")
                    yield Select(kinds, prompt="All kinds of entries", id="kind")
                with Horizontal(classes="row"):
                    yield Label("Goal")
                    yield Select(goals, prompt="All goals", id="goal")
                with Horizontal(classes="row"):
                    yield Label("Pseudonym")
                    hint = f"replaces {child!r} (optional)" if child else "(no child's name set)"
                    yield Input(placeholder=one_line(hint), id="pseudonym")
                with Horizontal(classes="row"):
                    yield Label("Save to")
                    yield Input(
                        str(default_output(self.first_format, self.folder, self.today)),
                        placeholder="a file; for CSV a folder or a .zip",
                        id="out",
                    )
            yield Static("Reading the journal…", id="preview", markup=False)
            yield Static("", id="status", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Export", id="export", variant="primary", disabled=True)

    def on_mount(self) -> None:
        """Compute the first preview."""
        self.refresh_preview()

    # --- what is chosen ---------------------------------------------------------------

    @property
    def format(self) -> str:
        """The chosen format: html, md, csv or json."""
        value = self.query_one("#format", Select).value
        return value if isinstance(value, str) else "html"

    def filters(self) -> dict[str, Any]:
        """The filters and pseudonym as `export_to` takes them."""

        def text(widget_id: str) -> str | None:
            value = self.query_one(widget_id, Input).value.strip()
            return value or None

        def choice(widget_id: str) -> str | None:
            value = self.query_one(widget_id, Select).value
            return value if isinstance(value, str) else None

        chosen: ExportFilters = {
            "since": text("#since"),
            "until": text("#until"),
            "kind": choice("#kind"),
            "goal": choice("#goal"),
            "pseudonym": text("#pseudonym"),
        }
        preset = choice("#preset") or "full"
        today = (self.today or date.today()).isoformat()
        return dict(preset_filters(preset, chosen, today=today))  # what is chosen wins

    def output(self) -> Path | None:
        """The output path (relative paths are in the home folder), or None if empty."""
        text = self.query_one("#out", Input).value.strip()
        if not text:
            return None
        path = Path(text).expanduser()
        return path if path.is_absolute() else self.folder / path

    # --- the preview ------------------------------------------------------------------

    @on(Select.Changed, "#format")
    def _format_changed(self) -> None:
        out = self.query_one("#out", Input)
        path = Path(out.value.strip())
        known = {*EXPORT_SUFFIXES.values(), ".csv"}
        if out.value.strip() and path.suffix.lower() in known:
            out.value = str(path.with_suffix(EXPORT_SUFFIXES[self.format]))
        self._changed()

    @on(Select.Changed, "#preset")
    @on(Select.Changed, "#kind")
    @on(Select.Changed, "#goal")
    @on(Input.Changed)
    def _changed(self) -> None:
        self._preview = None
        self.query_one("#export", Button).disabled = True
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(PREVIEW_DELAY, self.refresh_preview)

    def refresh_preview(self) -> None:
        """Compute again what the export will hold (in a worker)."""
        self._timer = None
        self.run_preview(self.filters())

    @work(thread=True, exclusive=True, group="export-preview", exit_on_error=False)
    def run_preview(self, filters: dict[str, Any]) -> None:
        """Work out what an export with `filters` holds (reads the journal, writes nothing)."""
        self.post_result(self.Previewed(preview_export(self.journal, **filters)))

    @on(Previewed)
    def _show_preview(self, event: Previewed) -> None:
        preview = self._preview = event.preview
        lines = list(preview.lines())
        out = self.output()
        fmt = self.format
        if out is not None:
            if fmt == "csv" and out.suffix.lower() != ".zip":
                lines.append(f"Writes 5 CSV files into the folder {out}")
            elif out.exists():
                lines.append(f"Replaces the existing file {out}")
        self.query_one("#preview", Static).update("\n".join(one_line(line) for line in lines))
        self.query_one("#export", Button).disabled = self._writing or out is None

    # --- writing ------------------------------------------------------------------------

    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        """Write the export (in a worker), after a preview of the same choices."""
        out = self.output()
        if self._writing or self._preview is None or out is None:
            if out is None:
                self._say("Give a file to save the export to.")
            return
        self._writing = True
        self.query_one("#export", Button).disabled = True
        self._say(f"Writing {out}…")
        self.run_export(self.format, out, self.filters())

    @work(thread=True, exclusive=True, group="export-write", exit_on_error=False)
    def run_export(self, fmt: str, out: Path, filters: dict[str, Any]) -> None:
        """Write the export, and post back the not-encrypted warning."""
        self.post_message(self.Exported(export_to(self.journal, fmt, out, **filters)))

    @on(Exported)
    def _exported(self, event: Exported) -> None:
        warning = event.warning
        self.app.notify(
            one_line(warning[:1].upper() + warning[1:]),
            title="Exported",
            severity="warning",
            markup=False,
            timeout=12,
        )
        self.dismiss(None)

    def worker_failed(self, group: str, error: BaseException) -> None:
        """Say why on the preview line, or (writing) on the status line; nothing pops up."""
        if group == "export-preview":
            self._preview = None
            self.query_one("#export", Button).disabled = True
            self.query_one("#preview", Static).update(f"Cannot export: {one_line(str(error))}")
        elif group == "export-write":
            self._writing = False
            self.query_one("#export", Button).disabled = False
            self._say(f"Could not export: {one_line(str(error))}")
        else:
            super().worker_failed(group, error)

    def _say(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without writing anything."""
        self.dismiss(None)
