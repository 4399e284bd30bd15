"""Work on both cores (journal/both_cores.py): a fork where it is safe, threads elsewhere.

What a fork does is checked in a fresh interpreter (`run_fresh`): it runs one
thread, as a command does, whatever threads the test process has started.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

from journal import both_cores
from journal.both_cores import in_two_processes, two_at_a_time

ROOT = Path(__file__).resolve().parent.parent


def run_fresh(script: str) -> Any:
    """Run `script` in a new interpreter; what it printed last, read as JSON."""
    command = [sys.executable, "-c", textwrap.dedent(script)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_fork_does_every_other_item_and_the_results_keep_their_order() -> None:
    found = run_fresh(
        """
        import json, os
        from journal.both_cores import in_two_processes

        me = os.getpid()
        results = in_two_processes(lambda n: [n * n, os.getpid() != me], list(range(7)))
        try:
            os.waitpid(-1, 0)  # the fork has ended; reap it if this process has not
        except ChildProcessError:
            pass
        print(json.dumps(results))
        """
    )
    assert [square for square, _ in found] == [n * n for n in range(7)]
    assert [elsewhere for _, elsewhere in found] == [n % 2 == 1 for n in range(7)]


def test_the_caller_does_the_half_of_a_fork_whose_work_failed() -> None:
    found = run_fresh(
        """
        import json, os
        from journal.both_cores import in_two_processes

        me = os.getpid()

        def work(n):
            if os.getpid() != me:
                raise ValueError("only in the fork")
            return n + 1

        print(json.dumps(in_two_processes(work, [1, 2, 3, 4])))
        """
    )
    assert found == [2, 3, 4, 5]


def test_an_error_is_raised_as_without_a_fork_and_no_fork_is_left_behind() -> None:
    found = run_fresh(
        """
        import json, os
        from journal.both_cores import in_two_processes

        def work(n):
            if n == 3:
                raise KeyError(n)
            return n

        try:
            in_two_processes(work, [0, 1, 2, 3])  # 3: the fork's, then the caller's
        except KeyError as error:
            raised = repr(error)
        try:
            in_two_processes(lambda n: 1 / n, [0, 1])  # the caller's own half fails
        except ZeroDivisionError:
            raised += " ZeroDivisionError"
        import time
        from journal import both_cores

        deadline = time.monotonic() + 10
        while both_cores._unreaped and time.monotonic() < deadline:
            time.sleep(0.01)  # a fork that had not exited when its answer was read
            both_cores._reap_finished()
        try:
            os.waitpid(-1, os.WNOHANG)
            left = True
        except ChildProcessError:
            left = False
        print(json.dumps([raised, left]))
        """
    )
    assert found == ["KeyError(3) ZeroDivisionError", False]


def test_a_process_running_other_threads_uses_threads_instead() -> None:
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        assert not both_cores.may_fork()
        seen = in_two_processes(lambda n: (n, os.getpid()), list(range(6)))
    finally:
        release.set()
        waiting.join()
    assert seen == [(n, os.getpid()) for n in range(6)]  # all of them here


def test_a_search_of_a_fresh_process_looks_in_half_the_sections_in_a_fork() -> None:
    # As `tandem list --search` runs it: one thread, a journal of several sections.
    found = run_fresh(
        """
        import json, os, tempfile
        from pathlib import Path
        from journal import both_cores, fileformat
        from journal.journal import Journal

        fileformat.HEAD_ENTRIES, fileformat.SECTION_ENTRIES, fileformat.HEAD_ENTRIES_MAX = 4, 6, 9
        forks = []
        fork = os.fork

        def counted_fork():
            pid = fork()
            if pid:
                forks.append(pid)
            return pid

        os.fork = counted_fork
        with tempfile.TemporaryDirectory() as folder:
            os.environ["XDG_DATA_HOME"] = folder
            os.environ["XDG_CONFIG_HOME"] = folder
            path = Path(folder) / "family.tandem"
            secret = "a long enough passphrase, red kite"
            journal, _code = Journal.create(
                path, title="Sam", name="Ana", role="parent", passphrase=secret
            )
            for n in range(40):
                word = "Trampoline" if n % 3 == 0 else "swing"
                journal.add_entry("checkin", f"entry {n}", f"{word} day {n}")
            journal.save()
            lazy = Journal.open(path, secret, lazy=True)
            found = [e.title for e in lazy.entries(search="trampoline")]
            still_lazy = lazy.file.lazy
            eager = Journal.open(path, secret)
            print(json.dumps([found, [e.title for e in eager.entries(search="trampoline")],
                              len(forks), still_lazy]))
        """
    )
    lazily, eagerly, forks, still_lazy = found
    assert lazily == eagerly and len(lazily) == 14
    assert forks == 1 and still_lazy


def test_two_threads_keep_the_order_and_raise_the_error() -> None:
    assert two_at_a_time(lambda n: n * 2, list(range(9))) == [n * 2 for n in range(9)]
    assert two_at_a_time(lambda n: n, []) == []
    assert two_at_a_time(lambda n: -n, [1, 2, 3]) == [-1, -2, -3]

    def fails_on_odd(n: int) -> int:
        if n % 2:
            raise ValueError(n)
        return n

    with pytest.raises(ValueError):
        two_at_a_time(fails_on_odd, list(range(4)))
