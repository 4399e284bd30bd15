"""Home: what is new since the member last looked, open threads, sessions and check-ins.

The digest (`journal.digest.whats_new`) is computed in a thread worker, as
`HomeData` with the records in conflict (`screens.data_screen`), and shown in
four parts: what the other members did since this member last
looked, grouped by kind; the open threads, unread first and marked; the
planned sessions of the next two weeks; and the days since the last check-in,
with a nudge when it has been more than three. Enter or a click on an item
posts `OpenRecord` with what it is about.

The app calls `journal.mark_seen()` when the person leaves the journal; `a`
does it here too ("mark all as seen"). Every row is plain `Content`: no user
text is read as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Footer, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from journal.dates import describe_when, local_start, local_time
from journal.digest import (
    GROUPS,
    UPCOMING_DAYS,
    Digest,
    DigestItem,
    RequestSummary,
    ResourceSummary,
    whats_new,
)
from journal.journal import Journal
from journal.model import Session
from screens.conflict_screen import record_label
from screens.data_screen import DataScreen
from widgets.entry_view import one_line
from widgets.messages import JournalEdited, OpenRecord
from widgets.thread_view import thread_row

__all__ = [
    "CHECKIN_NUDGE_DAYS",
    "FIRST_STEPS",
    "MAX_PER_GROUP",
    "HomeData",
    "HomeScreen",
    "checkin_text",
    "item_prompt",
    "session_prompt",
]

MAX_PER_GROUP = 25
"""Items shown per group; the rest are counted."""


@dataclass(frozen=True)
class FirstStep:
    """What a new journal's Home offers to do first: a key, what it does, where it leads."""

    key: str
    label: str
    mode: str
    """The main screen it is done on."""
    action: str
    """The action of that screen that does it."""


FIRST_STEPS: dict[str, tuple[FirstStep, ...]] = {
    "therapist": (
        FirstStep("g", "Add the first goal", "goals", "new_goal"),
        FirstStep("r", "Share a resource", "resources", "share"),
        FirstStep("s", "Plan a session", "sessions", "new_session"),
    ),
    "parent": (
        FirstStep("k", "Write the first check-in", "journal", "new_checkin"),
        FirstStep("i", "Invite the other parent", "people", "invite"),
    ),
}
"""By role: the first things to do in a new journal, each one key away on Home."""


@dataclass(frozen=True)
class HomeData:
    """What Home shows, read in a worker: the digest, what to resolve, whether it is new."""

    digest: Digest
    conflicts: Sequence[tuple[str, str]] = ()
    """The records to resolve, (id, label) each."""
    empty: bool = False
    """True when the journal has no goal, session or entry yet."""

    @classmethod
    def load(cls, journal: Journal, now: datetime | None = None) -> HomeData:
        """Read it from `journal` as it is at `now` (no Textual; fine in a thread)."""
        digest = whats_new(journal, now=now)
        conflicts = [(r.id, record_label(r)) for r in journal.records_in_conflict()]
        empty = not journal.goals() and not journal.sessions() and not journal.entries(limit=1)
        return cls(digest, conflicts, empty)


def first_steps_text(steps: Sequence[FirstStep]) -> Content:
    """The 'first steps' block of a new journal's Home (plain text, never markup)."""
    if not steps:
        return Content("")
    parts: list[str | tuple[str, str]] = [("A new journal. What to do first:\n", "bold")]
    for step in steps:
        parts += [(f"  {step.key}", "bold $text-accent"), f"  {step.label}\n"]
    return Content.assemble(*parts).rstrip()


CHECKIN_NUDGE_DAYS = 3
"""More days than this without a check-in, and Home suggests one."""


def item_prompt(item: DigestItem) -> Content:
    """One item of what is new: its title, then who, when and what happened."""
    return Content.assemble(
        ("  " + one_line(item.title), "bold"),
        (f"\n    {one_line(item.who)} · {local_time(item.when)} · ", "$text-muted"),
        (one_line(item.summary), ""),
    )


def request_prompt(request: RequestSummary) -> Content:
    """A change request as one or two lines: who asks what, for which session."""
    when = local_start(request.starts_at) if request.starts_at else "a session"
    wanted = local_start(request.proposed_starts_at) if request.proposed_starts_at else "cancel it"
    if request.mine:
        return Content.assemble(
            Content(f"  You asked: “{one_line(request.text)}”\n"),
            Content.styled(f"  {when} → {wanted} · waiting", "$text-muted"),
        )
    return Content.assemble(
        Content(f"● {one_line(request.asked_by)}: “{one_line(request.text)}”\n"),
        Content.styled(f"  {when} → {wanted}", "$text-accent"),
    )


def resource_prompt(resource: ResourceSummary) -> Content:
    """An unread resource: its title, then kind, who shared it and when."""
    return Content.assemble(
        Content(f"● {one_line(resource.title)}\n"),
        Content.styled(
            f"  {resource.kind.capitalize()} · {one_line(resource.shared_by)} · "
            f"{local_time(resource.shared_at)}",
            "$text-muted",
        ),
    )


def session_prompt(session: Session) -> Content:
    """An upcoming session: weekday, date and time, length and place."""
    parts: list[str | tuple[str, str]] = [
        (describe_when(session.starts_at), "bold"),
        (f" · {session.duration_min} min", "$text-muted"),
    ]
    if session.location.strip():
        parts.append((f" · {one_line(session.location)}", ""))
    return Content.assemble(*parts)


def checkin_text(digest: Digest) -> Content:
    """The days since the last check-in, with a nudge after `CHECKIN_NUDGE_DAYS`."""
    days = digest.days_since_checkin
    if days is None or digest.last_checkin is None:
        return Content.assemble(
            ("No check-ins yet.", "bold"),
            ("\nA short daily check-in (sleep, meals, mood) helps the team see patterns.", ""),
        )
    ago = {0: "today", 1: "yesterday"}.get(days, f"{days} days ago")
    last = one_line(digest.last_checkin.replace("T", " ", 1))
    parts: list[str | tuple[str, str]] = [
        (f"{days} day{'s' if days != 1 else ''}", "bold"),
        (f"\nThe last check-in was {ago} ({last}).", ""),
    ]
    if days > CHECKIN_NUDGE_DAYS:
        parts.append(
            (
                "\nTime for a check-in? A few lines on sleep, meals and mood keep everyone"
                " in step.",
                "bold $text-warning",
            )
        )
    return Content.assemble(*parts)


class HomeScreen(DataScreen[HomeData]):
    """What is new for the member, their open threads, upcoming sessions and check-ins."""

    AUTO_FOCUS = "#home-items"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "mark_seen", "Mark all as seen", id="home.seen"),
        Binding("p", "patterns", "Patterns", id="home.patterns"),
        *(
            Binding(step.key, f"first_step('{step.key}')", step.label, id=f"home.first.{step.key}")
            for step in {s.key: s for steps in FIRST_STEPS.values() for s in steps}.values()
        ),
    ]

    WORKER_ERRORS: ClassVar[dict[str, str]] = {
        "read": "Could not read the journal",
        "seen": "Could not mark as seen",
    }

    DEFAULT_CSS = """
    HomeScreen {
        layout: vertical;
        & #home-panes { height: 1fr; }
        & #home-news { width: 3fr; min-width: 40; border-right: vkey $foreground 20%; }
        & #home-side { width: 2fr; min-width: 36; }
        & .home-heading { text-style: bold; color: $text-primary; padding: 1 1 0 1; width: 1fr; }
        & OptionList {
            border: none;
            padding: 0 1;
            text-wrap: nowrap;
            text-overflow: ellipsis;
            &:focus { border: none; }
        }
        & #home-items { height: 1fr; }
        & #home-first { padding: 1 2; height: auto; }
        & #home-threads { height: 1fr; max-height: 14; }
        & #home-sessions { height: auto; max-height: 8; }
        & #home-requests, & #home-resources, & #home-conflicts { height: auto; max-height: 6; }
        & #home-conflicts-title { color: $text-warning; }
        & .-empty { display: none; }
        & #home-checkin { padding: 0 2; height: auto; }
        & #home-checkin.-nudge { border-left: outer $warning; padding-left: 1; margin-left: 1; }
    }
    """

    class SeenMarked(Message):
        """The member's look was recorded: what is new starts again from now."""

    def __init__(self, journal: Journal, *, now: Callable[[], datetime] | None = None) -> None:
        """Home for `journal`; `now` gives the time (tests pin it), default the clock."""
        super().__init__(journal)
        self.now = now
        self._targets: dict[str, dict[str, str]] = {}  # list id -> option id -> record id
        self._first_steps: tuple[FirstStep, ...] = ()  # shown while the journal is new
        self._resumed = False

    def compose(self) -> ComposeResult:
        """Header, what is new on the left, threads, sessions and check-ins on the right."""
        loading = Option(Content("Loading…"), disabled=True)
        yield Header()
        with Horizontal(id="home-panes", classes="panes"):
            with Vertical(id="home-news"):
                yield Label(
                    Content("What's new since you last looked"),
                    id="home-news-title",
                    classes="home-heading",
                )
                yield Static(id="home-first", classes="-empty")
                yield OptionList(loading, id="home-items", markup=False)
            with Vertical(id="home-side"):
                yield Label(
                    Content("Conflicts to resolve"),
                    id="home-conflicts-title",
                    classes="home-heading -empty",
                )
                yield OptionList(id="home-conflicts", markup=False, classes="-empty")
                yield Label(
                    Content("Change requests"), id="home-requests-title", classes="home-heading"
                )
                yield OptionList(id="home-requests", markup=False)
                yield Label(
                    Content("Unread resources"), id="home-resources-title", classes="home-heading"
                )
                yield OptionList(id="home-resources", markup=False)
                yield Label(
                    Content("Open threads"), id="home-threads-title", classes="home-heading"
                )
                yield OptionList(id="home-threads", markup=False)
                yield Label(
                    Content(f"Upcoming sessions (next {UPCOMING_DAYS} days)"),
                    classes="home-heading",
                )
                yield OptionList(id="home-sessions", markup=False)
                yield Label(Content("Days since the last check-in"), classes="home-heading")
                yield Static(id="home-checkin")
        yield Footer()

    def on_screen_resume(self) -> None:
        """Coming back to Home: things may have been read or written elsewhere."""
        if self._resumed:
            self.reload()
        self._resumed = True

    # --- loading ---------------------------------------------------------------------

    def read_data(self) -> HomeData:
        """Compute the digest (in a worker)."""
        return HomeData.load(self.journal, self.now() if self.now else None)

    def show_data(self, data: HomeData) -> None:
        """Show the digest, the first steps of a new journal and what to resolve."""
        digest = data.digest
        since = local_time(digest.since)
        heading = (
            f"What's new since you joined ({since})"
            if digest.first_look
            else f"What's new since you last looked ({since})"
        )
        self.query_one("#home-news-title", Label).update(Content(heading))
        self._fill("#home-items", self._item_options(digest))
        self._first_steps = FIRST_STEPS.get(self.journal.me.role, ()) if data.empty else ()
        first = self.query_one("#home-first", Static)
        first.update(first_steps_text(self._first_steps))
        first.set_class(not self._first_steps, "-empty")
        self.refresh_bindings()
        conflicts = [
            (f"conflict-{n}", record_id, Content.styled(f"⚠ {one_line(label)}", "$text-warning"))
            for n, (record_id, label) in enumerate(data.conflicts)
        ]
        self._fill("#home-conflicts", conflicts)
        self._titled("#home-conflicts", f"Conflicts to resolve ({len(conflicts)})", conflicts)
        threads = [
            (f"thread-{n}", thread.target_id, thread_row(thread))
            for n, thread in enumerate(digest.open_threads)
        ]
        title = "Open threads"
        if digest.open_threads:
            title += f" ({len(digest.open_threads)}, {digest.unread_threads} with news)"
        self.query_one("#home-threads-title", Label).update(Content(title))
        self._fill("#home-threads", threads, "No open threads.")
        sessions = [
            (f"session-{n}", session.id, session_prompt(session))
            for n, session in enumerate(digest.upcoming)
        ]
        self._fill("#home-sessions", sessions, "No sessions planned.")
        requests = [
            (f"request-{n}", request.request_id, request_prompt(request))
            for n, request in enumerate(digest.change_requests)
        ]
        to_answer = sum(1 for request in digest.change_requests if not request.mine)
        self._fill("#home-requests", requests)
        self._titled("#home-requests", f"Change requests to answer ({to_answer})", requests)
        resources = [
            (f"resource-{n}", resource.resource_id, resource_prompt(resource))
            for n, resource in enumerate(digest.unread_resources)
        ]
        self._fill("#home-resources", resources)
        self._titled("#home-resources", f"Unread resources ({len(resources)})", resources)
        checkin = self.query_one("#home-checkin", Static)
        checkin.update(checkin_text(digest))
        days = digest.days_since_checkin
        checkin.set_class(days is None or days > CHECKIN_NUDGE_DAYS, "-nudge")

    def _item_options(self, digest: Digest) -> list[tuple[str, str | None, Content]]:
        """The rows of what is new: a heading per group, then its newest items."""
        if not digest.items:
            return [("", None, Content("Nothing new from the others since you last looked."))]
        rows: list[tuple[str, str | None, Content]] = []
        for group, label in GROUPS.items():
            items = [item for item in digest.items if item.group == group]
            if not items:
                continue
            rows.append(("", None, Content.styled(f"{label} ({len(items)})", "bold underline")))
            for item in items[:MAX_PER_GROUP]:
                # A comment opens its thread with the reply box ready.
                prefix = "reply" if item.kind == "comment" else "item"
                rows.append((f"{prefix}-{len(rows)}", item.open_id, item_prompt(item)))
            if len(items) > MAX_PER_GROUP:
                more = f"  … and {len(items) - MAX_PER_GROUP} more"
                rows.append(("", None, Content.styled(more, "$text-muted")))
        return rows

    def _titled(self, selector: str, title: str, rows: Sequence[object]) -> None:
        """Title a side section, and hide it while it has nothing to show."""
        self.query_one(f"{selector}-title", Label).update(Content(title))
        for node in (self.query_one(f"{selector}-title"), self.query_one(selector)):
            node.set_class(not rows, "-empty")

    def _fill(
        self,
        selector: str,
        rows: Sequence[tuple[str, str | None, Content]],
        empty: str = "",
    ) -> None:
        """Set a list's rows; rows without a record are shown but cannot be chosen."""
        options = self.query_one(selector, OptionList)
        highlighted = options.highlighted_option
        previous = (
            self._targets.get(selector, {}).get(highlighted.id or "") if highlighted else None
        )
        targets: dict[str, str] = {}
        built: list[Option] = []
        for option_id, record_id, prompt in rows:
            if record_id is None:
                built.append(Option(prompt, disabled=True))
            else:
                targets[option_id] = record_id
                built.append(Option(prompt, id=option_id))
        if not built and empty:
            built.append(Option(Content.styled(empty, "$text-muted"), disabled=True))
        self._targets[selector] = targets
        options.set_options(built)
        first = next((n for n, option in enumerate(built) if not option.disabled), None)
        again = [option_id for option_id, record_id in targets.items() if record_id == previous]
        if again:
            options.highlighted = options.get_option_index(again[0])
        elif first is not None:
            options.highlighted = first

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        """Enter or a click on a row: take the person to its record."""
        selector = f"#{event.option_list.id}"
        record_id = self._targets.get(selector, {}).get(event.option_id or "")
        if record_id is not None:
            reply = (event.option_id or "").startswith("reply-")
            self.post_message(OpenRecord(record_id, reply=reply))

    def show_record(self, record_id: str) -> None:
        """Highlight the first row about `record_id`, if Home shows one."""
        for selector, targets in self._targets.items():
            for option_id, target in targets.items():
                if target == record_id:
                    options = self.query_one(selector, OptionList)
                    options.highlighted = options.get_option_index(option_id)
                    options.focus()
                    return

    # --- actions ----------------------------------------------------------------------

    def action_patterns(self) -> None:
        """Show the patterns in incidents and check-ins (screens.patterns_screen)."""
        from screens.patterns_screen import PatternsScreen

        self.app.push_screen(PatternsScreen(self.journal))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A first step's key works (and shows) only while the journal is new."""
        if action == "first_step":
            return any(step.key == parameters[0] for step in self._first_steps)
        return True

    async def action_first_step(self, key: str) -> None:
        """Do the first step of `key`: on its screen, as its own key there would."""
        step = next((s for s in self._first_steps if s.key == key), None)
        if step is None:
            return
        await self.app.run_action(f"go('{step.mode}')")
        if self.app.screen is not self:
            await self.app.screen.run_action(step.action)

    def action_mark_seen(self) -> None:
        """Mark everything as seen: what is new starts again from now."""
        self._mark_seen()

    @work(thread=True, exclusive=True, exit_on_error=False, group="seen")
    def _mark_seen(self) -> None:
        """Record the member's look (in a thread), then show the digest again."""
        self.journal.mark_seen()
        self.post_message(JournalEdited("Marked all as seen"))
        self.post_message(self.SeenMarked())

    @on(SeenMarked)
    def _seen_marked(self) -> None:
        self.reload()
