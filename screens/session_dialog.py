"""The session dialog: plan a session (date, time, length, place, notes), or move one.

`SessionDialog()` plans a new session; `SessionDialog(moving=session)` asks
only for the new date and time of `session`. Either dismisses with a checked
`SessionDraft`, or `None` when the person leaves. The checks are plain
functions (`parse_starts_at`, `parse_duration`), usable without Textual.

Enter in a one-line field moves to the next one and, in the last, saves;
ctrl+s saves from anywhere. Problems show under their field and nothing is
returned until they are fixed. Text from the journal (a session's place) is
shown as plain `Content`, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static, TextArea

from journal.model import Session
from journal.text import one_line
from screens.confirm_dialog import ConfirmDialog
from screens.entry_form_screen import parse_date, parse_time

__all__ = [
    "MAX_DURATION_MIN",
    "SessionDialog",
    "SessionDraft",
    "describe_when",
    "parse_duration",
    "parse_starts_at",
]

MAX_DURATION_MIN = 12 * 60
"""The longest session the dialog accepts, in minutes."""


# --- from typed text to stored values (no Textual) --------------------------------------


def parse_starts_at(day: str, clock: str) -> str:
    """A typed date and time as a session's 'YYYY-MM-DDTHH:MM'.

    Raises `ValueError` with a one-line message naming the part that is wrong.
    """
    problems: list[str] = []
    try:
        day = parse_date(day)
    except ValueError as error:
        problems.append(f"Date: {error}")
    try:
        clock = parse_time(clock)
    except ValueError as error:
        problems.append(f"Time: {error}")
    if problems:
        raise ValueError(" ".join(problems))
    return f"{day}T{clock}"


def parse_duration(text: str) -> int:
    """A typed length in minutes; `ValueError` with a one-line message otherwise."""
    text = text.strip()
    if not text.isdigit():
        raise ValueError("Give the length in minutes, e.g. 60.")
    minutes = int(text)
    if not 0 < minutes <= MAX_DURATION_MIN:
        raise ValueError(f"A session lasts from 1 to {MAX_DURATION_MIN} minutes.")
    return minutes


def describe_when(starts_at: str) -> str:
    """A stored 'YYYY-MM-DDTHH:MM' as 'Thu 2026-01-08 15:00' (unparsable text as is)."""
    try:
        return datetime.strptime(starts_at, "%Y-%m-%dT%H:%M").strftime("%a %Y-%m-%d %H:%M")
    except ValueError:
        return one_line(starts_at.replace("T", " ", 1))


@dataclass(frozen=True)
class SessionDraft:
    """What the dialog returns, checked: the arguments of `add_session`."""

    starts_at: str
    duration_min: int = 60
    location: str = ""
    notes: str = ""


# --- the dialog ---------------------------------------------------------------------------


class SessionDialog(ModalScreen[SessionDraft | None]):
    """Plan a session, or choose a new date and time for one (`moving`).

    `duration_min` and `location` prefill a new session (the screen passes the
    latest session's, as sessions tend to repeat).
    """

    DEFAULT_CSS = """
    SessionDialog {
        align: center middle;
        background: $background 60%;
        & > #dialog {
            width: 76;
            max-width: 95%;
            height: auto;
            max-height: 95%;
            padding: 1 2;
            background: $surface;
            border: thick $primary 50%;
            border-title-style: bold;
            border-title-color: $text;
        }
        & #intro { color: $text-muted; margin-bottom: 1; }
        & .row { height: auto; }
        & .label { width: 16; padding: 1 1 0 0; color: $text-secondary; }
        & .control { width: 1fr; height: auto; }
        & #date { width: 18; }
        & #time { width: 12; }
        & #duration { width: 12; }
        & #notes { height: 5; }
        & .error { color: $text-error; display: none; }
        & .error.-shown { display: block; }
        & #buttons { height: auto; margin-top: 1; align-horizontal: right; }
        & #buttons > Button { margin-left: 2; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="session_dialog.save"),
        Binding("escape", "cancel", "Cancel", id="session_dialog.cancel"),
    ]

    def __init__(
        self,
        *,
        moving: Session | None = None,
        duration_min: int = 60,
        location: str = "",
    ) -> None:
        """A dialog for a new session, or for moving `moving`."""
        super().__init__()
        self.moving = moving
        self.duration_min = duration_min
        self.location = location
        self._initial: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        """The fields (only date and time when moving), the error lines and the buttons."""
        moving = self.moving
        day, _t, clock = moving.starts_at.partition("T") if moving is not None else ("", "", "")
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content("Move the session" if moving else "Plan a session")
            if moving is not None:
                intro = (
                    f"Now: {describe_when(moving.starts_at)}. The session keeps its length, "
                    "place and notes; the old time stays in the list, marked moved."
                )
            else:
                intro = "Date and time are local, as on a calendar. Enter: next field."
            yield Static(Content(intro), id="intro")
            with Horizontal(classes="row"):
                yield Static(Content("Date"), classes="label")
                with Vertical(classes="control"):
                    yield Input(
                        day,
                        placeholder="YYYY-MM-DD",
                        restrict=r"[0-9-]*",
                        max_length=10,
                        id="date",
                    )
                    yield Static("", id="error-date", classes="error")
            with Horizontal(classes="row"):
                yield Static(Content("Time"), classes="label")
                with Vertical(classes="control"):
                    yield Input(
                        clock[:5], placeholder="HH:MM", restrict=r"[0-9:]*", max_length=5, id="time"
                    )
                    yield Static("", id="error-time", classes="error")
            if moving is None:
                with Horizontal(classes="row"):
                    yield Static(Content("Minutes"), classes="label")
                    with Vertical(classes="control"):
                        yield Input(
                            str(self.duration_min),
                            placeholder="60",
                            restrict=r"[0-9]*",
                            max_length=4,
                            id="duration",
                        )
                        yield Static("", id="error-duration", classes="error")
                with Horizontal(classes="row"):
                    yield Static(Content("Where"), classes="label")
                    with Vertical(classes="control"):
                        yield Input(
                            one_line(self.location),
                            placeholder="Clinic, home, school, video call…",
                            id="location",
                        )
                with Horizontal(classes="row"):
                    yield Static(Content("Notes"), classes="label")
                    with Vertical(classes="control"):
                        yield TextArea(
                            "",
                            soft_wrap=True,
                            show_line_numbers=False,
                            placeholder="What to bring, who comes, what to work on…",
                            id="notes",
                        )
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(
                    "Move (ctrl+s)" if moving else "Plan (ctrl+s)", variant="primary", id="save"
                )
        yield Footer()

    def on_mount(self) -> None:
        """Start with the date; remember what the fields held, to ask before discarding."""
        self._initial = self._values()
        self.query_one("#date", Input).focus()

    # --- reading --------------------------------------------------------------------------

    def _values(self) -> tuple[str, ...]:
        values = [self.query_one("#date", Input).value, self.query_one("#time", Input).value]
        if self.moving is None:
            values += [
                self.query_one("#duration", Input).value,
                self.query_one("#location", Input).value,
                self.query_one("#notes", TextArea).text,
            ]
        return tuple(values)

    def _show_error(self, name: str, message: str) -> None:
        error = self.query_one(f"#error-{name}", Static)
        error.update(Content(message))
        error.set_class(bool(message), "-shown")

    def read_draft(self) -> SessionDraft | None:
        """The checked values; `None` after showing each problem under its field."""
        errors: dict[str, str] = {}
        day = clock = ""
        try:
            day = parse_date(self.query_one("#date", Input).value)
        except ValueError as error:
            errors["date"] = str(error)
        try:
            clock = parse_time(self.query_one("#time", Input).value)
        except ValueError as error:
            errors["time"] = str(error)
        starts_at = f"{day}T{clock}"
        moving = self.moving
        duration = self.duration_min
        location = notes = ""
        if moving is not None:
            if not errors and starts_at == moving.starts_at:
                errors["date"] = "That is when it is now: choose another date or time."
            duration, location, notes = moving.duration_min, moving.location, moving.notes
        else:
            try:
                duration = parse_duration(self.query_one("#duration", Input).value)
            except ValueError as error:
                errors["duration"] = str(error)
            location = one_line(self.query_one("#location", Input).value)
            notes = self.query_one("#notes", TextArea).text.strip("\n")
        for name in ("date", "time", "duration"):
            if self.query(f"#error-{name}"):
                self._show_error(name, errors.get(name, ""))
        if errors:
            self.query_one(f"#{next(iter(errors))}").focus()
            return None
        return SessionDraft(starts_at, duration, location, notes)

    # --- actions ----------------------------------------------------------------------------

    def action_save(self) -> None:
        """Return the session, if every field is right."""
        draft = self.read_draft()
        if draft is not None:
            self.dismiss(draft)

    def action_cancel(self) -> None:
        """Leave; if something was typed, ask first."""
        if self._values() == self._initial:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                "Discard this session?",
                detail="What you typed here has not been saved.",
                yes="Discard",
                no="Keep editing",
                destructive=True,
            ),
            callback=answered,
        )

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        order = ["date", "time"] if self.moving else ["date", "time", "duration", "location"]
        name = event.input.id or ""
        if name in order[:-1]:
            self.query_one(f"#{order[order.index(name) + 1]}", Input).focus()
        else:
            self.action_save()

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        if self.query(f"#error-{name}"):
            self._show_error(name, "")

    @on(Button.Pressed, "#save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()
