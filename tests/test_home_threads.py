"""Home, the Threads screen, the thread view and the reply dialogs, driven with Pilot.

A tiny harness app pushes one screen over a journal written with `acting_as`
at fixed times; it records the `OpenRecord` and `JournalEdited` messages that
reach it (like the real app, it does not reload the screen that edited). Each test
drives it inside `asyncio.run` (the project runs pytest without an async plugin).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from textual.app import App
from textual.content import Content
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Markdown, OptionList, Select, TextArea
from textual.widgets.markdown import MarkdownBlock

from journal.digest import unread_count, whats_new
from journal.journal import Journal
from journal.model import Comment, Thread
from screens.base import MainScreen
from screens.home_screen import HomeScreen
from screens.reply_dialog import DiscardDialog, ReplyDialog, TopicDialog
from screens.threads_screen import ThreadsScreen
from tests.harness import (
    SIZE,
    Harness,
    front,
    option_texts,
    press,
    run,
    screen_text,
    settle,
    type_text,
)
from widgets.thread_view import ThreadView

START = "2026-01-01T09:00:00.000000Z"
SEEN = "2026-01-05T12:00:00.000000Z"
AFTER = "2026-01-06T10:00:00.000000Z"
LATER = "2026-01-06T11:00:00.000000Z"
NOW = datetime(2026, 1, 8, 12, 0, tzinfo=UTC)
MARKUP_TITLE = "[bold red]hi[/]"


@dataclass
class Team:
    journal: Journal
    ana: str
    lee: str
    question: str  # Ana's question, answered by Dr. Lee after Ana last looked
    session: str  # Dr. Lee's new session note
    mine: str  # Ana's own new win
    topic: str  # Dr. Lee's topic, titled with markup
    old: str  # a thread Ana has read


@pytest.fixture
def team(journal: Journal) -> Team:
    """Ana (the parent who opened the journal) last looked at SEEN; Dr. Lee wrote since."""
    j = journal
    ana = j.me.id
    with j.acting_as(ana, at=START):
        lee = j.add_member("Dr. Lee", "therapist").id
        question = j.add_entry("question", "Screen time?", occurred_at="2026-01-04T19:00")
        j.comment(question.id, "How much is OK?")
        old = j.add_entry("checkin", "Monday", occurred_at="2026-01-05T08:00")
    with j.acting_as(lee, at="2026-01-02T09:00:00.000000Z"):
        j.comment(old.id, "Thanks for the detail.")
    with j.acting_as(ana, at=SEEN):
        j.comment(old.id, "You're welcome.")
        j.mark_seen()
    with j.acting_as(lee, at=AFTER):
        session = j.add_entry("session", "Session 12", occurred_at="2026-01-06T09:00")
        j.comment(question.id, "About an hour, in **short** blocks.")
        j.add_session("2026-01-09T15:00", location="Clinic")
    with j.acting_as(lee, at=LATER):
        topic = j.new_topic(MARKUP_TITLE, "Sessions pause on the *24th*.")
    with j.acting_as(ana, at=LATER):
        mine = j.add_entry("win", "My own win", occurred_at="2026-01-06T12:00")
    return Team(j, ana, lee, question.id, session.id, mine.id, topic.id, old.id)


def home(team: Team) -> Callable[[], MainScreen]:
    return lambda: HomeScreen(team.journal, now=lambda: NOW)


def threads(team: Team) -> Callable[[], MainScreen]:
    return lambda: ThreadsScreen(team.journal)


# --- Home -------------------------------------------------------------------------------


def test_home_shows_the_other_members_news_and_not_mine(team: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        text = screen_text(app)
        assert "What's new since you last looked (2026-01-05 12:00)" in text
        assert "Session 12" in text
        assert "Dr. Lee · 2026-01-06 10:00 · New session note" in text
        assert "My own win" not in text
        items = option_texts(app.screen.query_one("#home-items", OptionList))
        assert items[0] == "Entries (1)"
        assert "Comments (2)" in items and "Sessions (1)" in items
        assert "Dr. Lee · 2026-01-06 10:00 · About an hour, in **short** blocks." in text
        assert "Fri 2026-01-09 15:00 · 60 min · Clinic" in text
        assert not app.edits and not app.opened

    run(home(team), scenario)


def test_home_lists_open_threads_unread_first_and_marked(team: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        rows = option_texts(app.screen.query_one("#home-threads", OptionList))
        assert rows == [
            f"● {MARKUP_TITLE}  1 new\n  Topic · Dr. Lee · 2026-01-06 11:00",
            "● Screen time?  1 new\n  Entry · Dr. Lee · 2026-01-06 10:00",
            "  Monday\n  Entry · Ana Rivera · 2026-01-05 12:00",
        ]
        assert "Open threads (3, 2 with news)" in screen_text(app)

    run(home(team), scenario)


def test_home_nudges_after_three_days_without_a_check_in(team: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        text = screen_text(app)
        assert "3 days" in text and "Time for a check-in?" not in text  # Monday, 5 January
        with team.journal.acting_as(team.ana, at=START):
            team.journal.delete(team.old)
            team.journal.add_entry("checkin", "Older", occurred_at="2026-01-02T08:00")
        assert app.main is not None
        app.main.reload()
        await settle(pilot)
        text = screen_text(app)
        assert "6 days" in text and "Time for a check-in?" in text
        assert app.screen.query_one("#home-checkin").has_class("-nudge")

    run(home(team), scenario)


def test_enter_and_a_click_on_an_item_open_its_record(team: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        items = app.screen.query_one("#home-items", OptionList)
        assert app.focused is items
        await pilot.press("enter")  # the first item: Dr. Lee's session note
        assert app.opened == [team.session]
        await pilot.press("down", "enter")  # the newest comment: on the topic
        assert app.opened[-1] == team.topic
        # A click on a row of the open threads opens that thread's record.
        threads_list = app.screen.query_one("#home-threads", OptionList)
        assert await pilot.click(threads_list, offset=(5, 2))  # the second thread's first line
        await pilot.pause()
        assert app.opened[-1] == team.question
        # Group headings cannot be chosen.
        assert items.options[0].disabled

    run(home(team), scenario)


def test_mark_all_as_seen(team: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await press(pilot, "a")
        assert app.edits == ["Marked all as seen"]
        assert team.journal.me.last_seen > SEEN
        assert "Nothing new from the others since you last looked." in screen_text(app)

    run(home(team), scenario)


# --- the Threads screen -----------------------------------------------------------------


def test_threads_are_listed_unread_first_and_opening_one_clears_its_mark(team: Team) -> None:
    """Issue #13: a thread is read when it is opened, never when the cursor passes over it."""
    j = team.journal

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        screen = front(app, ThreadsScreen)
        assert screen.thread_ids == [team.topic, team.question, team.old]
        # The first thread is shown, not opened: both stay unread.
        view = screen.query_one(ThreadView)
        assert view.details is not None and view.details.target_id == team.topic
        assert unread_count(j, team.topic) == 1 and unread_count(j, team.question) == 1
        assert [t.unread for t in screen.threads] == [1, 1, 0]
        assert app.edits == []

        await press(pilot, "enter")  # opened: now it is read
        assert unread_count(j, team.topic) == 0 and unread_count(j, team.question) == 1
        assert [t.unread for t in screen.threads] == [0, 1, 0]
        rows = option_texts(screen.query_one("#threads", OptionList))
        assert rows[0].startswith(f"  {MARKUP_TITLE}\n")
        assert rows[1].startswith("● Screen time?  1 new\n")
        # The comment read stays marked new while it is on screen.
        [comment] = view.query(".thread-comment").results(Markdown)
        assert comment.has_class("-new") and str(comment.border_subtitle) == "new"
        assert app.edits == [""]  # the read mark is saved like any change

        screen.action_focus_list()
        await press(pilot, "down", "down", "up")  # passing over threads reads none
        assert screen.thread_ids == [team.topic, team.question, team.old]
        assert view.details is not None and view.details.target_id == team.question
        assert unread_count(j, team.question) == 1
        await press(pilot, "enter")
        assert screen.thread_ids == [team.topic, team.question, team.old]  # still in its place
        assert unread_count(j, team.question) == 0
        assert [t.unread for t in screen.threads] == [0, 0, 0]
        assert "●" not in screen_text(app)
        comments = list(view.query(".thread-comment").results(Markdown))
        assert [c.has_class("-new") for c in comments] == [False, True]
        assert [str(c.border_title) for c in comments] == [
            "Ana Rivera (parent) · 2026-01-01 09:00",
            "Dr. Lee (therapist) · 2026-01-06 10:00",
        ]

    run(threads(team), scenario)


def test_threads_read_here_move_to_their_place_after_visiting_another_screen(
    team: Team,
) -> None:
    class Modes(App[None]):
        """Main screens as modes, as the app has them."""

        def on_mount(self) -> None:
            self.add_mode("threads", lambda: ThreadsScreen(team.journal))
            self.add_mode("other", Screen)
            self.switch_mode("threads")

    with team.journal.acting_as(team.ana, at="2026-01-06T10:30:00.000000Z"):
        team.journal.comment(team.old, "More recent than Dr. Lee's answer, and read.")

    async def main() -> None:
        app = Modes()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = front(app, ThreadsScreen)
            await press(pilot, "enter", "escape", "down", "enter")  # opens both, kept in place
            assert screen.thread_ids == [team.topic, team.question, team.old]
            await app.switch_mode("other")
            await settle(pilot)
            await app.switch_mode("threads")
            await settle(pilot)
            assert app.screen is screen
            # All read now: the most recently active first.
            assert screen.thread_ids == [team.topic, team.old, team.question]

    asyncio.run(main())


def test_a_click_shows_a_thread(team: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        view = app.screen.query_one(ThreadView)
        assert await pilot.click("#threads", offset=(5, 6))  # the third thread's first line
        await settle(pilot)
        assert view.details is not None and view.details.target_id == team.old

    run(threads(team), scenario)


def test_reply_through_the_dialog(team: Team) -> None:
    j = team.journal

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await press(pilot, "down")  # Screen time?
        await pilot.press("c")
        await pilot.pause()
        dialog = front(app, ReplyDialog)
        assert "Reply to: Screen time?" in screen_text(app)
        assert app.focused is dialog.query_one(TextArea)
        await type_text(pilot, "Thanks, we will try it")
        await press(pilot, "ctrl+s", shows=ThreadsScreen)
        assert [c.body for c in j.thread(team.question)][-1] == "Thanks, we will try it"
        assert j.thread(team.question)[-1].author == team.ana
        assert "Reply posted" in app.edits
        view = app.screen.query_one(ThreadView)
        comments = list(view.query(".thread-comment").results(Markdown))
        assert comments[-1].source == "Thanks, we will try it"
        # Replied to, it is the most recent thread; the one read before it stays unread-side.
        assert app.screen.thread_ids == [team.question, team.topic, team.old]
        assert "Ana Rivera (parent)" in str(comments[-1].border_title)

    run(threads(team), scenario)


def test_an_empty_reply_is_not_posted_and_escape_asks_before_discarding(team: Team) -> None:
    j = team.journal
    before = len(j.all(Comment))

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await press(pilot, "c", "ctrl+s", shows=ReplyDialog)  # nothing typed: nothing posted
        await type_text(pilot, "half a thought")
        await press(pilot, "escape", shows=DiscardDialog)
        reply = await press(pilot, "escape", shows=ReplyDialog)  # keep writing
        assert reply.query_one(TextArea).text == "half a thought"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#discard")
        await settle(pilot)
        assert isinstance(app.screen, ThreadsScreen)
        await pilot.press("c", "escape")  # nothing typed: closes without asking
        await pilot.pause()
        assert isinstance(app.screen, ThreadsScreen)
        assert len(j.all(Comment)) == before

    run(threads(team), scenario)


def test_resolve_and_reopen(team: Team) -> None:
    j = team.journal

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        screen = front(app, ThreadsScreen)
        view = screen.query_one(ThreadView)
        await press(pilot, "r")
        assert j.thread_status(team.topic) == "resolved"
        assert j.get(Thread, team.topic).resolved_by == team.ana
        assert "Thread resolved" in app.edits
        # It left the list of open threads, but stays on screen, marked resolved.
        assert team.topic not in screen.thread_ids
        assert view.details is not None and view.details.status == "resolved"
        assert "Resolved by Ana Rivera on" in screen_text(app)
        await press(pilot, "r")
        assert j.thread_status(team.topic) == "open"
        assert "Thread reopened" in app.edits
        assert team.topic in screen.thread_ids
        # With the view focused, its own keys work the same.
        view.focus()
        await press(pilot, "r")
        assert j.thread_status(team.topic) == "resolved"
        await press(pilot, "f")  # every thread, resolved ones too
        assert screen.query_one("#threads-filter", Select).value == "all"
        assert screen.thread_ids[-1] == team.topic
        assert "resolved" in option_texts(screen.query_one("#threads", OptionList))[-1]

    run(threads(team), scenario)


def test_a_new_topic(team: Team) -> None:
    j = team.journal

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, TopicDialog)
        assert app.focused is app.screen.query_one(Input)
        await type_text(pilot, "Holiday plans")
        await pilot.press("ctrl+s")  # no first comment yet: not started
        await pilot.pause()
        assert isinstance(app.screen, TopicDialog)
        assert isinstance(app.focused, TextArea)
        await type_text(pilot, "Can we move the 24th")
        screen = await press(pilot, "ctrl+s", shows=ThreadsScreen)
        [topic] = [t for t in j.all(Thread) if t.topic and t.title == "Holiday plans"]
        assert [c.body for c in j.thread(topic.id)] == ["Can we move the 24th"]
        assert "New topic" in app.edits
        view = screen.query_one(ThreadView)
        assert view.details is not None and view.details.target_id == topic.id
        assert topic.id in screen.thread_ids
        highlighted = screen.query_one("#threads", OptionList).highlighted_option
        assert highlighted is not None and highlighted.id == topic.id

    run(threads(team), scenario)


def test_show_record_selects_its_thread(team: Team) -> None:
    j = team.journal
    with j.acting_as(team.ana, at=LATER):
        j.set_thread_status(team.old, "resolved")
        quiet = j.add_entry("question", "No comments yet")
    reply = j.thread(team.question)[-1]

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        screen = front(app, ThreadsScreen)
        view = screen.query_one(ThreadView)
        screen.show_record(reply.id)  # a comment: its thread
        await settle(pilot)
        assert view.details is not None and view.details.target_id == team.question
        screen.show_record(team.old)  # resolved: the filter opens up to every thread
        await settle(pilot)
        assert screen.query_one("#threads-filter", Select).value == "all"
        assert view.details is not None and view.details.target_id == team.old
        screen.show_record(quiet.id)  # no thread yet: shown, ready for a first comment
        await settle(pilot)
        assert view.details is not None and view.details.target_id == quiet.id
        assert "No comments yet. Press c to write the first one." in screen_text(app)

    run(threads(team), scenario)


# --- conventions ------------------------------------------------------------------------


def test_a_markup_title_shows_exactly_as_typed(team: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        assert MARKUP_TITLE in screen_text(app)
        view = app.screen.query_one(ThreadView)
        [heading] = view.query_one("#thread-header").query("MarkdownH2").results(MarkdownBlock)
        content = heading.visual
        assert isinstance(content, Content)
        assert content.plain == MARKUP_TITLE
        assert not any("red" in str(span.style) for span in content.spans)
        await pilot.press("c")
        await pilot.pause()
        assert f"Reply to: {MARKUP_TITLE}" in screen_text(app)

    j = team.journal
    with j.acting_as(team.lee, at=LATER):
        j.update_member(team.lee, name="[b]Lee[/b]")
        j.comment(team.topic, "\x1b[31mred\x1b[0m and <b>html</b>")
    run(threads(team), scenario)


def test_home_shows_markup_and_escapes_as_text(team: Team) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        text = screen_text(app)
        assert MARKUP_TITLE in text
        assert "[b]Lee[/b]" in text
        assert "\x1b" not in text and "\\x1b[31mred" in text

    j = team.journal
    with j.acting_as(team.lee, at=LATER):
        j.update_member(team.lee, name="[b]Lee[/b]")
        j.comment(team.topic, "\x1b[31mred\x1b[0m")
    run(home(team), scenario)


def test_every_binding_has_an_id_and_a_description() -> None:
    owners = (HomeScreen, ThreadsScreen, ThreadView, ReplyDialog, TopicDialog, DiscardDialog)
    for owner in owners:
        assert owner.BINDINGS, owner
        for binding in owner.BINDINGS:
            assert not isinstance(binding, tuple)
            assert binding.id and binding.description, binding


def test_home_shows_change_requests_and_unread_resources(journal: Journal) -> None:
    lee = journal.add_member("Dr. Lee", "therapist")
    session = journal.add_session("2026-12-03T15:00")
    with journal.acting_as(lee.id):
        journal.request_change(
            session.id, "Can we move Thursday to Friday?", proposed_starts_at="2026-12-04T15:00"
        )
        journal.add_resource("Visual timers", text="Use a timer before transitions.")
    journal.save()
    digest = whats_new(journal)
    assert [r.text for r in digest.change_requests] == ["Can we move Thursday to Friday?"]
    assert not digest.change_requests[0].mine
    assert [r.title for r in digest.unread_resources] == ["Visual timers"]

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        text = "\n".join(
            str(option.prompt)
            for selector in ("#home-requests", "#home-resources")
            for option in app.screen.query_one(selector, OptionList).options
        )
        assert "Dr. Lee: “Can we move Thursday to Friday?”" in text
        assert "Visual timers" in text

    run(lambda: HomeScreen(journal), scenario)
