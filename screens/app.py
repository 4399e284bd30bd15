"""The Tandem terminal app: it wires the screens together and keeps the file in step.

The App owns three things only: which screen is shown (one mode per main
screen, built with the open `Journal`), saving after a screen reports an
edit, and noticing when the file changed on disk (a shared drive delivered
another copy) or when a drive left a conflict copy beside it. Saving and
merging run in thread workers (`widgets.workers`), which report merges with
messages; the screens are refreshed with `reload()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.screen import ModalScreen, Screen

from journal.copies import find_conflict_copies, sync_copies
from journal.errors import TandemError
from journal.journal import Journal
from journal.merge import MergeReport
from journal.model import (
    ChangeRequest,
    Comment,
    Entry,
    Goal,
    GoalEvent,
    JournalInfo,
    Measurement,
    Member,
    Resource,
    Session,
)
from journal.text import one_line
from screens.base import MainScreen
from screens.confirm_dialog import ConfirmDialog
from widgets.messages import JournalEdited, OpenRecord
from widgets.workers import WorkerHost

__all__ = ["TandemApp"]

DISK_CHECK_SECONDS = 2.0
COPY_CHECK_SECONDS = 10.0
SWITCH_REDRAW_SECONDS = 0.1
"""After a switch of screens, when to draw the new one whole (after Textual's 0.05 s delay)."""


@dataclass(frozen=True)
class Place:
    """A main screen: its mode name, label, key, help, and the module and class to build."""

    mode: str
    label: str
    key: str
    help: str
    screen: tuple[str, str]

    def build(self, journal: Journal) -> Screen[None]:
        """The screen for `journal`; its module is imported only now.

        So `screens.app` stays cheap to import for the CLI, and opening a
        journal imports only the screen shown first, not all seven.
        """
        module, name = self.screen
        screen_class: Callable[[Journal], Screen[None]] = getattr(import_module(module), name)
        return screen_class(journal)


def _places() -> list[Place]:
    return [
        Place(
            "home",
            "Home",
            "f2",
            "What is new since you last looked",
            ("screens.home_screen", "HomeScreen"),
        ),
        Place(
            "journal",
            "Journal",
            "f3",
            "Check-ins, incidents, session notes",
            ("screens.journal_screen", "JournalScreen"),
        ),
        Place(
            "threads",
            "Threads",
            "f4",
            "Every open feedback thread",
            ("screens.threads_screen", "ThreadsScreen"),
        ),
        Place(
            "goals",
            "Goals",
            "f5",
            "Goals by status: data, charts, moves",
            ("screens.goals_screen", "GoalsScreen"),
        ),
        Place(
            "sessions",
            "Sessions",
            "f6",
            "Plan, move, cancel; change requests",
            ("screens.sessions_screen", "SessionsScreen"),
        ),
        Place(
            "resources",
            "Resources",
            "f7",
            "Reading, links, videos, tips",
            ("screens.resources_screen", "ResourcesScreen"),
        ),
        Place(
            "people",
            "People",
            "f8",
            "Profiles, the journal's page, invitations",
            ("screens.people_screen", "PeopleScreen"),
        ),
    ]


# Which main screen shows a record of each type (anything else: its thread).
_PLACE_OF_RECORD: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (Entry, "journal"),
    ((Goal, Measurement, GoalEvent), "goals"),
    ((Session, ChangeRequest), "sessions"),
    (Resource, "resources"),
    ((Member, JournalInfo), "people"),
)


class TandemApp(WorkerHost, App[None]):
    """The journal a child's parents and therapist keep together."""

    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses find it
    TITLE = "Tandem"

    WORKER_ERRORS: ClassVar[dict[str, str]] = {
        "save": "Could not save",
        "send": "Could not write the copy",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help_key", show=False),
        *(Binding(p.key, f"go('{p.mode}')", p.label, id=f"app.go.{p.mode}") for p in _places()),
        Binding("ctrl+o", "import_copy", "Import a copy", id="app.import", show=False),
        Binding("ctrl+t", "toggle_dark", "Light/dark", id="app.theme", show=False),
        Binding("ctrl+q", "quit", "Quit", id="app.quit"),
    ]

    @dataclass
    class Merged(Message):
        """A worker merged another copy into the journal."""

        report: MergeReport
        source: str
        """Where the copy came from ('from the file on disk')."""

    @dataclass
    class HeldCopy(Message):
        """A drive's copy is held aside: what applying it would do, to ask about it."""

        path: str
        """The held file."""
        why: str
        """Why it was held."""
        lines: list[str]
        """What applying it would bring, a line each."""

    @dataclass
    class CopiesMerged(Message):
        """The worker merged the conflict copies beside the journal."""

        lines: list[str]
        """What it did, a line per copy and per change."""

    def __init__(
        self,
        journal: Journal | None = None,
        *,
        path: Path | None = None,
        secret: str | None = None,
        start: str = "home",
        watch: bool = True,
    ) -> None:
        """Open on `journal` (already unlocked), on the unlock screen of `path`, or welcome.

        With `secret` (from TANDEM_PASSPHRASE or a passphrase file) the unlock
        screen starts unlocking at once, in a worker, with its usual messages.

        `start` names the first main screen; `watch=False` turns off watching
        the file on disk (for tests that drive merges themselves).
        """
        super().__init__()
        self.journal: Journal | None = None
        self._initial = journal
        self._path = path
        self._secret = secret
        self._start = start
        self._watch = watch
        self._places: list[Place] = []
        self._mode_names: set[str] = set()
        self._offered_copies: set[Path] = set()

    # --- getting in ------------------------------------------------------------------

    def on_mount(self) -> None:
        """Show the journal, or ask for a passphrase, or welcome the person."""
        if self._initial is not None:
            self.open_journal(self._initial)
        elif self._path is not None:
            from screens.unlock_screen import UnlockScreen

            unlock = UnlockScreen(self._path, secret=self._secret)
            self._secret = None
            self.push_screen(unlock, callback=self._opened)
        else:
            from screens.welcome_screen import WelcomeScreen

            self.push_screen(WelcomeScreen(), callback=self._opened)

    def _opened(self, journal: Journal | None) -> None:
        if journal is None:
            self.exit()
        else:
            self.open_journal(journal)

    def open_journal(self, journal: Journal) -> None:
        """Show `journal`: one mode per main screen, starting on `start`."""
        self.journal = journal
        member = journal.me
        self.title = one_line(journal.title)
        self.sub_title = one_line(f"{member.name} ({member.role})")
        self._places = _places()
        for place in self._places:
            self.add_mode(place.mode, self._builder(place, journal))
            self._mode_names.add(place.mode)
        start = self._start if self._start in self._mode_names else self._places[0].mode
        self.switch_mode(start)
        if self._watch:
            self.set_interval(DISK_CHECK_SECONDS, self._check_disk, name="disk")
            self.set_interval(COPY_CHECK_SECONDS, self._check_copies, name="copies")
            self.call_after_refresh(self._check_copies)
            self.ask_about_held_copies()

    @staticmethod
    def _builder(place: Place, journal: Journal) -> Callable[[], Screen[None]]:
        return lambda: place.build(journal)

    # --- moving around ------------------------------------------------------------------

    def action_go(self, mode: str) -> None:
        """Show one of the main screens (not from inside a dialog)."""
        if isinstance(self.screen, ModalScreen):
            return
        if self.journal is not None and mode in self._mode_names:
            self.switch_mode(mode)
            # Textual redraws only what changed on a screen shown again: in a real
            # terminal the screen left could stay drawn under the new one's keys
            # (issue #13). Redraw it whole once the switch's delayed update is done.
            self.set_timer(SWITCH_REDRAW_SECONDS, self._redraw_whole)

    def _redraw_whole(self) -> None:
        width, height = self.size
        self.screen.refresh(Region(0, 0, width, height))

    def _main_screens(self) -> Iterable[MainScreen]:
        for mode in self._places:
            stack = self._screen_stacks.get(mode.mode) or []
            for screen in stack:
                if isinstance(screen, MainScreen):
                    yield screen

    @on(OpenRecord)
    def _open_record(self, event: OpenRecord) -> None:
        if self.journal is None:
            return
        try:
            record = self.journal.find(event.record_id)
        except TandemError as error:
            self.notify(one_line(str(error)), severity="warning", markup=False)
            return
        if isinstance(record, Comment):
            record = self.journal.find(record.target_id)
        if event.reply and "threads" in self._mode_names:
            from screens.threads_screen import ThreadsScreen

            self.switch_mode("threads")
            for screen in self._screen_stacks.get("threads") or []:
                if isinstance(screen, ThreadsScreen):
                    screen.open_thread(record.id, reply=True)
            return
        mode = "threads"
        for kinds, place in _PLACE_OF_RECORD:
            if isinstance(record, kinds):
                mode = place
        if mode not in self._mode_names:
            mode = "threads"
        self.switch_mode(mode)
        for screen in self._screen_stacks.get(mode) or []:
            if isinstance(screen, MainScreen):
                screen.show_record(record.id)

    def action_help(self) -> None:
        """Show every key of this screen and of the app."""
        from screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette: every screen and action by name."""
        yield from super().get_system_commands(screen)
        if self.journal is None:
            return
        for place in self._places:
            yield SystemCommand(
                place.label, place.help, lambda mode=place.mode: self.action_go(mode)
            )
        # Main screens and the goal detail say which record `c` comments on.
        target = getattr(screen, "comment_target", None)
        comment: Callable[..., None] | None = getattr(screen, "action_comment", None)
        if callable(target) and comment is not None and target() is not None:
            yield SystemCommand("Comment", "Comment on the record shown (c)", comment)
            yield SystemCommand("Reply", "Reply in the thread of the record shown (c)", comment)
            yield SystemCommand(
                "Ask a question",
                "Ask the others about the record shown",
                lambda: comment(question=True),
            )
        yield SystemCommand(
            "Import a copy", "Merge a copy received by email", self.action_import_copy
        )
        yield SystemCommand(
            "Send a copy",
            "Write a copy to Downloads to send by email, and open a message for it",
            self.action_send_copy,
        )
        yield SystemCommand(
            "Merge conflict copies",
            "Merge the copies a shared drive left beside the journal",
            self.action_merge_copies,
        )
        yield SystemCommand(
            "Resolve conflicts", "Records changed on two copies at once", self.action_conflicts
        )
        yield SystemCommand(
            "Export",
            "A report to print (HTML), Markdown, CSV, JSON or a calendar; NOT encrypted",
            self.action_export,
        )
        yield SystemCommand(
            "Patterns", "When incidents happen; sleep and mood", self.action_patterns
        )
        yield SystemCommand("Events", "Dated events drawn on goal charts", self.action_events)
        yield SystemCommand("Help", "Every key", self.action_help)

    # --- saving ----------------------------------------------------------------------

    @on(JournalEdited)
    def _journal_edited(self, event: JournalEdited) -> None:
        self.save_journal()
        if self.journal is not None:
            self.title = one_line(self.journal.title)
        for screen in self._main_screens():
            if screen is not event.control and screen is not self.screen:
                screen.reload()

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def save_journal(self) -> None:
        """Save the journal (merging the file on disk first if it changed)."""
        assert self.journal is not None
        report = self.journal.save()
        if report is not None:
            self.post_message(self.Merged(report, "from the file on disk"))

    @on(Merged)
    def _merged_in_worker(self, event: Merged) -> None:
        self._merged(event.report, event.source)

    def _merged(self, report: MergeReport, source: str) -> None:
        assert self.journal is not None
        if report.held_copy is not None:  # nothing of it was applied: ask
            lines = self.journal.describe_merge(report)
            self.post_message(self.HeldCopy(report.held_copy, report.why_held, lines))
            return
        lines = self.journal.describe_merge(report)
        if lines:
            self.notify("\n".join(lines), title=f"Merged {source}", markup=False, timeout=8)
        for screen in self._main_screens():
            screen.reload()

    # --- the file on disk and the drive's conflict copies ------------------------------

    def _check_disk(self) -> None:
        if self.journal is not None and self.journal.file.changed_on_disk():
            self.merge_disk_copy()

    @work(thread=True, exclusive=True, group="disk", exit_on_error=False)
    def merge_disk_copy(self) -> None:
        """Merge the file on disk into the open journal, and save the merged journal."""
        assert self.journal is not None
        report = self.journal.refresh()
        if self.journal.dirty:
            self.journal.save()
        if report is not None:
            self.post_message(self.Merged(report, "from the file on disk"))

    # --- a drive's copy held aside (docs/SYNC.md, "Safety rails") ----------------------

    @work(thread=True, exclusive=True, group="held", exit_on_error=False)
    def ask_about_held_copies(self) -> None:
        """At the start: ask about each copy still held aside from an earlier session."""
        assert self.journal is not None
        for held in self.journal.held_copies():
            report = self.journal.preview_held_copy(held.path)
            why = "would delete records or change who is in the journal"
            lines = self.journal.describe_merge(report)
            self.post_message(self.HeldCopy(str(held.path), why, lines))

    @on(HeldCopy)
    def _held_copy(self, event: HeldCopy) -> None:
        name = Path(event.path).name
        what = "\n".join(f"- {one_line(line)}" for line in event.lines) or "- nothing new"
        detail = (
            f"The shared drive delivered a copy of the journal that {one_line(event.why)}. "
            f"It would bring:\n{what}\nUntil you decide it stays aside as “{one_line(name)}” "
            "and nothing of it is applied; quitting does not apply it either."
        )

        def answered(apply: bool | None) -> None:
            if apply:
                self.apply_held_copy(event.path)
            else:
                self.notify(
                    f"Kept aside: {name}. You will be asked again next time.",
                    markup=False,
                    timeout=8,
                )

        self.push_screen(
            ConfirmDialog(
                "Apply the copy the drive delivered?",
                detail=detail,
                yes="Apply it",
                no="Keep it aside",
                destructive=True,
            ),
            callback=answered,
        )

    @work(thread=True, exclusive=True, group="held-apply", exit_on_error=False)
    def apply_held_copy(self, path: str) -> None:
        """Apply a held copy the person accepted, and save."""
        assert self.journal is not None
        report = self.journal.apply_held_copy(path)
        self.post_message(self.Merged(report, "from the drive's copy"))

    def _check_copies(self) -> None:
        if self.journal is None:
            return
        try:
            copies = find_conflict_copies(self.journal.path)
        except TandemError:
            return
        new = [c for c in copies if c.path not in self._offered_copies]
        if not new:
            return
        self._offered_copies.update(c.path for c in new)
        names = ", ".join(one_line(c.path.name) for c in new[:3])
        self.notify(
            f"{names}\nOpen the command palette (ctrl+p) and choose “Merge conflict copies”.",
            title=f"{len(new)} conflict {'copy' if len(new) == 1 else 'copies'} beside the journal",
            markup=False,
            timeout=15,
        )

    def action_merge_copies(self) -> None:
        """Merge the conflict copies beside the journal, then archive them."""
        self.merge_conflict_copies()

    @work(thread=True, exclusive=True, group="copies", exit_on_error=False)
    def merge_conflict_copies(self) -> None:
        """Merge each confirmed conflict copy, save, move the copies to the archive folder."""
        assert self.journal is not None
        result = sync_copies(self.journal, force=False)
        lines: list[str] = []
        for copy, report in result.merged:
            lines.append(f"{copy.path.name} ({copy.service}):")
            described = self.journal.describe_merge(report) or ["nothing new"]
            lines.extend(f"  {line}" for line in described)
        for copy, reason in result.skipped:
            lines.append(f"skipped {copy.path.name}: {reason}")
        self.post_message(self.CopiesMerged(lines))

    @on(CopiesMerged)
    def _copies_merged(self, event: CopiesMerged) -> None:
        message = "\n".join(one_line(line) for line in event.lines) or "No conflict copies found."
        self.notify(message, title="Conflict copies", markup=False, timeout=12)
        for screen in self._main_screens():
            screen.reload()

    def action_import_copy(self) -> None:
        """Merge a copy of this journal received by email, after showing what it brings."""
        if self.journal is None:
            return
        from screens.import_screen import ImportScreen

        self.push_screen(ImportScreen(self.journal), callback=self._imported)

    def _imported(self, report: MergeReport | None) -> None:
        if report is not None:
            self.save_journal()
            self._merged(report, "the imported copy")

    def action_send_copy(self) -> None:
        """Write a copy to send (Downloads), say what it holds, open a mail for it."""
        if self.journal is not None:
            self.send_copy()

    @work(thread=True, exclusive=True, group="send", exit_on_error=False)
    def send_copy(self) -> None:
        """Save, write the copy and open a mail message (in a worker)."""
        from journal.sending import open_mail, send_copy

        assert self.journal is not None
        sent = send_copy(self.journal)
        mailed = open_mail(sent)
        how = (
            "A mail message with it attached is open."
            if mailed
            else "Attach it to a message to the others."
        )
        self.notify(
            f"{sent.path}\nIt holds {sent.news}. {how}\n"
            "Never put the passphrase in the same message.",
            title="Copy ready to send",
            markup=False,
            timeout=20,
        )

    def action_export(self) -> None:
        """Export the journal to a plain file, after a preview of what it will hold."""
        if self.journal is None:
            return
        from screens.export_screen import ExportScreen

        self.push_screen(ExportScreen(self.journal))

    def action_patterns(self) -> None:
        """Show the patterns in incidents and check-ins."""
        if self.journal is not None:
            from screens.patterns_screen import PatternsScreen

            self.push_screen(PatternsScreen(self.journal))

    def action_events(self) -> None:
        """Show the dated events (add, change, delete them)."""
        if self.journal is not None:
            from screens.events_screen import EventsScreen

            self.push_screen(EventsScreen(self.journal))

    def action_conflicts(self) -> None:
        """Show the records changed on two copies at once, to resolve them."""
        if self.journal is None:
            return
        from screens.conflict_screen import ConflictScreen

        self.push_screen(ConflictScreen(self.journal), callback=self._conflicts_closed)

    def _conflicts_closed(self, resolved: int | None) -> None:
        if resolved:
            self.conflicts_resolved(resolved)

    def conflicts_resolved(self, resolved: int) -> None:
        """Save, and show every main screen as it is now: the one in front too."""
        self.save_journal()
        self.notify(f"{resolved} conflict{'s' if resolved != 1 else ''} resolved", timeout=4)
        for screen in self._main_screens():
            screen.reload()

    # --- leaving -----------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Remember that this member has seen the journal, save, and quit."""
        if self.journal is not None:
            worker = self.leave_journal()
            await worker.wait()
        self.exit()

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def leave_journal(self) -> None:
        """Mark the journal seen by this member and save it (in a worker)."""
        assert self.journal is not None
        if not self.journal.needs_own_passphrase:
            self.journal.mark_seen()
        self.journal.save()
