"""Run one command and report its wall time and peak memory as one JSON line.

    python bench/measure.py TIMEOUT_SECONDS -- COMMAND [ARG]...

A fresh process per measurement, so `RUSAGE_CHILDREN.ru_maxrss` is the peak
resident set of that command alone (the largest of its processes). The wall
time is `time.perf_counter` around `subprocess.run` of the whole command, as a
user would wait for it; the CPU time (user + system) is less disturbed by other
work on the machine. The command's output is captured (a pipe, like `| less`)
and its tail returned so the caller can check it worked.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

TAIL = 2000


def main(argv: list[str]) -> int:
    """Measure `argv[2:]` (after `--`) with a timeout of `argv[0]` seconds."""
    if len(argv) < 3 or argv[1] != "--":
        print("usage: measure.py TIMEOUT -- COMMAND [ARG]...", file=sys.stderr)
        return 2
    timeout = float(argv[0])
    command = argv[2:]
    timed_out = False
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            command, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False
        )
        status: int | None = proc.returncode
        out, err = proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:  # the child has been killed and reaped
        timed_out = True
        status = None
        out = exc.stdout if isinstance(exc.stdout, bytes) else b""
        err = exc.stderr if isinstance(exc.stderr, bytes) else b""
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kib = usage.ru_maxrss  # KiB on Linux
    report = {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_kib": peak_kib,
        "status": status,
        "timed_out": timed_out,
        "stdout_lines": out.count(b"\n"),
        "stdout_tail": out[-TAIL:].decode("utf-8", "replace"),
        "stderr_tail": err[-TAIL:].decode("utf-8", "replace"),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
