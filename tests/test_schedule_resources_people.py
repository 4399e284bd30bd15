"""Sessions, resources and people: the screens and their dialogs, driven with Pilot.

A small harness app pushes one screen over a journal written with
`acting_as` at fixed times, and records the `JournalEdited` and `OpenRecord`
messages that reach it (the real `TandemApp` saves on the first and switches
screens on the second). The sessions screen's clock is pinned, and local
time is UTC. The checks that turn typed text into values are tested as plain
functions first. The project runs pytest without an async plugin, so each
scenario runs inside `asyncio.run`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.app import App
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import Button, Input, Markdown, OptionList, Select

from journal.dates import parse_starts_at
from journal.journal import Journal
from journal.model import (
    MEMBER_FIELDS,
    ChangeRequest,
    Comment,
    JournalInfo,
    Member,
    Resource,
    Session,
)
from screens.answer_request_dialog import AnswerRequestDialog
from screens.base import MainScreen
from screens.change_request_dialog import ChangeRequestDialog
from screens.confirm_dialog import ConfirmDialog
from screens.invite_code_dialog import InviteCodeDialog
from screens.people_screen import JOURNAL_PAGE, PeopleScreen
from screens.profile_dialog import INVITE_FIELDS, ProfileDialog, check_values
from screens.reply_dialog import ReplyDialog
from screens.resource_dialog import ResourceDialog, check_resource, parse_url
from screens.resources_screen import ResourcesScreen
from screens.session_dialog import SessionDialog, parse_duration
from screens.session_note_dialog import SessionNoteDialog
from screens.sessions_screen import SessionsScreen
from tests.conftest import PASSPHRASE, MakeJournal
from tests.harness import (
    SIZE,
    Harness,
    fill,
    main_screen,
    option_texts,
    press,
    run,
    screen_text,
    settle,
    type_into,
)
from widgets.session_view import SessionsData

START = "2026-01-01T09:00:00.000000Z"
AFTER = "2026-01-06T10:00:00.000000Z"
NOW = datetime(2026, 1, 8, 12, 0, tzinfo=UTC)
MARKUP_NAME = "[bold red]hi[/]"


def markdown_sources(app: App[Any], selector: str) -> str:
    """The Markdown source of the main screen's widgets under `selector`."""
    return "\n".join(m.source for m in main_screen(app).query(f"{selector} Markdown, {selector}"))


async def highlight(pilot: Pilot[Any], selector: str, option_id: str) -> None:
    """Highlight `option_id` in a list of the main screen and focus the list."""
    options = main_screen(pilot.app).query_one(selector, OptionList)
    options.focus()
    options.highlighted = options.get_option_index(option_id)
    await settle(pilot)


def assert_cursor_on(screen: MainScreen, selector: str, option_id: str) -> None:
    """The list `selector` of `screen` has the focus, its cursor on `option_id`."""
    options = screen.query_one(selector, OptionList)
    assert options.has_focus and options.highlighted_option is not None
    assert options.highlighted_option.id == option_id


# --- a team ------------------------------------------------------------------------------


@dataclass
class Team:
    journal: Journal
    ana: str  # the parent who opened the journal
    lee: str  # the therapist
    goal: str
    done: str  # a session that took place, with Lee's note
    next: str  # Friday's session, planned
    later: str  # a session the week after, planned
    lee_note: str


@pytest.fixture
def journal(make_journal: MakeJournal) -> Journal:
    """A saved journal Ana Rivera, a parent, created on 1 January."""
    created, _code = make_journal(at=START)
    return created


@pytest.fixture
def team(journal: Journal) -> Team:
    """Ana's journal: Dr. Lee planned three sessions; the first took place."""
    j = journal
    ana = j.me.id
    with j.acting_as(ana, at=START):
        lee = j.add_member("Dr. Lee", "therapist").id
        goal = j.add_goal("Asks for help with words").id
    with j.acting_as(lee, at=START):
        done = j.add_session("2026-01-06T15:00", location="Clinic")
        friday = j.add_session("2026-01-09T15:00", location="Clinic", notes="Bring the timer.")
        later = j.add_session("2026-01-16T15:00", duration_min=45, location="Home visit")
    with j.acting_as(lee, at=AFTER):
        j.set_session_status(done.id, "done")
        note = j.add_entry(
            "session", "Session 12", occurred_at="2026-01-06T15:00", session_id=done.id
        )
    return Team(j, ana, lee, goal, done.id, friday.id, later.id, note.id)


def sessions(team: Team) -> Callable[[], MainScreen]:
    return lambda: SessionsScreen(team.journal, now=lambda: NOW)


def sessions_screen(app: App[Any]) -> SessionsScreen:
    screen = main_screen(app)
    assert isinstance(screen, SessionsScreen)
    return screen


# --- typed text to values (no Textual) ------------------------------------------------------


def test_session_times_and_lengths_are_checked() -> None:
    assert parse_starts_at("2026-01-09", "9:05") == "2026-01-09T09:05"
    with pytest.raises(ValueError, match="Date: .*Time: "):
        parse_starts_at("2026-02-30", "25:00")
    assert parse_duration(" 45 ") == 45


@pytest.mark.parametrize("wrong", ["", "0", "-5", "1.5", "721", "an hour"])
def test_a_wrong_session_length_is_refused(wrong: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(wrong)


def test_web_addresses_are_plain_http() -> None:
    assert parse_url("") == ""
    assert parse_url(" www.example.org/a ") == "https://www.example.org/a"
    assert parse_url("https://example.org/x?y=1") == "https://example.org/x?y=1"


@pytest.mark.parametrize(
    "wrong", ["javascript:alert(1)", "file:///etc/passwd", "https://a b", "example.org"]
)
def test_a_web_address_that_is_not_plain_http_is_refused(wrong: str) -> None:
    with pytest.raises(ValueError):
        parse_url(wrong)


def test_a_resource_needs_what_its_kind_needs() -> None:
    draft, errors = check_resource(" Timers ", "link", "https://x.org", "")
    assert errors == {} and draft is not None and draft.title == "Timers"
    assert set(check_resource("", "video", "", "")[1]) == {"title", "url"}
    assert set(check_resource("Tip", "tip", "", "  ")[1]) == {"text"}
    assert set(check_resource("Read", "reading", "", "")[1]) == {"text"}
    assert check_resource("Read", "reading", "", "Chapter 2")[1] == {}


def test_profile_values_are_checked() -> None:
    values, errors = check_values(
        MEMBER_FIELDS, {"name": "  Ana\nRivera ", "role": "parent", "values": "Calm\n\n"}
    )
    assert errors == {}
    assert values["name"] == "Ana Rivera" and values["values"] == "Calm"
    assert set(check_values(INVITE_FIELDS, {"name": " ", "role": "boss"})[1]) == {"name", "role"}


def test_the_schedule_splits_at_now(team: Team) -> None:
    data = SessionsData.load(team.journal, "2026-01-08T12:00")
    assert [s.id for s in data.upcoming] == [team.next, team.later]
    assert [s.id for s in data.past] == [team.done]
    assert [e.id for e in data.notes[team.done]] == [team.lee_note]
    # A session still going on is upcoming until it ends.
    assert [s.id for s in SessionsData.load(team.journal, "2026-01-06T15:30").upcoming][0] == (
        team.done
    )


# --- sessions ---------------------------------------------------------------------------------


def test_the_schedule_shows_upcoming_then_past_sessions(team: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        rows = option_texts(app, "#sessions")
        assert rows == [
            "Upcoming (2)",
            "Fri 2026-01-09 15:00  planned\n  60 min · Clinic",
            "Fri 2026-01-16 15:00  planned\n  45 min · Home visit",
            "Past (1)",
            "Tue 2026-01-06 15:00  done ✓\n  60 min · Clinic · 1 note",
        ]
        screen = sessions_screen(app)
        assert screen.session_id == team.next  # the soonest first
        text = screen_text(app)
        assert "Bring the timer." in text
        assert "Planned by Dr. Lee on 2026-01-01" in text
        assert "Change requests" not in text  # no requests: no panel

    run(sessions(team), scenario)


def test_a_session_is_planned_in_the_dialog(team: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await press(pilot, "n", shows=SessionDialog)
        # Length and place start as the latest session's.
        assert app.screen.query_one("#duration", Input).value == "45"
        assert app.screen.query_one("#location", Input).value == "Home visit"
        await type_into(pilot, "#date", "2026-01-23")
        await type_into(pilot, "#time", "1530")  # no colon: not a time
        await type_into(pilot, "#duration", "90", clear=True)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, SessionDialog)  # not saved
        assert "Use a time like 08:30" in screen_text(app)
        await type_into(pilot, "#time", "15:30", clear=True)
        await type_into(pilot, "#location", "Clinic", clear=True)
        await fill(pilot, "#notes", "Bring the schedule.")
        await press(pilot, "ctrl+s", shows=SessionsScreen)
        [new] = [s for s in team.journal.sessions() if s.starts_at == "2026-01-23T15:30"]
        assert (new.duration_min, new.location, new.notes, new.author) == (
            90,
            "Clinic",
            "Bring the schedule.",
            team.ana,
        )
        assert sessions_screen(app).session_id == new.id
        assert app.edits == ["Session planned"]

    run(sessions(team), scenario)


def test_a_past_session_is_marked_done(team: Team) -> None:
    with team.journal.acting_as(team.lee, at=START):
        old = team.journal.add_session("2026-01-02T15:00")

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await highlight(pilot, "#sessions", old.id)
        assert "planned · not marked done" in option_texts(app, "#sessions")[-1]
        await press(pilot, "d")
        assert team.journal.get(Session, old.id).status == "done"
        assert option_texts(app, "#sessions")[-1].startswith("Fri 2026-01-02 15:00  done ✓")
        assert app.edits == ["Session marked done"]
        await press(pilot, "d")  # done already: nothing more
        assert app.edits == ["Session marked done"]

    run(sessions(team), scenario)


def test_cancelling_asks_first(team: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await press(pilot, "x", shows=ConfirmDialog)
        assert "Cancel the session of Fri 2026-01-09 15:00?" in screen_text(app)
        await press(pilot, "escape")  # keep it
        assert team.journal.get(Session, team.next).status == "planned"
        await press(pilot, "x", "y")
        assert team.journal.get(Session, team.next).status == "cancelled"
        assert "cancelled" in option_texts(app, "#sessions")[1]
        assert app.edits == ["Session cancelled"]

    run(sessions(team), scenario)


def test_a_session_is_moved(team: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        dialog = await press(pilot, "v", shows=SessionDialog)
        assert dialog.query_one("#date", Input).value == "2026-01-09"
        assert dialog.query_one("#time", Input).value == "15:00"
        assert not dialog.query("#duration")  # only the date and time
        await press(pilot, "ctrl+s", shows=SessionDialog)  # unchanged: that is when it is now
        await type_into(pilot, "#date", "2026-01-10", clear=True)
        await type_into(pilot, "#time", "10:00\n", clear=True)  # Enter in the last field saves
        assert isinstance(app.screen, SessionsScreen)
        old = team.journal.get(Session, team.next)
        assert old.status == "moved" and old.moved_to is not None
        new = team.journal.get(Session, old.moved_to)
        assert (new.starts_at, new.location, new.notes) == (
            "2026-01-10T10:00",
            "Clinic",
            "Bring the timer.",
        )
        screen = sessions_screen(app)
        assert screen.session_id == new.id
        assert "Moved here from Fri 2026-01-09 15:00" in screen_text(app)
        # Issue #13: shown once, at its new time, saying where it moved from.
        rows = option_texts(app, "#sessions")
        assert rows[1].startswith("Sat 2026-01-10 10:00")
        assert rows[1].endswith("moved from Fri 2026-01-09 15:00")
        assert not any(row.startswith("Fri 2026-01-09 15:00") for row in rows)
        assert app.edits == ["Session moved to Sat 2026-01-10 10:00"]

    run(sessions(team), scenario)


def test_a_change_request_is_sent_and_waits_for_the_others(team: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await press(pilot, "r", shows=ChangeRequestDialog)
        assert "if accepted, the session is cancelled" in screen_text(app)
        await fill(pilot, "#text", "Can we move Friday to Saturday?")
        await type_into(pilot, "#date", "2026-01-10")
        await type_into(pilot, "#time", "10:00")
        assert "If accepted, the session moves to Sat 2026-01-10 10:00." in screen_text(app)
        await press(pilot, "ctrl+s")
        [request] = team.journal.open_requests()
        assert (request.session_id, request.text, request.proposed_starts_at) == (
            team.next,
            "Can we move Friday to Saturday?",
            "2026-01-10T10:00",
        )
        assert request.author == team.ana
        assert option_texts(app, "#requests") == [
            "  You asked: “Can we move Friday to Saturday?”\n"
            "  Fri 2026-01-09 15:00 → Sat 2026-01-10 10:00 · waiting for an answer"
        ]
        assert "⚑ change requested" in option_texts(app, "#sessions")[1]
        assert not sessions_screen(app).check_action("answer_request", ())  # not my own
        assert app.edits == ["Change request sent"]

    run(sessions(team), scenario)


def test_my_request_is_withdrawn_after_a_confirmation(team: Team) -> None:
    request = team.journal.request_change(team.next, "Could we skip Friday?")

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        assert not sessions_screen(app).check_action("answer_request", ())  # only mine
        main_screen(app).query_one("#requests", OptionList).focus()
        await settle(pilot)
        assert sessions_screen(app).check_action("withdraw_request", ())
        await press(pilot, "w", shows=ConfirmDialog)
        assert "You asked: “Could we skip Friday?”" in screen_text(app)
        assert "The session stays as it is." in screen_text(app)
        await press(pilot, "escape")  # keep it
        assert team.journal.get(ChangeRequest, request.id).status == "open"
        main_screen(app).query_one("#requests", OptionList).focus()
        await press(pilot, "w")
        await pilot.click("#yes")
        await settle(pilot)
        assert team.journal.get(ChangeRequest, request.id).status == "withdrawn"
        assert not main_screen(app).query_one("#requests").has_class("-shown")
        assert app.edits == ["Change request withdrawn"]
        assert "withdrawn by you" in screen_text(app)
        assert team.journal.get(Session, team.next).status == "planned"

    run(sessions(team), scenario)


def asked_by_lee(team: Team, proposed: str = "2026-01-12T09:00") -> ChangeRequest:
    with team.journal.acting_as(team.lee, at=AFTER):
        return team.journal.request_change(
            team.next, "Can we move Friday to Monday?", proposed_starts_at=proposed
        )


def test_a_request_from_the_other_member_is_accepted(team: Team) -> None:
    request = asked_by_lee(team)

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        assert option_texts(app, "#requests") == [
            "● Dr. Lee asks: “Can we move Friday to Monday?”\n"
            "  Fri 2026-01-09 15:00 → Mon 2026-01-12 09:00 · Enter to answer"
        ]
        assert "Change requests waiting for your answer (1)" in screen_text(app)
        main_screen(app).query_one("#requests", OptionList).focus()
        dialog = await press(pilot, "enter", shows=AnswerRequestDialog)
        assert "Accepting moves the session to Mon 2026-01-12 09:00." in screen_text(app)
        await type_into(pilot, "#answer", "Monday works!\n")  # Enter: on to Accept
        assert dialog.focused is dialog.query_one("#accept", Button)
        await press(pilot, "enter")
        answered = team.journal.get(ChangeRequest, request.id)
        assert (answered.status, answered.answer, answered.answered_by) == (
            "accepted",
            "Monday works!",
            team.ana,
        )
        old = team.journal.get(Session, team.next)
        assert old.status == "moved"
        new = team.journal.get(Session, old.moved_to or "")
        assert new.starts_at == "2026-01-12T09:00"
        assert sessions_screen(app).session_id == new.id
        assert not main_screen(app).query_one("#requests").has_class("-shown")
        assert main_screen(app).query_one("#sessions").has_focus
        assert app.edits == ["Request accepted: the session was moved"]

    run(sessions(team), scenario)


def test_a_declined_request_keeps_the_session(team: Team) -> None:
    request = asked_by_lee(team)

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await press(pilot, "a", shows=AnswerRequestDialog)  # answers the first request to answer
        await type_into(pilot, "#answer", "Monday is school.")
        await pilot.click("#decline")
        await settle(pilot)
        answered = team.journal.get(ChangeRequest, request.id)
        assert (answered.status, answered.answer) == ("declined", "Monday is school.")
        session = team.journal.get(Session, team.next)
        assert (session.status, session.starts_at) == ("planned", "2026-01-09T15:00")
        text = screen_text(app)
        assert "declined by you" in text and "Monday is school." in text
        assert app.edits == ["Request declined"]

    run(sessions(team), scenario)


def test_a_request_without_a_time_cancels_when_accepted(team: Team) -> None:
    asked_by_lee(team, proposed="")

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        assert "Fri 2026-01-09 15:00 → cancel it" in option_texts(app, "#requests")[0]
        await press(pilot, "a")
        assert "accepting cancels the session" in screen_text(app)
        await pilot.click("#accept")
        await settle(pilot)
        assert team.journal.get(Session, team.next).status == "cancelled"

    run(sessions(team), scenario)


def test_a_request_for_a_session_since_cancelled_can_only_be_declined(team: Team) -> None:
    request = asked_by_lee(team)
    team.journal.set_session_status(team.next, "cancelled")

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await press(pilot, "a")
        assert app.screen.query_one("#accept", Button).disabled
        await pilot.click("#decline")
        await settle(pilot)
        assert team.journal.get(ChangeRequest, request.id).status == "declined"

    run(sessions(team), scenario)


def test_the_other_member_answers_the_request(team: Team) -> None:
    """Ana asks (set up as her); Dr. Lee answers on his screen."""
    with team.journal.acting_as(team.ana, at=AFTER):
        request = team.journal.request_change(team.later, "We are away that week")

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        assert option_texts(app, "#requests")[0].startswith(
            "● Ana Rivera asks: “We are away that week”"
        )
        await press(pilot, "a")
        await pilot.click("#accept")
        await settle(pilot)

    with team.journal.acting_as(team.lee):
        run(sessions(team), scenario)
    assert team.journal.get(ChangeRequest, request.id).answered_by == team.lee
    assert team.journal.get(Session, team.later).status == "cancelled"


def test_an_observation_is_written_from_a_session_and_opens(team: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await highlight(pilot, "#sessions", team.done)
        dialog = await press(pilot, "o", shows=SessionNoteDialog)
        assert dialog.query_one("#title", Input).value == "Observation, Tue 2026-01-06"
        await fill(pilot, "#body", "She asked for *help* twice.")
        await press(pilot, "ctrl+s")
        [observation] = team.journal.entries(kind="observation")
        assert (observation.session_id, observation.occurred_at, observation.body) == (
            team.done,
            "2026-01-06T15:00",
            "She asked for *help* twice.",
        )
        assert observation.fields == {"setting": "Clinic"}
        notes = option_texts(app, "#session-notes")
        assert notes == [
            "Session note (draft) · Dr. Lee · Session 12",
            "Observation · you · Observation, Tue 2026-01-06",
        ]
        await highlight(pilot, "#session-notes", observation.id)
        await press(pilot, "enter")
        assert app.opened == [observation.id]

    run(sessions(team), scenario)


def test_a_session_note_is_linked_with_its_times(team: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await press(pilot, "s", shows=SessionNoteDialog)
        await type_into(pilot, "#title", " (plan)")
        await press(pilot, "ctrl+s")
        [note] = [e for e in team.journal.entries(kind="session") if e.session_id == team.next]
        assert note.title == "Session note, Fri 2026-01-09 (plan)"
        assert note.fields == {"setting": "Clinic", "start": "15:00", "end": "16:00"}
        assert app.edits == ["Session note written"]

    run(sessions(team), scenario)


def test_show_record_brings_a_note_s_session_into_view(team: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        screen = sessions_screen(app)
        screen.show_record(team.lee_note)
        await settle(pilot)
        assert screen.session_id == team.done
        assert_cursor_on(screen, "#session-notes", team.lee_note)

    run(sessions(team), scenario)


def test_show_record_of_a_request_gets_it_ready_to_answer(team: Team) -> None:
    request = asked_by_lee(team, proposed="")
    with team.journal.acting_as(team.ana, at=AFTER):
        team.journal.request_change(team.next, "Or cancel it?")

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        screen = sessions_screen(app)
        await highlight(pilot, "#sessions", team.done)
        screen.show_record(request.id)
        await settle(pilot)
        assert screen.session_id == team.next
        assert_cursor_on(screen, "#requests", request.id)
        await press(pilot, "enter", shows=AnswerRequestDialog)
        assert app.screen.request.id == request.id

    run(sessions(team), scenario)


def test_a_name_with_markup_shows_as_typed_on_the_schedule(team: Team) -> None:
    with team.journal.acting_as(team.lee):  # a member renames only themself
        team.journal.update_member(team.lee, name=MARKUP_NAME)
    asked_by_lee(team)
    team.journal.update_member(team.ana, name="Ana")

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        assert f"● {MARKUP_NAME} asks:" in screen_text(app)
        assert f"{MARKUP_NAME} asked on" in screen_text(app)

    run(sessions(team), scenario)


# --- resources ----------------------------------------------------------------------------


@pytest.fixture
def shared(team: Team) -> Team:
    """Dr. Lee shared a reading tied to the goal, and a tip Ana has read."""
    j = team.journal
    with j.acting_as(team.lee, at="2026-01-02T09:00:00.000000Z"):
        j.add_resource(
            "Visual schedules at home",
            kind="reading",
            url="https://example.org/schedules",
            text="Start with <b>three</b> pictures:\n\n- breakfast\n- shoes",
            goal_id=team.goal,
        )
    with j.acting_as(team.lee, at="2026-01-03T09:00:00.000000Z"):
        tip = j.add_resource("Offer two choices", kind="tip", text="Not three.")
    with j.acting_as(team.ana, at="2026-01-04T09:00:00.000000Z"):
        j.acknowledge(tip.id)
    return team


def resources(team: Team) -> Callable[[], MainScreen]:
    return lambda: ResourcesScreen(team.journal)


def resources_screen(app: App[Any]) -> ResourcesScreen:
    screen = main_screen(app)
    assert isinstance(screen, ResourcesScreen)
    return screen


def resource_id(team: Team, title: str) -> str:
    return next(r.id for r in team.journal.all(Resource) if r.title == title)


def test_resources_show_who_shared_and_read_them(shared: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        assert option_texts(app, "#resources") == [
            "  Offer two choices\n  Written tip · shared by Dr. Lee\n  read by Ana Rivera",
            "● Visual schedules at home  unread\n"
            "  Reading · shared by Dr. Lee · goal: Asks for help with words\n  not read yet",
        ]
        assert "2 resources · 1 unread by you" in screen_text(app)

    run(resources(shared), scenario)


def test_a_resource_s_detail_shows_its_address_as_text_and_no_html(shared: Team) -> None:
    reading = resource_id(shared, "Visual schedules at home")

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await highlight(pilot, "#resources", reading)
        header = main_screen(app).query_one("#resource-header", Markdown)
        assert r"**Web address:** https\:\/\/example\.org\/schedules" in header.source
        assert "**Goal:** Asks for help with words" in header.source
        text = screen_text(app)
        assert "https://example.org/schedules" in text
        assert "Start with <b>three</b> pictures:" in text  # raw HTML shows as text
        assert "Reading, shared by Dr. Lee on 2026-01-02 09:00" in text

    run(resources(shared), scenario)


def test_a_resource_is_marked_read_with_k_or_enter(shared: Team) -> None:
    reading = resource_id(shared, "Visual schedules at home")

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await highlight(pilot, "#resources", reading)
        assert resources_screen(app).check_action("mark_read", ())
        await press(pilot, "k")
        resource = shared.journal.get(Resource, reading)
        assert shared.ana in resource.acknowledged
        assert shared.journal.unread_resources() == []
        rows = option_texts(app, "#resources")
        assert not any("●" in row or "unread" in row for row in rows)
        assert "read by Ana Rivera" in rows[1]
        assert "2 resources" in screen_text(app) and "unread by you" not in screen_text(app)
        assert not resources_screen(app).check_action("mark_read", ())
        assert app.edits[-1] == "Marked as read"

    run(resources(shared), scenario)

    unread = shared.journal.add_resource("Mine", kind="tip", text="x")
    with shared.journal.acting_as(shared.lee):
        other = shared.journal.add_resource("Theirs", kind="tip", text="y")

    async def enter(app: Harness, pilot: Pilot[None]) -> None:
        await highlight(pilot, "#resources", unread.id)
        assert not resources_screen(app).check_action("mark_read", ())  # my own
        await highlight(pilot, "#resources", other.id)
        await press(pilot, "enter")
        assert shared.ana in shared.journal.get(Resource, other.id).acknowledged

    run(resources(shared), enter)


def test_a_resource_is_shared_in_the_dialog(shared: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        dialog = await press(pilot, "n", shows=ResourceDialog)
        await type_into(pilot, "#title", "Timer video")
        dialog.query_one("#kind", Select).value = "video"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ResourceDialog)  # a video needs its address
        assert "A video needs its web address." in screen_text(app)
        await fill(pilot, "#url", "javascript:alert(1)")
        await press(pilot, "ctrl+s")
        assert "Use a web address starting with https://" in screen_text(app)
        await fill(pilot, "#url", "https://example.org/timer")
        await fill(pilot, "#text", "Watch the *first* minute.")
        dialog.query_one("#goal", Select).value = shared.goal
        await press(pilot, "ctrl+s", shows=ResourcesScreen)
        video = shared.journal.get(Resource, resource_id(shared, "Timer video"))
        assert (video.kind, video.url, video.text, video.goal_id, video.author) == (
            "video",
            "https://example.org/timer",
            "Watch the *first* minute.",
            shared.goal,
            shared.ana,
        )
        assert resources_screen(app).resource_id == video.id
        assert option_texts(app, "#resources")[0].startswith("  Timer video\n  Video")
        assert app.edits[-1] == "Video shared"

    run(resources(shared), scenario)


def test_a_question_is_asked_in_the_resource_s_thread(shared: Team) -> None:
    reading = resource_id(shared, "Visual schedules at home")

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await highlight(pilot, "#resources", reading)
        await press(pilot, "c", shows=ReplyDialog)
        await fill(pilot, "#reply-text", "Which pictures first?")
        await press(pilot, "ctrl+s")
        [comment] = shared.journal.thread(reading)
        assert (comment.body, comment.author) == ("Which pictures first?", shared.ana)
        assert "Which pictures first?" in screen_text(app)
        assert "1 comment" in option_texts(app, "#resources")[1]

    run(resources(shared), scenario)


def test_show_record_finds_the_resource_of_a_comment(shared: Team) -> None:
    reading = resource_id(shared, "Visual schedules at home")
    tip = resource_id(shared, "Offer two choices")
    comment = shared.journal.comment(tip, "Good one.")

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        screen = resources_screen(app)
        assert screen.resource_id == reading  # the first time: the newest unread
        screen.show_record(comment.id)
        await settle(pilot)
        assert screen.resource_id == tip
        assert isinstance(shared.journal.find(comment.id), Comment)
        assert "Good one." in screen_text(app)

    run(resources(shared), scenario)


# --- people -----------------------------------------------------------------------------------


def people(team: Team) -> Callable[[], MainScreen]:
    return lambda: PeopleScreen(team.journal)


def test_people_lists_the_page_and_the_members(team: Team) -> None:
    team.journal.update_info(child_name="Sam", interests="Trains")

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        assert option_texts(app, "#people") == [
            "The journal's page\n  Sam · Sam's journal",
            "Members (2)",
            "Ana Rivera  you\n  parent · joined 2026-01-01",
            "Dr. Lee\n  therapist · added 2026-01-01",
        ]
        text = screen_text(app)
        assert "Child's first name or pseudonym" in text and "Trains" in text
        screen = main_screen(app)
        assert screen.check_action("edit", ())  # the page
        await highlight(pilot, "#people", team.lee)
        assert not screen.check_action("edit", ())  # not someone else's profile
        assert "Not filled in yet." in screen_text(app)
        assert isinstance(screen, PeopleScreen)
        screen.show_record(team.journal.journal_id)  # the page shares the journal's id
        await settle(pilot)
        assert screen.selected_id == JOURNAL_PAGE

    run(people(team), scenario)


def test_a_member_edits_their_own_profile(team: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await highlight(pilot, "#people", team.ana)
        dialog = await press(pilot, "e", shows=ProfileDialog)
        assert dialog.query_one("#field-name", Input).value == "Ana Rivera"
        await type_into(pilot, "#field-name", "Dr. Lee", clear=True)
        await press(pilot, "ctrl+s")
        assert "A member already has this name" in screen_text(app)
        await type_into(pilot, "#field-name", "Ana R.", clear=True)
        await fill(pilot, "#field-what_works", "First-then boards.\nA timer.")
        await fill(pilot, "#field-contact_times", "Weekdays after 17:00")
        await press(pilot, "ctrl+s")
        me = team.journal.get(Member, team.ana)
        assert (me.name, me.what_works, me.contact_times, me.role) == (
            "Ana R.",
            "First-then boards.\nA timer.",
            "Weekdays after 17:00",
            "parent",
        )
        text = screen_text(app)
        assert "First-then boards." in text and "A timer." in text
        assert app.edits == ["Profile saved"]

    run(people(team), scenario)


def test_the_journal_page_is_edited(team: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await press(pilot, "e", shows=ProfileDialog)
        await type_into(pilot, "#field-child_name", "S.")
        await type_into(pilot, "#field-avoid", "Hand dryers.")
        await press(pilot, "ctrl+s")
        info = team.journal.get(JournalInfo, team.journal.journal_id)
        assert (info.child_name, info.avoid, info.title) == ("S.", "Hand dryers.", "Sam's journal")
        assert "Hand dryers." in screen_text(app)
        assert app.edits == ["Journal page saved"]

    run(people(team), scenario)


def test_an_invite_shows_its_code_once_and_the_code_opens_the_file(team: Team) -> None:
    codes: list[str] = []

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await press(pilot, "i", shows=ProfileDialog)
        await type_into(pilot, "#field-name", "Ben Rivera")
        app.screen.query_one("#field-role", Select).value = "parent"
        dialog = await press(pilot, "ctrl+s", shows=InviteCodeDialog)
        codes.append(dialog.code)
        text = screen_text(app)
        for group in dialog.code.split("-"):
            assert " ".join(group) in text  # shown, in large groups
        assert "by phone or in person, never in the same email" in text
        await press(pilot, "escape", shows=ConfirmDialog)  # closing without the button asks first
        await press(pilot, "escape", shows=InviteCodeDialog)  # back to the code
        await pilot.click("#noted")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)
        rows = option_texts(app, "#people")
        assert "Ben Rivera\n  parent · invited 2026-" in rows[-1]
        assert rows[-1].endswith(", not joined yet")
        assert app.edits == ["Ben Rivera invited"]
        text = screen_text(app)
        assert not any(" ".join(group) in text for group in dialog.code.split("-"))

    run(people(team), scenario)
    [code] = codes
    invited = Journal.open(team.journal.path, code)
    assert invited.needs_own_passphrase
    assert invited.me.name == "Ben Rivera"


def test_a_name_with_markup_shows_as_typed_among_people(team: Team) -> None:
    with team.journal.acting_as(team.lee):  # a member renames only themself
        team.journal.update_member(team.lee, name=MARKUP_NAME)

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        assert f"{MARKUP_NAME}\n  therapist" in option_texts(app, "#people")[-1]
        await highlight(pilot, "#people", team.lee)
        assert MARKUP_NAME in screen_text(app)

    run(people(team), scenario)


# --- in the real app, once it has the screens --------------------------------------------------


def _wired(mode: str) -> bool:
    from screens.app import _places

    return any(place.mode == mode for place in _places())


@pytest.mark.skipif(not _wired("sessions"), reason="the app has no sessions screen yet")
def test_the_app_saves_a_session_planned_on_its_screen(team: Team) -> None:
    from screens.app import TandemApp

    team.journal.save()

    async def main() -> None:
        app = TandemApp(team.journal, start="sessions", watch=False)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, SessionsScreen)
            await press(pilot, "n")
            await type_into(pilot, "#date", "2026-02-02")
            await type_into(pilot, "#time", "09:00")
            await press(pilot, "ctrl+s")
            assert not team.journal.dirty

    asyncio.run(main())
    reopened = Journal.open(team.journal.path, PASSPHRASE)
    assert any(s.starts_at == "2026-02-02T09:00" for s in reopened.sessions())


# --- conventions ------------------------------------------------------------------------


def test_every_key_has_an_id_and_a_description() -> None:
    owners = (
        SessionsScreen,
        ResourcesScreen,
        PeopleScreen,
        SessionDialog,
        ChangeRequestDialog,
        AnswerRequestDialog,
        SessionNoteDialog,
        ResourceDialog,
        ProfileDialog,
        InviteCodeDialog,
    )
    for owner in owners:
        assert owner.BINDINGS, owner
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding), binding
            assert binding.id and binding.description, binding


def test_control_characters_and_markup_show_as_text(team: Team) -> None:
    j = team.journal
    with j.acting_as(team.lee):  # a member renames only themself
        j.update_member(team.lee, name="\x1b[31mLee[/]")
    with j.acting_as(team.lee, at=AFTER):
        gym = j.add_session("2026-01-10T09:00", location="[b]Gym[/b]\x07", notes="<b>hi</b>\x1b[2J")
        j.add_resource("\x1b]8;;https://evil\x07click", kind="tip", text="x")

    async def on_sessions(app: Harness, pilot: Pilot[None]) -> None:
        await highlight(pilot, "#sessions", gym.id)
        text = screen_text(app)
        assert "\x1b" not in text and "\x07" not in text
        assert "[b]Gym[/b]\\x07" in text and "<b>hi</b>\\x1b[2J" in text

    async def on_resources(app: Harness, pilot: Pilot[None]) -> None:
        text = screen_text(app)
        assert "\x1b" not in text and "\\x1b]8;;https://evil\\x07click" in text
        assert "shared by \\x1b[31mLee[/]" in text

    run(sessions(team), on_sessions)
    run(resources(team), on_resources)
