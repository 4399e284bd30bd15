"""ButtonRow (widgets/button_row.py): a dialog's buttons at its right, two columns apart."""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult
from textual.widgets import Button, Static

from widgets.button_row import ButtonRow


class _RowApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("above")
        with ButtonRow():
            yield Button("No", id="no")
            yield Button("Yes", id="yes")


def test_buttons_sit_at_the_right_two_columns_apart_one_line_down() -> None:
    async def scenario() -> None:
        app = _RowApp()
        async with app.run_test(size=(60, 8)) as pilot:
            await pilot.pause()
            row = app.query_one(ButtonRow).region
            no = app.query_one("#no").region
            yes = app.query_one("#yes").region
            assert yes.right == row.right
            assert yes.x - no.right == 2
            assert row.y == app.query_one(Static).region.bottom + 1  # margin-top: 1
            assert row.height == yes.height  # as tall as its buttons

    asyncio.run(scenario())
