"""The entry view: one journal entry, its addenda and its thread, as Markdown.

The screen loads an `EntryDetails` (plain data, built from the `Journal`) and
sets it on the view; the view only renders it.

User text never reaches Rich markup or the terminal unfiltered: control
characters are made visible, every string we place into the Markdown we build
(title, names, tags, field values) is escaped for Markdown, and the entry's
body, which *is* Markdown, is rendered in its own `Markdown` widget with raw
HTML turned off, so nothing it contains can swallow or hide the parts after it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from journal.dates import local_time, wall_time
from journal.errors import NotFound
from journal.journal import Journal
from journal.model import ENTRY_KIND_LABELS, KIND_FIELDS, Comment, Entry, Goal, Member
from journal.text import one_line, safe_text

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from textual.widgets import Markdown

__all__ = [
    "EntryDetails",
    "EntryView",
    "FieldConflict",
    "Post",
    "body_markdown",
    "conflict_content",
    "entry_markdown",
    "escape_markdown",
    "markdown_parser",
    "one_line",
    "version_text",
    "safe_text",
]

# --- text safety -----------------------------------------------------------------

_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
"""Every ASCII punctuation character: CommonMark lets each be backslash-escaped."""


def escape_markdown(text: str) -> str:
    """`text` as Markdown that renders literally: no emphasis, links, headings or HTML.

    Line breaks are kept (as hard breaks; blank lines separate paragraphs).
    Leading indentation is dropped, as it would turn a line into a code block.
    """
    paragraphs: list[list[str]] = [[]]
    for raw_line in safe_text(text).split("\n"):
        line = raw_line.strip()
        if not line:
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        paragraphs[-1].append(_MARKDOWN_PUNCTUATION.sub(r"\\\1", line))
    return "\n\n".join("\\\n".join(lines) for lines in paragraphs if lines)


def body_markdown(body: str) -> str:
    """An entry's or comment's Markdown body, with control characters replaced."""
    return safe_text(body).strip("\n")


# --- what the view shows -----------------------------------------------------------


@dataclass(frozen=True)
class Post:
    """A comment or addendum as shown: who wrote it, in what role, when, and what."""

    author: str
    role: str
    created_at: str
    body: str

    @classmethod
    def from_comment(cls, comment: Comment, members: dict[str, Member]) -> Post:
        """The post for a stored comment, with its author looked up in `members`."""
        member = members.get(comment.author)
        return cls(
            author=member.name if member else "unknown",
            role=member.role if member else "",
            created_at=comment.created_at,
            body=comment.body,
        )

    @property
    def signature(self) -> str:
        """'Name (role) · YYYY-MM-DD HH:MM', safe to show as plain text."""
        role = f" ({one_line(self.role)})" if self.role else ""
        return f"{one_line(self.author)}{role} · {local_time(self.created_at)}"


@dataclass(frozen=True)
class EntryDetails:
    """Everything the entry view shows about one entry, loaded from the journal."""

    entry: Entry
    author: str
    author_role: str
    goals: tuple[str, ...] = ()
    addenda: tuple[Post, ...] = ()
    comments: tuple[Post, ...] = ()
    thread_status: str = "open"
    finalized_by: str = ""
    conflicts: tuple[FieldConflict, ...] = ()
    """The fields changed on two copies at once, each with every version, to resolve."""
    kept_after_deletion: bool = False
    """Deleted on one copy while changed on another, so kept: to keep or delete again."""
    signed: str = ""
    """What the author line adds about signatures: '' when every version is signed by its
    author, 'carried over from format 2 by NAME', or that a version is not signed by it."""

    @classmethod
    def load(cls, journal: Journal, entry_id: str) -> EntryDetails:
        """Read an entry with its goals, addenda and thread (no Textual; fine in a thread)."""
        entry = journal.get(Entry, entry_id)
        members = journal.members_by_id()
        author = members.get(entry.author)
        goals: list[str] = []
        for goal_id in entry.goals:
            try:
                goal = journal.get(Goal, goal_id)
            except NotFound:
                goals.append("(missing goal)")
                continue
            goals.append(goal.title + (" (deleted)" if goal.deleted else ""))
        finalized_by = members.get(entry.finalized_by or "")
        conflicts = tuple(
            FieldConflict(
                field=unit,
                versions=tuple(
                    (
                        members[v.author].name if v.author in members else "unknown",
                        local_time(v.at),
                        version_text(v.value),
                    )
                    for v in versions
                ),
            )
            for unit, versions in journal.conflicts(entry.id).items()
        )
        return cls(
            entry=entry,
            author=author.name if author else "unknown",
            author_role=author.role if author else "",
            goals=tuple(goals),
            addenda=tuple(Post.from_comment(c, members) for c in journal.addenda(entry.id)),
            comments=tuple(Post.from_comment(c, members) for c in journal.thread(entry.id)),
            thread_status=journal.thread_status(entry.id),
            finalized_by=finalized_by.name if finalized_by else "",
            conflicts=conflicts,
            kept_after_deletion=journal.kept_after_deletion(entry.id),
            signed=signature_words(journal, entry.id, members),
        )

    @property
    def in_conflict(self) -> bool:
        """True when the entry has something to resolve (`r` on the Journal screen)."""
        return bool(self.conflicts) or self.kept_after_deletion


def signature_words(journal: Journal, record_id: str, members: Mapping[str, Member]) -> str:
    """What a record's author line says of its signatures (docs/SYNC.md, "Signatures")."""
    trust = journal.record_trust(record_id)
    if trust.verified:
        return ""
    if trust.problems:
        return "a version is NOT signed by its author: someone changed it (tandem verify)"
    if trust.carried_by:
        carrier = members.get(trust.carried_by)
        return f"carried over from format 2 by {carrier.name if carrier else 'an owner'}"
    return "not signed (written before format 3)"


@dataclass(frozen=True)
class FieldConflict:
    """One field of an entry changed on two copies at once: every version of it."""

    field: str
    versions: tuple[tuple[str, str, str], ...]
    """(who, when, the value as text), the version shown now first."""


def version_text(value: Any) -> str:
    """A version's value as safe text for showing."""
    if isinstance(value, str):
        return safe_text(value) or "(empty)"
    if value is None:
        return "(empty)"
    if isinstance(value, list):
        return ", ".join(safe_text(str(item)) for item in value) or "(empty)"
    return safe_text(json.dumps(value, ensure_ascii=False))


def conflict_content(details: EntryDetails) -> Content:
    """The conflict block of an entry: each field's versions side by side in text, plain."""
    parts: list[str | tuple[str, str]] = []
    if details.kept_after_deletion:
        parts.append("Deleted on one copy while changed on another, so kept for now.\n")
    for conflict in details.conflicts:
        label = conflict.field.rpartition(".")[2].replace("_", " ").capitalize()
        parts.append((f"{one_line(label)}\n", "bold"))
        for number, (who, when, text) in enumerate(conflict.versions, start=1):
            shown = " (shown now)" if number == 1 else ""
            parts.append((f"Version {number}{shown}: {one_line(who)}, {when}\n", "$text-muted"))
            parts.append(f"{text}\n")
    return Content.assemble(*parts).rstrip()


def entry_markdown(details: EntryDetails) -> str:
    """The Markdown for an entry's heading, facts and structured fields (not its body).

    Every piece of user text in it is escaped, so it reads exactly as typed.
    """
    entry = details.entry
    kind = ENTRY_KIND_LABELS.get(entry.kind, entry.kind)
    role = f" ({details.author_role})" if details.author_role else ""
    lines = [
        f"# {escape_markdown(one_line(entry.title)) or '(untitled)'}",
        "",
        f"**{escape_markdown(kind)}** · {escape_markdown(wall_time(entry.occurred_at))}"
        f" · {escape_markdown(one_line(details.author + role))}"
        + (f" · *{escape_markdown(one_line(details.signed))}*" if details.signed else ""),
    ]
    facts: list[tuple[str, str]] = []
    if entry.kind == "session":
        status = "final" if entry.locked else "draft"
        if entry.locked and entry.finalized_at:
            by = f" by {one_line(details.finalized_by)}" if details.finalized_by else ""
            status += f", finalized{by} on {local_time(entry.finalized_at)}"
        facts.append(("Status", status))
    if entry.tags:
        facts.append(("Tags", ", ".join(f"#{one_line(tag)}" for tag in entry.tags)))
    if details.goals:
        facts.append(("Goals", "; ".join(one_line(goal) for goal in details.goals)))
    for label, value in facts:
        lines += ["", f"**{escape_markdown(label)}:** {escape_markdown(value)}"]
    lines += _fields_markdown(entry)
    return "\n".join(lines) + "\n"


def _fields_markdown(entry: Entry) -> list[str]:
    """The kind's structured fields: short ones in a table, long ones as sections."""
    specs = KIND_FIELDS.get(entry.kind, ())
    known = {spec.name for spec in specs}
    short: list[tuple[str, str]] = []
    long: list[tuple[str, str]] = []
    for spec in specs:
        value = _field_text(entry.fields.get(spec.name))
        if not value:
            continue
        if spec.type == "long" or "\n" in value.strip():
            long.append((spec.label, value))
        else:
            short.append((spec.label, value))
    for name in sorted(set(entry.fields) - known):  # fields from a newer version
        value = _field_text(entry.fields[name])
        if value:
            short.append((name, value))
    lines: list[str] = []
    if short:
        lines += ["", "| Field | Value |", "| --- | --- |"]
        lines += [
            f"| {escape_markdown(one_line(label))} | {escape_markdown(one_line(value))} |"
            for label, value in short
        ]
    for label, value in long:
        lines += ["", f"### {escape_markdown(one_line(label))}", "", escape_markdown(value)]
    return lines


def _field_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def markdown_parser() -> MarkdownIt:
    """Textual's parser with raw HTML off: HTML in user text shows as text."""
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like", {"html": False})


def _markdown(text: str, *, id: str | None = None, classes: str | None = None) -> Markdown:
    # Imported when an entry is first shown, not with the screen: Markdown and its
    # parser take a noticeable part of the app's start.
    from textual.widgets import Markdown

    return Markdown(text, id=id, classes=classes, parser_factory=markdown_parser, open_links=False)


class EntryView(VerticalScroll, can_focus=True):
    """Shows one entry: heading, facts, fields, body, addenda and thread.

    Set `details` (or call `show`) from the screen; with `None` it shows `empty_text`.
    """

    DEFAULT_CSS = """
    EntryView {
        height: 1fr;
        padding: 0 1;
        & > Markdown { margin: 0; padding: 0 1; }
        & > #entry-empty { margin: 1 0; padding: 0 1; color: $text-muted; }
        & > #entry-header > MarkdownH1 { margin: 1 0; }
        & > #entry-body { border-top: solid $foreground 20%; padding: 1 1 0 1; }
        & > .entry-section > MarkdownH2 { margin: 1 0; }
        & > .entry-post {
            border: round $secondary 50%;
            border-title-color: $text-secondary;
            margin: 0 0 1 0;
            padding: 0 1;
            & > MarkdownBlock:last-child { margin-bottom: 0; }
        }
        & > .entry-addendum { border: round $warning 50%; }
        & > #entry-conflict {
            border: round $warning;
            border-title-color: $text-warning;
            padding: 0 1;
            margin: 0 0 1 0;
        }
    }
    """

    details: reactive[EntryDetails | None] = reactive(None, recompose=True)
    """The entry shown, or `None`."""

    empty_text: reactive[str] = reactive("No entry selected.", recompose=True)
    """What the view says when `details` is `None`."""

    def show(self, details: EntryDetails | None, empty_text: str | None = None) -> None:
        """Show an entry (or nothing, with `empty_text` if given)."""
        if empty_text is not None:
            self.empty_text = empty_text
        self.details = details

    def watch_details(self) -> None:
        """A new entry starts at its top."""
        self.scroll_home(animate=False)

    def compose(self) -> ComposeResult:
        """The blocks of the current entry."""
        details = self.details
        if details is None:
            yield Static(Content(self.empty_text), id="entry-empty")
            return
        yield _markdown(entry_markdown(details), id="entry-header")
        if details.in_conflict:
            block = Static(conflict_content(details), id="entry-conflict")
            block.border_title = Content("⚠ Changed on two copies at once")
            block.border_subtitle = Content("r Resolve")
            yield block
        body = body_markdown(details.entry.body)
        if body.strip():
            yield _markdown(body, id="entry-body")
        if details.addenda:
            yield _markdown(f"## Addenda ({len(details.addenda)})", classes="entry-section")
            yield from self._posts(details.addenda, "entry-addendum")
        status = " · resolved" if details.thread_status == "resolved" else ""
        yield _markdown(
            f"## Thread ({len(details.comments)}){status}",
            id="entry-thread",
            classes="entry-section",
        )
        if not details.comments:
            yield _markdown("*No comments yet.*", classes="entry-no-comments")
        yield from self._posts(details.comments, "entry-comment")

    @staticmethod
    def _posts(posts: Iterable[Post], kind: str) -> Iterable[Markdown]:
        """One bordered Markdown per post; the signature is its border title (plain)."""
        for post in posts:
            widget = _markdown(body_markdown(post.body), classes=f"entry-post {kind}")
            widget.border_title = Content(post.signature)
            yield widget
