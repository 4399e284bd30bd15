"""Pieces that several screens share: lazy package names, the goal keys, the screens' bases."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from textual.binding import Binding

from journal.digest import ThreadSummary
from screens.data_screen import DataScreen
from screens.events_screen import EventsScreen
from screens.goal_data import data_bindings, move_bindings
from screens.goal_detail_screen import GoalDetailScreen
from screens.goals_screen import GoalsScreen
from screens.home_screen import HomeScreen
from screens.list_detail import ListDetailScreen
from screens.patterns_screen import PatternsScreen
from screens.people_screen import PeopleScreen
from screens.resources_screen import ResourcesScreen
from screens.sessions_screen import SessionsScreen
from widgets.thread_view import thread_row

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("package", "name", "module"),
    [
        ("widgets", "Board", "widgets.board"),
        ("screens", "MainScreen", "screens.base"),
    ],
)
def test_a_package_imports_the_module_of_a_name_on_first_use(
    package: str, name: str, module: str
) -> None:
    script = (
        "import importlib, sys\n"
        f"package = importlib.import_module({package!r})\n"
        f"before = {module!r} in sys.modules\n"
        f"value = getattr(package, {name!r})\n"
        f"print(before, {module!r} in sys.modules, value.__module__, {name!r} in vars(package))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "True", module, "True"]


def test_an_unknown_name_of_a_package_is_an_attribute_error() -> None:
    import screens
    import widgets

    for package in (screens, widgets):
        with pytest.raises(AttributeError, match=f"module '{package.__name__}' has no attribute"):
            package.NoSuchName  # noqa: B018 (the lookup is the test)


def test_the_board_and_the_detail_have_the_same_data_and_move_keys() -> None:
    for screen, scope in ((GoalsScreen, "goals"), (GoalDetailScreen, "goal_detail")):
        bindings = [b for b in screen.BINDINGS if isinstance(b, Binding)]
        keys = {(b.key, b.action, b.description, b.id) for b in bindings}
        shared = data_bindings(scope) + move_bindings(scope)
        assert {(b.key, b.action, b.description, b.id) for b in shared} <= keys
        assert {b.id for b in shared} == {
            f"{scope}.{name}" for name in ("measure", "take_data", "move_left", "move_right")
        }


def test_the_data_screens_read_in_one_worker_group() -> None:
    lists = (PeopleScreen, ResourcesScreen, SessionsScreen)
    for screen in (HomeScreen, EventsScreen, PatternsScreen, *lists):
        assert issubclass(screen, DataScreen)
        assert screen.WORKER_ERRORS["read"].startswith("Could not read the"), screen.__name__
    for screen in lists:
        assert issubclass(screen, ListDetailScreen)


def test_a_thread_row_reads_the_same_on_home_and_in_the_threads_list() -> None:
    thread = ThreadSummary(
        target_id="t1",
        target_kind="topic",
        title="[b]Bedtime[/b]",
        status="resolved",
        comments=3,
        unread=2,
        last_author="Sam",
        last_author_id="m1",
        last_at="2026-01-05T09:00:00.000000Z",
        last_preview="Lights out at eight",
    )
    short, full = thread_row(thread).plain, thread_row(thread, full=True).plain
    assert short.startswith("● [b]Bedtime[/b]  2 new\n  Topic · Sam · ")
    assert full.startswith("● [b]Bedtime[/b]  2 new  resolved\n  Topic · Sam · ")
    assert full.endswith("\n  Lights out at eight") and short.count("\n") == 1
