"""The Patterns view (screens/patterns_screen.py) over a journal of incidents and check-ins."""

from __future__ import annotations

from textual.pilot import Pilot

from journal.journal import Journal
from screens.patterns_screen import PatternsScreen
from tests.harness import Harness, play, screen_text, settle
from widgets.heat_map import HeatMap


def test_the_view_shows_when_what_and_sleep(journal: Journal) -> None:
    for day, hour in ((5, 17), (12, 17), (14, 8)):
        journal.add_entry(
            "incident",
            "[bold]Meltdown[/]",
            occurred_at=f"2026-01-{day:02d}T{hour:02d}:15",
            fields={"behavior": "threw the [red]blocks[/] at the wall", "function": "escape"},
        )
    for day in range(4, 15):
        bedtime = "23:30" if day == 12 else "20:00"
        journal.add_entry(
            "checkin",
            "Day",
            occurred_at=f"2026-01-{day:02d}T21:00",
            fields={"bedtime": bedtime, "wake_time": "06:30", "mood": 3, "aggression": 1},
        )

    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        screen = app.screen
        assert isinstance(screen, PatternsScreen) and screen.found is not None
        assert screen.query_one(HeatMap).heat[0][17] == 2  # two Mondays at 17:00
        text = screen_text(app)
        assert "When incidents happen (3 ABC incidents)" in text
        assert "[red]" not in text  # a long answer counts by its words, never as markup
        assert "escape (3)" in text and "blocks (3)" in text
        await pilot.press("end")
        await settle(pilot)
        text = screen_text(app)
        assert "2 weeks from 2026-01-05 to 2026-01-12" in text
        assert "short (under 9.5 h)" in text
        assert "1          1                     1" in text  # one short night, one incident
        journal.add_entry("incident", "Again", occurred_at="2026-01-13T09:00")
        screen.reload()
        await settle(pilot)
        assert screen.found is not None and screen.found.incidents == 4

    play(Harness(lambda: PatternsScreen(journal)), scenario)


def test_an_empty_journal_says_so(journal: Journal) -> None:
    async def scenario(app: Harness, pilot: Pilot[None]) -> None:
        text = screen_text(app)
        assert "0 ABC incidents" in text and "No ABC incidents yet." in text
        assert "No check-in has a bedtime and a wake time yet." in text

    play(Harness(lambda: PatternsScreen(journal)), scenario)
