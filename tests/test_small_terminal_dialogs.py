"""Dialogs in an 80x24 terminal: every field, error line and button can be reached.

A dialog taller than the screen scrolls (`FormDialog`'s `#dialog`), and an
error shown below the fold is scrolled into view: saving with a field left
empty must never fail out of sight.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, Static

from journal.journal import Journal
from screens.measurement_dialog import MeasurementDialog
from tests.harness import front, play, press
from tests.test_goals import GoalsApp
from tests.test_goals import goals as goals  # the fixture

SMALL = (80, 24)


def on_screen(dialog: MeasurementDialog, widget: Static | Input) -> bool:
    """Whether `widget` shows whole in the dialog's visible part."""
    visible, region = dialog.query_one("#dialog").region, widget.region
    return region.height > 0 and visible.y <= region.y and region.bottom <= visible.bottom


def test_a_data_point_form_scrolls_to_its_error_in_a_small_terminal(goals: Journal) -> None:
    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        await pilot.press("right")
        dialog = await press(pilot, "m", shows=MeasurementDialog)
        assert not on_screen(dialog, dialog.query_one("#date", Input))  # below the fold at first
        await press(pilot, "ctrl+s")
        assert front(app, MeasurementDialog).error  # nothing saved: it says why
        await pilot.pause()
        assert on_screen(dialog, dialog.query_one("#error", Static))
        dialog.query_one("#date", Input).focus()
        await pilot.pause()
        assert on_screen(dialog, dialog.query_one("#date", Input))

    play(GoalsApp(goals), scenario, size=SMALL, settle_after=True)
