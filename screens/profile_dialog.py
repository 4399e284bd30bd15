"""A small form of labelled fields: a member's profile, the journal's page, an invitation.

`ProfileDialog(title, fields, values)` shows one control per `ProfileField`
(`journal.model`: a line, a box for longer text, or a choice) and dismisses with every
field's value, checked, or `None` when the person leaves. The screen compares
them with what it passed in to send only what changed.

`ProfileDialog.for_member(member)`, `.for_journal(info)` and
`.for_invite()` build the three forms Tandem uses. Values from the journal
are shown inside inputs or as plain `Content`, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Footer, Input, Select, Static, TextArea

from journal.model import JOURNAL_FIELDS, MEMBER_FIELDS, ROLES, JournalInfo, Member, ProfileField
from journal.text import one_line, safe_text
from screens.form_dialog import FormDialog, form_keys

__all__ = ["INVITE_FIELDS", "ProfileDialog", "check_values"]

Check = Callable[[Mapping[str, str]], dict[str, str]]
"""Extra checks: values -> field name -> problem (empty when all is well)."""


ROLE_FIELDS = (ProfileField("role", "Role", choices=ROLES),)
INVITE_FIELDS = (
    ProfileField("name", "Name", required=True, help="Who you are inviting"),
    *ROLE_FIELDS,
)
"""An invitation: who, and in what role."""


def check_values(
    fields: Sequence[ProfileField], raw: Mapping[str, str], check: Check | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """(the cleaned values, field name -> problem) for what the form holds.

    One-line fields are folded onto one line; longer ones lose blank lines at
    their ends; a required field must not be empty; a choice must be offered.
    """
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for spec in fields:
        text = raw.get(spec.name, "")
        value = text.strip("\n").rstrip() if spec.long else one_line(text)
        if spec.required and not value.strip():
            errors[spec.name] = f"{spec.label} cannot be empty."
        if spec.choices and value not in spec.choices:
            errors[spec.name] = f"Choose one of: {', '.join(spec.choices)}."
        values[spec.name] = value
    if check is not None and not errors:
        errors.update(check(values))
    return values, errors


class ProfileDialog(FormDialog[dict[str, str]]):
    """A form of `fields`, starting from `values`; returns every value, checked."""

    DEFAULT_CSS = """
    ProfileDialog {
        & > #dialog { width: 96; max-width: 100%; max-height: 100%; padding: 0 1; }
        & #intro { padding: 1 1 0 1; margin-bottom: 0; }
        & #fields { height: auto; max-height: 30; padding-right: 1; }
        & .label { width: 26; padding: 1 1 0 1; }
        & .control > TextArea { height: 4; }
        & .control > Select { width: 30; }
        & .error { padding: 0 1; }
        & #buttons { padding: 1 0; margin-top: 0; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = form_keys("profile_dialog")

    def __init__(
        self,
        title: str,
        fields: Sequence[ProfileField],
        values: Mapping[str, str] | None = None,
        *,
        intro: str = "",
        save_label: str = "Save",
        check: Check | None = None,
    ) -> None:
        """A form titled `title`; `check` adds problems the fields alone cannot see."""
        super().__init__()
        self.form_title = title
        self.fields = tuple(fields)
        self.values = dict(values or {})
        self.intro = intro
        self.save_label = f"{save_label} (ctrl+s)"
        if save_label != "Save":
            self.name_save_key(save_label)
        self.check = check
        self.last_input = f"field-{self.fields[-1].name}" if self.fields else None

    # --- the three forms --------------------------------------------------------------

    @classmethod
    def for_member(
        cls, member: Member, *, check: Check | None = None, owner: bool = False
    ) -> ProfileDialog:
        """Edit `member`'s profile (the screen offers only the member's own); the role only
        for an `owner` (only owners change roles)."""
        fields = tuple(spec for spec in MEMBER_FIELDS if owner or spec.name != "role")
        return cls(
            "Your profile",
            fields,
            {spec.name: str(getattr(member, spec.name, "")) for spec in fields},
            intro="What the others see about you: it helps the team work with you and "
            "with the child.",
            check=check,
        )

    @classmethod
    def for_journal(cls, info: JournalInfo) -> ProfileDialog:
        """Edit the journal's own page: its title and the child it is about."""
        return cls(
            "The journal's page",
            JOURNAL_FIELDS,
            {spec.name: str(getattr(info, spec.name, "")) for spec in JOURNAL_FIELDS},
            intro="About the child, for everyone on the team.",
        )

    @classmethod
    def for_role(cls, member: Member) -> ProfileDialog:
        """Give `member` another role (owners)."""
        return cls(
            f"{one_line(member.name)}'s role",
            ROLE_FIELDS,
            {"role": member.role},
            intro="A therapist also writes an incident's function; otherwise every member "
            "may write the same things.",
            save_label="Change role",
        )

    @classmethod
    def for_invite(cls, *, check: Check | None = None) -> ProfileDialog:
        """Ask who to invite, and in what role."""
        return cls(
            "Invite a member",
            INVITE_FIELDS,
            {"name": "", "role": "parent"},
            intro="Tandem makes a one-time code for them and shows it once. They open a copy "
            "of the journal file with it and set their own passphrase.",
            save_label="Invite",
            check=check,
        )

    # --- building ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """The intro, one row per field, and the buttons."""
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(self.form_title)
            if self.intro:
                yield Static(Content(self.intro), id="intro")
            with VerticalScroll(id="fields"):
                for spec in self.fields:
                    yield from self.labelled_row(
                        spec.label,
                        self._control(spec, self.values.get(spec.name, "")),
                        f"field-{spec.name}",
                    )
            yield from self.compose_buttons()
        yield Footer()

    @staticmethod
    def _control(spec: ProfileField, value: str) -> Widget:
        control_id = f"field-{spec.name}"
        if spec.choices:
            options = [(Content(choice), choice) for choice in spec.choices]
            if value and value not in spec.choices:
                options.append((Content(f"{safe_text(value)} (not a choice)"), value))
            return Select(
                options,
                value=value if value else Select.NULL,
                prompt="Choose",
                id=control_id,
            )
        if spec.long:
            return TextArea(
                safe_text(value),
                soft_wrap=True,
                show_line_numbers=False,
                placeholder=spec.help,
                id=control_id,
            )
        return Input(one_line(value), placeholder=spec.help, id=control_id)

    def on_mount(self) -> None:
        """Start with the first field; remember the values, to ask before discarding."""
        self.remember_values()
        if self.fields:
            self.query_one(f"#field-{self.fields[0].name}").focus()

    # --- reading -----------------------------------------------------------------------------

    def form_values(self) -> dict[str, str]:
        """What each field holds, by field name ('' for a choice not made)."""
        raw: dict[str, str] = {}
        for spec in self.fields:
            control = self.query_one(f"#field-{spec.name}")
            if isinstance(control, Input):
                raw[spec.name] = control.value
            elif isinstance(control, TextArea):
                raw[spec.name] = control.text
            elif isinstance(control, Select):
                raw[spec.name] = control.value if isinstance(control.value, str) else ""
        return raw

    def read_draft(self) -> dict[str, str] | None:
        """Every value, checked; `None` after showing each problem under its field."""
        raw = self.form_values()
        values, errors = check_values(self.fields, raw, self.check)
        for name, typed in raw.items():
            if typed == self.initial_values.get(name) and name in self.values:
                values[name] = self.values[name]  # untouched: exactly as stored
        for spec in self.fields:
            self.show_error(f"field-{spec.name}", errors.get(spec.name, ""))
        if errors:
            self.query_one(f"#field-{next(iter(errors))}").focus()
            return None
        return values
