"""The session dialog: plan a session (date, time, length, place, notes), or move one.

`SessionDialog()` plans a new session; `SessionDialog(moving=session)` asks
only for the new date and time of `session`. Either dismisses with a checked
`SessionDraft`, or `None` when the person leaves. The checks are plain
functions (`parse_duration`, and `journal.dates`), usable without Textual.

Enter in a one-line field moves to the next one and, in the last, saves;
ctrl+s saves from anywhere. Problems show under their field and nothing is
returned until they are fixed. Text from the journal (a session's place) is
shown as plain `Content`, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Input, Static, TextArea

from journal.dates import describe_when, parse_date, parse_time
from journal.model import Session
from journal.text import one_line
from screens.form_dialog import FormDialog, form_keys

__all__ = [
    "MAX_DURATION_MIN",
    "SessionDialog",
    "SessionDraft",
    "parse_duration",
]

MAX_DURATION_MIN = 12 * 60
"""The longest session the dialog accepts, in minutes."""


# --- from typed text to stored values (no Textual) --------------------------------------


def parse_duration(text: str) -> int:
    """A typed length in minutes; `ValueError` with a one-line message otherwise."""
    text = text.strip()
    if not text.isdigit():
        raise ValueError("Give the length in minutes, e.g. 60.")
    minutes = int(text)
    if not 0 < minutes <= MAX_DURATION_MIN:
        raise ValueError(f"A session lasts from 1 to {MAX_DURATION_MIN} minutes.")
    return minutes


@dataclass(frozen=True)
class SessionDraft:
    """What the dialog returns, checked: the arguments of `add_session`."""

    starts_at: str
    duration_min: int = 60
    location: str = ""
    notes: str = ""


# --- the dialog ---------------------------------------------------------------------------


class SessionDialog(FormDialog[SessionDraft]):
    """Plan a session, or choose a new date and time for one (`moving`).

    `duration_min` and `location` prefill a new session (the screen passes the
    latest session's, as sessions tend to repeat).
    """

    DEFAULT_CSS = """
    SessionDialog {
        & #date { width: 18; }
        & #time { width: 12; }
        & #duration { width: 12; }
        & #notes { height: 5; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = form_keys("session_dialog")

    AUTO_FOCUS = "#date"

    what = "this session"

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
        self.save_label = "Move (ctrl+s)" if moving else "Plan (ctrl+s)"
        self.last_input = "time" if moving else "location"

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
            yield from self.labelled_row(
                "Date",
                Input(day, placeholder="YYYY-MM-DD", restrict=r"[0-9-]*", max_length=10, id="date"),
                "date",
            )
            yield from self.labelled_row(
                "Time",
                Input(clock[:5], placeholder="HH:MM", restrict=r"[0-9:]*", max_length=5, id="time"),
                "time",
            )
            if moving is None:
                yield from self.labelled_row(
                    "Minutes",
                    Input(
                        str(self.duration_min),
                        placeholder="60",
                        restrict=r"[0-9]*",
                        max_length=4,
                        id="duration",
                    ),
                    "duration",
                )
                yield from self.labelled_row(
                    "Where",
                    Input(
                        one_line(self.location),
                        placeholder="Clinic, home, school, video call…",
                        id="location",
                    ),
                )
                yield from self.labelled_row(
                    "Notes",
                    TextArea(
                        "",
                        soft_wrap=True,
                        show_line_numbers=False,
                        placeholder="What to bring, who comes, what to work on…",
                        id="notes",
                    ),
                )
            yield from self.compose_buttons()
        yield Footer()

    def on_mount(self) -> None:
        """Remember what the fields held, to ask before discarding."""
        self.remember_values()

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
            self.show_error(name, errors.get(name, ""))
        if errors:
            self.query_one(f"#{next(iter(errors))}").focus()
            return None
        return SessionDraft(starts_at, duration, location, notes)
