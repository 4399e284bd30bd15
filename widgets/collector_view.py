"""What a live collection shows: the running result, the timer, the keys, the last events.

`CollectorView` draws one `journal.collect.Collection` as the collector
screen hands it over (`show`), in at most 18 lines of 76 cells, so the whole
collector fits an 80x24 terminal. It only draws: the screen owns the
collection and passes keys on. `flash()` lights it up for a moment when an
interval ends. Labels people typed (behaviors, prompt levels) are plain
text, never markup.
"""

from __future__ import annotations

import math

from textual.content import Content
from textual.widgets import Static

from journal.collect import (
    COLLECTION_KINDS,
    Collection,
    DurationCollection,
    FrequencyCollection,
    IntervalCollection,
    Setup,
    TrialCollection,
    clock_text,
)
from journal.text import clip, one_line

__all__ = ["CollectorView", "collection_content"]

_RECENT = 30
"""How many of the last trials, intervals or episodes are shown."""

Part = str | tuple[str, str]


def _keys(pairs: list[tuple[str, str]]) -> list[Part]:
    """'key what · key what', keys in bold."""
    parts: list[Part] = []
    for i, (key, what) in enumerate(pairs):
        if i:
            parts.append(("  ·  ", "$text-muted"))
        parts += [(key, "bold $accent"), f" {what}"]
    return parts


def _trials(found: TrialCollection) -> list[Part]:
    parts: list[Part] = [(found.summary(), "bold"), "\n\n"]
    symbols = {level: letter for level, letter in found.letters.items()}
    recent = found.trials[-_RECENT:]
    shown: list[Part] = []
    for trial in recent:
        if trial == "+":
            shown.append(("+ ", "bold $text-success"))
        elif trial == "-":
            shown.append(("- ", "bold $text-error"))
        else:
            shown.append((f"{symbols.get(trial, '?')} ", "bold $text-warning"))
    parts += [("Trials  ", "$text-muted"), *(shown or [("none yet", "$text-muted")]), "\n"]
    prompts = " · ".join(f"{one_line(level)} {n}" for level, n in found.prompts.items())
    parts += [("Prompts ", "$text-muted"), prompts or "none", "\n\n"]
    parts += _keys([("c +", "correct"), ("x -", "incorrect")]) + ["\n"]
    levels = [
        (letter.lower(), clip(one_line(level), 18)) for level, letter in found.letters.items()
    ]
    for row in range(0, len(levels), 3):
        parts += [*_keys(levels[row : row + 3]), "\n"]
    parts.append(("(prompted trials count as not correct)", "$text-muted"))
    return parts


def _frequency(found: FrequencyCollection) -> list[Part]:
    state = "" if found.watch.running else "  PAUSED (p runs on)"
    parts: list[Part] = [(found.summary(), "bold"), (state, "bold $text-warning"), "\n\n"]
    counts = found.counts
    top = max(counts.values(), default=0) or 1
    for i, name in enumerate(found.behaviors):
        bar = "█" * round(counts[name] / top * 30) if counts[name] else ""
        parts += [
            (f" {i + 1} ", "bold $accent"),
            f" {clip(one_line(name), 24):<24} ",
            (f"{counts[name]:>4} ", "bold"),
            (bar, "$text-primary"),
            "\n",
        ]
    keys = f"1-{len(found.behaviors)}" if len(found.behaviors) > 1 else "1"
    parts += ["\n", *_keys([(keys, "count"), ("p", "pause/run")])]
    return parts


def _duration(found: DurationCollection) -> list[Part]:
    if found.running:
        now: list[Part] = [
            ("● episode under way ", "bold $text-error"),
            clock_text(found.current()),
        ]
    else:
        now = [("○ no episode under way", "$text-muted")]
    parts: list[Part] = [*now, "\n", (found.summary(), "bold"), "\n\n"]
    ended = [clock_text(end - start) for start, end in found.episodes[-_RECENT:]]
    parts += [("Episodes ", "$text-muted"), "  ".join(ended) or "none yet", "\n\n"]
    parts += _keys([("space", "start / stop an episode")])
    return parts


def _intervals(found: IntervalCollection, bell: bool) -> list[Part]:
    label = {"momentary": "Momentary time sampling"}.get(
        found.interval_kind, f"{found.interval_kind.capitalize()} interval"
    )
    running = "" if found.watch.running else "  PAUSED (p runs on)"
    left = clock_text(math.ceil(found.left_in_interval()))
    parts: list[Part] = [
        (f"{label} · {found.seconds} s", "bold"),
        f"   interval {found.ended() + 1} ends in {left}",
        (running, "bold $text-warning"),
        ("" if bell else "  (bell off)", "$text-muted"),
        "\n\n",
    ]
    waiting = found.waiting()
    if waiting:
        more = f"  ({len(waiting) - 1} more waiting)" if len(waiting) > 1 else ""
        parts += [(f"▶ Mark interval {waiting[0] + 1}: ", "bold $text-warning")]
        parts += _keys([("y", "occurred"), ("n", "did not")]) + [more, "\n"]
    elif found.interval_kind == "partial":
        parts += [("Press y as soon as it happens in this interval.", "$text-muted"), "\n"]
    else:
        parts += [("Wait for the prompt at the end of the interval.", "$text-muted"), "\n"]
    marks = [("✓ " if found.marks[i] else "✗ ") for i in sorted(found.marks)[-_RECENT:]]
    parts += [("Marks  ", "$text-muted"), "".join(marks) or "none yet", "\n"]
    parts += [(found.summary(), "bold"), "\n\n"]
    parts += _keys([("y", "occurred"), ("n", "did not"), ("p", "pause/run"), ("b", "bell")])
    return parts


def collection_content(found: Collection, setup: Setup, *, message: str = "") -> Content:
    """The view of `found` as plain text with styles (user text never markup)."""
    where = " · ".join(one_line(x) for x in (setup.setting, setup.observer) if x.strip())
    head: list[Part] = [(COLLECTION_KINDS.get(found.kind, found.kind), "bold $text-primary")]
    if where:
        head += [("  ", ""), (where, "$text-secondary")]
    head += [("   ⏱ ", "$text-muted"), (clock_text(found.watch.elapsed()), "bold"), "\n\n"]
    body: list[Part]
    if isinstance(found, TrialCollection):
        body = _trials(found)
    elif isinstance(found, FrequencyCollection):
        body = _frequency(found)
    elif isinstance(found, DurationCollection):
        body = _duration(found)
    elif isinstance(found, IntervalCollection):
        body = _intervals(found, setup.bell)
    else:  # pragma: no cover - every collection is one of the four
        body = [found.summary()]
    tail: list[Part] = ["\n\n", *_keys([("⏎", "save"), ("⌫", "undo the last"), ("esc", "leave")])]
    if message:
        tail += ["\n", (one_line(message), "italic $text-secondary")]
    return Content.assemble(*head, *body, *tail)


class CollectorView(Static):
    """A live collection, drawn again on each event and each tick of its timer."""

    DEFAULT_CSS = """
    CollectorView {
        height: 1fr;
        padding: 1 2;
        border: round $primary 50%;
        &.-flash { background: $warning 35%; border: heavy $warning; }
    }
    """

    def show(self, found: Collection, setup: Setup, *, message: str = "") -> None:
        """Draw `found` (set up as `setup`), with `message` under it."""
        self.update(collection_content(found, setup, message=message))

    def flash(self, seconds: float = 0.8) -> None:
        """Light up for a moment: an interval ended."""
        self.add_class("-flash")
        self.set_timer(seconds, lambda: self.remove_class("-flash"))
