"""What `tandem` prints: stdout lines, one-line errors on stderr, tables, times, JSON.

Text written by people always goes through `journal.text` (`safe_line`,
`safe_text`, `json_text`), so it can never drive the terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime

from journal.cli.parser import PROG
from journal.errors import TandemError
from journal.text import display_width, json_text, safe_line, safe_text

TITLE_WIDTH = 48
AUTHOR_WIDTH = 20
TAGS_WIDTH = 30


def out(text: str = "") -> None:
    """Print a line on stdout."""
    sys.stdout.write(text + "\n")


def out_json(value: object) -> None:
    """Print `value` as indented JSON on stdout (control characters escaped)."""
    out(json_text(value))


def err(text: str) -> None:
    """Print ``tandem: <text>`` as one safe line on stderr."""
    sys.stderr.write(f"{PROG}: {safe_line(text)}\n")
    sys.stderr.flush()


def out_lines(lines: Sequence[str]) -> None:
    """Print each line on stdout."""
    for line in lines:
        out(line)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - display_width(text), 0)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Left-aligned columns separated by two spaces; the last column is not padded."""
    widths = [display_width(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], display_width(cell))
    lines = []
    for row in (header, *rows):
        cells = [
            cell + " " * max(widths[i] - display_width(cell), 0) for i, cell in enumerate(row[:-1])
        ]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return lines


def underline(title: str) -> str:
    """The '====' line under a heading, as wide as it (at most 72 cells)."""
    return "=" * min(display_width(title), 72)


def indent(text: str, prefix: str = "  ") -> list[str]:
    """`text` made safe, one list item a line, each line but empty ones after `prefix`."""
    return [prefix + line if line else "" for line in safe_text(text).split("\n")]


def local_time(stamp: str | None) -> str:
    """A stored UTC time (``...Z``) as local 'YYYY-MM-DD HH:MM'; local times pass through."""
    if not stamp:
        return ""
    if stamp.endswith("Z"):
        try:
            moment = datetime.fromisoformat(stamp)
        except ValueError:
            return safe_line(stamp)
        return moment.astimezone().strftime("%Y-%m-%d %H:%M")
    return safe_line(stamp[:16].replace("T", " "))


def missing_module(error: ModuleNotFoundError) -> TandemError:
    """The error when a part of Tandem a command needs cannot be imported."""
    return TandemError(f"this installation of Tandem is incomplete: {error.name} is missing")
