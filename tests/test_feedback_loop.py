"""Issue #13, point 1: the feedback loop works from wherever a record is.

`c` comments on the record a screen shows (an entry, a goal, a session, a
resource, a thread), the palette finds it as "Comment", "Reply" and "Ask a
question", a question from the other side waits in Threads ("Waiting for me"),
and a comment chosen on Home opens its thread with the reply box ready.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import OptionList, Select, TextArea

from journal.digest import thread_summaries, unread_count
from journal.journal import Journal
from journal.model import Goal
from screens.app import TandemApp
from screens.reply_dialog import ReplyDialog
from screens.threads_screen import ThreadsScreen
from tests.harness import play, screen_text, settle, type_text

AT = "2026-01-05T09:00:00.000000Z"
LATER = "2026-01-06T09:00:00.000000Z"


def _palette(app: TandemApp) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


async def _comment(pilot: Pilot[None], text: str) -> None:
    """Press c, check the reply box is open and focused, type `text`, send with ctrl+s."""
    await pilot.press("c")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ReplyDialog)
    assert isinstance(pilot.app.focused, TextArea)  # typing goes straight in
    await type_text(pilot, text)
    await pilot.press("ctrl+s")
    await settle(pilot)


def test_c_comments_on_the_entry_highlighted_in_the_journal(journal: Journal) -> None:
    entry = journal.add_entry("checkin", "Good morning", occurred_at="2026-01-05T08:00")
    journal.save()

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        palette = _palette(app)
        assert {"Comment", "Reply", "Ask a question"} <= set(palette)
        await _comment(pilot, "Great start")
        [comment] = journal.thread(entry.id)
        assert comment.body == "Great start"
        assert "Great start" in screen_text(app)  # the entry's pane shows it at once
        assert unread_count(journal, entry.id) == 0

    play(TandemApp(journal, start="journal", watch=False), scenario)


def test_ask_a_question_from_the_palette_titles_the_box(journal: Journal) -> None:
    journal.add_entry("incident", "Meltdown at the shop", occurred_at="2026-01-05T17:00")
    journal.save()

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        [ask] = [c for c in app.get_system_commands(app.screen) if c.title == "Ask a question"]
        ask.callback()
        await settle(pilot)
        assert isinstance(app.screen, ReplyDialog)
        assert "Ask a question about: Meltdown at the shop" in screen_text(app)

    play(TandemApp(journal, start="journal", watch=False), scenario)


def test_c_comments_on_a_goal_and_on_a_session(journal: Journal) -> None:
    goal = journal.add_goal("Asks for help", status="acquisition")
    session = journal.add_session("2026-01-08T16:00", location="Clinic")
    journal.save()

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await pilot.press("right")  # the cursor on the goal's card
        await settle(pilot)
        assert "Comment" in _palette(app)
        await _comment(pilot, "Going well at home")
        assert [c.body for c in journal.thread(goal.id)] == ["Going well at home"]
        await pilot.press("f6")
        await settle(pilot)
        await _comment(pilot, "Can we start later?")
        assert [c.body for c in journal.thread(session.id)] == ["Can we start later?"]

    play(TandemApp(journal, start="goals", watch=False), scenario)


def test_c_comments_from_a_goal_s_detail(journal: Journal) -> None:
    goal = journal.add_goal("Asks for help", status="acquisition")
    journal.save()

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await pilot.press("right", "enter")  # the goal's detail
        await settle(pilot)
        assert "Comment" in _palette(app)
        await _comment(pilot, "Seen twice at school")
        assert [c.body for c in journal.thread(goal.id)] == ["Seen twice at school"]
        assert journal.get(Goal, goal.id).title == "Asks for help"

    play(TandemApp(journal, start="goals", watch=False), scenario)


def test_a_question_entry_waits_in_the_other_side_s_threads(journal: Journal) -> None:
    parent = journal.me.id
    therapist = journal.add_member("Dr. Lee", "therapist").id
    with journal.acting_as(parent, at=AT):
        question = journal.add_entry(
            "question", "Screen time?", body="How much is OK?", occurred_at="2026-01-05T08:00"
        )
    journal.save()
    [summary] = thread_summaries(journal, therapist)
    assert (summary.target_id, summary.waiting, summary.comments) == (question.id, True, 0)
    assert not thread_summaries(journal, parent)[0].waiting  # mine: not waiting for me

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        screen = app.screen
        assert isinstance(screen, ThreadsScreen)
        assert screen.thread_ids == [question.id]
        await pilot.press("w")  # waiting for me
        await settle(pilot)
        assert screen.query_one("#threads-filter", Select).value == "waiting"
        assert screen.thread_ids == [question.id]
        assert "1 open thread waiting for you" in screen_text(app)
        await _comment(pilot, "About an hour, in short blocks.")
        assert [c.body for c in journal.thread(question.id)] == ["About an hour, in short blocks."]
        await settle(pilot)
        assert screen.thread_ids == []  # answered: nothing waits any more
        assert "0 open threads waiting for you" in screen_text(app)

    with journal.acting_as(therapist, at=LATER):
        play(TandemApp(journal, start="threads", watch=False), scenario)


def test_a_comment_chosen_on_home_opens_its_thread_with_the_reply_box(
    journal: Journal,
) -> None:
    parent = journal.me.id
    therapist = journal.add_member("Dr. Lee", "therapist").id
    with journal.acting_as(parent, at=AT):
        entry = journal.add_entry("checkin", "Tuesday", occurred_at="2026-01-05T08:00")
        journal.mark_seen()
    with journal.acting_as(therapist, at=LATER):
        journal.comment(entry.id, "Did the timer help?")
    journal.save()

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        items = app.screen.query_one("#home-items", OptionList)
        items.focus()
        row = next(
            n for n, option in enumerate(items.options) if (option.id or "").startswith("reply-")
        )
        items.highlighted = row
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReplyDialog)
        assert isinstance(app.focused, TextArea)
        threads = app.screen_stack[0]
        assert isinstance(threads, ThreadsScreen)
        assert threads.thread_view.target_id == entry.id
        assert unread_count(journal, entry.id) == 0  # opened: read
        await type_text(pilot, "Yes!")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [c.body for c in journal.thread(entry.id)] == ["Did the timer help?", "Yes!"]

    play(TandemApp(journal, start="home", watch=False), scenario)
