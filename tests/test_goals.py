"""The goal board, its detail, the goal form and the measurement dialog, driven with Pilot.

The board runs in `GoalsApp`, a small harness App that pushes
`GoalsScreen(journal)` with the app's stylesheet and records the
`JournalEdited` and `OpenRecord` messages it receives (the real `TandemApp`
will open the board as one of its modes). Plain functions (the one-pass
summaries, the checks of the form and the dialog) are tested without Textual.

The project runs pytest without an async plugin, so each test drives the app
inside `asyncio.run`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input, OptionList, Select, TextArea

from journal.journal import Journal
from journal.model import GOAL_STATUSES, PROMPT_LEVELS, Goal, Measurement
from screens import goals_screen
from screens.confirm_dialog import ConfirmDialog
from screens.goal_detail_screen import GoalChart, GoalDetailScreen, goal_measurements
from screens.goal_form_screen import GoalFormScreen, parse_goal, parse_prompt_levels
from screens.goals_screen import BoardData, GoalsScreen, board_order, summarize_goals
from screens.measurement_dialog import MeasurementDialog, parse_measurement
from tests.harness import (
    StyledHarness,
    front,
    play,
    press,
    settle,
    type_into,
)
from widgets.card_column import CardColumn
from widgets.goal_card import GoalSummary, format_measurement, trend_line
from widgets.thread_view import ThreadView

AT = "2026-01-05T09:00:00.000000Z"
MARKUP_TITLE = "[bold red]hi[/]"


class GoalsApp(StyledHarness):
    """A harness: the goal board alone, styled as in the app, recording what it posts."""

    def __init__(self, journal: Journal) -> None:
        """The harness over an open `journal`."""
        super().__init__(journal, lambda: GoalsScreen(journal))


Scenario = Callable[[GoalsApp, Pilot[None]], Awaitable[None]]


def run_app(journal: Journal, scenario: Scenario) -> None:
    """Run the harness over `journal` and play `scenario` once the board is loaded."""
    play(GoalsApp(journal), scenario, settle_after=True)


def board(app: App[Any]) -> GoalsScreen:
    """The board, also under a dialog or the detail."""
    return next(s for s in app.screen_stack if isinstance(s, GoalsScreen))


async def open_detail(app: App[Any], pilot: Pilot[None], goal_id: str) -> GoalDetailScreen:
    """Open the detail of `goal_id` from its card on the board (Enter)."""
    board(app).show_record(goal_id)
    detail = await press(pilot, "enter", shows=GoalDetailScreen)
    return detail


def card(app: App[Any], goal_id: str) -> GoalSummary:
    """The card of `goal_id` as shown (it must be on the board)."""
    found = board(app).card(goal_id)
    assert found is not None, "the goal has no card"
    return found


def column_of(app: App[Any], goal_id: str) -> CardColumn:
    """The column that draws the card of `goal_id`."""
    return board(app).column_for(card(app, goal_id).status).cards


def drawn(app: App[Any], goal_id: str) -> str:
    """The card's lines as drawn in its column, joined with spaces."""
    return " ".join(column_of(app, goal_id).card_text(goal_id))


def spot(app: App[Any], goal_id: str) -> tuple[CardColumn, tuple[int, int]]:
    """The card's column and an offset in it on the card's first row (for the mouse)."""
    column = column_of(app, goal_id)
    offset = column.card_offset(goal_id)
    assert offset is not None
    return column, (offset.x + 2, offset.y)


def focused(app: App[Any]) -> GoalSummary:
    """The card with the cursor, on a board that has the keyboard focus."""
    screen = board(app)
    assert app.focused is screen.board
    assert screen.focused_card is not None
    return screen.focused_card


def first_row(screen: Screen[Any], selector: str) -> list[str]:
    """The cells of the first row of the table `selector` on `screen`, as text."""
    return [str(cell) for cell in screen.query_one(selector, DataTable).get_row_at(0)]


def column_statuses(app: App[Any]) -> dict[str, list[str]]:
    """Each status with the titles of its cards, top to bottom."""
    return {status: [c.goal.title for c in board(app).lane(status)] for status in GOAL_STATUSES}


def add_help_goal(journal: Journal, **details: Any) -> Goal:
    """The goal "Asks for help with words" (worked on at home) with its objective at the door."""
    help_goal = journal.add_goal(
        "Asks for help with words",
        domain="communication",
        status="acquisition",
        setting="home",
        **details,
    )
    journal.add_goal(
        "Says 'help' at the door",
        domain="communication",
        status="acquisition",
        parent_id=help_goal.id,
    )
    return help_goal


@pytest.fixture
def goals(journal: Journal) -> Journal:
    """A parent's journal with a therapist, a goal with data, an objective and a side goal."""
    lee = journal.add_member("Dr. Lee", "therapist").id
    with journal.acting_as(lee, at=AT):
        help_goal = add_help_goal(
            journal,
            description="Says 'help' or signs it before crying.",
            method="Model, wait 5 s, prompt.",
            desired_outcome="Asks for help on his own at home and school.",
        )
        journal.add_goal("Brushes teeth", domain="daily living", measure="rating")
        journal.add_goal("Tantrum minutes", domain="behavior", measure="duration", status="on hold")
    for day, correct in (("2026-01-01", 5), ("2026-01-02", 7)):
        journal.record_measurement(
            help_goal.id, correct=correct, total=10, date=day, prompt="verbal"
        )
    journal.save()
    return journal


def goal_by_title(journal: Journal, title: str) -> Goal:
    """The goal titled `title`."""
    return next(g for g in journal.goals() if g.title == title)


# --- plain functions ----------------------------------------------------------------------


def test_one_pass_summaries_agree_with_the_journal(goals: Journal) -> None:
    goal = goal_by_title(goals, "Asks for help with words")
    teeth = goal_by_title(goals, "Brushes teeth")
    for day, correct in (("2026-01-03", 9), ("2026-01-04", 9), ("2026-01-05", 10)):
        goals.record_measurement(goal.id, correct=correct, total=10, date=day, setting="school")
    gone = goals.record_measurement(teeth.id, value=5, date="2026-01-06")
    goals.record_measurement(teeth.id, value=2, date="2026-01-05")
    goals.delete(gone.id)
    data = BoardData.load(goals)
    by_id = {s.goal_id: s for s in data.summaries}
    for summary in data.summaries:
        measurements = goals.measurements(summary.goal_id)
        assert summary.criterion_met == goals.criterion_met(summary.goal_id)
        assert summary.count == len(measurements)
        assert list(summary.recent) == [m.score for m in measurements if m.score is not None][-12:]
        assert goal_measurements(goals, summary.goal_id) == measurements
    help_summary = by_id[goal.id]
    assert help_summary.criterion_met
    assert (help_summary.last_date, help_summary.last_text) == ("2026-01-05", "10/10 (100%)")
    assert (help_summary.last_prompt, help_summary.last_setting) == ("verbal", "school")
    assert (by_id[teeth.id].count, by_id[teeth.id].last_text) == (1, "2/5")


def test_a_reload_works_out_only_the_goals_that_changed(
    goals: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    help_goal = goal_by_title(goals, "Asks for help with words")
    teeth = goal_by_title(goals, "Brushes teeth")
    first = BoardData.load(goals)
    before = {s.goal_id: s for s in first.summaries}
    worked_out: list[str] = []
    summary = goals_screen._summary

    def counted(goal: Goal, *args: Any) -> GoalSummary:
        worked_out.append(goal.title)
        return summary(goal, *args)

    monkeypatch.setattr(goals_screen, "_summary", counted)
    goals.move_goal(help_goal.id, "mastered")  # a move: no data point changed
    goals.record_measurement(teeth.id, value=4, date="2026-01-03")
    second = BoardData.load(goals, first)
    assert worked_out == ["Brushes teeth"]
    after = {s.goal_id: s for s in second.summaries}
    assert after[help_goal.id].status == "mastered"
    assert after[help_goal.id].recent == before[help_goal.id].recent == (50.0, 70.0)
    assert (after[teeth.id].count, after[teeth.id].last_text) == (1, "4/5")
    unchanged = [s.goal_id for s in first.summaries if s.goal_id not in (help_goal.id, teeth.id)]
    assert unchanged and all(after[goal_id] is before[goal_id] for goal_id in unchanged)
    worked_out.clear()
    goals.edit_goal(help_goal.id, criterion_value=40, criterion_sessions=2)  # worked out again
    third = BoardData.load(goals, second)
    assert worked_out == ["Asks for help with words"]
    assert next(s for s in third.summaries if s.goal_id == help_goal.id).criterion_met


def test_board_order_nests_objectives_and_survives_cycles() -> None:
    first = Goal(id="a", title="A", created_at="1")
    child = Goal(id="b", title="B", created_at="2", parent_id="a")
    other = Goal(id="c", title="C", created_at="3")
    grandchild = Goal(id="d", title="D", created_at="4", parent_id="b")
    orphan = Goal(id="e", title="E", created_at="5", parent_id="missing")
    order = board_order([first, child, other, grandchild, orphan])
    assert [(g.id, depth, parent) for g, depth, parent in order] == [
        ("a", 0, ""),
        ("b", 1, "A"),
        ("d", 2, "B"),
        ("c", 0, ""),
        ("e", 0, ""),
    ]
    loop_x = Goal(id="x", title="X", parent_id="y")
    loop_y = Goal(id="y", title="Y", parent_id="x")
    assert sorted(g.id for g, _d, _p in board_order([loop_x, loop_y])) == ["x", "y"]
    assert summarize_goals([loop_x, loop_y], []) != []


def test_measurements_are_shown_as_people_read_them() -> None:
    assert format_measurement("percent", 80.0, 8, 10) == "8/10 (80%)"
    assert format_measurement("duration", 4.5, None, None) == "4.5 min"
    assert format_measurement("rating", 4.0, None, None) == "4/5"
    assert format_measurement("count", 3.0, None, None) == "3"
    assert trend_line([0, 50, 100], "percent", 90).plain == "▁▅█"


@pytest.mark.parametrize(
    ("measure", "typed", "problem"),
    [
        ("percent", {"correct": "", "total": "10"}, "Correct: fill it in."),
        ("percent", {"correct": "11", "total": "10"}, "Correct (11) cannot be more than total"),
        ("percent", {"correct": "1", "total": "0"}, "Total: at least 1 trial."),
        ("count", {"value": "2.5"}, "Count: use a whole number."),
        ("duration", {"value": "abc"}, "Minutes: use a number."),
        ("rating", {"value": "6"}, "Rating: choose 1, 2, 3, 4 or 5."),
        ("count", {"value": "3", "day": "2026-02-30"}, "Date: There is no 2026-02-30"),
    ],
)
def test_the_dialog_checks_say_what_is_wrong(
    measure: str, typed: dict[str, str], problem: str
) -> None:
    fields = {"day": "2026-01-05", **typed}
    with pytest.raises(ValueError, match="^.*$") as raised:
        parse_measurement(measure, **fields)
    assert problem in str(raised.value)
    assert "\n" not in str(raised.value)


def test_the_dialog_checks_accept_good_values() -> None:
    draft = parse_measurement(
        "percent", correct="8", total="10", day="2026-01-05", setting=" home ", note=" ok\n"
    )
    assert (draft.correct, draft.total, draft.value, draft.setting, draft.note) == (
        8,
        10,
        None,
        "home",
        "ok",
    )
    assert parse_measurement("duration", value="4,5", day="2026-01-05").value == 4.5


def test_the_goal_form_checks() -> None:
    draft, errors = parse_goal({"title": "  ", "start_date": "2026-13-01"})
    assert draft is None
    assert set(errors) == {"title", "start_date"}
    draft, errors = parse_goal(
        {
            "title": "Waits a turn",
            "measure": "rating",
            "criterion_value": "",
            "criterion_sessions": "2",
            "domain": "\x00other",
            "other_domain": "  play skills ",
            "prompt_levels": "model, verbal, , verbal, independent",
        }
    )
    assert errors == {}
    assert draft is not None
    assert (draft.criterion_value, draft.criterion_sessions, draft.domain) == (
        4.0,
        2,
        "play skills",
    )
    assert draft.prompt_levels == ["model", "verbal", "independent"]
    assert parse_prompt_levels("") == list(PROMPT_LEVELS)
    _draft, errors = parse_goal({"title": "x", "measure": "percent", "criterion_value": "120"})
    assert errors == {"criterion_value": "A percent is from 0 to 100."}


# --- the board -------------------------------------------------------------------------------


def test_the_board_shows_each_goal_in_its_column(goals: Journal) -> None:
    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        columns = column_statuses(app)
        assert columns["acquisition"] == ["Asks for help with words", "Says 'help' at the door"]
        assert columns["baseline"] == ["Brushes teeth"]
        assert columns["on hold"] == ["Tantrum minutes"]
        help_card = card(app, goal_by_title(goals, "Asks for help with words").id)
        assert "communication · both" in help_card.text
        assert "7/10 (70%) 2026-01-02" in help_card.text
        assert list(help_card.recent) == [50.0, 70.0]
        assert "▅▆" in drawn(app, help_card.goal_id)
        objective = card(app, goal_by_title(goals, "Says 'help' at the door").id)
        assert objective.text.startswith("↳ Asks for help with words\n")
        assert objective.depth == 1
        assert drawn(app, objective.goal_id).startswith("↳ Asks for")
        assert board(app).side_column.collapsed  # on hold and discontinued folded away
        assert focused(app).goal.title == "Brushes teeth"

    run_app(goals, scenario)


def test_a_title_with_markup_shows_as_typed(journal: Journal) -> None:
    journal.add_goal(MARKUP_TITLE, domain="[i]x[/i]")

    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        [goal] = journal.goals()
        shown = card(app, goal.id)
        assert shown.text.startswith(f"{MARKUP_TITLE}\n[i]x[/i] · both")
        assert MARKUP_TITLE in drawn(app, goal.id)
        await press(pilot, "enter", shows=GoalDetailScreen)
        fields = app.screen.query_one("#fields-text")
        assert MARKUP_TITLE in str(fields.render())

    run_app(journal, scenario)


def test_arrows_move_between_cards_and_columns(goals: Journal) -> None:
    help_goal = goal_by_title(goals, "Asks for help with words")

    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        def title() -> str:
            return focused(app).goal.title

        assert title() == "Brushes teeth"
        await pilot.press("right")
        assert title() == "Asks for help with words"
        await pilot.press("down")
        assert title() == "Says 'help' at the door"
        await pilot.press("up", "left")
        assert title() == "Brushes teeth"
        await pilot.press("h")  # unfold on hold / discontinued
        await pilot.press("right", "right")
        assert title() == "Tantrum minutes"
        board(app).show_record(help_goal.id)
        await pilot.pause()
        assert title() == "Asks for help with words"

    run_app(goals, scenario)


def test_create_a_goal_through_the_form(journal: Journal) -> None:
    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        assert "No goals yet" in str(board(app).query_one("#board-status").render())
        await pilot.press("n")
        await pilot.pause()
        form = front(app, GoalFormScreen)
        await type_into(pilot, "#title", "Waits for a turn")
        form.query_one("#domain", Select).value = "social"
        await type_into(pilot, "#description", "Waits with hands down for 5 s.")
        await type_into(pilot, "#setting", "park")
        await type_into(pilot, "#start_date", "2026-01-05")
        await type_into(pilot, "#review_date", "2026-03-01")
        form.query_one("#prompt_levels", Input).value = "model, verbal, independent"
        await press(pilot, "ctrl+s", shows=GoalsScreen)
        [goal] = journal.goals()
        assert (goal.title, goal.domain, goal.description, goal.setting) == (
            "Waits for a turn",
            "social",
            "Waits with hands down for 5 s.",
            "park",
        )
        assert (goal.start_date, goal.review_date, goal.status) == (
            "2026-01-05",
            "2026-03-01",
            "baseline",
        )
        assert (goal.measure, goal.criterion_value, goal.criterion_sessions) == ("percent", 90, 3)
        assert goal.prompt_levels == ["model", "verbal", "independent"]
        assert "goal added" in app.edits
        assert focused(app).goal_id == goal.id

    run_app(journal, scenario)


def test_an_objective_is_nested_through_the_form(goals: Journal) -> None:
    parent = goal_by_title(goals, "Brushes teeth")

    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        await type_into(pilot, "#title", "Rinses")
        form.query_one("#parent_id", Select).value = parent.id
        form.query_one("#measure", Select).value = "count"
        await pilot.pause()
        assert form.query_one("#criterion_value", Input).value == "10"  # the count default
        await press(pilot, "ctrl+s")
        rinses = goal_by_title(goals, "Rinses")
        assert (rinses.parent_id, rinses.measure, rinses.criterion_value) == (
            parent.id,
            "count",
            10,
        )
        assert column_statuses(app)["baseline"] == ["Brushes teeth", "Rinses"]
        assert card(app, rinses.id).text.startswith("↳ Brushes teeth")

    run_app(goals, scenario)


def test_leaving_the_form_with_changes_asks_first(goals: Journal) -> None:
    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        await press(pilot, "e", shows=GoalFormScreen)  # the focused goal: Brushes teeth
        await type_into(pilot, "#method", "Two minutes with the timer.")
        await press(pilot, "escape", shows=ConfirmDialog)
        form = await press(pilot, "n", shows=GoalFormScreen)  # keep editing
        form.query_one("#status", Select).value = "acquisition"
        await press(pilot, "ctrl+s")
        teeth = goal_by_title(goals, "Brushes teeth")
        assert (teeth.method, teeth.status) == ("Two minutes with the timer.", "acquisition")
        [move] = goals.goal_history(teeth.id)  # the status change is a move, in the history
        assert (move.old_status, move.new_status, move.author) == (
            "baseline",
            "acquisition",
            goals.me.id,
        )
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("escape")  # nothing changed: leaves at once
        await pilot.pause()
        assert isinstance(app.screen, GoalsScreen)

    run_app(goals, scenario)


# --- data points ------------------------------------------------------------------------------


def test_record_data_until_the_criterion_is_met(goals: Journal) -> None:
    goal = goal_by_title(goals, "Asks for help with words")

    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        await pilot.press("right")  # onto "Asks for help with words"
        for number, day in enumerate(("2026-01-03", "2026-01-04", "2026-01-05")):
            assert not card(app, goal.id).criterion_met
            await pilot.press("m")
            await pilot.pause()
            dialog = front(app, MeasurementDialog)
            assert dialog.query_one("#prompt", Select).value == "verbal"  # the last one used
            await pilot.press("9", "enter", "1", "0", "enter")  # correct, total
            dialog.query_one("#date", Input).value = day
            if number == 0:
                await type_into(pilot, "#note", "at [b]breakfast[/b]")
            await press(pilot, "ctrl+s", shows=GoalsScreen)
        shown = card(app, goal.id)
        assert shown.criterion_met
        assert "criterion met" in shown.text
        assert "criterion met" in column_of(app, goal.id).card_text(goal.id)
        assert goals.criterion_met(goal.id)
        data = goals.measurements(goal.id)
        assert [(m.correct, m.total, m.prompt) for m in data[-3:]] == [(9, 10, "verbal")] * 3
        assert data[2].note == "at [b]breakfast[/b]"
        assert app.edits.count("data recorded for “Asks for help with words”") == 3
        assert "1 with the criterion met" in str(board(app).query_one("#board-status").render())

    run_app(goals, scenario)


def test_the_dialog_shows_what_is_wrong_and_saves_nothing(goals: Journal) -> None:
    goal = goal_by_title(goals, "Asks for help with words")
    teeth = goal_by_title(goals, "Brushes teeth")

    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        await pilot.press("right", "m")
        await pilot.pause()
        dialog: MeasurementDialog = app.screen  # type: ignore[assignment]
        assert isinstance(dialog, MeasurementDialog)
        assert dialog.error == ""
        await pilot.press("1", "2", "enter", "1", "0")
        await press(pilot, "ctrl+s")
        assert app.screen is dialog
        assert dialog.error == "Correct (12) cannot be more than total (10)."
        dialog.query_one("#date", Input).value = "2026-02-30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert dialog.error.startswith("Correct (12) cannot be more than total (10). Date:")
        assert len(goals.measurements(goal.id)) == 2
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("left", "m")  # a rating goal asks for one value, 1 to 5
        await pilot.pause()
        dialog = front(app, MeasurementDialog)
        assert dialog.query("#value") and not dialog.query("#correct")
        dialog.query_one("#date", Input).focus()
        await pilot.press("enter")  # Enter in the last field saves: here it refuses
        await pilot.pause()
        assert dialog.error == "Rating: fill it in."
        await type_into(pilot, "#value", "4")
        dialog.query_one("#date", Input).focus()
        await press(pilot, "enter")
        assert [m.value for m in goals.measurements(teeth.id)] == [4]

    run_app(goals, scenario)


# --- moving cards -------------------------------------------------------------------------------


def test_move_a_card_with_keys(goals: Journal) -> None:
    goal = goal_by_title(goals, "Asks for help with words")

    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        await pilot.press("right")
        await pilot.press("shift+right")
        assert card(app, goal.id).status == "mastered"  # shown at once ...
        assert focused(app).goal_id == goal.id
        await settle(pilot)
        assert goals.get(Goal, goal.id).status == "mastered"  # ... and written
        await press(pilot, "greater_than_sign", "less_than_sign", "less_than_sign")
        assert goals.get(Goal, goal.id).status == "acquisition"
        history = goals.goal_history(goal.id)
        assert [(e.old_status, e.new_status) for e in history] == [
            ("acquisition", "mastered"),
            ("mastered", "generalization"),
            ("generalization", "mastered"),
            ("mastered", "acquisition"),
        ]
        assert {e.author for e in history} == {goals.me.id}
        assert app.edits.count("“Asks for help with words” moved to mastered") == 2
        assert column_statuses(app)["acquisition"][0] == "Asks for help with words"
        await press(pilot, "left", "shift+left")  # baseline is the first column: nothing
        assert goal_by_title(goals, "Brushes teeth").status == "baseline"

    run_app(goals, scenario)


def test_moving_into_the_side_states_unfolds_their_column(goals: Journal) -> None:
    goal = goal_by_title(goals, "Asks for help with words")
    goals.move_goal(goal.id, "closed")

    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        board(app).show_record(goal.id)
        await pilot.pause()
        assert board(app).side_column.collapsed
        await press(pilot, "shift+right")
        assert not board(app).side_column.collapsed
        assert goals.get(Goal, goal.id).status == "on hold"
        assert column_statuses(app)["on hold"] == ["Asks for help with words", "Tantrum minutes"]

    run_app(goals, scenario)


def test_drag_a_card_onto_another_column(goals: Journal) -> None:
    goal = goal_by_title(goals, "Brushes teeth")

    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        screen = board(app)
        target = screen.query_one("#column-maintenance")
        column, offset = spot(app, goal.id)
        await pilot.mouse_down(column, offset=offset)
        await pilot.hover(screen.query_one("#column-mastered"), offset=(4, 10))
        assert column.dragging == goal.id
        assert screen.query_one("#column-mastered > .column-header").has_class("-drop-target")
        await pilot.hover(target, offset=(4, 10))
        assert not screen.query_one("#column-mastered > .column-header").has_class("-drop-target")
        await pilot.mouse_up(target, offset=(4, 10))
        await settle(pilot)
        assert goals.get(Goal, goal.id).status == "maintenance"
        assert column_statuses(app)["maintenance"] == ["Brushes teeth"]
        [move] = goals.goal_history(goal.id)
        assert (move.new_status, move.author) == ("maintenance", goals.me.id)
        assert not any(
            header.has_class("-drop-target") for header in screen.query(".column-header")
        )
        # A press and release without moving is a click: it focuses, moves nothing.
        help_goal = goal_by_title(goals, "Asks for help with words")
        column, offset = spot(app, help_goal.id)
        await pilot.click(column, offset=offset)
        await settle(pilot)
        assert focused(app).goal_id == help_goal.id
        assert column.dragging is None
        assert goal_by_title(goals, "Asks for help with words").status == "acquisition"

    run_app(goals, scenario)


def test_a_double_click_opens_the_goal(goals: Journal) -> None:
    goal = goal_by_title(goals, "Says 'help' at the door")

    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        column, offset = spot(app, goal.id)
        await pilot.double_click(column, offset=offset)
        await settle(pilot)
        assert isinstance(app.screen, GoalDetailScreen)
        assert app.screen.goal_id == goal.id
        await press(pilot, "escape")
        assert focused(app).goal_id == goal.id  # the cursor stayed on the card
        assert column.cursor == goal.id and column.active
        assert goal_by_title(goals, "Says 'help' at the door").status == "acquisition"

    run_app(goals, scenario)


def test_drop_onto_the_side_column_lanes(goals: Journal) -> None:
    goal = goal_by_title(goals, "Brushes teeth")

    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        screen = board(app)
        await pilot.click(screen.query_one("#column-side > .column-header"))
        await pilot.pause()
        assert not screen.side_column.collapsed
        side = screen.side_column.cards
        lane = side.lane_offset("discontinued")
        assert lane is not None
        column, offset = spot(app, goal.id)
        await pilot.mouse_down(column, offset=offset)
        await pilot.hover(side, offset=lane + (2, 0))
        assert side.drop_target == "discontinued"
        await pilot.mouse_up(side, offset=lane + (2, 0))
        await settle(pilot)
        assert goals.get(Goal, goal.id).status == "discontinued"

    run_app(goals, scenario)


# --- the detail ------------------------------------------------------------------------------


def test_the_detail_shows_fields_chart_data_history_links_and_thread(goals: Journal) -> None:
    goal = goal_by_title(goals, "Asks for help with words")
    lee = next(m for m in goals.members() if m.name == "Dr. Lee")
    with goals.acting_as(lee.id, at="2026-01-05T10:00:00.000000Z"):
        goals.move_goal(goal.id, "mastered", note="3 sessions at 90%")
        goals.comment(goal.id, "Great progress at *home*.")
    entry = goals.add_entry(
        "win", "Asked for help with the lid", goals=[goal.id], occurred_at="2026-01-04T08:00"
    )
    goals.save()

    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        detail = await open_detail(app, pilot, goal.id)
        fields = str(detail.query_one("#fields-text").render())
        for expected in (
            "Says 'help' or signs it before crying.",
            "Model, wait 5 s, prompt.",
            "Asks for help on his own at home and school.",
            "percent of trials (correct/total)",
            "90% across 3 consecutive sessions",
            "full physical › partial physical › model › gestural › verbal › independent",
            "Setting: home",
            "Status: mastered",
        ):
            assert expected in fields
        chart = detail.query_one(GoalChart)
        assert chart.dates == ("2026-01-01", "2026-01-02")
        assert chart.scores == (50.0, 70.0)
        assert chart.criterion == 90.0
        assert chart.size.width > 20 and chart.size.height > 5
        assert "criterion 90% x3" in str(chart.render())
        assert len(detail.measurement_rows) == 2
        measured = ["2026-01-02", "70%", "7/10", "verbal", "", "", "Ana Rivera"]
        assert first_row(detail, "#measurements") == measured
        moved = ["2026-01-05 10:00", "Dr. Lee", "acquisition", "mastered", "3 sessions at 90%"]
        assert first_row(detail, "#history") == moved
        thread = detail.query_one(ThreadView)
        assert thread.details is not None and thread.details.target_id == goal.id
        assert [post.body for post in thread.details.posts] == ["Great progress at *home*."]
        await pilot.press("3")  # the linked tab: objectives and entries
        await pilot.pause()
        links = detail.query_one("#goals", OptionList)
        assert "↳ Says 'help' at the door (acquisition)" in str(links.get_option_at_index(0).prompt)
        entries = detail.query_one("#entries", OptionList)
        entries.focus()
        await pilot.press("enter")  # the first entry is highlighted already
        await pilot.pause()
        assert app.opened == [entry.id]

    run_app(goals, scenario)


def test_record_and_move_from_the_detail(goals: Journal) -> None:
    goal = goal_by_title(goals, "Asks for help with words")

    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        detail = await open_detail(app, pilot, goal.id)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MeasurementDialog)
        await pilot.press("8", "enter", "1", "0")
        app.screen.query_one("#date", Input).value = "2026-01-03"
        await press(pilot, "ctrl+s")
        assert app.screen is detail
        assert detail.query_one(GoalChart).scores == (50.0, 70.0, 80.0)
        assert len(detail.measurement_rows) == 3
        await press(pilot, "shift+right")
        assert goals.get(Goal, goal.id).status == "mastered"
        assert detail.query_one("#history", DataTable).row_count == 1
        await press(pilot, "escape", shows=GoalsScreen)
        assert card(app, goal.id).status == "mastered"
        assert card(app, goal.id).count == 3

    run_app(goals, scenario)


def test_a_goal_without_data_has_an_empty_chart(journal: Journal) -> None:
    goal = journal.add_goal("Waits", measure="count")

    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        detail = await press(pilot, "enter", shows=GoalDetailScreen)
        chart = detail.query_one(GoalChart)
        assert chart.scores == () and chart.criterion == 10.0
        assert "No data yet" in str(chart.render())
        assert card(app, goal.id).text.endswith("no data yet")

    run_app(journal, scenario)


def test_the_board_reloads_with_new_data(goals: Journal) -> None:
    goal = goal_by_title(goals, "Asks for help with words")

    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        teeth = card(app, goal_by_title(goals, "Brushes teeth").id)
        goals.record_measurement(goal.id, correct=10, total=10, date="2026-01-03")
        board(app).reload()
        await settle(pilot)
        assert card(app, goal.id).last_text == "10/10 (100%)"
        assert "10/10 (100%)" in drawn(app, goal.id)
        assert card(app, teeth.goal_id) is teeth  # unchanged: not worked out again
        other = goals.add_goal("Shares toys", status="acquisition")
        board(app).reload()
        await settle(pilot)
        assert column_statuses(app)["acquisition"][-1] == "Shares toys"
        assert isinstance(goals.get(Measurement, goals.measurements(goal.id)[-1].id), Measurement)
        assert card(app, other.id).count == 0

    run_app(goals, scenario)


def test_bindings_have_ids_and_descriptions() -> None:
    for screen in (GoalsScreen, GoalDetailScreen, GoalFormScreen, MeasurementDialog):
        for binding in screen.BINDINGS:
            assert isinstance(binding, Binding)
            assert binding.id and binding.description, (screen.__name__, binding.key)


def test_the_form_text_areas_keep_markup_as_typed(journal: Journal) -> None:
    goal = journal.add_goal(MARKUP_TITLE, description="[b]bold?[/b]")

    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        await pilot.press("e")
        await pilot.pause()
        form = front(app, GoalFormScreen)
        assert form.query_one("#title", Input).value == MARKUP_TITLE
        assert form.query_one("#description", TextArea).text == "[b]bold?[/b]"
        title = form.query_one("#form").border_title  # markup: the title escaped in it
        assert Content.from_markup(title or "").plain == f"Edit goal · {MARKUP_TITLE}"
        await press(pilot, "ctrl+s")  # nothing changed: nothing written
        assert journal.get(Goal, goal.id).updated_at == goal.updated_at

    run_app(journal, scenario)


def test_a_long_column_shows_every_card_in_order(journal: Journal) -> None:
    made = [journal.add_goal(f"Goal {number:02d}", status="acquisition") for number in range(30)]
    data_point = journal.record_measurement(made[25].id, correct=1, total=2, date="2026-01-01")

    async def scenario(app: GoalsApp, pilot: Pilot[None]) -> None:
        screen = board(app)
        assert column_statuses(app)["acquisition"] == [goal.title for goal in made]
        header = screen.query_one("#column-acquisition > .column-header")
        assert str(header.render()).startswith("Acquisition 30")
        screen.show_record(data_point.id)  # a data point's goal
        await pilot.pause()
        assert focused(app).goal_id == made[25].id
        column = screen.column_for("acquisition").cards
        offset = column.card_offset(made[25].id)
        assert offset is not None and 0 < offset.y < column.size.height  # scrolled into view
        await press(pilot, "shift+left")
        assert column_statuses(app)["baseline"] == ["Goal 25"]
        assert str(header.render()).startswith("Acquisition 29")

    run_app(journal, scenario)
