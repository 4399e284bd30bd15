"""Commands run by the key agent (journal/launch.py, journal/agent_run.py).

`tandem` hands a command to a running agent, which runs it in a fork that has
Tandem imported already. What the person sees must not change: the same
output, errors and exit codes, piped text read, paths relative to their
folder, Ctrl+C obeyed, and a command that must ask on the terminal run in
their own process instead.
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

from journal import agent_run, launch, ondisk, settings
from journal.agent_client import AgentClient, start_agent
from journal.journal import Journal
from journal.keys import open_and_hold
from journal.model import Entry
from tests.agent_helpers import agent_runtime
from tests.cli_harness import Result, Stderr, in_subprocess
from tests.conftest import PASSPHRASE, MakeJournal

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def agent(monkeypatch: pytest.MonkeyPatch) -> Iterator[AgentClient]:
    """A real background agent (it runs commands), turned on, in a private runtime folder."""
    with agent_runtime(monkeypatch):
        settings.set_setting(settings.AGENT, True)
        client, _started = start_agent()
        yield client


def tandem(
    *args: str,
    module: str = "journal.launch",
    stdin: str | None = None,
    cwd: Path = ROOT,
    **env: str,
) -> Result:
    """`tandem ARGS` as typed (a passphrase only when `TANDEM_PASSPHRASE` is given)."""
    passphrase = env.pop("TANDEM_PASSPHRASE", None)
    return in_subprocess(
        *args, stderr=Stderr(), module=module, passphrase=passphrase, stdin=stdin, env=env, cwd=cwd
    )


def runs(client: AgentClient) -> int:
    count = client.status()["commands_run"]
    assert isinstance(count, int)
    return count


@pytest.fixture
def held(agent: AgentClient, make_journal: MakeJournal) -> Journal:
    journal, _code = make_journal()
    for n in range(3):
        journal.add_entry("checkin", f"Day {n}", f"body {n}", occurred_at=f"2026-03-0{n + 1}T08:00")
    journal.save()
    open_and_hold(journal.path, PASSPHRASE, agent)
    return journal


def test_a_command_run_by_the_agent_prints_what_it_prints_here(
    agent: AgentClient, held: Journal
) -> None:
    before = runs(agent)
    for args in (
        ("list", str(held.path), "-n", "2"),
        ("list", str(held.path), "--search", "day 1", "--json"),
        ("show", str(held.path), "nosuchid"),
        ("list", str(held.path), "--bogus"),
    ):
        there = tandem(*args)
        here = tandem(
            *args, module="journal.cli", TANDEM_NO_AGENT="1", TANDEM_PASSPHRASE=PASSPHRASE
        )
        assert (there.code, there.out, there.err) == (
            here.code,
            here.out,
            here.err,
        ), args
    assert runs(agent) == before + 4
    status = tandem("agent", "status")
    assert "runs your tandem commands" in status.out, status.out
    assert f"{before + 4} commands so far" in status.out


def test_piped_text_and_relative_paths_reach_the_agents_command(
    agent: AgentClient, held: Journal
) -> None:
    added = tandem(
        "add",
        held.path.name,
        "--kind",
        "checkin",
        "--title",
        "Piped",
        stdin="from stdin\n",
        cwd=held.path.parent,
    )
    assert added.code == 0, added.err
    entry_id = added.out.strip()
    reopened = Journal.open(held.path, PASSPHRASE)
    assert reopened.get(Entry, entry_id).body.strip() == "from stdin"
    assert runs(agent) == 1


def test_without_the_agent_or_when_told_not_to_it_runs_here(
    agent: AgentClient, held: Journal
) -> None:
    assert tandem("list", str(held.path), "--no-agent", TANDEM_PASSPHRASE=PASSPHRASE).code == 0
    assert (
        tandem("list", str(held.path), TANDEM_NO_AGENT="1", TANDEM_PASSPHRASE=PASSPHRASE).code == 0
    )
    assert tandem("agent", "status").code == 0  # not a command the agent runs
    assert runs(agent) == 0


def test_a_command_that_must_ask_runs_here_and_says_so_once(
    agent: AgentClient, make_journal: MakeJournal
) -> None:
    journal, _code = make_journal()  # its key is not held: the command must ask
    done = tandem("list", str(journal.path))
    assert done.code == 2
    assert done.err.count("no passphrase given") == 1
    assert done.out == ""
    assert runs(agent) == 1  # tried in the agent, which left it to the client


def test_ctrl_c_reaches_the_agents_command(agent: AgentClient, held: Journal) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "TANDEM_PASSPHRASE"}
    environment["PYTHONPATH"] = str(ROOT)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "journal.launch",
            "add",
            str(held.path),
            "--kind",
            "checkin",
            "--title",
            "Never",
        ],
        stdin=subprocess.PIPE,  # kept open: the command waits for its text
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
        cwd=ROOT,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while runs(agent) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "interrupted" in err
    titles = [entry.title for entry in Journal.open(held.path, PASSPHRASE).entries()]
    assert "Never" not in titles


def test_an_agent_in_another_program_runs_no_commands(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from journal.agent import Agent

    with agent_runtime(monkeypatch):
        served = Agent(timeout=60)
        served.bind()
        thread = threading.Thread(target=served.serve_forever, daemon=True)
        thread.start()
        try:
            assert launch.hand_over(["list", "x.tandem"]) is None  # it answers "run it yourself"
            assert served.commands_run == 0
        finally:
            served.stop()
            thread.join(timeout=5)


def test_another_install_of_tandem_runs_its_commands_itself() -> None:
    assert not agent_run.other_code({"code": launch.CODE})
    assert agent_run.other_code({"code": "/somewhere/else/journal"})
    assert agent_run.other_code({})


def test_a_changed_tandem_makes_the_agent_leave_commands_to_the_client(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text("x = 1\n")
    loaded = {str(module): module.stat().st_mtime_ns}
    assert not agent_run.code_changed(loaded)
    os.utime(module, ns=(0, module.stat().st_mtime_ns + 1_000_000))
    assert agent_run.code_changed(loaded)
    module.unlink()
    assert agent_run.code_changed({str(module): 0})


def test_only_commands_that_ask_nothing_more_are_handed_over(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert launch.may_hand_over(["list", "x.tandem", "-n", "3"])
    assert not launch.may_hand_over(["list", "x.tandem", "--no-agent"])
    for refused in ("open", "demo", "serve", "new", "passwd", "invite", "merge", "sync", "unlock"):
        assert refused not in launch.HANDED_OVER
        assert not launch.may_hand_over([refused, "x.tandem"])
    assert not launch.may_hand_over(["x.tandem"])  # the app
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert launch.agent_socket() is None  # no agent listens there
    (tmp_path / "tandem").mkdir()
    (tmp_path / "tandem" / "agent.sock").touch()
    assert launch.agent_socket() is not None
    monkeypatch.setenv("TANDEM_NO_AGENT", "1")
    assert launch.agent_socket() is None


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors in /proc")
def test_descriptors_sent_with_a_refused_or_other_request_are_closed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import json
    import socket

    from journal.agent import Agent

    served = Agent(timeout=60, folder=tmp_path, run_commands=True)
    request = {"op": "run", "argv": ["list"], "env": {}, "umask": 18, "encodings": ["utf-8"] * 3}
    for allowed, message in ((False, request), (True, {"op": "status"})):
        monkeypatch.setattr(served, "allowed", lambda _connection, allowed=allowed: allowed)
        before = _open_fds()
        client, agent_side = socket.socketpair()
        with client, agent_side, open(os.devnull) as null:
            line = json.dumps(message).encode() + b"\n"
            socket.send_fds(client, [line], [null.fileno()] * 4)
            served.handle(agent_side)
            answer = json.loads(client.recv(65536).splitlines()[0])
        assert answer["ok"] is allowed and served.commands_run == 0
        assert _open_fds() == before  # nothing the client sent stays open in the agent


def test_the_caseload_is_read_by_forks_of_the_agent(
    agent: AgentClient, make_journal: MakeJournal
) -> None:
    from journal.caseload_pool import read_cases

    paths = []
    for n in range(3):
        journal, _code = make_journal(f"family-{n}.tandem")
        journal.add_entry("question", f"Question {n}", "when is the next session?")
        journal.save()
        open_and_hold(journal.path, PASSPHRASE, agent)
        paths.append(journal.path)
    before = runs(agent)
    cases = {case.path: case for case in read_cases(paths, holder=agent, workers=2)}
    assert runs(agent) == before + 2  # one fork per worker, no new Python started
    assert set(cases) == set(paths)
    assert all(case.state == "ok" for case in cases.values())


def test_commands_run_by_the_agent_check_the_checksum(agent: AgentClient, held: Journal) -> None:
    data = bytearray(held.path.read_bytes())
    data[-1] ^= 0x01  # only the checksum (format 4: it covers the header and the frame table)
    held.path.write_bytes(bytes(data))
    for command in ("list", "verify"):
        checked = tandem(command, str(held.path))
        assert checked.code == 4
        assert "checksum does not match" in checked.err


def test_the_agents_command_answers_then_prunes_the_backups(
    agent: AgentClient, held: Journal
) -> None:
    folder = ondisk.data_dir() / "backups" / held.journal_id
    for n in range(ondisk.BACKUPS_KEPT + 3):
        done = tandem("add", str(held.path), "--kind", "win", "--title", f"Added {n}")
        assert done.code == 0, done.err
    assert runs(agent) >= ondisk.BACKUPS_KEPT + 3
    deadline = time.monotonic() + 10
    while len(list(folder.glob("*.tandem"))) > ondisk.BACKUPS_KEPT:  # the last fork may
        assert time.monotonic() < deadline  # still be pruning after its answer
        time.sleep(0.05)
    kept = sorted(folder.glob("*.tandem"))
    assert len(kept) == ondisk.BACKUPS_KEPT
    newest = Journal.open(kept[-1], PASSPHRASE)  # the file as it was before the last add
    assert {e.title for e in newest.all(Entry)} >= {f"Added {ondisk.BACKUPS_KEPT + 1}"}


def test_pruning_later_waits_for_prune_now(tmp_path: Path) -> None:
    for n in range(4):
        (tmp_path / f"{n:08d}-20261205T120000Z.tandem").write_bytes(b"x")
    ondisk.prune_later()
    try:
        ondisk._prune(tmp_path, 2)
        assert len(list(tmp_path.iterdir())) == 4
    finally:
        ondisk.prune_now()
    assert sorted(p.name[:8] for p in tmp_path.iterdir()) == ["00000002", "00000003"]
    ondisk._prune(tmp_path, 1)  # afterwards at once again
    assert [p.name[:8] for p in tmp_path.iterdir()] == ["00000003"]


def test_the_tandem_script_imports_only_a_few_standard_modules() -> None:
    # A handed-over command's time is mostly this process starting: keep its imports few.
    code = (
        "import sys; before = set(sys.modules); import journal.launch; "
        "print(' '.join(sorted(set(sys.modules) - before)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    imported = set(done.stdout.split())
    assert {name for name in imported if name.startswith("journal")} == {
        "journal",
        "journal.launch",
    }
    assert not imported & {"typing", "contextlib", "pathlib", "textual", "rich", "cryptography"}


def test_a_command_the_agent_cannot_take_over_runs_in_the_client(
    agent: AgentClient, held: Journal
) -> None:
    class Stream:
        encoding = "no-such-encoding"

    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        started = launch.start({"argv": ["list", str(held.path)]}, (devnull,) * 3, (Stream(),) * 3)
        assert started is not None
        with started:
            assert launch.wait(started) is None  # "run it yourself"
    finally:
        os.close(devnull)


def test_the_fork_lets_go_of_the_clients_pipes_before_its_clean_up() -> None:
    # A reader of the output (a script's "$(tandem add ...)") waits until every holder of
    # the pipe has closed it: the fork's pruning afterwards must not be waited for.
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.dup2(write_end, 1)
            os.dup2(write_end, 2)
            os.close(write_end)
            os.close(read_end)
            os.write(1, b"e6345e38\n")
            agent_run.let_go_of_streams()
            time.sleep(30)  # the clean-up, long
        finally:
            os._exit(0)
    os.close(write_end)
    started = time.monotonic()
    try:
        output = b""
        while chunk := os.read(read_end, 4096):  # returns b"" once nobody holds the pipe
            output += chunk
        assert output == b"e6345e38\n"
        assert time.monotonic() - started < 20
        assert os.waitpid(pid, os.WNOHANG) == (0, 0)  # still cleaning up
    finally:
        os.close(read_end)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def test_the_fork_cleans_up_once_the_client_has_gone(monkeypatch: pytest.MonkeyPatch) -> None:
    fork_end, client_end = socket.socketpair()
    with fork_end:
        closer = threading.Timer(0.2, client_end.close)  # the client exits
        closer.start()
        started = time.monotonic()
        agent_run._wait_for_the_client(fork_end)
        assert 0.15 < time.monotonic() - started < agent_run.CLIENT_EXIT_WAIT
        closer.join()
    monkeypatch.setattr(agent_run, "CLIENT_EXIT_WAIT", 0.2)
    fork_end, client_end = socket.socketpair()
    with fork_end, client_end:  # a client that never goes: the fork stops waiting
        started = time.monotonic()
        agent_run._wait_for_the_client(fork_end)
        assert 0.15 < time.monotonic() - started < 5
