"""The goal board: a column per status, a card per goal, moved with keys or the mouse.

Columns: baseline, acquisition, mastered, generalization, maintenance and
closed, and one collapsible column that holds the side states (on hold,
discontinued). Each card shows a goal's latest data point, a sparkline of its
recent scores and a "criterion met" badge when the data satisfy the mastery
criterion; the therapist confirms by moving the card.

Loading runs in a thread worker that reads every measurement once
(`BoardData.load`), so 200 goals with 20,000 data points cost one pass, not
one query per card; a reload works out again only the goals whose data
points or criterion changed (the others keep their summary from the last
load). Each column (`BoardColumn`) draws its cards itself (`CardColumn`, a
Line API widget: one widget per column, not one per card), and the board
(`Board`) holds the keyboard focus with a cursor on one card. A move shows at
once (the card's summary changes status and the two columns lay out again;
nothing is mounted) and is written in a worker as `Journal.move_goal` (kept
in the goal's history with its author), one move after the other in the
order they were made; each written move posts `JournalEdited`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from operator import itemgetter
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import Footer, Header, Static

from journal import goals as goal_rules
from journal.errors import TandemError
from journal.journal import Journal
from journal.model import GOAL_STATUSES, Comment, Goal, GoalEvent, Measurement
from journal.text import one_line
from screens.base import MainScreen
from screens.goal_data import collect_data, data_bindings, move_bindings, record_data
from widgets.board import Board
from widgets.board_column import BoardColumn
from widgets.card_column import CardColumn
from widgets.goal_card import RECENT_POINTS, GoalSummary, format_measurement
from widgets.messages import JournalEdited

if TYPE_CHECKING:
    from screens.goal_detail_screen import GoalDetailScreen

__all__ = [
    "MAIN_STATUSES",
    "SIDE_STATUSES",
    "BoardData",
    "GoalsScreen",
    "board_order",
    "measurement_score",
    "summarize_goals",
]

MAIN_STATUSES = GOAL_STATUSES[:6]
"""The statuses with a column of their own, left to right."""

SIDE_STATUSES = ("on hold", "discontinued")
"""The side states, folded into one collapsible column at the right."""

SIDE_LABEL = "On hold · Discontinued"
SIDE_SHORT = "Other"


def status_label(status: str) -> str:
    """A status as a column heading: 'On hold', 'Acquisition'."""
    return status[:1].upper() + status[1:]


# --- the board's data, in one pass (no Textual) ----------------------------------------


measurement_score = goal_rules.stored_score
"""A stored measurement's score, as `Measurement.score` computes it (`goals.stored_score`)."""


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


SummaryCache = dict[str, tuple[tuple[object, ...], GoalSummary]]
"""Per goal id: what its summary was worked out from (see `summarize_goals`), and the summary."""


_DATE_ORDER = itemgetter("date", "created_at")


def _summary(
    goal: Goal, depth: int, parent_title: str, docs: list[Mapping[str, Any]]
) -> GoalSummary:
    """A goal's summary from its stored measurements (in any order)."""
    try:
        docs.sort(key=_DATE_ORDER)
    except KeyError:  # a document without a date (not written by Tandem): sort it first
        docs.sort(key=lambda d: (d.get("date", ""), d.get("created_at", "")))
    # Only the latest scores count: the trend line's and the criterion's.
    wanted = max(RECENT_POINTS, goal.criterion_sessions)
    scores: list[float] = []
    for doc in reversed(docs):
        score = measurement_score(doc)
        if score is not None:
            scores.append(score)
            if len(scores) == wanted:
                break
    scores.reverse()
    met = goal_rules.scores_meet_criterion(goal, scores)
    last = docs[-1] if docs else None
    points = [p for p in map(goal_rules.stored_trend_point, docs) if p is not None]
    return GoalSummary(
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
        trend=goal_rules.trend_sentence(goal, points) if len(points) > 1 else "",
    )


def summarize_goals(
    goals: Sequence[Goal],
    measurements: Iterable[Mapping[str, Any]],
    cache: SummaryCache | None = None,
) -> list[GoalSummary]:
    """A summary per goal, in board order, from one pass over stored measurements.

    `measurements` are stored measurement documents (tombstones are skipped).
    The criterion is the journal's: the last N scored data points, in date
    order, all reach the criterion value (`Journal.criterion_met`).

    With a `cache` (from the last call; updated in place), a goal whose data
    points are the same stored versions (each document's identity and clock
    time `hlc`, which every change renews) and whose measure and criterion
    are the same keeps its figures: only the goals that changed are worked
    out again, and a summary equal to the cached one is that same object.
    """
    points: dict[str, list[Mapping[str, Any]]] = {goal.id: [] for goal in goals}
    for doc in measurements:
        if doc.get("deleted_at") is not None:
            continue
        found = points.get(doc.get("goal_id", ""))
        if found is not None:
            found.append(doc)
    known = cache if cache is not None else {}
    fresh: SummaryCache = {}
    summaries: list[GoalSummary] = []
    for goal, depth, parent_title in board_order(goals):
        docs = points[goal.id]
        key = (
            goal.measure,
            goal.criterion_value,
            goal.criterion_sessions,
            tuple(map(id, docs)),
            tuple([doc.get("hlc") for doc in docs]),
        )
        cached = known.get(goal.id)
        if cached is None or cached[0] != key:
            summary = _summary(goal, depth, parent_title, docs)
        else:
            summary = cached[1]
            if (summary.goal, summary.depth, summary.parent_title) != (goal, depth, parent_title):
                summary = replace(summary, goal=goal, depth=depth, parent_title=parent_title)
        fresh[goal.id] = (key, summary)
        summaries.append(summary)
    if cache is not None:
        cache.clear()
        cache.update(fresh)
    return summaries


@dataclass(frozen=True)
class BoardData:
    """Every goal's summary, in board order, as loaded for the board."""

    summaries: tuple[GoalSummary, ...] = ()
    cache: SummaryCache = field(default_factory=dict, compare=False, repr=False)
    """What each summary was worked out from, for the next load (`summarize_goals`)."""

    @classmethod
    def load(cls, journal: Journal, previous: BoardData | None = None) -> BoardData:
        """Read the goals and their measurements (one pass; no Textual, fine in a thread).

        With the `previous` data, only the goals that changed since are worked out again.
        """
        cache = dict(previous.cache) if previous is not None else {}
        with journal.lock:  # the stored data points are read while no one changes them
            goals = journal.goals()
            summaries = summarize_goals(goals, journal.stored_measurements(), cache)
        return cls(tuple(summaries), cache)

    def lane(self, status: str) -> list[GoalSummary]:
        """The summaries of the goals with `status`, in board order."""
        return [s for s in self.summaries if s.goal.status == status]

    @property
    def goals(self) -> list[Goal]:
        """Every goal, in board order."""
        return [s.goal for s in self.summaries]


# --- the screen --------------------------------------------------------------------------


class GoalsScreen(MainScreen):
    """The goal board: a column per status; move cards with shift+←/→ or by dragging."""

    ALLOW_SELECT = False

    WORKER_ERRORS: ClassVar[dict[str, str]] = {
        "board": "Could not read the goals",
        "move": "Could not change the goal",
    }

    DEFAULT_CSS = """
    GoalsScreen {
        layout: vertical;
        & #board-status { height: 1; padding: 0 1; color: $text-muted; }
    }
    /* Below 100 columns the columns keep a readable width and the board scrolls
       sideways (the cursor brings its column into view). */
    GoalsScreen.-narrow {
        & #board { overflow-x: auto; scrollbar-size-horizontal: 1; }
        & BoardColumn { width: 30; min-width: 30; }
        & BoardColumn.-collapsed { width: 11; min-width: 11; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_goal", "New goal", id="goals.new"),
        Binding("e", "edit_goal", "Edit", id="goals.edit"),
        *data_bindings("goals"),
        Binding("enter", "open_goal", "Open", id="goals.open"),
        *move_bindings("goals"),
        Binding("h", "toggle_side", "On hold/discontinued", id="goals.side"),
        Binding("up,k", "cursor(0, -1)", "Card above", show=False, id="goals.up"),
        Binding("down,j", "cursor(0, 1)", "Card below", show=False, id="goals.down"),
        Binding("left", "cursor(-1, 0)", "Column to the left", show=False, id="goals.left"),
        Binding("right", "cursor(1, 0)", "Column to the right", show=False, id="goals.right"),
        Binding("home", "cursor_end(-1)", "First card", show=False, id="goals.first"),
        Binding("end", "cursor_end(1)", "Last card", show=False, id="goals.last"),
    ]

    @dataclass
    class BoardLoaded(Message):
        """The board's data, from the worker that read it."""

        data: BoardData
        """The summaries to show."""

    @dataclass
    class Moved(Message):
        """The move worker wrote a move (`error` is empty) or could not."""

        goal_id: str
        status: str
        """The column the goal was moved to."""
        title: str
        error: str = ""
        """Why the move failed, or empty."""

    def __init__(self, journal: Journal) -> None:
        """The board for `journal`."""
        super().__init__(journal)
        self._data: BoardData | None = None
        self._shown: dict[str, GoalSummary] = {}  # each goal as shown (moves included)
        self._order: dict[str, int] = {}
        self._cursor: str | None = None  # the goal whose card has the cursor
        self._footer_has_card = True  # the footer shows the card keys (see check_action)
        self._wanted: str | None = None  # a goal to put the cursor on once the board has it
        # The moves shown but not written yet, oldest first; a worker writes the first.
        self._moves: deque[tuple[str, str]] = deque()
        self._reload_after_moves = False
        self._detail: GoalDetailScreen | None = None  # the detail pushed over the board
        self._columns: list[BoardColumn] = []
        self._column_for: dict[str, BoardColumn] = {}

    # --- building ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Header, a status line, the columns and the footer."""
        yield Header()
        yield Static("Loading goals…", id="board-status")
        with Board(id="board"):
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
        self._columns = list(self.query(BoardColumn))
        self._column_for = {status: c for c in self._columns for status in c.statuses}
        side = self.side_column
        side.collapsed = True
        for column in self.columns:
            column.refresh_counts()
        self.reload()

    # --- the MainScreen contract ------------------------------------------------------

    def reload(self) -> None:
        """Read the journal again; the card with the cursor keeps it."""
        self.load_board()
        detail = self._detail
        if detail is not None and detail.is_attached:
            detail.reload()

    def show_record(self, record_id: str) -> None:
        """Put the cursor on goal `record_id` (or the goal a data point or move is about)."""
        goal_id = self._goal_id_for(record_id)
        if goal_id is None:
            return
        detail = self._detail
        if detail is not None and detail.is_attached and detail.goal_id != goal_id:
            detail.dismiss()
        self._wanted = goal_id
        if goal_id in self._shown:
            self._focus_wanted(focus=True)
        else:
            self.reload()  # a goal the board has not read yet

    def comment_target(self) -> tuple[str, str] | None:
        """The goal with the cursor: `c` comments on it."""
        card = self.focused_card
        return (card.goal_id, card.goal.title) if card is not None else None

    @on(MainScreen.Written)
    def _written(self, event: MainScreen.Written) -> None:
        self.post_message(JournalEdited(event.what))
        self.notify(event.what, timeout=3, markup=False)
        self.reload()

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
        self.post_result(self.BoardLoaded(BoardData.load(self.journal, self._data)))

    @on(BoardLoaded)
    def _show_board(self, event: BoardLoaded) -> None:
        if self._moves:
            # A move is still being written: this data may predate it. Read again after.
            self._reload_after_moves = True
            return
        data = event.data
        keep = self._wanted or self._cursor
        self._order = {s.goal_id: index for index, s in enumerate(data.summaries)}
        self._shown = {s.goal_id: s for s in data.summaries if s.status in GOAL_STATUSES}
        lanes: dict[str, list[GoalSummary]] = {status: [] for status in GOAL_STATUSES}
        for summary in self._shown.values():
            lanes[summary.status].append(summary)
        with self.app.batch_update():
            for column in self.columns:
                column.cards.set_lanes({status: lanes[status] for status in column.statuses})
            self._data = data
            self._refresh_counts()
        self._wanted = keep
        if not self._focus_wanted():
            self._set_cursor(self._first_card())

    def _refresh_counts(self) -> None:
        """Count the cards again in every column, and the goals in the status line."""
        for column in self.columns:
            column.refresh_counts()
        data = self._data
        status = self.query_one("#board-status", Static)
        if data is None:
            return
        if not data.summaries:
            status.update("No goals yet. Press n to add the first one.", layout=False)
            return
        total = len(data.summaries)
        met = sum(1 for summary in data.summaries if summary.criterion_met)
        parts = [f"{total} goal{'s' if total != 1 else ''}"]
        if met:
            parts.append(f"{met} with the criterion met (confirm by moving the card)")
        parts.append("move with ⇧←/⇧→ or drag")
        status.update(Content(" · ".join(parts)), layout=False)

    # --- the board's parts ---------------------------------------------------------------

    @property
    def board(self) -> Board:
        """The columns, which hold the keyboard focus."""
        return self.query_one(Board)

    @property
    def columns(self) -> list[BoardColumn]:
        """The columns, left to right."""
        return list(self._columns)

    @property
    def side_column(self) -> BoardColumn:
        """The collapsible column of the side states."""
        return self._column_for[SIDE_STATUSES[0]]

    def column_for(self, status: str) -> BoardColumn:
        """The column that shows the goals of `status`."""
        return self._column_for[status]

    def lane(self, status: str) -> tuple[GoalSummary, ...]:
        """The cards shown in the lane of `status`, top to bottom."""
        return self.column_for(status).cards.lane(status)

    def card(self, goal_id: str) -> GoalSummary | None:
        """The card of `goal_id` as shown (its status is its column), when the board shows it."""
        return self._shown.get(goal_id)

    @property
    def focused_card(self) -> GoalSummary | None:
        """The card with the cursor, or None (an empty board)."""
        return self._shown.get(self._cursor or "")

    @property
    def data(self) -> BoardData | None:
        """The board's data as last shown (None until the first load is shown)."""
        return self._data

    def iter_cards(self) -> Iterator[GoalSummary]:
        """Every card on the board, column by column."""
        for column in self.columns:
            yield from column.cards.summaries

    def _first_card(self) -> str | None:
        return next((ids[0] for ids in self._navigable_columns() if ids), None)

    def _focus_wanted(self, *, focus: bool = False) -> bool:
        """Put the cursor on the wanted goal, if the board shows it (unfolding its column).

        `focus` also gives the board the keyboard focus.
        """
        summary = self._shown.get(self._wanted or "")
        if summary is None:
            return False
        self._wanted = None
        if summary.status in SIDE_STATUSES:
            self.side_column.collapsed = False
        self._set_cursor(summary.goal_id)
        if focus:
            self.board.focus()
        return True

    def _set_cursor(self, goal_id: str | None) -> None:
        """Put the cursor on the card of `goal_id` (None: nowhere) and scroll it into view."""
        old = self._shown.get(self._cursor or "")
        if old is not None and old.goal_id != goal_id:
            self.column_for(old.status).cards.cursor = None
        summary = self._shown.get(goal_id or "")
        self._cursor = summary.goal_id if summary is not None else None
        if summary is not None:
            cards = self.column_for(summary.status).cards
            cards.cursor = summary.goal_id
            cards.scroll_to_card(summary.goal_id)
            # Sideways (a narrow board scrolls) once the layout is settled.
            column = self.column_for(summary.status)
            self.call_after_refresh(self.board.scroll_to_widget, column, animate=False)
        if (summary is not None) != self._footer_has_card:
            # Edit, record, open and move came or went: the footer shows them again
            # (asked only then: the footer is built again each time it is asked).
            self._footer_has_card = summary is not None
            self.refresh_bindings()

    # --- moving around -------------------------------------------------------------------

    def _navigable_columns(self) -> list[list[str]]:
        return [column.cards.goal_ids for column in self.columns if not column.collapsed]

    def action_cursor(self, dx: int, dy: int) -> None:
        """Move the cursor to the card above or below, or in the next column with cards."""
        columns = self._navigable_columns()
        position = next(
            ((x, ids.index(self._cursor)) for x, ids in enumerate(columns) if self._cursor in ids),
            None,
        )
        if position is None:
            self._set_cursor(self._first_card())
            return
        x, y = position
        if dy:
            ids = columns[x]
            self._set_cursor(ids[max(0, min(len(ids) - 1, y + dy))])
            return
        x += dx
        while 0 <= x < len(columns):
            if columns[x]:
                self._set_cursor(columns[x][min(y, len(columns[x]) - 1)])
                return
            x += dx

    def action_cursor_end(self, direction: int) -> None:
        """Move the cursor to the first or last card of its column."""
        for ids in self._navigable_columns():
            if self._cursor in ids:
                self._set_cursor(ids[0] if direction < 0 else ids[-1])
                return

    def action_toggle_side(self) -> None:
        """Show or fold the column of goals on hold and discontinued."""
        side = self.side_column
        side.collapsed = not side.collapsed
        card = self.focused_card
        if side.collapsed and card is not None and card.status in SIDE_STATUSES:
            self._set_cursor(self._first_card())

    @on(BoardColumn.HeaderClicked)
    def _header_clicked(self, event: BoardColumn.HeaderClicked) -> None:
        if event.column.collapsible:
            self.action_toggle_side()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Edit, record, open and move only with a card under the cursor.

        While the board loads they are shown as if there were one (they do
        nothing yet): a board with goals then needs no new footer.
        """
        if action in ("edit_goal", "measure", "take_data", "open_goal", "move"):
            return self._data is None or self.focused_card is not None
        return True

    # --- moving cards ----------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        """Move the card with the cursor to the previous or next status."""
        card = self.focused_card
        if card is None:
            return
        index = GOAL_STATUSES.index(card.status) + step
        if 0 <= index < len(GOAL_STATUSES):
            self.move_card(card.goal_id, GOAL_STATUSES[index])

    def move_card(self, goal_id: str, status: str) -> None:
        """Show the goal in the `status` column now, and write the move in a worker.

        Only the two lanes change: the goal's summary keeps its figures (its
        data did not change), with the new status.
        """
        summary = self._shown.get(goal_id)
        if summary is None or summary.status == status or status not in GOAL_STATUSES:
            return
        moved = replace(summary, goal=replace(summary.goal, status=status))
        self._shown[goal_id] = moved
        old_column, new_column = self.column_for(summary.status), self.column_for(status)
        order = self._order.get
        lanes = {
            summary.status: [s for s in old_column.cards.lane(summary.status) if s is not summary]
        }
        target = [*new_column.cards.lane(status), moved]
        new_lanes = {status: sorted(target, key=lambda s: order(s.goal_id, 0))}
        if old_column is new_column:
            lanes.update(new_lanes)
            old_column.cards.set_lanes(lanes)
        else:
            old_column.cards.set_lanes(lanes)
            new_column.cards.set_lanes(new_lanes)
        if status in SIDE_STATUSES:
            self.side_column.collapsed = False
        self._set_cursor(goal_id)
        old_column.refresh_counts()
        new_column.refresh_counts()
        self._queue_move(goal_id, status)

    def _queue_move(self, goal_id: str, status: str) -> None:
        """Write the move after those made before it (none is lost, none overtakes)."""
        self._moves.append((goal_id, status))
        if len(self._moves) == 1:
            self._write_move(goal_id, status)

    @work(thread=True, exit_on_error=False, group="move")
    def _write_move(self, goal_id: str, status: str) -> None:
        """Write one move (in a thread), as its own edit, and say how it went."""
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
        else:
            self.post_message(JournalEdited(f"“{one_line(event.title)}” moved to {event.status}"))
        self._next_move()

    def worker_failed(self, group: str, error: BaseException) -> None:
        """Say so; a move that failed is shown as stored once the other moves are written."""
        super().worker_failed(group, error)
        if group == "move":
            self._reload_after_moves = True
            self._next_move()

    def _next_move(self) -> None:
        """The first move is written (or failed): write the next, or read the board again."""
        self._moves.popleft()
        if self._moves:
            self._write_move(*self._moves[0])
        elif self._reload_after_moves:
            self._reload_after_moves = False
            self.reload()

    # --- the mouse: click, double click, drag a card onto a column (`Board`) -----------------

    @on(CardColumn.Pressed)
    def _card_pressed(self, event: CardColumn.Pressed) -> None:
        self._set_cursor(event.goal_id)

    @on(Board.CardDropped)
    def _card_dropped(self, event: Board.CardDropped) -> None:
        card = self._shown.get(event.goal_id)
        if card is not None and event.status != card.status:
            self.move_card(event.goal_id, event.status)

    @on(CardColumn.Opened)
    def _card_opened(self, event: CardColumn.Opened) -> None:
        self._open_detail(event.goal_id)

    # --- goals, data and the detail ----------------------------------------------------------

    def action_open_goal(self) -> None:
        """Show the detail of the goal with the cursor: fields, chart, data, history, links."""
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
        self.app.push_screen(GoalFormScreen(self.journal, goals=goals), callback=self._show_goal)

    def action_edit_goal(self) -> None:
        """Edit the goal with the cursor with the goal form."""
        from screens.goal_form_screen import GoalFormScreen

        card = self.focused_card
        if card is None:
            return
        goals = self._data.goals if self._data is not None else None
        self.app.push_screen(
            GoalFormScreen(self.journal, card.goal, goals=goals),
            callback=self._show_goal,
        )

    def _show_goal(self, goal_id: str | None) -> None:
        """A form or a data point was saved for `goal_id`: read the board, the cursor on it."""
        if goal_id is not None:
            self._wanted = goal_id
            self.reload()

    def action_measure(self) -> None:
        """Record a data point for the goal with the cursor."""
        card = self.focused_card
        if card is not None:
            record_data(self, self.journal, card, partial(self._show_goal, card.goal_id))

    def action_take_data(self) -> None:
        """Take data live for the goal with the cursor (screens.collector_screen)."""
        card = self.focused_card
        if card is not None:
            collect_data(self, self.journal, card, partial(self._show_goal, card.goal_id))


def _css(status: str) -> str:
    return status.replace(" ", "-")
