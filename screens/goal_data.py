"""`m`, `t` and moving a goal: the same on the board (the card with the cursor) and in its detail.

The keys are `data_bindings` and `move_bindings`, with ids in the screen's
scope (`goals.measure`, `goal_detail.measure`...). `record_data` opens the
measurement dialog (`m`, "Record data"); `collect_data` takes data live (`t`,
"Take data", `screens.collector_screen.take_data`). Both start from what the
card or the detail knows of the goal's latest data point (its prompt level and
setting) and call `done` once a data point is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from textual.binding import Binding
from textual.screen import Screen

from journal.journal import Journal
from journal.model import Goal

__all__ = ["GoalData", "collect_data", "data_bindings", "move_bindings", "record_data"]


def data_bindings(scope: str) -> list[Binding]:
    """`m` records a data point, `t` takes data live (actions `measure`, `take_data`)."""
    return [
        Binding("m", "measure", "Record data", id=f"{scope}.measure"),
        Binding("t", "take_data", "Take data", id=f"{scope}.take_data"),
    ]


def move_bindings(scope: str) -> list[Binding]:
    """Shift+left or `<`, shift+right or `>`: the goal to the previous or next column."""
    return [
        Binding(
            "shift+left,less_than_sign",
            "move(-1)",
            "Move left",
            key_display="⇧← <",
            id=f"{scope}.move_left",
        ),
        Binding(
            "shift+right,greater_than_sign",
            "move(1)",
            "Move right",
            key_display="⇧→ >",
            id=f"{scope}.move_right",
        ),
    ]


class GoalData(Protocol):
    """A goal with what its latest data points said (`GoalSummary`, `GoalDetails`)."""

    @property
    def goal(self) -> Goal:
        """The goal."""

    @property
    def last_prompt(self) -> str:
        """The prompt level of the latest data point that has one."""

    @property
    def last_setting(self) -> str:
        """The setting of the latest data point that has one."""


def record_data(
    host: Screen[Any], journal: Journal, about: GoalData, done: Callable[[], object]
) -> None:
    """`m`: record a data point for `about.goal` in the measurement dialog; then `done`."""
    from screens.measurement_dialog import MeasurementDialog

    dialog = MeasurementDialog(
        journal, about.goal, last_prompt=about.last_prompt, last_setting=about.last_setting
    )
    host.app.push_screen(dialog, callback=lambda saved: _then(saved, done))


def collect_data(
    host: Screen[Any], journal: Journal, about: GoalData, done: Callable[[], object]
) -> None:
    """`t`: take data live for `about.goal` (the collector); then `done`."""
    from screens.collector_screen import take_data

    take_data(
        host,
        journal,
        about.goal,
        last_setting=about.last_setting,
        done=lambda saved: _then(saved, done),
    )


def _then(measurement_id: str | None, done: Callable[[], object]) -> None:
    if measurement_id is not None:
        done()
