"""A goal card: what it shows about a goal, and its lines at a given width.

The board loads a `GoalSummary` per goal (plain data, made in one pass over
the measurements in a worker) and `CardColumn` draws each card from
`card_lines`: the objective's long-term goal, the title (up to two lines),
domain and owner, the last data point and its date, the "criterion met"
badge, a trend line of the latest scores and the trend in words
(`goals.trend_sentence`, its start on two lines). Every line is cut to the width
(never wrapped by Textual), so a card's height is known without measuring
text, and a column of a hundred cards is laid out in a loop.

User text (titles, domains) is folded onto one line with control characters
made visible (`one_line`) and drawn as plain text, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, chop_cells, set_cell_size
from textual.content import Content

from journal.goals import MEASURE_LABELS, format_score, trend_bars
from journal.model import Goal
from journal.text import one_line

__all__ = [
    "MEASURE_LABELS",
    "RECENT_POINTS",
    "CardLine",
    "GoalSummary",
    "card_lines",
    "fit",
    "format_measurement",
    "format_score",
    "trend_bars",
    "trend_line",
    "wrap",
]

RECENT_POINTS = 12
"""How many of the latest scores a card's trend line shows."""


def format_measurement(
    measure: str, score: float | None, correct: int | None, total: int | None
) -> str:
    """A data point in a card's few characters: '8/10 (80%)' for trials, else its score
    rounded as `goals.format_score` rounds it (a percent typed in as 85.5 reads 86%)."""
    if correct is not None and total:
        return f"{correct}/{total} ({format_score('percent', score)})"
    return format_score(measure, score)


@dataclass(frozen=True)
class GoalSummary:
    """What a card shows about one goal, worked out from the journal in one pass."""

    goal: Goal
    parent_title: str = ""
    """The long-term goal's title, for a short-term objective (sub-goal)."""
    depth: int = 0
    """0 for a long-term goal, 1 for its objectives, ..."""
    count: int = 0
    """How many data points the goal has."""
    last_date: str = ""
    last_text: str = ""
    """The last data point as read, e.g. '8/10 (80%)'."""
    recent: tuple[float, ...] = ()
    """The latest scores (at most `RECENT_POINTS`), oldest first."""
    criterion_met: bool = False
    """The last N data points all reach the mastery criterion (the therapist confirms)."""
    last_prompt: str = ""
    """The prompt level of the latest data point that has one."""
    last_setting: str = ""
    """The setting of the latest data point that has one."""
    trend: str = ""
    """The trend in one sentence (`journal.goals.trend_sentence`), once there are two
    scored data points ('' before)."""

    @property
    def goal_id(self) -> str:
        """The goal's id."""
        return self.goal.id

    @property
    def status(self) -> str:
        """The goal's status: the column its card is in."""
        return self.goal.status

    @property
    def title(self) -> str:
        """The title on one line ('(untitled)' when empty)."""
        return one_line(self.goal.title) or "(untitled)"

    @property
    def facts(self) -> list[str]:
        """Domain and owner, on one line each (the ones that are set)."""
        return [part for part in (one_line(self.goal.domain), one_line(self.goal.owner)) if part]

    @property
    def text(self) -> str:
        """The card's text in full (nothing cut), a line per part, for tests and tools."""
        lines = [f"↳ {one_line(self.parent_title)}"] if self.parent_title else []
        lines += [self.title, *([" · ".join(self.facts)] if self.facts else [])]
        lines.append(f"{self.last_text} {self.last_date}" if self.count else "no data yet")
        if self.criterion_met:
            lines.append("criterion met")
        if self.recent:
            lines.append("".join(bar for bar, _met in self.bars()))
        if self.trend:
            lines.append(self.trend)
        return "\n".join(lines)

    def bars(self) -> list[tuple[str, bool]]:
        """The trend line: a bar per recent score, and whether it reaches the criterion."""
        goal = self.goal
        return trend_bars(self.recent, goal.measure, goal.criterion_value)


def trend_line(scores: Sequence[float], measure: str, criterion: float) -> Content:
    """`trend_bars` as styled text: bars at the criterion in the success color."""
    return Content.assemble(
        *(
            (bar, "$text-success" if met else "$text-primary")
            for bar, met in trend_bars(scores, measure, criterion)
        )
    )


# --- a card's lines ------------------------------------------------------------------

CardLine = tuple[tuple[str, str], ...]
"""One line of a card: (text, role) pieces. Roles: 'title', 'muted', 'value', 'date',
'empty', 'badge', 'bar', 'bar-met'. The pieces' cells add up to at most the width."""


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells, ending in '…' when it was longer."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1) + "…"


def wrap(text: str, width: int, lines: int = 2) -> list[str]:
    """`text` (one line) word-wrapped to `width` cells on at most `lines` lines.

    A word longer than the width is broken; when the text needs more lines,
    the last one ends in '…'.
    """
    if width <= 0:
        return [""]
    out: list[str] = []
    current = ""
    for word in text.split(" "):
        pieces = chop_cells(word, width) if cell_len(word) > width else [word]
        for piece in pieces:
            joined = f"{current} {piece}" if current else piece
            if cell_len(joined) <= width:
                current = joined
            else:
                out.append(current)
                current = piece
    out.append(current)
    if len(out) > lines:
        rest = " ".join(out[lines - 1 :])
        out = [*out[: lines - 1], fit(rest, width)]
    return out


def _pack(parts: Sequence[tuple[str, str]], width: int, lines: int) -> list[CardLine]:
    """`parts` ((text, role), a space between) on as few lines as fit, each cut to `width`."""
    out: list[list[tuple[str, str]]] = []
    used = 0
    for text, role in parts:
        size = cell_len(text)
        if out and used + 1 + size <= width:
            out[-1].append((" " + text, role))
            used += 1 + size
        elif len(out) < lines:
            out.append([(fit(text, width), role)])
            used = min(size, width)
        else:  # no line left: what remains is cut at the end of the last one
            room = width - used - 1
            if room > 0:
                out[-1].append((" " + fit(text, room), role))
            break
    return [tuple(line) for line in out]


def card_lines(summary: GoalSummary, width: int) -> tuple[CardLine, ...]:
    """The lines of `summary`'s card, each at most `width` cells wide.

    The objective's long-term goal ('↳ ...'), the title on up to two lines,
    domain and owner (on two lines when one is too narrow), the last data
    point and its date (or 'no data yet'), the badge when the criterion is
    met, the latest scores as bars (as many as fit, newest kept), and the start of
    the trend in words (two lines).
    """
    width = max(1, width)
    lines: list[CardLine] = []
    if summary.parent_title:
        lines.append((("↳ " + fit(one_line(summary.parent_title), width - 2), "muted"),))
    lines += [((text, "title"),) for text in wrap(summary.title, width)]
    facts = summary.facts
    if facts:
        joined = " · ".join(facts)
        if cell_len(joined) <= width:
            lines.append(((joined, "muted"),))
        else:
            lines += [((fit(part, width), "muted"),) for part in facts]
    if summary.count:
        lines += _pack([(summary.last_text, "value"), (summary.last_date, "date")], width, 2)
    else:
        lines.append(((fit("no data yet", width), "empty"),))
    if summary.criterion_met:
        lines.append(((fit("criterion met", width), "badge"),))
    bars = summary.bars()[-width:]
    if bars:
        lines.append(tuple((bar, "bar-met" if met else "bar") for bar, met in bars))
    if summary.trend:
        lines += [((text, "muted"),) for text in wrap(summary.trend, width)]
    return tuple(lines)
