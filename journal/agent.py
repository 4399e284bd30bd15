"""The key agent: holds unlocked journals' key-encryption keys in memory for a while.

    python -m journal.agent [--timeout MINUTES] [--background]

As ssh-agent and gpg-agent do, it keeps what makes opening a journal quick
(each passphrase's key-encryption key, `journal.keys.KekStore`) so that later
commands and app starts by the same user derive nothing. It

- listens only on ``$XDG_RUNTIME_DIR/tandem/agent.sock`` (folder 0700, socket
  0600) and answers only processes of its own user (SO_PEERCRED), and refuses
  to run where that cannot be guaranteed (`agent_client.runtime_problem`);
- forgets each key after `timeout` without use (15 minutes by default, the
  ``agent_timeout`` setting or ``--timeout``), on request (`tandem lock`), on
  SIGTERM, SIGHUP or SIGINT, and when the login session ends (the runtime
  folder goes away: checked every few seconds);
- never writes a key anywhere: keys live in locked memory where the system
  allows (``mlock``), are zeroed when forgotten, and the process cannot be
  traced or dumped by others of its user (``PR_SET_DUMPABLE`` 0, no core files).

One agent per user: it holds a lock (``agent.lock``, released by the kernel
even when the agent is killed), so a socket file a killed agent left behind
is removed by the next one instead of blocking it.

The protocol is in journal/agent_client.py. Started as its own process, it
also runs its user's commands in forks that have Tandem imported already, so
that `tandem list` starts in milliseconds (journal/agent_run.py, journal/launch.py).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import ctypes
import fcntl
import json
import os
import resource
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from journal import agent_client, agent_run
from journal.agent_client import (
    LOCK_NAME,
    AgentError,
    agent_folder,
    folder_problem,
    own_uid,
    peer_uid,
    socket_path,
)
from journal.crypto import KEY_SIZE, KdfParams
from journal.errors import DamagedFile
from journal.keys import DEFAULT_TIMEOUT_SECONDS, KekStore

__all__ = ["Agent", "main"]

CHECK_SECONDS = 5.0
"""How often the agent checks that its folder (the login session) is still there."""
TICK_SECONDS = 0.5
"""How long the agent waits for a connection before it looks at the time again."""
CONNECTION_TIMEOUT = 2.0
"""Seconds a connected client has to send its request."""
_JOURNAL_ID_LENGTH = 32


def harden_process() -> None:
    """No core file, and no tracing or reading of this process's memory by others (Linux)."""
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    with contextlib.suppress(OSError, AttributeError, TypeError):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_dumpable = 4
        libc.prctl(pr_set_dumpable, 0, 0, 0, 0)


class Agent:
    """The agent's state and its loop; `serve_forever` runs it until it is told to stop.

    `clock` is injectable for tests (idle timeouts); `check_peer` decides who
    may connect (by default, processes of this user only).
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        folder: Path | None = None,
        run_commands: bool = False,
    ) -> None:
        self.store = KekStore(timeout=timeout, clock=clock)
        self.run_commands = run_commands
        """Whether it runs commands for its user (journal/agent_run.py): only as a process of
        its own, never in a thread of another program (a fork would copy that program)."""
        self._loaded_code: dict[str, int] = agent_run.preload() if run_commands else {}
        self._forks: set[int] = set()
        self.commands_run = 0
        self.folder = folder or agent_folder()
        self.socket_file = self.folder / socket_path().name
        self._lock_handle: int | None = None
        self._listener: socket.socket | None = None
        self._stopping = threading.Event()
        self._last_check = 0.0

    # --- setting up and tearing down -----------------------------------------------------

    def bind(self) -> None:
        """Take the one-agent lock and listen on the socket; raises `AgentError` in one line."""
        problem = folder_problem()
        if problem is not None:
            raise AgentError(problem)
        if not hasattr(socket, "SO_PEERCRED"):
            raise AgentError("this system cannot tell who connects to a socket (no SO_PEERCRED)")
        try:
            os.mkdir(self.folder, 0o700)
        except FileExistsError:
            pass
        except OSError as error:
            raise AgentError(f"cannot make {self.folder}: {error.strerror or error}") from None
        problem = folder_problem()  # made meanwhile by someone else, or a link
        if problem is not None:
            raise AgentError(problem)
        lock_path = self.folder / LOCK_NAME
        handle = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(handle)
            raise AgentError("an agent is already running (tandem agent status)") from None
        self._lock_handle = handle
        # Holding the lock, any socket file is one a killed agent left: remove it.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.socket_file)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old_umask = os.umask(0o177)
        try:
            listener.bind(str(self.socket_file))
        except OSError as error:
            listener.close()
            self.close()
            raise AgentError(f"cannot listen at {self.socket_file}: {error.strerror}") from None
        finally:
            os.umask(old_umask)
        os.chmod(self.socket_file, 0o600)
        listener.listen(16)
        listener.settimeout(TICK_SECONDS)
        self._listener = listener

    def close(self) -> None:
        """Forget every key, stop listening, remove the socket and release the lock."""
        self.store.forget()
        if self._listener is not None:
            self._listener.close()
            self._listener = None
            with contextlib.suppress(OSError):
                os.unlink(self.socket_file)
        if self._lock_handle is not None:
            os.close(self._lock_handle)
            self._lock_handle = None

    def stop(self) -> None:
        """Ask the loop to end (from a signal handler or another thread)."""
        self._stopping.set()

    # --- the loop ---------------------------------------------------------------------------

    def serve_forever(self) -> None:
        """Answer requests until stopped, forgetting idle keys and watching the session."""
        if self._listener is None:
            self.bind()
        try:
            while not self._stopping.is_set():
                self.tick()
                if self._stopping.is_set():
                    break
                try:
                    assert self._listener is not None
                    connection, _address = self._listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    if self._stopping.is_set():
                        break
                    raise
                with connection:
                    self.handle(connection)
        finally:
            self.close()

    def tick(self) -> None:
        """Forget idle keys, reap ended commands; every `CHECK_SECONDS`, stop if the login
        session is gone."""
        self.store.expire()
        self._reap()
        now = time.monotonic()
        if now - self._last_check >= CHECK_SECONDS:
            self._last_check = now
            if not self.session_alive():
                self.stop()

    def session_alive(self) -> bool:
        """Whether the runtime folder and our socket are still there and still ours."""
        if agent_client.runtime_problem() is not None:
            return False
        try:
            info = os.lstat(self.socket_file)
        except OSError:
            return False
        return info.st_uid == own_uid()

    # --- one request ---------------------------------------------------------------------

    def allowed(self, connection: socket.socket) -> bool:
        """Whether the process at the other end runs as this user."""
        try:
            return peer_uid(connection) == own_uid()
        except (AgentError, OSError):
            return False

    def handle(self, connection: socket.socket) -> None:
        """Read one request from `connection` and answer it (a refusal is one answer too)."""
        connection.settimeout(CONNECTION_TIMEOUT)
        fds: list[int] = []
        try:
            allowed = self.allowed(connection)
            # Read even a refused request: the client waits.
            line, fds = agent_run.read_request(connection, agent_client.REQUEST_LIMIT)
            if not allowed:
                self._send(connection, {"ok": False, "error": "not the agent's user"})
                return
            try:
                request = json.loads(line)
            except ValueError:
                self._send(connection, {"ok": False, "error": "not a request"})
                return
            if isinstance(request, dict) and request.get("op") == "run":
                self._send_unless_run(connection, request, fds)
            else:
                self._send(connection, self.answer(request))
        except OSError:
            return  # the client went away
        finally:
            agent_run.close_fds(fds)

    def _send_unless_run(
        self, connection: socket.socket, request: dict[str, Any], fds: list[int]
    ) -> None:
        """Run a command in a fork (which answers the client), or say why not."""
        if not self.run_commands:
            self._send(connection, {"ok": True, "fallback": "this agent runs no commands"})
            return
        problem = agent_run.problem_with(request, fds)
        if problem is not None:
            self._send(connection, {"ok": False, "error": problem})
            return
        if agent_run.other_code(request) or agent_run.code_changed(self._loaded_code):
            self._send(connection, {"ok": True, "fallback": "the agent runs another Tandem"})
            return
        self._forks.add(agent_run.run_in_fork(connection, request, fds, self._leave_in_fork))
        self.commands_run += 1

    def _leave_in_fork(self) -> None:
        """In a command's fork: let go of the socket and the lock (without removing them)."""
        for fd in (self._listener.fileno() if self._listener else None, self._lock_handle):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._listener = None
        self._lock_handle = None

    def _reap(self) -> None:
        for pid in list(self._forks):
            try:
                done, _status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done == pid:
                self._forks.discard(pid)

    @staticmethod
    def _send(connection: socket.socket, answer: dict[str, Any]) -> None:
        connection.sendall(json.dumps(answer).encode("utf-8") + b"\n")

    def answer(self, request: object) -> dict[str, Any]:
        """The answer to one decoded request (see journal/agent_client.py)."""
        if not isinstance(request, dict):
            return {"ok": False, "error": "not a request"}
        op = request.get("op")
        try:
            if op == "status":
                return self._status()
            if op == "get":
                kek = self.store.get(*_key_of(request))
                return {"ok": True, "kek": None if kek is None else _b64(kek)}
            if op == "put":
                journal_id, params = _key_of(request)
                self.store.put(journal_id, params, _kek_of(request))
                return {"ok": True}
            if op == "forget":
                ids = request.get("journal_ids")
                if ids is not None and not (
                    isinstance(ids, list) and all(isinstance(i, str) for i in ids)
                ):
                    return {"ok": False, "error": "journal_ids is not a list of ids"}
                return {"ok": True, "forgot": self.store.forget(ids)}
            if op == "forget_key":
                self.store.forget_key(*_key_of(request))
                return {"ok": True}
            if op == "stop":
                self.stop()
                return {"ok": True}
        except _BadRequest as error:
            return {"ok": False, "error": str(error)}
        return {"ok": False, "error": f"unknown request {str(op)[:20]!r}"}

    def _status(self) -> dict[str, Any]:
        return {
            "ok": True,
            "pid": os.getpid(),
            "held": len(self.store),
            "journals": sorted(self.store.journal_ids()),
            "timeout": self.store.timeout,
            "idle_left": self.store.idle_left(),
            "runs_commands": self.run_commands,
            "commands_run": self.commands_run,
            "commands_peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        }


class _BadRequest(Exception):
    pass


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _key_of(request: dict[str, Any]) -> tuple[str, KdfParams]:
    journal_id = request.get("journal_id")
    if not isinstance(journal_id, str) or len(journal_id) != _JOURNAL_ID_LENGTH:
        raise _BadRequest("bad journal_id")
    try:
        params = KdfParams.from_json(request.get("kdf"))
    except DamagedFile:
        raise _BadRequest("bad kdf") from None
    return journal_id, params


def _kek_of(request: dict[str, Any]) -> bytes:
    try:
        kek = base64.b64decode(str(request.get("kek", "")), validate=True)
    except (binascii.Error, ValueError):
        raise _BadRequest("bad kek") from None
    if len(kek) != KEY_SIZE:
        raise _BadRequest("bad kek")
    return kek


# --- running it -------------------------------------------------------------------------


def _detach_output() -> None:
    """Point stdin, stdout and stderr at /dev/null (the agent started in the background)."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        with contextlib.suppress(OSError):
            os.dup2(devnull, fd)
    os.close(devnull)


def main(argv: list[str] | None = None) -> int:
    """Run the agent until it is stopped; 0 when it stopped, 1 when it could not run."""
    parser = argparse.ArgumentParser(prog="tandem agent", description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=int, metavar="MINUTES", help="forget keys idle so long")
    parser.add_argument("--background", action="store_true", help="no output once listening")
    args = parser.parse_args(argv)
    if args.timeout is not None and args.timeout < 1:
        parser.error("--timeout must be at least 1 minute")
    if args.timeout is None:
        from journal.settings import agent_timeout_minutes

        args.timeout = agent_timeout_minutes()
    harden_process()
    agent = Agent(timeout=args.timeout * 60.0, run_commands=True)
    try:
        agent.bind()
    except AgentError as error:
        sys.stderr.write(f"tandem agent: {error}\n")
        return 1
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, lambda _signum, _frame: agent.stop())
    if args.background:
        _detach_output()
    else:
        sys.stderr.write(f"tandem agent: listening at {agent.socket_file} (pid {os.getpid()})\n")
    agent.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
