"""Issue #13, point 5: every main screen at 80x24, what matters first.

Below 100 columns a main screen stacks its panes (the list on top, the
record below), and the Journal's list keeps its titles before authors.
Over the journal of `test_home_threads_snapshots`, every time fixed. Update
after a deliberate change to the look with
`.venv/bin/pytest tests/test_small_terminal_snapshots.py --snapshot-update`,
and review the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from journal.journal import Journal
from screens.base import MainScreen
from screens.goals_screen import GoalsScreen
from screens.home_screen import HomeScreen
from screens.journal_screen import JournalScreen
from screens.people_screen import PeopleScreen
from screens.resources_screen import ResourcesScreen
from screens.sessions_screen import SessionsScreen
from screens.threads_screen import ThreadsScreen
from tests.harness import SnapshotHarness, play, screen_text, settle
from tests.test_home_threads_snapshots import build_journal

SMALL = (80, 24)
TINY = (60, 20)
NOW = datetime(2026, 1, 8, 12, 0, tzinfo=UTC)

SCREENS: dict[str, Callable[[Journal], MainScreen]] = {
    "home": lambda journal: HomeScreen(journal, now=lambda: NOW),
    "journal": JournalScreen,
    "threads": ThreadsScreen,
    "goals": GoalsScreen,
    "sessions": lambda journal: SessionsScreen(journal, now=lambda: NOW),
    "resources": ResourcesScreen,
    "people": PeopleScreen,
}


@pytest.mark.parametrize("name", list(SCREENS))
def test_every_main_screen_at_80x24(snap_compare, tmp_path: Path, name: str) -> None:
    journal = build_journal(tmp_path)
    app = SnapshotHarness(lambda: SCREENS[name](journal))
    assert snap_compare(app, terminal_size=SMALL, run_before=settle)


def test_the_journal_list_shows_titles_at_80_and_60_columns(tmp_path: Path) -> None:
    journal = build_journal(tmp_path)
    for size in (SMALL, TINY):

        async def scenario(app: SnapshotHarness, pilot: object) -> None:
            text = screen_text(app)
            assert "Meltdown at the park" in text and "Title" in text
            assert "Thread (" in text  # the detail pane, below the list

        play(SnapshotHarness(lambda: JournalScreen(journal)), scenario, size=size)


def test_home_s_side_column_is_reachable_at_60x20(tmp_path: Path) -> None:
    journal = build_journal(tmp_path)

    async def scenario(app: SnapshotHarness, pilot: object) -> None:
        text = screen_text(app)
        assert "What's new since you last looked" in text
        assert "Open threads" in text  # the side column, below the news

    play(SnapshotHarness(lambda: HomeScreen(journal, now=lambda: NOW)), scenario, size=TINY)
