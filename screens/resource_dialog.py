"""Share a resource: a link, reading, video or written tip, optionally tied to a goal.

`ResourceDialog(goals)` dismisses with a checked `ResourceDraft` (the
arguments of `Journal.add_resource`), or `None` when the person leaves. A
link or video needs its web address, a tip its text; reading takes either.
The checks (`parse_url`, `check_resource`) are plain functions, usable
without Textual. Goal titles are shown as plain `Content`, never markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Input, Select, Static, TextArea

from journal.model import RESOURCE_KIND_LABELS, RESOURCE_KINDS
from journal.text import one_line
from screens.form_dialog import form_keys
from screens.writing_dialog import WritingDialog

__all__ = ["ResourceDialog", "ResourceDraft", "check_resource", "parse_url"]

_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)


def parse_url(text: str) -> str:
    """A typed web address, checked: 'https://...' ('www.x' gets 'https://'); '' stays ''.

    Raises `ValueError` with a one-line message for anything that is not a
    plain http or https address (no other schemes, no spaces).
    """
    text = text.strip()
    if not text:
        return ""
    if text.lower().startswith("www."):
        text = "https://" + text
    if not _URL.fullmatch(text):
        raise ValueError("Use a web address starting with https://, e.g. https://example.org.")
    return text


@dataclass(frozen=True)
class ResourceDraft:
    """A checked resource: the arguments of `Journal.add_resource`."""

    title: str
    kind: str = "link"
    url: str = ""
    text: str = ""
    goal_id: str | None = None


def check_resource(
    title: str, kind: str, url: str, text: str, goal_id: str | None = None
) -> tuple[ResourceDraft | None, dict[str, str]]:
    """(the draft, {}) when the values are right, else (None, field name -> problem)."""
    errors: dict[str, str] = {}
    title = one_line(title)
    if not title:
        errors["title"] = "Give the resource a title."
    if kind not in RESOURCE_KINDS:
        errors["kind"] = "Choose what kind of resource it is."
    try:
        url = parse_url(url)
    except ValueError as error:
        errors["url"] = str(error)
    text = text.strip("\n")
    if "url" not in errors and kind in ("link", "video") and not url:
        errors["url"] = f"A {kind} needs its web address."
    if kind == "tip" and not text.strip():
        errors["text"] = "Write the tip."
    if kind == "reading" and not url and not text.strip() and "url" not in errors:
        errors["text"] = "Give a web address or the text to read."
    if errors:
        return None, errors
    return ResourceDraft(title, kind, url, text, goal_id), {}


class ResourceDialog(WritingDialog[ResourceDraft]):
    """Share a resource: title, kind, web address or text, and the goal it helps with.

    `goals` are the (title, id) pairs to offer.
    """

    DEFAULT_CSS = """
    ResourceDialog {
        & > #dialog { width: 90; }
        & .label { width: 14; }
        & #kind { width: 30; }
        & #text { height: 8; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = form_keys("resource_dialog", "Share", save_id="share")

    AUTO_FOCUS = "#title"

    what = "this resource"
    save_label = "Share (ctrl+s)"

    def __init__(self, goals: Sequence[tuple[str, str]] = ()) -> None:
        """A dialog offering `goals`, (title, id) pairs, to tie the resource to."""
        super().__init__()
        self.goals = tuple(goals)

    def compose(self) -> ComposeResult:
        """Title, kind, web address, text, goal, and the buttons."""
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content("Share a resource")
            yield Static(
                Content(
                    "Reading, a link, a video or a written tip for the team. Everyone can mark "
                    "it read and ask about it in its thread."
                ),
                id="intro",
            )
            yield from self.labelled_row(
                "Title", Input(placeholder="e.g. Visual schedules at home", id="title"), "title"
            )
            yield from self.labelled_row(
                "Kind",
                Select(
                    [(Content(RESOURCE_KIND_LABELS[k]), k) for k in RESOURCE_KINDS],
                    value="link",
                    allow_blank=False,
                    id="kind",
                ),
                "kind",
            )
            yield from self.labelled_row(
                "Web address", Input(placeholder="https://…", id="url"), "url"
            )
            yield from self.labelled_row(
                "Text",
                TextArea(
                    "",
                    language="markdown",
                    soft_wrap=True,
                    show_line_numbers=False,
                    placeholder="The tip, a summary, or why it helps. *Markdown* works.",
                    id="text",
                ),
                "text",
            )
            goal_options = [
                (Content(one_line(title) or "(untitled)"), gid) for title, gid in self.goals
            ]
            yield from self.labelled_row(
                "Goal",
                Select(goal_options, prompt="No goal", id="goal", disabled=not goal_options),
                "goal",
            )
            yield from self.compose_buttons()
        yield Footer()

    # --- reading --------------------------------------------------------------------------

    def _values(self) -> tuple[str, str, str, str, str | None]:
        kind = self.query_one("#kind", Select).value
        goal = self.query_one("#goal", Select).value
        return (
            self.query_one("#title", Input).value,
            kind if isinstance(kind, str) else "",
            self.query_one("#url", Input).value,
            self.query_one("#text", TextArea).text,
            goal if isinstance(goal, str) else None,
        )

    @property
    def changed(self) -> bool:
        """True when a title, web address or text is typed (choices alone are not asked about)."""
        title, _kind, url, text, _goal = self._values()
        return bool(title.strip() or url.strip() or text.strip())

    def read_draft(self) -> ResourceDraft | None:
        """The checked resource; `None` after showing each problem under its field."""
        draft, errors = check_resource(*self._values())
        for name in ("title", "kind", "url", "text", "goal"):
            self.show_error(name, errors.get(name, ""))
        if errors:
            self.query_one(f"#{next(iter(errors))}").focus()
        return draft

    @on(Input.Submitted)
    def _enter_moves_on(self, event: Input.Submitted) -> None:
        """Enter never shares: from the title to the kind, from the address to the text."""
        event.stop()
        self.query_one("#kind" if event.input.id == "title" else "#text").focus()
