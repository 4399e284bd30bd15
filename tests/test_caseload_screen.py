"""The caseload view (screens/caseload_screen.py), driven with Pilot.

Several journals at once: one damaged, one of a newer format, one missing,
locked ones and open ones. Each shows its own one-line state and none stops
the others; one passphrase unlocks the locked ones; Enter opens a journal.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

import journal.caseload as caseload_module
import journal.caseload_pool as caseload_pool
from journal.journal import Journal
from journal.keys import KekStore
from journal.recent import remember
from screens.caseload_screen import CaseloadScreen
from screens.unlock_screen import UnlockScreen
from screens.welcome_screen import WelcomeScreen
from tests.conftest import PASSPHRASE
from tests.harness import ScreenHost, ScreenT, play, press, screen_text, settle
from tests.test_caseload import family, newer_format
from widgets.case_list import CaseList

SIZE = (110, 36)


Scenario = Callable[[ScreenHost, Pilot[None]], Awaitable[None]]


def run(first: Screen[Any], scenario: Scenario) -> ScreenHost:
    return play(ScreenHost(first), scenario, size=SIZE)


def states(app: App[Any]) -> dict[str, str]:
    screen = next(s for s in app.screen_stack if isinstance(s, CaseloadScreen))
    return {case.path.name: case.state for case in screen.query_one(CaseList).cases}


async def open_case(pilot: Pilot[None], name: str, *, shows: type[ScreenT]) -> ScreenT:
    """Put the cursor on the journal `name` and press Enter: a `shows` screen comes in front."""
    cases = pilot.app.screen.query_one(CaseList)
    cases.highlighted = [case.path.name for case in cases.cases].index(name)
    return await press(pilot, "enter", shows=shows)


@dataclass
class Caseload:
    """The journals of the caseload and the key holder that already has two of their keys."""

    paths: list[Path]
    store: KekStore

    def screen(self) -> CaseloadScreen:
        """The caseload view over these journals."""
        return CaseloadScreen(self.paths, holder=self.store)


@pytest.fixture
def caseload(tmp_path: Path) -> Caseload:
    """Six journals: two open (keys held), one locked, one damaged, one newer, one missing."""
    news = family(tmp_path, "asks.tandem", title="Noah's journal")
    parent = next(m for m in news.members() if m.name == "Ana")
    with news.acting_as(parent.id):
        news.add_entry("question", "Can we fade the timer?")
    news.save()
    quiet = family(tmp_path, "quiet.tandem", title="Mia's journal")
    quiet.mark_seen()
    quiet.save()
    locked = family(tmp_path, "locked.tandem", title="Leo's journal")
    damaged = family(tmp_path, "damaged.tandem").path
    damaged.write_bytes(damaged.read_bytes()[:150])
    newer = newer_format(family(tmp_path, "newer.tandem").path)
    store = KekStore()
    for journal in (news, quiet):
        caseload_module.read_case(journal.path, holder=store, secret=PASSPHRASE)
    paths = [quiet.path, locked.path, damaged, news.path, newer, tmp_path / "gone.tandem"]
    return Caseload(paths, store)


def test_each_journal_shows_its_own_state_and_none_stops_the_others(caseload: Caseload) -> None:
    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        assert states(app) == {
            "asks.tandem": "ok",
            "quiet.tandem": "ok",
            "locked.tandem": "locked",
            "damaged.tandem": "damaged",
            "newer.tandem": "newer",
            "gone.tandem": "missing",
        }
        text = screen_text(app)
        assert "● Noah's journal" in text  # a question waits: first, marked
        assert "1 question" in text
        assert "locked: unlock it to see what waits" in text
        assert "damaged: this file is damaged" in text
        assert "needs a newer Tandem: this journal was written by a newer version" in text
        assert "missing: no file at" in text
        assert "6 journals · 1 need you · 1 locked · 3 cannot be opened" in text
        order = [case.path.name for case in app.screen.query_one(CaseList).cases]
        assert order[0] == "asks.tandem" and order[-1] == "quiet.tandem"

    run(caseload.screen(), scenario)


def test_one_passphrase_unlocks_the_locked_ones(caseload: Caseload) -> None:
    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        assert states(app)["locked.tandem"] == "locked"
        await pilot.press("u")
        field = app.screen.query_one("#caseload-passphrase", Input)
        assert app.focused is field
        field.value = PASSPHRASE
        await press(pilot, "enter")
        assert states(app)["locked.tandem"] == "ok"
        assert states(app)["damaged.tandem"] == "damaged"
        assert "locked" not in screen_text(app).split("\n")[2]  # the summary

    run(caseload.screen(), scenario)


def test_the_list_fills_in_as_journals_are_read(
    caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first family shows while a later one is still being read (its key derived)."""
    release = threading.Event()
    real = caseload_pool.open_case  # six journals: read in this process, one after the other

    def slow_for_the_locked_one(path: Path, **kwargs: Any) -> Any:
        if path.name == "locked.tandem":
            assert release.wait(10)
        return real(path, **kwargs)

    monkeypatch.setattr(caseload_pool, "open_case", slow_for_the_locked_one)

    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        for _ in range(50):
            await pilot.pause(0.02)
            if states(app)["quiet.tandem"] == "ok":
                break
        assert states(app)["quiet.tandem"] == "ok"  # read before the slow one ...
        assert states(app)["locked.tandem"] == "reading"  # ... which is still being read
        assert "reading…" in screen_text(app)
        release.set()
        await settle(pilot)
        assert states(app)["locked.tandem"] == "locked"

    async def main() -> None:  # not `play`: it waits for the workers before the scenario
        app = ScreenHost(caseload.screen())
        async with app.run_test(size=SIZE) as pilot:
            await scenario(app, pilot)

    try:
        asyncio.run(main())
    finally:
        release.set()


def test_enter_opens_a_journal_whose_key_is_held(caseload: Caseload) -> None:
    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        await press(pilot, "enter")  # the first row: the journal with a question

    [opened] = run(caseload.screen(), scenario).results
    assert isinstance(opened, Journal) and opened.title == "Noah's journal"


def test_enter_on_a_locked_journal_asks_for_its_passphrase(caseload: Caseload) -> None:
    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        unlock = await open_case(pilot, "locked.tandem", shows=UnlockScreen)
        unlock.query_one("#passphrase", Input).value = PASSPHRASE
        await press(pilot, "enter")

    [opened] = run(caseload.screen(), scenario).results
    assert isinstance(opened, Journal) and opened.title == "Leo's journal"


def test_enter_on_a_damaged_journal_says_why_and_stays(caseload: Caseload) -> None:
    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        await open_case(pilot, "damaged.tandem", shows=CaseloadScreen)
        [note] = [n.message for n in app._notifications]
        assert note.startswith("damaged: this file is damaged")
        await press(pilot, "escape")

    assert run(caseload.screen(), scenario).results == [None]


def test_welcome_shows_the_caseload_with_several_recent_journals(caseload: Caseload) -> None:
    for path in caseload.paths:
        remember(path)

    async def scenario(app: ScreenHost, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, CaseloadScreen)
        assert set(states(app)) == {path.name for path in caseload.paths}
        # The other ways in: the welcome screen, to stay.
        await press(pilot, "escape", shows=WelcomeScreen)

    run(WelcomeScreen(), scenario)
