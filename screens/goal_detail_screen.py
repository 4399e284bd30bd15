"""One goal in full: its fields, a chart of its data with the criterion line, and around it.

Pushed over the goal board. On top: every field of the goal (what it is, how
it is taught, how it is measured and when it is met, and its trend in one
sentence) beside a chart of its scores by date (textual-plotext) with the
mastery criterion as a horizontal line, dated events as labelled vertical
lines, and one line per setting when the data come from several. Below, in
tabs: the data points, the status history (each move with who made it), the
linked goals and entries, and the goal's feedback thread.

The goal is read in a thread worker (`GoalDetails.load`); `m` records a data
point, `t` takes data live (screens.collector_screen), `v` adds a dated event,
`e` edits, shift+←/→ moves the goal to the previous or next status.
Enter on a linked entry posts `OpenRecord`, which the app turns into the
journal screen. User text is shown as plain `Content` or Rich `Text`, never
as markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    OptionList,
    Static,
    Tab,
    TabbedContent,
    TabPane,
    Tabs,
)
from textual.widgets._tabs import Underline  # the tabs' underline (not exported by Textual)
from textual.widgets.option_list import Option
from textual_plotext import PlotextPlot

from journal import goals as goal_rules
from journal.dates import local_time
from journal.errors import NotFound
from journal.goals import MEASURE_LABELS, format_score, scores_meet_criterion
from journal.journal import Journal
from journal.model import (
    ENTRY_KIND_LABELS,
    GOAL_STATUSES,
    Entry,
    Event,
    Goal,
    GoalEvent,
    Measurement,
)
from journal.text import one_line, safe_text
from screens.goal_data import collect_data, data_bindings, move_bindings, record_data
from screens.reply_dialog import ReplyDialog
from widgets.messages import JournalEdited, OpenRecord
from widgets.thread_view import ThreadView
from widgets.workers import WorkerHost

__all__ = ["GoalChart", "GoalDetailScreen", "GoalDetails", "goal_measurements"]


def goal_measurements(journal: Journal, goal_id: str) -> list[Measurement]:
    """A goal's data points, oldest first: `Journal.measurements`, which the detail shows."""
    return journal.measurements(goal_id)


@dataclass(frozen=True)
class GoalDetails:
    """Everything the detail shows about one goal, loaded from the journal."""

    goal: Goal
    parent: Goal | None = None
    measurements: tuple[Measurement, ...] = ()
    history: tuple[GoalEvent, ...] = ()
    entries: tuple[Entry, ...] = ()
    subgoals: tuple[Goal, ...] = ()
    comments: int = 0
    names: Mapping[str, str] = field(default_factory=dict)
    """Member names by id (removed members too)."""
    events: tuple[Event, ...] = ()
    """The dated events drawn on the goal's chart, by day."""

    @classmethod
    def load(cls, journal: Journal, goal_id: str) -> GoalDetails:
        """Read the goal and what surrounds it (no Textual; fine in a thread)."""
        with journal.lock:
            goal = journal.get(Goal, goal_id)
            parent = None
            if goal.parent_id:
                try:
                    parent = journal.get(Goal, goal.parent_id)
                except NotFound:  # a parent missing from this copy
                    parent = None
            members = journal.members_by_id()
            return cls(
                goal=goal,
                parent=parent,
                measurements=tuple(journal.measurements(goal.id)),
                history=tuple(journal.goal_history(goal.id)),
                entries=tuple(journal.entries(goal=goal.id)),
                subgoals=tuple(journal.subgoals(goal.id)),
                comments=len(journal.thread(goal.id)),
                names={member_id: m.name for member_id, m in members.items()},
                events=tuple(journal.events(goal.id)),
            )

    def name(self, member_id: str | None) -> str:
        """A member's name, or 'unknown'."""
        return self.names.get(member_id or "", "unknown")

    @property
    def scores(self) -> list[float]:
        """The scores of the data points that have one, oldest first."""
        return [m.score for m in self.measurements if m.score is not None]

    @property
    def criterion_met(self) -> bool:
        """The last N scores all reach the criterion (`goals.scores_meet_criterion`)."""
        return scores_meet_criterion(self.goal, self.scores)

    @property
    def last_prompt(self) -> str:
        """The prompt level of the latest data point that has one."""
        return next((m.prompt for m in reversed(self.measurements) if m.prompt), "")

    @property
    def last_setting(self) -> str:
        """The setting of the latest data point that has one."""
        return next((m.setting for m in reversed(self.measurements) if m.setting), "")

    @property
    def trend(self) -> str:
        """The trend of the goal's data in one sentence (`goals.trend_sentence`)."""
        return goal_rules.trend_sentence(self.goal, goal_rules.trend_points(self.measurements))


def fields_content(details: GoalDetails) -> Content:
    """The goal's fields as plain text with styled labels (user text never markup)."""
    goal = details.goal
    parts: list[str | tuple[str, str]] = [(one_line(goal.title) or "(untitled)", "bold"), "\n"]
    facts = [f"Status: {goal.status}", f"owner: {one_line(goal.owner)}"]
    if goal.domain:
        facts.insert(1, f"domain: {one_line(goal.domain)}")
    parts.append((" · ".join(facts), "$text-secondary"))
    if details.criterion_met:
        parts += ["  ", ("criterion met", "bold reverse $text-success")]
    parts.append("\n")
    if details.parent is not None:
        parts += [("↳ Objective of: ", "$text-muted"), one_line(details.parent.title), "\n"]
    parts += [("Trend: ", "bold $text-primary"), (details.trend, "italic"), "\n"]

    def add(label: str, value: str) -> None:
        parts.extend(["\n", (f"{label}: ", "bold $text-primary"), safe_text(value.strip()) or "—"])

    add("Description", goal.description)
    add("Method", goal.method)
    add("Desired outcome", goal.desired_outcome)
    add("Measure", MEASURE_LABELS.get(goal.measure, goal.measure))
    add("Mastery criterion", goal.criterion_text())
    add("Prompt hierarchy", " › ".join(one_line(level) for level in goal.prompt_levels))
    add("Setting", one_line(goal.setting))
    parts += [" · ", ("Start: ", "bold $text-primary"), goal.start_date or "—"]
    parts += [" · ", ("Review: ", "bold $text-primary"), goal.review_date or "—"]
    add("Created", f"{local_time(goal.created_at)} by {one_line(details.name(goal.author))}")
    return Content.assemble(*parts)


FIRST_ROWS = 60
"""Data points the table shows at once; the others follow, `MORE_ROWS` a paint."""

MORE_ROWS = 250

ROWS_PAUSE = 0.02
"""Seconds between adding two runs of rows: the screen stays painted and answers keys."""

CHART_POINTS = 240
"""The most points the chart draws one by one (more: the means of runs of points)."""

_SETTING_COLORS = {"home": "orange", "session": "cyan", "school": "magenta", "other": "gray"}
"""The line of each setting when the chart draws settings apart."""


def _days_between(first: str, last: str) -> int:
    """Days from `first` to `last` ('YYYY-MM-DD'; 0 when either is not a date)."""
    try:
        return (date.fromisoformat(last[:10]) - date.fromisoformat(first[:10])).days
    except ValueError:
        return 0


def _shifted(day: str, days: int) -> str:
    """'YYYY-MM-DD' moved by `days` (the day itself when it is not a date)."""
    try:
        return (date.fromisoformat(day[:10]) + timedelta(days=days)).isoformat()
    except ValueError:
        return day


class GoalChart(PlotextPlot):
    """A goal's scores by date, with the mastery criterion as a horizontal line."""

    DEFAULT_CSS = """
    GoalChart { width: 1fr; height: 1fr; }
    """

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        """An empty chart."""
        super().__init__(name=name, id=id, classes=classes)
        self.dates: tuple[str, ...] = ()
        """The date of each plotted score."""
        self.scores: tuple[float, ...] = ()
        """The plotted scores, in date order."""
        self.criterion: float | None = None
        """Where the criterion line is drawn."""
        self.series: tuple[str, ...] = ()
        """The settings drawn as lines of their own (none when the data come from one)."""
        self.events: tuple[tuple[str, str], ...] = ()
        """(day, title) of each event drawn as a vertical line."""

    def show(self, details: GoalDetails) -> None:
        """Plot the goal's scores by date and its criterion line."""
        goal = details.goal
        points = [(m.date, m.score) for m in details.measurements if m.score is not None]
        self.dates = tuple(day for day, _score in points)
        self.scores = tuple(float(score) for _day, score in points if score is not None)
        self.criterion = goal.criterion_value
        plt = self.plt
        plt.clear_figure()
        plt.date_form("Y-m-d")
        unit = {"percent": "% correct", "duration": "minutes", "rating": "rating"}
        label = unit.get(goal.measure, "count")
        value = goal.criterion_text().split(" across ")[0]
        criterion = f"criterion {value} x{goal.criterion_sessions}"
        series = goal_rules.setting_series(goal_rules.trend_points(details.measurements))
        self.series = tuple(series) if len(series) > 1 else ()
        if not points:
            plt.title(f"No data yet (press m or t) - {criterion}")
        elif self.series:
            plt.title(f"{label} by date and setting - {criterion}")
            for name in self.series:
                days = [day for day, _score, _setting in series[name]]
                values = [score for _day, score, _setting in series[name]]
                self._plot_points(days, values, _SETTING_COLORS.get(name, "gray"), name)
        else:
            plt.title(f"{label} by date - {criterion}")
            self._plot_points(list(self.dates), list(self.scores), "cyan")
        plt.hline(goal.criterion_value, "green")
        self._draw_events(details.events, goal)
        if goal.measure == "percent":
            plt.ylim(0, 100)
            plt.yticks([0, 25, 50, 75, 100])
        elif goal.measure == "rating":
            plt.ylim(1, 5)
            plt.yticks([1, 2, 3, 4, 5])
        else:
            top = max([*self.scores, goal.criterion_value, 1.0])
            plt.ylim(0, top * 1.1)
        self.refresh()

    def _plot_points(
        self, days: list[str], values: list[float], color: str, label: str = ""
    ) -> None:
        """A line through the points, and a dot on each; past `CHART_POINTS` points, the
        line goes through the means of as many runs of points (a chart is ~100 cells
        wide: thousands of dots would cost a second and show nothing more)."""
        plt = self.plt
        if len(days) > CHART_POINTS:
            size = -(-len(days) // CHART_POINTS)
            runs = range(0, len(days), size)
            days = [days[min(i + size // 2, len(days) - 1)] for i in runs]
            values = [sum(values[i : i + size]) / len(values[i : i + size]) for i in runs]
            plt.plot(days, values, marker="braille", color=color, label=label or None)
            return
        plt.plot(days, values, marker="braille", color=color, label=label or None)
        plt.scatter(days, values, marker="dot", color=color)

    def _draw_events(self, events: Sequence[Event], goal: Goal) -> None:
        """A labelled vertical line per event within a month of the data."""
        if not self.dates:
            self.events = ()
            return
        first, last = _shifted(self.dates[0], -31), _shifted(self.dates[-1], 31)
        near = [(e.date, one_line(e.title)) for e in events if first <= e.date[:10] <= last]
        self.events = tuple(near)
        fixed = goal_rules.measure_range(goal.measure)
        top = fixed[1] if fixed else max([*self.scores, goal.criterion_value, 1.0]) * 1.05
        plt = self.plt
        days = [day[:10] for day, _title in near] + [self.dates[0][:10], self.dates[-1][:10]]
        start, end = min(days), max(days)
        for i, (day, title) in enumerate(near):
            x = cast(float, plt.string_to_time(day[:10]))  # a number; plotext says datetime
            plt.vline(x, "red")
            label = title if len(title) <= 18 else title[:17] + "…"
            # A label in the right part of the chart ends at its line, so it is not cut off.
            right = day[:10] > start and _days_between(start, day) > 0.6 * _days_between(start, end)
            plt.text(
                label,
                x,
                top * (1 - 0.07 * (i % 3)),
                color="red",
                alignment="right" if right else "left",
            )


class GoalDetailScreen(WorkerHost, Screen[None]):
    """A goal's fields and chart, with its data, history, links and thread in tabs."""

    AUTO_FOCUS = "#measurements"

    WORKER_ERRORS: ClassVar[dict[str, str]] = {
        "detail": "Could not read the goal",
        "detail-move": "Could not move the goal",
    }

    DEFAULT_CSS = """
    GoalDetailScreen {
        layout: vertical;
        & #top { height: 3fr; min-height: 12; }
        & #fields {
            width: 1fr;
            padding: 0 1;
            border-right: vkey $foreground 20%;
            scrollbar-size-vertical: 1;
        }
        & #fields > Static { height: auto; }
        & #chart { width: 1fr; }
        & #tabs { height: 2fr; min-height: 8; }
        & #tabs > ContentSwitcher { height: 1fr; }
        & TabPane { height: 1fr; padding: 0; }
        & DataTable { height: 1fr; }
        & #links > .links-heading { padding: 0 1; color: $text-secondary; text-style: bold; }
        & #links > OptionList { height: auto; max-height: 8; margin-bottom: 1; }
        & #links { height: 1fr; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to the board", id="goal_detail.back"),
        *data_bindings("goal_detail"),
        Binding("v", "add_event", "Add event", id="goal_detail.add_event"),
        Binding("e", "edit", "Edit", id="goal_detail.edit"),
        Binding("c", "comment", "Comment", id="goal_detail.comment"),
        *move_bindings("goal_detail"),
        Binding("1", "tab('tab-data')", "Data", show=False, id="goal_detail.tab.data"),
        Binding("2", "tab('tab-history')", "History", show=False, id="goal_detail.tab.history"),
        Binding("3", "tab('tab-links')", "Linked", show=False, id="goal_detail.tab.links"),
        Binding("4", "tab('tab-thread')", "Thread", show=False, id="goal_detail.tab.thread"),
    ]

    @dataclass
    class Loaded(Message):
        """The goal's details, from the worker that read them."""

        details: GoalDetails
        """The details to show."""

    def __init__(self, journal: Journal, goal_id: str) -> None:
        """The detail of goal `goal_id` in `journal`."""
        super().__init__()
        self.journal = journal
        self.goal_id = goal_id
        self.details: GoalDetails | None = None
        """The details shown, once loaded."""
        self._rows_shown = 0
        """Which showing of the data table the rows still being added belong to."""

    def compose(self) -> ComposeResult:
        """Fields and chart on top, then the tabs."""
        yield Header()
        with Horizontal(id="top"):
            with VerticalScroll(id="fields"):
                yield Static("Loading…", id="fields-text")
            yield GoalChart(id="chart")
        with TabbedContent(id="tabs"):
            with TabPane("Data", id="tab-data"):
                table: DataTable[Text] = DataTable(id="measurements", cursor_type="row")
                table.add_columns(
                    "Date", "Score", "Correct/total", "Prompt", "Setting", "Note", "Recorded by"
                )
                yield table
            with TabPane("History", id="tab-history"):
                history: DataTable[Text] = DataTable(id="history", cursor_type="row")
                history.add_columns("When", "Who", "From", "To", "Note")
                yield history
            with TabPane("Linked", id="tab-links"), Vertical(id="links"):
                yield Static("Long-term goal and objectives", classes="links-heading")
                yield OptionList(id="goals")
                yield Static("Entries about this goal (Enter opens)", classes="links-heading")
                yield OptionList(id="entries")
            with TabPane("Thread", id="tab-thread"):
                yield ThreadView(self.journal, reply_dialog=ReplyDialog, id="thread")
        yield Footer()

    def on_mount(self) -> None:
        """Load the goal; after each layout, check where the tabs' underline is."""
        self.screen_layout_refresh_signal.subscribe(self, self._place_tab_underline)
        self.reload()

    def _place_tab_underline(self, _screen: Screen[None]) -> None:
        """Have the tabs put their underline under the active tab again if it is not there.

        Relabelling a tab (its count, once the goal is loaded) makes Textual 8
        move the underline from where the tab was at the last layout; when the
        app is busy that layout predates the new label, and the underline stays
        under the old, shorter one. After each layout the tab's place is known:
        a `Relabelled` message has the tabs place the underline again (a
        layout, not the sliding underline, calls this: it cannot loop).
        """
        try:
            tabs = self.query_one("#tabs > Tabs", Tabs)
            underline = tabs.query_one(Underline)
        except NoMatches:  # the screen is going away
            return
        active = tabs.active_tab
        if active is None:
            return
        start, end = active.virtual_region.shrink(active.styles.gutter).column_span
        if (underline.highlight_start, underline.highlight_end) != (start, end):
            tabs.post_message(Tab.Relabelled(active))  # also while it slides to a wrong place

    def reload(self) -> None:
        """Read the goal again (it changed, or a copy was merged in)."""
        self.load_details()

    @work(thread=True, exclusive=True, exit_on_error=False, group="detail")
    def load_details(self) -> None:
        """Read the goal's details (in a thread) and post them back."""
        self.post_result(self.Loaded(GoalDetails.load(self.journal, self.goal_id)))

    @on(Loaded)
    def _show(self, event: Loaded) -> None:
        details = event.details
        self.details = details
        goal = details.goal
        self.sub_title = one_line(goal.title)
        self.query_one("#fields-text", Static).update(fields_content(details))
        self.query_one(GoalChart).show(details)
        self._show_measurements(details)
        self._show_history(details)
        self._show_links(details)
        self.query_one(ThreadView).show_thread(goal.id)
        tabs = self.query_one(TabbedContent)
        tabs.get_tab("tab-data").label = Content(f"Data ({len(details.measurements)})")
        tabs.get_tab("tab-history").label = Content(f"History ({len(details.history)})")
        linked = len(details.entries) + len(details.subgoals) + (1 if details.parent else 0)
        tabs.get_tab("tab-links").label = Content(f"Linked ({linked})")
        tabs.get_tab("tab-thread").label = Content(f"Thread ({details.comments})")
        self.refresh_bindings()

    def _show_measurements(self, details: GoalDetails) -> None:
        """The data points, newest first: the first `FIRST_ROWS` at once, the rest after
        the screen is painted (thousands of rows take a second to lay out)."""
        table: DataTable[Text] = self.query_one("#measurements", DataTable)
        row = table.cursor_row
        table.clear()
        self._rows_shown += 1
        newest = details.measurements[::-1]
        self._add_rows(self._rows_shown, newest, 0, details)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1), animate=False)

    def _add_rows(
        self, shown: int, newest: Sequence[Measurement], start: int, details: GoalDetails
    ) -> None:
        if shown != self._rows_shown:  # the table was shown again meanwhile
            return
        table: DataTable[Text] = self.query_one("#measurements", DataTable)
        end = start + (FIRST_ROWS if start == 0 else MORE_ROWS)
        measure = details.goal.measure
        for m in newest[start:end]:
            trials = f"{m.correct}/{m.total}" if m.correct is not None and m.total else ""
            table.add_row(
                Text(one_line(m.date)),
                Text(format_score(measure, m.score)),
                Text(trials),
                Text(one_line(m.prompt)),
                Text(one_line(m.setting)),
                Text(one_line("; ".join(filter(None, (goal_rules.live_text(m), m.note))))),
                Text(one_line(details.name(m.author))),
                key=m.id,
            )
        if end < len(newest):  # after this paint, not before it
            self.set_timer(ROWS_PAUSE, partial(self._add_rows, shown, newest, end, details))

    def _show_history(self, details: GoalDetails) -> None:
        table: DataTable[Text] = self.query_one("#history", DataTable)
        table.clear()
        for event in reversed(details.history):
            table.add_row(
                Text(local_time(event.created_at)),
                Text(one_line(details.name(event.author))),
                Text(one_line(event.old_status)),
                Text(one_line(event.new_status)),
                Text(one_line(event.note)),
                key=event.id,
            )

    def _show_links(self, details: GoalDetails) -> None:
        goals = self.query_one("#goals", OptionList)
        goals.clear_options()
        options: list[Option] = []
        if details.parent is not None:
            parent = details.parent
            options.append(
                Option(Content(f"↑ {one_line(parent.title)} ({parent.status})"), id=parent.id)
            )
        for sub in details.subgoals:
            options.append(Option(Content(f"↳ {one_line(sub.title)} ({sub.status})"), id=sub.id))
        if not options:
            options.append(Option(Content("No long-term goal or objectives"), disabled=True))
        goals.add_options(options)
        if details.parent is not None or details.subgoals:
            goals.highlighted = 0
        entries = self.query_one("#entries", OptionList)
        entries.clear_options()
        if details.entries:
            entries.add_options(
                Option(
                    Content(
                        f"{one_line(e.occurred_at.replace('T', ' ', 1))} · "
                        f"{ENTRY_KIND_LABELS.get(e.kind, e.kind)} · {one_line(e.title)}"
                    ),
                    id=e.id,
                )
                for e in details.entries
            )
            entries.highlighted = 0
        else:
            entries.add_option(Option(Content("No entries link this goal yet"), disabled=True))

    # --- actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Record, edit and move once the goal is loaded."""
        if action in ("measure", "take_data", "add_event", "edit", "move", "comment"):
            return self.details is not None
        return True

    def action_back(self) -> None:
        """Back to the board."""
        self.dismiss()

    def action_tab(self, pane_id: str) -> None:
        """Show one of the tabs."""
        self.query_one(TabbedContent).active = pane_id

    def comment_target(self) -> tuple[str, str] | None:
        """This goal: `c` comments on it."""
        details = self.details
        return (details.goal.id, details.goal.title) if details is not None else None

    def action_comment(self, question: bool = False) -> None:
        """Comment on the goal: its Thread tab, with the reply box open."""
        if self.details is None:
            return
        self.action_tab("tab-thread")
        self.query_one(ThreadView).action_reply()

    def action_measure(self) -> None:
        """Record a data point for this goal."""
        if self.details is not None:
            record_data(self, self.journal, self.details, self.reload)

    def action_take_data(self) -> None:
        """Take data live for this goal (screens.collector_screen)."""
        if self.details is not None:
            collect_data(self, self.journal, self.details, self.reload)

    def action_add_event(self) -> None:
        """Add a dated event ("started melatonin") to the charts (screens.event_dialog)."""
        from screens.event_dialog import edit_event

        details = self.details
        if details is not None:
            goals = [details.goal, *details.subgoals]
            edit_event(self, self.journal, goals=goals, done=self.reload)

    def action_edit(self) -> None:
        """Edit this goal with the goal form."""
        from screens.goal_form_screen import GoalFormScreen

        details = self.details
        if details is None:
            return

        def edited(goal_id: str | None) -> None:
            if goal_id is not None:
                self.reload()

        self.app.push_screen(GoalFormScreen(self.journal, details.goal), callback=edited)

    def action_move(self, step: int) -> None:
        """Move the goal to the previous or next status (kept in its history)."""
        details = self.details
        if details is None:
            return
        index = GOAL_STATUSES.index(details.goal.status) + step
        if 0 <= index < len(GOAL_STATUSES):
            self._move(details.goal.id, GOAL_STATUSES[index])

    @work(thread=True, exclusive=True, exit_on_error=False, group="detail-move")
    def _move(self, goal_id: str, status: str) -> None:
        """Write the move (in a thread), tell the app and read the goal again."""
        goal = self.journal.move_goal(goal_id, status)
        self.post_message(JournalEdited(f"“{one_line(goal.title)}” moved to {status}"))
        self.post_message(self.Loaded(GoalDetails.load(self.journal, goal_id)))

    @on(OptionList.OptionSelected, "#entries")
    def _entry_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(OpenRecord(event.option.id))

    @on(OptionList.OptionSelected, "#goals")
    def _goal_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.app.push_screen(GoalDetailScreen(self.journal, event.option.id))

    @property
    def measurement_rows(self) -> Sequence[str]:
        """The keys (measurement ids) of the table's rows, top to bottom, for tests."""
        table: DataTable[Text] = self.query_one("#measurements", DataTable)
        return [str(row.key.value) for row in table.ordered_rows]
