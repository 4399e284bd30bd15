"""App start-up benchmark (issue 4, section 7): a table, not a timed test.

    .venv/bin/python bench/app_startup.py [--entries 10000] [--repeat 5]

Times, as separate processes run headless, from process start until the
journal screen is interactive (its entry list drawn with the newest entries)
on a journal of N entries, beside a minimal Textual app (one Static) measured
in the same run. The journal is opened as the app's unlock screen opens it
(lazily: older entries are read in the list's worker, after the newest are
shown). Key derivation alone (`fileformat.unlock`) is measured on its own:
the target is at most 0.5 s more than the minimal app, plus key derivation;
decrypting and parsing count against Tandem. Each process prints how long
after its launch the screen update showing it ready was done (the minimal
app: its first; Tandem: the one after the newest entries are in the list),
so the exit of a process holding a large journal is not counted; its whole
wall time is shown beside. The time until all N entries are in the list is
reported too.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "correct horse battery staple, app edition"

MINIMAL = """
import os, time
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("hello")
    def on_mount(self):
        self.call_after_refresh(self.done)
    def done(self):
        print(f"{time.time() - float(os.environ['BENCH_LAUNCHED']):.4f}")
        self.exit()

Minimal().run(headless=True)
"""

TANDEM = """
import os, sys, time
from journal.journal import Journal
from screens.app import TandemApp
from widgets.entry_list import EntryList

path, secret, wanted = sys.argv[1], sys.argv[2], int(sys.argv[3])
journal = Journal.open(path, secret, lazy=True)  # as the unlock screen does

class Timed(TandemApp):
    def on_ready(self):
        self.set_interval(0.005, self._check)
    def _check(self):
        try:
            entries = self.screen.query_one(EntryList)
        except Exception:
            return
        if entries.row_count >= wanted and not self.asked:  # 1: the newest are listed
            self.asked = True
            self.call_after_refresh(self.done)
    asked = False
    def done(self):
        print(f"{time.time() - float(os.environ['BENCH_LAUNCHED']):.4f}")
        self.exit()

Timed(journal, start="journal", watch=False).run(headless=True)
"""

KDF = """
import sys, time
from journal.fileformat import read_container, unlock

header = read_container(sys.argv[1]).header
start = time.perf_counter()
unlock(header, sys.argv[2])
print(f"{time.perf_counter() - start:.4f}")
"""


def make_journal(folder: Path, size: int) -> Path:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("XDG_DATA_HOME", str(folder / "data"))
    from journal.journal import Journal

    path = folder / f"app-{size}.tandem"
    journal, _code = Journal.create(
        path, title="Bench", name="Ana", role="parent", passphrase=PASSPHRASE
    )
    rng = random.Random(size)
    words = ["slept", "woke", "park", "timer", "calm", "asked", "juice", "school", "bath"]
    for n in range(size):
        body = " ".join(rng.choice(words) for _ in range(150))
        journal.add_entry(
            "checkin", f"Day {n}", body=body, occurred_at=f"2026-01-01T{n % 24:02d}:00"
        )
    journal.save()
    return path


def run(code: str, *args: str, env: dict[str, str]) -> tuple[float, str]:
    """Run `code` in a new process: (its wall time, what it printed last).

    The process is told when it was launched (BENCH_LAUNCHED, wall clock), so
    it can print how long after its launch it became interactive.
    """
    start = time.perf_counter()
    env = {**env, "BENCH_LAUNCHED": repr(time.time())}
    result = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"benchmark run failed: {result.stderr.strip()[-500:]}")
    return elapsed, result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.pop("TANDEM_TEST_FAST_KDF", None)
    with tempfile.TemporaryDirectory(prefix="tandem-app-bench-") as tmp:
        folder = Path(tmp)
        env["XDG_DATA_HOME"] = str(folder / "data")
        env["XDG_CONFIG_HOME"] = str(folder / "config")
        print(f"building a journal of {args.entries:,} entries ...", file=sys.stderr)
        path = make_journal(folder, args.entries)
        run(MINIMAL, env=env)  # warm the caches, as a second start would be
        run(TANDEM, str(path), PASSPHRASE, "1", env=env)
        minimal, first, kdf, minimal_wall, first_wall = [], [], [], [], []
        for _ in range(args.repeat):
            wall, ready = run(MINIMAL, env=env)
            minimal.append(float(ready))
            minimal_wall.append(wall)
            wall, ready = run(TANDEM, str(path), PASSPHRASE, "1", env=env)
            first.append(float(ready))
            first_wall.append(wall)
            kdf.append(float(run(KDF, str(path), PASSPHRASE, env=env)[1]))
        every = str(args.entries)
        full = [
            float(run(TANDEM, str(path), PASSPHRASE, every, env=env)[1]) for _ in range(args.repeat)
        ]
    m, t, k, a = (statistics.median(x) for x in (minimal, first, kdf, full))
    mw, tw = statistics.median(minimal_wall), statistics.median(first_wall)
    over = t - m - k
    print(f"## Start-up to an interactive journal screen, {args.entries:,} entries (headless)\n")
    print(
        f"{os.cpu_count()} CPUs; median of {args.repeat} runs, each a new process; "
        f"load average {os.getloadavg()[0]:.1f} at the end. Times are from the launch of "
        "the process to the first screen update that shows it ready; the whole process "
        "(with exit) in brackets.\n"
    )
    print("| what | time |")
    print("|---|---:|")
    print(f"| minimal Textual app (floor) | {m:.2f} s ({mw:.2f} s) |")
    print(f"| Tandem, the journal screen listing the newest entries | {t:.2f} s ({tw:.2f} s) |")
    print(f"| of which key derivation (Argon2id, 64 MiB, 3 passes) | {k:.2f} s |")
    verdict = "ok" if over <= 0.5 else "over"
    print(f"| Tandem − floor − key derivation (target ≤ 0.50 s) | {over:.2f} s ({verdict}) |")
    print(f"| Tandem, until all {args.entries:,} entries are listed | {a:.2f} s |")


if __name__ == "__main__":
    main()
