"""The `tandem` command's first step: hand the command to the key agent when it can run it.

    tandem list family.tandem -n 10

Starting Python and importing Tandem costs more than listing ten entries. So,
as Mercurial's `chg` does for `hg`, when the person runs the key agent
(journal/agent.py) a command it may run is handed to it: the agent forks a
copy of itself that already has Tandem imported, gives it this process's
terminal or pipes (stdin, stdout, stderr, passed over the socket), its
folder, environment and umask, and runs the same `journal.cli.main` there;
this process waits, passes Ctrl+C on, and exits with the command's code.

Everything else runs here, as before: the app, commands that ask for a new
passphrase or a yes/no, and any command when no agent answers, when the
person said ``--no-agent`` or ``TANDEM_NO_AGENT=1``, or when the agent's
copy cannot run it (a passphrase must be typed: the agent has no terminal).
The protocol is in `journal.agent_run`. This module imports only the
standard library, so that a handed-over command starts in a few milliseconds.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # importing typing costs a command 2 ms of its start
    from types import FrameType
    from typing import Any

__all__ = ["HANDED_OVER", "agent_socket", "hand_over", "main", "start"]

HANDED_OVER = frozenset(
    {
        "add",
        "addendum",
        "caseload",
        "comment",
        "delete",
        "edit",
        "event",
        "export",
        "finalize",
        "goal",
        "list",
        "resolve",
        "resolve-thread",
        "search",
        "show",
        "verify",
    }
)
"""Commands the agent may run: they ask nothing but, at most, a passphrase."""

CODE = os.path.dirname(os.path.abspath(__file__))
"""Which Tandem this is (its folder): an agent of another install leaves the command here."""
CONNECT_TIMEOUT = 2.0
"""Seconds to wait for the agent to take the command (then it runs here)."""
_FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _command_word(argv: list[str]) -> str | None:
    return next((arg for arg in argv if not arg.startswith("-")), None)


def may_hand_over(argv: list[str]) -> bool:
    """Whether `argv` is a command to offer the agent (see also `agent_socket`)."""
    if "--no-agent" in argv or "--" in argv:
        return False
    return _command_word(argv) in HANDED_OVER


def _connect(path: str) -> socket.socket | None:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.settimeout(CONNECT_TIMEOUT)
        connection.connect(path)
        size = struct.calcsize("3i")
        credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, size)
        if struct.unpack("3i", credentials)[1] != os.getuid():
            connection.close()  # someone else's socket: never give them our terminal
            return None
    except OSError:
        connection.close()
        return None
    return connection


def _lines(connection: socket.socket) -> tuple[list[dict[str, object]], bool]:
    """Wait for the next answer line(s); (the decoded lines, whether the connection ended)."""
    data = b""
    while b"\n" not in data:
        chunk = connection.recv(4096)
        if not chunk:
            return [], True
        data += chunk
    lines = []
    for raw in data.split(b"\n"):
        if raw.strip():
            try:
                decoded = json.loads(raw)
            except ValueError:
                return [], True
            if isinstance(decoded, dict):
                lines.append(decoded)
    return lines, False


def _request(what: dict[str, str | list[str]], streams: tuple[Any, ...]) -> bytes:
    umask = os.umask(0o077)
    os.umask(umask)
    message = {
        "op": "run",
        **what,
        "code": CODE,
        "env": dict(os.environ),
        "umask": umask,
        "encodings": [getattr(stream, "encoding", None) or "utf-8" for stream in streams],
    }
    return json.dumps(message).encode("utf-8") + b"\n"


def agent_socket() -> str | None:
    """Where an agent may listen, if one may be used at all (a quick look: no connection)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if os.environ.get("TANDEM_NO_AGENT") == "1" or not runtime:
        return None
    path = os.path.join(runtime, "tandem", "agent.sock")
    return path if os.path.exists(path) else None


def start(
    what: dict[str, str | list[str]], fds: tuple[int, int, int], streams: tuple[Any, ...] = ()
) -> tuple[socket.socket, list[dict[str, object]]] | None:
    """Have the agent fork and run `what` (``argv`` or ``module``) on `fds` (stdin, stdout,
    stderr) in this folder: its connection and first answers, or None when it will not."""
    path = agent_socket()
    connection = _connect(path) if path is not None else None
    if connection is None:
        return None
    try:
        here = os.open(".", os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        connection.close()
        return None  # no readable current folder: the command runs here and says so
    try:
        request = _request(what, streams or (sys.stdin, sys.stdout, sys.stderr))
        socket.send_fds(connection, [request], [*fds, here])
        started, ended = _lines(connection)
    except OSError:
        started, ended = [], True
    finally:
        os.close(here)
    if ended or not started or not started[0].get("ok") or not _pid(started[0]):
        connection.close()
        return None  # refused, an older agent, or it would rather we ran it
    return connection, started


def _pid(answer: dict[str, object]) -> int:
    pid = answer.get("pid")
    return pid if isinstance(pid, int) and pid > 0 else 0


def hand_over(argv: list[str]) -> int | None:
    """Run `argv` in the agent: the command's exit code, or None to run it here instead."""
    if not may_hand_over(argv):
        return None
    started = start({"argv": argv}, (0, 1, 2))
    if started is None:
        return None
    connection, answers = started
    with connection:
        return _wait(connection, answers)


def _wait(connection: socket.socket, answers: list[dict[str, object]]) -> int | None:
    pid = _pid(answers[0])

    def pass_on(signum: int, _frame: FrameType | None) -> None:
        try:  # noqa: SIM105 - importing contextlib costs a command 2 ms of its start
            os.kill(pid, signum)
        except OSError:
            pass  # it has ended

    before = {signum: signal.signal(signum, pass_on) for signum in _FORWARDED_SIGNALS}
    try:
        return _outcome(connection, answers)
    finally:
        for signum, handler in before.items():
            if handler is not None:  # None: set outside Python, left as it is
                signal.signal(signum, handler)


def _outcome(connection: socket.socket, answers: list[dict[str, object]]) -> int | None:
    """The command's exit code once the fork says it, or None: the client runs it."""
    connection.settimeout(None)
    while True:
        for answer in answers:
            if "exit" in answer:
                code = answer["exit"]
                return code if isinstance(code, int) else 1
            if "fallback" in answer:
                return None
        try:
            answers, ended = _lines(connection)
        except OSError:
            ended = True
        if ended:
            sys.stderr.write("tandem: the agent's copy of the command ended without finishing\n")
            return 1


def main() -> None:
    """The `tandem` command: in the agent when it can run it, else here (journal.cli.main)."""
    argv = sys.argv[1:]
    code = hand_over(argv)
    if code is None:
        from journal.cli import main as run_here

        code = run_here(argv)
    sys.exit(code)


if __name__ == "__main__":
    main()
