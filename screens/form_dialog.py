"""What the form dialogs share: Save and Cancel, error lines under fields, saving in a worker.

A `FormDialog[T]` dismisses with a `T`, or with `None` when the person
leaves. Subclasses compose their fields and override a few small hooks:

- `read_draft()`: the checked draft, or `None` after showing what is wrong;
- `save(draft)`: by default the dialog returns the draft; dialogs that write it
  in a worker call `start_saving()` and start the worker here;
- `changed`: whether Escape asks before discarding (`what`, `discard_detail`
  and `keep_label` word the question; `discard_question()` can replace it).
  By default, whether a field differs from what `remember_values()` kept: a
  dialog that never calls it leaves at once;
- `save_label`, `last_input`, `field_edited()`, `show_message()`.

`form_keys(scope, ...)` makes the two keys every form has: ctrl+s saves,
Escape leaves.

A save worker runs in the group `save_group` (`widgets.workers`) and posts
`Saved(result)`: the dialog posts `JournalEdited(saved_message())` to the app
and dismisses with the result. When the worker fails, Save works again and
the message line says why. Error lines are `Static`s with the id `error-<control id>`, hidden until
`show_error` fills them; editing a field hides its error line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static, TextArea

from journal.text import one_line
from screens.confirm_dialog import ConfirmDialog
from widgets.button_row import ButtonRow
from widgets.messages import JournalEdited
from widgets.workers import WorkerHost

__all__ = ["FormDialog", "QuitFormDialog", "form_keys"]

T = TypeVar("T")


def form_keys(scope: str, save: str = "Save", *, save_id: str = "save") -> list[BindingType]:
    """The keys of a form: ctrl+s saves (shown as `save`) and Escape cancels.

    Their ids are `<scope>.<save_id>` and `<scope>.cancel`.
    """
    return [
        Binding("ctrl+s", "save", save, id=f"{scope}.{save_id}"),
        Binding("escape", "cancel", "Cancel", id=f"{scope}.cancel"),
    ]


class QuitFormDialog(ModalScreen[str | None]):
    """ctrl+q in a form with changes: 'save', 'discard' (then quit), or None to keep editing."""

    DEFAULT_CSS = """
    QuitFormDialog {
        align: center middle;
        & > #dialog {
            width: 64;
            max-width: 95%;
            height: auto;
            padding: 1 2;
            background: $surface;
            border: thick $warning 60%;
        }
        & #question { text-style: bold; }
        & #detail { color: $text-muted; margin-top: 1; }
        & #buttons { height: auto; margin-top: 1; align-horizontal: right; }
        & #buttons > Button { margin-left: 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer('')", "Keep editing", id="quit_form.keep"),
        Binding("s", "answer('save')", "Save and quit", id="quit_form.save"),
        Binding("d", "answer('discard')", "Discard and quit", id="quit_form.discard"),
    ]

    AUTO_FOCUS = "#save"
    """Saving is the default answer."""

    def compose(self) -> ComposeResult:
        """The question and its three answers."""
        with Vertical(id="dialog"):
            yield Static(Content("Quit Tandem: save what you typed first?"), id="question")
            yield Static(Content("s saves and quits, d discards and quits."), id="detail")
            with Horizontal(id="buttons"):
                yield Button("Keep editing", id="keep")
                yield Button("Discard and quit", variant="error", id="discard")
                yield Button("Save and quit", variant="primary", id="save")

    def action_answer(self, answer: str) -> None:
        """Dismiss with `answer` ('' keeps editing)."""
        self.dismiss(answer or None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_answer("" if event.button.id == "keep" else event.button.id or "")


class FormDialog(WorkerHost, ModalScreen[T | None]):
    """A modal form that returns a `T` on Save, or `None` on Cancel (asking first if changed).

    ctrl+q quits Tandem from the form: with changes it asks to save or discard first.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit_app", "Quit", id="form.quit", show=False),
    ]

    class Saved(Message):
        """The save worker saved: `result` is what the dialog returns (a `T`)."""

        def __init__(self, result: object) -> None:
            """What the dialog returns (the id of the saved record, ...)."""
            super().__init__()
            self.result = result

    DEFAULT_CSS = """
    FormDialog {
        align: center middle;
        & > #dialog, & > #form {
            background: $surface;
            border: thick $primary 50%;
            border-title-style: bold;
            border-title-color: $text;
        }
        & > #dialog {
            width: 76;
            max-width: 95%;
            height: auto;
            max-height: 95%;
            padding: 1 2;
            overflow-y: auto;  /* a small terminal scrolls the form: every field stays in reach */
        }
        & > #form {
            width: 100;
            max-width: 100%;
            height: 1fr;
            padding: 0 1;
        }
        & #intro { color: $text-muted; margin-bottom: 1; }
        & .row { height: auto; }
        & .label { width: 16; padding: 1 1 0 0; color: $text-secondary; }
        & .control { width: 1fr; height: auto; }
        & .error { color: $text-error; display: none; }
        & .error.-shown { display: block; }
        & #form-footer { height: auto; align-horizontal: right; }
        & #form-footer > #form-message { width: 1fr; color: $text-error; padding: 1 1 0 1; }
        & #form-footer > Button { margin-left: 1; }
    }
    """

    what: ClassVar[str] = "your changes"
    """What the discard question calls the typed text: 'Discard your changes?'."""

    discard_detail: ClassVar[str] = "What you typed here has not been saved."
    """The line under the discard question ('' for none)."""

    keep_label: ClassVar[str] = "Keep editing"
    """The discard question's answer that goes back to the form."""

    save_label = "Save (ctrl+s)"
    """The label of the save button."""

    last_input: str | None = None
    """The id of the input where Enter saves; Enter in another input moves to the next
    field. `None` leaves Enter to the subclass."""

    save_group: ClassVar[str] = "form-save"
    """The worker group of the save worker (the subclass's `@work(group=...)`)."""

    saving_text: ClassVar[str] = "Saving…"
    """Shown on the message line while the save worker runs ('' shows nothing)."""

    not_saved: ClassVar[str] = "Not saved"
    """The start of the message when the save worker fails: 'Not saved: <reason>'."""

    def __init__(self) -> None:
        """A form that remembers nothing yet and is not saving."""
        super().__init__()
        self.saving = False
        """True while the save worker runs (Save and Cancel wait)."""
        self.initial_values: dict[str, Any] = {}
        """`form_values()` as the form opened, once `remember_values()` is called."""
        self._quit_when_closed = False  # ctrl+q: quit Tandem once the form has closed

    def name_save_key(self, description: str) -> None:
        """Show ctrl+s in the footer as `description` ('Invite', 'Change role'), as its button
        says: the form's keys are declared once for the class."""
        bindings = self._bindings.key_to_bindings  # this dialog's own copy of the class's
        bindings["ctrl+s"] = [  # a new list: the class's list is shared
            dataclasses.replace(binding, description=description)
            if binding.action == "save"
            else binding
            for binding in bindings.get("ctrl+s", [])
        ]

    # --- building ------------------------------------------------------------------------

    @staticmethod
    def error_line(name: str) -> Static:
        """The hidden error line `#error-<name>`, for the control with the id `name`."""
        return Static("", id=f"error-{name}", classes="error")

    def labelled_row(self, label: str, control: Widget, *errors: str) -> ComposeResult:
        """`label` beside `control`, with the error lines named `errors` under the control."""
        with Horizontal(classes="row"):
            yield Static(Content(label), classes="label")
            with Vertical(classes="control"):
                yield control
                for name in errors:
                    yield self.error_line(name)

    def compose_buttons(self) -> ComposeResult:
        """Cancel and the save button at the right, under the fields."""
        with ButtonRow(id="buttons"):
            yield Button("Cancel", id="cancel", action="screen.cancel")
            yield Button(self.save_label, variant="primary", id="save", action="screen.save")

    def compose_form_footer(self, *, with_message: bool = True) -> ComposeResult:
        """The message line (`show_message`), then Save and 'Cancel (esc)' at the right."""
        with Horizontal(id="form-footer"):
            if with_message:
                yield Static("", id="form-message")
            yield Button(self.save_label, variant="primary", id="save", action="screen.save")
            yield Button("Cancel (esc)", id="cancel", action="screen.cancel")

    # --- reading --------------------------------------------------------------------------

    def form_values(self) -> dict[str, Any]:
        """What every control holds, by id: inputs' values, text areas' text, selections."""
        values: dict[str, Any] = {}
        for control in self.query(Input).results(Input):
            if control.id:
                values[control.id] = control.value
        for area in self.query(TextArea).results(TextArea):
            if area.id:
                values[area.id] = area.text
        for select in self.query(Select).results(Select):
            if select.id:
                values[select.id] = select.selection
        return values

    def remember_values(self) -> None:
        """Keep `form_values()` as they are now, to tell changes from (`changed`)."""
        self.initial_values = self.form_values()

    @property
    def changed(self) -> bool:
        """True when something differs from the remembered values (Escape then asks)."""
        return bool(self.initial_values) and self.form_values() != self.initial_values

    def read_draft(self) -> object | None:
        """The checked draft that Save saves; `None` after showing what is wrong."""
        raise NotImplementedError

    # --- errors and messages ---------------------------------------------------------------

    def show_error(self, name: str, message: str) -> None:
        """Show `message` on the error line `#error-<name>`, if there is one ('' hides it)."""
        for line in self.query(f"#error-{name}").results(Static):
            line.update(Content(message))
            line.set_class(bool(message), "-shown")
            if message:
                line.call_after_refresh(line.scroll_visible)

    def clear_errors(self) -> None:
        """Empty and hide every error line that shows."""
        for line in self.query(".error.-shown").results(Static):
            line.update("")
            line.remove_class("-shown")

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        """Show each problem under its field, count them on the message line, focus the first."""
        for name, message in errors.items():
            self.show_error(name, message)
        count = len(errors)
        self.show_message(
            f"{count} {'field needs' if count == 1 else 'fields need'} a look; nothing saved."
        )
        first = self.query(f"#{next(iter(errors))}")
        if first:
            first.first().focus()

    def show_message(self, message: str) -> None:
        """Show `message` on the message line under the form."""
        self.query_one("#form-message", Static).update(Content(message))

    def field_edited(self, control: Widget) -> None:
        """`control` changed: its error line, if shown, no longer applies."""
        if control.id and self.query(f"#error-{control.id}.-shown"):
            self.show_error(control.id, "")

    # --- saving and leaving ------------------------------------------------------------------

    def action_save(self) -> None:
        """Save the checked draft, if every field is right."""
        if self.saving:
            return
        draft = self.read_draft()
        if draft is not None:
            self.save(draft)

    def save(self, draft: Any) -> None:
        """Save `draft`, checked: here the dialog returns it (a `T`)."""
        self.dismiss(cast(T, draft))

    def start_saving(self) -> None:
        """Before starting the save worker: Save and Cancel wait until it ends."""
        self.saving = True
        self.query_one("#save", Button).disabled = True
        if self.saving_text:
            self.show_message(self.saving_text)

    def saved_message(self) -> str:
        """What the save worker changed, in a few words for the app's status line."""
        return ""

    @on(Saved)
    def _saved(self, event: Saved) -> None:
        # Posted to the app: this dialog is gone before a message to it would bubble up.
        self.app.post_message(JournalEdited(self.saved_message()))
        self.dismiss(cast(T, event.result))

    def worker_failed(self, group: str, error: BaseException) -> None:
        """The save worker failed: Save works again, and the message line says why."""
        if group != self.save_group:
            super().worker_failed(group, error)
            return
        self.saving = False
        self._quit_when_closed = False  # not saved: the person decides again
        self.query_one("#save", Button).disabled = False
        self.show_message(f"{self.not_saved}: {one_line(str(error))}")

    def discard_question(self) -> ModalScreen[bool]:
        """The dialog asking whether to throw the changes away; it returns True to discard."""
        return ConfirmDialog(
            f"Discard {self.what}?",
            detail=self.discard_detail,
            yes="Discard",
            no=self.keep_label,
            destructive=True,
        )

    def action_cancel(self) -> None:
        """Leave; with unsaved changes, ask first (not while saving)."""
        if self.saving:
            return
        if not self.changed:
            self.dismiss(None)
            return
        self.app.push_screen(self.discard_question(), callback=self._discard_answered)

    def _discard_answered(self, discard: bool | None) -> None:
        if discard:
            self.dismiss(None)

    def action_quit_app(self) -> None:
        """Quit Tandem; with unsaved changes, ask to save or discard them first."""
        if self.saving:
            return
        if not self.changed:
            self._quit_when_closed = True
            self.dismiss(None)
            return
        self.app.push_screen(QuitFormDialog(), callback=self._quit_answered)

    def _quit_answered(self, answer: str | None) -> None:
        if answer == "discard":
            self._quit_when_closed = True
            self.dismiss(None)
        elif answer == "save":
            self._quit_when_closed = True
            self.action_save()
            if not self.saving and self in self.app.screen_stack:
                self._quit_when_closed = False  # a field needs a look: stay in the form

    def on_unmount(self) -> None:
        """Closed after ctrl+q: quit Tandem (the app saves the journal as it leaves)."""
        if self._quit_when_closed:
            self.app.call_later(self.app.action_quit)

    # --- events -------------------------------------------------------------------------------

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter: the next field; in `last_input`, save."""
        if self.last_input is None:
            return
        event.stop()
        if event.input.id == self.last_input:
            self.action_save()
        else:
            self.focus_next()

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _edited(self, event: Input.Changed | TextArea.Changed | Select.Changed) -> None:
        if event.control is not None:
            self.field_edited(event.control)
