"""The key agent runs a command for its user, in a fork that has Tandem imported already.

The other side is journal/launch.py. On one connection:

1. the client sends one line, ``{"op": "run", "argv": [...], "env": {...},
   "umask": n, "encodings": [stdin, stdout, stderr]}``, and with it (SCM_RIGHTS)
   its stdin, stdout, stderr and current folder (instead of ``argv``,
   ``"module"`` names one of `WORKERS`, such as the caseload's readers);
2. the agent forks; the fork answers ``{"ok": true, "pid": n}`` (the client
   passes Ctrl+C and hang-ups on to that pid), takes over the four
   descriptors, the environment and the umask, and runs `journal.cli.main`;
3. the fork answers ``{"exit": code}``, or ``{"fallback": reason}`` when the
   command must run in the client instead (it wanted to ask on the terminal
   before writing anything: the agent has no terminal), and ends.

Refusals (``{"ok": false, ...}``) and ``{"ok": true, "fallback": ...}`` before
a fork mean "run it yourself" too. The fork reaches the agent's keys the way
any command does, over the socket, so what it may do is what its user's own
`tandem` process may do: nothing more is exposed to the one user who can
connect (SO_PEERCRED). The agent checks, before each fork, that the client
is the same install of Tandem (``"code"``: its folder) and that the code it
imported is still the code on disk (an upgrade while it runs), and otherwise
lets the client run the command with its own code.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from typing import Any

__all__ = [
    "RunHere",
    "code_changed",
    "let_go_of_streams",
    "preload",
    "read_request",
    "run_in_fork",
]

MAX_FDS = 4
"""stdin, stdout, stderr and the current folder."""
_PRELOADED = (
    "journal.cli",
    "journal.journal",
    "journal.storage",
    "journal.fileformat",
    "journal.validate",
    "journal.signing",
    "journal.merge",
    "journal.keys",
    "journal.caseload",
    "journal.digest",
    "journal.cli.show",
    "journal.cli.records",
    "journal.agent_client",
    "journal.recent",
    "journal.settings",
    "cryptography.hazmat.backends.openssl.backend",
    "tomllib",
    "concurrent.futures.thread",
    "journal.caseload_pool",
)


class RunHere(BaseException):
    """Raised in the agent's fork where the command needs the client's own terminal.

    A BaseException, so that the command's own `except Exception` does not turn
    it into an error message.
    """


def preload() -> dict[str, int]:
    """Import what commands use, and note each Tandem module file's change time."""
    import importlib

    for name in _PRELOADED:
        importlib.import_module(name)
    from journal.cli import COMMANDS, build_parser

    for command in COMMANDS:  # argparse compiles patterns and looks up messages once
        build_parser(command)
    # Out of the collector's sight: a fork that scanned these objects would copy their pages.
    gc.freeze()
    return _module_times()


def _module_times() -> dict[str, int]:
    times: dict[str, int] = {}
    for name, module in list(sys.modules.items()):
        if not (name == "journal" or name.startswith("journal.")):
            continue
        path = getattr(module, "__file__", None)
        if path:
            with contextlib.suppress(OSError):
                times[path] = os.stat(path).st_mtime_ns
    return times


def other_code(request: dict[str, Any]) -> bool:
    """Whether the client is another install of Tandem than the one the agent runs."""
    from journal import launch

    return request.get("code") != launch.CODE


def code_changed(loaded: dict[str, int]) -> bool:
    """Whether a Tandem module file changed since the agent imported it (an upgrade)."""
    for path, mtime in loaded.items():
        try:
            if os.stat(path).st_mtime_ns != mtime:
                return True
        except OSError:
            return True
    return False


def read_request(connection: socket.socket, limit: int) -> tuple[bytes, list[int]]:
    """One request line and the descriptors sent with it (closed by the caller)."""
    data, fds, _flags, _address = socket.recv_fds(connection, limit + 1, MAX_FDS)
    while b"\n" not in data and 0 < len(data) <= limit:
        chunk = connection.recv(limit + 1 - len(data))
        if not chunk:
            break
        data += chunk
    return data.partition(b"\n")[0], fds


def close_fds(fds: list[int]) -> None:
    """Close descriptors received with a request."""
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


WORKERS = frozenset({"journal.caseload_pool"})
"""Modules whose `main` may run in a fork besides a command: the caseload's reading workers."""


def problem_with(request: dict[str, Any], fds: list[int]) -> str | None:
    """Why a run request cannot be run (one line), or None when it is well formed."""
    argv, env, module = request.get("argv"), request.get("env"), request.get("module")
    if module is not None:
        if module not in WORKERS or argv is not None:
            return "not a module the agent runs"
    elif not isinstance(argv, list) or not all(isinstance(arg, str) for arg in argv):
        return "argv is not a list of text"
    if not isinstance(env, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in env.items()
    ):
        return "env is not a map of text"
    if not isinstance(request.get("umask"), int):
        return "umask is not a number"
    encodings = request.get("encodings")
    if not isinstance(encodings, list) or len(encodings) != 3:
        return "encodings are not three names"
    if len(fds) != MAX_FDS:
        return "stdin, stdout, stderr and the folder were not sent"
    return None


def run_in_fork(
    connection: socket.socket,
    request: dict[str, Any],
    fds: list[int],
    leave_agent: Callable[[], None],
) -> int:
    """Fork; the fork runs the request and never returns. Returns the fork's pid."""
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        leave_agent()
        code = _run(connection, request, fds)
    finally:
        os._exit(code)  # never the agent's own clean-up (it would remove the socket)


def _send(connection: socket.socket, answer: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):
        connection.sendall(json.dumps(answer).encode("utf-8") + b"\n")


def _run(connection: socket.socket, request: dict[str, Any], fds: list[int]) -> int:
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    connection.settimeout(None)
    _send(connection, {"ok": True, "pid": os.getpid()})
    stdin, stdout, stderr, folder = fds
    try:
        os.fchdir(folder)
        for fd, target in ((stdin, 0), (stdout, 1), (stderr, 2)):
            os.dup2(fd, target)
        os.environ.clear()
        os.environ.update(request["env"])
        time.tzset()
        os.umask(request["umask"])
        written = _take_over_streams(request["encodings"])
    except (OSError, ValueError, LookupError) as error:  # an unknown encoding, a gone folder
        _send(connection, {"fallback": f"the agent could not take the command over: {error}"})
        return 0
    finally:
        close_fds(fds)
    if request.get("module") is not None:
        return _run_worker(connection, request["module"])
    sys.argv = ["tandem", *request["argv"]]

    from journal import ondisk
    from journal.cli import main, terminal

    terminal.TERMINAL_ELSEWHERE = True
    ondisk.prune_later()
    try:
        code = main(request["argv"])
    except RunHere as reason:
        if not written():
            _send(connection, {"fallback": str(reason)})
            return 0
        sys.stderr.write(f"tandem: {reason}; run it again with --no-agent\n")
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    let_go_of_streams()
    _send(connection, {"exit": code})
    _wait_for_the_client(connection)
    ondisk.prune_now()  # once the person has the answer
    return 0


CLIENT_EXIT_WAIT = 2.0
"""How long a command's fork waits for its client to exit before it cleans up anyway."""


def _wait_for_the_client(connection: socket.socket) -> None:
    """Wait until the client has exited (its end of the connection closes), so that this
    fork's clean-up (pruning backups, exiting) does not hold up the client's last steps on
    a machine with few cores (at 100,000 entries, the answer reached it 2 ms later)."""
    connection.settimeout(CLIENT_EXIT_WAIT)
    with contextlib.suppress(OSError):
        while connection.recv(64):
            pass


def let_go_of_streams() -> None:
    """Put /dev/null on descriptors 0 to 2, once the command has written all it writes.

    The fork shares the client's pipes: a script's ``$(tandem add ...)``, or
    any reader of the output, waits until every holder has closed them. Then
    the output ends when the client exits, not when this fork has pruned the
    backups and exited (at 100,000 entries, 2.6 ms later).
    """
    try:
        null = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return
    for fd in (0, 1, 2):
        with contextlib.suppress(OSError):
            os.dup2(null, fd)
    os.close(null)


def _run_worker(connection: socket.socket, module: str) -> int:
    """Run one of the `WORKERS` on the streams taken over (a caseload reader)."""
    import importlib

    code = 1
    try:
        code = importlib.import_module(module).main()  # one of WORKERS (problem_with)
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        let_go_of_streams()  # the reader's pipe ends now, not once this fork has exited
        _send(connection, {"exit": code})
    return 0


class _Counting(io.TextIOWrapper):
    """A text stream that knows whether anything was written to it."""

    wrote = False

    def write(self, text: str) -> int:
        if text:
            self.wrote = True
        return super().write(text)


def _take_over_streams(encodings: list[Any]) -> Callable[[], bool]:
    """New sys.stdin/stdout/stderr on descriptors 0-2, as the client's Python had them."""

    def encoding(index: int) -> str:
        name = encodings[index]
        return name if isinstance(name, str) and name else "utf-8"

    stdin = io.BufferedReader(io.FileIO(0, "r", closefd=False))
    sys.stdin = io.TextIOWrapper(stdin, encoding=encoding(0), errors="strict")
    streams: list[_Counting] = []
    for fd, index in ((1, 1), (2, 2)):
        tty = os.isatty(fd)
        stream = _Counting(
            io.BufferedWriter(io.FileIO(fd, "w", closefd=False)),
            encoding=encoding(index),
            errors="backslashreplace" if fd == 2 else "strict",
            line_buffering=tty or fd == 2,
        )
        streams.append(stream)
    sys.stdout, sys.stderr = streams  # sys.__stdout__ still works: it writes to fd 1
    return lambda: any(stream.wrote for stream in streams)
