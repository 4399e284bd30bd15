"""The caseload (journal/caseload.py): what each journal holds for you, and its state."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from journal.caseload import (
    Case,
    caseload_calendar,
    open_case,
    read_case,
    sessions_ahead,
    sort_cases,
)
from journal.digest import whats_new
from journal.journal import Journal
from journal.keys import KekStore
from journal.model import Member
from tests.conftest import PASSPHRASE, copy_of

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # tests run with TZ=UTC: local time is UTC


def family(folder: Path, name: str = "rivera.tandem", title: str = "Sam's journal") -> Journal:
    """A journal kept by a therapist, Dr. Lee, with a parent, Ana (no key of her own)."""
    journal, _code = Journal.create(
        folder / name, title=title, name="Dr. Lee", role="therapist", passphrase=PASSPHRASE
    )
    journal.add_member("Ana", "parent")
    journal.save()
    return journal


def ana(journal: Journal) -> Member:
    return next(m for m in journal.members() if m.name == "Ana")


def make_conflict(journal: Journal) -> None:
    """One entry edited on two copies at once, then merged: a conflict to resolve."""
    entry = journal.add_entry("observation", "Park visit", occurred_at="2026-12-01T10:00")
    journal.save()
    other = copy_of(journal, "elsewhere.tandem")
    other.edit_entry(entry.id, title="Park visit (theirs)")
    other.save()
    journal.edit_entry(entry.id, title="Park visit (ours)")
    journal.merge_copy(other.path)
    journal.save()
    other.path.unlink()


def newer_format(path: Path) -> Path:
    """The journal with its format version (bytes 8-9) set to 99, checksum made to match."""
    data = bytearray(path.read_bytes())
    data[8:10] = (99).to_bytes(2, "big")
    body = bytes(data[:-32])
    path.write_bytes(body + hashlib.sha256(body).digest())
    return path


# --- what waits in one journal ------------------------------------------------------------


def test_a_case_counts_what_waits_for_you(tmp_path: Path) -> None:
    journal = family(tmp_path)
    parent = ana(journal)
    with journal.acting_as(parent.id):
        asked = journal.add_entry("question", "Fade the timer?", occurred_at="2026-12-05T20:00")
        answered = journal.add_entry("question", "Bath at 7?", occurred_at="2026-12-05T20:05")
        journal.add_entry("checkin", "Good day", occurred_at="2026-12-04T19:00")
    journal.comment(answered.id, "Yes, keep it at 7.")
    journal.add_entry("question", "My own note to self", occurred_at="2026-12-05T21:00")
    session = journal.add_session("2026-12-08T10:00", location="Clinic")
    journal.add_session("2026-12-01T10:00")  # past: not the next one
    with journal.acting_as(parent.id):
        journal.request_change(session.id, "Can we make it 11?")
    waiting = journal.add_goal("Requests a break", status="acquisition")
    done = journal.add_goal("Waits for a turn", status="mastered")
    for goal in (waiting, done):
        for day in ("2026-12-01", "2026-12-02", "2026-12-03"):
            journal.record_measurement(goal.id, correct=9, total=10, date=day)
    journal.save()
    make_conflict(journal)

    case, opened = open_case(journal.path, secret=PASSPHRASE, now=NOW)
    assert opened is not None and case.is_open
    assert case.title == "Sam's journal" and case.member == "Dr. Lee"
    assert case.questions == 1  # asked by Ana, not answered; the answered one and our own: no
    assert case.requests == 1
    assert case.conflicts == 1
    assert case.next_session == "2026-12-08T10:00"
    assert case.days_since_checkin == 3
    assert case.goals_to_confirm == 1
    assert case.new == len(whats_new(opened, now=NOW).items) > 0
    assert asked.id  # the question that waits
    line = case.line()
    assert "1 question" in line and "1 conflict" in line and "1 goal to confirm" in line
    assert "next session 2026-12-08 10:00" in line


def test_a_quiet_journal_says_nothing_new(tmp_path: Path) -> None:
    journal = family(tmp_path)
    journal.mark_seen()
    journal.save()
    case = read_case(journal.path, secret=PASSPHRASE, now=NOW)
    assert case.is_open and case.new == 0
    assert case.line() == "nothing new"


# --- states ------------------------------------------------------------------------------


def test_each_journal_that_does_not_open_has_its_own_state(tmp_path: Path) -> None:
    good = family(tmp_path, "good.tandem")
    locked = family(tmp_path, "locked.tandem")
    damaged = family(tmp_path, "damaged.tandem")
    damaged.path.write_bytes(damaged.path.read_bytes()[:200])
    newer = newer_format(family(tmp_path, "newer.tandem").path)
    other = Journal.create(
        tmp_path / "other.tandem",
        title="Other",
        name="Dr. Lee",
        role="therapist",
        passphrase="a quite different passphrase",
    )[0]
    not_journal = tmp_path / "notes.tandem"
    not_journal.write_text("hello")
    store = KekStore()
    read_case(good.path, holder=store, secret=PASSPHRASE)  # the store now holds its key

    cases = {
        path.name: read_case(path, holder=store, now=NOW)
        for path in (good.path, locked.path, damaged.path, newer, tmp_path / "gone.tandem")
    }
    cases["other.tandem"] = read_case(other.path, secret=PASSPHRASE, now=NOW)
    cases["notes.tandem"] = read_case(not_journal, secret=PASSPHRASE, now=NOW)
    states = {name: case.state for name, case in cases.items()}
    assert states == {
        "good.tandem": "ok",
        "locked.tandem": "locked",
        "damaged.tandem": "damaged",
        "newer.tandem": "newer",
        "gone.tandem": "missing",
        "other.tandem": "wrong_passphrase",
        "notes.tandem": "damaged",
    }
    for name, case in cases.items():
        assert "\n" not in case.line()
        if name != "good.tandem":
            assert case.reason and case.line().startswith(
                ("locked", "damaged", "needs a newer", "missing", "wrong passphrase")
            )
    assert "newer version of Tandem" in cases["newer.tandem"].reason
    assert "truncated" in cases["damaged.tandem"].reason


def test_what_needs_you_comes_first(tmp_path: Path) -> None:
    folder = Path("/j")
    quiet = Case(folder / "a.tandem", "ok", title="Quiet", days_since_checkin=1)
    news = Case(folder / "b.tandem", "ok", title="News", new=3, days_since_checkin=1)
    asks = Case(folder / "c.tandem", "ok", title="Asks", questions=1)
    conflicts = Case(folder / "d.tandem", "ok", title="Conflicts", conflicts=3)
    goal = Case(folder / "e.tandem", "ok", title="Goal", goals_to_confirm=1)
    locked = Case(folder / "f.tandem", "locked", "unlock it")
    damaged = Case(folder / "g.tandem", "damaged", "it is truncated")
    soon = Case(folder / "h.tandem", "ok", title="Soon", next_session="2026-12-08T09:00")
    silent = Case(folder / "i.tandem", "ok", title="Silent", days_since_checkin=9)
    ordered = sort_cases(
        [quiet, news, asks, conflicts, goal, locked, damaged, soon, silent], now=NOW
    )
    assert [case.name for case in ordered] == [
        "Conflicts",  # 3 waiting
        "Asks",
        "Goal",
        "Soon",
        "News",
        "Silent",
        "f.tandem",
        "g.tandem",
        "Quiet",
    ]


def test_json_names_path_and_state_first(tmp_path: Path) -> None:
    case = Case(tmp_path / "a.tandem", "missing", "no file at it")
    data = case.to_json()
    assert list(data)[:2] == ["path", "state"]
    assert data["path"] == str(tmp_path / "a.tandem") and data["reason"] == "no file at it"


# --- across journals -----------------------------------------------------------------------


def test_sessions_and_one_calendar_across_journals(tmp_path: Path) -> None:
    first = family(tmp_path, "rivera.tandem")
    second = family(tmp_path, "okafor.tandem", title="Mia's journal")
    first.add_session("2026-12-08T10:00", location="Clinic, room 2")
    first.add_session("2026-12-20T10:00")  # after the week
    second.add_session("2026-12-09T15:30", duration_min=45)
    cancelled = second.add_session("2026-12-10T15:30")
    second.set_session_status(cancelled.id, "cancelled")
    ahead = [s for j in (first, second) for s in sessions_ahead(j, days=7, now=NOW)]
    assert [(s.journal, s.starts_at) for s in ahead] == [
        ("Sam's journal", "2026-12-08T10:00"),
        ("Mia's journal", "2026-12-09T15:30"),
    ]
    text = caseload_calendar([first, second], days=7, now=NOW)
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 3
    assert "SUMMARY:Therapy session · rivera" in lines
    assert "SUMMARY:Therapy session (cancelled) · okafor" in lines
    assert "DTSTART:20261208T100000" in lines and "DTSTART:20261220T100000" not in lines
    assert "Sam" not in text and "Mia" not in text  # never the child's name


def test_an_empty_caseload_calendar_is_still_a_calendar() -> None:
    text = caseload_calendar([], days=7, now=NOW)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "BEGIN:VEVENT" not in text


@pytest.mark.parametrize("text", ["timer", "TIMER"])
def test_search_finds_in_every_journal(tmp_path: Path, text: str) -> None:
    from journal.caseload import search_journal

    first = family(tmp_path, "a.tandem")
    second = family(tmp_path, "b.tandem")
    first.add_entry("checkin", "Visual timer worked")
    second.add_entry("observation", "Calm", body="We used the timer at the park.")
    second.add_entry("win", "Nothing about it")
    found = [doc["title"] for j in (first, second) for doc in search_journal(j, text)]
    assert found == ["Visual timer worked", "Calm"]


# --- reading on every core ---------------------------------------------------------------


def _many(tmp_path: Path) -> list[Path]:
    good = [family(tmp_path, f"family-{n}.tandem").path for n in range(3)]
    damaged = family(tmp_path, "damaged.tandem").path
    damaged.write_bytes(damaged.read_bytes()[:120])
    return [*good, damaged, tmp_path / "gone.tandem"]


def test_worker_processes_read_the_same_cases(tmp_path: Path) -> None:
    from journal.caseload_pool import read_cases

    paths = _many(tmp_path)
    store = KekStore()
    by_workers = {
        c.path.name: c for c in read_cases(paths, secret=PASSPHRASE, holder=store, workers=2)
    }
    assert len(store) == 3  # the keys the passphrase opened came back to be held here
    here = {c.path.name: c for c in (read_case(p, holder=store, now=NOW) for p in paths)}
    assert {n: c.state for n, c in by_workers.items()} == {n: c.state for n, c in here.items()}
    assert by_workers["family-0.tandem"].title == "Sam's journal"
    again = {c.path.name: c.state for c in read_cases(paths, holder=store, workers=2)}
    assert again["family-1.tandem"] == "ok"  # the held keys went to the workers


def test_a_failed_worker_leaves_its_journals_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import journal.caseload_pool as caseload_pool

    paths = _many(tmp_path)
    monkeypatch.setattr(caseload_pool.sys, "executable", "/bin/false")
    states = {
        c.path.name: c.state for c in caseload_pool.read_cases(paths, secret=PASSPHRASE, workers=2)
    }
    assert states == {
        "family-0.tandem": "ok",
        "family-1.tandem": "ok",
        "family-2.tandem": "ok",
        "damaged.tandem": "damaged",
        "gone.tandem": "missing",
    }
