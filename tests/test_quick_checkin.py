"""Issue #13, point 4: a check-in in a minute, with the keyboard only.

A new check-in opens on a short form: mood (with words), sleep, what went
well, what was hard and the free text; the rest is behind "More fields",
which is remembered in the person's settings.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Button, Input, Select

from journal.journal import Journal
from journal.model import KIND_FIELDS, QUICK_FIELDS
from journal.settings import CHECKIN_MORE, settings
from screens.app import TandemApp
from screens.entry_form_screen import EntryFormScreen
from tests.harness import play, settle

MAX_KEYS = 60
"""A check-in from opening the form to saved, typed by a person in well under a minute."""


def test_the_check_in_has_what_was_hard_and_words_for_the_mood() -> None:
    specs = {spec.name: spec for spec in KIND_FIELDS["checkin"]}
    assert specs["hard"].label == "What was hard"
    assert specs["wins"].label == "What went well"
    assert specs["mood"].labels == ("very hard", "hard", "okay", "good", "great")
    assert set(QUICK_FIELDS["checkin"]) <= set(specs)


def test_a_check_in_is_saved_in_under_60_keys_from_opening(journal: Journal) -> None:
    pressed: list[str] = []

    async def press(pilot: Pilot[None], *keys: str) -> None:
        pressed.extend(keys)
        await pilot.press(*keys)
        await settle(pilot)

    async def typed(pilot: Pilot[None], text: str) -> None:
        await press(pilot, *[{" ": "space"}.get(char, char) for char in text])

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await press(pilot, "n", "1")  # a new check-in
        form = app.screen
        assert isinstance(form, EntryFormScreen) and form.short
        mood = form.query_one("#field-mood", Select)
        assert [str(prompt) for prompt, _value in mood._options][1:] == [
            "1 · very hard",
            "2 · hard",
            "3 · okay",
            "4 · good",
            "5 · great",
        ]
        assert not form.query_one("#field-medication").display  # behind "More fields"
        assert not form.query_one("#title").display
        assert app.focused is mood
        await press(pilot, "4")  # mood: good, and on to bedtime
        await typed(pilot, "20:30")
        await press(pilot, "tab")
        await typed(pilot, "6:45")
        await press(pilot, "tab")
        await typed(pilot, "1")  # one night waking
        await press(pilot, "tab")
        await typed(pilot, "Park")  # what went well
        await press(pilot, "tab")
        await typed(pilot, "Bath")  # what was hard
        await press(pilot, "tab")
        await typed(pilot, "Calm day")  # free text
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, EntryFormScreen)

    play(TandemApp(journal, start="journal", watch=False), scenario)
    [entry] = journal.entries()
    assert entry.kind == "checkin" and entry.title == "Check-in"
    assert entry.fields == {
        "mood": 4,
        "bedtime": "20:30",
        "wake_time": "06:45",
        "night_wakings": 1,
        "wins": "Park",
        "hard": "Bath",
    }
    assert entry.body == "Calm day"
    assert len(pressed) < MAX_KEYS, pressed
    assert pressed.count("tab") <= 6  # the free text is 6 Tabs from the mood, not 23


def test_more_fields_shows_the_rest_and_is_remembered(journal: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await pilot.press("n", "1")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EntryFormScreen) and form.short
        form.query_one("#more", Button).press()
        await settle(pilot)
        assert not form.short
        assert form.query_one("#field-medication").display
        assert settings()[CHECKIN_MORE] is True
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("n", "1")  # the next check-in opens with every field
        await settle(pilot)
        again = app.screen
        assert isinstance(again, EntryFormScreen) and not again.short
        assert app.focused is again.query_one("#field-mood", Select)

    play(TandemApp(journal, start="journal", watch=False), scenario)


def test_a_short_form_shows_a_hidden_field_that_needs_a_look(journal: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        await pilot.press("n", "1")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EntryFormScreen)
        form.query_one("#title", Input).value = ""  # behind "More"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not form.short
        error = form.query_one("#error-title")
        assert error.has_class("-shown") and error.display
        assert app.focused is form.query_one("#title", Input)

    play(TandemApp(journal, start="journal", watch=False), scenario)
