"""KeyButton (widgets/key_button.py): a button that says and does what a key of its screen does."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen

from widgets.key_button import KeyButton

_AGAIN = Binding("r", "again", "Read [b]again[/b]", id="test.again")


class _KeyScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [_AGAIN]

    def __init__(self) -> None:
        super().__init__()
        self.times = 0

    def compose(self) -> ComposeResult:
        yield KeyButton(_AGAIN, variant="primary", id="again")

    def action_again(self) -> None:
        self.times += 1


class _KeyApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(_KeyScreen())


def test_key_button_is_labelled_and_acts_like_its_key() -> None:
    async def scenario() -> None:
        app = _KeyApp()
        async with app.run_test(size=(60, 6)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, _KeyScreen)
            button = screen.query_one("#again", KeyButton)
            assert str(button.label) == "Read [b]again[/b]"  # the words, never markup
            assert button.variant == "primary"
            await pilot.click("#again")
            await pilot.pause()
            assert screen.times == 1
            await pilot.press("r")
            await pilot.pause()
            assert screen.times == 2

    asyncio.run(scenario())
