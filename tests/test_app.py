"""The terminal app, driven with Textual's Pilot over small journals.

The project runs pytest without an async plugin, so each test drives the app
inside `asyncio.run`.
"""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Awaitable, Callable, Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it.token import Token
from rich.console import Console
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, Markdown, Select
from textual.widgets.markdown import MarkdownBlock

from journal.journal import Journal
from journal.model import Entry
from screens.app import TandemApp
from screens.journal_screen import JournalScreen
from widgets.entry_list import EntryList, column_widths
from widgets.entry_view import (
    EntryView,
    escape_markdown,
    markdown_parser,
    one_line,
    safe_text,
)

SIZE = (120, 40)
AT = "2026-01-05T09:00:00.000000Z"
LATER = "2026-01-05T10:30:00.000000Z"
MARKUP_TITLE = "[bold red]hi[/]"

Scenario = Callable[[TandemApp, Pilot[None]], Awaitable[None]]


@pytest.fixture(autouse=True)
def utc() -> Iterator[None]:
    """Comment times are shown in local time: make local time UTC."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "UTC")
        time.tzset()
        yield
    time.tzset()


@pytest.fixture
def family(journal: Journal) -> Journal:
    """A parent's journal with one entry of each kind, a thread and a finalized session note."""
    ana = journal.me.id
    lee = journal.add_member("Dr. Lee", "therapist").id
    with journal.acting_as(ana, at=AT):
        goal = journal.add_goal("Asks for help with words")
        journal.add_entry(
            "checkin",
            "Morning check-in",
            body="Slept **well**.",
            tags=["sleep"],
            fields={"bedtime": "20:30", "mood": 4},
            occurred_at="2026-01-05T08:00",
        )
        park = journal.add_entry(
            "incident",
            "Meltdown at the park",
            body="Cried when we had to leave.",
            tags=["transitions"],
            goals=[goal.id],
            fields={"antecedent": "Told it was time to go", "behavior": "dropped, cried"},
            occurred_at="2026-01-04T17:30",
        )
        journal.add_entry("win", "Asked for juice", occurred_at="2026-01-03T12:00")
        journal.add_entry(
            "question", "Screen time?", body="How much is OK?", occurred_at="2026-01-02T19:00"
        )
        journal.add_entry(
            "observation", "At the shop", occurred_at="2026-01-01T11:00", tags=["park"]
        )
    with journal.acting_as(lee, at=AT):
        session = journal.add_entry(
            "session", "Session 12", body="Worked on requests.", occurred_at="2025-12-30T15:00"
        )
        journal.finalize(session.id)
        journal.add_addendum(session.id, "Parent joined for the last 10 minutes.")
        journal.comment(park.id, "Thanks. Did the two-minute warning help?")
    with journal.acting_as(ana, at=LATER):
        journal.comment(park.id, "A little. She walked to the car.")
    return journal


def run_app(journal: Journal, scenario: Scenario) -> None:
    """Run the app on `journal` headless and play `scenario` once it has settled."""

    async def main() -> None:
        app = TandemApp(journal)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await scenario(app, pilot)

    asyncio.run(main())


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the workers and for what their results mount."""
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type `text` one key at a time, letting the app settle after each."""
    for char in text:
        await pilot.press(char)
        await settle(pilot)


def screen_text(app: TandemApp) -> str:
    """Everything on the screen as plain text, as `App.export_screenshot` draws it."""
    console = Console(
        width=SIZE[0], height=SIZE[1], file=io.StringIO(), record=True, legacy_windows=False
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=False)


def entry_list(app: TandemApp) -> EntryList:
    return app.screen.query_one(EntryList)


def entry_view(app: TandemApp) -> EntryView:
    return app.screen.query_one(EntryView)


def shown_id(app: TandemApp) -> str | None:
    details = entry_view(app).details
    return details.entry.id if details else None


def titles(app: TandemApp, journal: Journal) -> list[str]:
    return [journal.get(Entry, entry_id).title for entry_id in entry_list(app).entry_ids]


def view_text(app: TandemApp) -> str:
    """The text the view's Markdown blocks draw, before wrapping."""
    blocks = entry_view(app).query(MarkdownBlock)
    return "\n".join(b.visual.plain for b in blocks if isinstance(b.visual, Content))


def markdown_sources(app: TandemApp) -> list[str]:
    return [block.source for block in entry_view(app).query(Markdown)]


# --- the app ------------------------------------------------------------------------------


def test_opens_on_the_newest_entry(family: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, JournalScreen)
        assert app.title == "Sam's journal"
        assert app.sub_title == "Ana Rivera (parent)"
        assert titles(app, family) == [
            "Morning check-in",
            "Meltdown at the park",
            "Asked for juice",
            "Screen time?",
            "At the shop",
            "Session 12",
        ]
        assert app.focused is entry_list(app)
        newest = family.entries(limit=1)[0]
        assert entry_list(app).entry_id == newest.id
        assert shown_id(app) == newest.id
        assert "Morning check-in" in screen_text(app)
        text = view_text(app)
        assert "Check-in · 2026-01-05 08:00 · Ana Rivera (parent)" in text
        assert "Tags: #sleep" in text
        assert "Slept well." in text
        assert "Bedtime" in screen_text(app) and "20:30" in screen_text(app)

    run_app(family, scenario)


def test_moving_the_cursor_changes_the_view(family: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        ids = entry_list(app).entry_ids
        await pilot.press("down")
        await settle(pilot)
        assert shown_id(app) == ids[1]
        assert "Meltdown at the park" in markdown_sources(app)[0]
        await pilot.press("end")
        await settle(pilot)
        assert shown_id(app) == ids[-1]
        await pilot.press("home")
        await settle(pilot)
        assert shown_id(app) == ids[0]

    run_app(family, scenario)


def test_clicks_highlight_and_a_double_click_opens(family: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        ids = entry_list(app).entry_ids
        assert await pilot.click(EntryList, offset=(20, 3))  # line 0 is the header
        await settle(pilot)
        assert shown_id(app) == ids[2]
        assert await pilot.double_click(EntryList, offset=(20, 2))
        await settle(pilot)
        assert shown_id(app) == ids[1]
        assert app.focused is entry_view(app)

    run_app(family, scenario)


def test_vi_keys_move_and_typed_keys_stay_in_the_search_box(family: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        ids = entry_list(app).entry_ids
        await pilot.press("j", "j", "k")
        await settle(pilot)
        assert shown_id(app) == ids[1]
        await pilot.press("slash")
        await type_text(pilot, "q2/?")  # neither quits, filters by kind, nor opens help
        assert app.screen.query_one("#search", Input).value == "q2/?"
        assert app.screen.query_one("#kind", Select).value == ""
        assert app.is_running and not app.screen.query("HelpPanel")

    run_app(family, scenario)


def test_enter_moves_into_the_view_and_escape_back(family: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter")
        assert app.focused is entry_view(app)
        await pilot.press("escape")
        assert app.focused is entry_list(app)

    run_app(family, scenario)


def test_the_view_scrolls(family: Journal) -> None:
    long_body = "\n\n".join(f"Paragraph {n}." for n in range(60))
    with family.acting_as(family.me.id, at=AT):
        family.add_entry(
            "observation", "A long day", body=long_body, occurred_at="2026-02-01T09:00"
        )

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        view = entry_view(app)
        assert view.max_scroll_y > 0
        await pilot.press("enter", "end")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("escape", "down")
        await settle(pilot)
        assert view.scroll_y == 0  # a new entry starts at its top

    run_app(family, scenario)


def test_slash_and_typing_filter_as_you_type(family: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await pilot.press("slash")
        search = app.screen.query_one("#search", Input)
        assert app.focused is search
        typed = ""
        for char in "park":
            await type_text(pilot, char)
            typed += char
            expected = [entry.id for entry in family.entries(search=typed)]
            assert entry_list(app).entry_ids == expected, typed
        assert titles(app, family) == ["Meltdown at the park", "At the shop"]  # a tag matches too
        assert shown_id(app) == entry_list(app).entry_ids[0]
        await type_text(pilot, "zz")
        assert entry_list(app).entry_ids == []
        assert entry_view(app).details is None
        assert "No entries match." in screen_text(app)
        for _ in "parkzz":
            await pilot.press("backspace")
        await settle(pilot)
        assert len(entry_list(app).entry_ids) == 6
        await pilot.press("enter")  # back to the list
        assert app.focused is entry_list(app)

    run_app(family, scenario)


def test_the_highlighted_entry_survives_a_filter_that_keeps_it(family: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await pilot.press("down")
        await settle(pilot)
        park = entry_list(app).entry_id
        await pilot.press("slash")
        await type_text(pilot, "park")
        assert entry_list(app).entry_id == park
        assert shown_id(app) == park

    run_app(family, scenario)


def test_kind_filter_by_keys_and_by_select(family: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        select = app.screen.query_one("#kind", Select)
        await pilot.press("2")  # the second kind: ABC incidents
        await settle(pilot)
        assert select.value == "incident"
        assert titles(app, family) == ["Meltdown at the park"]
        assert shown_id(app) == entry_list(app).entry_ids[0]
        select.value = "session"
        await settle(pilot)
        assert titles(app, family) == ["Session 12"]
        await pilot.press("0")
        await settle(pilot)
        assert len(entry_list(app).entry_ids) == 6

    run_app(family, scenario)


def test_kind_and_search_combine(family: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await pilot.press("4")  # observations (kinds in ENTRY_KINDS order)
        await pilot.press("slash")
        await type_text(pilot, "park")
        assert titles(app, family) == ["At the shop"]

    run_app(family, scenario)


def test_an_entry_with_a_thread_shows_the_comments(family: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await pilot.press("down")
        await settle(pilot)
        view = entry_view(app)
        comments = list(view.query(".entry-comment").results(Markdown))
        assert [c.source for c in comments] == [
            "Thanks. Did the two-minute warning help?",
            "A little. She walked to the car.",
        ]
        assert [str(c.border_title) for c in comments] == [
            "Dr. Lee (therapist) · 2026-01-05 09:00",
            "Ana Rivera (parent) · 2026-01-05 10:30",
        ]
        assert "Dr. Lee (therapist) · 2026-01-05 09:00" in screen_text(app)
        text = view_text(app)
        assert "Thread (2)" in text
        assert "Goals: Asks for help with words" in text
        assert "Antecedent (just before)\nTold it was time to go" in text

    run_app(family, scenario)


def test_a_finalized_session_note_shows_its_addenda(family: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await pilot.press("end")
        await settle(pilot)
        view = entry_view(app)
        [addendum] = view.query(".entry-addendum").results(Markdown)
        assert addendum.source == "Parent joined for the last 10 minutes."
        assert str(addendum.border_title) == "Dr. Lee (therapist) · 2026-01-05 09:00"
        text = view_text(app)
        assert "Addenda (1)" in text
        assert "Status: final, finalized by Dr. Lee on 2026-01-05 09:00" in text
        assert "No comments yet." in text

    run_app(family, scenario)


def test_an_empty_journal_says_so(journal: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        assert entry_list(app).entry_ids == []
        assert "No entries yet." in screen_text(app)

    run_app(journal, scenario)


def test_theme_toggle_and_keys_panel(journal: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        dark = app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark is not dark
        await pilot.press("question_mark")
        assert app.screen.query("HelpPanel")
        await pilot.press("question_mark")
        assert not app.screen.query("HelpPanel")

    run_app(journal, scenario)


def test_every_binding_has_an_id_and_a_description() -> None:
    for owner in (TandemApp, JournalScreen, EntryList):
        for binding in owner.BINDINGS:
            assert not isinstance(binding, tuple)
            assert binding.id and binding.description, binding


# --- user text is shown, never interpreted ----------------------------------------------


@pytest.fixture
def hostile(journal: Journal) -> Journal:
    """Entries whose text tries markup, escapes, Markdown and HTML tricks."""
    with journal.acting_as(journal.me.id, at=AT):
        journal.update_member(journal.me.id, name="[b]Ana[/b]")
        entry = journal.add_entry(
            "incident",
            MARKUP_TITLE,
            body=(
                "esc \x1b[31mred\x1b[0m bell\x07 osc \x1b]0;pwned\x07\n\n"
                "<!-- hide the rest\n\nstill here"
            ),
            tags=["[red]x[/]"],
            fields={"setting": "*the* | park", "behavior": "# not a heading\n<b>tag</b>"},
            occurred_at="2026-01-05T08:00",
        )
        journal.comment(entry.id, "```\nan unclosed fence")
    with journal.acting_as(journal.me.id, at=LATER):
        journal.comment(entry.id, "the [link](javascript:alert(1)) and \x1b[2J")
    return journal


def test_a_markup_title_shows_exactly_as_typed(hostile: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        entries = entry_list(app)
        line = entries.render_line(1)  # line 0 is the header
        assert MARKUP_TITLE in line.text
        assert "[b]Ana[/b]" in line.text
        # One segment holds the literal title: parsed markup would have dropped the
        # brackets and split the text into differently styled pieces.
        [title] = [segment for segment in line if MARKUP_TITLE in segment.text]
        [author] = [segment for segment in line if "[b]Ana[/b]" in segment.text]
        assert title.text.strip() == MARKUP_TITLE
        assert title.style is not None and author.style is not None
        assert title.style.color == author.style.color
        assert "[bold red]hi[/]" in entries.row_text(0)

        view = entry_view(app)
        [heading] = view.query_one("#entry-header").query("MarkdownH1").results(MarkdownBlock)
        content = heading.visual  # what the heading draws
        assert isinstance(content, Content)
        assert content.plain == MARKUP_TITLE
        assert not any("red" in str(span.style) for span in content.spans)

        assert MARKUP_TITLE in screen_text(app)
        text = view_text(app)
        assert "[b]Ana[/b] (parent)" in text
        assert "Tags: #[red]x[/]" in text
        assert "*the* | park" in screen_text(app)
        assert "# not a heading" in text and "<b>tag</b>" in text

    run_app(hostile, scenario)


def test_escapes_never_reach_the_terminal(hostile: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        text = screen_text(app)
        assert "\x1b" not in text and "\x07" not in text
        shown = view_text(app)
        assert "\x1b" not in shown
        assert "esc \\x1b[31mred\\x1b[0m bell\\x07 osc \\x1b]0;pwned\\x07" in shown
        assert all("\x1b" not in source for source in markdown_sources(app))
        assert "\x1b" not in entry_list(app).render_line(1).text

    run_app(hostile, scenario)


def test_html_and_fences_in_user_text_cannot_hide_what_follows(hostile: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter", "end")
        await pilot.pause()
        text = screen_text(app)
        assert "<!-- hide the rest" in text
        assert "still here" in text
        # The second comment is its own document, untouched by the first one's fence;
        # markdown-it refuses javascript: links, so that one stays text.
        assert "the [link](javascript:alert(1)) and \\x1b[2J" in view_text(app)

    run_app(hostile, scenario)


# --- the pieces -----------------------------------------------------------------------------


def test_safe_text_keeps_text_and_shows_controls() -> None:
    assert safe_text("a\tb\r\nc") == "a\tb\nc"
    assert safe_text("\x1b[31m\x9b\x7f\r") == "\\x1b[31m\\x9b\\x7f\\x0d"
    assert safe_text("abc\u202edef") == "abc\\u202edef"  # a bidi override cannot reorder
    assert one_line("  two\n lines\x1b ") == "two lines\\x1b"


def _inline_text(markdown: str) -> str:
    """The text Markdown shows for `markdown`, line breaks as newlines."""
    parts: list[str] = []

    def walk(tokens: list[Token]) -> None:
        for token in tokens:
            if token.type in ("text", "code_inline"):
                parts.append(token.content)
            elif token.type in ("hardbreak", "softbreak"):
                parts.append("\n")
            elif token.type == "paragraph_close":
                parts.append("\n\n")
            elif token.children:
                walk(token.children)
            elif token.type not in ("paragraph_open",):
                parts.append(f"<{token.type}>")

    walk(markdown_parser().parse(markdown))
    return "".join(parts).strip()


@pytest.mark.parametrize(
    "text",
    [
        "*em* and **strong**",
        "# heading",
        "- item",
        "1. item",
        "> quote",
        "[link](http://example.com)",
        "<b>html</b> &amp; entity",
        "a | b",
        "`code`",
        "    indented",
        "===",
        "www.example.com",
        "line one\nline two",
    ],
)
def test_escaped_markdown_reads_as_typed(text: str) -> None:
    expected = "\n".join(line.strip() for line in text.split("\n"))
    assert _inline_text(escape_markdown(text)) == expected


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))))
def test_escaped_markdown_never_becomes_markup(text: str) -> None:
    shown = _inline_text(escape_markdown(text))
    assert " ".join(shown.split()) == " ".join(text.split())


def test_column_widths_give_the_title_the_room() -> None:
    assert column_widths(200)[3] > column_widths(120)[3] >= 24
    assert column_widths(69)[4] == 0  # too narrow for tags: they go
    assert sum(column_widths(150)) + 6 == 150
