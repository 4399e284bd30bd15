"""Issue #13, point 8: sending a copy, the other half of the exchange.

`send_copy` writes the saved journal, named for the receiver, into Downloads
(or a folder given), says what it holds since the last copy sent, and
`open_mail` opens a message with it attached where a mail client is set up,
never failing without one. On import, a copy of another journal says whose
it is when its name tells.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from journal.journal import Journal
from journal.sending import copy_name, open_mail, send_copy, whose_copy
from screens.app import TandemApp
from screens.import_screen import ImportScreen
from tests.cli_harness import Cli
from tests.conftest import PASSPHRASE
from tests.harness import play, settle

DAY = date(2026, 12, 5)
MakeJournal = Callable[..., tuple[Journal, str]]


def test_a_copy_is_named_for_the_receiver(journal: Journal) -> None:
    assert copy_name(journal, DAY) == "Sam's journal - from Ana 2026-12-05.tandem"
    assert whose_copy(Path("Sam's journal - from Ana 2026-12-05.tandem")) == (
        "“Sam's journal” from Ana (2026-12-05)"
    )
    assert whose_copy(Path("Sam's journal - from Ana 2026-12-05 (2).tandem")).startswith("“Sam")
    assert whose_copy(Path("family.tandem")) == ""


def test_each_copy_says_what_it_holds_since_the_last_one(journal: Journal, tmp_path: Path) -> None:
    journal.add_entry("checkin", "Monday")
    journal.save()
    first = send_copy(journal, tmp_path, today=DAY)
    assert first.path == tmp_path / "Sam's journal - from Ana 2026-12-05.tandem"
    assert first.first and first.news == "everything so far: 1 new entry"
    assert Journal.open(first.path, PASSPHRASE).journal_id == journal.journal_id
    journal.add_entry("win", "Shoes")
    journal.add_entry("win", "Socks")
    second = send_copy(journal, tmp_path, today=DAY)  # unsaved changes: saved first
    assert second.path.name == "Sam's journal - from Ana 2026-12-05 (2).tandem"
    assert second.news == "2 new entries" and not second.first
    assert {e.title for e in Journal.open(second.path, PASSPHRASE).entries()} == {
        "Monday",
        "Shoes",
        "Socks",
    }
    third = send_copy(journal, tmp_path, today=DAY)
    assert third.news == "nothing new since the last copy"
    assert "passphrase" in third.body and PASSPHRASE not in third.body
    assert "Import a copy" in third.body


def test_the_copy_goes_to_downloads_by_default(
    journal: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DOWNLOAD_DIR", str(tmp_path / "dl"))
    sent = send_copy(journal, today=DAY)
    assert sent.path.parent == tmp_path / "dl" and sent.path.is_file()


def test_no_mail_client_is_no_failure(
    journal: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = send_copy(journal, tmp_path, today=DAY)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert open_mail(sent) is False


def test_a_mail_client_gets_the_file_attached(
    journal: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = send_copy(journal, tmp_path, today=DAY)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    args_file = tmp_path / "args"
    fake = bin_dir / "xdg-email"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{args_file}"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(bin_dir) + os.pathsep + os.environ["PATH"])
    assert open_mail(sent) is True
    for _ in range(100):
        if args_file.exists() and args_file.read_text():
            break
        import time

        time.sleep(0.05)
    args = args_file.read_text().splitlines()
    assert args[args.index("--attach") + 1] == str(sent.path)
    assert "--subject" in args


def test_tandem_send_writes_the_copy_and_says_so(
    journal: Journal, tmp_path: Path, cli: Cli
) -> None:
    folder = tmp_path / "out"
    result = cli("send", journal.path, "--to", folder, "--no-mail")
    assert result.code == 0, result
    [copy] = folder.glob("*.tandem")
    assert copy.name.startswith("Sam's journal - from Ana ")
    assert "Copy written:" in result.out and "It holds" in result.out
    assert "Never put the passphrase in the same message" in result.out


def test_send_a_copy_is_in_the_palette(
    journal: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DOWNLOAD_DIR", str(tmp_path / "dl"))
    monkeypatch.setenv("PATH", str(tmp_path / "no-mail"))

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        [send] = [c for c in app.get_system_commands(app.screen) if c.title == "Send a copy"]
        send.callback()
        await settle(pilot)
        [copy] = (tmp_path / "dl").glob("*.tandem")
        messages = "\n".join(n.message for n in app._notifications)
        assert str(copy) in messages and "It holds" in messages
        assert "Never put the passphrase in the same message." in messages

    play(TandemApp(journal, start="home", watch=False), scenario)


def test_importing_another_journal_s_copy_says_whose(
    journal: Journal, make_journal: MakeJournal, tmp_path: Path
) -> None:
    other, _code = make_journal("other.tandem", title="Mia's journal", member="Lena")
    sent = send_copy(other, tmp_path / "dl", today=DAY)

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        app.action_import_copy()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one("#path", Input).value = str(sent.path)
        screen.preview()
        said = ""
        for _ in range(100):  # the preview worker fails (another journal): no settle
            await pilot.pause(0.02)
            said = str(screen.query_one("#report").render())
            if "Cannot import" in said:
                break
        assert "Cannot import" in said
        assert "copy of “Mia's journal” from Lena (2026-12-05)" in said

    play(TandemApp(journal, start="home", watch=False), scenario)


def test_a_hostile_title_makes_a_plain_short_name_in_the_folder(make_journal, tmp_path) -> None:
    """The title comes from any owner's copy: it may not leave the folder or overflow a name."""
    from datetime import date

    from journal.sending import copy_name

    journal, _code = make_journal()
    journal.update_info(title="../../" + "x" * 400 + "\x00/.bashrc")
    name = copy_name(journal, date(2026, 12, 5))
    assert "/" not in name and "\x00" not in name and not name.startswith(".")
    assert len(name.encode("utf-8")) < 200
