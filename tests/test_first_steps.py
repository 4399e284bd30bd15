"""Issue #13, point 6: first steps and help.

A new journal's Home says what to do first for this person's role, each one
key away; F1 lists the app's own keys first and the widgets' generic keys
under "More keys"; a damaged file's hint names this journal's backups.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable

from journal.journal import Journal
from journal.storage import data_dir
from screens.app import TandemApp
from screens.entry_form_screen import EntryFormScreen
from screens.goal_form_screen import GoalFormScreen
from screens.help_screen import MORE_KEYS, HelpScreen, keys_of
from screens.home_screen import HomeScreen
from screens.journal_screen import JournalScreen
from screens.unlock_screen import backups_of
from tests.harness import play, press, screen_text

MakeJournal = Callable[..., tuple[Journal, str]]


def test_a_new_parent_s_home_offers_a_check_in_one_key_away(journal: Journal) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        text = screen_text(app)
        assert "A new journal. What to do first:" in text
        assert "k  Write the first check-in" in text
        assert "i  Invite the other parent" in text
        assert "Add the first goal" not in text  # a therapist's step
        await press(pilot, "k")
        assert isinstance(app.screen, EntryFormScreen) and app.screen.kind == "checkin"
        assert isinstance(app.screen_stack[0], JournalScreen)

    play(TandemApp(journal, start="home", watch=False), scenario)


def test_a_new_therapist_s_home_offers_a_goal_one_key_away(make_journal: MakeJournal) -> None:
    journal, _code = make_journal(member="Dr. Lee", role="therapist")

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        text = screen_text(app)
        for step in ("g  Add the first goal", "r  Share a resource", "s  Plan a session"):
            assert step in text
        await press(pilot, "g", shows=GoalFormScreen)

    play(TandemApp(journal, start="home", watch=False), scenario)


def test_first_steps_leave_once_the_journal_has_something(journal: Journal) -> None:
    journal.add_entry("checkin", "Monday")
    journal.save()

    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, HomeScreen)
        assert "What to do first" not in screen_text(app)
        await press(pilot, "k", shows=HomeScreen)  # not a key of Home any more

    play(TandemApp(journal, start="home", watch=False), scenario)


def test_help_lists_the_app_s_keys_first_and_generic_ones_under_more_keys(
    journal: Journal,
) -> None:
    async def scenario(app: TandemApp, pilot: Pilot[None]) -> None:
        rows = keys_of(app.screen)
        wheres = [where for where, _key, _what in rows]
        assert wheres[0] == "Screens" and rows[0][2] == "Home"
        journal_rows = [i for i, where in enumerate(wheres) if where == "Journal"]
        more = wheres.index(MORE_KEYS)
        assert journal_rows and max(journal_rows) < more
        assert "Everywhere" in wheres[:more]
        generic = {where for where in wheres[more + 1 :]}
        assert generic and "Journal" not in generic and "Screens" not in generic
        await press(pilot, "f1", shows=HelpScreen)
        table = app.screen.query_one(DataTable)
        first_cells = [str(table.get_row_at(row)[0]) for row in range(table.row_count)]
        assert first_cells[0] == "Screens" and MORE_KEYS in first_cells

    play(TandemApp(journal, start="journal", watch=False), scenario)


def test_a_damaged_journal_s_hint_names_its_backups(journal: Journal) -> None:
    journal.add_entry("checkin", "Monday")
    journal.save()  # a save keeps a backup of the file before
    folder = data_dir() / "backups" / journal.journal_id
    assert folder.is_dir()
    data = bytearray(journal.path.read_bytes())
    data[-100:] = bytes(100)  # damaged near the end: the header still says whose it is
    damaged = journal.path.with_name("damaged.tandem")
    damaged.write_bytes(bytes(data))
    hint = backups_of(damaged)
    assert hint.startswith("the backups of “damaged”") and journal.journal_id in hint
    assert backups_of(Path("/nowhere/x.tandem")).startswith("one of the backups")
