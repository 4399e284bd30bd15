"""The report's charts explain themselves (issue #14): the trend sentence, dated events as
labelled lines, settings apart, an Events section and a Patterns section."""

from __future__ import annotations

import re

from journal import goals as goal_rules
from journal.journal import Journal
from journal.model import Event, Goal, Measurement
from journal.reports import chart_svg, export_html
from journal.reports.chart import Chart
from tests.test_report import article_of


def test_trend_events_settings_and_patterns_in_the_report(journal: Journal) -> None:
    journal.update_info(child_name="Sam Rivera")
    goal = journal.add_goal("Asks for help")
    other = journal.add_goal("Waits")
    for day, correct, setting in ((5, 4, "session"), (12, 5, "home"), (19, 8, "session")):
        journal.record_measurement(
            goal.id, correct=correct, total=10, setting=setting, date=f"2026-01-{day:02d}"
        )
    journal.add_event("2026-01-10", "Sam started <melatonin>")
    journal.add_event("2026-01-15", "new teacher", goals=[other.id])
    journal.add_entry(
        "incident",
        "Shoes",
        occurred_at="2026-01-06T08:10",
        fields={"behavior": "threw his shoes", "function": "escape"},
    )
    journal.add_entry(
        "checkin", "Day", occurred_at="2026-01-06T21:00", fields={"bedtime": "20:00",
        "wake_time": "06:00", "mood": 4},
    )  # fmt: skip
    text = export_html(journal, pseudonym="Alex")
    sentence = goal_rules.trend_sentence(
        goal, goal_rules.trend_points(journal.measurements(goal.id))
    )
    assert f'<p class="trend">{sentence}</p>' in text
    section = article_of(text, f"goal-{goal.id}")
    assert section.count('<g class="event">') == 1  # the other goal's event is not here
    assert "Alex started &lt;melatonin&gt;" in section and "Sam" not in section
    assert 'class="setting series-home"' in section and 'class="setting series-session"' in section
    assert section.count("<circle") == 3
    events = text[text.index('<section class="major" id="events">') :]
    assert "new teacher" in events and "every goal" in events
    patterns = text[text.index('<section class="major" id="patterns">') :]
    assert "1 ABC incident by day" in patterns and "escape (1)" in patterns
    assert re.search(r'<td class="h4" title="Tue 8:00: 1">1</td>', patterns)
    assert 'href="#events">Events (2)' in text and 'href="#patterns">' in text


def test_a_chart_of_one_setting_has_no_legend_and_far_events_are_left_out() -> None:
    goal = Goal(title="t", measure="count", criterion_value=5)
    points = [Measurement(date=f"2026-03-{d:02d}", value=d, setting="home") for d in (1, 8)]
    near = Event(date="2026-02-20", title="spring break")
    far = Event(date="2025-01-01", title="long ago")
    chart = Chart.of(goal, points, "c", "t", [near, far])
    assert [e.label for e in chart.events] == ["spring break"] and not chart.series
    assert float(chart.events[0].x) == chart.left  # the axis starts at the event
    assert "legend" not in chart_svg(goal, points, "c", "t")
