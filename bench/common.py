"""What the benchmark tables share: the machine they ran on, their layout and their options."""

from __future__ import annotations

import argparse
import os
import platform
from collections.abc import Sequence
from pathlib import Path

CPU_NOTE = "cpu: main-thread CPU time of the step (what the app did, whatever else runs)."
"""The line under a table with `cpu` times, saying what they measure."""


def machine() -> str:
    """`N cores (CPU model)`: the cores this process may use and the CPU's name."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cores} cores ({cpu})"


def print_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, right_from: int | None = None
) -> None:
    """Print `rows` under `header` as a Markdown table; columns from `right_from` on align right."""
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def right(column: int) -> bool:
        return right_from is not None and column >= right_from

    def line(row: Sequence[str]) -> str:
        cells = (
            f"{cell:>{width}}" if right(i) else f"{cell:<{width}}"
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        return "| " + " | ".join(cells) + " |"

    print(line(header))
    rules = ("-" * (w + 1) + ":" if right(i) else "-" * (w + 2) for i, w in enumerate(widths))
    print("|" + "|".join(rules) + "|")
    for row in rows:
        print(line(row))


def parse_sizes(argv: list[str] | None, description: str, **sizes: int) -> argparse.Namespace:
    """Read `--<size> N` for each of `sizes` (its default) and `--repeat N` (5, at least 1)."""
    parser = argparse.ArgumentParser(description=description)
    for name, default in sizes.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    args.repeat = max(1, args.repeat)
    return args
