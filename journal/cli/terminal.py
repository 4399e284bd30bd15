"""What `tandem` is attached to: a terminal to prompt on or run the app in, text on stdin.

Call these through the module (`terminal.interactive()`), so that tests can
replace them.
"""

from __future__ import annotations

import argparse
import os
import sys

from journal.errors import TandemError, UsageError

TERMINAL_ELSEWHERE = False
"""True in the key agent's fork running a command (journal/agent_run.py): its terminal is
the client's, and asking there is left to the client, which then runs the command itself."""


def _leave_to_the_client(why: str) -> None:
    if TERMINAL_ELSEWHERE:
        from journal.agent_run import RunHere

        raise RunHere(why)


def terminal_available() -> bool:
    """True when a hidden prompt can be shown (a controlling terminal exists)."""
    _leave_to_the_client("it asks on the terminal")
    if os.name == "nt":  # pragma: no cover - no /dev/tty there
        return bool(sys.stdin and sys.stdin.isatty())
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return False
    os.close(fd)
    return True


def interactive() -> bool:
    """True when stdin and stdout are a terminal the app can run in."""
    try:
        return bool(sys.stdin and sys.stdin.isatty() and sys.stdout.isatty())
    except (OSError, ValueError):
        return False


def stdin_is_terminal() -> bool:
    """True when stdin is a terminal (a question can be answered)."""
    try:
        return bool(sys.stdin and sys.stdin.isatty())
    except (OSError, ValueError):
        return False


def ask_hidden(prompt: str) -> str:
    """Ask for a secret on the terminal without echoing it."""
    _leave_to_the_client("it asks for a passphrase")
    import getpass

    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise TandemError("no passphrase was entered") from None


def confirm(question: str) -> bool:
    """Ask a yes/no question on the terminal (stderr, stdin); the default is no."""
    _leave_to_the_client("it asks a question")
    sys.stderr.write(f"{question} [y/N] ")
    sys.stderr.flush()
    try:
        answer = sys.stdin.readline()
    except (OSError, ValueError):
        return False
    return answer.strip().casefold() in ("y", "yes")


def stdin_text() -> str | None:
    """The text piped on stdin, or None when stdin is a terminal or missing."""
    stream = sys.stdin
    if stream is None or stream.closed:
        return None
    try:
        if stream.isatty():
            return None
    except (OSError, ValueError):
        return None
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        return stream.read()
    data = buffer.read()
    try:
        return str(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UsageError("the text on stdin is not UTF-8") from None


def body_text(args: argparse.Namespace) -> str:
    """--body TEXT, else the text piped on stdin, else ''."""
    if args.body is not None:
        return str(args.body)
    return stdin_text() or ""
