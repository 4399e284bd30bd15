"""Merge benchmark (issue 3, section 6): a table, not a timed test.

    .venv/bin/python bench/merge.py [--sizes 10000,100000]

Two copies of a journal of N entries (about 1 KB each) diverge by 1,000
changes on each side (edits, new entries, deletes, comments). Measures, in one
run: unlocking both copies (real Argon2id), the merge itself
(`merge_documents`), merging the other file end to end (`merge_copy`: read,
decrypt, merge), and the floor: the plainest possible union of the two
documents' records (a dict update per table), which any merge must at least do.
Target: the merge itself under 1 s at 10,000 entries on 2 cores, growing
linearly.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("XDG_DATA_HOME", tempfile.mkdtemp(prefix="tandem-bench-data-"))

from journal.journal import Journal  # noqa: E402
from journal.merge import merge_documents  # noqa: E402
from journal.model import TABLES  # noqa: E402

PASSPHRASE = "correct horse battery staple, merge edition"
CHANGES = 1000
WORDS = [
    *("slept", "woke", "breakfast", "refused", "tried", "new", "words", "park"),
    *("transition", "timer", "calm", "cried", "asked", "juice", "school", "bus"),
    *("therapist", "session", "praise", "tokens", "bath", "bedtime", "story", "shoes"),
]


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def build(folder: Path, size: int) -> Path:
    path = folder / f"journal-{size}.tandem"
    journal, _code = Journal.create(
        path, title="Bench", name="Ana", role="parent", passphrase=PASSPHRASE
    )
    rng = random.Random(size)
    for n in range(size):
        journal.add_entry("checkin", f"Day {n}", body=text(rng, 150))
    journal.save()
    return path


def diverge(path: Path, seed: int) -> None:
    journal = Journal.open(path, PASSPHRASE)
    rng = random.Random(seed)
    ids = list(journal.document()["entries"])
    for n in range(CHANGES):
        roll = rng.random()
        entry_id = rng.choice(ids)
        if roll < 0.4:
            try:
                journal.edit_entry(entry_id, body=text(rng, 150))
            except Exception:  # a deleted or conflicting entry: just pick another change
                journal.add_entry("win", f"win {seed}-{n}")
        elif roll < 0.6:
            journal.add_entry("observation", f"new {seed}-{n}", body=text(rng, 100))
        elif roll < 0.7:
            try:
                journal.delete(entry_id)
            except Exception:
                journal.add_entry("win", f"win {seed}-{n}")
        else:
            journal.comment(entry_id, text(rng, 20))
    journal.save()


def best_of(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times) if repeat > 1 else times[0]


def measure(size: int, folder: Path, repeat: int) -> dict[str, float]:
    base = build(folder, size)
    mine, theirs = folder / f"mine-{size}.tandem", folder / f"theirs-{size}.tandem"
    shutil.copyfile(base, mine)
    shutil.copyfile(base, theirs)
    diverge(mine, 1)
    diverge(theirs, 2)
    unlock = best_of(1, lambda: (Journal.open(mine, PASSPHRASE), Journal.open(theirs, PASSPHRASE)))
    a = Journal.open(mine, PASSPHRASE)
    b = Journal.open(theirs, PASSPHRASE)
    doc_a, doc_b = a.document(), b.document()

    def floor() -> None:
        for table in TABLES:
            union = dict(doc_a.get(table, {}))
            union.update(doc_b.get(table, {}))

    merge_only = best_of(repeat, lambda: merge_documents(doc_a, doc_b, tables=TABLES))
    end_to_end = best_of(repeat, lambda: Journal.open(mine, PASSPHRASE).merge_copy(theirs))
    _merged, report = merge_documents(doc_a, doc_b, tables=TABLES)
    entries = report.tables["entries"]
    return {
        "unlock both": unlock,
        "floor (dict union)": best_of(repeat, floor),
        "merge": merge_only,
        "merge_copy (unlock + read + merge)": end_to_end,
        "added": len(entries.added),
        "changed": len(entries.changed),
        "deleted": len(entries.deleted),
        "conflicts": len(entries.conflicts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="tandem-merge-bench-") as tmp:
        for size in sizes:
            print(f"building and diverging {size:,} entries ...", file=sys.stderr)
            results[size] = measure(size, Path(tmp), args.repeat)
    print(f"## Merging two copies that diverged by {CHANGES:,} changes each\n")
    print(f"2 cores expected; this machine: {os.cpu_count()} CPUs; best of {args.repeat}\n")
    header = (
        "| entries | unlock both | floor (dict union) | merge | merge_copy | target | verdict |"
    )
    print(header)
    print("|---:|---:|---:|---:|---:|---|---|")
    for size, r in results.items():
        target = "merge < 1 s" if size == 10000 else "linear"
        verdict = ""
        if size == 10000:
            verdict = "ok" if r["merge"] < 1.0 else "over"
        floor_ms = r["floor (dict union)"] * 1000
        end_to_end = r["merge_copy (unlock + read + merge)"]
        print(
            f"| {size:,} | {r['unlock both']:.2f} s | {floor_ms:.0f} ms | "
            f"{r['merge']:.2f} s | {end_to_end:.2f} s | {target} | {verdict} |"
        )
    print()
    for size, r in results.items():
        print(
            f"{size:,} entries: report says {int(r['added'])} added, {int(r['changed'])} changed, "
            f"{int(r['deleted'])} deleted, {int(r['conflicts'])} in conflict"
        )
    if len(results) >= 2:
        (small, rs), (large, rl) = list(results.items())[0], list(results.items())[-1]
        ratio = rl["merge"] / rs["merge"]
        growth = large / small
        verdict = "linear or better" if ratio <= growth * 1.2 else "worse than linear"
        print(f"\nmerge {small:,} -> {large:,} entries ({growth:.0f}x): {ratio:.1f}x, {verdict}")
    unlocks = [r["unlock both"] for r in results.values()]
    print(f"\n(median of unlock: {statistics.median(unlocks):.2f} s)")


if __name__ == "__main__":
    main()
