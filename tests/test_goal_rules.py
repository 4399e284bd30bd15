"""The goal rules (journal.goals): score, mastery criterion, how scores read, trend scale."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journal import goals
from journal.model import MEASURES, Goal, Measurement, Record


def goal(measure: str = "percent", value: float = 80.0, sessions: int = 3) -> Goal:
    """A goal with this criterion."""
    return Goal(title="t", measure=measure, criterion_value=value, criterion_sessions=sessions)


def point(day: str, *, value: float | None = None, correct: int | None = None,
          total: int | None = None) -> Measurement:  # fmt: skip
    """A data point on `day`."""
    return Measurement(goal_id="g", date=day, value=value, correct=correct, total=total)


def test_every_measure_has_a_unit_label_and_default() -> None:
    assert goals.MEASURES == MEASURES
    for table in (
        goals.MEASURE_UNITS,
        goals.MEASURE_LABELS,
        goals.MEASURE_VALUE_LABELS,
        goals.DEFAULT_CRITERION,
    ):
        assert set(table) == set(goals.MEASURES)


def test_score_is_percent_correct_for_trials_else_the_value() -> None:
    assert goals.score(8, 10, None) == 80.0
    assert goals.score(None, None, 4.5) == 4.5
    assert goals.score(3, 0, 7.0) == 7.0  # no trials: the value
    assert goals.score(None, None, None) is None
    assert point("2026-01-01", correct=1, total=4).score == 25.0
    assert goals.stored_score({"correct": 3, "total": 4}) == 75.0
    assert goals.stored_score({"value": 3}) == 3.0
    assert isinstance(goals.stored_score({"value": 3}), float)
    assert goals.stored_score({}) is None


def test_criterion_needs_the_last_n_scored_points_all_at_the_value() -> None:
    g = goal(value=80.0, sessions=3)
    assert not goals.criterion_met(g, [])
    met = [point("1", correct=8, total=10), point("2", value=90.0), point("3", correct=9, total=9)]
    assert goals.criterion_met(g, met)
    assert not goals.criterion_met(g, met[:2])  # too few
    assert not goals.criterion_met(g, [*met, point("4", correct=7, total=10)])  # last one below
    assert goals.criterion_met(g, [point("0", value=10.0), *met])  # older ones do not count
    unscored = point("5")  # no value: left out, the three before still count
    assert goals.criterion_met(g, [*met, unscored])
    assert goals.scores_meet_criterion(g, [10.0, 80.0, None, 80.0, 80.0])


def test_criterion_text_and_values() -> None:
    assert goal().criterion_text() == "80% across 3 consecutive sessions"
    assert goals.criterion_text(goal("duration", 4.5, 2)) == "4.5 min across 2 consecutive sessions"
    assert goals.criterion_value_text(goal("rating", 4.0)) == "4/5"
    assert goals.criterion_value_text(goal("count", 10.0)) == "10"
    assert goals.criterion_value_text(goal("percent", 87.5)) == "87.5%"


@pytest.mark.parametrize(
    ("measure", "correct", "total", "value", "short", "full"),
    [
        ("percent", 8, 10, None, "80%", "8/10 (80%)"),
        ("percent", 2, 3, None, "67%", "2/3 (67%)"),
        ("percent", None, None, 85.5, "85.5%", "85.5%"),
        ("count", None, None, 3.0, "3", "3"),
        ("duration", None, None, 4.5, "4.5 min", "4.5 min"),
        ("rating", None, None, 4.0, "4/5", "4/5"),
        ("count", None, None, None, "", ""),
    ],
)
def test_how_a_data_point_reads(
    measure: str,
    correct: int | None,
    total: int | None,
    value: float | None,
    short: str,
    full: str,
) -> None:
    assert goals.score_text(measure, correct, total, value) == short
    assert goals.measurement_text(measure, correct, total, value) == full


def test_format_score_rounds_percent_only() -> None:
    assert goals.format_score("percent", 66.666) == "67%"
    assert goals.format_score("duration", 4.5) == "4.5 min"
    assert goals.format_score("rating", 4.0) == "4/5"
    assert goals.format_score("count", 12.0) == "12"
    assert goals.format_score("count", None) == ""


def test_points_sort_by_date_then_by_when_written() -> None:
    later = point("2026-01-02")
    first = point("2026-01-01")
    first_again = point("2026-01-01")
    first_again.created_at = "9999"
    ordered = sorted([first_again, later, first], key=goals.point_order)
    assert ordered == [first, first_again, later]


def test_trend_scale_and_bars() -> None:
    assert goals.measure_range("percent") == (0.0, 100.0)
    assert goals.measure_range("rating") == (1.0, 5.0)
    assert goals.measure_range("count") is None
    assert goals.trend_scale("percent", [150.0], 90.0) == (0.0, 100.0)
    assert goals.trend_scale("count", [3.0, 7.0], 5.0) == (0.0, 7.0)
    assert goals.trend_scale("duration", [], 0.0) == (0.0, 1.0)
    bars = goals.trend_bars([0.0, 50.0, 100.0], "percent", 80.0)
    assert bars == [("▁", False), ("▅", False), ("█", True)]
    assert goals.trend_bars([1.0, 5.0], "rating", 4.0) == [("▁", False), ("█", True)]


scores = st.lists(st.one_of(st.none(), st.floats(0, 100, allow_nan=False)), max_size=12)


@given(scores, st.floats(0, 100, allow_nan=False), st.integers(1, 6))
def test_criterion_property(found: list[float | None], value: float, sessions: int) -> None:
    """Met exactly when there are `sessions` scores and the last `sessions` all reach it;
    a lower score added last always breaks it; once there are enough scores, an older one
    added first never matters."""
    g = goal("percent", value, sessions)
    scored = [s for s in found if s is not None]
    expected = len(scored) >= sessions and min(scored[-sessions:], default=0) >= value
    assert goals.scores_meet_criterion(g, found) == expected
    if value > 0:
        assert not goals.scores_meet_criterion(g, [*found, value / 2])
    if len(scored) >= sessions:
        assert goals.scores_meet_criterion(g, [0.0, *found]) == expected


@given(
    st.sampled_from(MEASURES),
    st.lists(st.floats(0, 1000, allow_nan=False), max_size=12),
    st.floats(0, 1000, allow_nan=False),
)
def test_trend_bars_property(measure: str, found: list[float], criterion: float) -> None:
    """One bar a score, each from the bar set, flagged exactly when it reaches the criterion."""
    bars = goals.trend_bars(found, measure, criterion)
    assert len(bars) == len(found)
    for (bar, met), one in zip(bars, found, strict=True):
        assert bar in "▁▂▃▄▅▆▇█"
        assert met == (one >= criterion)


def test_point_text_reads_a_measurement() -> None:
    trials = point("2026-01-01", correct=3, total=4)
    assert goals.point_text("percent", trials) == "3/4 (75%)"
    assert goals.point_text("percent", trials, short=True) == "75%"
    assert goals.point_text("duration", point("2026-01-01", value=2.5)) == "2.5 min"
    assert goals.point_text("count", point("2026-01-01")) == ""


@pytest.mark.parametrize(
    ("measure", "value", "problem"),
    [
        ("percent", 100.0, None),
        ("percent", 100.5, "a percent is from 0 to 100"),
        ("rating", 0.0, "a rating is from 1 to 5"),
        ("rating", 5.0, None),
        ("count", -1.0, "a value cannot be negative"),
        ("duration", float("nan"), "a value must be a number"),
        ("duration", 4.5, None),
    ],
)
def test_one_range_rule_for_every_measure(measure: str, value: float, problem: str | None) -> None:
    assert goals.range_problem(measure, value) == problem


def test_a_goals_editable_fields_are_all_its_own_but_the_status() -> None:
    fields = Goal(title="t", measure="count", parent_id="p").editable_fields()
    assert (fields["title"], fields["measure"], fields["parent_id"]) == ("t", "count", "p")
    assert set(fields) | {"status"} | set(Record.field_names()) == set(Goal.field_names())
    assert "status" not in fields and not set(fields) & set(Record.field_names())
