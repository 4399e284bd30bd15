"""The addendum dialog: a dated, signed addition to a finalized session note.

A finalized session note is locked; changes to it are addenda, which the
journal dates and signs and never changes later.
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Static, TextArea

from journal.journal import Journal
from journal.text import one_line
from screens.form_dialog import form_keys
from screens.writing_dialog import WritingDialog

__all__ = ["AddendumDialog"]


class AddendumDialog(WritingDialog[str]):
    """Write an addendum to a finalized session note; returns the addendum's id.

    The addendum is dated and signed by the journal's member; it cannot be
    changed later. Leaving with text written asks first.
    """

    DEFAULT_CSS = """
    AddendumDialog > #addendum {
        width: 80;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        background: $surface;
        border: thick $warning 50%;
        border-title-style: bold;
        padding: 1 2;
    }
    AddendumDialog #addendum-help { color: $text-muted; margin-bottom: 1; }
    AddendumDialog #addendum-text { height: 10; }
    AddendumDialog #form-footer { margin-top: 1; }
    AddendumDialog #form-footer > #form-message { padding: 1 1 0 0; }
    """

    BINDINGS: ClassVar[list[BindingType]] = form_keys("addendum", "Add the addendum")

    AUTO_FOCUS = "#addendum-text"

    what = "this addendum"
    discard_detail = "What you wrote has not been added."
    save_label = "Add (ctrl+s)"
    save_group = "addendum-save"
    saving_text = ""
    not_saved = "Not added"

    def __init__(self, journal: Journal, entry_id: str, title: str = "") -> None:
        """A dialog adding an addendum to the session note `entry_id` (titled `title`)."""
        super().__init__()
        self.journal = journal
        self.entry_id = entry_id
        self.note_title = title

    def compose(self) -> ComposeResult:
        """A line of help, the text area and the buttons."""
        with Vertical(id="addendum") as dialog:
            dialog.border_title = Content(f"Addendum to “{one_line(self.note_title)}”")
            yield Static(
                "The note itself stays as finalized. The addendum is dated and signed "
                "with your name, and cannot be changed later.",
                id="addendum-help",
            )
            yield TextArea(id="addendum-text", placeholder="What to add or correct (Markdown)")
            yield from self.compose_form_footer()
        yield Footer()

    @property
    def text(self) -> str:
        """The addendum as written so far."""
        return self.query_one("#addendum-text", TextArea).text

    @property
    def changed(self) -> bool:
        """True when something is written (an addendum starts empty)."""
        return bool(self.text.strip())

    def read_draft(self) -> str | None:
        """The addendum to add; `None` after asking for one when nothing is written."""
        if not self.text.strip():
            self.show_message("Write the addendum first.")
            return None
        return self.text.strip("\n")

    def save(self, draft: str) -> None:
        """Add the addendum `draft` (in a worker)."""
        self.start_saving()
        self._add(draft)

    @work(thread=True, exclusive=True, exit_on_error=False, group="addendum-save")
    def _add(self, body: str) -> None:
        """Add the addendum (in a thread) and post its id back."""
        self.post_message(self.Saved(self.journal.add_addendum(self.entry_id, body).id))

    def saved_message(self) -> str:
        """An addendum was added."""
        return "addendum added"
