"""The trend in plain words (journal.goals.trend_sentence), settings apart, prompt letters.

The property tests hold the sentence to what the numbers show: it never says
"Up" when the data fall, nor "Down" when they rise, and a rise it names goes
from a lower to a higher level.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from journal import goals
from journal.model import PROMPT_LEVELS, Goal, Measurement


def goal(measure: str = "percent", value: float = 80.0, sessions: int = 3) -> Goal:
    """A goal with this criterion."""
    return Goal(title="t", measure=measure, criterion_value=value, criterion_sessions=sessions)


def weekly(scores: list[float], setting: str = "") -> list[goals.TrendPoint]:
    """A point a week from 2026-01-05, one per score."""
    start = date(2026, 1, 5)
    return [
        ((start + timedelta(days=7 * i)).isoformat(), float(s), setting)
        for i, s in enumerate(scores)
    ]


def test_the_sentence_of_the_issue() -> None:
    points = weekly([40, 45, 40, 55, 70, 75, 80], "session")
    points[1] = (points[1][0], 40.0, "home")
    points[5] = (points[5][0], 60.0, "home, after dinner")
    points.append(("2026-02-17", 90.0, "session"))
    sentence = goals.trend_sentence(goal(value=80), points)
    assert sentence == (
        "Up from 40% to 85% over 6 weeks; at criterion in 2 of the last 3 sessions; "
        "home data lags session data by 30 points."
    )


def test_few_points_flat_data_and_the_criterion_met() -> None:
    g = goal(value=80, sessions=2)
    assert goals.trend_sentence(g, []) == "No data yet."
    assert goals.trend_sentence(g, weekly([70])) == "One data point so far: 70% on 2026-01-05."
    assert goals.trend_sentence(g, weekly([80, 82])) == (
        "Steady around 81% over 7 days; at criterion in all of the last 2 sessions: criterion met."
    )
    assert goals.trend_sentence(goal(sessions=3), weekly([85, 90])).endswith(
        "at criterion in 2 of 2 so far (3 in a row needed)."
    )
    assert goals.trend_sentence(goal("count", 10), weekly([12, 3, 2])).startswith(
        "Down from 12 to 2 over 2 weeks"
    )
    minutes = goal("duration", 10)
    assert goals.trend_sentence(minutes, weekly([1, 2.5, 4], "home")).startswith(
        "Up from 1 min to 4 min over 2 weeks"
    )
    apart = weekly([1, 2, 3], "home") + weekly([4, 4.5, 5], "session")
    assert "home data lags session data by 2.5 min" in goals.trend_sentence(minutes, apart)


def test_settings_that_agree_and_a_lead() -> None:
    points = weekly([70, 72], "home") + weekly([71, 70], "clinic")
    assert "home and session data agree" in goals.trend_sentence(goal(), points)
    points = weekly([3, 3, 3], "preschool") + weekly([1, 1, 1], "session")
    assert "school data leads session data by 2 points" in goals.trend_sentence(
        goal("rating", 4), points
    )


def test_setting_groups() -> None:
    assert goals.setting_group("home, snack time") == "home"
    assert goals.setting_group("Preschool") == "school"
    assert goals.setting_group("clinic room 2") == "session"
    assert goals.setting_group("session at home") == "session"  # the first word found
    assert goals.setting_group("Fairview Market") == "other"
    series = goals.setting_series(weekly([1], "school") + weekly([2], "home"))
    assert list(series) == ["home", "school"]


def test_trend_points_leave_out_points_without_a_score() -> None:
    points = [
        Measurement(goal_id="g", date="2026-01-01", correct=3, total=4, setting="home"),
        Measurement(goal_id="g", date="2026-01-02"),
    ]
    assert goals.trend_points(points) == [("2026-01-01", 75.0, "home")]
    assert goals.stored_trend_point({"date": "d", "value": 2}) == ("d", 2.0, "")
    assert goals.stored_trend_point({"date": "d"}) is None


def test_prompt_letters_are_unique_and_skip_the_unprompted_level() -> None:
    assert goals.prompt_letters(PROMPT_LEVELS) == {
        "full physical": "F",
        "partial physical": "P",
        "model": "M",
        "gestural": "G",
        "verbal": "V",
    }
    letters = goals.prompt_letters(["point", "physical", "picture", "cue", "independent"])
    assert len(set(letters.values())) == 4 and "independent" not in letters
    assert not set(letters.values()) & set(goals.RESERVED_LETTERS)
    many = goals.prompt_letters([f"level {n}" for n in range(40)])
    assert len(many) == 26 - len(goals.RESERVED_LETTERS)


# --- properties --------------------------------------------------------------------------

MEASURES = st.sampled_from(["percent", "count", "duration", "rating"])


def _scores(measure: str) -> st.SearchStrategy[float]:
    high = {"percent": 100.0, "rating": 5.0}.get(measure, 60.0)
    low = 1.0 if measure == "rating" else 0.0
    return st.floats(low, high, allow_nan=False).map(lambda x: round(x, 2))


@st.composite
def series(draw: st.DrawFn, *, order: str = "any") -> tuple[str, list[float]]:
    measure = draw(MEASURES)
    values = draw(st.lists(_scores(measure), min_size=2, max_size=40))
    if order == "falling":
        values.sort(reverse=True)
    elif order == "rising":
        values.sort()
    return measure, values


_LEVEL = re.compile(r"^(Up|Down) from (.+?) to (.+?) (?:over|in) ")


def _number(text: str) -> float:
    return float(text.removesuffix(" min").rstrip("%").split("/")[0])


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(["falling", "rising"]).flatmap(lambda order: series(order=order)))
def test_never_a_rise_when_the_data_fall_nor_the_reverse(drawn: tuple[str, list[float]]) -> None:
    measure, values = drawn
    sentence = goals.trend_sentence(goal(measure), weekly(values))
    if values == sorted(values, reverse=True):
        assert not sentence.startswith("Up"), (values, sentence)
    if values == sorted(values):
        assert not sentence.startswith("Down"), (values, sentence)


@settings(max_examples=300, deadline=None)
@given(series())
def test_a_named_change_agrees_with_the_data(drawn: tuple[str, list[float]]) -> None:
    """Up or Down: from a lower to a higher level (or the reverse), and the fitted line
    through every point slopes the same way."""
    measure, values = drawn
    sentence = goals.trend_sentence(goal(measure), weekly(values))
    found = _LEVEL.match(sentence)
    if found is None:
        assert sentence.startswith("Steady around"), sentence
        return
    word, start, end = found.group(1), _number(found.group(2)), _number(found.group(3))
    n = len(values)
    slope = sum((i - (n - 1) / 2) * v for i, v in enumerate(values))
    _direction, first, _last = goals.trend_direction(measure, values)
    if word == "Up":
        assert start < end and slope > 0 and values[-1] > first, (values, sentence)
    else:
        assert start > end and slope < 0 and values[-1] < first, (values, sentence)
