"""Sessions as a calendar (journal.reports.ics, `tandem export --format ics`): stable
UIDs, updates that a calendar takes (SEQUENCE, STATUS:CANCELLED), RFC 5545 escaping and
line folding."""

from __future__ import annotations

from pathlib import Path

from journal.journal import Journal
from journal.reports import export_to
from journal.reports.ics import escape_text, export_ics, fold_line
from tests.test_cli import Cli, run  # noqa: F401  (the fixture)

NOW = "2026-01-05T08:00:00.000000Z"


def unfold(text: str) -> list[str]:
    """The calendar's logical lines (RFC 5545 unfolding)."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def events(text: str) -> dict[str, dict[str, str]]:
    """UID -> the event's properties (name -> value)."""
    found: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT" and current is not None:
            found[current["UID"]] = current
            current = None
        elif current is not None and ":" in line:
            name, _colon, value = line.partition(":")
            current.setdefault(name, value)
    return found


def test_planned_moved_cancelled_and_deleted_sessions(journal: Journal) -> None:
    planned = journal.add_session(
        "2026-01-08T16:00", duration_min=45, location="Clinic; room 2", notes="Bring shoes"
    )
    moving = journal.add_session("2026-01-15T16:00")
    cancelled = journal.add_session("2026-01-22T16:00")
    gone = journal.add_session("2026-01-29T16:00")
    first = events(export_ics(journal, now=NOW))
    assert len(first) == 4
    uid = f"{planned.id}@sessions.tandem.invalid"
    one = first[uid]
    assert one["DTSTART"] == "20260108T160000" and one["DTEND"] == "20260108T164500"
    assert one["STATUS"] == "CONFIRMED" and one["LOCATION"] == "Clinic\\; room 2"
    assert one["DESCRIPTION"] == "Bring shoes" and one["DTSTAMP"] == "20260105T080000Z"
    assert one["SUMMARY"] == "Therapy session"
    new = journal.move_session(moving.id, "2026-01-16T10:00")
    journal.set_session_status(cancelled.id, "cancelled")
    journal.delete(gone.id)
    journal.edit_session(planned.id, notes="Bring shoes, and a snack")
    second = events(export_ics(journal, now=NOW))
    assert set(second) >= set(first) and len(second) == 5  # the same UIDs: updates
    for session in (moving, cancelled, gone):
        key = f"{session.id}@sessions.tandem.invalid"
        assert second[key]["STATUS"] == "CANCELLED"
        assert int(second[key]["SEQUENCE"]) > int(first[key]["SEQUENCE"])
    assert second[f"{moving.id}@sessions.tandem.invalid"]["DESCRIPTION"].startswith(
        "Moved to 2026-01-16 10:00."
    )
    assert "LOCATION" not in second[f"{gone.id}@sessions.tandem.invalid"]
    assert second[f"{new.id}@sessions.tandem.invalid"]["STATUS"] == "CONFIRMED"
    assert second[uid]["DESCRIPTION"] == "Bring shoes\\, and a snack"
    assert int(second[uid]["SEQUENCE"]) > int(one["SEQUENCE"]) and one["SEQUENCE"] == "0"
    text = export_ics(journal, now=NOW)
    assert text.count("BEGIN:VALARM") == 2  # planned sessions only
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")


def test_filters_and_pseudonym(journal: Journal) -> None:
    journal.update_info(child_name="Sam Rivera")
    journal.add_session("2026-01-08T16:00", notes="Sam tried the new game")
    journal.add_session("2026-02-08T16:00")
    text = export_ics(journal, now=NOW, since="2026-02-01", pseudonym="Alex")
    assert len(events(text)) == 1
    text = export_ics(journal, now=NOW, pseudonym="Alex")
    assert "Alex tried" in text and "Sam" not in text


def test_escaping_and_folding() -> None:
    assert escape_text("a\\b;c,d\r\ne\rf\x07") == "a\\\\b\\;c\\,d\\ne\\nf"
    line = "DESCRIPTION:" + "é" * 100
    folded = fold_line(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(p.removeprefix(" ") if i else p for i, p in enumerate(pieces)) == line
    assert fold_line("SHORT:x") == "SHORT:x"


def test_export_to_and_the_command_line(
    run: Cli,  # noqa: F811
    journal: Journal,
    tmp_path: Path,
) -> None:
    journal.add_session("2026-01-08T16:00")
    journal.save()
    out = tmp_path / "sessions.ics"
    warning = export_to(journal, "ics", out)
    assert "NOT encrypted" in warning and out.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    again = tmp_path / "again.ics"
    result = run("export", journal.path, "--format", "ics", "-o", again)
    assert result.code == 0 and len(events(again.read_bytes().decode("utf-8"))) == 1
