"""What the tests that run key agents share: a short private runtime folder, and stopping.

Unix socket paths are short (108 bytes), so the runtime folder is made in the
system's temporary folder, not pytest's deep `tmp_path`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from journal.agent_client import AgentClient

__all__ = ["agent_runtime", "make_runtime", "stop_agents"]


def make_runtime() -> Path:
    """A new folder that can stand for $XDG_RUNTIME_DIR: private (0700) and short."""
    folder = Path(tempfile.mkdtemp(prefix="tdr-"))
    os.chmod(folder, 0o700)
    return folder


@contextlib.contextmanager
def agent_runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private runtime folder set as $XDG_RUNTIME_DIR; every agent started in it is stopped
    at the end, and the folder removed."""
    folder = make_runtime()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    try:
        yield folder
    finally:
        stop_agents(folder)


def stop_agents(folder: Path) -> None:
    """Stop the agent listening in `folder` (killing it if it will not stop), then remove it."""
    client = AgentClient(folder / "tandem" / "agent.sock", timeout=2.0)
    pid: int | None = None
    with contextlib.suppress(Exception):
        pid = int(client.status()["pid"])
        client.stop()
    if pid is not None and pid != os.getpid():
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.05)
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False  # a child of ours that has ended (reaped now)
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
