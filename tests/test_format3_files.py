"""Journals written by format 3 (tests/data/v3-*.tandem, made at commit 2982e02).

They must keep opening with every way in, merging with each other and with new
copies, and upgrade on save; `tests/data/legacy-v3.json` names their
passphrases and records.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from journal.fileformat import FORMAT_VERSION, read_container
from journal.journal import Journal
from journal.model import Entry

DATA = Path(__file__).parent / "data"
V3: dict[str, Any] = json.loads((DATA / "legacy-v3.json").read_text(encoding="utf-8"))
ANA = V3["passphrases"]["Ana Rivera"]
LEE = V3["passphrases"]["Dr. Lee Chen"]
RECORDS = V3["records"]
ANAS, LEES = "v3-family.tandem", "v3-family-lee.tandem"


@pytest.fixture
def v3(tmp_path: Path) -> Path:
    """A writable folder holding copies of the format 3 files."""
    for name in V3["files"]:
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def test_format_3_files_open_with_every_way_in(v3: Path) -> None:
    assert read_container(v3 / ANAS).version == 3
    for secret, who in ((ANA, "Ana Rivera"), (LEE, "Dr. Lee Chen")):
        journal = Journal.open(v3 / ANAS, secret, lazy=True)
        assert journal.me.name == who
        assert journal.get(Entry, RECORDS["checkin"]).title == "Good morning"
        assert journal.conflicts(RECORDS["checkin"])
        assert journal.get(Entry, RECORDS["deleted"]).deleted
        assert journal.get(Entry, RECORDS["oldest_kept"]).title.endswith("trampoline after school")
        assert len(journal.document()["entries"]) == 1202
    assert Journal.open(v3 / ANAS, V3["recovery_code"]).opened_with == "recovery"
    report = Journal.open(v3 / ANAS, ANA).verify_signatures()
    assert (report.invalid, report.unsigned) == (0, 0)


def test_format_3_copies_merge_with_each_other(v3: Path) -> None:
    lee = Journal.open(v3 / LEES, LEE)
    assert not lee.conflicts(RECORDS["checkin"])
    report = lee.merge_copy(v3 / ANAS)
    assert report.held == [] and not report.deletes_too_much()
    assert lee.conflicts(RECORDS["checkin"])
    assert lee.get(Entry, RECORDS["deleted"]).deleted


# --- the upgrade to format 4 ---------------------------------------------------------------


def rows(path: Path) -> list[bytes]:
    """The frame table's rows of a format 4 file (length and SHA-256 of each frame)."""
    layout = read_container(path).layout
    assert layout is not None
    return [frame.row() for frame in layout.frames]


@pytest.mark.parametrize("lazy", [True, False])
def test_any_members_save_upgrades_to_format_4(v3: Path, lazy: bool) -> None:
    lee = Journal.open(v3 / ANAS, LEE, lazy=lazy)
    late = lee.add_entry("session", "The first entry of format 4")
    lee.save()
    assert read_container(v3 / ANAS).version == FORMAT_VERSION == 4
    for secret in (ANA, LEE, V3["recovery_code"]):
        again = Journal.open(v3 / ANAS, secret, lazy=True)
        assert again.get(Entry, late.id).title == "The first entry of format 4"
        assert again.get(Entry, RECORDS["oldest_kept"]).title.endswith("trampoline after school")
        assert again.conflicts(RECORDS["checkin"])
        assert len(again.document()["entries"]) == 1203
    report = Journal.open(v3 / ANAS, ANA).verify_signatures()
    assert (report.invalid, report.unsigned) == (0, 0)


def test_format_3_and_4_copies_merge_both_ways(v3: Path) -> None:
    ana = Journal.open(v3 / ANAS, ANA)
    ana.add_entry("win", "Written in format 4")
    ana.save()
    lee = Journal.open(v3 / LEES, LEE)  # still format 3
    report = lee.merge_copy(v3 / ANAS)
    assert report.held == [] and not report.deletes_too_much()
    assert lee.conflicts(RECORDS["checkin"])
    lee.add_entry("session", "Session 4")
    lee.save()
    report = ana.merge_copy(v3 / LEES)
    assert report.held == [] and not report.deletes_too_much()
    assert {e.title for e in ana.all(Entry)} >= {"Session 4", "Written in format 4", "Session 3"}


def test_a_lazy_save_copies_the_sections_it_did_not_change(v3: Path) -> None:
    first = Journal.open(v3 / ANAS, ANA, lazy=True)
    first.add_entry("win", "Upgraded")
    first.save()
    before = rows(v3 / ANAS)
    assert len(before) > 2  # a head and sections
    again = Journal.open(v3 / ANAS, LEE, lazy=True)
    again.add_entry("session", "Only the head changes")
    again.save()
    after = rows(v3 / ANAS)
    assert after[0] != before[0] and after[1:] == before[1:]
    assert len(Journal.open(v3 / ANAS, ANA).document()["entries"]) == 1204
