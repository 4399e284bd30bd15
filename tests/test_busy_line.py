"""The busy line (widgets/busy_line.py): hidden until something is under way, plain text."""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult
from textual.widgets import Static

from screens.form_dialog import form_keys
from widgets.busy_line import BusyLine


class _BusyApp(App[None]):
    def compose(self) -> ComposeResult:
        yield BusyLine(id="busy")


def test_busy_line_shows_plain_text_then_hides() -> None:
    async def scenario() -> None:
        app = _BusyApp()
        async with app.run_test(size=(60, 4)) as pilot:
            line = app.query_one(BusyLine)
            text = app.query_one("#busy-text", Static)
            assert not line.shown and not line.display
            line.show("Unlocking [bold]now[/bold]…")
            await pilot.pause()
            assert line.shown and line.display
            assert str(text.render()) == "Unlocking [bold]now[/bold]…"  # never markup
            line.show(None)
            await pilot.pause()
            assert not line.shown
            assert str(text.content) == ""

    asyncio.run(scenario())


def test_form_keys_save_and_cancel_with_ids() -> None:
    save, cancel = form_keys("change_request", "Send", save_id="send")
    assert (save.key, save.action, save.description, save.id) == (
        "ctrl+s",
        "save",
        "Send",
        "change_request.send",
    )
    assert (cancel.key, cancel.action, cancel.description, cancel.id) == (
        "escape",
        "cancel",
        "Cancel",
        "change_request.cancel",
    )
