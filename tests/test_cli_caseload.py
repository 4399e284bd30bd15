"""The command line of issue #15: agent, unlock, lock, caseload, search and sync over the caseload.

Each command runs as `python -m journal.cli` in a subprocess without a
controlling terminal, as a script would run it. The agent runs for real (in
the background); the `runtime` fixture stops it whatever happens.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from journal.journal import Journal
from journal.recent import remember
from tests.agent_helpers import agent_runtime
from tests.cli_harness import Result, Stderr, in_subprocess
from tests.conftest import PASSPHRASE, copy_of
from tests.test_caseload import family, newer_format

STDERR = Stderr(quiet=("no entries",))


def tandem(
    *args: object, passphrase: str | None = None, env: dict[str, str] | None = None
) -> Result:
    """Run the command; TANDEM_PASSPHRASE only when `passphrase` is given."""
    return in_subprocess(*args, stderr=STDERR, passphrase=passphrase, env=env)


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private runtime folder for the agent; every agent started in it is stopped after."""
    with agent_runtime(monkeypatch) as folder:
        yield folder


# --- the agent --------------------------------------------------------------------------


def test_unlock_once_then_commands_need_no_passphrase(runtime: Path, tmp_path: Path) -> None:
    first = family(tmp_path, "a.tandem").path
    second = family(tmp_path, "b.tandem").path
    assert tandem("list", first, "-n", "1").code == 2  # no passphrase, no agent

    refused = tandem("unlock", first, passphrase=PASSPHRASE)
    assert refused.code == 2 and "tandem agent enable" in refused.err

    assert tandem("agent", "enable").code == 0
    done = tandem("unlock", first, second, passphrase=PASSPHRASE)
    assert done.code == 0, done.err
    assert "Unlocked a.tandem, b.tandem" in done.out
    caseload = json.loads(tandem("caseload", "--json").out)  # no PATH: the recent journals
    assert {Path(case["path"]).name for case in caseload} == {"a.tandem", "b.tandem"}

    for path in (first, second):
        listed = tandem("list", path, "--json")
        assert listed.code == 0, listed.err
    added = tandem("add", first, "--kind", "win", "--title", "Tied his shoes")
    assert added.code == 0, added.err
    assert tandem("list", first, "-n", "1", "--no-agent").code == 2  # --no-agent: asks

    status = json.loads(tandem("agent", "status", "--json").out)
    assert status["enabled"] and status["running"] and status["held"] == 2

    assert tandem("lock", first).code == 0
    assert tandem("list", first, "-n", "1").code == 2
    assert tandem("list", second, "-n", "1").code == 0
    assert tandem("lock").code == 0
    assert tandem("list", second, "-n", "1").code == 2

    stopped = tandem("agent", "stop")
    assert stopped.code == 0 and "stopped" in stopped.out
    assert json.loads(tandem("agent", "status", "--json").out)["running"] is False


def test_unlock_says_which_journals_did_not_open(runtime: Path, tmp_path: Path) -> None:
    good = family(tmp_path, "good.tandem").path
    other = Journal.create(
        tmp_path / "other.tandem", title="O", name="Lee", role="therapist", passphrase="x" * 20
    )[0].path
    broken = tmp_path / "broken.tandem"
    broken.write_bytes(good.read_bytes()[:100])
    tandem("agent", "enable")
    done = tandem("unlock", good, other, broken, passphrase=PASSPHRASE)
    assert done.code == 4  # damaged wins over a wrong passphrase (3)
    assert "Unlocked good.tandem" in done.out
    assert "other.tandem: the passphrase does not open it" in done.err
    assert "broken.tandem: this file is damaged" in done.err


def test_the_agent_refuses_a_runtime_folder_others_can_open(tmp_path: Path) -> None:
    folder = tmp_path / "rt"
    folder.mkdir()
    os.chmod(folder, 0o755)
    tandem("agent", "enable")
    done = tandem("agent", "start", env={"XDG_RUNTIME_DIR": str(folder)})
    assert done.code == 1
    assert done.err.count("\n") == 1 and "not 0700" in done.err
    assert not (folder / "tandem").exists()
    unset = tandem("agent", "start", env={"XDG_RUNTIME_DIR": ""})
    assert unset.code == 1 and "XDG_RUNTIME_DIR is not set" in unset.err


def test_agent_disable_stops_it(runtime: Path) -> None:
    tandem("agent", "enable", "--timeout", "5")
    started = tandem("agent", "start")
    assert started.code == 0 and "5 minutes" in started.out
    assert "already running" in tandem("agent", "start").out
    disabled = tandem("agent", "disable")
    assert disabled.code == 0 and "stopped" in disabled.out
    assert "off" in tandem("agent", "status").out


# --- caseload, search, sync ---------------------------------------------------------------


def test_caseload_lists_each_journal_with_its_state(tmp_path: Path) -> None:
    good = family(tmp_path, "good.tandem")
    good.add_entry("checkin", "Slept well")
    good.save()
    damaged = family(tmp_path, "damaged.tandem").path
    damaged.write_bytes(damaged.read_bytes()[:300])
    newer = newer_format(family(tmp_path, "newer.tandem").path)
    for path in (good.path, damaged, newer, tmp_path / "gone.tandem"):
        remember(path)

    done = tandem("caseload", "--json", passphrase=PASSPHRASE)
    assert done.code == 0, done.err
    cases = {Path(item["path"]).name: item for item in json.loads(done.out)}
    assert {name: item["state"] for name, item in cases.items()} == {
        "good.tandem": "ok",
        "damaged.tandem": "damaged",
        "newer.tandem": "newer",
        "gone.tandem": "missing",
    }
    assert cases["good.tandem"]["title"] == "Sam's journal"
    assert all(list(item)[:2] == ["path", "state"] for item in cases.values())

    text = tandem("caseload", passphrase=PASSPHRASE)
    assert text.code == 0
    assert text.out.splitlines()[0].split() == ["JOURNAL", "WHAT", "WAITS", "FILE"]
    assert "damaged: this file is damaged" in text.out
    assert "3 journals not open: damaged, missing, newer" in text.err

    locked = tandem("caseload", good.path, "--json")
    assert json.loads(locked.out)[0]["state"] == "locked"


def test_caseload_sessions_and_calendar(tmp_path: Path) -> None:
    first = family(tmp_path, "rivera.tandem")
    second = family(tmp_path, "okafor.tandem", title="Mia's journal")
    first.add_session("2099-01-01T10:00")
    second.add_session("2099-01-02T10:00")
    for journal in (first, second):
        journal.save()
    paths = [first.path, second.path]
    listed = tandem("caseload", *paths, "--sessions", "--days", "36500", passphrase=PASSPHRASE)
    assert listed.code == 0, listed.err
    assert listed.out.splitlines()[1].startswith("2099-01-01 10:00")
    as_json = tandem(
        "caseload", *paths, "--sessions", "--days", "36500", "--json", passphrase=PASSPHRASE
    )
    assert [s["journal"] for s in json.loads(as_json.out)] == ["Sam's journal", "Mia's journal"]
    target = tmp_path / "week.ics"
    written = tandem(
        "caseload", *paths, "--ics", "-o", target, "--days", "36500", passphrase=PASSPHRASE
    )
    assert written.code == 0, written.err
    calendar = target.read_text()
    assert calendar.count("BEGIN:VEVENT") == 2 and "okafor" in calendar
    assert tandem("caseload", *paths, "--ics", passphrase=PASSPHRASE).code == 2


def test_search_over_every_journal(tmp_path: Path) -> None:
    first = family(tmp_path, "a.tandem")
    second = family(tmp_path, "b.tandem", title="Mia's journal")
    first.add_entry("checkin", "Trampoline after school")
    second.add_entry("observation", "Park", body="Ten minutes on the trampoline.")
    for journal in (first, second):
        journal.save()
    done = tandem("search", "TRAMPOLINE", first.path, second.path, "--json", passphrase=PASSPHRASE)
    assert done.code == 0, done.err
    assert [(item["journal"], item["title"]) for item in json.loads(done.out)] == [
        ("Sam's journal", "Trampoline after school"),
        ("Mia's journal", "Park"),
    ]
    locked = tandem("search", "trampoline", first.path)
    assert locked.code == 0 and "locked" in locked.err


def test_sync_without_a_path_syncs_every_recent_journal(tmp_path: Path) -> None:
    first = family(tmp_path, "a.tandem")
    second = family(tmp_path, "b.tandem")
    theirs = copy_of(first, "a (conflicted copy 2026-12-01 101500).tandem")
    theirs.add_entry("checkin", "Written on the other laptop")
    theirs.save()
    for path in (first.path, second.path):
        remember(path)
    done = tandem("sync", "--json", passphrase=PASSPHRASE)
    assert done.code == 0, done.err
    report = {Path(item["path"]).name: item for item in json.loads(done.out)["journals"]}
    assert report["a.tandem"]["merged"] == [theirs.path.name]
    assert report["b.tandem"]["merged"] == []
    assert not theirs.path.exists()
    titles = [e.title for e in Journal.open(first.path, PASSPHRASE).entries()]
    assert "Written on the other laptop" in titles
    one = tandem("sync", second.path, passphrase=PASSPHRASE)
    assert one.code == 0 and "No conflict copies" in one.out  # one PATH: as before


# --- asking once, in a terminal -------------------------------------------------------------


def _answers(monkeypatch: pytest.MonkeyPatch, *answers: str) -> list[str]:
    """A terminal whose hidden prompts get `answers` in turn; returns the prompts asked."""
    from journal.cli import terminal

    asked: list[str] = []
    left = list(answers)

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return left.pop(0)

    monkeypatch.setattr(terminal, "terminal_available", lambda: True)
    monkeypatch.setattr(terminal, "ask_hidden", ask)
    return asked


def test_unlock_asks_again_for_the_journals_still_locked(
    runtime: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journal import settings
    from journal.cli import main

    first = family(tmp_path, "a.tandem").path
    second = family(tmp_path, "b.tandem").path
    settings.set_setting(settings.AGENT, True)
    asked = _answers(monkeypatch, "not it", PASSPHRASE)
    assert main(["unlock", str(first), str(second)]) == 0
    assert asked == [
        "Passphrase for a.tandem, b.tandem: ",
        "Wrong passphrase; try again for a.tandem, b.tandem: ",
    ]
    assert main(["unlock", str(first)]) == 0  # held already: nothing asked
    assert len(asked) == 2


def test_caseload_asks_once_for_every_locked_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from journal.cli import main

    paths = [family(tmp_path, f"{name}.tandem").path for name in ("a", "b", "c")]
    asked = _answers(monkeypatch, PASSPHRASE)
    assert main(["caseload", *map(str, paths), "--json"]) == 0
    assert asked == ["Passphrase for a.tandem, b.tandem, c.tandem (Enter to skip): "]
    assert [case["state"] for case in json.loads(capsys.readouterr().out)] == ["ok"] * 3
    _answers(monkeypatch, "")  # Enter: they stay locked
    assert main(["caseload", *map(str, paths), "--json"]) == 0
    assert {case["state"] for case in json.loads(capsys.readouterr().out)} == {"locked"}
