"""The goal board: a column per status, a card per goal, moved with keys or the mouse.

Columns: baseline, acquisition, mastered, generalization, maintenance and
closed, and one collapsible column that holds the side states (on hold,
discontinued). Each card shows a goal's latest data point, a sparkline of its
recent scores and a "criterion met" badge when the data satisfy the mastery
criterion; the therapist confirms by moving the card.

Loading runs in a thread worker that reads every measurement once
(`BoardData.load`), so 200 goals with 20,000 data points cost one pass, not
one query per card. A move shows at once (the card is re-mounted in its new
column) and is written by a single mover thread, in order, as
`Journal.move_goal` (kept in the goal's history with its author); each
written move posts `JournalEdited`.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.errors import NoWidget
from textual.geometry import Offset
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Footer, Header, Static
from textual.worker import Worker, WorkerState, get_current_worker

from journal.errors import TandemError
from journal.journal import Journal
from journal.model import GOAL_STATUSES, Comment, Goal, GoalEvent, Measurement
from journal.text import one_line
from screens.base import JournalEdited, MainScreen
from widgets.goal_card import RECENT_POINTS, GoalCard, GoalSummary, format_measurement

if TYPE_CHECKING:
    from screens.goal_detail_screen import GoalDetailScreen

__all__ = [
    "MAIN_STATUSES",
    "SIDE_STATUSES",
    "BoardColumn",
    "BoardData",
    "GoalsScreen",
    "StatusLane",
    "board_order",
    "measurement_score",
    "summarize_goals",
]

MAIN_STATUSES = GOAL_STATUSES[:6]
"""The statuses with a column of their own, left to right."""

SIDE_STATUSES = ("on hold", "discontinued")
"""The side states, folded into one collapsible column at the right."""

FIRST_CARD_ROWS = 5
"""The fewest rows a card takes: the board mounts what fits before its first paint."""

SIDE_LABEL = "On hold · Discontinued"
SIDE_SHORT = "Other"


def status_label(status: str) -> str:
    """A status as a column heading: 'On hold', 'Acquisition'."""
    return status[:1].upper() + status[1:]


# --- the board's data, in one pass (no Textual) ----------------------------------------


def measurement_score(doc: Mapping[str, Any]) -> float | None:
    """A stored measurement's score, as `Measurement.score` computes it."""
    correct, total = doc.get("correct"), doc.get("total")
    if correct is not None and total:
        return 100.0 * correct / total
    value = doc.get("value")
    return float(value) if value is not None else None


def board_order(goals: Sequence[Goal]) -> list[tuple[Goal, int, str]]:
    """Goals in board order: each long-term goal followed by its objectives, oldest first.

    Returns (goal, depth, parent title) for each. A goal whose parent is
    missing (deleted, or not in `goals`) is shown as a long-term goal; a
    cycle of parents (possible after merging two copies) is broken.
    """
    by_id = {goal.id: goal for goal in goals}
    children: dict[str, list[Goal]] = {}
    roots: list[Goal] = []
    for goal in goals:
        if goal.parent_id is not None and goal.parent_id in by_id and goal.parent_id != goal.id:
            children.setdefault(goal.parent_id, []).append(goal)
        else:
            roots.append(goal)
    ordered: list[tuple[Goal, int, str]] = []
    seen: set[str] = set()

    def visit(goal: Goal, depth: int, parent_title: str) -> None:
        stack = [(goal, depth, parent_title)]
        while stack:
            current, level, parent = stack.pop()
            if current.id in seen:
                continue
            seen.add(current.id)
            ordered.append((current, level, parent))
            for child in reversed(children.get(current.id, ())):
                stack.append((child, level + 1, current.title))

    for root in roots:
        visit(root, 0, "")
    for goal in goals:  # only goals caught in a cycle are left
        if goal.id not in seen:
            parent = by_id.get(goal.parent_id or "")
            visit(goal, 1 if parent else 0, parent.title if parent else "")
    return ordered


def summarize_goals(
    goals: Sequence[Goal], measurements: Iterable[Mapping[str, Any]]
) -> list[GoalSummary]:
    """A summary per goal, in board order, from one pass over stored measurements.

    `measurements` are stored measurement documents (tombstones are skipped).
    The criterion is the journal's: the last N scored data points, in date
    order, all reach the criterion value (`Journal.criterion_met`).
    """
    points: dict[str, list[Mapping[str, Any]]] = {goal.id: [] for goal in goals}
    for doc in measurements:
        if doc.get("deleted_at") is not None:
            continue
        found = points.get(doc.get("goal_id", ""))
        if found is not None:
            found.append(doc)
    summaries: list[GoalSummary] = []
    for goal, depth, parent_title in board_order(goals):
        docs = points[goal.id]
        docs.sort(key=lambda d: (d.get("date", ""), d.get("created_at", "")))
        scores = [s for s in (measurement_score(d) for d in docs) if s is not None]
        recent = scores[-goal.criterion_sessions :]
        met = len(recent) >= goal.criterion_sessions and all(
            s >= goal.criterion_value for s in recent
        )
        last = docs[-1] if docs else None
        summaries.append(
            GoalSummary(
                goal=goal,
                parent_title=parent_title,
                depth=depth,
                count=len(docs),
                last_date=str(last.get("date", "")) if last else "",
                last_text=format_measurement(
                    goal.measure, measurement_score(last), last.get("correct"), last.get("total")
                )
                if last
                else "",
                recent=tuple(scores[-RECENT_POINTS:]),
                criterion_met=met,
                last_prompt=next((d["prompt"] for d in reversed(docs) if d.get("prompt")), ""),
                last_setting=next((d["setting"] for d in reversed(docs) if d.get("setting")), ""),
            )
        )
    return summaries


@dataclass(frozen=True)
class BoardData:
    """Every goal's summary, in board order, as loaded for the board."""

    summaries: tuple[GoalSummary, ...] = ()

    @classmethod
    def load(cls, journal: Journal) -> BoardData:
        """Read the goals and their measurements (one pass; no Textual, fine in a thread)."""
        with journal.lock:
            goals = journal.goals()
            stored = journal.document().get(Measurement.TABLE, {})
            summaries = summarize_goals(goals, stored.values())
        return cls(tuple(summaries))

    def lane(self, status: str) -> list[GoalSummary]:
        """The summaries of the goals with `status`, in board order."""
        return [s for s in self.summaries if s.goal.status == status]

    @property
    def goals(self) -> list[Goal]:
        """Every goal, in board order."""
        return [s.goal for s in self.summaries]


# --- lanes and columns ------------------------------------------------------------------


class StatusLane(Vertical):
    """The cards of one status, in board order; in the side column with its own heading."""

    DEFAULT_CSS = """
    StatusLane {
        height: auto;
        & > .lane-heading { color: $text-secondary; text-style: bold; margin: 0 0 1 0; }
        & > .lane-heading.-drop-target { background: $accent 50%; color: $text; }
        & > .lane-empty { color: $text-muted; margin: 0 0 1 0; }
    }
    """

    def __init__(self, status: str, *, heading: bool = False) -> None:
        """The lane for `status`; `heading` shows its name above its cards."""
        super().__init__()
        self.status = status
        self._heading = heading
        self.total = 0
        """How many goals have this status (some may be mounted a moment later)."""

    def compose(self) -> ComposeResult:
        """The heading (in the side column) and the empty-lane note."""
        if self._heading:
            yield Static(status_label(self.status), classes="lane-heading")
        yield Static("No goals", classes="lane-empty")

    @property
    def cards(self) -> list[GoalCard]:
        """The cards in this lane, top to bottom."""
        return [child for child in self.children if isinstance(child, GoalCard)]

    def refresh_count(self) -> int:
        """Show whether the lane is empty and its count in its heading; returns the count."""
        count = self.total
        # The note's own display, not a class on the lane: that would restyle every card.
        self.query_one(".lane-empty").display = count == 0
        if self._heading:
            heading = self.query_one(".lane-heading", Static)
            heading.update(f"{status_label(self.status)} ({count})")
        return count


class CardScroll(VerticalScroll, can_focus=False, inherit_bindings=False):
    """A column's scrolling body; it leaves the arrow keys to the board."""


class BoardColumn(Vertical):
    """A column of the board: a heading, then the lanes of its statuses."""

    DEFAULT_CSS = """
    BoardColumn {
        width: 1fr;
        min-width: 16;
        height: 1fr;
        & > .column-header {
            height: 1;
            padding: 0 1;
            background: $panel;
            color: $text;
            text-style: bold;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
        & > CardScroll {
            height: 1fr;
            padding: 1 0 0 1;
            scrollbar-size-vertical: 1;
            scrollbar-gutter: stable;
        }
        & > .column-header.-drop-target { background: $accent; color: $text; }
        &.-collapsed { width: 11; min-width: 11; }
        &.-collapsed > CardScroll { display: none; }
    }
    """

    collapsed: reactive[bool] = reactive(False)
    """A collapsible column shows only its heading."""

    class HeaderClicked(Message):
        """The column's heading was clicked."""

        def __init__(self, column: BoardColumn) -> None:
            """`column`'s heading was clicked."""
            super().__init__()
            self.column = column

    def __init__(
        self,
        label: str,
        statuses: Sequence[str],
        *,
        short_label: str = "",
        collapsible: bool = False,
        id: str | None = None,
    ) -> None:
        """A column showing the goals of `statuses`, headed `label`."""
        super().__init__(id=id)
        self.label = label
        self.short_label = short_label or label
        self.statuses = tuple(statuses)
        self.collapsible = collapsible
        self._count = 0

    def compose(self) -> ComposeResult:
        """The heading and a lane per status."""
        yield Static(self.label, classes="column-header")
        with CardScroll():
            for status in self.statuses:
                yield StatusLane(status, heading=len(self.statuses) > 1)

    @property
    def lanes(self) -> list[StatusLane]:
        """The lanes of this column, in order."""
        return list(self.query(StatusLane))

    @property
    def cards(self) -> list[GoalCard]:
        """Every card in this column, top to bottom."""
        return [card for lane in self.lanes for card in lane.cards]

    def refresh_counts(self) -> None:
        """Count the cards again, in the heading and each lane."""
        self._count = sum(lane.refresh_count() for lane in self.lanes)
        self._show_heading()

    def _show_heading(self) -> None:
        """The label, cut to leave room for the count in a narrow column."""
        label = self.label
        if self.collapsible:
            mark = "▸" if self.collapsed else "▾"
            label = f"{mark} {self.short_label if self.collapsed else self.label}"
        count = str(self._count)
        header = self.query_one(".column-header", Static)
        room = header.content_size.width - len(count) - 1
        if 1 < room < len(label):
            label = label[: room - 1] + "…"
        header.update(Content.assemble(f"{label} ", (count, "$text-muted")))

    def on_resize(self) -> None:
        """Fit the heading to the new width."""
        self._show_heading()

    def show_drop_target(self, status: str | None) -> None:
        """Mark where a dragged card would land: this column's heading, or a lane's.

        Only the headings change class (a class on the column would restyle every card).
        """
        self.query_one(".column-header").set_class(
            status is not None and (len(self.statuses) == 1 or self.collapsed), "-drop-target"
        )
        for lane in self.lanes:
            for heading in lane.query(".lane-heading"):
                heading.set_class(lane.status == status and not self.collapsed, "-drop-target")

    def watch_collapsed(self, collapsed: bool) -> None:
        """Show or hide the cards."""
        self.set_class(collapsed, "-collapsed")
        if self.is_mounted:
            self.refresh_counts()

    def on_click(self, event: events.Click) -> None:
        """Report a click on the heading."""
        if event.widget is not None and event.widget.has_class("column-header"):
            self.post_message(self.HeaderClicked(self))


# --- the screen --------------------------------------------------------------------------


class GoalsScreen(MainScreen):
    """The goal board: a column per status; move cards with shift+←/→ or by dragging."""

    ALLOW_SELECT = False

    DEFAULT_CSS = """
    GoalsScreen {
        layout: vertical;
        & #board-status { height: 1; padding: 0 1; color: $text-muted; }
        & #board { height: 1fr; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_goal", "New goal", id="goals.new"),
        Binding("e", "edit_goal", "Edit", id="goals.edit"),
        Binding("m", "measure", "Record data", id="goals.measure"),
        Binding("enter", "open_goal", "Open", id="goals.open"),
        Binding(
            "shift+left,less_than_sign",
            "move(-1)",
            "Move left",
            key_display="⇧← <",
            id="goals.move_left",
        ),
        Binding(
            "shift+right,greater_than_sign",
            "move(1)",
            "Move right",
            key_display="⇧→ >",
            id="goals.move_right",
        ),
        Binding("h", "toggle_side", "On hold/discontinued", id="goals.side"),
        Binding("up,k", "cursor(0, -1)", "Card above", show=False, id="goals.up"),
        Binding("down,j", "cursor(0, 1)", "Card below", show=False, id="goals.down"),
        Binding("left", "cursor(-1, 0)", "Column to the left", show=False, id="goals.left"),
        Binding("right", "cursor(1, 0)", "Column to the right", show=False, id="goals.right"),
        Binding("home", "cursor_end(-1)", "First card", show=False, id="goals.first"),
        Binding("end", "cursor_end(1)", "Last card", show=False, id="goals.last"),
    ]

    class BoardLoaded(Message):
        """The board's data, from the worker that read it."""

        def __init__(self, data: BoardData) -> None:
            """The summaries to show."""
            super().__init__()
            self.data = data

    class Moved(Message):
        """The mover thread wrote a move (`error` is empty) or could not."""

        def __init__(self, goal_id: str, status: str, title: str, error: str = "") -> None:
            """`goal_id` (titled `title`) moved to `status`, or failed with `error`."""
            super().__init__()
            self.goal_id = goal_id
            self.status = status
            self.title = title
            self.error = error

    class MovesWritten(Message):
        """The mover thread wrote every queued move and stopped."""

    def __init__(self, journal: Journal) -> None:
        """The board for `journal`."""
        super().__init__(journal)
        self._data: BoardData | None = None
        self._cards: dict[str, GoalCard] = {}
        self._order: dict[str, int] = {}
        self._wanted: str | None = None  # a goal to focus once the board has it
        self._moves: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
        self._mover_lock = threading.Lock()
        self._mover_running = False
        self._reload_after_moves = False
        self._drop_target: tuple[BoardColumn, str | None] | None = None
        self._detail: GoalDetailScreen | None = None  # the detail pushed over the board
        self._pending: dict[str, list[GoalSummary]] = {}  # cards mounted after the first paint
        self._generation = 0  # bumped by each load, so a stale later mount does nothing

    # --- building ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Header, a status line, the columns and the footer."""
        yield Header()
        yield Static("Loading goals…", id="board-status")
        with Horizontal(id="board"):
            for status in MAIN_STATUSES:
                yield BoardColumn(status_label(status), (status,), id=f"column-{_css(status)}")
            yield BoardColumn(
                SIDE_LABEL,
                SIDE_STATUSES,
                short_label=SIDE_SHORT,
                collapsible=True,
                id="column-side",
            )
        yield Footer()

    def on_mount(self) -> None:
        """Fold the side column and load the board."""
        side = self.side_column
        side.collapsed = True
        for column in self.columns:
            column.refresh_counts()
        self.reload()

    # --- the MainScreen contract ------------------------------------------------------

    def reload(self) -> None:
        """Read the journal again; the focused card stays focused."""
        self.load_board()
        detail = self._detail
        if detail is not None and detail.is_attached:
            detail.reload()

    def show_record(self, record_id: str) -> None:
        """Focus the card of goal `record_id` (or of the goal a data point or move is about)."""
        goal_id = self._goal_id_for(record_id)
        if goal_id is None:
            return
        detail = self._detail
        if detail is not None and detail.is_attached and detail.goal_id != goal_id:
            detail.dismiss()
        self._wanted = goal_id
        if goal_id in self._cards:
            self._focus_wanted()
        elif not any(s.goal_id == goal_id for tail in self._pending.values() for s in tail):
            self.reload()  # a goal the board has not read yet (held-back cards focus it)

    def _goal_id_for(self, record_id: str) -> str | None:
        try:
            record = self.journal.find(record_id)
            if isinstance(record, Comment):
                record = self.journal.find(record.target_id)
            if isinstance(record, Measurement | GoalEvent):
                record = self.journal.get(Goal, record.goal_id)
        except TandemError:
            return None
        if not isinstance(record, Goal) or record.deleted:
            return None
        return record.id

    # --- loading -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="board")
    def load_board(self) -> None:
        """Read every goal's summary in one pass (in a thread) and post it back."""
        data = BoardData.load(self.journal)
        if not get_current_worker().is_cancelled:
            self.post_message(self.BoardLoaded(data))

    @on(BoardLoaded)
    async def _show_board(self, event: BoardLoaded) -> None:
        if self._mover_running:
            # A move is still being written: this data may predate it. Read again after.
            self._reload_after_moves = True
            return
        data = event.data
        self._order = {s.goal_id: index for index, s in enumerate(data.summaries)}
        self._generation += 1
        self._pending.clear()
        focused = self.focused_card
        keep = self._wanted or (focused.goal_id if focused is not None else None)
        with self.app.batch_update():
            mounts = []
            for lane in self.lanes:
                wanted = data.lane(lane.status)
                lane.total = len(wanted)
                cards = lane.cards
                if [c.goal_id for c in cards] == [s.goal_id for s in wanted]:
                    for card, summary in zip(cards, wanted, strict=True):
                        card.summary = summary  # same cards: only their text changes
                    continue
                await lane.remove_children(GoalCard)
                # The cards a screen can show first; the rest right after the first paint.
                shown = 0 if self._folded(lane) else self._first_cards()
                head, tail = wanted[:shown], wanted[shown:]
                if head:
                    mounts.append(lane.mount_all([GoalCard(summary) for summary in head]))
                if tail:
                    self._pending[lane.status] = tail
            for mount in mounts:
                await mount
            self._cards = {card.goal_id: card for lane in self.lanes for card in lane.cards}
            self._data = data
            self._refresh_counts()
        if keep is not None:
            self._wanted = keep
            self._focus_wanted()
        if self.focused is None and data.summaries:
            first = self._first_card()
            if first is not None:
                first.focus(scroll_visible=False)
        self.refresh_bindings()
        if self._pending:
            self.call_after_refresh(self._mount_the_rest, self._generation)

    def _first_cards(self) -> int:
        """How many cards a column can show (a card is at least 5 rows), and one more."""
        return max(4, (self.size.height - 4) // FIRST_CARD_ROWS + 1)

    def _folded(self, lane: StatusLane) -> bool:
        column = self._column_of_lane(lane)
        return column is not None and column.collapsed

    @staticmethod
    def _column_of_lane(lane: StatusLane) -> BoardColumn | None:
        return next((n for n in lane.ancestors if isinstance(n, BoardColumn)), None)

    async def _mount_the_rest(self, generation: int | None = None) -> None:
        """Mount the cards held back for a quick first paint (unless the board was reloaded)."""
        if generation is not None and generation != self._generation:
            return
        pending, self._pending = self._pending, {}
        if not pending:
            return
        with self.app.batch_update():
            mounts = []
            for status, summaries in pending.items():
                cards = [GoalCard(summary) for summary in summaries]
                mounts.append(self.lane(status).mount_all(cards))
                self._cards.update((card.goal_id, card) for card in cards)
            for mount in mounts:
                await mount
        if self._wanted is not None:
            self._focus_wanted()

    def _refresh_counts(self, columns: Sequence[BoardColumn | None] | None = None) -> None:
        for column in self.columns if columns is None else columns:
            if column is not None:
                column.refresh_counts()
        data = self._data
        status = self.query_one("#board-status", Static)
        if data is None:
            return
        if not data.summaries:
            status.update("No goals yet. Press n to add the first one.")
            return
        total = len(data.summaries)
        met = sum(1 for summary in data.summaries if summary.criterion_met)
        parts = [f"{total} goal{'s' if total != 1 else ''}"]
        if met:
            parts.append(f"{met} with the criterion met (confirm by moving the card)")
        parts.append("move with ⇧←/⇧→ or drag")
        status.update(Content(" · ".join(parts)))

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.notify(
                one_line(str(event.worker.error)),
                title="Could not read the goals"
                if event.worker.group == "board"
                else "Could not change the goal",
                severity="error",
                markup=False,
            )
            if event.worker.group == "move":
                with self._mover_lock:
                    self._mover_running = False
                self.reload()

    # --- the board's parts ---------------------------------------------------------------

    @property
    def columns(self) -> list[BoardColumn]:
        """The columns, left to right."""
        return list(self.query(BoardColumn))

    @property
    def side_column(self) -> BoardColumn:
        """The collapsible column of the side states."""
        return self.query_one("#column-side", BoardColumn)

    @property
    def lanes(self) -> list[StatusLane]:
        """Every lane, in status order."""
        return list(self.query(StatusLane))

    def lane(self, status: str) -> StatusLane:
        """The lane of `status`."""
        for lane in self.lanes:
            if lane.status == status:
                return lane
        raise KeyError(status)

    def card(self, goal_id: str) -> GoalCard | None:
        """The card of `goal_id`, when the board shows it."""
        return self._cards.get(goal_id)

    @property
    def focused_card(self) -> GoalCard | None:
        """The focused card, or None."""
        focused = self.focused
        return focused if isinstance(focused, GoalCard) else None

    @property
    def data(self) -> BoardData | None:
        """The board's data as last shown (None until the first load is shown)."""
        return self._data

    @property
    def mounting(self) -> bool:
        """True while cards held back for a quick first paint are still to be mounted."""
        return bool(self._pending)

    def _first_card(self) -> GoalCard | None:
        return next((card for cards in self._navigable_columns() for card in cards), None)

    def _focus_wanted(self) -> None:
        card = self._cards.get(self._wanted or "")
        if card is None or not card.is_mounted:
            return  # not on the board yet (mounting, or loading): focused once it is
        self._wanted = None
        if card.status in SIDE_STATUSES:
            self.side_column.collapsed = False
        card.focus()

    # --- moving around -------------------------------------------------------------------

    def _navigable_columns(self) -> list[list[GoalCard]]:
        return [column.cards for column in self.columns if not column.collapsed]

    def action_cursor(self, dx: int, dy: int) -> None:
        """Focus the card above or below, or in the next column with cards."""
        columns = [cards for cards in self._navigable_columns()]
        card = self.focused_card
        position = next(
            ((x, cards.index(card)) for x, cards in enumerate(columns) if card in cards), None
        )
        if position is None:
            first = self._first_card()
            if first is not None:
                first.focus()
            return
        x, y = position
        if dy:
            cards = columns[x]
            cards[max(0, min(len(cards) - 1, y + dy))].focus()
            return
        x += dx
        while 0 <= x < len(columns):
            if columns[x]:
                columns[x][min(y, len(columns[x]) - 1)].focus()
                return
            x += dx

    def action_cursor_end(self, direction: int) -> None:
        """Focus the first or last card of the focused card's column."""
        card = self.focused_card
        for cards in self._navigable_columns():
            if card in cards:
                (cards[0] if direction < 0 else cards[-1]).focus()
                return

    def action_toggle_side(self) -> None:
        """Show or fold the column of goals on hold and discontinued."""
        side = self.side_column
        side.collapsed = not side.collapsed
        card = self.focused_card
        if side.collapsed and card is not None and card.status in SIDE_STATUSES:
            first = self._first_card()
            if first is not None:
                first.focus()
            else:
                self.set_focus(None)

    @on(BoardColumn.HeaderClicked)
    def _header_clicked(self, event: BoardColumn.HeaderClicked) -> None:
        if event.column.collapsible:
            self.action_toggle_side()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Edit, record, open and move only with a card focused."""
        if action in ("edit_goal", "measure", "open_goal", "move"):
            return self.focused_card is not None
        return True

    # --- moving cards ----------------------------------------------------------------------

    async def action_move(self, step: int) -> None:
        """Move the focused card to the previous or next status."""
        card = self.focused_card
        if card is None:
            return
        index = GOAL_STATUSES.index(card.status) + step
        if 0 <= index < len(GOAL_STATUSES):
            await self.move_card(card.goal_id, GOAL_STATUSES[index])

    async def move_card(self, goal_id: str, status: str) -> None:
        """Show the goal in the `status` column now, and write the move in the mover thread."""
        if self._pending:
            await self._mount_the_rest()  # so the card lands among all the others
        card = self._cards.get(goal_id)
        if card is None or card.status == status or status not in GOAL_STATUSES:
            return
        summary = card.summary
        moved = GoalCard(replace(summary, goal=replace(summary.goal, status=status)))
        lane = self.lane(status)
        order = self._order.get(goal_id, 0)
        before = next(
            (other for other in lane.cards if self._order.get(other.goal_id, 0) > order), None
        )
        if status in SIDE_STATUSES:
            self.side_column.collapsed = False
        # Mount and focus the new card before removing the old one, so the focus
        # never lands on (and scrolls to) some other card in between; one repaint.
        with self.app.batch_update():
            await lane.mount(moved, before=before)
            self._cards[goal_id] = moved
            moved.focus()
            old_column = self._column_of(card)
            old_lane = card.parent
            if isinstance(old_lane, StatusLane):
                old_lane.total -= 1
            lane.total += 1
            await card.remove()
            self._refresh_counts([old_column, self._column_of(moved)])
        self._queue_move(goal_id, status)

    @staticmethod
    def _column_of(card: GoalCard) -> BoardColumn | None:
        return next((n for n in card.ancestors if isinstance(n, BoardColumn)), None)

    def _queue_move(self, goal_id: str, status: str) -> None:
        self._moves.put((goal_id, status))
        with self._mover_lock:
            if self._mover_running:
                return
            self._mover_running = True
        self._write_moves()

    @work(thread=True, exit_on_error=False, group="move")
    def _write_moves(self) -> None:
        """Write the queued moves, oldest first (in a thread), each as its own edit."""
        while True:
            with self._mover_lock:
                try:
                    goal_id, status = self._moves.get_nowait()
                except queue.Empty:
                    self._mover_running = False
                    self.post_message(self.MovesWritten())
                    return
            try:
                goal = self.journal.move_goal(goal_id, status)
            except TandemError as error:
                self.post_message(self.Moved(goal_id, status, "", str(error)))
            else:
                self.post_message(self.Moved(goal_id, status, goal.title))

    @on(Moved)
    def _moved(self, event: Moved) -> None:
        if event.error:
            self.notify(one_line(event.error), title="Not moved", severity="error", markup=False)
            self._reload_after_moves = True
            return
        self.post_message(JournalEdited(f"“{one_line(event.title)}” moved to {event.status}"))

    @on(MovesWritten)
    def _moves_written(self) -> None:
        if self._reload_after_moves and not self._mover_running:
            self._reload_after_moves = False
            self.reload()

    # --- the mouse: drag a card onto a column ------------------------------------------------

    def status_at(self, screen_offset: Offset) -> str | None:
        """The status of the lane or column under `screen_offset`, or None.

        In the side column, the lane under the pointer (its first lane when the
        column is folded, or below the lanes).
        """
        try:
            widget, _region = self.get_widget_at(*screen_offset)
        except NoWidget:  # outside the screen: no target
            return None
        for node in widget.ancestors_with_self:
            if isinstance(node, StatusLane):
                return node.status
            if isinstance(node, BoardColumn):
                return node.statuses[0]
        return None

    def _column_at(self, screen_offset: Offset) -> BoardColumn | None:
        try:
            widget, _region = self.get_widget_at(*screen_offset)
        except NoWidget:  # outside the screen: no target
            return None
        return next((n for n in widget.ancestors_with_self if isinstance(n, BoardColumn)), None)

    def _highlight(self, column: BoardColumn | None, status: str | None) -> None:
        target = (column, status) if column is not None else None
        if target == self._drop_target:
            return
        if self._drop_target is not None:
            self._drop_target[0].show_drop_target(None)
        self._drop_target = target
        if column is not None:
            column.show_drop_target(status)

    @on(GoalCard.Dragged)
    def _card_dragged(self, event: GoalCard.Dragged) -> None:
        column = self._column_at(event.screen_offset)
        status = self.status_at(event.screen_offset)
        self._highlight(column, status)

    @on(GoalCard.Dropped)
    async def _card_dropped(self, event: GoalCard.Dropped) -> None:
        self._highlight(None, None)
        if event.screen_offset is None:
            return
        status = self.status_at(event.screen_offset)
        if status is not None and status != event.card.status:
            await self.move_card(event.card.goal_id, status)

    @on(GoalCard.Opened)
    def _card_opened(self, event: GoalCard.Opened) -> None:
        self._open_detail(event.card.goal_id)

    # --- goals, data and the detail ----------------------------------------------------------

    def action_open_goal(self) -> None:
        """Show the focused goal's detail: fields, chart, data, history, links, thread."""
        card = self.focused_card
        if card is not None:
            self._open_detail(card.goal_id)

    def _open_detail(self, goal_id: str) -> None:
        from screens.goal_detail_screen import GoalDetailScreen

        detail = GoalDetailScreen(self.journal, goal_id)
        self._detail = detail
        self.app.push_screen(detail, callback=self._detail_closed)

    def _detail_closed(self, _result: object = None) -> None:
        self._detail = None
        self.reload()

    def action_new_goal(self) -> None:
        """Add a goal with the goal form; a focused long-term goal is offered as its parent."""
        from screens.goal_form_screen import GoalFormScreen

        goals = self._data.goals if self._data is not None else None
        self.app.push_screen(GoalFormScreen(self.journal, goals=goals), callback=self._form_closed)

    def action_edit_goal(self) -> None:
        """Edit the focused goal with the goal form."""
        from screens.goal_form_screen import GoalFormScreen

        card = self.focused_card
        if card is None:
            return
        goals = self._data.goals if self._data is not None else None
        self.app.push_screen(
            GoalFormScreen(self.journal, card.summary.goal, goals=goals),
            callback=self._form_closed,
        )

    def _form_closed(self, goal_id: str | None) -> None:
        if goal_id is not None:
            self._wanted = goal_id
            self.reload()

    def action_measure(self) -> None:
        """Record a data point for the focused goal."""
        from screens.measurement_dialog import MeasurementDialog

        card = self.focused_card
        if card is None:
            return
        summary = card.summary
        goal_id = summary.goal_id

        def recorded(measurement_id: str | None) -> None:
            if measurement_id is not None:
                self._wanted = goal_id
                self.reload()

        self.app.push_screen(
            MeasurementDialog(
                self.journal,
                summary.goal,
                last_prompt=summary.last_prompt,
                last_setting=summary.last_setting,
            ),
            callback=recorded,
        )

    def iter_cards(self) -> Iterator[GoalCard]:
        """Every card on the board, column by column."""
        for lane in self.lanes:
            yield from lane.cards


def _css(status: str) -> str:
    return status.replace(" ", "-")
