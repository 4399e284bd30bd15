"""The resources screen: what the team shared to read, watch or try, and who has read it.

"Educate and empower": the therapist shares reading, links, videos and
written tips, optionally tied to a goal; each parent marks them read and can
ask about them in their thread.

The list on the left holds every resource, newest first: its title, kind,
who shared it, the goal it is tied to, who has read it and how many comments
its thread has. Resources shared by others that this member has not read are
marked (●, bold). On the right, the highlighted resource: its facts, its
web address shown as text (never a link to follow), its text as Markdown
(raw HTML off), and its thread in a `ThreadView`.

Keys: `n` shares a resource, Enter or `k` marks the highlighted one read,
`c` asks about it in its thread.

Reading runs in a thread worker (`ResourcesData.load`), and so does every
change; after one the screen posts `JournalEdited` and reads the journal
again (`ListDetailScreen`). Every row is plain `Content`; text placed into Markdown is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Label, Markdown, OptionList
from textual.widgets.option_list import Option

from journal.dates import local_time
from journal.errors import TandemError
from journal.journal import Journal
from journal.model import RESOURCE_KIND_LABELS, Comment, Goal, Resource
from journal.text import one_line
from screens.list_detail import ListDetailScreen
from screens.reply_dialog import ReplyDialog
from screens.resource_dialog import ResourceDialog, ResourceDraft
from widgets.entry_view import body_markdown, escape_markdown, markdown_parser
from widgets.thread_view import ThreadView

__all__ = ["ResourcesData", "ResourcesScreen", "resource_markdown", "resource_prompt"]


# --- what the screen shows, read in a worker (no Textual) ------------------------------------


@dataclass(frozen=True)
class ResourcesData:
    """The resources as the screen shows them, with names, goals and comment counts."""

    me: str
    """The id of the member looking."""
    resources: tuple[Resource, ...] = ()
    """Every resource, newest first."""
    names: Mapping[str, str] = field(default_factory=dict)
    """Member id -> name (removed members too)."""
    goals: Mapping[str, str] = field(default_factory=dict)
    """Goal id -> title, for every goal a resource may name (deleted ones marked)."""
    goal_choices: tuple[tuple[str, str], ...] = ()
    """(title, id) of the live goals, to tie a new resource to."""
    comments: Mapping[str, int] = field(default_factory=dict)
    """Resource id -> how many comments its thread has."""

    @classmethod
    def load(cls, journal: Journal) -> ResourcesData:
        """Read the resources from `journal` (no Textual; fine in a thread)."""
        with journal.lock:
            me = journal.me.id
            resources = journal.all(Resource)
            names = {m.id: m.name for m in journal.members_by_id().values()}
            goals = journal.all(Goal, include_deleted=True)
            ids = {resource.id for resource in resources}
            comments: dict[str, int] = {}
            for comment in journal.all(Comment):
                if comment.kind == "comment" and comment.target_id in ids:
                    comments[comment.target_id] = comments.get(comment.target_id, 0) + 1
        resources.sort(key=lambda r: (r.created_at, r.id), reverse=True)
        live = sorted((g for g in goals if not g.deleted), key=lambda g: g.title.casefold())
        return cls(
            me=me,
            resources=tuple(resources),
            names=names,
            goals={g.id: g.title + (" (deleted)" if g.deleted else "") for g in goals},
            goal_choices=tuple((g.title, g.id) for g in live),
            comments=comments,
        )

    def resource(self, resource_id: str) -> Resource | None:
        """The resource with this id, or None."""
        return next((r for r in self.resources if r.id == resource_id), None)

    def unread(self, resource: Resource) -> bool:
        """True when another member shared it and this member has not marked it read."""
        return resource.author != self.me and self.me not in resource.acknowledged

    @property
    def unread_count(self) -> int:
        """How many resources this member has not read."""
        return sum(1 for resource in self.resources if self.unread(resource))

    def name(self, member_id: str | None) -> str:
        """A member's name, or 'unknown'."""
        return self.names.get(member_id or "", "unknown")

    def goal_title(self, resource: Resource) -> str:
        """The title of the goal a resource is tied to ('' when none)."""
        if not resource.goal_id:
            return ""
        return self.goals.get(resource.goal_id, "(a goal missing from this copy)")

    def readers(self, resource: Resource) -> list[tuple[str, str]]:
        """(name, when) of each member who marked it read, earliest first."""
        marks = sorted(resource.acknowledged.items(), key=lambda item: item[1])
        return [(self.name(member_id), at) for member_id, at in marks]


# --- rows and details --------------------------------------------------------------------


def resource_prompt(resource: Resource, data: ResourcesData) -> Content:
    """A resource's row: unread mark and title; kind, who shared it, goal, readers, comments."""
    unread = data.unread(resource)
    parts: list[str | tuple[str, str]] = [
        ("● ", "bold $text-accent") if unread else "  ",
        (one_line(resource.title) or "(untitled)", "bold" if unread else ""),
    ]
    if unread:
        parts.append(("  unread", "$text-accent"))
    kind = RESOURCE_KIND_LABELS.get(resource.kind, resource.kind)
    facts = [kind, f"shared by {one_line(data.name(resource.author))}"]
    goal = data.goal_title(resource)
    if goal:
        facts.append(f"goal: {one_line(goal)}")
    parts.append(("\n  " + " · ".join(facts), "$text-muted"))
    readers = [name for name, _at in data.readers(resource)]
    read = "read by " + ", ".join(one_line(n) for n in readers) if readers else "not read yet"
    count = data.comments.get(resource.id, 0)
    if count:
        read += f" · {count} comment{'s' if count != 1 else ''}"
    parts.append(("\n  " + read, "$text-muted italic"))
    return Content.assemble(*parts)


def resource_markdown(resource: Resource, data: ResourcesData) -> str:
    """The Markdown of a resource's heading and facts (not its text); user text escaped.

    The web address is shown as text, never as a link the terminal would follow.
    """
    kind = RESOURCE_KIND_LABELS.get(resource.kind, resource.kind)
    shared = (
        f"{kind}, shared by {one_line(data.name(resource.author))} "
        f"on {local_time(resource.created_at)}"
    )
    lines = [f"## {escape_markdown(one_line(resource.title)) or '(untitled)'}", ""]
    lines.append(escape_markdown(shared))
    facts: list[tuple[str, str]] = []
    if resource.url:
        facts.append(("Web address", one_line(resource.url)))
    goal = data.goal_title(resource)
    if goal:
        facts.append(("Goal", one_line(goal)))
    readers = data.readers(resource)
    if readers:
        read = "; ".join(f"{one_line(name)} ({local_time(at)})" for name, at in readers)
    else:
        read = "nobody yet"
    facts.append(("Read by", read))
    for label, value in facts:
        lines += ["", f"**{escape_markdown(label)}:** {escape_markdown(value)}"]
    if data.unread(resource):
        lines += ["", "*Not read by you yet: press Enter or k to mark it read.*"]
    return "\n".join(lines) + "\n"


def _markdown(text: str, *, id: str) -> Markdown:
    return Markdown(text, id=id, parser_factory=markdown_parser, open_links=False)


# --- the screen ------------------------------------------------------------------------------


class ResourcesScreen(ListDetailScreen[ResourcesData]):
    """The resources on the left; the highlighted one, with its thread, on the right."""

    AUTO_FOCUS = "#resources"
    LIST_ID = "resources"
    WORKER_ERRORS: ClassVar[dict[str, str]] = {
        "read": "Could not read the resources",
        "write": "Could not change the journal",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "share", "Share", id="resources.share"),
        Binding("k", "mark_read", "Mark read", id="resources.read"),
        Binding("c", "ask", "Ask about it", id="resources.ask"),
        Binding("escape", "focus_list", "Resources", id="resources.list", show=False),
    ]

    DEFAULT_CSS = """
    ResourcesScreen {
        & #resources-count { padding: 0 2; color: $text-muted; width: 1fr; }
        & #resources { min-width: 40; }
        & #resource-pane { width: 3fr; min-width: 40; }
        & #resource-detail { height: 1fr; padding: 0 1; }
        & #resource-detail > Markdown { margin: 0; padding: 0 1; }
        & #resource-header > MarkdownH2 { margin: 1 0 0 0; }
        & #resource-text { border-top: solid $foreground 20%; padding: 1 1 0 1; }
        & #resource-text.-empty { display: none; }
        & #resource-thread { height: 1fr; border-top: solid $foreground 20%; }
    }
    """

    def __init__(self, journal: Journal) -> None:
        """The resources of `journal`."""
        super().__init__(journal)
        self._shown: str | None = None  # the resource the right pane shows

    def compose(self) -> ComposeResult:
        """Header, the count, the two panes and the footer."""
        yield Header()
        yield Label(Content("Loading resources…"), id="resources-count")
        with Horizontal(id="resources-panes", classes="panes"):
            yield self.make_list()
            with Vertical(id="resource-pane"):
                with VerticalScroll(id="resource-detail"):
                    yield _markdown(escape_markdown("No resource chosen."), id="resource-header")
                    yield _markdown("", id="resource-text")
                yield ThreadView(self.journal, reply_dialog=ReplyDialog, id="resource-thread")
        yield Footer()

    # --- the MainScreen contract --------------------------------------------------------

    def reload(self) -> None:
        """Read the resources again, and the thread shown."""
        self.load_data()
        self.thread_view.reload()

    def read_again(self) -> None:
        """After a change made here: the resources (the thread view reads its own)."""
        self.load_data()

    def show_record(self, record_id: str) -> None:
        """Highlight a resource (or the resource a comment is on)."""
        resource_id = record_id
        if self.data is None or self.data.resource(record_id) is None:
            try:
                record = self.journal.find(record_id)
            except TandemError:
                return
            if isinstance(record, Comment):
                resource_id = record.target_id
            elif isinstance(record, Resource):
                resource_id = record.id
            else:
                return
        self._wanted = resource_id
        if self.is_mounted and not self._apply_wanted():
            self.reload()

    # --- loading ----------------------------------------------------------------------

    @property
    def thread_view(self) -> ThreadView:
        """The thread of the resource shown."""
        return self.query_one(ThreadView)

    def read_data(self) -> ResourcesData:
        """Read the resources (in a worker)."""
        return ResourcesData.load(self.journal)

    def show_data(self, data: ResourcesData) -> None:
        """List the resources; the one shown stays, else the newest unread."""
        options = self.list_view
        keep = self.resource_id
        rows = [Option(resource_prompt(r, data), id=r.id) for r in data.resources]
        if not rows:
            empty = "  Nothing shared yet. n: share a reading, link, video or tip."
            rows.append(Option(Content.styled(empty, "$text-muted"), disabled=True))
        options.set_options(rows)
        count = len(data.resources)
        summary = f"{count} resource{'s' if count != 1 else ''}"
        if data.unread_count:
            summary += f" · {data.unread_count} unread by you"
        self.query_one("#resources-count", Label).update(Content(summary))
        if keep is not None and data.resource(keep) is not None:
            self.highlight(keep)
        elif data.resources:  # the first time: the newest unread, else the newest
            first = next((r for r in data.resources if data.unread(r)), data.resources[0])
            self.highlight(first.id)
        if self._wanted is not None:
            self._apply_wanted()
        self.show_selected()

    def _apply_wanted(self) -> bool:
        wanted = self._wanted
        if wanted is None or self.data is None or self.data.resource(wanted) is None:
            return False
        self._wanted = None
        self.highlight(wanted)
        self.show_selected()
        self.list_view.focus()
        return True

    # --- the resource shown ---------------------------------------------------------------

    @property
    def resource_id(self) -> str | None:
        """The id of the highlighted resource, or None."""
        return self.selected_id

    @property
    def selected_resource(self) -> Resource | None:
        """The highlighted resource, as last read, or None."""
        return self.data.resource(self.selected_id or "") if self.data is not None else None

    def show_selected(self) -> None:
        """The highlighted resource, its text and its thread (from the top when it changed)."""
        data, resource = self.data, self.selected_resource
        header = self.query_one("#resource-header", Markdown)
        text = self.query_one("#resource-text", Markdown)
        resource_id = resource.id if resource is not None else None
        changed = resource_id != self._shown
        if data is None or resource is None:
            header.update(escape_markdown("No resource chosen."))
            text.update("")
            text.add_class("-empty")
            self.thread_view.show_thread(None, "No resource chosen.")
        else:
            header.update(resource_markdown(resource, data))
            body = body_markdown(resource.text)
            text.update(body)
            text.set_class(not body.strip(), "-empty")
            if changed:
                self.thread_view.show_thread(resource.id)
        if changed:
            self.query_one("#resource-detail", VerticalScroll).scroll_home(animate=False)
        self._shown = resource_id
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#resources")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        resource = self.selected_resource
        if resource is not None and self.data is not None and self.data.unread(resource):
            self.action_mark_read()
        else:
            self.query_one("#resource-detail", VerticalScroll).focus()

    @on(ThreadView.Changed)
    def _thread_changed(self, event: ThreadView.Changed) -> None:
        # The view told the app itself (JournalEdited); only the comment counts change here.
        if event.what == "reply":
            self.load_data()

    # --- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Mark read only what is unread; ask only about a chosen resource."""
        if action == "mark_read":
            resource = self.selected_resource
            return resource is not None and self.data is not None and self.data.unread(resource)
        if action == "ask":
            return self.selected_resource is not None
        return True

    def action_share(self) -> None:
        """Share a reading, link, video or tip (optionally tied to a goal)."""
        goals = self.data.goal_choices if self.data is not None else ()

        def shared(draft: ResourceDraft | None) -> None:
            if draft is not None:
                self._add(draft)

        self.app.push_screen(ResourceDialog(goals), callback=shared)

    def action_mark_read(self) -> None:
        """Mark the highlighted resource read by this member."""
        resource = self.selected_resource
        if resource is not None and self.data is not None and self.data.unread(resource):
            self._acknowledge(resource.id)

    def action_ask(self) -> None:
        """Ask about the highlighted resource in its thread."""
        if self.selected_resource is not None:
            self.thread_view.action_reply()

    def comment_target(self) -> tuple[str, str] | None:
        """The highlighted resource: `c` comments on it."""
        resource = self.selected_resource
        return (resource.id, resource.title) if resource is not None else None

    def action_comment(self, question: bool = False) -> None:
        """Comment in the resource's thread (the thread view below posts it)."""
        self.action_ask()

    # --- writing (in workers) ------------------------------------------------------------

    @work(thread=True, exit_on_error=False, group="write")
    def _add(self, draft: ResourceDraft) -> None:
        """Share a resource (in a thread)."""
        resource = self.journal.add_resource(
            draft.title, url=draft.url, text=draft.text, kind=draft.kind, goal_id=draft.goal_id
        )
        label = RESOURCE_KIND_LABELS.get(draft.kind, draft.kind)
        self.written(f"{label} shared", resource.id)

    @work(thread=True, exit_on_error=False, group="write")
    def _acknowledge(self, resource_id: str) -> None:
        """Mark a resource read (in a thread)."""
        self.journal.acknowledge(resource_id)
        self.written("Marked as read", resource_id)
