"""Shared fixtures: a cheap key derivation and private user folders for every test."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from journal.journal import Journal
from journal.model import Entry, Member

if TYPE_CHECKING:
    from tests.cli_harness import Cli

PASSPHRASE = "correct horse battery staple"
MakeJournal = Callable[..., tuple[Journal, str]]
"""The type of the `make_journal` fixture."""


def _isolate(patch: pytest.MonkeyPatch, home: Path) -> None:
    """Fast Argon2 (the explicit test setting) and user folders under `home`."""
    patch.setenv("TANDEM_TEST_FAST_KDF", "1")
    patch.setenv("XDG_DATA_HOME", str(home / "data"))
    patch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    patch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    patch.delenv("TANDEM_PASSPHRASE", raising=False)
    patch.delenv("TANDEM_NEW_PASSPHRASE", raising=False)


@pytest.fixture(scope="session", autouse=True)
def isolated_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The same for what runs outside any one test: module- and session-wide fixtures
    (a journal made once for a whole module saves, and keeps a backup, too)."""
    home = tmp_path_factory.mktemp("session-home")
    with pytest.MonkeyPatch.context() as patch:
        _isolate(patch, home)
        yield home


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Fast Argon2 and user folders that are not the real ones, each test its own.

    Its own MonkeyPatch: a test that calls `monkeypatch.undo()` to take back its
    own patches must not send the rest of it to the person's real folders.
    """
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        _isolate(patch, home)
        yield home


@pytest.fixture(autouse=True)
def utc() -> Iterator[None]:
    """Times are shown in local time: make local time UTC, whatever the machine's zone."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "UTC")
        time.tzset()
        yield
    time.tzset()


def copy_of(journal: Journal, name: str) -> Journal:
    """A second person's copy: the saved file duplicated beside it as `name`, opened on its own."""
    target = journal.path.with_name(name)
    shutil.copyfile(journal.path, target)
    return Journal.open(target, PASSPHRASE)


def therapist_note(journal: Journal, title: str) -> tuple[Member, Entry]:
    """Dr. Lee joins as the therapist and writes the draft session note `title`; saved."""
    lee = journal.add_member("Dr. Lee", "therapist")
    with journal.acting_as(lee.id):
        note = journal.add_entry("session", title)
    journal.save()
    return lee, note


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run `tandem` in-process (tests/cli_harness.py), stderr held to the default rules."""
    from tests.cli_harness import Stderr, in_process

    return in_process(monkeypatch, capsys, Stderr())


@pytest.fixture
def make_journal(tmp_path: Path) -> MakeJournal:
    """Create a saved journal; returns (journal, recovery code). `at`: its creation time."""

    def make(
        name: str = "family.tandem",
        *,
        title: str = "Sam's journal",
        member: str = "Ana Rivera",
        role: str = "parent",
        passphrase: str = PASSPHRASE,
        at: str | None = None,
    ) -> tuple[Journal, str]:
        return Journal.create(
            tmp_path / name, title=title, name=member, role=role, passphrase=passphrase, at=at
        )

    return make


@pytest.fixture
def journal(make_journal: MakeJournal) -> Journal:
    """A fresh saved journal opened by its creator, a parent."""
    created, _code = make_journal()
    return created


@pytest.fixture(scope="module")
def journal_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A saved journal shared by the examples of a property test (never written to)."""

    path = tmp_path_factory.mktemp("shared") / "shared.tandem"
    Journal.create(path, title="Shared", name="Ana", role="parent", passphrase=PASSPHRASE)
    return str(path)
