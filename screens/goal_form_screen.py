"""The form that writes a goal: what it is, how it is taught and measured, when it is met.

`GoalFormScreen(journal)` adds a goal; `GoalFormScreen(journal, goal)` edits
one. It dismisses with the goal's id, or `None` when the person leaves
without saving (after asking, when something was typed). A goal may be
nested under a long-term goal (the parent select). On an edit, a new status
is written as a move (`Journal.move_goal`), so it shows in the goal's history.

The checks that turn what was typed into stored values are plain functions
(`parse_goal`, `parse_prompt_levels`, ...), usable without Textual. Saving
runs in a thread worker and tells the app with `JournalEdited`. User text is
only ever shown as plain `Content` or inside inputs, never as markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Input, Select, Static, TextArea

from journal.dates import parse_date
from journal.goals import DEFAULT_CRITERION, DEFAULT_SESSIONS, MEASURE_LABELS, range_problem
from journal.journal import Journal
from journal.model import (
    GOAL_DOMAINS,
    GOAL_OWNERS,
    GOAL_STATUSES,
    MEASURES,
    PROMPT_LEVELS,
    Goal,
)
from journal.text import one_line
from screens.form_dialog import FormDialog, form_keys

__all__ = [
    "DEFAULT_CRITERION",
    "OTHER_DOMAIN",
    "GoalFormScreen",
    "parse_goal",
    "parse_prompt_levels",
]

OTHER_DOMAIN = "\x00other"
"""The domain select's value for 'another domain, typed in'."""

_SAVE_GROUP = "goal-form-save"

_WRITTEN_FIELDS = (
    (
        "description",
        "Description (operational definition)",
        "What exactly counts, in observable words.",
    ),
    ("method", "Method", "How it is taught and practised."),
    ("desired_outcome", "Desired outcome", "What it looks like when it is learned."),
)
"""The goal's longer texts: (field, label, placeholder), each in a text area."""


# --- from typed text to stored values (no Textual) ---------------------------------------


def parse_prompt_levels(text: str) -> list[str]:
    """A comma-separated prompt hierarchy, most intrusive first; blank gives the default."""
    levels: list[str] = []
    for part in text.split(","):
        level = one_line(part)
        if level and level not in levels:
            levels.append(level)
    return levels or list(PROMPT_LEVELS)


def _number(text: str) -> float:
    try:
        number = float(text.strip().replace(",", "."))
    except ValueError:
        raise ValueError("Use a number, e.g. 90.") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError("Use a number, e.g. 90.")
    return number


def parse_goal(raw: Mapping[str, Any]) -> tuple[Goal | None, dict[str, str]]:
    """Check the form's raw values: (the goal, not yet written, {}) or (None, {field: problem}).

    `raw` holds the text of each control by name (title, domain, description,
    method, desired_outcome, owner, setting, start_date, review_date, measure,
    criterion_value, criterion_sessions, prompt_levels, status, parent_id).
    """
    errors: dict[str, str] = {}
    title = one_line(str(raw.get("title", "")))
    if not title:
        errors["title"] = "Give the goal a title."
    measure = str(raw.get("measure") or "percent")
    if measure not in MEASURES:
        errors["measure"] = f"Choose one of: {', '.join(MEASURES)}."
    dates: dict[str, str] = {}
    for name in ("start_date", "review_date"):
        text = str(raw.get(name, "")).strip()
        if not text:
            dates[name] = ""
            continue
        try:
            dates[name] = parse_date(text)
        except ValueError as error:
            errors[name] = str(error)
    if (
        dates.get("start_date")
        and dates.get("review_date")
        and dates["review_date"] < dates["start_date"]
    ):
        errors["review_date"] = "The review comes before the start."
    value = 0.0
    value_text = str(raw.get("criterion_value", "")).strip()
    try:
        value = _number(value_text) if value_text else DEFAULT_CRITERION.get(measure, 90.0)
        if problem := range_problem(measure, value):
            raise ValueError(f"{problem[0].upper()}{problem[1:]}.")
    except ValueError as error:
        errors["criterion_value"] = str(error)
    sessions = DEFAULT_SESSIONS
    sessions_text = str(raw.get("criterion_sessions", "")).strip()
    if sessions_text:
        if not sessions_text.isdigit() or int(sessions_text) < 1:
            errors["criterion_sessions"] = "Use a whole number of sessions, 1 or more."
        else:
            sessions = int(sessions_text)
    owner = str(raw.get("owner") or "both")
    if owner not in GOAL_OWNERS:
        errors["owner"] = f"Choose one of: {', '.join(GOAL_OWNERS)}."
    status = str(raw.get("status") or "baseline")
    if status not in GOAL_STATUSES:
        errors["status"] = "Choose a status."
    domain = str(raw.get("domain") or "")
    if domain == OTHER_DOMAIN:
        domain = one_line(str(raw.get("other_domain", "")))
    if errors:
        return None, errors
    parent = raw.get("parent_id")
    return (
        Goal(
            title=title,
            domain=one_line(domain),
            description=str(raw.get("description", "")).strip("\n"),
            method=str(raw.get("method", "")).strip("\n"),
            desired_outcome=str(raw.get("desired_outcome", "")).strip("\n"),
            owner=owner,
            setting=one_line(str(raw.get("setting", ""))),
            start_date=dates.get("start_date", ""),
            review_date=dates.get("review_date", ""),
            measure=measure,
            criterion_value=value,
            criterion_sessions=sessions,
            prompt_levels=parse_prompt_levels(str(raw.get("prompt_levels", ""))),
            status=status,
            parent_id=str(parent) if parent else None,
        ),
        {},
    )


def _choice(
    name: str, values: Sequence[str], value: str, labels: Mapping[str, str] | None = None
) -> Select[str]:
    """A select of `values` (shown by `labels`, else as they are) with `value` chosen."""
    shown = labels or {}
    options = [(Content(shown.get(choice, choice)), choice) for choice in values]
    return Select(options, value=value, allow_blank=False, id=name)


def _descendants(goal_id: str, goals: Sequence[Goal]) -> set[str]:
    """`goal_id` and every goal nested under it (these cannot be its parent)."""
    found = {goal_id}
    changed = True
    while changed:
        changed = False
        for goal in goals:
            if goal.parent_id in found and goal.id not in found:
                found.add(goal.id)
                changed = True
    return found


# --- the form ----------------------------------------------------------------------------


class GoalFormScreen(FormDialog[str]):
    """Add a goal, or edit `goal`; returns the saved goal's id.

    `goals` are the goals to offer as parent (default: the journal's).
    """

    DEFAULT_CSS = """
    GoalFormScreen #form-fields { height: 1fr; padding-right: 1; }
    GoalFormScreen .label { width: 24; padding: 1 1 0 1; }
    GoalFormScreen .form-section { margin: 1 0 0 1; text-style: bold; color: $text-primary; }
    GoalFormScreen .control > TextArea { height: 5; }
    GoalFormScreen .pair { height: auto; }
    GoalFormScreen .pair > Select, GoalFormScreen .pair > Input { width: 1fr; }
    GoalFormScreen #other_domain.-hidden { display: none; }
    GoalFormScreen .error { padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = form_keys("goal_form")

    AUTO_FOCUS = "#title"

    what = "your changes to this goal"
    save_group = _SAVE_GROUP

    def __init__(
        self,
        journal: Journal,
        goal: Goal | None = None,
        *,
        goals: Sequence[Goal] | None = None,
        parent_id: str | None = None,
    ) -> None:
        """The form for a new goal (nested under `parent_id`, if given), or for `goal`."""
        super().__init__()
        self.journal = journal
        self.goal = goal
        self._goals = list(goals) if goals is not None else None
        self._parent_id = goal.parent_id if goal is not None else parent_id

    @property
    def editing(self) -> bool:
        """True when the form edits an existing goal."""
        return self.goal is not None

    # --- building ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Every field of a goal, in sections, with an error line under each."""
        goal = self.goal
        measure = goal.measure if goal else "percent"
        domain = goal.domain if goal else ""
        custom_domain = bool(domain) and domain not in GOAL_DOMAINS
        with Vertical(id="form") as form:
            form.border_title = Content(
                f"Edit goal · {one_line(goal.title)}" if goal else "New goal"
            )
            with VerticalScroll(id="form-fields"):
                yield from self.labelled_row(
                    "Title", self._line("title", "e.g. Asks for help with words"), "title"
                )
                yield from self.labelled_row(
                    "Domain",
                    Horizontal(
                        Select(
                            [(Content(d), d) for d in GOAL_DOMAINS]
                            + [(Content("another domain…"), OTHER_DOMAIN)],
                            value=OTHER_DOMAIN if custom_domain else (domain or Select.NULL),
                            prompt="Choose a domain",
                            id="domain",
                        ),
                        Input(
                            domain if custom_domain else "",
                            placeholder="the domain, in a word or two",
                            id="other_domain",
                            classes="" if custom_domain else "-hidden",
                        ),
                        classes="pair",
                    ),
                    "domain",
                    "other_domain",
                )
                yield from self.labelled_row("Long-term goal", self._parent_control(), "parent_id")
                owner = goal.owner if goal and goal.owner in GOAL_OWNERS else "both"
                yield from self.labelled_row("Owner", _choice("owner", GOAL_OWNERS, owner), "owner")
                status = goal.status if goal else "baseline"
                yield from self.labelled_row(
                    "Status", _choice("status", GOAL_STATUSES, status), "status"
                )
                yield Static("What and how", classes="form-section")
                for name, label, placeholder in _WRITTEN_FIELDS:
                    yield from self.labelled_row(label, self._text_area(name, placeholder), name)
                yield from self.labelled_row(
                    "Setting", self._line("setting", "e.g. home, clinic, school"), "setting"
                )
                yield from self.labelled_row(
                    "Start and review",
                    Horizontal(
                        self._line("start_date", "start YYYY-MM-DD", max_length=10),
                        self._line("review_date", "review YYYY-MM-DD", max_length=10),
                        classes="pair",
                    ),
                    "start_date",
                    "review_date",
                )
                yield Static("Measurement and mastery", classes="form-section")
                yield from self.labelled_row(
                    "Measure", _choice("measure", MEASURES, measure, MEASURE_LABELS), "measure"
                )
                value = goal.criterion_value if goal else DEFAULT_CRITERION[measure]
                sessions = goal.criterion_sessions if goal else DEFAULT_SESSIONS
                yield from self.labelled_row(
                    "Criterion",
                    Horizontal(
                        Input(
                            f"{value:g}",
                            placeholder="value to reach",
                            restrict=r"[0-9.,]*",
                            id="criterion_value",
                        ),
                        Input(
                            str(sessions),
                            placeholder="consecutive sessions",
                            restrict=r"[0-9]*",
                            id="criterion_sessions",
                        ),
                        classes="pair",
                    ),
                    "criterion_value",
                    "criterion_sessions",
                )
                yield from self.labelled_row(
                    "Prompt levels",
                    Input(
                        ", ".join(goal.prompt_levels if goal else PROMPT_LEVELS),
                        placeholder="most to least intrusive, comma-separated",
                        id="prompt_levels",
                    ),
                    "prompt_levels",
                )
            yield from self.compose_form_footer()
        yield Footer()

    def _text(self, name: str) -> str:
        """The goal's field `name` as the form starts with it ('' for a new goal)."""
        return str(getattr(self.goal, name)) if self.goal is not None else ""

    def _line(self, name: str, placeholder: str, *, max_length: int = 0) -> Input:
        return Input(self._text(name), placeholder=placeholder, max_length=max_length, id=name)

    def _text_area(self, name: str, placeholder: str) -> TextArea:
        return TextArea(self._text(name), id=name, placeholder=placeholder)

    def _parent_control(self) -> Select[str]:
        goals = self._goals if self._goals is not None else self.journal.goals()
        excluded = _descendants(self.goal.id, goals) if self.goal is not None else set()
        options = [(Content(one_line(g.title)), g.id) for g in goals if g.id not in excluded]
        value: str | Any = Select.NULL
        if self._parent_id is not None and any(v == self._parent_id for _p, v in options):
            value = self._parent_id
        return Select(options, value=value, prompt="none (a long-term goal)", id="parent_id")

    def on_mount(self) -> None:
        """Remember what the form opened with."""
        self.remember_values()

    # --- reading -----------------------------------------------------------------------------

    def read_draft(self) -> Goal | None:
        """The checked values; `None` after showing each problem beside its field."""
        self.clear_errors()
        self.show_message("")
        draft, errors = parse_goal(self.form_values())
        if draft is None:
            self.show_field_errors(errors)
        return draft

    def _changes(self, draft: Goal) -> dict[str, Any]:
        """For an edit: only the fields that differ from the goal, as `edit_goal` arguments."""
        assert self.goal is not None
        return {
            name: value
            for name, value in draft.editable_fields().items()
            if getattr(self.goal, name) != value
        }

    # --- saving and leaving --------------------------------------------------------------------

    def save(self, draft: Goal) -> None:
        """Save the checked goal (in a worker); an edit that changes nothing just closes."""
        if self.goal is not None:
            changes = self._changes(draft)
            status = draft.status if draft.status != self.goal.status else None
            if not changes and status is None:
                self.dismiss(self.goal.id)
                return
            self.start_saving()
            self._save_edit(self.goal.id, changes, status)
        else:
            self.start_saving()
            self._save_new(draft)

    @work(thread=True, exclusive=True, exit_on_error=False, group=_SAVE_GROUP)
    def _save_new(self, draft: Goal) -> None:
        """Add the goal (in a thread) and post its id back."""
        with self.journal.lock:
            goal = self.journal.add_goal(status=draft.status, **draft.editable_fields())
        self.post_message(self.Saved(goal.id))

    @work(thread=True, exclusive=True, exit_on_error=False, group=_SAVE_GROUP)
    def _save_edit(self, goal_id: str, changes: dict[str, Any], status: str | None) -> None:
        """Change the goal (in a thread), and move it when its status changed; post its id."""
        with self.journal.lock:
            if changes:
                self.journal.edit_goal(goal_id, **changes)
            if status is not None:
                self.journal.move_goal(goal_id, status)
        self.post_message(self.Saved(goal_id))

    def saved_message(self) -> str:
        """A goal added or edited: the app saves the file and refreshes."""
        return "goal edited" if self.goal is not None else "goal added"

    @on(Select.Changed, "#domain")
    def _domain_changed(self, event: Select.Changed) -> None:
        other = self.query_one("#other_domain", Input)
        custom = event.value == OTHER_DOMAIN
        other.set_class(not custom, "-hidden")
        if custom:
            other.focus()

    @on(Select.Changed, "#measure")
    def _measure_changed(self, event: Select.Changed) -> None:
        """A new measure brings its default criterion, unless one was typed."""
        box = self.query_one("#criterion_value", Input)
        defaults = {f"{value:g}" for value in DEFAULT_CRITERION.values()}
        if isinstance(event.value, str) and (not box.value.strip() or box.value in defaults):
            box.value = f"{DEFAULT_CRITERION[event.value]:g}"
