"""The form that writes an entry: a kind chooser, then the kind's fields, title and body.

`EntryFormScreen` is a modal that dismisses with the id of the saved entry,
or `None` when the person leaves without saving. The structured fields are
built from `KIND_FIELDS`, so a field added to the model shows up here. The
checks that turn what was typed into stored values are plain functions
(`parse_field`, and `journal.dates` for dates), usable without Textual.

`AddendumDialog` writes an addendum to a finalized session note.

Saving runs in a thread worker (the app may be saving the file, which holds
the journal's lock) and tells the app with `JournalEdited`. User text is
only ever shown as plain `Content` or inside inputs, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import (
    Button,
    Footer,
    Input,
    OptionList,
    Select,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from journal.dates import parse_date, parse_time
from journal.errors import NotFound, TandemError
from journal.journal import Journal
from journal.model import (
    ENTRY_KIND_LABELS,
    ENTRY_KINDS,
    KIND_FIELDS,
    QUICK_FIELDS,
    Entry,
    FieldSpec,
    Goal,
    local_now,
)
from journal.settings import CHECKIN_MORE, set_setting, settings
from journal.text import one_line, safe_text
from screens.form_dialog import FormDialog, form_keys

__all__ = [
    "KIND_HINTS",
    "EntryDraft",
    "EntryFormScreen",
    "form_noun",
    "parse_field",
    "split_tags",
]

KIND_HINTS = {
    "checkin": "sleep, meals, mood, behavior counts, new words",
    "incident": "what came before, the behavior, what came after",
    "session": "targets, reinforcers, parent training, home assignment",
    "observation": "what you saw during a session, what to ask",
    "win": "something that went well",
    "question": "something to ask the team",
}
"""What each kind of entry is for, in a few words, for the kind chooser."""

RATINGS = (1, 2, 3, 4, 5)
"""The values a rating field offers."""

_SAVE_GROUP = "entry-form-save"


# --- from typed text to stored values (no Textual) --------------------------------------


def form_noun(kind: str) -> str:
    """What a form's title calls an entry of `kind`: 'check-in', 'incident (ABC)'."""
    label = ENTRY_KIND_LABELS.get(kind, kind)
    if label.startswith("ABC "):
        return f"{label[4:].lower()} (ABC)"
    return label.lower()


def parse_field(spec: FieldSpec, raw: Any) -> Any:
    """The stored value of one structured field from what the form holds.

    Empty means 'not given' and returns `None`. Raises `ValueError` with a
    one-line message for the person when the value is not right for `spec`.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if spec.type == "int":
        text = str(raw).strip()
        if not text.isdigit():
            raise ValueError("Use a whole number: 0, 1, 2 ...")
        return int(text)
    if spec.type == "rating":
        try:
            number = int(raw)
        except (TypeError, ValueError):
            raise ValueError("Choose a rating from 1 to 5.") from None
        if number not in RATINGS:
            raise ValueError(f"{number} is not a rating: choose 1 to 5.")
        return number
    if spec.type == "choice":
        if raw not in spec.choices:
            raise ValueError(f"Choose one of: {', '.join(spec.choices)}.")
        return raw
    if spec.type == "time":
        return parse_time(str(raw))
    if spec.type == "date":
        return parse_date(str(raw))
    if spec.type == "datetime":
        day, _space, clock = str(raw).strip().replace("T", " ").partition(" ")
        try:
            return f"{parse_date(day)}T{parse_time(clock)}"
        except ValueError:
            raise ValueError("Use a date and time like 2026-01-31 08:30.") from None
    if spec.type == "long":
        return str(raw).strip("\n")
    return str(raw).strip()


def split_tags(text: str) -> list[str]:
    """Comma-separated tags as a list, without '#' and blanks (the journal dedupes)."""
    return [tag.strip().lstrip("#").strip() for tag in text.split(",") if tag.strip(" #")]


def _split_occurred_at(occurred_at: str) -> tuple[str, str]:
    """A stored 'YYYY-MM-DDTHH:MM[...]' as the form's date and time."""
    day, _t, clock = occurred_at.partition("T")
    return day, clock[:5]


def _field_raw(spec: FieldSpec, value: Any) -> Any:
    """A stored field value as its control holds it."""
    if spec.type in ("rating", "choice"):
        return Select.NULL if value is None or value == "" else value
    if value is None:
        return ""
    if spec.type == "datetime":
        return str(value).replace("T", " ", 1)
    return str(value)


# --- what the form saves -----------------------------------------------------------------


@dataclass
class EntryDraft:
    """What the form holds, checked: the arguments of `add_entry` or `edit_entry`."""

    kind: str
    title: str
    occurred_at: str
    tags: list[str] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
    body: str = ""


@dataclass(frozen=True)
class _GoalChoice:
    goal_id: str
    label: str


# --- the form ------------------------------------------------------------------------------


class EntryFormScreen(FormDialog[str]):
    """Write a new entry (after choosing its kind) or edit one; returns the saved id.

    `EntryFormScreen(journal)` asks for the kind first (`kind` skips that);
    `EntryFormScreen(journal, entry)` edits `entry`. `goals` are the goals
    to offer (default: the journal's). A finalized session note cannot be
    edited: the journal refuses, and the form says so.
    """

    DEFAULT_CSS = """
    EntryFormScreen > #form { height: 95%; }
    EntryFormScreen > #chooser {
        width: 84;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        background: $surface;
        border: thick $primary 50%;
        border-title-style: bold;
        padding: 1 2;
    }
    EntryFormScreen #chooser-help { color: $text-muted; margin-bottom: 1; }
    EntryFormScreen #kinds { height: auto; max-height: 20; }
    EntryFormScreen #form-intro { color: $text-muted; padding: 0 1; }
    EntryFormScreen #form-fields {
        height: 1fr;
        padding-right: 1;
        layout: grid;
        grid-size: 2;
        grid-columns: 28 1fr;
        grid-rows: auto;
    }
    EntryFormScreen .form-label {
        padding: 1 1 0 1;
        color: $text-secondary;
    }
    EntryFormScreen .form-section {
        column-span: 2;
        padding: 1 0 0 1;
        text-style: bold;
        color: $text-primary;
    }
    EntryFormScreen #form-fields > TextArea { height: 6; min-height: 6; }
    EntryFormScreen #form-fields > #body { height: 12; min-height: 12; }
    EntryFormScreen #form-fields > SelectionList { height: auto; max-height: 8; }
    EntryFormScreen .form-empty { padding: 1 1 0 1; color: $text-muted; }
    EntryFormScreen #when { height: auto; }
    EntryFormScreen #when > Input { width: 1fr; }
    EntryFormScreen .error { column-span: 2; padding: 0 1 0 29; }
    EntryFormScreen #more { column-span: 2; margin: 1 0 0 1; }
    EntryFormScreen.-narrow #form-fields { grid-columns: 17 1fr; }
    EntryFormScreen.-narrow .error { padding: 0 1 0 18; }
    EntryFormScreen #when > Input { min-width: 14; }
    EntryFormScreen #form.-short .-more { display: none; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *form_keys("entry_form"),
        *(
            Binding(
                str(number),
                f"choose_kind('{kind}')",
                ENTRY_KIND_LABELS[kind],
                show=False,
                id=f"entry_form.kind.{kind}",
            )
            for number, kind in enumerate(ENTRY_KINDS, start=1)
        ),
    ]

    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 (typed by Textual as it is)
        (0, "-narrow"),
        (90, "-wide"),
    ]
    """Narrow: labels take 17 columns, not 28, so a date is never cut to '2026-1'."""

    what = "your changes to this entry"
    save_group = _SAVE_GROUP

    def __init__(
        self,
        journal: Journal,
        entry: Entry | None = None,
        *,
        kind: str | None = None,
        suggested_kind: str | None = None,
        goals: Sequence[Goal] | None = None,
    ) -> None:
        """The form for a new entry of `kind` (asked when None), or for editing `entry`."""
        super().__init__()
        self.journal = journal
        self.entry = entry
        self.kind: str | None = entry.kind if entry is not None else kind
        if self.kind is not None and self.kind not in ENTRY_KINDS:
            raise ValueError(f"unknown entry kind {self.kind!r}")
        self.suggested_kind = suggested_kind if suggested_kind in ENTRY_KINDS else None
        self._goals = list(goals) if goals is not None else None

    # --- building ---------------------------------------------------------------------

    @property
    def editing(self) -> bool:
        """True when the form edits an existing entry."""
        return self.entry is not None

    def compose(self) -> ComposeResult:
        """The kind chooser, or the form of the chosen kind."""
        if self.kind is None:
            yield from self._compose_chooser()
        else:
            yield from self._compose_form(self.kind)
        yield Footer()

    def _compose_chooser(self) -> ComposeResult:
        with Vertical(id="chooser") as chooser:
            chooser.border_title = "New entry"
            yield Static(
                "What would you like to write? Press 1-6, or choose and press Enter.",
                id="chooser-help",
            )
            options = [
                Option(
                    Content.assemble(
                        (f"{number}  {ENTRY_KIND_LABELS[kind]}", "bold"),
                        f"  {KIND_HINTS[kind]}",
                    ),
                    id=kind,
                )
                for number, kind in enumerate(ENTRY_KINDS, start=1)
            ]
            yield OptionList(*options, id="kinds")

    def _compose_form(self, kind: str) -> ComposeResult:
        entry = self.entry
        title = f"Edit {form_noun(kind)}" if entry is not None else f"New {form_noun(kind)}"
        now_day, now_clock = _split_occurred_at(local_now())
        day, clock = _split_occurred_at(entry.occurred_at) if entry else (now_day, now_clock)
        with Vertical(id="form") as form:
            form.border_title = Content(title)
            if kind == "session":
                yield Static(
                    "A draft until you finalize it from the journal (f); "
                    "after that it is locked and takes addenda.",
                    id="form-intro",
                )
            with VerticalScroll(id="form-fields"):
                # A new entry with quick fields (a check-in) opens short: its title, date,
                # tags and goals (filled in) and its other fields wait behind "More".
                quick = QUICK_FIELDS.get(kind, ()) if entry is None else ()
                yield from self._common_rows(kind, entry, day, clock, more=bool(quick))
                if quick:
                    specs = {spec.name: spec for spec in KIND_FIELDS[kind]}
                    for name in quick:
                        yield from self._field_row(specs[name], entry)
                    yield from self._body_row(entry)
                    yield Button(self._more_label(), id="more", compact=True)
                specs_left = [spec for spec in KIND_FIELDS[kind] if spec.name not in quick]
                if specs_left:
                    yield Static(
                        f"{ENTRY_KIND_LABELS[kind]} details",
                        classes="form-section -more" if quick else "form-section",
                    )
                for spec in specs_left:
                    yield from self._field_row(spec, entry, more=bool(quick))
                if not quick:
                    yield from self._body_row(entry)
            yield from self.compose_form_footer()

    def _common_rows(
        self, kind: str, entry: Entry | None, day: str, clock: str, *, more: bool
    ) -> ComposeResult:
        """Title, date and time, tags, goals (behind "More" on a short form)."""
        title = entry.title if entry else (ENTRY_KIND_LABELS[kind] if more else "")
        yield from self._row(
            "Title",
            "title",
            Input(title, placeholder="A few words, e.g. 'Good morning at school'", id="title"),
            more=more,
        )
        yield from self._row(
            "Date and time",
            "when",
            Horizontal(
                Input(day, placeholder="YYYY-MM-DD", id="date"),
                Input(clock, placeholder="HH:MM", id="time"),
                id="when",
            ),
            error_ids=("date", "time"),
            more=more,
        )
        yield from self._row(
            "Tags",
            "tags",
            Input(
                ", ".join(entry.tags) if entry else "",
                placeholder="comma-separated, e.g. sleep, school",
                id="tags",
            ),
            more=more,
        )
        yield from self._row("Goals", "goals", self._goals_control(), more=more)

    def _field_row(
        self, spec: FieldSpec, entry: Entry | None, *, more: bool = False
    ) -> ComposeResult:
        value = entry.fields.get(spec.name) if entry else None
        control = self._field_control(spec, value)
        yield from self._row(spec.label, f"field-{spec.name}", control, more=more)

    def _body_row(self, entry: Entry | None) -> ComposeResult:
        yield Static("Notes (Markdown)", classes="form-section")
        yield from self._row(
            "Body",
            "body",
            TextArea(
                entry.body if entry else "",
                id="body",
                placeholder="Anything else, in your own words. *Markdown* works.",
            ),
        )

    def _row(
        self,
        label: str,
        name: str,
        control: Widget,
        *,
        error_ids: Sequence[str] | None = None,
        more: bool = False,
    ) -> ComposeResult:
        """A label and its control side by side, and the error line(s) under them.

        The form is a two-column grid; an error line spans both columns and is
        hidden until there is something to say. A `more` row is hidden while
        the form is short.
        """
        extra = " -more" if more else ""
        yield Static(Content(label), classes="form-label" + extra)
        if more:
            control.add_class("-more")
        yield control
        for error_id in error_ids or (name,):
            line = self.error_line(error_id)
            if more:
                line.add_class("-more")
            yield line

    # --- the short form ---------------------------------------------------------------------

    @property
    def short(self) -> bool:
        """True while the form shows only its quick fields (the rest behind "More")."""
        found = self.query("#form")
        return bool(found) and found.first().has_class("-short")

    def _more_label(self) -> str:
        return "Fewer fields" if self._more_wanted() else "More fields…"

    @staticmethod
    def _more_wanted() -> bool:
        return bool(settings()[CHECKIN_MORE])

    def set_short(self, short: bool, *, remember: bool = True) -> None:
        """Show only the quick fields, or every field; remembered for the next check-in."""
        self.query_one("#form").set_class(short, "-short")
        self.query_one("#more", Button).label = "More fields…" if short else "Fewer fields"
        if remember:
            try:
                set_setting(CHECKIN_MORE, not short)
            except TandemError as error:
                self.notify(one_line(str(error)), severity="warning", markup=False)

    @on(Button.Pressed, "#more")
    def _more_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.set_short(not self.short)

    def on_key(self, event: events.Key) -> None:
        """On a rating, a digit chooses that value and moves on: mood in one key."""
        focused = self.focused
        character = event.character or ""
        if not (isinstance(focused, Select) and character.isdigit() and focused.id):
            return
        spec = next(
            (s for s in KIND_FIELDS.get(self.kind or "", ()) if f"field-{s.name}" == focused.id),
            None,
        )
        if spec is not None and spec.type == "rating" and int(character) in RATINGS:
            event.stop()
            event.prevent_default()
            focused.value = int(character)
            self.focus_next()

    def _goals_control(self) -> Widget:
        choices = self._goal_choices()
        if not choices:
            return Static("No goals yet.", classes="form-empty")
        linked = set(self.entry.goals) if self.entry else set()
        return SelectionList[str](
            *(
                (Content(choice.label), choice.goal_id, choice.goal_id in linked)
                for choice in choices
            ),
            id="goals",
        )

    def _goal_choices(self) -> list[_GoalChoice]:
        goals = self._goals if self._goals is not None else self.journal.goals()
        choices = [_GoalChoice(goal.id, one_line(goal.title)) for goal in goals]
        offered = {choice.goal_id for choice in choices}
        for goal_id in self.entry.goals if self.entry else ():
            if goal_id in offered:
                continue
            try:
                goal = self.journal.get(Goal, goal_id)
            except NotFound:
                label = "(a goal missing from this copy)"
            else:
                label = one_line(goal.title) + (" (deleted)" if goal.deleted else "")
            choices.append(_GoalChoice(goal_id, label))
        return choices

    def _field_control(self, spec: FieldSpec, value: Any) -> Widget:
        control_id = f"field-{spec.name}"
        raw = _field_raw(spec, value)
        if spec.type == "long":
            return TextArea(str(raw), id=control_id, placeholder=spec.help)
        if spec.type in ("rating", "choice"):
            options: list[tuple[Content, Any]]
            if spec.type == "rating":
                words = dict(zip(RATINGS, spec.labels, strict=False))
                options = [
                    (
                        Content(f"{number} · {words[number]}" if number in words else str(number)),
                        number,
                    )
                    for number in RATINGS
                ]
            else:
                options = [(Content(choice), choice) for choice in spec.choices]
            if raw is not Select.NULL and raw not in [v for _p, v in options]:
                # A value this version does not offer (an older copy, an import): show it,
                # so the person sees it and chooses; saving asks them to.
                options.append((Content(f"{safe_text(str(raw))} (not a choice)"), raw))
            return Select(
                options,
                value=raw,
                prompt=spec.help or "Choose",
                id=control_id,
            )
        placeholder = {
            "int": "a number",
            "time": "HH:MM",
            "date": "YYYY-MM-DD",
            "datetime": "YYYY-MM-DD HH:MM",
        }.get(spec.type, "")
        if spec.help:
            placeholder = f"{spec.help} ({placeholder})" if placeholder else spec.help
        # Digits only for counts, unless an older value is not a number (typing would be refused).
        digits = spec.type == "int" and (raw == "" or str(raw).isdigit())
        restrict = r"[0-9]*" if digits else None
        return Input(str(raw), placeholder=placeholder, restrict=restrict, id=control_id)

    def on_mount(self) -> None:
        """Focus the first thing to do, and remember the values to tell changes from."""
        self._after_build()

    def _after_build(self) -> None:
        if self.kind is None:
            kinds = self.query_one("#kinds", OptionList)
            if self.suggested_kind is not None:
                kinds.highlighted = ENTRY_KINDS.index(self.suggested_kind)
            kinds.focus()
            return
        self.remember_values()
        if self.query("#more"):  # a new entry with a short form: its quick fields come first
            self.set_short(not self._more_wanted(), remember=False)
            first = QUICK_FIELDS[self.kind][0]
            self.query_one(f"#field-{first}").focus()
        else:
            self.query_one("#title", Input).focus()

    # --- choosing the kind ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The number keys choose a kind only on the chooser; Save only on the form."""
        if action == "choose_kind":
            return self.kind is None
        if action == "save":
            return self.kind is not None
        return True

    async def action_choose_kind(self, kind: str) -> None:
        """Write an entry of `kind`: replace the chooser with its form."""
        if self.kind is not None or kind not in ENTRY_KINDS:
            return
        self.kind = kind
        await self.recompose()
        self._after_build()
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#kinds")
    async def _kind_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            await self.action_choose_kind(event.option.id)

    # --- reading the form -----------------------------------------------------------------

    def form_values(self) -> dict[str, Any]:
        """Everything the controls hold, as typed, for change detection and parsing."""
        values: dict[str, Any] = {
            "title": self.query_one("#title", Input).value,
            "date": self.query_one("#date", Input).value,
            "time": self.query_one("#time", Input).value,
            "tags": self.query_one("#tags", Input).value,
            "body": self.query_one("#body", TextArea).text,
            "goals": tuple(sorted(self._selected_goals())),
        }
        assert self.kind is not None
        for spec in KIND_FIELDS[self.kind]:
            control = self.query_one(f"#field-{spec.name}")
            if isinstance(control, Input):
                values[f"field-{spec.name}"] = control.value
            elif isinstance(control, TextArea):
                values[f"field-{spec.name}"] = control.text
            elif isinstance(control, Select):
                values[f"field-{spec.name}"] = control.selection  # None when not chosen
        return values

    def _selected_goals(self) -> list[str]:
        found = self.query("#goals")
        if not found:
            return []
        goals = found.first(SelectionList)
        return [str(goal_id) for goal_id in goals.selected]

    def read_draft(self) -> EntryDraft | None:
        """The checked values; `None` after showing each problem beside its field."""
        if self.kind is None:
            return None  # still choosing the kind: nothing to save
        self.clear_errors()
        self.show_message("")
        raw = self.form_values()
        errors: dict[str, str] = {}
        title = one_line(raw["title"])
        if not title:
            errors["title"] = "Give the entry a title."
        day = clock = ""
        try:
            day = parse_date(raw["date"])
        except ValueError as error:
            errors["date"] = f"Date: {error}"
        try:
            clock = parse_time(raw["time"])
        except ValueError as error:
            errors["time"] = f"Time: {error}"
        fields: dict[str, Any] = {}
        for spec in KIND_FIELDS[self.kind]:
            name = f"field-{spec.name}"
            try:
                value = parse_field(spec, raw[name])
            except ValueError as error:
                errors[name] = str(error)
                continue
            if value is not None:
                fields[spec.name] = value
            elif self.entry is not None and self.entry.fields.get(spec.name) not in (None, ""):
                fields[spec.name] = ""  # cleared: stored as empty, like the command line
        if errors:
            quick = {f"field-{name}" for name in QUICK_FIELDS.get(self.kind, ())}
            if self.short and not set(errors) <= quick:
                self.set_short(False, remember=False)  # show the field that needs a look
            self.show_field_errors(errors)
            return None
        return EntryDraft(
            kind=self.kind,
            title=title,
            occurred_at=f"{day}T{clock}",
            tags=split_tags(raw["tags"]),
            goals=list(raw["goals"]),
            fields=fields,
            body=raw["body"],
        )

    def _changes(self, draft: EntryDraft) -> dict[str, Any]:
        """For an edit: only what the person changed, as `edit_entry` arguments.

        Sending only changes keeps an untouched value that is in a sync conflict
        from blocking the save, and leaves the record's history clean.
        """
        now = self.form_values()
        was = self.initial_values
        changes: dict[str, Any] = {}
        if now["title"] != was["title"]:
            changes["title"] = draft.title
        if (now["date"], now["time"]) != (was["date"], was["time"]):
            changes["occurred_at"] = draft.occurred_at
        if now["tags"] != was["tags"]:
            changes["tags"] = draft.tags
        if now["goals"] != was["goals"]:
            changes["goals"] = draft.goals
        if now["body"] != was["body"]:
            changes["body"] = draft.body
        if any(now[key] != was[key] for key in now if key.startswith("field-")):
            assert self.entry is not None
            kept = {name: value for name, value in self.entry.fields.items()}
            changes["fields"] = {**kept, **draft.fields}
        return changes

    # --- saving and leaving ----------------------------------------------------------------

    def save(self, draft: EntryDraft) -> None:
        """Save the checked entry (in a worker); an edit that changes nothing just closes."""
        if self.entry is not None:
            changes = self._changes(draft)
            if not changes:
                self.dismiss(self.entry.id)
                return
            self.start_saving()
            self._save_edit(self.entry.id, changes)
        else:
            self.start_saving()
            self._save_new(draft)

    @work(thread=True, exclusive=True, exit_on_error=False, group=_SAVE_GROUP)
    def _save_new(self, draft: EntryDraft) -> None:
        """Add the entry (in a thread) and post its id back."""
        entry = self.journal.add_entry(
            draft.kind,
            draft.title,
            draft.body,
            tags=draft.tags,
            goals=draft.goals,
            fields=draft.fields,
            occurred_at=draft.occurred_at,
        )
        self.post_message(self.Saved(entry.id))

    @work(thread=True, exclusive=True, exit_on_error=False, group=_SAVE_GROUP)
    def _save_edit(self, entry_id: str, changes: dict[str, Any]) -> None:
        """Change the entry (in a thread) and post its id back."""
        self.post_message(self.Saved(self.journal.edit_entry(entry_id, **changes).id))

    def saved_message(self) -> str:
        """The kind of entry, added or edited: the app saves the file and refreshes."""
        assert self.kind is not None
        label = ENTRY_KIND_LABELS[self.kind].lower()
        return f"{label} edited" if self.entry is not None else f"{label} added"
