"""Work on a list of items using both cores: two threads, or this process and a fork.

A search over the sections of a large journal unpacks each section (zstd lets
go of the interpreter lock) and then looks through it (lowering and finding
hold the lock). Two threads overlap only the unpacking; the looking, about
half of the time, stays on one core. A fork of a process that runs one thread
looks through half of the sections on the other core, and sends back what it
found; measured at 10,000 entries (19 MB of sections) in the key agent's
command fork: 24 ms with two threads, 14 ms with a fork (bench/caseload.py).

A fork is taken only where it is safe: a system that has `os.fork`, and a
process that runs one thread (a fork copies no lock another thread holds).
The Textual app runs several, so it always uses threads.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["in_two_processes", "may_fork", "two_at_a_time"]

Item = TypeVar("Item")
Result = TypeVar("Result")

_FAILED = b"!"
"""What the fork writes when its work raised: this process then does that half itself."""

_unreaped: set[int] = set()
"""Forks that had not exited yet when their answer was read (reaped at the next call)."""


def two_at_a_time(work: Callable[[Item], Result], items: list[Item]) -> list[Result]:
    """`work` on each item, results in order: every other item on a second thread.

    For work that lets go of the interpreter lock for part of its time (unpacking
    or compressing a section with zstd, an Ed25519 check): one item's share runs
    while the other thread holds the lock. An error is raised on the caller's thread.
    """
    if len(items) < 2:
        return [work(item) for item in items]
    theirs: list[Result] = []
    failed: list[BaseException] = []

    def help_() -> None:
        try:
            theirs.extend(work(item) for item in items[1::2])
        except BaseException as error:  # raised again on the caller's thread
            failed.append(error)

    helper = threading.Thread(target=help_, name="tandem-half")
    helper.start()
    try:
        mine = [work(item) for item in items[0::2]]
    finally:
        helper.join()
    if failed:
        raise failed[0]
    return _interleaved(mine, theirs)


def may_fork() -> bool:
    """Whether this process may fork a helper: it can, and it runs one thread."""
    return hasattr(os, "fork") and threading.active_count() == 1


def in_two_processes(work: Callable[[Item], Any], items: list[Item]) -> list[Any]:
    """`work` on each item, results in order: every other item in a fork of this process.

    The results must be values `marshal` writes (bytes, str, numbers, None and
    lists of them): the fork sends them back through a pipe. When the fork's
    work raises, or it cannot be made, this process does its items itself, so
    an error is raised here as it would be without a fork. Falls back to
    `two_at_a_time` where a fork is not safe (`may_fork`).
    """
    _reap_finished()
    if len(items) < 2 or not may_fork():
        return two_at_a_time(work, items)
    theirs = items[1::2]
    reading, writing = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(reading)
        os.close(writing)
        return two_at_a_time(work, items)
    if pid == 0:
        _help(work, theirs, reading, writing)
    os.close(writing)
    try:
        mine = [work(item) for item in items[0::2]]
        answer = _read_all(reading)
    except BaseException:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        _reap(pid, wait=True)
        raise
    finally:
        os.close(reading)
    _reap(pid, wait=False)
    helped = _decoded(answer, len(theirs))
    if helped is None:
        helped = [work(item) for item in theirs]
    return _interleaved(mine, helped)


def _interleaved(evens: list[Any], odds: list[Any]) -> list[Any]:
    """The results of items 0, 2, 4, ... and 1, 3, 5, ... back in the items' order."""
    results: list[Any] = [None] * (len(evens) + len(odds))
    results[0::2] = evens
    results[1::2] = odds
    return results


def _help(work: Callable[[Item], Any], items: list[Item], reading: int, writing: int) -> None:
    """In the fork: do `items`, write the results, and leave without any clean-up of the
    process it was forked from (its buffers, its exit handlers, its files)."""
    try:
        os.close(reading)
        try:
            answer = marshal.dumps([work(item) for item in items])
        except BaseException:
            answer = _FAILED
        view = memoryview(answer)
        while view:
            view = view[os.write(writing, view) :]
        os.close(writing)  # the answer is whole before this process's memory is let go
    finally:
        os._exit(0)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _decoded(answer: bytes, count: int) -> list[Any] | None:
    """The fork's `count` results, or None when it failed or was stopped before the end."""
    if answer == _FAILED:
        return None
    try:
        results = marshal.loads(answer)
    except (EOFError, ValueError, TypeError):
        return None
    return results if isinstance(results, list) and len(results) == count else None


def _reap(pid: int, *, wait: bool) -> None:
    try:
        done, _status = os.waitpid(pid, 0 if wait else os.WNOHANG)
    except ChildProcessError:
        return
    if done != pid:
        _unreaped.add(pid)  # still letting go of its memory: not worth waiting for


def _reap_finished() -> None:
    for pid in list(_unreaped):
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(pid, os.WNOHANG)[0] == 0:
                continue
        _unreaped.discard(pid)
