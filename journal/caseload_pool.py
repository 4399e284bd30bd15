"""Reading a large caseload on every core: a few worker processes, each case as it comes.

    for case in read_cases(paths, holder=agent): ...      # in the order they are read

Reading one journal's case is mostly decrypting, parsing and checking its
records: Python work that one process does on one core. With many journals
and more than one core, `read_cases` starts a worker process per core
(``python -m journal.caseload_pool``), gives each every n-th journal, and
yields the cases as the workers print them. Fewer journals are read here,
one after the other (starting a process costs more than it saves).

What a worker is told comes on its stdin, never in its arguments: the paths,
the keys this process holds (a `KekStore`, or `use_agent` to ask the agent
itself) and the passphrase, if one was typed. It answers one JSON line per
journal: the case, and the key that opened it when the passphrase did (for
the holder here to keep). A worker that fails leaves its journals to be read
here instead.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
from collections.abc import Generator, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from journal import launch
from journal.caseload import Case, open_case
from journal.crypto import KdfParams
from journal.keys import KekStore, KeyHolder
from journal.launch import Started

__all__ = ["PARALLEL_FROM", "read_cases"]

PARALLEL_FROM = 8
"""From this many journals on, cases are read by worker processes (when there are cores)."""


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def read_cases(
    paths: Iterable[Path],
    *,
    holder: KeyHolder | None = None,
    secret: str | None = None,
    now: datetime | None = None,
    workers: int | None = None,
) -> Generator[Case, None, None]:
    """Each journal's case (`caseload.open_case`), as soon as it is read (close the
    generator to stop early: its worker processes are stopped too).

    `holder` is the agent (`AgentClient`, which each worker asks itself) or a
    `KekStore`, whose keys go to the workers and which receives the keys a
    typed `secret` opened. `workers` defaults to one per core.
    """
    paths = [Path(p) for p in paths]
    count = min(workers or _cores(), len(paths))
    if count < 2 or len(paths) < PARALLEL_FROM and workers is None:
        for path in paths:
            yield open_case(path, holder=holder, secret=secret, now=now)[0]
        return
    yield from _in_workers(paths, count, holder, secret, now or datetime.now(UTC))


def _task(paths: list[Path], holder: KeyHolder | None, secret: str | None, now: datetime) -> bytes:
    from journal.agent_client import AgentClient

    keks = holder.items() if isinstance(holder, KekStore) else []
    task = {
        "paths": [str(p) for p in paths],
        "agent": isinstance(holder, AgentClient),
        "keks": [[jid, params.to_json(), _b64(kek)] for jid, params, kek in keks],
        "secret": secret,
        "now": now.isoformat(),
    }
    return json.dumps(task).encode("utf-8")


class _Worker:
    """A reading worker: a fork of the key agent, which has Tandem imported already
    (journal/agent_run.py), or else a new Python process."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._agent: Started | None = None
        started = self._in_agent()
        if started is None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "journal.caseload_pool"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                close_fds=True,
            )
            assert self._process.stdin is not None and self._process.stdout is not None
            self.stdin: IO[bytes] = self._process.stdin
            self.stdout: IO[bytes] = self._process.stdout
        else:
            self.stdin, self.stdout = started

    def _in_agent(self) -> tuple[IO[bytes], IO[bytes]] | None:
        if launch.agent_socket() is None:
            return None
        task_read, task_write = os.pipe()
        answer_read, answer_write = os.pipe()
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            started = launch.start(
                {"module": "journal.caseload_pool"}, (task_read, answer_write, devnull)
            )
        finally:
            for fd in (task_read, answer_write, devnull):
                os.close(fd)
        if started is None:
            os.close(task_write)
            os.close(answer_read)
            return None
        self._agent = started
        return os.fdopen(task_write, "wb"), os.fdopen(answer_read, "rb")

    def stop(self, *, finished: bool) -> None:
        """Stop the worker unless it `finished` (its answers ended), and let it go."""
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
        if self._agent is not None:
            if not finished:  # still running (so not yet reaped: the pid is still its own)
                with contextlib.suppress(OSError):
                    os.kill(self._agent.pid, signal.SIGKILL)
            self._agent.connection.close()
        self.stdout.close()


def _in_workers(
    paths: list[Path], count: int, holder: KeyHolder | None, secret: str | None, now: datetime
) -> Iterator[Case]:
    shares = [paths[n::count] for n in range(count)]
    selector = selectors.DefaultSelector()
    workers: list[_Worker] = []
    left = set(paths)
    try:
        for share in shares:
            worker = _Worker()
            try:
                worker.stdin.write(_task(share, holder, secret, now))
                worker.stdin.close()
            except BrokenPipeError:  # the worker died at once: its journals are read here
                pass
            workers.append(worker)
            selector.register(worker.stdout, selectors.EVENT_READ, bytearray())
        while selector.get_map():
            for key, _events in selector.select():
                stream, pending = key.fileobj, key.data
                chunk = os.read(stream.fileno(), 65536)  # type: ignore[union-attr]
                if not chunk:
                    selector.unregister(stream)
                    continue
                pending.extend(chunk)
                while b"\n" in pending:
                    line, _newline, rest = bytes(pending).partition(b"\n")
                    pending[:] = rest
                    case = _answer(line, holder)
                    if case is not None and case.path in left:
                        left.discard(case.path)
                        yield case
    finally:
        reading = {key.fileobj for key in selector.get_map().values()}
        selector.close()
        for worker in workers:
            worker.stop(finished=worker.stdout not in reading)
    for path in [p for p in paths if p in left]:  # a worker failed: read them here
        yield open_case(path, holder=holder, secret=secret, now=now)[0]


def _answer(line: bytes, holder: KeyHolder | None) -> Case | None:
    try:
        data = json.loads(line)
        case = Case.from_json(data["case"])
        for journal_id, kdf, kek in data.get("keks", []):
            if holder is not None:
                holder.put(journal_id, KdfParams.from_json(kdf), base64.b64decode(kek))
    except (ValueError, KeyError, TypeError):
        return None
    return case


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --- the worker ---------------------------------------------------------------------------


class _Recording(KekStore):
    """A store that remembers which keys were put in it (to send them back)."""

    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.new: list[tuple[str, KdfParams, bytes]] = []

    def put(self, journal_id: str, params: KdfParams, kek: bytes) -> None:
        super().put(journal_id, params, kek)
        self.new.append((journal_id, params, kek))


def work(task: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A worker's answers for its task: one per journal, in its order."""
    from journal.agent_client import agent_for_commands

    store = _Recording()
    for journal_id, kdf, kek in task.get("keks", []):
        KekStore.put(store, journal_id, KdfParams.from_json(kdf), base64.b64decode(kek))
    holder: KeyHolder = (agent_for_commands() or store) if task.get("agent") else store
    now = datetime.fromisoformat(task["now"])
    for path in task["paths"]:
        store.new = []
        case = open_case(path, holder=holder, secret=task.get("secret"), now=now)[0]
        keks = [[jid, params.to_json(), _b64(kek)] for jid, params, kek in store.new]
        yield {"case": case.to_json(), "keks": keks}


def main() -> int:
    """Read a task on stdin; print one JSON line per journal."""
    task = json.loads(sys.stdin.buffer.read())
    for answer in work(task):
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
