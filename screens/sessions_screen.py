"""The sessions screen: the schedule, its changes, and the notes written from each session.

Flexibility is one of the habits of a strong parent-therapist relationship:
sessions get cancelled, moved, and asked to move. This screen shows

- on top, when there are any, the open change requests: those from the other
  members first and prominent (Enter answers: accept or decline, with an
  optional answer), then the member's own, waiting for an answer;
- on the left, the upcoming sessions (soonest first) and the past ones
  (newest first), each with its status, length, place and how many notes
  were written from it;
- on the right, the highlighted session: its facts, notes, the history of
  its change requests, and the observations and session notes linked to it
  (Enter on one takes the person to it in the journal).

Keys: `n` plans a session, `d` marks it done, `x` cancels it (after asking),
`v` moves it, `r` asks the others for a change, `a` answers a request, `o`
writes a parent observation and `s` a session note linked to the session.

Reading runs in a thread worker (`SessionsData.load`), and so does every
change; after one the screen posts `JournalEdited` and reads the journal
again (`ListDetailScreen`). Every row is plain `Content`: no user text is read as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Footer, Header, OptionList
from textual.widgets.option_list import Option

from journal.dates import describe_when
from journal.journal import Journal
from journal.model import ENTRY_KIND_LABELS, ChangeRequest, Session
from journal.text import one_line
from screens.answer_request_dialog import AnswerRequestDialog, RequestAnswer
from screens.change_request_dialog import ChangeRequestDialog, ChangeRequestDraft
from screens.confirm_dialog import ConfirmDialog
from screens.list_detail import ListDetailScreen
from screens.session_dialog import SessionDialog, SessionDraft
from screens.session_note_dialog import SessionNoteDialog, SessionNoteDraft
from widgets.messages import OpenRecord
from widgets.session_view import OVER, SessionsData, SessionView, ends_at, session_status

__all__ = ["SessionsScreen", "request_prompt", "session_prompt"]

# --- rows and details --------------------------------------------------------------------


def session_prompt(session: Session, data: SessionsData) -> Content:
    """A session's row: date and time, status, a change-request flag; length, place, notes."""
    status, style = session_status(session, data, short=True)
    over = session.status in OVER
    parts: list[str | tuple[str, str]] = [
        (describe_when(session.starts_at), "bold strike $text-muted" if over else "bold"),
        ("  " + status, style),
    ]
    facts = [f"{session.duration_min} min"]
    if session.location.strip():
        facts.append(one_line(session.location))
    count = len(data.notes.get(session.id, ()))
    if count:
        facts.append(f"{count} note{'s' if count != 1 else ''}")
    moved_from = data.moved_from(session.id)
    if moved_from is not None:
        facts.append(f"moved from {describe_when(moved_from.starts_at)}")
    moved = data.session(session.moved_to or "") if session.status == "moved" else None
    if moved is not None:  # its length and place went with it
        facts = [f"now {describe_when(moved.starts_at)}"]
    parts.append(("\n  " + " · ".join(facts), "$text-muted"))
    if data.open_requests(session.id):
        parts.append(("  ⚑ change requested", "bold $text-accent"))
    return Content.assemble(*parts)


def _change_text(request: ChangeRequest, data: SessionsData) -> str:
    session = data.session(request.session_id)
    about = describe_when(session.starts_at) if session else "a session missing from this copy"
    if request.proposed_starts_at:
        return f"{about} → {describe_when(request.proposed_starts_at)}"
    return f"{about} → cancel it"


def request_prompt(request: ChangeRequest, data: SessionsData) -> Content:
    """An open request's row: from another member (to answer) or this member's (waiting)."""
    change = _change_text(request, data)
    text = f"“{one_line(request.text)}”"
    if request.author == data.me:
        return Content.assemble(
            ("  You asked: ", "$text-muted"),
            (text, "italic"),
            (f"\n  {change} · waiting for an answer", "$text-muted"),
        )
    return Content.assemble(
        ("● ", "bold $text-accent"),
        (f"{one_line(data.name(request.author))} asks: ", "bold"),
        (text, "bold"),
        (f"\n  {change} · ", "$text-accent"),
        ("Enter to answer", "bold $text-accent"),
    )


# --- the screen ------------------------------------------------------------------------------


class SessionsScreen(ListDetailScreen[SessionsData]):
    """Open change requests on top; the schedule on the left; the session chosen on the right."""

    AUTO_FOCUS = "#sessions"
    LIST_ID = "sessions"
    WORKER_ERRORS: ClassVar[dict[str, str]] = {
        "read": "Could not read the schedule",
        "write": "Could not change the schedule",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_session", "Plan", id="sessions.new"),
        Binding("d", "mark_done", "Done", id="sessions.done"),
        Binding("x", "cancel_session", "Cancel", id="sessions.cancel"),
        Binding("v", "move_session", "Move", id="sessions.move"),
        Binding("r", "request_change", "Ask to change", id="sessions.request"),
        Binding("a", "answer_request", "Answer request", id="sessions.answer"),
        Binding("w", "withdraw_request", "Withdraw request", id="sessions.withdraw"),
        Binding("o", "write_note('observation')", "Observation", id="sessions.observation"),
        Binding("s", "write_note('session')", "Session note", id="sessions.note"),
        Binding("i", "calendar", "Calendar (.ics)", id="sessions.calendar"),
        Binding("escape", "focus_sessions", "Sessions", id="sessions.list", show=False),
    ]

    DEFAULT_CSS = """
    SessionsScreen {
        & #requests {
            height: auto;
            max-height: 10;
            margin: 0 1;
            border: round $accent;
            border-title-color: $text-accent;
            border-title-style: bold;
            padding: 0 1;
            display: none;
            &.-shown { display: block; }
            &:focus { border: round $accent; }
        }
        & #sessions { min-width: 44; }
    }
    """

    def __init__(self, journal: Journal, *, now: Callable[[], datetime] | None = None) -> None:
        """The schedule of `journal`; `now` gives the time (tests pin it), default the clock."""
        super().__init__(journal)
        self.now = now

    def compose(self) -> ComposeResult:
        """Header, the open requests, the two panes and the footer."""
        yield Header()
        requests = OptionList(id="requests", markup=False)
        requests.border_title = Content("Change requests")
        yield requests
        with Horizontal(id="sessions-panes", classes="panes"):
            yield self.make_list(Option(Content("Loading…"), disabled=True))
            yield SessionView(id="session-pane")
        yield Footer()

    # --- the MainScreen contract --------------------------------------------------------

    def show_record(self, record_id: str) -> None:
        """Show a session, the session of a linked note, or a change request.

        An open request is highlighted in the requests on top, with the focus,
        so that Enter answers it (Home's rows about requests lead here).
        """
        self._wanted = record_id
        if self.data is not None and self.is_mounted and not self._apply_wanted():
            self.reload()  # perhaps newer than the schedule shown

    def _now_text(self) -> str:
        moment = self.now() if self.now is not None else datetime.now().astimezone()
        if moment.tzinfo is not None:
            moment = moment.astimezone()
        return moment.strftime("%Y-%m-%dT%H:%M")

    # --- loading ----------------------------------------------------------------------

    def read_data(self) -> SessionsData:
        """Read the schedule (in a worker), split at the time it is now."""
        return SessionsData.load(self.journal, self._now_text())

    def show_data(self, data: SessionsData) -> None:
        """The requests on top; the schedule, keeping the session shown (else the soonest)."""
        self._fill_requests(data)
        keep = self.session_id
        rows: list[Option] = []
        # A moved session shows once, at its new time ("moved from ..."), not twice.
        shown = [
            s for s in data.sessions if s.status != "moved" or not data.session(s.moved_to or "")
        ]
        upcoming = [s for s in data.upcoming if s in shown]
        past = [s for s in data.past if s in shown]
        old = data.session(keep or "")
        if old is not None and old not in shown:
            keep = old.moved_to
        rows.append(
            Option(Content.styled(f"Upcoming ({len(upcoming)})", "bold underline"), disabled=True)
        )
        rows += [Option(session_prompt(s, data), id=s.id) for s in upcoming]
        if not upcoming:
            rows.append(
                Option(
                    Content.styled("  Nothing planned. n: plan a session", "$text-muted"),
                    disabled=True,
                )
            )
        rows.append(Option(Content.styled(f"Past ({len(past)})", "bold underline"), disabled=True))
        rows += [Option(session_prompt(s, data), id=s.id) for s in past]
        self.list_view.set_options(rows)
        ids = {s.id for s in data.sessions}
        if keep is not None and keep in ids:
            self.highlight(keep)
        elif upcoming or past:
            self.highlight((upcoming or past)[0].id)
        if self._wanted is not None:
            self._apply_wanted()
        self.show_selected()

    def _fill_requests(self, data: SessionsData) -> None:
        requests = self.query_one("#requests", OptionList)
        previous = requests.highlighted_option.id if requests.highlighted_option else None
        to_answer, waiting = data.to_answer, data.waiting
        rows = [Option(request_prompt(r, data), id=r.id) for r in to_answer + waiting]
        requests.set_options(rows)
        title = f"Change requests waiting for your answer ({len(to_answer)})"
        if waiting:
            title += f" · yours, waiting ({len(waiting)})"
        requests.border_title = Content(title)
        requests.set_class(bool(rows), "-shown")
        if not rows and requests.has_focus:  # the last one answered: back to the schedule
            self.list_view.focus()
        if previous is not None and any(option.id == previous for option in rows):
            requests.highlighted = requests.get_option_index(previous)
        elif rows:
            requests.highlighted = 0

    def _apply_wanted(self) -> bool:
        """Show the record asked for by `show_record`; False when the data lacks it."""
        data, wanted = self.data, self._wanted
        if data is None or wanted is None:
            return False
        session_id: str | None = None
        note_id = request_id = None
        if data.session(wanted) is not None:
            session_id = wanted
        elif request := next((r for r in data.requests if r.id == wanted), None):
            session_id = request.session_id
            request_id = request.id if request.status == "open" else None
        else:
            for linked_session, entries in data.notes.items():
                if any(entry.id == wanted for entry in entries):
                    session_id, note_id = linked_session, wanted
        moved = data.session(session_id or "")
        for _hop in range(len(data.sessions)):  # a moved session is shown at its new time
            if moved is None or moved.status != "moved" or not data.session(moved.moved_to or ""):
                break
            moved = data.session(moved.moved_to or "")
            session_id = moved.id if moved is not None else session_id
        if session_id is None or data.session(session_id) is None:
            return False
        self._wanted = None
        self.highlight(session_id)
        self.show_selected()
        if note_id is not None:
            notes = self.query_one("#session-notes", OptionList)
            notes.highlighted = notes.get_option_index(note_id)
            notes.focus()
        elif request_id is not None:  # an open request (from Home): Enter answers it
            requests = self.query_one("#requests", OptionList)
            requests.highlighted = requests.get_option_index(request_id)
            requests.focus()
        else:
            self.list_view.focus()
        return True

    # --- the session shown ---------------------------------------------------------------

    @property
    def session_id(self) -> str | None:
        """The id of the highlighted session, or None."""
        return self.selected_id

    @property
    def selected_session(self) -> Session | None:
        """The highlighted session, as last read, or None."""
        return self.data.session(self.selected_id or "") if self.data is not None else None

    def comment_target(self) -> tuple[str, str] | None:
        """The highlighted session: `c` comments on it."""
        session = self.selected_session
        if session is None:
            return None
        return session.id, f"Session {session.starts_at.replace('T', ' ', 1)}"

    def show_selected(self) -> None:
        """The highlighted session in full, with its notes."""
        self.query_one(SessionView).show(self.selected_session, self.data)
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#sessions")
    def _session_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        notes = self.query_one("#session-notes", OptionList)
        if any(not option.disabled for option in notes.options):
            notes.focus()

    @on(OptionList.OptionSelected, "#session-notes")
    def _note_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(OpenRecord(event.option_id))

    @on(OptionList.OptionHighlighted, "#requests")
    def _request_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        request = self._request(event.option_id)
        if request is not None and event.option_list.has_focus:
            self.highlight(request.session_id)
            self.show_selected()

    @on(OptionList.OptionSelected, "#requests")
    def _request_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        request = self._request(event.option_id)
        if request is None or self.data is None:
            return
        if request.author == self.data.me:
            self.highlight(request.session_id)
            self.list_view.focus()
            self.notify("Your request waits for the others to answer (w withdraws it).", timeout=3)
        else:
            self._answer(request)

    def _request(self, request_id: str | None) -> ChangeRequest | None:
        if self.data is None or request_id is None:
            return None
        return next((r for r in self.data.requests if r.id == request_id), None)

    # --- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only what applies to the highlighted session."""
        if action in ("mark_done", "cancel_session", "move_session", "request_change"):
            session = self.selected_session
            return session is not None and session.status == "planned"
        if action == "write_note":
            session = self.selected_session
            return session is not None and session.status not in OVER
        if action == "answer_request":
            return self.data is not None and bool(self.data.to_answer)
        if action == "withdraw_request":
            return self._my_request() is not None
        return True

    def action_focus_sessions(self) -> None:
        """Move to the session list."""
        self.action_focus_list()

    def action_new_session(self) -> None:
        """Plan a session (its length and place start as the latest session's)."""
        latest = self.data.latest() if self.data is not None else None
        self.ask(
            SessionDialog(
                duration_min=latest.duration_min if latest else 60,
                location=latest.location if latest else "",
            ),
            self._add_session,
        )

    def action_mark_done(self) -> None:
        """Mark the highlighted planned session as done."""
        session = self.selected_session
        if session is not None and session.status == "planned":
            self._set_status(session.id, "done", "Session marked done")

    def action_cancel_session(self) -> None:
        """Cancel the highlighted session, after asking."""
        session = self.selected_session
        if session is None or session.status != "planned":
            return
        self.confirm(
            ConfirmDialog(
                f"Cancel the session of {describe_when(session.starts_at)}?",
                detail="It stays in the list, marked cancelled, for everyone. "
                "To propose another time instead, move it (v) or ask the others (r).",
                yes="Cancel the session",
                no="Keep it",
                destructive=True,
            ),
            partial(self._set_status, session.id, "cancelled", "Session cancelled"),
        )

    def action_move_session(self) -> None:
        """Move the highlighted session to a new date and time."""
        session = self.selected_session
        if session is not None and session.status == "planned":
            self.ask(
                SessionDialog(moving=session), lambda draft: self._move(session.id, draft.starts_at)
            )

    def action_request_change(self) -> None:
        """Ask the others to move or cancel the highlighted session."""
        session = self.selected_session
        if session is not None and session.status == "planned":
            self.ask(ChangeRequestDialog(session), partial(self._request_change, session.id))

    def action_answer_request(self) -> None:
        """Answer a request from another member: the one highlighted on top, else the first."""
        data = self.data
        if data is None or not data.to_answer:
            return
        requests = self.query_one("#requests", OptionList)
        highlighted = requests.highlighted_option
        chosen = self._request(highlighted.id) if highlighted and requests.has_focus else None
        session_id = self.session_id
        if chosen is None or chosen.author == data.me:
            about_session = [r for r in data.to_answer if r.session_id == session_id]
            chosen = (about_session or data.to_answer)[0]
        self._answer(chosen)

    def _my_request(self) -> ChangeRequest | None:
        """My open request highlighted in the request list, else my first about this session."""
        data = self.data
        if data is None or not data.waiting:
            return None
        requests = self.query_one("#requests", OptionList)
        highlighted = requests.highlighted_option
        if highlighted is not None and requests.has_focus:
            chosen = self._request(highlighted.id)
            if chosen is not None and chosen in data.waiting:
                return chosen
        return next((r for r in data.waiting if r.session_id == self.session_id), None)

    def action_withdraw_request(self) -> None:
        """Take back my own open request (after a confirmation)."""
        request = self._my_request()
        if request is None:
            return
        self.confirm(
            ConfirmDialog(
                "Withdraw your change request?",
                detail=f"You asked: “{request.text}”\nThe session stays as it is.",
                yes="Withdraw",
                no="Keep it",
            ),
            partial(self._withdraw_request, request.id),
        )

    def _answer(self, request: ChangeRequest) -> None:
        data = self.data
        if data is None:
            return
        self.ask(
            AnswerRequestDialog(
                request, data.session(request.session_id), data.names.get(request.author, "")
            ),
            partial(self._answer_request, request.id),
        )

    def action_calendar(self) -> None:
        """Export the sessions as a calendar file (.ics) for phones and calendar apps."""
        from screens.export_screen import ExportScreen

        self.app.push_screen(ExportScreen(self.journal, fmt="ics"))

    def action_write_note(self, kind: str) -> None:
        """Write an observation or a session note linked to the highlighted session."""
        session = self.selected_session
        if session is None or session.status in OVER:
            return
        # Once EntryFormScreen can preset the session, this becomes
        # EntryFormScreen(self.journal, kind=kind, session_id=session.id).
        self.ask(SessionNoteDialog(kind, session), partial(self._add_note, kind, session))

    # --- writing (in workers) ------------------------------------------------------------

    @work(thread=True, exit_on_error=False, group="write")
    def _add_session(self, draft: SessionDraft) -> None:
        """Plan a session (in a thread)."""
        session = self.journal.add_session(
            draft.starts_at,
            duration_min=draft.duration_min,
            location=draft.location,
            notes=draft.notes,
        )
        self.written("Session planned", session.id)

    @work(thread=True, exit_on_error=False, group="write")
    def _set_status(self, session_id: str, status: str, what: str) -> None:
        """Change a session's status (in a thread)."""
        self.journal.set_session_status(session_id, status)
        self.written(what, session_id)

    @work(thread=True, exit_on_error=False, group="write")
    def _move(self, session_id: str, starts_at: str) -> None:
        """Move a session (in a thread); the new one is shown after."""
        new = self.journal.move_session(session_id, starts_at)
        self.written(f"Session moved to {describe_when(starts_at)}", new.id)

    @work(thread=True, exit_on_error=False, group="write")
    def _request_change(self, session_id: str, draft: ChangeRequestDraft) -> None:
        """Send a change request (in a thread)."""
        self.journal.request_change(
            session_id, draft.text, proposed_starts_at=draft.proposed_starts_at
        )
        self.written("Change request sent", session_id)

    @work(thread=True, exit_on_error=False, group="write")
    def _withdraw_request(self, request_id: str) -> None:
        """Withdraw my change request (in a thread)."""
        request = self.journal.withdraw_request(request_id)
        self.written("Change request withdrawn", request.session_id)

    @work(thread=True, exit_on_error=False, group="write")
    def _answer_request(self, request_id: str, answer: RequestAnswer) -> None:
        """Accept or decline a change request (in a thread); show the session it left."""
        with self.journal.lock:
            request = self.journal.answer_request(
                request_id, accept=answer.accept, answer=answer.answer
            )
            session = self.journal.get(Session, request.session_id)
        if not answer.accept:
            what = "Request declined"
        elif session.status == "moved":
            what = "Request accepted: the session was moved"
        else:
            what = "Request accepted: the session was cancelled"
        self.written(what, session.moved_to or session.id)

    @work(thread=True, exit_on_error=False, group="write")
    def _add_note(self, kind: str, session: Session, draft: SessionNoteDraft) -> None:
        """Write an observation or session note linked to `session` (in a thread)."""
        clock = session.starts_at[11:16]
        fields: dict[str, str] = {}
        if session.location.strip():
            fields["setting"] = session.location.strip()
        if kind == "session" and clock:
            end = ends_at(session)
            fields["start"] = clock
            if end[:10] == session.starts_at[:10]:
                fields["end"] = end[11:16]
        self.journal.add_entry(
            kind,
            draft.title,
            draft.body,
            fields=fields,
            occurred_at=session.starts_at or None,
            session_id=session.id,
        )
        self.written(f"{ENTRY_KIND_LABELS[kind]} written", session.id)
