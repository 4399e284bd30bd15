"""Journals written by earlier formats (tests/data, made by the release that wrote format 2).

They must keep opening, merging with each other and with new copies, and upgrade
on save; `tests/data/legacy.json` names their passphrases and records.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from journal.errors import WrongPassphrase
from journal.fileformat import FORMAT_VERSION, read_container
from journal.journal import Journal
from journal.model import Entry

DATA = Path(__file__).parent / "data"
LEGACY: dict[str, Any] = json.loads((DATA / "legacy.json").read_text(encoding="utf-8"))
ANA = LEGACY["passphrases"]["Ana Rivera"]
LEE = LEGACY["passphrases"]["Dr. Lee Chen"]
RECORDS = LEGACY["records"]


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    """A writable folder holding copies of the legacy files."""
    for name in LEGACY["files"]:
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize(("name", "version"), [("v2-family.tandem", 2), ("v1-family.tandem", 1)])
def test_legacy_files_open_with_every_way_in(legacy: Path, name: str, version: int) -> None:
    assert read_container(legacy / name).version == version
    for secret, who in ((ANA, "Ana Rivera"), (LEE, "Dr. Lee Chen")):
        journal = Journal.open(legacy / name, secret)
        assert journal.me.name == who
        assert journal.get(Entry, RECORDS["checkin"]).title == "Good morning"
        assert journal.conflicts(RECORDS["checkin"])  # Ana's and Lee's edits of the body
    assert Journal.open(legacy / name, LEGACY["recovery_code"]).opened_with == "recovery"


def test_legacy_copies_merge_with_each_other(legacy: Path) -> None:
    lee = Journal.open(legacy / "v2-family-lee.tandem", LEE)
    report = lee.merge_copy(legacy / "v1-family.tandem")
    assert not report.deletes_too_much()
    assert lee.conflicts(RECORDS["checkin"])
    assert lee.get(Entry, RECORDS["incident_deleted"]).deleted


# --- the upgrade to format 3 ---------------------------------------------------------------


def upgraded(legacy: Path) -> Journal:
    """Ana's copy after her first change and save: format 3."""
    ana = Journal.open(legacy / "v2-family.tandem", ANA)
    ana.add_entry("win", "The first entry of format 3")
    ana.save()
    return ana


def test_the_creators_first_save_upgrades_to_format_3(legacy: Path) -> None:
    ana = upgraded(legacy)
    assert read_container(legacy / "v2-family.tandem").version == FORMAT_VERSION == 4
    code = ana.take_new_recovery_code()
    assert code is not None and ana.take_new_recovery_code() is None
    assert Journal.open(legacy / "v2-family.tandem", code).opened_with == "recovery"
    with pytest.raises(WrongPassphrase):  # the old recovery code held no member keys
        Journal.open(legacy / "v2-family.tandem", LEGACY["recovery_code"])
    report = Journal.open(legacy / "v2-family.tandem", ANA).verify_signatures()
    assert (report.invalid, report.unsigned) == (0, 0)
    assert report.carried > 0 and report.verified > 0
    people = {m.name: m for m in ana.members_info()}
    assert people["Ana Rivera"].owner and people["Ana Rivera"].keys == "upgrade"
    assert people["Dr. Lee Chen"].keys == "" and not people["Dr. Lee Chen"].owner
    trust = ana.record_trust(RECORDS["session_note_by_lee"])
    assert trust.carried_by == ana.me.id and not trust.verified


def test_a_member_still_on_a_format_2_slot_gets_keys_at_their_first_save(legacy: Path) -> None:
    upgraded(legacy)
    lee = Journal.open(legacy / "v2-family.tandem", LEE)
    assert lee.file.member_keys is None
    lee.add_entry("session", "Session 2")
    lee.save()
    again = Journal.open(legacy / "v2-family.tandem", LEE)
    assert again.file.member_keys is not None and again.file.unlocked.slot.holds_member_keys
    assert {m.name: m.keys for m in again.members_info()}["Dr. Lee Chen"] == "upgrade"
    assert again.verify_signatures().invalid == 0


def test_a_member_who_is_not_the_creator_keeps_writing_format_2(legacy: Path) -> None:
    lee = Journal.open(legacy / "v2-family-lee.tandem", LEE)
    lee.add_entry("session", "Before Ana upgrades")
    lee.save()
    assert read_container(legacy / "v2-family-lee.tandem").version == 2


def test_old_copies_merge_into_an_upgraded_journal(legacy: Path) -> None:
    ana = upgraded(legacy)
    for name in ("v1-family.tandem", "v2-family-lee.tandem"):
        report = ana.merge_copy(legacy / name)
        assert report.held == [] and not report.deletes_too_much()
    # A change made on a format 2 copy after the upgrade is unsigned: held aside.
    lee = Journal.open(legacy / "v2-family-lee.tandem", LEE)
    late = lee.add_entry("session", "Written on the old copy")
    lee.save()
    report = ana.merge_copy(legacy / "v2-family-lee.tandem")
    assert {(h.record_id, h.reason) for h in report.held} == {(late.id, "unsigned")}
    assert late.id not in ana.document()["entries"]


def test_an_owner_carries_over_the_unsigned_changes_of_an_old_copy(legacy: Path) -> None:
    ana = upgraded(legacy)
    lee = Journal.open(legacy / "v2-family-lee.tandem", LEE)
    late = lee.add_entry("session", "Written on the old copy")
    lee.save()
    report = ana.merge_copy(legacy / "v2-family-lee.tandem", carry_over=True)
    assert report.held == [] and late.id in ana.document()["entries"]
    trust = ana.record_trust(late.id)
    assert trust.carried_by == ana.me.id and not trust.verified
    ana.save()
    assert Journal.open(legacy / "v2-family.tandem", ANA).verify_signatures().invalid == 0
    lees = Journal.open(legacy / "v2-family.tandem", LEE)  # not an owner
    from journal.errors import JournalLocked

    with pytest.raises(JournalLocked, match="only an owner"):
        lees.merge_copy(legacy / "v2-family-lee.tandem", carry_over=True)
