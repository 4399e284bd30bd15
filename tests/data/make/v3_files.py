"""Write tests/data/v3-*.tandem with the release that writes format 3 (kept for the record).

    TANDEM_TEST_FAST_KDF=1 python tests/data/make/v3_files.py OUT_FOLDER

Ran once at commit 2982e02 (format 3); its output is committed and must never be
made again by a later release. It prints what tests/data/legacy.json's "v3" says.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from journal.journal import Journal

ANA = "ana's v3 passphrase, red kite"
LEE = "lee's v3 passphrase, grey door"


def main(out: Path) -> None:
    ana_path, lee_path = out / "v3-family.tandem", out / "v3-family-lee.tandem"
    ana, recovery = Journal.create(
        ana_path,
        title="Sam's journal",
        name="Ana Rivera",
        role="parent",
        passphrase=ANA,
        child_name="Sam",
    )
    _member, code = ana.invite("Dr. Lee Chen", "therapist")
    checkin = ana.add_entry(
        "checkin", "Good morning", "Ate breakfast, calm.", occurred_at="2026-11-01T08:00"
    )
    goal = ana.add_goal("Asks for help with words", measure="percent")
    older = [
        ana.add_entry(
            "observation",
            f"Day {n}: trampoline after school",
            f"Note {n}",
            occurred_at=f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T17:00",
        )
        for n in range(1, 1201)
    ]
    ana.comment(checkin.id, "Thanks for writing this down.")
    ana.save()
    shutil.copyfile(ana_path, lee_path)
    Journal.open(lee_path, code).change_passphrase(LEE)
    lee = Journal.open(lee_path, LEE)
    note = lee.add_entry(
        "session", "Session 3", "Worked on requests.", occurred_at="2026-11-02T10:00"
    )
    lee.comment(checkin.id, "Lovely. Did he ask for the juice with words?")
    lee.record_measurement(goal.id, correct=7, total=10, prompt="verbal", date="2026-11-02")
    lee.save()
    on_lees = Journal.open(lee_path, ANA)  # Ana, on the laptop that holds Lee's copy
    on_lees.edit_entry(checkin.id, body="Ate breakfast, calm. And asked for juice!")
    on_lees.save()
    lee_before = lee_path.read_bytes()
    ana = Journal.open(ana_path, ANA)
    ana.edit_entry(checkin.id, body="Ate breakfast, calm, and sang.")
    ana.delete(older[0].id)
    ana.merge_copy(lee_path)
    ana.save()
    lee_path.write_bytes(lee_before)
    print(
        json.dumps(
            {
                "files": {
                    "v3-family.tandem": "Ana's copy (format 3, 1,202 entries in sections): "
                    "Ana created it, invited Lee, merged Lee's copy, so the check-in's body "
                    "is in conflict",
                    "v3-family-lee.tandem": "Lee's copy (format 3) before Ana's merge: "
                    "his session note, a measurement, a comment, and Ana's edit of the "
                    "check-in made on that copy",
                },
                "passphrases": {"Ana Rivera": ANA, "Dr. Lee Chen": LEE},
                "recovery_code": recovery,
                "journal_id": ana.journal_id,
                "records": {
                    "checkin": checkin.id,
                    "session_note_by_lee": note.id,
                    "goal": goal.id,
                    "deleted": older[0].id,
                    "oldest_kept": older[1].id,
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
