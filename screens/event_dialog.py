"""Add or change a dated event: "started melatonin", "new teacher", "spring break".

Events are drawn as labelled vertical lines on goal charts, so a curve
explains itself. `EventDialog(goals)` asks for a new one (for every goal,
or the goal chosen), `EventDialog(goals, event=...)` for the changes to
one; it dismisses with a checked `EventDraft`, or `None`. `edit_event`
pushes the dialog and writes the draft in a thread worker of the screen
that asked (`write_event`), then tells the app with `JournalEdited`. The
checks are the plain function `check_event`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Select, Static

from journal.journal import Journal
from journal.model import Event, Goal
from journal.text import one_line
from screens.base import JournalEdited
from screens.form_dialog import FormDialog, form_keys

__all__ = ["EventDialog", "EventDraft", "check_event", "edit_event", "write_event"]

SAVE_GROUP = "event-save"
"""The worker group that writes an event (`edit_event`)."""


@dataclass(frozen=True)
class EventDraft:
    """A checked event: the arguments of `Journal.add_event`."""

    date: str
    title: str
    note: str = ""
    goals: list[str] = field(default_factory=list)


def check_event(
    day: str, title: str, note: str = "", goal_id: str | None = None
) -> tuple[EventDraft | None, dict[str, str]]:
    """(the draft, {}) when the values are right, else (None, field id -> problem)."""
    errors: dict[str, str] = {}
    try:
        checked = date.fromisoformat(day.strip()).isoformat()
    except ValueError:
        checked = ""
        errors["date"] = "Write the day as YYYY-MM-DD, e.g. 2026-02-01."
    title = one_line(title)
    if not title:
        errors["title"] = "Say what happened, e.g. “started melatonin”."
    if errors:
        return None, errors
    return EventDraft(checked, title, note.strip(), [goal_id] if goal_id else []), {}


class EventDialog(FormDialog[EventDraft]):
    """Ask for a new event, or the changes to `event`; dismisses with the checked draft."""

    DEFAULT_CSS = """
    EventDialog {
        & > #dialog { width: 76; max-width: 100%; max-height: 100%; }
        & .label { width: 10; }
        & #date { width: 16; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = form_keys("event_dialog")

    AUTO_FOCUS = "#title"

    what = "this event"
    last_input = "note"

    def __init__(
        self,
        goals: Sequence[Goal] = (),
        *,
        event: Event | None = None,
        goal_id: str | None = None,
        today: date | None = None,
    ) -> None:
        """A dialog for a new event (offering `goals`, with `goal_id` chosen), or `event`."""
        super().__init__()
        self.event = event
        self.goals = tuple(goals)
        self.goal_id = (event.goals[0] if event and event.goals else None) or goal_id
        self.today = today or date.today()

    def compose(self) -> ComposeResult:
        """Day, title, the goal it concerns, a note, the buttons."""
        event = self.event
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content("Change the event" if event else "Add an event")
            yield Static(
                Content(
                    "Something that may explain a curve: a medication, a new teacher, "
                    "a change of method, a school break. Goal charts show it as a line."
                ),
                id="intro",
            )
            day = event.date if event else self.today.isoformat()
            yield from self.labelled_row(
                "Day", Input(day, placeholder="YYYY-MM-DD", max_length=10, id="date"), "date"
            )
            yield from self.labelled_row(
                "What",
                Input(event.title if event else "", placeholder="started melatonin", id="title"),
                "title",
            )
            options = [(Content(one_line(g.title) or "(untitled)"), g.id) for g in self.goals]
            chosen = self.goal_id if any(g.id == self.goal_id for g in self.goals) else None
            yield from self.labelled_row(
                "Goal",
                Select(options, prompt="Every goal", value=chosen or Select.NULL, id="goal"),
                "goal",
            )
            yield from self.labelled_row(
                "Note",
                Input(event.note if event else "", placeholder="optional", id="note"),
                "note",
            )
            yield from self.compose_form_footer()
        yield Footer()

    def on_mount(self) -> None:
        """Remember the values to tell changes (the form starts with what happened)."""
        self.remember_values()

    def read_draft(self) -> EventDraft | None:
        """The checked event; None after showing what is wrong under the fields."""
        goal = self.query_one("#goal", Select).value
        draft, errors = check_event(
            self.query_one("#date", Input).value,
            self.query_one("#title", Input).value,
            self.query_one("#note", Input).value,
            goal if isinstance(goal, str) else None,
        )
        if draft is None:
            self.show_field_errors(errors)
        return draft


def write_event(journal: Journal, draft: EventDraft, event_id: str | None = None) -> str:
    """Add the event of `draft` (or change event `event_id` to it); returns its id."""
    if event_id is None:
        return journal.add_event(draft.date, draft.title, note=draft.note, goals=draft.goals).id
    changes = {"date": draft.date, "title": draft.title, "note": draft.note, "goals": draft.goals}
    return journal.edit_event(event_id, **changes).id


def edit_event(
    host: Screen[Any],
    journal: Journal,
    *,
    goals: Sequence[Goal] = (),
    event: Event | None = None,
    goal_id: str | None = None,
    done: Callable[[], None] | None = None,
) -> None:
    """Ask for a new event (or changes to `event`) over `host`, then write it in a worker
    of `host` and tell the app; `done` runs on the UI thread once it is written."""

    def write(draft: EventDraft) -> None:
        written = write_event(journal, draft, event.id if event else None)
        verb = "changed" if event else "added"
        host.post_message(JournalEdited(f"event “{draft.title}” {verb}"))
        if done is not None and written:
            host.app.call_from_thread(done)

    def answered(draft: EventDraft | None) -> None:
        if draft is not None:
            host.run_worker(
                partial(write, draft), thread=True, group=SAVE_GROUP, exit_on_error=False
            )

    dialog = EventDialog(goals, event=event, goal_id=goal_id)
    host.app.push_screen(dialog, callback=answered)
