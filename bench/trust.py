"""Trust benchmark (issue #11 §6): what signing every change costs, beside the release before.

    .venv/bin/python bench/trust.py [--entries 10000] [--changes 1000] [--runs 5]

The same journal of N entries (about 1 KB each) is built twice: with this
code (format 3: every change signed, checked at merge) and with the release
before format 3 (`BEFORE`, taken read-only from git into a temporary folder).
Measured side by side, with the real key derivation and each command in a
fresh process with bytecode caches on, run once untimed first: `tandem list
-n 10` and `tandem add` (targets: at most 1.2x before), and merging a copy
that diverged by 1,000 changes on each side (`merge_copy`: read, decrypt,
check the signatures new to the journal, merge).
With this code only: signing N changes, and checking every signature of the
journal (`tandem verify`'s check; target under 1 s at 10,000 entries).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "d772f21^"
"""The last commit before format 3 (signatures)."""
PASSPHRASE = "correct horse battery staple, trust edition"

BUILD = r"""
import random, sys, time
from journal.journal import Journal
path, size, changes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
WORDS = "slept woke breakfast refused tried new words park transition timer calm cried".split()
def text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))
journal, _code = Journal.create(path, title="Bench", name="Ana", role="parent",
                                passphrase=sys.argv[4])
rng = random.Random(size)
ids = [journal.add_entry("checkin", f"Day {n}", body=text(rng, 150)).id for n in range(size)]
journal.save()
import shutil
for side in ("a", "b"):
    shutil.copyfile(path, f"{path}.{side}")
    copy = Journal.open(f"{path}.{side}", sys.argv[4])
    rng = random.Random(side)
    for n in range(changes):
        if n % 2:
            copy.edit_entry(rng.choice(ids), body=text(rng, 150))
        else:
            copy.add_entry("win", f"{side} {n}", body=text(rng, 40))
    copy.save()
"""

MERGE = r"""
import sys, time
from journal.journal import Journal
journal = Journal.open(sys.argv[1] + ".a", sys.argv[2])
journal.document()
start = time.perf_counter()
journal.merge_copy(sys.argv[1] + ".b")
print(time.perf_counter() - start)
"""


def old_tree(folder: Path) -> Path | None:
    """The release before format 3, extracted read-only from git (None without git)."""
    target = folder / "before"
    target.mkdir()
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", BEFORE, "journal"],
            capture_output=True,
            check=True,
        )
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return target


def environment(code: Path, home: Path) -> dict[str, str]:
    """Real key derivation, private folders, and bytecode caches on (as installed)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TANDEM_") and key != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(
        PYTHONPATH=str(code),
        TANDEM_PASSPHRASE=PASSPHRASE,
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    return env


def python(code: Path, home: Path, *args: str, timeout: float = 3600) -> str:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=home,
        env=environment(code, home),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"bench failed: {' '.join(args[:3])}: {result.stderr.strip()[-500:]}")
    return result.stdout


def timed(code: Path, home: Path, runs: int, *args: str) -> float:
    """The median wall time of a `tandem` command in a fresh process (once untimed first)."""
    python(code, home, "-m", "journal", *args)
    times = []
    for _run in range(runs):
        start = time.perf_counter()
        python(code, home, "-m", "journal", *args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def side(code: Path, folder: Path, size: int, changes: int, runs: int) -> dict[str, float]:
    """Build the journal with `code`, then time list, add and a merge of two diverged copies."""
    home = folder / "home"
    home.mkdir()
    path = folder / "journal.tandem"
    python(code, home, "-c", BUILD, str(path), str(size), str(changes), PASSPHRASE)
    return {
        "list": timed(code, home, runs, "list", str(path), "-n", "10"),
        "add": timed(code, home, runs, "add", str(path), "--kind", "win", "--title", "Bench"),
        "merge": statistics.median(
            float(python(code, home, "-c", MERGE, str(path), PASSPHRASE)) for _ in range(runs)
        ),
    }


def now_only(folder: Path, size: int) -> dict[str, float]:
    """Signing N changes and checking every signature of an N-entry journal (this code)."""
    sys.path.insert(0, str(ROOT))
    os.environ["XDG_DATA_HOME"] = str(folder / "data-now")
    from journal.journal import Journal
    from journal.signing import changes_of, sign_change

    journal = Journal.open(folder / "now" / "journal.tandem", PASSPHRASE)
    entries = journal.document()["entries"]
    keys = journal.file.member_keys
    assert keys is not None
    start = time.perf_counter()
    signed = 0
    for record_id, doc in list(entries.items())[:size]:
        for dot, change in changes_of("entries", record_id, doc).items():
            sign_change(
                keys,
                journal.journal_id,
                "entries",
                record_id,
                dot,
                change.info,
                change.context,
                change.values,
            )
            signed += 1
    sign = (time.perf_counter() - start) * size / max(signed, 1)
    start = time.perf_counter()
    report = journal.verify_signatures()
    verify = time.perf_counter() - start
    assert report.invalid == 0 and report.verified >= size, report
    shown = journal.entry_docs(limit=10)
    start = time.perf_counter()
    for doc in shown:
        journal.record_trust(doc["id"])
    lazy = time.perf_counter() - start
    return {"sign": sign, "verify": verify, "lazy": lazy}


def row(name: str, before: float | None, now: float, target: str = "") -> str:
    ratio = f"{now / before:5.2f}x" if before else "     -"
    shown_before = f"{before:8.3f} s" if before is not None else "         -"
    return f"{name:<44} {shown_before}  {now:8.3f} s  {ratio}  {target}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="tandem-bench-trust-"))
    try:
        before_code = old_tree(folder)
        (folder / "now").mkdir()
        now = side(ROOT, folder / "now", args.entries, args.changes, args.runs)
        before: dict[str, float] = {}
        if before_code is not None:
            (folder / "then").mkdir()
            before = side(before_code, folder / "then", args.entries, args.changes, args.runs)
        extra = now_only(folder, args.entries)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    n, c = f"{args.entries:,}", f"{args.changes:,}"
    print(f"Trust (issue #11), {n} entries, median of {args.runs} runs; before = {BEFORE}")
    print(f"{'':<44} {'before':>10}  {'now':>10}  {'ratio':>6}  target")
    ratio_target = "<= 1.20x"
    print(row("tandem list -n 10", before.get("list"), now["list"], ratio_target))
    print(row("tandem add", before.get("add"), now["add"], ratio_target))
    print(row(f"merge a copy, {c} changes each side", before.get("merge"), now["merge"]))
    print(row(f"sign {n} changes", None, extra["sign"]))
    print(row(f"check every signature ({n} entries)", None, extra["verify"], "< 1 s"))
    print(row("check the 10 entries list -n 10 shows", None, extra["lazy"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
