"""Taking data live, full screen: one key per event, the result saved with Enter.

`take_data(screen, journal, goal)` is what `t` ("Take data") does on the goal
board and a goal's detail: it offers back an unsaved collection of that goal
(kept through a crash, journal.drafts), else asks how to take the data
(`CollectorSetupDialog`), then pushes `CollectorScreen`.

The screen is a thin layer over a `journal.collect.Collection`: it passes
keys on, draws the collection (`CollectorView`) after each event and on a
0.2 s tick (the timers, and the prompt with a flash and the terminal bell
when an interval ends), and writes a draft after each change in a worker
(encrypted, private: journal.drafts). Enter saves the data point
(`Journal.record_measurement`, in a worker) and tells the app with
`JournalEdited`; Backspace undoes the last event; Escape and ctrl+q ask
before throwing away what was recorded. The collection lives in the screen,
not in the journal, so a copy merged from disk meanwhile changes nothing
here. The screen dismisses with the new measurement's id, or None.

Keys: trial by trial `c`/`+` correct, `x`/`-` incorrect, a prompt level's
letter (`goals.prompt_letters`); frequency `1`-`9`; duration space;
interval `y`/`n`; `p` pauses the session timer, `b` turns the bell off.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header
from textual.worker import Worker, WorkerState

from journal import drafts
from journal.collect import (
    Clock,
    Collection,
    DurationCollection,
    FrequencyCollection,
    IntervalCollection,
    Setup,
    TrialCollection,
    collections_for,
    local_stamp,
    restore,
)
from journal.errors import TandemError
from journal.journal import Journal
from journal.model import Goal
from journal.text import one_line
from screens.base import JournalEdited
from screens.confirm_dialog import ConfirmDialog
from widgets.collector_view import CollectorView

__all__ = ["CollectorScreen", "take_data"]

TICK_SECONDS = 0.2
"""How often the timers are drawn again and the intervals looked at."""

DRAFT_VERSION = 1

_SAVE_GROUP = "collector-save"
_DRAFT_GROUP = "collector-draft"


class CollectorScreen(Screen[str | None]):
    """Take data for one goal with one collection (see the module's docstring)."""

    AUTO_FOCUS = None

    DEFAULT_CSS = """
    CollectorScreen { layout: vertical; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "save", "Save", id="collector.save"),
        Binding("backspace", "undo", "Undo", id="collector.undo"),
        Binding("escape", "leave", "Leave", id="collector.leave"),
        Binding("ctrl+q", "leave(True)", "Quit", id="collector.quit"),
        Binding("p", "pause", "Pause/run the timer", id="collector.pause"),
        Binding("b", "bell", "Bell on/off", id="collector.bell"),
    ]

    @dataclass
    class Saved(Message):
        """The data point was written (from the save worker)."""

        measurement_id: str
        """The new measurement's id."""

    def __init__(
        self,
        journal: Journal,
        goal: Goal,
        setup: Setup,
        *,
        collection: Collection | None = None,
        clock: Clock = time.time,
        tick: float | None = TICK_SECONDS,
    ) -> None:
        """Take data for `goal` as `setup` says; `collection` takes up a draft.

        `clock` and `tick` are for tests: a clock that moves when told, and no
        tick (`None`: the test calls `tick()` itself).
        """
        super().__init__()
        self.journal = journal
        self.goal = goal
        self.setup = setup
        self.collection = collection or setup.start(goal.prompt_levels, clock=clock)
        self.tick_seconds = tick
        self.message = ""
        self.saving = False
        self._keys = self._event_keys()
        self._draft_lock = threading.Lock()
        self._draft_asked = 0
        self._draft_written = 0
        self._draft_failed = False
        self._owns_draft = collection is not None
        """True once this screen's collection has a draft (a taken-up one has it already)."""

    def compose(self) -> ComposeResult:
        """The collection, full screen under the title."""
        yield Header()
        yield CollectorView(id="collector")

    def on_mount(self) -> None:
        """Draw, and start the tick."""
        self.sub_title = f"Take data · {one_line(self.goal.title)}"
        if self.tick_seconds:
            self.set_interval(self.tick_seconds, self.tick, name="collector-tick")
        self.refresh_view()

    @property
    def view(self) -> CollectorView:
        """The widget that draws the collection."""
        return self.query_one(CollectorView)

    def refresh_view(self) -> None:
        """Draw the collection as it stands."""
        self.view.show(self.collection, self.setup, message=self.message)

    def tick(self) -> None:
        """Draw the timers; when intervals ended, prompt (flash, and the bell)."""
        found = self.collection
        if isinstance(found, IntervalCollection) and found.new_intervals():
            self.view.flash()
            if self.setup.bell:
                self.app.bell()
            self.message = f"Interval {found.ended()} ended: mark it (y or n)."
        self.refresh_view()

    # --- keys ------------------------------------------------------------------------------

    def _event_keys(self) -> dict[str, Callable[[], str]]:
        """Key -> what it records (returns the message to show)."""
        found = self.collection
        keys: dict[str, Callable[[], str]] = {}
        if isinstance(found, TrialCollection):
            for key in ("c", "plus", "equals_sign"):
                keys[key] = partial(self._trial, "+")
            for key in ("x", "minus"):
                keys[key] = partial(self._trial, "-")
            for letter in found.letters.values():  # 'p' or 'P' (with shift) alike
                keys[letter.lower()] = keys[letter] = partial(self._trial, letter)
        elif isinstance(found, FrequencyCollection):
            for i, name in enumerate(found.behaviors):
                keys[str(i + 1)] = partial(self._count, i, name)
        elif isinstance(found, DurationCollection):
            keys["space"] = self._episode
        elif isinstance(found, IntervalCollection):
            keys["y"] = partial(self._mark, True)
            keys["n"] = partial(self._mark, False)
        return keys

    def on_key(self, event: events.Key) -> None:
        """An event key records at once (before any binding)."""
        record = self._keys.get(event.key)
        if record is None or self.saving:
            return
        event.stop()
        event.prevent_default()
        self.message = record()
        self.changed()

    def _trial(self, symbol: str) -> str:
        assert isinstance(self.collection, TrialCollection)
        trial = self.collection.press(symbol)
        said = {"+": "correct", "-": "incorrect"}.get(trial, f"prompted ({one_line(trial)})")
        return f"Trial {len(self.collection.trials)}: {said}."

    def _count(self, index: int, name: str) -> str:
        assert isinstance(self.collection, FrequencyCollection)
        if not self.collection.count(index):
            return "Paused: p runs the timer on."
        return f"{one_line(name)}: {self.collection.counts[name]}."

    def _episode(self) -> str:
        assert isinstance(self.collection, DurationCollection)
        return "Episode started." if self.collection.toggle() else "Episode stopped."

    def _mark(self, occurred: bool) -> str:
        assert isinstance(self.collection, IntervalCollection)
        number = self.collection.mark(occurred)
        if number is None:
            return "No interval to mark yet."
        return f"Interval {number + 1}: {'occurred' if occurred else 'did not occur'}."

    def changed(self) -> None:
        """Something was recorded or undone: draw, and keep a draft (in a worker)."""
        self.refresh_view()
        self._owns_draft = True
        with self._draft_lock:
            self._draft_asked += 1
            asked = self._draft_asked
        if self.collection.empty:
            self._keep_draft(asked, None)
        else:
            self._keep_draft(asked, self.draft())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Pause for timed collections, the bell for intervals; nothing while saving."""
        if self.saving and action != "leave":
            return False
        found = self.collection
        if action == "pause":
            return isinstance(found, FrequencyCollection | IntervalCollection)
        if action == "bell":
            return isinstance(found, IntervalCollection)
        return True

    def action_undo(self) -> None:
        """Take back the last event."""
        self.message = "Undone." if self.collection.undo() else "Nothing to undo."
        self.changed()

    def action_pause(self) -> None:
        """Pause or run the session timer."""
        running = self.collection.watch.toggle()
        self.message = "Timer running." if running else "Paused."
        self.changed()

    def action_bell(self) -> None:
        """Turn the bell at the end of each interval off, or on."""
        self.setup.bell = not self.setup.bell
        self.message = f"Bell {'on' if self.setup.bell else 'off'}."
        self.changed()

    # --- drafts ------------------------------------------------------------------------------

    def draft(self) -> dict[str, Any]:
        """What is kept through a crash: the goal, the setup and the collection."""
        return {
            "version": DRAFT_VERSION,
            "goal_id": self.goal.id,
            "goal_title": self.goal.title,
            "kept_at": local_stamp(time.time()),
            "summary": self.collection.summary(),
            "setup": self.setup.to_dict(),
            "collection": self.collection.state(),
        }

    @work(thread=True, exit_on_error=False, group=_DRAFT_GROUP)
    def _keep_draft(self, asked: int, data: dict[str, Any] | None) -> None:
        """Write (or remove, for None) the draft, unless a newer one was written."""
        with self._draft_lock:
            if asked <= self._draft_written:
                return
            self._draft_written = asked
            if data is None:
                drafts.discard_draft(self.journal, self.goal.id)
            else:
                drafts.save_draft(self.journal, self.goal.id, data)

    def _close_draft(self) -> None:
        """Remove this collection's draft for good: no worker writes it again. (An older
        draft this screen did not take up stays until a new one replaces it.)"""
        with self._draft_lock:
            self._draft_asked = self._draft_written = 1 << 60
            if self._owns_draft:
                drafts.discard_draft(self.journal, self.goal.id)

    # --- saving and leaving ----------------------------------------------------------------------

    def action_save(self) -> None:
        """Save the data point (in a worker); nothing to save says so."""
        if self.saving:
            return
        try:
            result = self.collection.result(
                setting=self.setup.setting, observer=self.setup.observer
            )
        except TandemError as error:
            self.message = f"{one_line(str(error)).capitalize()}: nothing to save."
            self.refresh_view()
            return
        fields = result.measurement()
        if fields["prompt"] and fields["prompt"] not in self.goal.prompt_levels:
            fields["prompt"] = ""  # the goal's levels changed meanwhile
        self.saving = True
        self.message = "Saving…"
        self.refresh_view()
        self._write(fields)

    @work(thread=True, exclusive=True, exit_on_error=False, group=_SAVE_GROUP)
    def _write(self, fields: dict[str, Any]) -> None:
        """Record the data point (in a thread), then remove the draft."""
        point = self.journal.record_measurement(self.goal.id, **fields)
        self._close_draft()
        self.post_message(self.Saved(point.id))

    @on(Saved)
    def _saved(self, event: Saved) -> None:
        self.app.post_message(JournalEdited(f"data recorded for “{one_line(self.goal.title)}”"))
        self.dismiss(event.measurement_id)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        reason = one_line(str(event.worker.error))
        if event.worker.group == _SAVE_GROUP:
            self.saving = False
            self.message = f"Not saved: {reason}. Nothing is lost: Enter tries again."
            self.refresh_view()
        elif event.worker.group == _DRAFT_GROUP and not self._draft_failed:
            self._draft_failed = True
            self.notify(reason, title="No draft kept (a crash would lose this)", markup=False)

    def action_leave(self, quit_app: bool = False) -> None:
        """Leave (with ctrl+q: quit Tandem); ask first when something was recorded."""
        if self.collection.empty:
            self._leave(True, quit_app)
            return
        summary = one_line(self.collection.summary())
        question = (
            "Quit Tandem and discard this collection?" if quit_app else ("Discard this collection?")
        )
        self.app.push_screen(
            ConfirmDialog(
                question,
                detail=f"{summary}: not saved. Keep taking data, then Enter saves it.",
                yes="Discard and quit" if quit_app else "Discard",
                no="Keep taking data",
                destructive=True,
            ),
            callback=lambda discard: self._leave(bool(discard), quit_app),
        )

    def _leave(self, discard: bool, quit_app: bool) -> None:
        if not discard:
            return
        self._close_draft()
        self.saving = True  # no key records any more
        if quit_app:
            self.app.call_next(self.app.run_action, "quit")
        else:
            self.dismiss(None)


def take_data(
    host: Screen[Any],
    journal: Journal,
    goal: Goal,
    *,
    last_setting: str = "",
    done: Callable[[str | None], None] | None = None,
) -> None:
    """`t` on a goal: offer back its unsaved collection, else set one up; then collect.

    `done` gets the new measurement's id (None when nothing was saved).
    """
    from screens.collector_setup_dialog import CollectorSetupDialog

    app = host.app
    if not collections_for(goal.measure):
        host.notify(
            "A rating is given once, after the session: press m to record it.",
            title="No live collector for ratings",
        )
        return

    def collect(setup: Setup | None, collection: Collection | None = None) -> None:
        if setup is not None:
            screen = CollectorScreen(journal, goal, setup, collection=collection)
            app.push_screen(screen, callback=done)

    def set_up() -> None:
        app.push_screen(
            CollectorSetupDialog(goal, setting=last_setting, observer=journal.me.name),
            callback=collect,
        )

    draft = drafts.load_draft(journal, goal.id)
    if draft is None:
        set_up()
        return
    try:
        setup = Setup.from_dict(draft["setup"])
        collection = restore(draft["collection"])
    except (TandemError, KeyError, TypeError):
        drafts.discard_draft(journal, goal.id)
        set_up()
        return

    def answered(take_up: bool | None) -> None:
        if take_up:
            collect(setup, collection)
        else:  # the draft stays until the new collection records something
            set_up()

    kept = str(draft.get("kept_at", "")).replace("T", " ")[:16]
    app.push_screen(
        ConfirmDialog(
            "Take up the unsaved collection?",
            detail=f"{one_line(str(draft.get('summary', '')))}, kept at {kept}. "
            "A new collection replaces it once it records something.",
            yes="Take it up",
            no="Start over",
        ),
        callback=answered,
    )
