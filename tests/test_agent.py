"""The key agent (journal/agent.py): who may connect, what it forgets and when, what it leaves.

Agents run either in this process (a thread, with a clock the test moves) or
as the real background process `tandem unlock` starts. Every test stops the
agents it started (the `runtime` fixture), killing one that does not stop.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import journal.agent as agent_module
from journal import agent_client, settings
from journal.agent import Agent
from journal.agent_client import AgentClient, AgentError, runtime_problem, start_agent
from journal.crypto import KdfParams
from journal.keys import NotHeld, open_and_hold, open_held, open_with_agent
from journal.model import Entry
from tests.agent_helpers import make_runtime, stop_agents
from tests.conftest import PASSPHRASE, MakeJournal

ROOT = Path(__file__).resolve().parents[1]
PARAMS = KdfParams(salt=b"s" * 16, memory_kib=8, iterations=1, lanes=1)
JOURNAL_ID = "c" * 32
KEK = bytes(range(32))


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private runtime folder (short: socket paths are short) and the agent turned on."""
    folder = make_runtime()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    settings.set_setting(settings.AGENT, True)
    try:
        yield folder
    finally:
        stop_agents(folder)


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def served(runtime: Path) -> Iterator[tuple[Agent, Clock]]:
    """An agent in a thread of this process, with a clock the test moves."""
    clock = Clock()
    agent = Agent(timeout=900, clock=clock)
    agent.bind()
    thread = threading.Thread(target=agent.serve_forever, daemon=True)
    thread.start()
    try:
        yield agent, clock
    finally:
        agent.stop()
        thread.join(timeout=5)
        assert not thread.is_alive()


# --- where it may run -------------------------------------------------------------------


def test_it_refuses_to_run_without_a_private_runtime_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    assert "XDG_RUNTIME_DIR is not set" in (runtime_problem() or "")
    open_folder = tmp_path / "open"
    open_folder.mkdir(mode=0o755)
    os.chmod(open_folder, 0o755)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(open_folder))
    assert "mode 0755, not 0700" in (runtime_problem() or "")
    os.chmod(open_folder, 0o700)
    assert runtime_problem() is None
    monkeypatch.setattr(agent_client, "own_uid", lambda: os.getuid() + 1)
    assert "belongs to another user" in (runtime_problem() or "")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "gone"))
    assert "does not exist" in (runtime_problem() or "")


def test_the_folder_and_socket_are_private(served: tuple[Agent, Clock]) -> None:
    agent, _clock = served
    assert oct(agent.folder.stat().st_mode & 0o777) == oct(0o700)
    assert oct(agent.socket_file.stat().st_mode & 0o777) == oct(0o600)


def test_a_second_agent_is_refused(served: tuple[Agent, Clock]) -> None:
    with pytest.raises(AgentError, match="already running"):
        Agent().bind()


# --- who may connect --------------------------------------------------------------------


def test_another_user_cannot_connect(
    served: tuple[Agent, Clock], monkeypatch: pytest.MonkeyPatch
) -> None:
    agent, _clock = served
    client = AgentClient()
    client.put(JOURNAL_ID, PARAMS, KEK)
    assert client.get(JOURNAL_ID, PARAMS) == KEK
    # The agent now sees every peer as another user: it answers nothing but a refusal.
    monkeypatch.setattr(agent_module, "own_uid", lambda: os.getuid() + 1)
    with pytest.raises(AgentError, match="not the agent's user"):
        client.request({"op": "get", "journal_id": JOURNAL_ID, "kdf": PARAMS.to_json()})
    assert client.get(JOURNAL_ID, PARAMS) is None
    monkeypatch.undo()
    assert client.get(JOURNAL_ID, PARAMS) == KEK


def test_the_peer_check_compares_the_socket_users_id(
    served: tuple[Agent, Clock], monkeypatch: pytest.MonkeyPatch
) -> None:
    agent, _clock = served
    left, right = socket.socketpair(socket.AF_UNIX)
    with left, right:
        assert agent_client.peer_uid(left) == os.getuid()
        assert agent.allowed(left)
        monkeypatch.setattr(agent_module, "peer_uid", lambda _connection: os.getuid() + 7)
        assert not agent.allowed(left)


def test_the_client_refuses_an_agent_of_another_user(
    served: tuple[Agent, Clock], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(agent_client, "own_uid", lambda: os.getuid() + 1)
    with pytest.raises(AgentError, match="belongs to another user"):
        AgentClient().status()


def test_bad_requests_get_a_refusal(served: tuple[Agent, Clock]) -> None:
    agent, _clock = served
    assert agent.answer({"op": "get", "journal_id": "x"}) == {
        "ok": False,
        "error": "bad journal_id",
    }
    assert not agent.answer({"op": "put", "journal_id": JOURNAL_ID, "kdf": PARAMS.to_json()})["ok"]
    assert not agent.answer({"op": "launch"})["ok"]
    assert not agent.answer(["get"])["ok"]
    with socket.socket(socket.AF_UNIX) as raw:
        raw.connect(str(agent.socket_file))
        raw.sendall(b"not json\n")
        assert b'"ok": false' in raw.recv(1000)


# --- what it forgets, and when --------------------------------------------------------------


def test_the_key_is_gone_after_the_timeout(served: tuple[Agent, Clock]) -> None:
    _agent, clock = served
    client = AgentClient()
    client.put(JOURNAL_ID, PARAMS, KEK)
    clock.now += 899
    assert client.get(JOURNAL_ID, PARAMS) == KEK  # and its idle time starts again
    clock.now += 899
    assert client.status()["held"] == 1
    clock.now += 1
    assert client.get(JOURNAL_ID, PARAMS) is None
    assert client.status()["held"] == 0


def test_the_key_is_gone_after_lock(served: tuple[Agent, Clock], make_journal: MakeJournal) -> None:
    journal, _code = make_journal()
    client = AgentClient()
    open_and_hold(journal.path, PASSPHRASE, client)
    assert open_held(journal.path, client).title == "Sam's journal"
    from journal.cli import main

    assert main(["lock", str(journal.path)]) == 0
    with pytest.raises(NotHeld):
        open_held(journal.path, client)
    open_and_hold(journal.path, PASSPHRASE, client)
    assert main(["lock"]) == 0
    assert client.status()["held"] == 0


def test_the_session_ending_stops_the_agent(served: tuple[Agent, Clock]) -> None:
    agent, _clock = served
    AgentClient().put(JOURNAL_ID, PARAMS, KEK)
    assert agent.session_alive()
    os.environ["XDG_RUNTIME_DIR"] = "/nonexistent-runtime-folder"  # logout: the folder is gone
    assert not agent.session_alive()
    agent._last_check = float("-inf")
    agent.tick()
    assert agent._stopping.is_set()


# --- the real background agent -----------------------------------------------------------


def _files_holding(folders: list[Path], secret: bytes) -> list[Path]:
    found: list[Path] = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and not path.is_socket():
                try:
                    if secret in path.read_bytes():
                        found.append(path)
                except OSError:
                    continue
    return found


def test_a_killed_agent_leaves_nothing_behind(
    runtime: Path, make_journal: MakeJournal, isolated_environment: Path
) -> None:
    journal, _code = make_journal()
    client, started = start_agent()
    assert started
    pid = int(client.status()["pid"])
    open_and_hold(journal.path, PASSPHRASE, client)
    [(journal_id, params)] = [(journal.journal_id, journal.file.unlocked.slot.kdf)]
    kek = client.get(journal_id, params)
    assert kek is not None
    os.kill(pid, signal.SIGKILL)
    _wait_gone(pid)
    socket_file = agent_client.socket_path()
    assert socket_file.exists()  # a killed process cannot remove it ...
    assert AgentClient.running() is None
    client, started = start_agent()  # ... and it does not block the next agent
    assert started
    assert client.get(journal_id, params) is None  # the key died with the process
    assert _files_holding([runtime, isolated_environment, journal.path.parent], kek) == []


def test_sigterm_forgets_and_removes_the_socket(runtime: Path) -> None:
    client, _started = start_agent()
    pid = int(client.status()["pid"])
    client.put(JOURNAL_ID, PARAMS, KEK)
    os.kill(pid, signal.SIGTERM)
    _wait_gone(pid)
    assert not agent_client.socket_path().exists()


def test_the_background_agent_stops_when_the_runtime_folder_goes(runtime: Path) -> None:
    environment = dict(os.environ)
    process = subprocess.Popen(
        [sys.executable, "-m", "journal.agent"],
        env=environment,
        cwd=ROOT,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 10
        while AgentClient.running() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert AgentClient.running() is not None
        (runtime / "tandem" / "agent.sock").unlink()  # what logout does to the folder
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


def _wait_gone(pid: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        # A child of this process stays a zombie until reaped.
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        except ChildProcessError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"process {pid} is still running")


# --- the agent and the app together ---------------------------------------------------------


def test_the_agent_and_the_app_lose_no_write(runtime: Path, make_journal: MakeJournal) -> None:
    journal, _code = make_journal()
    client, _started = start_agent()
    open_and_hold(journal.path, PASSPHRASE, client)
    app_journal = open_with_agent(journal.path, "")  # what the unlock screen does
    app_journal.add_entry("checkin", "Written in the app")
    environment = {k: v for k, v in os.environ.items() if k != "TANDEM_PASSPHRASE"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "journal.cli",
            "add",
            str(journal.path),
            "--kind",
            "checkin",
            "--title",
            "From CLI",
        ],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,
    )
    assert done.returncode == 0, done.stderr
    app_journal.save()  # merges the command's entry in first
    titles = {entry.title for entry in open_held(journal.path, client).all(Entry)}
    assert {"Written in the app", "From CLI"} <= titles
