"""Issue #13's acceptance: the everyday loop in a real terminal of 80x24 (tmux).

Open a journal holding a conflict (an entry changed on two copies at once),
comment on an entry from the Journal screen, see the conflict mark on its row
and resolve it from the detail pane, then quit; the file on disk holds the
comment and the resolved text. See tests/test_real_terminal.py for how the
terminal is driven and read.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from journal.journal import Journal
from journal.model import Entry
from tests.conftest import PASSPHRASE
from tests.test_real_terminal import (  # noqa: F401 (env: a fixture)
    ROOT,
    TANDEM,
    Terminal,
    env,
    tmux_server,
)

SMALL = ("80", "24")
COMMENT = "Typed at 80 columns"


class SmallTerminal(Terminal):
    """The test's tmux window, 80x24."""

    def start(self, command: list[str], cwd: Path) -> None:
        """Start the server with one 80x24 session running `command` in `cwd`."""
        self.tmux(
            "new-session", "-d", "-s", self.target, "-x", SMALL[0], "-y", SMALL[1],
            "-c", str(cwd), "sh", "-c",
            'status=$1; shift; "$@"; echo $? > "$status.part"; mv "$status.part" "$status"',
            "sh", str(self.status_file), *command,
        )  # fmt: skip


@pytest.fixture
def terminal(tmp_path: Path, env: dict[str, str]) -> Iterator[SmallTerminal]:  # noqa: F811
    """A private tmux server at 80x24 (skips without tmux), killed after the test."""
    env["TANDEM_PASSPHRASE"] = PASSPHRASE  # this test's journal, not the demo
    with tmux_server(SmallTerminal, tmp_path, env) as term:
        yield term


def conflicted_journal(journal: Journal) -> Entry:
    """Tuesday's check-in, edited here and on Dr. Lee's copy, merged: one conflict."""
    journal.add_member("Dr. Lee", "therapist")
    journal.add_entry("win", "Shoes on alone", occurred_at="2026-01-04T08:00")
    entry = journal.add_entry(
        "checkin", "Tuesday", body="Slept badly.", occurred_at="2026-01-05T08:00"
    )
    journal.save()
    copy = journal.path.with_name("from-lee.tandem")
    shutil.copyfile(journal.path, copy)
    theirs = Journal.open(copy, PASSPHRASE)
    theirs.edit_entry(entry.id, body="Slept badly. Try melatonin?")
    theirs.save()
    journal.edit_entry(entry.id, body="Slept badly, woke at 3.")
    journal.merge_copy(copy)
    journal.save()
    copy.unlink()
    assert journal.conflicts(entry.id)
    return entry


def test_comment_and_resolve_a_conflict_at_80x24(terminal: SmallTerminal, journal: Journal) -> None:
    entry = conflicted_journal(journal)
    terminal.start([*TANDEM, "open", str(journal.path), "--no-agent"], cwd=ROOT)
    terminal.wait_for_text("Conflicts to resolve (1)")  # Home says so first

    terminal.keys("F3")
    screen = terminal.wait_for(
        "the conflict mark on Tuesday's row in the Journal",
        lambda s: "Search entries" in s.text and "⚠ Tuesday" in s.text,
    )
    assert "Shoes on alone" in screen.text  # titles show at 80 columns
    terminal.wait_for_text("Changed on two copies at once")  # the detail pane, below the list

    terminal.keys("c")
    terminal.wait_for_text("Comment on: Tuesday")
    terminal.type(COMMENT)
    terminal.keys("C-s")
    # The typed comment is on screen in the dialog already: wait for the dialog to close.
    terminal.wait_for(
        "the comment in the detail pane, the dialog closed, the conflict still marked",
        lambda s: (
            COMMENT in s.text
            and "Comment on: Tuesday" not in s.text
            and "⚠ Tuesday" in s.text
            and "r Resolve" in s.text
        ),
    )
    terminal.keys("r")
    terminal.wait_for_text("choose what to keep")
    terminal.keys("Enter")  # "Keep this" of the version shown now, which has the focus
    terminal.wait_for(
        "the resolved text, and no conflict any more",
        lambda s: "Changed on two copies" not in s.text and "⚠ Tuesday" not in s.text,
    )

    terminal.keys("C-q")
    status = terminal.wait_for_exit()
    assert status == 0, terminal.screen(history=True).text
    saved = Journal.open(journal.path, PASSPHRASE)
    assert saved.conflicts(entry.id) == {}
    assert saved.get(Entry, entry.id).body in (
        "Slept badly, woke at 3.",
        "Slept badly. Try melatonin?",
    )
    assert [c.body for c in saved.thread(entry.id)] == [COMMENT]
