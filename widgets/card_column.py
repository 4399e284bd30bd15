"""A column of the goal board: its goal cards drawn line by line, in one widget.

A Line API widget (a `ScrollView` that draws only the rows on screen), so a
column of a hundred cards is one widget to lay out, not a hundred: the
board opens and moves a card in about the time of an empty board. Each card
is a block of lines from `card_lines` (its height is known without
measuring text), then a blank row. A column may hold several lanes (the
side column holds "On hold" and "Discontinued"), each under a heading; an
empty lane says "No goals".

The column only draws and reports. The screen sets what it shows
(`set_lanes`, `cursor`, `active`, `dragging`, `drop_target`: attributes
down) and hears about the mouse through messages: `Pressed` (the button went
down on a card), `Opened` (a double click), `Dragged` while a card is being
dragged and `Dropped` on release, each with the pointer's screen position,
leaving it to the screen to decide what is under the pointer.

User text is drawn as plain `Segment`s (never markup), already made safe
by `card_lines`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Offset, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from widgets.goal_card import CardLine, GoalSummary, card_lines, fit

__all__ = ["CardColumn", "CardColumnMessage"]

NO_GOALS = "No goals"
"""What an empty lane says."""


def lane_label(status: str) -> str:
    """A status as a lane heading: 'On hold', 'Discontinued'."""
    return status[:1].upper() + status[1:]


class _Block(NamedTuple):
    """A run of rows: a lane heading, an empty lane's note, or a card (its blank row included)."""

    y: int
    height: int
    kind: str  # "heading", "note" or "card"
    status: str
    goal_id: str = ""


class _Card:
    """A card's lines at one width (compared by identity: a key of the strip cache)."""

    __slots__ = ("indent", "lines", "summary", "width")

    def __init__(self, summary: GoalSummary, width: int) -> None:
        self.summary = summary
        self.width = width
        self.indent = 1 if summary.depth > 0 else 0
        self.lines: tuple[CardLine, ...] = card_lines(summary, width - self.indent - 2)


@dataclass
class CardColumnMessage(Message):
    """The base of the messages a `CardColumn` posts: about the card of `goal_id`."""

    column: CardColumn
    """The column that posted the message."""
    goal_id: str
    """The goal whose card it is about."""

    @property
    def control(self) -> CardColumn:
        """The column that posted the message (for `@on` selectors)."""
        return self.column


_ROLES = ("title", "muted", "value", "date", "empty", "badge", "bar", "bar-met")


class CardColumn(ScrollView, can_focus=False):
    """The goal cards of one or more statuses (lanes), each card a block of lines.

    Set the cards with `set_lanes`; the card of `cursor` is highlighted while
    `active` (the board has the focus).
    """

    ALLOW_SELECT = False

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "card-column--card",
        "card-column--cursor",
        "card-column--dragging",
        "card-column--edge",
        "card-column--edge-met",
        "card-column--edge-cursor",
        "card-column--heading",
        "card-column--drop-target",
        "card-column--note",
        *(f"card-column--{role}" for role in _ROLES),
    }

    DEFAULT_CSS = """
    CardColumn {
        height: 1fr;
        padding: 1 0 0 1;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;  /* the scrollbar's gutter is the gap between columns */
        & > .card-column--card { background: $boost; }
        & > .card-column--cursor { background: $block-cursor-blurred-background; }
        & > .card-column--dragging { background: $accent 30%; text-style: italic; }
        & > .card-column--edge { color: $foreground 15%; }
        & > .card-column--edge-met { color: $success; }
        & > .card-column--edge-cursor { color: $accent; }
        & > .card-column--heading { color: $text-secondary; text-style: bold; }
        & > .card-column--drop-target { background: $accent 50%; color: $text; }
        & > .card-column--note { color: $text-muted; }
        & > .card-column--title { text-style: bold; }
        & > .card-column--muted { color: $text-muted; }
        & > .card-column--value { color: $text-secondary; }
        & > .card-column--date { text-style: dim; }
        & > .card-column--empty { color: $text-muted; text-style: italic; }
        & > .card-column--badge { color: $text-success; text-style: bold reverse; }
        & > .card-column--bar { color: $text-primary; }
        & > .card-column--bar-met { color: $text-success; }
    }
    """

    cursor: reactive[str | None] = reactive(None, repaint=False, init=False)
    """The goal whose card is highlighted (while `active`), or None."""

    active: reactive[bool] = reactive(False, repaint=False, init=False)
    """True while the board has the focus: the cursor is shown."""

    dragging: reactive[str | None] = reactive(None, repaint=False, init=False)
    """The goal whose card is being dragged, or None."""

    drop_target: reactive[str | None] = reactive(None, init=False)
    """The status whose lane heading is marked as where a dragged card would land."""

    class Pressed(CardColumnMessage):
        """The mouse button went down on a card (the board puts its cursor there)."""

    class Opened(CardColumnMessage):
        """A card was double-clicked: show the goal's detail."""

    @dataclass
    class Dragged(CardColumnMessage):
        """A card is being dragged; the pointer is at `screen_offset`."""

        screen_offset: Offset

    @dataclass
    class Dropped(CardColumnMessage):
        """A dragged card was released at `screen_offset` (`None`: the drag was cancelled)."""

        screen_offset: Offset | None

    def __init__(
        self,
        statuses: Sequence[str],
        *,
        headings: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """An empty column for the lanes of `statuses`; `headings` names each lane."""
        super().__init__(name=name, id=id, classes=classes)
        self.statuses = tuple(statuses)
        self.headings = headings
        self._lanes: dict[str, tuple[GoalSummary, ...]] = {status: () for status in statuses}
        self._cards: dict[str, _Card] = {}
        self._blocks: list[_Block] = []
        self._starts: list[int] = []
        self._by_goal: dict[str, _Block] = {}
        self._ids: list[str] = []
        self._width = 0
        self._styles: dict[tuple[str, ...], Style] = {}
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(2048)
        self._press: tuple[str, Offset] | None = None  # the card and where the button went down
        self._drag: str | None = None
        self._ignore_click = False

    # --- what it shows ------------------------------------------------------------------

    def set_lanes(self, lanes: Mapping[str, Sequence[GoalSummary]]) -> None:
        """Show these cards in the lanes of these statuses (others stay), in this order.

        Cheap: a card's lines are made again only when its summary changed, and
        nothing is redrawn when every lane holds the same summaries as before.
        """
        changed = False
        for status, summaries in lanes.items():
            if status in self._lanes:
                new = tuple(summaries)
                old = self._lanes[status]
                if len(new) != len(old) or any(a is not b for a, b in zip(new, old, strict=True)):
                    self._lanes[status] = new
                    changed = True
        if changed:
            self._relayout()

    def lane(self, status: str) -> tuple[GoalSummary, ...]:
        """The cards of the lane of `status`, top to bottom."""
        return self._lanes.get(status, ())

    @property
    def summaries(self) -> list[GoalSummary]:
        """Every card, lane by lane, top to bottom."""
        return [summary for status in self.statuses for summary in self._lanes[status]]

    @property
    def goal_ids(self) -> list[str]:
        """The goals of the cards, top to bottom."""
        return list(self._ids)

    @property
    def count(self) -> int:
        """How many cards the column holds."""
        return len(self._ids)

    def _refresh_cards(self, old: str | None, new: str | None) -> None:
        """The cursor or the dragged card moved from `old` to `new`: redraw both cards."""
        self._refresh_card(old)
        self._refresh_card(new)

    _watch_cursor = _watch_dragging = _refresh_cards

    def _watch_active(self) -> None:
        self._refresh_card(self.cursor)

    def card_text(self, goal_id: str) -> list[str]:
        """The lines of a card's text as drawn at the current width, for tests and tools."""
        card = self._cards.get(goal_id)
        if card is None:
            return []
        return ["".join(text for text, _role in line) for line in card.lines]

    # --- where things are ---------------------------------------------------------------

    def card_offset(self, goal_id: str) -> Offset | None:
        """Where the card's first row starts, relative to the widget (as scrolled now)."""
        block = self._by_goal.get(goal_id)
        if block is None:
            return None
        card = self._cards[goal_id]
        top, left = self.styles.padding.top, self.styles.padding.left
        return Offset(left + card.indent, top + block.y - round(self.scroll_y))

    def lane_offset(self, status: str) -> Offset | None:
        """Where the lane starts (its heading, or its first card), relative to the widget."""
        block = next((b for b in self._blocks if b.status == status), None)
        if block is None:
            return None
        top, left = self.styles.padding.top, self.styles.padding.left
        return Offset(left, top + block.y - round(self.scroll_y))

    def _row_at(self, screen_offset: Offset) -> int:
        """The row of the column's content at `screen_offset` (may be outside it)."""
        return screen_offset.y - self.content_region.y + round(self.scroll_y)

    def _block_at(self, row: int) -> _Block | None:
        index = bisect_right(self._starts, row) - 1
        if index < 0:
            return None
        block = self._blocks[index]
        return block if row < block.y + block.height else None

    def goal_at(self, screen_offset: Offset) -> str | None:
        """The goal whose card is under `screen_offset` (its blank row below excluded)."""
        if not self.scrollable_content_region.contains_point(screen_offset):
            return None
        row = self._row_at(screen_offset)
        block = self._block_at(row)
        if block is None or block.kind != "card" or row >= block.y + block.height - 1:
            return None
        return block.goal_id

    def status_at(self, screen_offset: Offset) -> str:
        """The lane under `screen_offset`: the one whose rows it is in, else the first."""
        block = self._block_at(self._row_at(screen_offset))
        return block.status if block is not None else self.statuses[0]

    def scroll_to_card(self, goal_id: str) -> None:
        """Scroll the least that shows the whole card (its top when it is taller than the view)."""
        block = self._by_goal.get(goal_id)
        if block is None:
            return
        view = self.scrollable_content_region.height
        if view <= 0:
            self.call_after_refresh(self.scroll_to_card, goal_id)
            return
        top = round(self.scroll_y)
        height = block.height - 1
        if block.y < top:
            self.scroll_to(y=block.y, animate=False)
        elif block.y + height > top + view:
            self.scroll_to(y=min(block.y, block.y + height - view), animate=False)

    # --- layout -------------------------------------------------------------------------

    def _relayout(self) -> None:
        """Place the lanes' headings and cards one under the other (no text is measured)."""
        width = self._width = self.scrollable_content_region.width
        blocks: list[_Block] = []
        cards: dict[str, _Card] = {}
        ids: list[str] = []
        y = 0
        for status in self.statuses:
            if self.headings:
                blocks.append(_Block(y, 2, "heading", status))
                y += 2
            summaries = self._lanes[status]
            if not summaries:
                blocks.append(_Block(y, 2, "note", status))
                y += 2
            for summary in summaries:
                goal_id = summary.goal_id
                card = self._cards.get(goal_id)
                if card is None or card.summary is not summary or card.width != width:
                    card = _Card(summary, width)
                cards[goal_id] = card
                ids.append(goal_id)
                height = len(card.lines) + 1
                blocks.append(_Block(y, height, "card", status, goal_id))
                y += height
        self._cards = cards
        self._blocks = blocks
        self._starts = [block.y for block in blocks]
        self._by_goal = {block.goal_id: block for block in blocks if block.kind == "card"}
        self._ids = ids
        if self.cursor not in cards:
            self.set_reactive(CardColumn.cursor, None)
        self.virtual_size = Size(width, y)
        self.refresh()

    def on_resize(self) -> None:
        """Lay the cards out again at the new width."""
        if self.scrollable_content_region.width != self._width:
            self._relayout()

    # --- drawing ------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        """Redraw with the new styles (a theme change)."""
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()
        self.refresh()

    def _base(self) -> Style:
        """The column's own Rich style (cached: it walks every ancestor)."""
        style = self._styles.get(())
        if style is None:
            style = self._styles[()] = self.rich_style
        return style

    def _style(self, *names: str) -> Style:
        """The Rich style of these component classes, one over the other (cached)."""
        style = self._styles.get(names)
        if style is None:
            classes = [f"card-column--{name}" for name in names]
            style = self.get_visual_style(*classes).rich_style
            if any(self.get_component_styles(name).text_style.reverse for name in classes):
                style += Style(reverse=True)  # a visual style has no reverse: add it
            self._styles[names] = style
        return style

    def _refresh_card(self, goal_id: str | None) -> None:
        block = self._by_goal.get(goal_id or "")
        if block is not None:
            self.refresh_lines(block.y, block.height)

    def _card_state(self, goal_id: str) -> str:
        if goal_id == self.dragging:
            return "dragging"
        if goal_id == self.cursor and self.active:
            return "cursor"
        return ""

    def _card_row(self, card: _Card, row: int, state: str) -> Strip:
        key = (card, row, state)
        strip = self._strips.get(key)
        if strip is not None:
            return strip
        layers = ("card", state) if state else ("card",)
        if state == "cursor":
            edge = "edge-cursor"
        elif card.summary.criterion_met:
            edge = "edge-met"
        else:
            edge = "edge"
        background = self._style(*layers)
        segments = [Segment(" " * card.indent, self._base())] if card.indent else []
        segments += [Segment("▌", self._style(*layers, edge)), Segment(" ", background)]
        if row < len(card.lines):
            for text, role in card.lines[row]:
                segments.append(Segment(text, self._style(*layers, role)))
        strip = Strip(segments).extend_cell_length(card.width, background)
        self._strips[key] = strip
        return strip

    def _heading_row(self, status: str) -> Strip:
        label = f"{lane_label(status)} ({len(self._lanes[status])})"
        names = ("heading", "drop-target") if status == self.drop_target else ("heading",)
        return Strip([Segment(fit(label, self._width), self._style(*names))])

    def _note_row(self) -> Strip:
        key = ("note", self._width)
        strip = self._strips.get(key)
        if strip is None:
            strip = Strip([Segment(fit(NO_GOALS, self._width), self._style("note"))])
            self._strips[key] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        """Row `y` of the view: part of a card, a lane heading, a note, or blank."""
        width = self._width
        base = self._base()
        row = y + round(self.scroll_y)
        block = self._block_at(row)
        strip: Strip | None = None
        if block is not None:
            inner = row - block.y
            if block.kind == "card":
                if inner < block.height - 1:
                    card = self._cards[block.goal_id]
                    strip = self._card_row(card, inner, self._card_state(block.goal_id))
            elif inner == 0:
                if block.kind == "heading":
                    strip = self._heading_row(block.status)
                else:
                    strip = self._note_row()
        if strip is None:
            return Strip.blank(width, base)
        return strip.crop_extend(0, width, base)

    # --- the mouse ----------------------------------------------------------------------

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """Put the cursor on the card under the pointer; a drag may begin."""
        self._ignore_click = False
        if event.button != 1:
            return
        goal_id = self.goal_at(event.screen_offset)
        if goal_id is None:
            return
        self._press = (goal_id, event.screen_offset)
        self._drag = None
        self.capture_mouse()
        self.post_message(self.Pressed(self, goal_id))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """While the button is down on a card, report where it is being dragged."""
        if self._press is None:
            return
        goal_id, pressed_at = self._press
        if self._drag is None:
            if event.screen_offset == pressed_at:
                return
            self._drag = goal_id
            self.dragging = goal_id
        self.post_message(self.Dragged(self, goal_id, event.screen_offset))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        """Release the mouse; after a drag, report where the card was dropped."""
        if self._press is None:
            return
        dragged = self._drag
        self._end_drag()
        if dragged is not None:
            event.stop()
            self._ignore_click = True  # the release ends a drag, it is no click
            self.post_message(self.Dropped(self, dragged, event.screen_offset))

    def on_mouse_release(self) -> None:
        """The mouse was taken away mid-drag (another widget captured it): cancel."""
        dragged = self._drag
        if self._press is not None:
            self._end_drag()
        if dragged is not None:
            self.post_message(self.Dropped(self, dragged, None))

    def _end_drag(self) -> None:
        self._press = None
        self._drag = None
        self.dragging = None
        if self.app.mouse_captured is self:
            self.release_mouse()

    def on_click(self, event: events.Click) -> None:
        """A double click on a card opens it."""
        if self._ignore_click:
            self._ignore_click = False
            return
        goal_id = self.goal_at(event.screen_offset)
        if goal_id is not None and event.chain >= 2:
            self.post_message(self.Opened(self, goal_id))
