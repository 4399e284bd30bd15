"""Record one data point for a goal, in a few keystrokes.

For a percent-of-trials goal: correct and total; for a count, duration or
rating goal: the value. Then the prompt level (the last one used for this
goal is chosen already), the setting, a note and the date (today). Enter
moves to the next field and saves from the last one; ctrl+s saves from
anywhere. What is wrong shows on one line and nothing is saved.

`MeasurementDialog` dismisses with the new measurement's id, or `None`. The
checks are the plain function `parse_measurement`, usable without Textual.
Saving runs in a thread worker and tells the app with `JournalEdited`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Footer, Input, Select, Static

from journal.dates import parse_date
from journal.goals import MEASURE_LABELS, MEASURE_VALUE_LABELS
from journal.journal import Journal
from journal.model import Goal
from journal.text import one_line
from screens.form_dialog import FormDialog, form_keys

__all__ = ["MeasurementDialog", "MeasurementDraft", "own_setting", "parse_measurement", "today"]

_SAVE_GROUP = "measurement-save"


def today() -> str:
    """Today's local date, 'YYYY-MM-DD' (the dialog's default date)."""
    return date.today().isoformat()


@dataclass(frozen=True)
class MeasurementDraft:
    """A checked data point: the arguments of `Journal.record_measurement`."""

    date: str
    value: float | None = None
    correct: int | None = None
    total: int | None = None
    prompt: str = ""
    setting: str = ""
    note: str = ""


def _whole(label: str, text: str) -> int:
    text = text.strip()
    if not text:
        raise ValueError(f"{label}: fill it in.")
    if not text.isdigit():
        raise ValueError(f"{label}: use a whole number (0, 1, 2 …).")
    return int(text)


def parse_measurement(
    measure: str,
    *,
    correct: str = "",
    total: str = "",
    value: str = "",
    day: str = "",
    prompt: str = "",
    setting: str = "",
    note: str = "",
) -> MeasurementDraft:
    """Check what was typed for a goal measured by `measure`.

    Raises `ValueError` whose message lists every problem on one line.
    """
    problems: list[str] = []
    draft_correct: int | None = None
    draft_total: int | None = None
    draft_value: float | None = None
    if measure == "percent":
        try:
            draft_correct = _whole("Correct", correct)
        except ValueError as error:
            problems.append(str(error))
        try:
            draft_total = _whole("Total", total)
            if draft_total == 0:
                problems.append("Total: at least 1 trial.")
        except ValueError as error:
            problems.append(str(error))
        if draft_correct is not None and draft_total and draft_correct > draft_total:
            problems.append(f"Correct ({draft_correct}) cannot be more than total ({draft_total}).")
    else:
        text = value.strip().replace(",", ".")
        label = MEASURE_VALUE_LABELS.get(measure, "value").capitalize()
        try:
            if not text:
                raise ValueError(f"{label}: fill it in.")
            try:
                number = float(text)
            except ValueError:
                raise ValueError(f"{label}: use a number.") from None
            if not math.isfinite(number) or number < 0:
                raise ValueError(f"{label}: use a number of 0 or more.")
            if measure == "count" and not number.is_integer():
                raise ValueError("Count: use a whole number.")
            if measure == "rating" and (not number.is_integer() or not 1 <= number <= 5):
                raise ValueError("Rating: choose 1, 2, 3, 4 or 5.")
            draft_value = number
        except ValueError as error:
            problems.append(str(error))
    checked_day = ""
    try:
        checked_day = parse_date(day)
    except ValueError as error:
        problems.append(f"Date: {error}")
    if problems:
        raise ValueError(" ".join(problems))
    return MeasurementDraft(
        date=checked_day,
        value=draft_value,
        correct=draft_correct,
        total=draft_total,
        prompt=prompt,
        setting=one_line(setting),
        note=note.strip(),
    )


def own_setting(journal: Journal, goal_id: str) -> str:
    """The setting a new data point starts with: the member's own last one for the goal.

    Else by role: a parent records at home, a therapist in session (issue #13:
    a parent's data was filed under the therapist's last setting).
    """
    me = journal.me
    for measurement in reversed(journal.measurements(goal_id)):
        if measurement.author == me.id and measurement.setting:
            return measurement.setting
    return "session" if me.role == "therapist" else "home"


class MeasurementDialog(FormDialog[str]):
    """Record a data point for `goal`; dismisses with the measurement's id, or `None`.

    `last_prompt` and `last_setting` are what the goal's latest data point
    used: chosen already, so a parent types only the numbers. Escape leaves at
    once (it remembers no values to ask about): a data point takes seconds to
    type again.
    """

    DEFAULT_CSS = """
    MeasurementDialog {
        & > #dialog { width: 72; max-width: 100%; max-height: 100%; padding: 0 2; }
        & #criterion { color: $text-muted; margin: 1 0 0 0; }
        & .row { margin-top: 1; }
        & .label { width: 12; }
        & .row > Input { width: 1fr; }
        & .row > Select { width: 1fr; }
        & #of { width: auto; padding: 1 1 0 1; color: $text-secondary; }
        & #error { color: $text-error; height: 1; margin-top: 1; }
        & #form-footer { margin-bottom: 1; }
        & #form-footer > Button { margin-left: 2; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = form_keys("measurement")

    save_group = _SAVE_GROUP
    saving_text = ""
    last_input = "date"

    def __init__(
        self,
        journal: Journal,
        goal: Goal,
        *,
        last_prompt: str = "",
        last_setting: str = "",
    ) -> None:
        """The dialog for one data point of `goal`."""
        super().__init__()
        self.journal = journal
        self.goal = goal
        self.last_prompt = last_prompt if last_prompt in goal.prompt_levels else ""
        self.last_setting = own_setting(journal, goal.id)

    def compose(self) -> ComposeResult:
        """The value fields for the goal's measure, prompt, setting, note, date, buttons."""
        goal = self.goal
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(f"Record data · {one_line(goal.title)}")
            yield Static(
                Content(
                    f"{MEASURE_LABELS.get(goal.measure, goal.measure)} · "
                    f"criterion {goal.criterion_text()}"
                ),
                id="criterion",
            )
            if goal.measure == "percent":
                with Horizontal(classes="row"):
                    yield Static("Correct", classes="label")
                    yield Input(placeholder="e.g. 8", restrict=r"[0-9]*", id="correct")
                    yield Static("of", id="of")
                    yield Input(placeholder="trials, e.g. 10", restrict=r"[0-9]*", id="total")
            else:
                placeholder = {
                    "count": "how many times, e.g. 3",
                    "duration": "minutes, e.g. 4.5",
                    "rating": "1 to 5",
                }
                with Horizontal(classes="row"):
                    label = MEASURE_VALUE_LABELS.get(goal.measure, "value").capitalize()
                    yield Static(label, classes="label")
                    yield Input(
                        placeholder=placeholder.get(goal.measure, ""),
                        restrict=r"[1-5]?" if goal.measure == "rating" else r"[0-9.,]*",
                        id="value",
                    )
            with Horizontal(classes="row"):
                yield Static("Prompt", classes="label")
                yield Select(
                    [(Content(one_line(level)), level) for level in goal.prompt_levels],
                    value=self.last_prompt or Select.NULL,
                    prompt="not recorded",
                    id="prompt",
                )
            with Horizontal(classes="row"):
                yield Static("Setting", classes="label")
                yield Input(self.last_setting, placeholder="e.g. home, school", id="setting")
            with Horizontal(classes="row"):
                yield Static("Note", classes="label")
                yield Input(placeholder="anything worth knowing (optional)", id="note")
            with Horizontal(classes="row"):
                yield Static("Date", classes="label")
                yield Input(today(), placeholder="YYYY-MM-DD", max_length=10, id="date")
            yield Static("", id="error")
            yield from self.compose_form_footer(with_message=False)
        yield Footer()

    def on_mount(self) -> None:
        """Focus the first number to type."""
        first = "#correct" if self.goal.measure == "percent" else "#value"
        self.query_one(first, Input).focus()

    # --- reading and saving ----------------------------------------------------------

    def _text(self, input_id: str) -> str:
        found = self.query(f"#{input_id}")
        return found.first(Input).value if found else ""

    def read_draft(self) -> MeasurementDraft | None:
        """The checked data point; `None` after showing what is wrong on the error line."""
        prompt = self.query_one("#prompt", Select).value
        try:
            draft = parse_measurement(
                self.goal.measure,
                correct=self._text("correct"),
                total=self._text("total"),
                value=self._text("value"),
                day=self._text("date"),
                prompt=prompt if isinstance(prompt, str) else "",
                setting=self._text("setting"),
                note=self._text("note"),
            )
        except ValueError as error:
            self.show_message(str(error))
            return None
        self.show_message("")
        return draft

    def show_message(self, message: str) -> None:
        """Show `message` on the error line, on one line ('' clears it)."""
        line = self.query_one("#error", Static)
        line.update(Content(one_line(message)))
        if message:
            line.call_after_refresh(line.scroll_visible)  # below the fold in a small terminal

    @property
    def error(self) -> str:
        """The error line as shown ('' when there is none)."""
        return str(self.query_one("#error", Static).content)

    def field_edited(self, control: Widget) -> None:
        """Typing a value clears the error line (choosing a prompt level does not)."""
        if isinstance(control, Input) and self.error:
            self.show_message("")

    def save(self, draft: MeasurementDraft) -> None:
        """Save the checked data point (in a worker)."""
        self.start_saving()
        self._save(draft)

    @work(thread=True, exclusive=True, exit_on_error=False, group=_SAVE_GROUP)
    def _save(self, draft: MeasurementDraft) -> None:
        """Record the data point (in a thread) and post its id back."""
        measurement = self.journal.record_measurement(
            self.goal.id,
            value=draft.value,
            correct=draft.correct,
            total=draft.total,
            prompt=draft.prompt,
            setting=draft.setting,
            note=draft.note,
            date=draft.date,
        )
        self.post_message(self.Saved(measurement.id))

    def saved_message(self) -> str:
        """Data recorded for the goal."""
        return f"data recorded for “{one_line(self.goal.title)}”"
