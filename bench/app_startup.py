"""App start-up benchmark (issue 4, section 7): a table, not a timed test.

    .venv/bin/python bench/app_startup.py [--entries 10000] [--repeat 5]

Times, as separate processes run headless, from process start until the
journal screen is interactive (its entry list drawn with the newest entries)
on a journal of N entries, beside a minimal Textual app (one Static) measured
in the same run. Key derivation is measured on its own and reported beside:
the target is at most 0.5 s more than the minimal app, plus key derivation.
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
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("hello")
    def on_mount(self):
        self.call_after_refresh(self.exit)

Minimal().run(headless=True)
"""

TANDEM = """
import sys, time
from journal.journal import Journal
from screens.app import TandemApp
from widgets.entry_list import EntryList

start = time.perf_counter()
journal = Journal.open(sys.argv[1], sys.argv[2])
unlocked = time.perf_counter() - start

class Timed(TandemApp):
    def on_ready(self):
        self.set_interval(0.005, self._check)
    def _check(self):
        try:
            entries = self.screen.query_one(EntryList)
        except Exception:
            return
        if entries.row_count:  # the newest entries are in the list (and highlighted)
            self.call_after_refresh(self.exit)

Timed(journal, start="journal", watch=False).run(headless=True)
print(f"{unlocked:.4f}")
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
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"benchmark run failed: {result.stderr.strip()[-500:]}")
    return elapsed, result.stdout.strip()


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
        run(TANDEM, str(path), PASSPHRASE, env=env)
        minimal, tandem, unlock = [], [], []
        for _ in range(args.repeat):
            minimal.append(run(MINIMAL, env=env)[0])
            elapsed, printed = run(TANDEM, str(path), PASSPHRASE, env=env)
            tandem.append(elapsed)
            unlock.append(float(printed.splitlines()[-1]))
    m, t, u = (statistics.median(x) for x in (minimal, tandem, unlock))
    over = t - m - u
    print(f"## Start-up to an interactive journal screen, {args.entries:,} entries (headless)\n")
    print(f"{os.cpu_count()} CPUs; median of {args.repeat} runs, each a new process\n")
    print("| what | time |")
    print("|---|---:|")
    print(f"| minimal Textual app (floor) | {m:.2f} s |")
    print(f"| Tandem, start to journal screen | {t:.2f} s |")
    print(f"| of which unlocking (key derivation, decrypt, parse) | {u:.2f} s |")
    verdict = "ok" if over <= 0.5 else "over"
    print(f"| Tandem − floor − unlocking (target ≤ 0.50 s) | {over:.2f} s ({verdict}) |")


if __name__ == "__main__":
    main()
