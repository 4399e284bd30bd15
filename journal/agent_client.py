"""Talking to the key agent (journal/agent.py): where it listens, and a client.

The agent listens on ``$XDG_RUNTIME_DIR/tandem/agent.sock``: a folder private
to the user (0700) that the login session owns and removes at logout. Each
request is one line of JSON and gets one line back, on its own connection:

    {"op": "get", "journal_id": ..., "kdf": {...}}      -> {"ok": true, "kek": b64 or null}
    {"op": "put", "journal_id": ..., "kdf": {...}, "kek": b64}
    {"op": "forget", "journal_ids": [...] or null}     -> {"ok": true, "forgot": n}
    {"op": "forget_key", "journal_id": ..., "kdf": {...}}
    {"op": "status"}  -> {"ok": true, "pid", "held", "journals", "timeout", "idle_left"}
    {"op": "stop"}

`AgentClient` is a `journal.keys.KeyHolder`. `agent_for_commands` finds the
agent a command should use: none with ``--no-agent``, when the person has not
turned it on (journal/settings.py), or when it is not running. This module
is imported by every command that opens a journal: it imports only the
standard library until it is used.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal import launch
from journal.errors import TandemError

if TYPE_CHECKING:
    from journal.crypto import KdfParams

__all__ = [
    "AgentClient",
    "AgentError",
    "agent_folder",
    "agent_for_commands",
    "agent_may_answer",
    "peer_uid",
    "runtime_problem",
    "socket_path",
    "start_agent",
]

RUNTIME_ENV, NO_AGENT_ENV = launch.RUNTIME_ENV, launch.NO_AGENT_ENV
FOLDER_NAME, SOCKET_NAME = launch.FOLDER_NAME, launch.SOCKET_NAME
LOCK_NAME = "agent.lock"
REQUEST_LIMIT = 64 * 1024
"""The longest request or answer line, in bytes."""
CLIENT_TIMEOUT = 5.0
"""Seconds a client waits for the agent's answer."""
START_WAIT = 5.0
"""Seconds `start_agent` waits for a new agent to answer."""


class AgentError(TandemError):
    """The agent cannot run here, or did not answer as it should."""


def own_uid() -> int:
    """This user's id (a function, so that tests can pretend to be someone else)."""
    return os.getuid()


def runtime_problem() -> str | None:
    """Why the agent cannot keep keys here (one line), or None when $XDG_RUNTIME_DIR is fit.

    It must be set, be a folder (not a link), be owned by this user and be
    private to them (0700): the login session removes it at logout.
    """
    value = os.environ.get(RUNTIME_ENV, "")
    if not value:
        return (
            f"{RUNTIME_ENV} is not set, so there is no private folder that ends with "
            "your login session; the agent does not run without one"
        )
    return _private_folder_problem(Path(value), RUNTIME_ENV)


def _private_folder_problem(folder: Path, name: str) -> str | None:
    try:
        info = os.lstat(folder)
    except OSError:
        return f"{name} ({folder}) does not exist; the agent does not run without it"
    if not stat.S_ISDIR(info.st_mode):
        return f"{name} ({folder}) is not a folder; the agent does not run there"
    if info.st_uid != own_uid():
        return f"{name} ({folder}) belongs to another user; the agent does not run there"
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        return (
            f"{name} ({folder}) can be opened by other users (mode {mode:04o}, not 0700); "
            "the agent does not run there"
        )
    return None


def agent_folder() -> Path:
    """The agent's private folder: ``$XDG_RUNTIME_DIR/tandem`` (it may not exist yet)."""
    return Path(os.environ.get(RUNTIME_ENV, "")) / FOLDER_NAME


def socket_path() -> Path:
    """Where the agent listens."""
    return Path(launch.socket_path())


def folder_problem() -> str | None:
    """`runtime_problem`, then the same checks of the agent's own folder if it exists."""
    problem = runtime_problem()
    if problem is None and os.path.lexists(agent_folder()):
        problem = _private_folder_problem(agent_folder(), f"{RUNTIME_ENV}/{FOLDER_NAME}")
    return problem


def peer_uid(connection: socket.socket) -> int:
    """The user id of the process at the other end of a Unix socket (SO_PEERCRED)."""
    if not hasattr(socket, "SO_PEERCRED"):
        raise AgentError("this system cannot tell who connects to a socket (no SO_PEERCRED)")
    return launch.peer_uid(connection)


def kdf_json(params: KdfParams) -> dict[str, Any]:
    """KDF parameters as the protocol sends them."""
    return params.to_json()


def read_line(connection: socket.socket) -> bytes:
    """One line from `connection` (without its newline), at most `REQUEST_LIMIT` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = connection.recv(4096)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if b"\n" in chunk or size > REQUEST_LIMIT:
            break
    data = b"".join(chunks)
    line, newline, _rest = data.partition(b"\n")
    if not newline or len(line) > REQUEST_LIMIT:
        raise AgentError("the agent's connection sent no complete line")
    return line


class AgentClient:
    """Requests to a running agent, one connection each; a `journal.keys.KeyHolder`."""

    def __init__(self, path: Path | None = None, *, timeout: float = CLIENT_TIMEOUT) -> None:
        self.path = path or socket_path()
        self.timeout = timeout

    @classmethod
    def running(cls, path: Path | None = None) -> AgentClient | None:
        """A client of the agent if one answers at `path` (default: `socket_path`), else None."""
        client = cls(path)
        if not os.path.exists(client.path):
            return None
        try:
            client.request({"op": "status"})
        except (AgentError, OSError):
            return None
        return client

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send one request and return the answer; raises `AgentError` or `OSError`."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(self.timeout)
            connection.connect(str(self.path))
            if peer_uid(connection) != own_uid():
                raise AgentError("the process at the agent's socket belongs to another user")
            connection.sendall(json.dumps(message).encode("utf-8") + b"\n")
            line = read_line(connection)
        try:
            answer = json.loads(line)
        except ValueError:
            raise AgentError("the agent's answer is not JSON") from None
        if not isinstance(answer, dict):
            raise AgentError("the agent's answer is not an object")
        if not answer.get("ok"):
            raise AgentError(f"the agent refused: {answer.get('error', 'no reason given')}")
        return answer

    # --- KeyHolder ----------------------------------------------------------------------

    def get(self, journal_id: str, params: KdfParams) -> bytes | None:
        """The KEK the agent holds for this journal and these parameters, or None."""
        try:
            answer = self.request({"op": "get", "journal_id": journal_id, "kdf": kdf_json(params)})
        except (AgentError, OSError):
            return None
        kek = answer.get("kek")
        if not isinstance(kek, str):
            return None
        try:
            return base64.b64decode(kek, validate=True)
        except ValueError:
            return None

    def put(self, journal_id: str, params: KdfParams, kek: bytes) -> None:
        """Have the agent hold `kek` (a failure only means the next command asks again)."""
        message = {
            "op": "put",
            "journal_id": journal_id,
            "kdf": kdf_json(params),
            "kek": base64.b64encode(kek).decode("ascii"),
        }
        with contextlib.suppress(AgentError, OSError):
            self.request(message)

    def forget(self, journal_ids: Iterable[str] | None = None) -> int:
        """Have the agent forget these journals' keys (None: all); how many it held."""
        ids = None if journal_ids is None else list(journal_ids)
        answer = self.request({"op": "forget", "journal_ids": ids})
        forgot = answer.get("forgot", 0)
        return forgot if isinstance(forgot, int) else 0

    def forget_key(self, journal_id: str, params: KdfParams) -> None:
        """Have the agent forget one key (one that no longer opens its journal)."""
        with contextlib.suppress(AgentError, OSError):
            self.request({"op": "forget_key", "journal_id": journal_id, "kdf": kdf_json(params)})

    def status(self) -> dict[str, Any]:
        """The agent's pid, how many keys it holds, its timeout and the idle time left."""
        return self.request({"op": "status"})

    def stop(self) -> None:
        """Ask the agent to forget every key and stop."""
        self.request({"op": "stop"})


def agent_may_answer() -> bool:
    """A quick guess (no connection): an agent may be listening, and may be used.

    False with ``TANDEM_NO_AGENT=1`` (what `--no-agent` sets for the app).
    """
    return launch.agent_socket() is not None


def agent_for_commands(*, no_agent: bool = False) -> AgentClient | None:
    """The agent a command uses: None with `no_agent`, when it is off or not running."""
    if no_agent or not agent_may_answer():  # the cheap test first: most people run none
        return None
    from journal.settings import agent_enabled

    if not agent_enabled():
        return None
    return AgentClient.running()


def start_agent(timeout_minutes: int | None = None) -> tuple[AgentClient, bool]:
    """The running agent, started first (in the background) if none answers.

    Returns the client and whether it was started now. Raises `AgentError`
    with one line when it cannot run here or did not start.
    """
    problem = folder_problem()
    if problem is not None:
        raise AgentError(problem)
    client = AgentClient.running()
    if client is not None:
        return client, False
    command = [sys.executable, "-m", "journal.agent", "--background"]
    if timeout_minutes is not None:
        command += ["--timeout", str(timeout_minutes)]
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # not stopped by the terminal's Ctrl+C or hang-up
        close_fds=True,
    )
    deadline = time.monotonic() + START_WAIT
    while time.monotonic() < deadline:
        client = AgentClient.running()
        if client is not None:
            if process.stderr is not None:
                process.stderr.close()
            return client, True
        if process.poll() is not None:
            stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
            lines = [line for line in stderr.strip().splitlines() if line.strip()]
            reason = lines[-1].removeprefix("tandem agent: ") if lines else "it stopped"
            raise AgentError(f"the agent did not start: {reason}")
        time.sleep(0.02)
    process.terminate()
    raise AgentError("the agent did not start: it did not answer within 5 seconds")
