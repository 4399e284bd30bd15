"""The welcome screen: recent journals, and the ways to create or open one.

`WelcomeScreen` returns the journal the person opened or created (the app
then shows it), or `None` if they leave. Recent journals come from
`journal.recent` (paths and times only); reading that list checks each file
on disk, so it runs in a worker, as does writing the demo journal. With
`CASELOAD_FROM` or more recent journals on disk, it first shows the caseload
(screens/caseload_screen.py); leaving that comes back here.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from journal.dates import local_time
from journal.demo import DEMO_PASSPHRASE, write_demo_journal
from journal.errors import TandemError
from journal.journal import Journal
from journal.recent import RecentJournal, forget, recent
from journal.text import one_line
from screens.caseload_screen import CaseloadScreen
from screens.create_screen import CreateScreen, default_folder
from screens.unlock_screen import UnlockScreen
from widgets.busy_line import BusyLine
from widgets.file_picker import FilePicker, shown_path
from widgets.key_button import KeyButton
from widgets.workers import WorkerHost

__all__ = ["CASELOAD_FROM", "WAYS_IN", "WelcomeScreen", "open_demo", "recent_label"]

CASELOAD_FROM = 3
"""With this many recent journals on disk ("several"), the caseload is shown first."""

INTRO = (
    "A journal shared by a child's parents and therapist. Each of you keeps a copy of "
    "one encrypted file; Tandem merges the copies."
)


WAYS_IN = {
    "create": Binding("n", "create", "Create a journal", id="welcome.create"),
    "open": Binding("o", "open_file", "Open a file", id="welcome.open"),
    "demo": Binding("d", "demo", "Open the demo", id="welcome.demo"),
}
"""The three ways in, by the id of their button: each is a key and a button that does the same."""


def recent_label(item: RecentJournal) -> Content:
    """Two lines for a recent journal: its file name, then when it was opened and where.

    Plain text throughout: a path is never read as markup.
    """
    parts: list[str | tuple[str, str]] = [
        (one_line(item.path.name), "dim" if item.missing else "bold")
    ]
    if item.missing:
        parts.append(("  missing", "bold $text-warning"))
    opened = local_time(item.opened_at)
    where = (
        f"opened {opened} · {shown_path(item.path.parent)}"
        if opened
        else shown_path(item.path.parent)
    )
    parts.append((f"\n  {where}", "$text-muted"))
    return Content.assemble(*parts)


def open_demo(folder: Path | None = None) -> Journal:
    """Write the demo journal into a new temporary folder and open it with its passphrase.

    Slow (it writes and unlocks a journal): call it from a worker.
    """
    where = folder if folder is not None else Path(tempfile.mkdtemp(prefix="tandem-demo-"))
    path = where / "demo.tandem"
    write_demo_journal(path, passphrase=DEMO_PASSPHRASE)
    return Journal.open(path, DEMO_PASSPHRASE)


class WelcomeScreen(WorkerHost, Screen[Journal | None]):
    """Recent journals, and buttons to create a journal, open a file or open the demo."""

    DEFAULT_CSS = """
    WelcomeScreen {
        align: center top;
    }
    WelcomeScreen #welcome {
        width: 96;
        max-width: 100%;
        height: 1fr;
        padding: 1 2 0 2;
    }
    WelcomeScreen .title {
        text-style: bold;
        color: $primary;
    }
    WelcomeScreen #intro {
        color: $text-muted;
        margin-bottom: 1;
    }
    WelcomeScreen .section {
        text-style: bold;
        margin-top: 1;
    }
    WelcomeScreen #recent {
        height: auto;
        max-height: 1fr;
        min-height: 3;
    }
    WelcomeScreen #recent-empty {
        color: $text-muted;
        padding: 1 1;
        display: none;
    }
    WelcomeScreen.-no-recent #recent {
        display: none;
    }
    WelcomeScreen.-no-recent #recent-empty {
        display: block;
    }
    WelcomeScreen .buttons {
        height: auto;
        margin-top: 1;
    }
    WelcomeScreen .buttons Button {
        margin-right: 2;
    }
    WelcomeScreen #busy {
        margin-top: 1;
    }
    """

    SUB_TITLE = "Welcome"

    AUTO_FOCUS = "#recent"

    BINDINGS: ClassVar[list[BindingType]] = [
        *WAYS_IN.values(),
        Binding("delete", "forget", "Forget", id="welcome.forget"),
    ]

    @dataclass
    class RecentLoaded(Message):
        """The recent journals, read by a worker, most recent first."""

        journals: list[RecentJournal]

    @dataclass
    class DemoReady(Message):
        """The demo journal was written and opened by a worker."""

        journal: Journal

    @dataclass
    class DemoFailed(Message):
        """The demo journal could not be written: `error` says why."""

        error: TandemError | OSError

    def __init__(self, *, documents: Path | None = None) -> None:
        """The welcome screen; the file picker starts in `documents` (default: ~/Documents)."""
        super().__init__()
        self.documents = documents
        self.journals: list[RecentJournal] = []
        """The recent journals listed, in the order shown."""
        self._caseload_shown = False

    def compose(self) -> ComposeResult:
        """The welcome, the recent journals, the three ways in and the footer."""
        yield Header()
        with Vertical(id="welcome"):
            yield Label("Welcome to Tandem", classes="title")
            yield Static(INTRO, id="intro", markup=False)
            with Horizontal(classes="buttons"):
                for name, binding in WAYS_IN.items():
                    yield KeyButton(
                        binding, variant="primary" if name == "create" else "default", id=name
                    )
            yield BusyLine(id="busy")
            yield Label("Recent journals", classes="section")
            yield OptionList(id="recent", markup=False)
            yield Static(
                "No journals opened yet. Create one, open a file, or look around the demo.",
                id="recent-empty",
                markup=False,
            )
        yield Footer()

    def on_mount(self) -> None:
        """Nothing is listed until the recent journals are read."""
        self.set_class(True, "-no-recent")

    def on_screen_resume(self) -> None:
        """Read the recent journals, on arrival and each time the person comes back here."""
        self.load_recent()

    # --- recent journals --------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="recent")
    def load_recent(self) -> None:
        """Read the list and check which files are still there (in a thread)."""
        self.post_message(self.RecentLoaded(recent()))

    @work(thread=True, exclusive=True, exit_on_error=False, group="recent")
    def forget_recent(self, path: Path) -> None:
        """Take `path` off the list (in a thread), then show the list again."""
        forget(path)
        self.post_message(self.RecentLoaded(recent()))

    @on(RecentLoaded)
    def _show_recent(self, event: RecentLoaded) -> None:
        option_list = self.query_one("#recent", OptionList)
        highlighted = option_list.highlighted
        self.journals = event.journals
        option_list.set_options(
            Option(recent_label(item), id=str(index)) for index, item in enumerate(self.journals)
        )
        if self.journals:
            option_list.highlighted = min(highlighted or 0, len(self.journals) - 1)
        self.set_class(not self.journals, "-no-recent")
        self.refresh_bindings()
        if not self.journals and self.focused is option_list:
            self.query_one("#create", Button).focus()
        on_disk = [item for item in self.journals if not item.missing]
        if len(on_disk) >= CASELOAD_FROM and not self._caseload_shown:
            self._caseload_shown = True  # once: leaving the caseload comes back here
            paths = [item.path for item in self.journals]
            self.app.push_screen(CaseloadScreen(paths), callback=self._opened)

    @on(OptionList.OptionSelected, "#recent")
    def _recent_selected(self, event: OptionList.OptionSelected) -> None:
        self.open_recent(event.option_index)

    def open_recent(self, index: int) -> None:
        """Unlock the recent journal at `index` (or say that its file is missing)."""
        if self.busy:
            return
        item = self.journals[index]
        if item.missing:
            self.notify(
                f"No file at {shown_path(item.path)}. It may have moved, or be on a drive "
                "that is not connected. Press Delete to take it off the list.",
                title="That journal is missing",
                severity="warning",
                markup=False,
            )
            return
        self.unlock(item.path)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "Forget" only while there are recent journals to forget."""
        if action == "forget":
            return bool(self.journals)
        return True

    def action_forget(self) -> None:
        """Take the highlighted journal off the recent list (the file stays where it is)."""
        option_list = self.query_one("#recent", OptionList)
        index = option_list.highlighted
        if index is None or not self.journals or self.focused is not option_list:
            return
        self.forget_recent(self.journals[index].path)

    # --- the ways in ----------------------------------------------------------------------

    def _opened(self, journal: Journal | None) -> None:
        if journal is not None:
            self.dismiss(journal)

    def unlock(self, path: Path) -> None:
        """Show the unlock screen for the journal at `path`."""
        self.app.push_screen(UnlockScreen(path), callback=self._opened)

    def _picker_start(self) -> Path:
        if self.documents is not None:
            return self.documents
        for item in self.journals:
            if not item.missing:
                return item.path.parent
        return default_folder()

    @property
    def busy(self) -> bool:
        """True while the demo journal is being prepared (nothing else can start)."""
        return self.query_one(BusyLine).shown

    def action_create(self) -> None:
        """Create a new journal."""
        if self.busy:
            return
        self.app.push_screen(CreateScreen(), callback=self._opened)

    def action_open_file(self) -> None:
        """Choose a journal file, then unlock it."""
        if self.busy:
            return

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.unlock(path)

        self.app.push_screen(FilePicker(self._picker_start()), callback=chosen)

    def action_demo(self) -> None:
        """Write the demo journal to a temporary folder and open it."""
        if self.busy:
            return
        self._set_busy(f'Preparing the demo journal… Its passphrase is "{DEMO_PASSPHRASE}".')
        self.make_demo()

    def _set_busy(self, text: str | None) -> None:
        self.query_one(BusyLine).show(text)
        for button in self.query(".buttons Button").results(Button):
            button.disabled = text is not None

    @work(thread=True, exclusive=True, exit_on_error=False, group="demo")
    def make_demo(self) -> None:
        """Write and open the demo journal (in a thread), and post it back."""
        try:
            journal = open_demo()
        except (TandemError, OSError) as error:
            self.post_message(self.DemoFailed(error))
            return
        self.post_message(self.DemoReady(journal))

    @on(DemoReady)
    def _demo_ready(self, event: DemoReady) -> None:
        self._set_busy(None)
        self.notify(
            f'This is the demo journal; its passphrase is "{DEMO_PASSPHRASE}". It is a '
            f"copy in {shown_path(event.journal.path.parent)}: change anything you like, "
            "your own journals are not touched.",
            title="The demo",
            timeout=12,
            markup=False,
        )
        self.dismiss(event.journal)

    @on(DemoFailed)
    def _demo_failed(self, event: DemoFailed) -> None:
        self._set_busy(None)
        self.notify(
            one_line(str(event.error)),
            title="The demo could not be prepared",
            severity="error",
            markup=False,
        )

    def worker_failed(self, group: str, error: BaseException) -> None:
        """The buttons work again, and a notification says what went wrong."""
        self._set_busy(None)
        super().worker_failed(group, error)
