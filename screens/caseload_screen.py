"""The caseload: every recent journal at once, what needs you first (issue #15).

`CaseloadScreen(paths)` returns the journal the person opened, or `None`
when they ask for the other ways in (the welcome screen). Each journal is
read in a worker, one after the other, and its row fills in as soon as it is
read (`journal.caseload`): with a key the agent holds, or one this screen
holds since the passphrase was typed here, the journal shows what waits for
you; otherwise it is "locked" until one passphrase, typed once in the field
above the list, is tried on every locked journal (one key derivation each:
the first family shows before the last key is derived). A damaged file, one
from a newer Tandem or a missing one shows its own one-line state and never
stops the others.

Enter opens the highlighted journal: at once when a key is held, else on the
unlock screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, OptionList, Static
from textual.worker import get_current_worker

from journal.agent_client import agent_for_commands
from journal.caseload import Case
from journal.caseload_pool import read_cases
from journal.errors import TandemError
from journal.journal import Journal
from journal.keys import KekStore, KeyHolder, NotHeld, open_held
from journal.recent import remember
from journal.text import one_line, plural
from screens.unlock_screen import UnlockScreen
from widgets.case_list import CaseList
from widgets.workers import WorkerHost

__all__ = ["CaseloadScreen"]

_LOCKED = ("locked", "wrong_passphrase", "reading")
"""States a typed passphrase is tried on."""
SHOW_EVERY = 0.05
"""Seconds between two updates of the list while cases arrive."""


class CaseloadScreen(WorkerHost, Screen[Journal | None]):
    """Every recent journal and what waits there; Enter opens one."""

    DEFAULT_CSS = """
    CaseloadScreen {
        align: center top;
    }
    CaseloadScreen #caseload {
        width: 100;
        max-width: 100%;
        height: 1fr;
        padding: 1 2 0 2;
    }
    CaseloadScreen .title {
        text-style: bold;
        color: $primary;
    }
    CaseloadScreen #summary {
        color: $text-muted;
        margin-bottom: 1;
    }
    CaseloadScreen #unlock-row {
        height: auto;
        margin-bottom: 1;
    }
    CaseloadScreen #unlock-row Input {
        width: 1fr;
    }
    CaseloadScreen.-none-locked #unlock-row {
        display: none;
    }
    """

    SUB_TITLE = "Caseload"

    AUTO_FOCUS = "#cases"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "unlock_all", "Unlock the locked ones", id="caseload.unlock"),
        Binding("r", "reload", "Read again", id="caseload.reload"),
        Binding("escape", "other_ways", "Other ways in", id="caseload.other"),
    ]

    WORKER_ERRORS: ClassVar[dict[str, str]] = {
        "cases": "Could not read the caseload",
        "open": "Could not open the journal",
    }

    @dataclass
    class CaseRead(Message):
        """A worker read one journal's case."""

        case: Case
        """The case just read."""

    class CasesDone(Message):
        """A worker read every journal it was given."""

    @dataclass
    class Opened(Message):
        """A worker opened the journal the person chose."""

        journal: Journal
        """The open journal."""

    @dataclass
    class NeedsPassphrase(Message):
        """No key is held for the journal the person chose: it opens on the unlock screen."""

        path: Path
        """The journal's file."""

    def __init__(self, paths: list[Path], *, holder: KeyHolder | None = None) -> None:
        """The caseload of `paths`; keys come from the agent, else from `holder` (or a new
        store of this screen's own, kept in memory while the app runs)."""
        super().__init__()
        self.paths = list(dict.fromkeys(Path(p) for p in paths))
        self._own_keys: KeyHolder = holder if holder is not None else KekStore()
        self._cases: dict[Path, Case] = {path: Case(path, "reading") for path in self.paths}
        self.reading = False
        """True while a worker reads journals."""
        self._show_soon = False

    def compose(self) -> ComposeResult:
        """The title, a summary, one passphrase field for the locked ones, the list."""
        yield Header()
        with Vertical(id="caseload"):
            yield Label("Your caseload", classes="title")
            yield Static("", id="summary", markup=False)
            with Horizontal(id="unlock-row"):
                yield Input(
                    password=True,
                    id="caseload-passphrase",
                    placeholder="One passphrase, tried on every locked journal",
                )
                yield Button("Unlock", id="unlock-all")
            yield CaseList(id="cases")
        yield Footer()

    def on_mount(self) -> None:
        """List every journal as being read, then read them."""
        self._show()
        self.start_reading(self.paths)

    # --- reading ---------------------------------------------------------------------------

    @property
    def cases(self) -> list[Case]:
        """The cases in the order the list shows them."""
        return self.query_one(CaseList).cases

    def holder(self) -> KeyHolder:
        """Where keys are held: the agent when it runs and is on, else this screen's store.

        Asks the agent (a socket): call it from a worker.
        """
        return agent_for_commands() or self._own_keys

    def start_reading(self, paths: list[Path], secret: str | None = None) -> None:
        """Read `paths` in a worker, with `secret` for those no held key opens."""
        for path in paths:
            if self._cases[path].state in _LOCKED:
                self._cases[path] = Case(path, "reading")
        self.reading = True
        self._show()
        self.read_cases(paths, secret)

    @work(thread=True, exclusive=True, exit_on_error=False, group="cases")
    def read_cases(self, paths: list[Path], secret: str | None) -> None:
        """Read each journal's case and post it at once (the list fills in as they come).

        A large caseload is read by a worker process per core (journal/caseload_pool.py).
        """
        holder = self.holder()
        cases = read_cases(paths, holder=holder, secret=secret)
        try:
            for case in cases:
                if get_current_worker().is_cancelled:
                    return
                self.post_result(self.CaseRead(case))
        finally:
            cases.close()  # stops the worker processes of a cancelled read
        self.post_result(self.CasesDone())

    @on(CaseRead)
    def _case_read(self, event: CaseRead) -> None:
        self._cases[event.case.path] = event.case
        if not self._show_soon:  # cases arriving together are shown in one update
            self._show_soon = True
            self.set_timer(SHOW_EVERY, self._show)

    @on(CasesDone)
    def _cases_done(self) -> None:
        self.reading = False
        self._show()

    def _show(self) -> None:
        self._show_soon = False
        cases = list(self._cases.values())
        self.query_one(CaseList).show_cases(cases)
        locked = sum(1 for case in cases if case.state in ("locked", "wrong_passphrase"))
        waiting = sum(1 for case in cases if case.is_open and case.needs_you()[0] <= 1)
        problems = sum(1 for case in cases if not case.is_open and case.state not in _LOCKED)
        parts = [plural(len(cases), "journal")]
        if waiting:
            parts.append(f"{waiting} need you")
        if locked:
            parts.append(f"{locked} locked")
        if problems:
            parts.append(f"{problems} cannot be opened")
        if self.reading:
            parts.append("reading…")
        self.query_one("#summary", Static).update(" · ".join(parts))
        self.set_class(not locked, "-none-locked")

    # --- unlocking and opening ---------------------------------------------------------------

    def action_unlock_all(self) -> None:
        """Focus the passphrase field (or try what is typed in it)."""
        field = self.query_one("#caseload-passphrase", Input)
        if field.value:
            self._unlock_all()
        else:
            field.focus()

    @on(Input.Submitted, "#caseload-passphrase")
    @on(Button.Pressed, "#unlock-all")
    def _unlock_all(self) -> None:
        field = self.query_one("#caseload-passphrase", Input)
        secret = field.value
        if not secret:
            field.focus()
            return
        field.value = ""
        locked = [path for path, case in self._cases.items() if case.state in _LOCKED]
        if locked:
            self.start_reading(locked, secret)
        self.query_one(CaseList).focus()

    def action_reload(self) -> None:
        """Read every journal again (what is new may have changed)."""
        self.start_reading(self.paths)

    def action_other_ways(self) -> None:
        """Leave for the welcome screen (create, open a file, the demo)."""
        self.workers.cancel_group(self, "cases")
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#cases")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        case = self.query_one(CaseList).case_at(Path(event.option_id or ""))
        if case is None:
            return
        if case.is_open:
            self.open_journal(case.path)
        elif case.state in _LOCKED:
            self._unlock_screen(case.path)
        else:
            self.notify(
                case.line(),
                title=one_line(case.name),
                severity="warning",
                markup=False,
            )

    @work(thread=True, exclusive=True, exit_on_error=False, group="open")
    def open_journal(self, path: Path) -> None:
        """Open the journal with the key held for it (no key derivation)."""
        try:
            journal = open_held(path, self.holder())
        except NotHeld:
            self.post_result(self.NeedsPassphrase(path))
            return
        except TandemError as error:
            self.post_result(self.CaseRead(Case(path, "unreadable", one_line(str(error)))))
            return
        remember(journal.path)
        self.post_result(self.Opened(journal))

    @on(Opened)
    def _opened(self, event: Opened) -> None:
        self.workers.cancel_group(self, "cases")
        self.dismiss(event.journal)

    @on(NeedsPassphrase)
    def _needs_passphrase(self, event: NeedsPassphrase) -> None:
        self._unlock_screen(event.path)

    def _unlock_screen(self, path: Path) -> None:
        def unlocked(journal: Journal | None) -> None:
            if journal is not None:
                self.workers.cancel_group(self, "cases")
                self.dismiss(journal)

        self.app.push_screen(UnlockScreen(path), callback=unlocked)
