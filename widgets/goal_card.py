"""A goal on the board: its title, domain, owner, last data point, recent trend and badge.

The board loads a `GoalSummary` per goal (plain data, made in one pass over
the measurements in a worker) and hands it down; the card only shows it.
Each card is one widget (its trend line is part of its text), so a board of
hundreds stays quick to lay out. A card is focusable; it reports a double
click (`Opened`) and a mouse drag (`Dragged` while moving, `Dropped` on
release, with the pointer's screen position) and leaves it to the screen to
decide what is under the pointer.

User text (titles, domains) is shown as plain `Content`: never markup, with
control characters made visible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.geometry import Offset, Size
from textual.message import Message
from textual.widget import Widget

from journal.model import Goal
from journal.text import one_line

__all__ = [
    "MEASURE_LABELS",
    "RECENT_POINTS",
    "GoalCard",
    "GoalCardMessage",
    "GoalSummary",
    "format_measurement",
    "format_score",
    "trend_line",
]

RECENT_POINTS = 12
"""How many of the latest scores a card's trend line shows."""

MEASURE_LABELS = {
    "percent": "percent of trials (correct/total)",
    "count": "count",
    "duration": "duration (minutes)",
    "rating": "rating 1-5",
}
"""Each measurement type in words."""


def format_score(measure: str, score: float | None) -> str:
    """A score as people read it: '80%', '12', '4.5 min', '4/5'; '' when there is none."""
    if score is None:
        return ""
    if measure == "percent":
        return f"{score:.0f}%"
    if measure == "duration":
        return f"{score:g} min"
    if measure == "rating":
        return f"{score:g}/5"
    return f"{score:g}"


def format_measurement(
    measure: str, score: float | None, correct: int | None, total: int | None
) -> str:
    """A data point as people read it: '8/10 (80%)' for trials, else its score."""
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

    @property
    def goal_id(self) -> str:
        """The goal's id."""
        return self.goal.id

    def parent_content(self) -> Content:
        """The '↳ long-term goal' line of a short-term objective (empty for a long-term goal)."""
        if not self.parent_title:
            return Content("")
        return Content.assemble(("↳ ", "$text-muted"), (one_line(self.parent_title), "$text-muted"))

    def card_content(self) -> Content:
        """The card's text: title, domain and owner, last data point, the badge."""
        goal = self.goal
        parts: list[str | tuple[str, str]] = [(one_line(goal.title) or "(untitled)", "bold")]
        facts = " · ".join(part for part in (one_line(goal.domain), one_line(goal.owner)) if part)
        if facts:
            parts += ["\n", (facts, "$text-muted")]
        if self.count:
            parts += ["\n", (self.last_text, "$text-secondary"), (f" {self.last_date}", "dim")]
        else:
            parts += ["\n", ("no data yet", "$text-muted italic")]
        if self.criterion_met:
            parts += ["\n", ("criterion met", "bold reverse $text-success")]
        return Content.assemble(*parts)


_BARS = "▁▂▃▄▅▆▇█"


def trend_line(scores: Sequence[float], measure: str, criterion: float) -> Content:
    """A bar per score, oldest first, on the measure's scale; bars at the criterion stand out."""
    if measure == "percent":
        low, high = 0.0, 100.0
    elif measure == "rating":
        low, high = 1.0, 5.0
    else:
        low, high = 0.0, max([*scores, criterion, 1.0])
    span = (high - low) or 1.0
    parts: list[tuple[str, str]] = []
    for score in scores:
        level = round((min(max(score, low), high) - low) / span * (len(_BARS) - 1))
        parts.append((_BARS[level], "$text-success" if score >= criterion else "$text-primary"))
    return Content.assemble(*parts)


_CLASS_TESTS = {
    "-subgoal": lambda summary: summary.depth > 0,
    "-met": lambda summary: summary.criterion_met,
}


def _classes(summary: GoalSummary, extra: str | None) -> str:
    """The card's classes for `summary` (set when built: changing them later restyles)."""
    names = [name for name, wanted in _CLASS_TESTS.items() if wanted(summary)]
    return " ".join([*names, *(extra or "").split()])


class GoalCardMessage(Message):
    """The base of the messages a `GoalCard` posts."""

    def __init__(self, card: GoalCard) -> None:
        """A message about `card`."""
        super().__init__()
        self.card = card
        """The card that posted the message."""

    @property
    def control(self) -> GoalCard:
        """The card that posted the message (for `@on` selectors)."""
        return self.card


class GoalCard(Widget, can_focus=True):
    """One goal on the board, drawn as one widget. Set `summary` to show newer data.

    The trend line is drawn in the card's own text, a bar per data point
    (percent on a 0-100 scale, ratings 1-5, counts and minutes from 0), bars
    that reach the criterion in the success color. One widget per card, not
    a `Sparkline` widget beside `Static`s: a board of 200 cards lays out four
    times fewer widgets (moving a card took about a quarter of the CPU time
    in bench/goals.py), and a percent trend keeps its 0-100 scale where
    `Sparkline` stretches whatever range the data have.
    """

    ALLOW_SELECT = False

    DEFAULT_CSS = """
    GoalCard {
        height: auto;
        padding: 0 0 0 1;
        margin: 0 0 1 0;  /* the column's scrollbar gutter is the gap on the right */
        background: $boost;
        border-left: outer $foreground 15%;
        &.-subgoal { margin: 0 0 1 1; }
        &.-met { border-left: outer $success; }
        &:focus {
            background: $block-cursor-blurred-background;
            border-left: outer $accent;
        }
        &.-dragging { background: $accent 30%; text-style: italic; }
    }
    """

    class Opened(GoalCardMessage):
        """The card was double-clicked: show the goal's detail."""

    class Dragged(GoalCardMessage):
        """The card is being dragged; the pointer is at `screen_offset`."""

        def __init__(self, card: GoalCard, screen_offset: Offset) -> None:
            """`card` is being dragged over `screen_offset`."""
            super().__init__(card)
            self.screen_offset = screen_offset

    class Dropped(GoalCardMessage):
        """The card was released at `screen_offset` after a drag (`None`: drag cancelled)."""

        def __init__(self, card: GoalCard, screen_offset: Offset | None) -> None:
            """`card` was dropped at `screen_offset`."""
            super().__init__(card)
            self.screen_offset = screen_offset

    def __init__(
        self,
        summary: GoalSummary,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """A card for the goal in `summary`."""
        super().__init__(name=name, id=id, classes=_classes(summary, classes))
        self._summary = summary
        self._press: Offset | None = None  # where the button went down (screen offset)
        self._dragging = False
        self._height: tuple[int, int] | None = None  # (width, content height) as last measured

    # --- data -------------------------------------------------------------------

    @property
    def summary(self) -> GoalSummary:
        """What the card shows."""
        return self._summary

    @summary.setter
    def summary(self, summary: GoalSummary) -> None:
        if summary == self._summary:
            return
        self._summary = summary
        self._height = None
        for name, wanted in _CLASS_TESTS.items():
            self.set_class(wanted(summary), name)
        self.refresh(layout=True)

    @property
    def goal_id(self) -> str:
        """The id of the goal shown."""
        return self._summary.goal.id

    @property
    def status(self) -> str:
        """The status (column) of the goal shown."""
        return self._summary.goal.status

    @property
    def text(self) -> str:
        """The card's text as shown (the parent line uncut), for tests and tools."""
        return self._content(None).plain

    @property
    def sparkline_data(self) -> Sequence[float]:
        """The scores the trend line shows, oldest first."""
        return self._summary.recent

    # --- drawing ----------------------------------------------------------------

    def _content(self, width: int | None) -> Content:
        summary = self._summary
        parts: list[Content] = []
        parent = summary.parent_content()
        if parent:
            parts.append(parent.truncate(width, ellipsis=True) if width else parent)
        parts.append(summary.card_content())
        if summary.recent:
            goal = summary.goal
            parts.append(trend_line(summary.recent, goal.measure, goal.criterion_value))
        return Content("\n").join(parts)

    def render(self) -> Content:
        """The parent line (cut to fit), the text, then the trend line."""
        return self._content(self.size.width or None)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The height of the card's text at `width` (the parent line cut to fit it)."""
        if self._height is not None and self._height[0] == width:
            return self._height[1]
        content = self._content(width or None)
        height = content.get_height(self.styles, width) if width else 0  # type: ignore[arg-type]
        self._height = (width, height)
        return height

    # --- the mouse ----------------------------------------------------------------

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """Start following the mouse: a drag may begin."""
        if event.button != 1:
            return
        self._press = event.screen_offset
        self._dragging = False
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """While the button is down, report where the card is being dragged."""
        if self._press is None:
            return
        if not self._dragging and event.screen_offset == self._press:
            return
        if not self._dragging:
            self._dragging = True
            self.add_class("-dragging")
        self.post_message(self.Dragged(self, event.screen_offset))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        """Release the mouse; after a drag, report where the card was dropped."""
        if self._press is None:
            return
        dragged = self._dragging
        self._end_drag()
        if dragged:
            event.stop()
            self.post_message(self.Dropped(self, event.screen_offset))

    def on_mouse_release(self) -> None:
        """The mouse was taken away mid-drag (another widget captured it): cancel."""
        if self._dragging:
            self._end_drag()
            self.post_message(self.Dropped(self, None))
        self._press = None

    def _end_drag(self) -> None:
        self._press = None
        self._dragging = False
        self.remove_class("-dragging")
        if self.app.mouse_captured is self:
            self.release_mouse()

    def on_click(self, event: events.Click) -> None:
        """A double click opens the goal."""
        if event.chain >= 2:
            self.post_message(self.Opened(self))
