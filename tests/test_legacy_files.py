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

from journal.fileformat import read_container
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
