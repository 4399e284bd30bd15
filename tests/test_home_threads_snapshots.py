"""Snapshots of Home and the Threads screen over a journal whose every time is fixed.

Home's clock is pinned and local time is UTC. Update after a deliberate change
to the look with
`.venv/bin/pytest tests/test_home_threads_snapshots.py --snapshot-update`, and
review the SVGs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from journal.journal import Journal
from screens.home_screen import HomeScreen
from screens.threads_screen import ThreadsScreen
from tests.harness import SIZE, SnapshotHarness, after_keys, settle, snapshot_journal

NOW = datetime(2026, 1, 8, 12, 0, tzinfo=UTC)


def build_journal(folder: Path) -> Journal:
    """Ana's journal: she last looked on 5 January; Dr. Lee wrote since."""
    journal = snapshot_journal(folder, at="2026-01-01T09:00:00.000000Z")
    ana = journal.me.id
    with journal.acting_as(ana, at="2026-01-01T09:00:00.000000Z"):
        lee = journal.add_member("Dr. Lee", "therapist").id
        goal = journal.add_goal("Asks for help with words", status="acquisition")
        question = journal.add_entry("question", "Screen time?", occurred_at="2026-01-02T19:00")
        journal.comment(question.id, "How much is OK on school days?")
        journal.add_entry("checkin", "Morning check-in", occurred_at="2026-01-04T08:00")
        park = journal.add_entry("incident", "Meltdown at the park", occurred_at="2026-01-04T17:30")
    with journal.acting_as(lee, at="2026-01-03T10:00:00.000000Z"):
        journal.comment(park.id, "Thanks for the detail. Did the *two-minute warning* help?")
    with journal.acting_as(ana, at="2026-01-05T12:00:00.000000Z"):
        journal.comment(park.id, "A little. She walked to the car.")
        journal.mark_seen()
    with journal.acting_as(lee, at="2026-01-06T10:00:00.000000Z"):
        journal.add_entry("session", "Session 12", occurred_at="2026-01-06T09:00")
        journal.comment(question.id, "About an hour, in **short** blocks. Let's talk Friday.")
        journal.record_measurement(goal.id, correct=8, total=10, prompt="verbal")
        journal.edit_goal(goal.id, status="generalization")
        journal.add_resource("Visual schedules at home", kind="reading")
        journal.add_session("2026-01-09T15:00", location="Clinic")
        journal.add_session("2026-01-16T15:00", location="Home visit")
    with journal.acting_as(lee, at="2026-01-07T16:30:00.000000Z"):
        journal.new_topic("[bold red]Holiday[/] schedule", "Sessions pause on the *24th*.")
    with journal.acting_as(ana, at="2026-01-07T18:00:00.000000Z"):
        journal.add_entry("win", "Asked for juice with words", occurred_at="2026-01-07T17:00")
    journal.save()
    return journal


def test_home(snap_compare, tmp_path: Path) -> None:
    journal = build_journal(tmp_path)
    app = SnapshotHarness(lambda: HomeScreen(journal, now=lambda: NOW))
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_threads(snap_compare, tmp_path: Path) -> None:
    journal = build_journal(tmp_path)
    app = SnapshotHarness(lambda: ThreadsScreen(journal))
    assert snap_compare(app, terminal_size=SIZE, run_before=after_keys("down"))  # the second
