"""The Pilot harness the screen tests share: a host app, a runner, settling and readers.

The project runs pytest without an async plugin, so `play` and `run` drive an
app headless inside `asyncio.run`.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, ClassVar, TypeVar, overload

from rich.console import Console
from textual.app import App
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, OptionList, TextArea
from textual.worker import WorkerCancelled

import screens
from journal.journal import Journal
from journal.text import one_line
from screens.base import JournalEdited, MainScreen, OpenRecord
from tests.conftest import PASSPHRASE

SIZE = (120, 40)
"""The terminal size the screen tests run in, unless they say otherwise."""

AppT = TypeVar("AppT", bound=App[None])
ScreenT = TypeVar("ScreenT", bound=Screen[Any])


class Harness(App[None]):
    """Pushes one main screen and records the messages a screen sends the app."""

    def __init__(self, make_screen: Callable[[], MainScreen]) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.main: MainScreen | None = None
        self.opened: list[str] = []
        self.edits: list[str] = []

    def on_mount(self) -> None:
        self.main = self.make_screen()
        self.push_screen(self.main)

    def on_open_record(self, message: OpenRecord) -> None:
        self.opened.append(message.record_id)

    def on_journal_edited(self, message: JournalEdited) -> None:
        # The app saves and reloads the *other* screens: the screen that changed the
        # journal shows the change itself.
        self.edits.append(message.what)


class SnapshotHarness(Harness):
    """The test harness, titled like the journal."""

    TITLE = "Sam's journal"


APP_CSS = Path(screens.__file__).parent / "app.tcss"


class StyledHarness(Harness):
    """The `Harness` over `journal`, styled as in the app (app.tcss) and titled like it."""

    CSS_PATH = str(APP_CSS)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="harness.quit"),
    ]

    def __init__(self, journal: Journal, make_screen: Callable[[], MainScreen]) -> None:
        super().__init__(make_screen)
        self.journal = journal
        self.title = one_line(journal.title)


class ScreenHost(App[None]):
    """Pushes one screen (one that needs no open journal) and records what it returns."""

    TITLE = "Tandem"

    def __init__(self, first: Screen[Any]) -> None:
        super().__init__()
        self.first = first
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.first, callback=self.results.append)


Scenario = Callable[[Harness, Pilot[None]], Awaitable[None]]


def play(
    app: AppT,
    scenario: Callable[[AppT, Pilot[None]], Awaitable[None]],
    *,
    size: tuple[int, int] = SIZE,
    settle_after: bool = False,
) -> AppT:
    """Run `app` headless and play `scenario` once it has settled; returns the app."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await scenario(app, pilot)
            if settle_after:
                await settle(pilot)

    asyncio.run(main())
    return app


def run(make_screen: Callable[[], MainScreen], scenario: Scenario) -> None:
    """Run the `Harness` on a screen headless and play `scenario` once it has settled."""
    play(Harness(make_screen), scenario)


async def settle(pilot: Pilot[Any], rounds: int = 4) -> None:
    """Wait for the workers and for what their results mount.

    A newer filter cancels the worker of the one before (exclusive workers);
    waiting on a cancelled worker raises, so wait again for the rest. A
    `DirectoryTree` keeps its `_loader` worker running for as long as it is
    shown: that one is not waited for.
    """
    for _ in range(rounds):
        for _attempt in range(10):
            busy = [
                worker
                for worker in pilot.app.workers
                if "_loader" not in (worker.group, worker.name)
            ]
            if not busy:  # (an empty list would mean every worker)
                break
            try:
                await pilot.app.workers.wait_for_complete(busy)
                break
            except WorkerCancelled:
                continue
        await pilot.pause()


@overload
async def press(pilot: Pilot[Any], *keys: str) -> None: ...


@overload
async def press(pilot: Pilot[Any], *keys: str, shows: type[ScreenT]) -> ScreenT: ...


async def press(
    pilot: Pilot[Any], *keys: str, shows: type[ScreenT] | None = None
) -> ScreenT | None:
    """Press `keys` and settle; with `shows`, check the screen in front is one and return it."""
    await pilot.press(*keys)
    await settle(pilot)
    return None if shows is None else front(pilot.app, shows)


def front(app: App[Any], kind: type[ScreenT]) -> ScreenT:
    """The screen in front, checked to be a `kind`."""
    screen = app.screen
    assert isinstance(screen, kind), f"{type(screen).__name__} in front, not {kind.__name__}"
    return screen


def after_keys(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A snapshot's `run_before`: settle, press `keys`, settle again."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press(pilot, *keys)

    return run_before


_KEYS = {" ": "space", "\n": "enter"}


async def type_text(pilot: Pilot[Any], text: str, *, settle_each: bool = False) -> None:
    """Type `text` one key at a time, letting the app settle after each if asked."""
    for char in text:
        await pilot.press(_KEYS.get(char, char))
        if settle_each:
            await settle(pilot)


async def type_into(pilot: Pilot[Any], selector: str, text: str, *, clear: bool = False) -> None:
    """Focus the control `selector` of the screen in front and type `text` into it."""
    control = pilot.app.screen.query_one(selector)
    control.focus()
    await pilot.pause()
    if isinstance(control, Input):
        if clear:
            control.value = ""
        await pilot.press("end")  # focus selects what is there: type after it instead
    elif isinstance(control, TextArea) and clear:
        control.text = ""
    await pilot.press(*[_KEYS.get(char, char) for char in text])
    await settle(pilot)


async def fill(pilot: Pilot[Any], selector: str, text: str) -> None:
    """Put `text` into the control `selector` at once (where typing is not the point)."""
    control = pilot.app.screen.query_one(selector)
    control.focus()
    if isinstance(control, Input):
        control.value = text
    elif isinstance(control, TextArea):
        control.text = text
    await settle(pilot)


def screen_text(app: App[Any]) -> str:
    """Everything on the screen as plain text, as a terminal of the app's size would show it.

    Textual has no public text export: its public `App.export_screenshot` prints this same
    `screen._compositor.render_update(full=True)` to a recording console and exports SVG. We
    export text from it instead; textual is pinned in pyproject.toml, so the name cannot move
    under us unnoticed (every screen test would fail at once).
    """
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=False)


def main_screen(app: App[Any]) -> MainScreen:
    """The screen under test, also while a dialog is in front of it."""
    return next(s for s in app.screen_stack if isinstance(s, MainScreen))


def option_texts(where: OptionList | App[Any], selector: str = "") -> list[str]:
    """The plain text of each option of a list (never markup).

    `where` is the list itself, or an app whose main screen holds it under `selector`.
    """
    options = (
        where
        if isinstance(where, OptionList)
        else main_screen(where).query_one(selector, OptionList)
    )
    texts: list[str] = []
    for option in options.options:
        assert isinstance(option.prompt, Content)
        texts.append(option.prompt.plain)
    return texts


def snapshot_journal(folder: Path, name: str = "snapshot.tandem", at: str | None = None) -> Journal:
    """Ana Rivera's new journal "Sam's journal" in `folder`, for the snapshots."""
    journal, _code = Journal.create(
        folder / name,
        title="Sam's journal",
        name="Ana Rivera",
        role="parent",
        passphrase=PASSPHRASE,
        at=at,
    )
    return journal
