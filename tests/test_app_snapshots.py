"""Snapshots of the journal screen, in the app, over a journal whose every time is fixed.

The entry form's "now" (its default date and time) is pinned too. Update after
a deliberate change to the look with
`.venv/bin/pytest tests/test_app_snapshots.py --snapshot-update`, and review the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Select

import screens.entry_form_screen
from screens.app import TandemApp
from tests.harness import (
    SIZE,
    settle,
    snapshot_journal,
)


def build_app(folder: Path) -> TandemApp:
    """The app over a small journal with fixed titles and times."""
    journal = snapshot_journal(folder)
    ana = journal.me.id
    lee = journal.add_member("Dr. Lee", "therapist").id
    with journal.acting_as(ana, at="2026-01-05T09:00:00.000000Z"):
        goal = journal.add_goal("Asks for help with words")
        journal.add_entry(
            "checkin",
            "Morning check-in",
            body="Slept **well**, woke once.\n\n- ate toast\n- tried a pear",
            tags=["sleep"],
            fields={"bedtime": "20:30", "night_wakings": 1, "mood": 4},
            occurred_at="2026-01-05T08:00",
        )
        park = journal.add_entry(
            "incident",
            "Meltdown at the park",
            body="Cried and dropped to the ground when we had to leave.",
            tags=["transitions"],
            goals=[goal.id],
            fields={
                "antecedent": "Told it was time to go home",
                "behavior": "dropped, cried",
                "intensity": 3,
            },
            occurred_at="2026-01-04T17:30",
        )
        journal.add_entry("win", "Asked for juice with words", occurred_at="2026-01-03T12:00")
        journal.add_entry("question", "[bold red]Screen time?[/]", occurred_at="2026-01-02T19:00")
    with journal.acting_as(lee, at="2026-01-05T10:00:00.000000Z"):
        journal.comment(park.id, "Thanks for the detail. Did the *two-minute warning* help?")
    with journal.acting_as(ana, at="2026-01-05T10:30:00.000000Z"):
        journal.comment(park.id, "A little. She walked to the car.")
    journal.save()
    return TandemApp(journal, start="journal", watch=False)


def test_journal_screen_opens_on_the_newest_entry(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(build_app(tmp_path), terminal_size=SIZE, run_before=settle)


def test_entry_with_a_thread(snap_compare, tmp_path: Path) -> None:
    async def open_the_incident(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        await pilot.press("enter", "end")  # into the view, scrolled to the thread
        await settle(pilot)

    assert snap_compare(build_app(tmp_path), terminal_size=SIZE, run_before=open_the_incident)


def test_entry_form_for_a_check_in(
    snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(screens.entry_form_screen, "local_now", lambda: "2026-01-05T21:30")

    async def write_a_check_in(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("n", "1")  # a new entry; the first kind: check-in
        await settle(pilot)
        await pilot.press(*"Bedtime went well")
        await pilot.press("tab", "tab", "tab", *"sleep, [b]not bold[/b]")
        await settle(pilot)

    assert snap_compare(build_app(tmp_path), terminal_size=SIZE, run_before=write_a_check_in)


def test_journal_filtered_by_tag(snap_compare, tmp_path: Path) -> None:
    async def filter_by_tag(pilot: Pilot[None]) -> None:
        await settle(pilot)
        pilot.app.screen.query_one("#tag", Select).value = "transitions"
        await pilot.press("slash", *"park")
        await pilot.press("tab", *"2026-13-01", "tab")
        await settle(pilot)

    assert snap_compare(build_app(tmp_path), terminal_size=SIZE, run_before=filter_by_tag)
