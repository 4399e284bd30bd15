"""Snapshots of the live collectors at 80x24, the smallest terminal Tandem is made for.

The clock is fixed (a `FakeClock` moved by hand) and the tick is off, so the
pictures do not change from run to run. Update after a deliberate change to
the look with `.venv/bin/pytest tests/test_collector_snapshots.py
--snapshot-update`, and review the SVGs.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from journal.collect import Setup
from screens.collector_screen import CollectorScreen
from tests.harness import SnapshotHarness, settle, snapshot_journal
from tests.test_collect import FakeClock
from tests.test_collector_screen import Host

SMALL = (80, 24)


class CollectorApp(SnapshotHarness):
    """A plain screen, and the collector pushed over it by `show_collector`."""

    def __init__(self, folder: Path, setup: Setup, measure: str) -> None:
        journal = snapshot_journal(folder, at="2026-01-05T09:00:00.000000Z")
        super().__init__(lambda: Host(journal))
        goal = journal.add_goal("Asks for help with words", measure=measure)
        self.clock = FakeClock()
        self.collector = CollectorScreen(journal, goal, setup, clock=self.clock, tick=None)

    async def show_collector(self, pilot: Pilot[None]) -> None:
        """Push the collector over the plain screen."""
        await settle(pilot)
        await self.push_screen(self.collector)
        await settle(pilot)


def build_app(folder: Path, setup: Setup, measure: str = "percent") -> CollectorApp:
    """The collector for one goal of a new journal, over a plain screen."""
    return CollectorApp(folder, setup, measure)


def test_trial_by_trial_at_80_by_24(snap_compare, tmp_path: Path) -> None:
    app = build_app(tmp_path, Setup("trials", setting="home", observer="Maya"))

    async def take_some_trials(pilot: Pilot[None]) -> None:
        await app.show_collector(pilot)
        await pilot.press("c", "c", "x", "v", "c", "g", "c")
        app.clock.tick(252)
        app.collector.refresh_view()
        await settle(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=take_some_trials)


def test_interval_recording_at_80_by_24(snap_compare, tmp_path: Path) -> None:
    setup = Setup("interval", setting="session", observer="Dr. Lee", interval_seconds=15)
    app = build_app(tmp_path, setup)

    async def mark_some_intervals(pilot: Pilot[None]) -> None:
        await app.show_collector(pilot)
        clock, collector = app.clock, app.collector
        for key in ("y", "n", "y"):
            clock.tick(15)
            collector.tick()
            await pilot.press(key)
        clock.tick(20)
        collector.tick()  # the fourth interval ended: it waits to be marked
        await settle(pilot)
        collector.view.remove_class("-flash")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=mark_some_intervals)
