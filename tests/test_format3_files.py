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

from journal.fileformat import read_container
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
