"""Snapshots of the sessions and resources screens over a journal whose every time is fixed.

The sessions screen's clock is pinned and local time is UTC. Update after a
deliberate change to the look with
`.venv/bin/pytest tests/test_schedule_resources_people_snapshots.py --snapshot-update`,
and review the SVGs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList

from journal.journal import Journal
from screens.resources_screen import ResourcesScreen
from screens.sessions_screen import SessionsScreen
from tests.harness import SIZE, SnapshotHarness, after_keys, settle, snapshot_journal

NOW = datetime(2026, 1, 8, 12, 0, tzinfo=UTC)


def build_journal(folder: Path) -> Journal:
    """Ana's journal: Dr. Lee's schedule with its changes, notes, requests and resources."""
    journal = snapshot_journal(folder, at="2026-01-01T09:00:00.000000Z")
    j = journal
    ana = j.me.id
    with j.acting_as(ana, at="2026-01-01T09:00:00.000000Z"):
        lee = j.add_member("Dr. Lee", "therapist").id
        goal = j.add_goal("Asks for help with words", status="acquisition").id
    with j.acting_as(lee, at="2026-01-01T10:00:00.000000Z"):
        old = j.add_session("2025-12-30T15:00", location="Clinic")
        done = j.add_session(
            "2026-01-06T15:00", location="Clinic", notes="Bring the visual schedule."
        )
        friday = j.add_session("2026-01-09T15:00", location="Clinic")
        home = j.add_session("2026-01-13T16:00", duration_min=45, location="Home visit")
        school = j.add_session("2026-01-20T10:00", duration_min=90, location="[b]School[/b]")
        j.add_session("2026-01-27T15:00", location="Clinic")
    with j.acting_as(lee, at="2026-01-02T08:00:00.000000Z"):
        j.set_session_status(old.id, "cancelled")
        j.move_session(school.id, "2026-01-21T10:00")
    with j.acting_as(ana, at="2026-01-05T18:00:00.000000Z"):
        asked = j.request_change(done.id, "Can we start at 15:30?", proposed_starts_at="")
    with j.acting_as(lee, at="2026-01-05T19:00:00.000000Z"):
        j.answer_request(asked.id, accept=False, answer="The room is booked until 15:00.")
    with j.acting_as(lee, at="2026-01-06T17:00:00.000000Z"):
        j.set_session_status(done.id, "done")
        j.add_entry("session", "Session 12", occurred_at="2026-01-06T15:00", session_id=done.id)
    with j.acting_as(ana, at="2026-01-06T18:00:00.000000Z"):
        j.add_entry(
            "observation",
            "Watched from the window",
            occurred_at="2026-01-06T15:00",
            session_id=done.id,
        )
    with j.acting_as(lee, at="2026-01-07T09:00:00.000000Z"):
        j.request_change(
            home.id,
            "Can we move the home visit to Wednesday?",
            proposed_starts_at="2026-01-14T16:00",
        )
    with j.acting_as(ana, at="2026-01-07T20:00:00.000000Z"):
        j.request_change(friday.id, "We are away on Friday, sorry!")
    with j.acting_as(lee, at="2026-01-02T09:00:00.000000Z"):
        j.add_resource(
            "Visual schedules at home",
            kind="reading",
            url="https://example.org/visual-schedules",
            text="Start with **three** pictures, left to right:\n\n"
            "1. breakfast\n2. shoes\n3. car\n\nPoint to each as you go. <b>No</b> HTML here.",
            goal_id=goal,
        )
    with j.acting_as(lee, at="2026-01-03T09:00:00.000000Z"):
        tip = j.add_resource("[bold red]Offer two choices[/]", kind="tip", text="Not three.")
        j.comment(tip.id, "Try it at dinner: *pasta or rice?*")
    with j.acting_as(ana, at="2026-01-04T09:00:00.000000Z"):
        j.acknowledge(tip.id)
        j.comment(tip.id, "It worked with the shoes too.")
    with j.acting_as(lee, at="2026-01-05T09:00:00.000000Z"):
        j.add_resource("Timers for transitions", kind="video", url="https://example.org/timers")
    j.save()
    return journal


def test_sessions(snap_compare, tmp_path: Path) -> None:
    journal = build_journal(tmp_path)

    async def show_the_done_session(pilot: Pilot[None]) -> None:
        await settle(pilot)
        sessions = pilot.app.screen.query_one("#sessions", OptionList)
        sessions.highlighted = sessions.option_count - 2  # Tue 6 January, done, with notes
        await settle(pilot)

    app = SnapshotHarness(lambda: SessionsScreen(journal, now=lambda: NOW))
    assert snap_compare(app, terminal_size=SIZE, run_before=show_the_done_session)


def test_answering_a_change_request(snap_compare, tmp_path: Path) -> None:
    journal = build_journal(tmp_path)

    async def answer(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"Wednesday works")
        await settle(pilot)

    app = SnapshotHarness(lambda: SessionsScreen(journal, now=lambda: NOW))
    assert snap_compare(app, terminal_size=SIZE, run_before=answer)


def test_resources(snap_compare, tmp_path: Path) -> None:
    journal = build_journal(tmp_path)
    app = SnapshotHarness(lambda: ResourcesScreen(journal))
    show_the_reading = after_keys("end")  # the reading, tied to a goal, unread
    assert snap_compare(app, terminal_size=SIZE, run_before=show_the_reading)


def test_resource_with_a_thread(snap_compare, tmp_path: Path) -> None:
    journal = build_journal(tmp_path)
    app = SnapshotHarness(lambda: ResourcesScreen(journal))
    show_the_tip = after_keys("down")  # the tip: read, with its thread
    assert snap_compare(app, terminal_size=SIZE, run_before=show_the_tip)
