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

import _signal as signal  # the C modules: `signal` and `socket` import enum (2 ms)
import _socket as socket
import os
import struct
import sys

try:  # json's C half: `json` itself imports re and enum, 5 ms of a command's start
    from _json import encode_basestring_ascii as _quoted
    from _json import make_scanner as _make_scanner
except ImportError:  # pragma: no cover - a Python built without it
    from json import dumps as _quoted
    from json.scanner import make_scanner as _make_scanner

TYPE_CHECKING = False
if TYPE_CHECKING:  # importing typing costs a command 2 ms of its start
    from types import FrameType
    from typing import Any

__all__ = [
    "HANDED_OVER",
    "Started",
    "agent_socket",
    "hand_over",
    "main",
    "peer_uid",
    "socket_path",
    "start",
    "wait",
]

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
RUNTIME_ENV = "XDG_RUNTIME_DIR"
NO_AGENT_ENV = "TANDEM_NO_AGENT"
FOLDER_NAME = "tandem"
SOCKET_NAME = "agent.sock"
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


def peer_uid(connection: socket.socket) -> int:
    """The user id of the process at the other end of a Unix socket (SO_PEERCRED).

    Raises `OSError` where the system cannot tell (the agent does not run there).
    """
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        raise OSError("this system cannot tell who is at the other end of a socket")
    credentials = connection.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    return int(struct.unpack("3i", credentials)[1])


def _connect(path: str) -> socket.socket | None:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.settimeout(CONNECT_TIMEOUT)
        connection.connect(path)
        if peer_uid(connection) != os.getuid():
            connection.close()  # someone else's socket: never give them our terminal
            return None
    except OSError:
        connection.close()
        return None
    return connection


class _Reading:
    """What `_json.make_scanner` asks of a decoder: plain JSON, nothing converted."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    memo: dict[str, object] = {}

    @staticmethod
    def parse_constant(name: str) -> object:
        raise ValueError(f"not JSON: {name}")


_scan = _make_scanner(_Reading())  # type: ignore[arg-type]  # any object with these fields


def _loads(line: bytes) -> object:
    """One JSON value, the whole of `line` (`ValueError` otherwise)."""
    text = line.decode("utf-8").strip()
    try:
        value, end = _scan(text, 0)
    except StopIteration:
        raise ValueError("not JSON") from None
    if end != len(text):
        raise ValueError("not one JSON value")
    return value


def _dumps(value: object) -> str:
    """`value` (text, whole numbers, true/false/null, lists and objects of them) as JSON."""
    if isinstance(value, str):
        return _quoted(value)
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, dict):
        return "{" + ",".join(_quoted(str(k)) + ":" + _dumps(v) for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_dumps(item) for item in value) + "]"
    raise TypeError(f"cannot send {type(value).__name__}")


class _Answers:
    """The agent's answers on one connection, a JSON object a line."""

    def __init__(self, connection: socket.socket) -> None:
        self.connection = connection
        self._pending = b""  # what came after the last whole line

    def next(self) -> dict[str, object] | None:
        """The next answer; None when the connection ended or sent something else."""
        while b"\n" not in self._pending:
            chunk = self.connection.recv(4096)
            if not chunk:
                return None
            self._pending += chunk
        line, _newline, self._pending = self._pending.partition(b"\n")
        try:
            answer = _loads(line)
        except ValueError:
            return None
        return answer if isinstance(answer, dict) else None


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
    return _dumps(message).encode("ascii") + b"\n"


def _send_with_fds(connection: socket.socket, data: bytes, fds: list[int]) -> None:
    """Send `data`, the descriptors `fds` passed with its first byte (SCM_RIGHTS)."""
    rights = struct.pack(f"{len(fds)}i", *fds)
    sent = connection.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, rights)])
    if sent < len(data):
        connection.sendall(data[sent:])


def socket_path() -> str:
    """Where the agent listens: ``$XDG_RUNTIME_DIR/tandem/agent.sock`` (docs: agent_client)."""
    return os.path.join(os.environ.get(RUNTIME_ENV, ""), FOLDER_NAME, SOCKET_NAME)


def agent_socket() -> str | None:
    """Where an agent may listen, if one may be used at all (a quick look: no connection)."""
    if os.environ.get(NO_AGENT_ENV) == "1" or not os.environ.get(RUNTIME_ENV):
        return None
    path = socket_path()
    return path if os.path.exists(path) else None


class Started:
    """A command or worker the agent took: the fork's pid and its answers to come."""

    def __init__(self, connection: socket.socket, answers: _Answers, pid: int) -> None:
        self.connection = connection
        self.answers = answers
        self.pid = pid

    def __enter__(self) -> Started:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.connection.close()


def start(
    what: dict[str, str | list[str]], fds: tuple[int, int, int], streams: tuple[Any, ...] = ()
) -> Started | None:
    """Have the agent fork and run `what` (``argv`` or ``module``) on `fds` (stdin, stdout,
    stderr) in this folder; None when it will not (run it here)."""
    path = agent_socket()
    connection = _connect(path) if path is not None else None
    if connection is None:
        return None
    try:
        here = os.open(".", os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        connection.close()
        return None  # no readable current folder: the command runs here and says so
    answers = _Answers(connection)
    try:
        request = _request(what, streams or (sys.stdin, sys.stdout, sys.stderr))
        _send_with_fds(connection, request, [*fds, here])
        first = answers.next()
    except OSError:
        first = None
    finally:
        os.close(here)
    pid = first.get("pid") if first and first.get("ok") else None
    if not isinstance(pid, int) or pid <= 0:
        connection.close()
        return None  # refused, an older agent, or it would rather we ran it
    return Started(connection, answers, pid)


def hand_over(argv: list[str]) -> int | None:
    """Run `argv` in the agent: the command's exit code, or None to run it here instead."""
    if not may_hand_over(argv):
        return None
    started = start({"argv": argv}, (0, 1, 2))
    if started is None:
        return None
    with started:
        return wait(started)


def wait(started: Started) -> int | None:
    """The command's exit code once its fork says it (Ctrl+C and hang-ups passed on to it
    meanwhile), or None: the client runs it itself."""

    def pass_on(signum: int, _frame: FrameType | None) -> None:
        try:  # noqa: SIM105 - importing contextlib costs a command 2 ms of its start
            os.kill(started.pid, signum)
        except OSError:
            pass  # it has ended

    before = {signum: signal.signal(signum, pass_on) for signum in _FORWARDED_SIGNALS}
    try:
        return _outcome(started)
    finally:
        for signum, handler in before.items():
            if handler is not None:  # None: set outside Python, left as it is
                signal.signal(signum, handler)


def _outcome(started: Started) -> int | None:
    started.connection.settimeout(None)
    while True:
        try:
            answer = started.answers.next()
        except OSError:
            answer = None
        if answer is None:
            sys.stderr.write("tandem: the agent's copy of the command ended without finishing\n")
            return 1
        if "exit" in answer:
            code = answer["exit"]
            return code if isinstance(code, int) else 1
        if "fallback" in answer:
            return None


def main() -> None:
    """The `tandem` command: in the agent when it can run it, else here (journal.cli.main)."""
    argv = sys.argv[1:]
    code = hand_over(argv)
    if code is None:
        from journal.cli import main as run_here

        sys.exit(run_here(argv))
    # The agent ran it: this process holds nothing to clean up but its two streams, and
    # leaving without the interpreter's shutdown saves every command about 2 ms.
    for stream in (sys.stdout, sys.stderr):
        try:  # noqa: SIM105 - see `wait`
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


if __name__ == "__main__":
    main()
