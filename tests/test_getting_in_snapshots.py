"""Snapshots of getting in: the welcome, unlock and create screens.

Every path shown is made the same on every machine: the home folder is a
temporary one, so journals under it show as `~/...`, and the recent list is
written with fixed times (shown in UTC). Update after a deliberate change to
the look with
`.venv/bin/pytest tests/test_getting_in_snapshots.py --snapshot-update`, and
review the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from journal.journal import Journal
from journal.recent import remember
from screens.create_screen import CreateScreen
from screens.unlock_screen import UnlockScreen
from screens.welcome_screen import WelcomeScreen
from tests.conftest import PASSPHRASE
from tests.harness import (
    ScreenHost,
    after_keys,
    settle,
)

SIZE = (100, 32)


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """~/Documents in a home folder of our own, holding a journal."""
    home = tmp_path / "home"
    folder = home / "Documents"
    folder.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    Journal.create(
        folder / "Sam's journal.tandem",
        title="Sam's journal",
        name="Ana Rivera",
        role="parent",
        passphrase=PASSPHRASE,
    )
    return folder


def test_welcome_with_recent_journals(snap_compare, documents: Path) -> None:
    home = documents.parent
    (home / "Shared").mkdir()
    (home / "Shared" / "[b]Lee[reverse] copy.tandem").write_bytes(b"")
    remember("/media/usb-stick/Sam's journal.tandem", at="2026-01-02T08:15:00.000000Z")
    remember(home / "Shared" / "[b]Lee[reverse] copy.tandem", at="2026-01-04T19:40:00.000000Z")
    remember(documents / "Sam's journal.tandem", at="2026-01-05T09:00:00.000000Z")
    assert snap_compare(ScreenHost(WelcomeScreen()), terminal_size=SIZE, run_before=settle)


def test_welcome_the_first_time(snap_compare, documents: Path) -> None:
    assert snap_compare(ScreenHost(WelcomeScreen()), terminal_size=SIZE, run_before=settle)


def test_unlock(snap_compare, documents: Path) -> None:
    screen = UnlockScreen(documents / "Sam's journal.tandem")
    assert snap_compare(ScreenHost(screen), terminal_size=SIZE, run_before=settle)


def test_unlock_with_a_wrong_passphrase(snap_compare, documents: Path) -> None:
    wrong = after_keys(*"not it", "enter")
    screen = UnlockScreen(documents / "Sam's journal.tandem")
    assert snap_compare(ScreenHost(screen), terminal_size=SIZE, run_before=wrong)


def test_unlock_a_file_that_is_not_a_journal(snap_compare, documents: Path) -> None:
    (documents / "notes.tandem").write_bytes(b"hello")
    try_it = after_keys(*"x", "enter")
    screen = UnlockScreen(documents / "notes.tandem")
    assert snap_compare(ScreenHost(screen), terminal_size=SIZE, run_before=try_it)


def test_create(snap_compare, documents: Path) -> None:
    fill = after_keys(*"Sam's journal", "tab", *"Sam", "tab", *"Ana")
    assert snap_compare(ScreenHost(CreateScreen()), terminal_size=SIZE, run_before=fill)
