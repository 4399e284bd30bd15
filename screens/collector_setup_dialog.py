"""Before taking data live: which collector, where, who observes, and its options.

`CollectorSetupDialog(goal, ...)` dismisses with a checked `Setup`
(journal.collect), or `None`. Everything is filled in already (the goal's
last setting, the member's own name, the goal's title as the behavior to
count, 10-second partial intervals with the bell), so Enter alone starts.
The checks are the plain function `parse_setup`, usable without Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Checkbox, Footer, Input, Select, Static

from journal.collect import COLLECTION_KINDS, INTERVAL_LABELS, Setup, collections_for
from journal.model import INTERVAL_KINDS, Goal
from journal.text import one_line
from screens.form_dialog import FormDialog, form_keys

__all__ = ["CollectorSetupDialog", "parse_setup"]


def parse_setup(
    kind: str,
    *,
    setting: str = "",
    observer: str = "",
    behaviors: str = "",
    interval_kind: str = "partial",
    seconds: str = "10",
    bell: bool = True,
) -> tuple[Setup | None, dict[str, str]]:
    """(the setup, {}) when the values are right, else (None, field id -> problem)."""
    errors: dict[str, str] = {}
    if kind not in COLLECTION_KINDS:
        errors["kind"] = "Choose how to take the data."
    names = [one_line(name) for name in behaviors.split(",")]
    names = list(dict.fromkeys(name for name in names if name))
    if kind == "frequency" and not names:
        errors["behaviors"] = "Name what to count (several: separate them with commas)."
    elif kind == "frequency" and len(names) > 9:
        errors["behaviors"] = "Count at most 9 behaviors at once (keys 1 to 9)."
    length = 0
    if kind == "interval":
        text = seconds.strip()
        if not text.isdigit() or not 1 <= int(text) <= 3600:
            errors["seconds"] = "An interval lasts 1 to 3600 seconds."
        else:
            length = int(text)
        if interval_kind not in INTERVAL_KINDS:
            errors["interval-kind"] = "Choose partial, whole or momentary."
    if errors:
        return None, errors
    return (
        Setup(
            kind=kind,
            setting=one_line(setting),
            observer=one_line(observer),
            behaviors=names,
            interval_kind=interval_kind,
            interval_seconds=length or 10,
            bell=bell,
        ),
        {},
    )


class CollectorSetupDialog(FormDialog[Setup]):
    """Set up taking data for `goal`: collector, setting, observer and options.

    Escape leaves without asking (the dialog remembers no values to ask about):
    nothing typed here is lost by leaving.
    """

    DEFAULT_CSS = """
    CollectorSetupDialog {
        & > #dialog { width: 78; max-width: 100%; max-height: 100%; padding: 0 1; }
        & #intro { margin: 1 0 0 0; }
        & .row { margin-top: 1; }
        & .label { width: 11; }
        & .narrow { width: 10; }
        & #seconds { width: 9; }
        & #interval-kind { width: 1fr; }
        & .row > Input { width: 1fr; }
        & #method-row > Select { width: 1fr; }
        & .kind-row { display: none; }
        &.-frequency #behaviors-row, &.-interval #interval-row { display: block; }
        & #interval-row { height: auto; }
        & #bell { width: auto; border: none; padding: 0; margin: 1 0 0 1; }
        & #form-message { color: $text-error; }
        & #form-footer { margin-bottom: 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = form_keys("collector_setup", "Start", save_id="start")

    AUTO_FOCUS = "#setting"

    save_label = "Start (⏎)"
    last_input = None  # Enter in any field starts (`_start_from_any_field`)

    def __init__(self, goal: Goal, *, setting: str = "", observer: str = "") -> None:
        """Set up taking data for `goal`; `setting` and `observer` are filled in."""
        super().__init__()
        self.goal = goal
        self.kinds: Sequence[str] = collections_for(goal.measure)
        self.setting = setting or goal.setting
        self.observer = observer

    def compose(self) -> ComposeResult:
        """The collector, setting and observer, the options of each collector, the buttons."""
        goal = self.goal
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(f"Take data · {one_line(goal.title)}")
            yield Static(
                Content("One key per event, full screen. Enter starts; the timer runs from then."),
                id="intro",
            )
            with Horizontal(classes="row", id="method-row"):
                yield Static("Collector", classes="label")
                yield Select(
                    [(Content(COLLECTION_KINDS[k]), k) for k in self.kinds],
                    value=self.kinds[0],
                    allow_blank=False,
                    id="kind",
                    disabled=len(self.kinds) < 2,
                )
            with Horizontal(classes="row"):
                yield Static("Setting", classes="label")
                yield Input(self.setting, placeholder="home, session, school…", id="setting")
                yield Static("Observer", classes="label narrow")
                yield Input(self.observer, placeholder="who takes the data", id="observer")
            with Horizontal(classes="row kind-row", id="behaviors-row"):
                yield Static("Count", classes="label")
                yield Input(
                    one_line(goal.title),
                    placeholder="behaviors to count, separated by commas (keys 1-9)",
                    id="behaviors",
                )
            with Horizontal(classes="row kind-row", id="interval-row"):
                yield Static("Intervals", classes="label")
                yield Select(
                    [(Content(INTERVAL_LABELS[k]), k) for k in INTERVAL_KINDS],
                    value="partial",
                    allow_blank=False,
                    id="interval-kind",
                )
                yield Input("10", restrict=r"[0-9]*", max_length=4, id="seconds")
                yield Checkbox("bell", True, id="bell")
            yield from self.compose_form_footer()
        yield Footer()

    def on_mount(self) -> None:
        """Show the options of the first collector (the form starts with the setting)."""
        self._show_options(self.kinds[0])

    def _show_options(self, kind: str) -> None:
        for name in COLLECTION_KINDS:
            self.set_class(name == kind, f"-{name}")

    @on(Select.Changed, "#kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._show_options(event.value)

    def read_draft(self) -> Setup | None:
        """The checked setup; None after showing what is wrong."""
        kind = self.query_one("#kind", Select).value
        interval_kind = self.query_one("#interval-kind", Select).value
        setup, errors = parse_setup(
            kind if isinstance(kind, str) else "",
            setting=self.query_one("#setting", Input).value,
            observer=self.query_one("#observer", Input).value,
            behaviors=self.query_one("#behaviors", Input).value,
            interval_kind=interval_kind if isinstance(interval_kind, str) else "",
            seconds=self.query_one("#seconds", Input).value,
            bell=self.query_one("#bell", Checkbox).value,
        )
        if setup is None:
            self.show_message(" ".join(errors.values()))
        return setup

    @on(Input.Submitted)
    def _start_from_any_field(self, event: Input.Submitted) -> None:
        """Enter in any field starts: everything has a value already."""
        event.stop()
        self.action_save()
