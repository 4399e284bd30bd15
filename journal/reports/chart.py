"""A goal's chart in the report: an inline SVG line chart of its data over time.

`Chart` works out the geometry (scales, ticks, points) and
templates/chart.svg.j2 draws it. Axes with value and date labels, the
mastery criterion as a dashed line, the points joined by a polyline, each
point with its own <title>, and a <title>/<desc> for screen readers. Dated
events ("started melatonin") are labelled vertical lines; when the data come
from more than one setting (home, session, school), each setting is its own
series, so the chart shows whether it happens outside the clinic too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup

from journal import goals as goal_rules
from journal.model import Event, Goal, Measurement
from journal.reports.templating import template

__all__ = ["CHART_HEIGHT", "CHART_WIDTH", "Chart", "EventLine", "Series", "chart_svg"]

EVENT_REACH_DAYS = 30
"""Events this many days before the first or after the last data point are still drawn."""

CHART_WIDTH = 640
CHART_HEIGHT = 220
_LEFT, _RIGHT, _TOP, _BOTTOM = 52, 16, 14, 40


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / max(ticks, 1)
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _point(goal: Goal, m: Measurement) -> str:
    return goal_rules.point_text(goal.measure, m) or "-"


@dataclass
class ValueTick:
    """A grid line across the chart at height `y`, labelled at the left (baseline `label_y`)."""

    y: str
    label_y: str
    label: str


@dataclass
class DateTick:
    """A date under the x axis at `x`, its text anchored at the start, middle or end."""

    x: str
    label: str
    anchor: str


@dataclass
class Dot:
    """A data point: where it is drawn and what its tooltip says."""

    x: str
    y: str
    title: str
    css: str = ""
    """The setting's class when the chart draws settings apart ('series-home')."""


@dataclass
class EventLine:
    """A dated event: a vertical line at `x`, labelled at the top (`label_y`)."""

    x: str
    label: str
    title: str
    label_y: str
    anchor: str = "start"


@dataclass
class Series:
    """The line through the data points of one setting (home, session, school, other)."""

    name: str
    css: str
    polyline: str
    legend_x: str = ""


@dataclass
class Chart:
    """What templates/chart.svg.j2 draws for one goal. Coordinates are strings, as
    written in the SVG; texts are plain (the template escapes them)."""

    id: str
    title: str
    summary: str
    criterion_text: str
    criterion_label: str
    criterion_y: str
    criterion_label_y: str
    y_ticks: list[ValueTick] = field(default_factory=list)
    x_ticks: list[DateTick] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)
    polyline: str = ""
    events: list[EventLine] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    """Set when the data come from more than one setting: one series each."""
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: int = _LEFT
    right: int = CHART_WIDTH - _RIGHT
    top: int = _TOP
    bottom: int = CHART_HEIGHT - _BOTTOM
    middle: tuple[str, str] = (
        f"{_LEFT + (CHART_WIDTH - _LEFT - _RIGHT) / 2:.0f}",
        f"{_TOP + (CHART_HEIGHT - _TOP - _BOTTOM) / 2:.0f}",
    )
    """Where 'No data in this period' is written."""

    @classmethod
    def of(
        cls,
        goal: Goal,
        points: Sequence[Measurement],
        chart_id: str,
        title: str,
        events: Sequence[Event] = (),
    ) -> Chart:
        """The chart of a goal's data points (points without a score or a date are left
        out) and the `events` near them. `title` is the goal's title as the report
        shows it; event titles come as the report shows them too."""
        data: list[tuple[int, float, Measurement]] = []
        for m in points:
            score = m.score
            try:
                day = date.fromisoformat(m.date[:10]).toordinal()
            except ValueError:
                continue
            if score is not None and math.isfinite(score):
                data.append((day, score, m))
        criterion = goal.criterion_value
        fixed = goal_rules.measure_range(goal.measure)
        if fixed is not None:
            low, high = 0.0, fixed[1]  # the axis starts at zero, for ratings too
        else:
            top = max([criterion, *(s for _d, s, _m in data)])
            if top <= 0:
                low, high = 0.0, 1.0
            else:
                step = _nice_step(top * 1.1)
                low, high = 0.0, step * math.ceil(top * 1.1 / step)
        first = min((d for d, _s, _m in data), default=0)
        last = max((d for d, _s, _m in data), default=0)
        near = _near_events(events, first, last) if data else []
        if near:
            first = min(first, min(day for day, _e in near))
            last = max(last, max(day for day, _e in near))
        if last == first:
            first, last = first - 1, last + 1
        plot_w = CHART_WIDTH - _LEFT - _RIGHT
        plot_h = CHART_HEIGHT - _TOP - _BOTTOM

        def x(day: int) -> float:
            return _LEFT + (day - first) / (last - first) * plot_w

        def y(value: float) -> float:
            clamped = min(max(value, low), high)
            return _TOP + (1 - (clamped - low) / (high - low)) * plot_h

        def value(number: float) -> str:
            return goal_rules.format_score(goal.measure, number)

        scores = [s for _d, s, _m in data]
        summary = (
            f"{len(data)} data points from {data[0][2].date} to {data[-1][2].date}; "
            f"latest {_point(goal, data[-1][2])}; criterion {goal.criterion_text()}."
            if data
            else "No data points in this period."
        )
        if scores:
            summary += f" Lowest {value(min(scores))}, highest {value(max(scores))}."
        cy = y(criterion)
        chart = cls(
            id=chart_id,
            title=title,
            summary=summary,
            criterion_text=goal.criterion_text(),
            criterion_label=value(criterion),
            criterion_y=f"{cy:.1f}",
            criterion_label_y=f"{cy - 4:.1f}",
        )
        step = _nice_step(high - low, 5)
        tick = low
        while tick <= high + 1e-9:
            chart.y_ticks.append(ValueTick(f"{y(tick):.1f}", f"{y(tick) + 3.5:.1f}", value(tick)))
            tick += step
        if data:
            count = min(6, max(2, len({d for d, _s, _m in data})))
            seen: set[int] = set()
            for i in range(count):
                day = round(first + (last - first) * i / (count - 1))
                if day in seen:
                    continue
                seen.add(day)
                anchor = "start" if i == 0 else "end" if i == count - 1 else "middle"
                label = date.fromordinal(day).isoformat()
                chart.x_ticks.append(DateTick(f"{x(day):.1f}", label, anchor))
            chart.dots = [
                Dot(f"{x(d):.1f}", f"{y(s):.1f}", f"{m.date}: {_point(goal, m)}")
                for d, s, m in data
            ]
            chart.polyline = " ".join(f"{dot.x},{dot.y}" for dot in chart.dots)
            chart.series = _series(data, chart.dots)
        for i, (day, event) in enumerate(near):
            anchor = "end" if x(day) > _LEFT + plot_w * 0.75 else "start"
            chart.events.append(
                EventLine(
                    x=f"{x(day):.1f}",
                    label=_clip(event.title, 28),
                    title=f"{event.date}: {event.title}",
                    label_y=f"{_TOP + 10 + 12 * (i % 3):.1f}",
                    anchor=anchor,
                )
            )
        return chart


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _near_events(events: Sequence[Event], first: int, last: int) -> list[tuple[int, Event]]:
    """(day, event) of the events within `EVENT_REACH_DAYS` of the data, by day."""
    found: list[tuple[int, Event]] = []
    for event in events:
        try:
            day = date.fromisoformat(event.date[:10]).toordinal()
        except ValueError:
            continue
        if first - EVENT_REACH_DAYS <= day <= last + EVENT_REACH_DAYS:
            found.append((day, event))
    return sorted(found, key=lambda item: item[0])


def _series(data: Sequence[tuple[int, float, Measurement]], dots: Sequence[Dot]) -> list[Series]:
    """One series per setting group, when the data come from more than one."""
    groups: dict[str, list[Dot]] = {}
    for (_day, _score, point), dot in zip(data, dots, strict=True):
        groups.setdefault(goal_rules.setting_group(point.setting), []).append(dot)
    if len(groups) < 2:
        return []
    ordered = [name for name in goal_rules.SETTING_GROUPS if name in groups]
    for name in ordered:
        for dot in groups[name]:
            dot.css = f"series-{name}"
    return [
        Series(
            name=name,
            css=f"series-{name}",
            polyline=" ".join(f"{dot.x},{dot.y}" for dot in groups[name]),
            legend_x=f"{_LEFT + 8 + 80 * i}",
        )
        for i, name in enumerate(ordered)
    ]


def chart_svg(
    goal: Goal,
    points: Sequence[Measurement],
    chart_id: str,
    title: str,
    events: Sequence[Event] = (),
) -> Markup:
    """The SVG chart of a goal's data points and events (see `Chart`), as HTML for a page.

    Safe to put in a page as it is: templates/chart.svg.j2 escapes every text
    (`title`, plain text, included).
    """
    chart = Chart.of(goal, points, chart_id, title, events)
    return Markup(template("chart.svg.j2").render(chart=chart))
