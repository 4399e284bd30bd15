"""The CSV export: one file per kind of data, ready for a spreadsheet, written safely."""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

from journal.demo import write_demo_journal
from journal.errors import TandemError
from journal.journal import Journal
from journal.model import KIND_FIELDS, Comment, Measurement
from journal.reports import (
    CSV_FILES,
    csv_cell,
    csv_files,
    entry_field_columns,
    export_csv,
    export_to,
)

BOM = b"\xef\xbb\xbf"


@pytest.fixture
def demo(tmp_path: Path) -> Journal:
    """The demo journal (fixed dates)."""
    return write_demo_journal(tmp_path / "demo.tandem", today=date(2025, 6, 1))


def rows(data: bytes) -> list[dict[str, str]]:
    """A CSV file as a spreadsheet reads it: UTF-8 with its BOM, a header row."""
    assert data.startswith(BOM)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def header(data: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- the files -------------------------------------------------------------------------


def test_one_file_per_kind_of_data_with_a_header_row(demo: Journal) -> None:
    files = csv_files(demo)
    assert tuple(files) == CSV_FILES
    entries = rows(files["entries.csv"])
    assert len(entries) == len(demo.entries())
    assert len(rows(files["measurements.csv"])) == len(demo.all(Measurement))
    assert len(rows(files["comments.csv"])) == len(demo.all(Comment))
    assert len(rows(files["goals.csv"])) == len(demo.goals())
    assert len(rows(files["sessions.csv"])) == len(demo.sessions())
    assert header(files["entries.csv"])[:5] == ["id", "date", "time", "kind", "title"]
    assert "score" in header(files["measurements.csv"])
    assert "about title" in header(files["comments.csv"])
    assert "criterion met" in header(files["goals.csv"])
    assert "minutes" in header(files["sessions.csv"])


def test_entries_have_one_column_per_structured_field_of_every_kind(demo: Journal) -> None:
    columns = header(csv_files(demo)["entries.csv"])
    names = {spec.name for specs in KIND_FIELDS.values() for spec in specs}
    assert len(entry_field_columns()) == len(names)  # a shared field is one column
    for specs in KIND_FIELDS.values():
        for spec in specs:
            assert any(c == spec.label or c.startswith(spec.label + " (") for c in columns)
    assert len(columns) == len(set(columns))
    entry = demo.add_entry(
        "incident",
        "Hit at the park",
        fields={"setting": "park", "intensity": 4, "strategy_worked": "partly"},
        occurred_at="2025-05-31T17:45",
    )
    [row] = [r for r in rows(csv_files(demo)["entries.csv"]) if r["id"] == entry.id]
    assert (row["date"], row["time"], row["kind"]) == ("2025-05-31", "17:45", "ABC incident")
    assert (row["Setting"], row["Intensity (1-5)"], row["Did it work?"]) == ("park", "4", "partly")
    assert row["Bedtime"] == "" and row["author"] == "Maya Rivera"


def test_utf8_with_bom_and_crlf_line_endings(demo: Journal) -> None:
    demo.add_entry(
        "win",
        "Zoë said “más” 🎉",
        "two\nlines",
        occurred_at="2025-05-31T08:00",
    )
    for name, data in csv_files(demo).items():
        assert data.startswith(BOM), name
        body = data[len(BOM) :]
        assert body.endswith(b"\r\n"), name
        body.decode("utf-8")
        first = body.split(b"\r\n", 1)[0]
        assert b"\n" not in first
    text = csv_files(demo)["entries.csv"].decode("utf-8-sig")
    assert "Zoë said “más” 🎉" in text
    assert '"two\nlines"' in text  # a line break inside a cell stays inside its quotes


# --- formulas --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://evil.example","click")',
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "  =1+1",
        "\n=1+1",
    ],
)
def test_cells_a_spreadsheet_would_run_get_an_apostrophe(value: str) -> None:
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Slept well", "2025-03-01", "a=b", "e-mail", "", "'quoted"])
def test_ordinary_text_is_left_alone(value: str) -> None:
    assert csv_cell(value) == value


def test_numbers_stay_numbers() -> None:
    assert csv_cell(-3) == -3 and csv_cell(2.5) == 2.5
    assert csv_cell(None) == "" and csv_cell(True) == "yes"


def test_no_written_cell_starts_a_formula(demo: Journal) -> None:
    goal = demo.add_goal("=1+1 goal", description="@cmd")
    demo.record_measurement(goal.id, correct=1, total=2, note="-2+3", date="2025-05-30")
    entry = demo.add_entry(
        "question",
        '=HYPERLINK("http://evil.example")',
        "+body",
        fields={"for_whom": "@Lee"},
        tags=["=tag"],
        occurred_at="2025-05-31T08:00",
    )
    demo.comment(entry.id, "=cmd|' /C calc'!A0")
    demo.add_session("2025-06-02T10:00", location="-Home", notes="=x")
    for name, data in csv_files(demo).items():
        for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")):
            for cell in row:
                assert cell.lstrip(" \n")[:1] not in ("=", "+", "-", "@"), (name, cell)
                assert cell[:1] not in ("\t", "\r"), (name, cell)
    [row] = [r for r in rows(csv_files(demo)["entries.csv"]) if r["id"] == entry.id]
    assert row["title"] == '\'=HYPERLINK("http://evil.example")'
    assert row["body"] == "'+body" and row["For whom"] == "'@Lee"


def test_a_pseudonym_replaces_the_childs_name_in_every_file(demo: Journal) -> None:
    demo.add_entry("win", "Sam did it", "Go SAM", occurred_at="2025-05-31T08:00")
    for name, data in csv_files(demo, pseudonym="Alex").items():
        text = data.decode("utf-8-sig")
        assert not re.search(r"(?<!\w)sam(?!\w)", text, re.IGNORECASE), name
    assert "Alex did it" in csv_files(demo, pseudonym="Alex")["entries.csv"].decode("utf-8-sig")


def test_filters_narrow_the_files(demo: Journal) -> None:
    files = csv_files(demo, kind="incident", since="2025-04-01")
    entries = rows(files["entries.csv"])
    assert entries and {r["kind"] for r in entries} == {"ABC incident"}
    assert all(r["date"] >= "2025-04-01" for r in entries)
    assert all(r["date"] >= "2025-04-01" for r in rows(files["measurements.csv"]))


# --- writing -----------------------------------------------------------------------------


def test_a_zip_holds_the_files(demo: Journal, tmp_path: Path) -> None:
    out = tmp_path / "export.zip"
    assert export_csv(demo, out) == [out]
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == list(CSV_FILES)
        for name in CSV_FILES:
            data = archive.read(name)
            assert data.startswith(BOM) and rows(data) is not None
    assert out.stat().st_mode & 0o777 == 0o600
    assert export_to(demo, "csv", tmp_path / "other.ZIP") == (
        f"the export is NOT encrypted: {tmp_path / 'other.ZIP'}"
    )
    assert zipfile.is_zipfile(tmp_path / "other.ZIP")


def test_a_folder_gets_the_files(demo: Journal, tmp_path: Path) -> None:
    out = tmp_path / "new" / "csv"
    written = export_csv(demo, out)
    assert sorted(p.name for p in written) == sorted(CSV_FILES)
    assert sorted(p.name for p in out.iterdir()) == sorted(CSV_FILES)  # no temp files left
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in written)
    assert export_to(demo, "csv", out) == f"the export is NOT encrypted: {out}"
    file = tmp_path / "file.txt"
    file.write_text("keep me", encoding="utf-8")
    with pytest.raises(TandemError, match="is a file"):
        export_csv(demo, file)
    assert file.read_text(encoding="utf-8") == "keep me"


def test_writing_is_atomic(demo: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "export.zip"
    export_csv(demo, out)
    before = out.read_bytes()
    folder = tmp_path / "csv"
    export_csv(demo, folder)
    old_entries = (folder / "entries.csv").read_bytes()
    demo.add_entry("win", "A new win", occurred_at="2025-05-31T08:00")

    def failing_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(TandemError, match="disk is full"):
        export_csv(demo, out)
    with pytest.raises(TandemError):
        export_csv(demo, folder)
    monkeypatch.undo()
    assert out.read_bytes() == before  # the old export, whole
    assert (folder / "entries.csv").read_bytes() == old_entries
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv", "demo.tandem", "export.zip"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(CSV_FILES)


def test_never_over_the_journal(demo: Journal, tmp_path: Path) -> None:
    before = demo.path.read_bytes()
    with pytest.raises(TandemError):
        export_csv(demo, demo.path)
    with pytest.raises(TandemError):
        export_csv(demo, demo.path.with_suffix(".tandem"))
    assert demo.path.read_bytes() == before
    # a journal named like an export file: in the folder, or as the zip
    named = write_demo_journal(tmp_path / "goals.csv", today=date(2025, 6, 1))
    journal_bytes = named.path.read_bytes()
    with pytest.raises(TandemError, match="journal"):
        export_csv(named, tmp_path)
    assert named.path.read_bytes() == journal_bytes
    assert not (tmp_path / "entries.csv").exists()  # refused before writing any file
    zipped = write_demo_journal(tmp_path / "family.zip", today=date(2025, 6, 1))
    zipped_bytes = zipped.path.read_bytes()
    with pytest.raises(TandemError, match="journal"):
        export_csv(zipped, zipped.path)
    with pytest.raises(TandemError, match="Tandem journal"):
        export_csv(demo, zipped.path)  # another journal is refused too
    assert zipped.path.read_bytes() == zipped_bytes
