"""Owners decide membership, removal renews the key, and rights hold (issue #11, docs/MODEL.md).

Through the `Journal` API, and `tandem member ...`, `show --json` and `verify`
through the command line.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from journal.cli import main
from journal.errors import JournalLocked, UsageError, WrongPassphrase
from journal.fileformat import decrypt_payload, parse_container
from journal.journal import Journal
from journal.model import Entry
from tests.conftest import PASSPHRASE

LEE_PASSPHRASE = "dr lee's own passphrase, long enough"


def copy_of(journal: Journal, name: str) -> Path:
    journal.save()
    path = journal.path.with_name(name)
    shutil.copyfile(journal.path, path)
    return path


def invited(journal: Journal, name: str = "Dr. Lee", role: str = "therapist") -> Path:
    """Invite someone; they set their passphrase on the copy they received. Their copy."""
    _member, code = journal.invite(name, role)
    path = copy_of(journal, f"{name.split()[-1].lower()}.tandem")
    Journal.open(path, code).change_passphrase(LEE_PASSPHRASE)
    journal.merge_copy(path)
    journal.save()
    return path


# --- owners ---------------------------------------------------------------------------------


def test_the_creator_is_an_owner_and_owners_make_owners(journal: Journal) -> None:
    lee_copy = invited(journal)
    lee = Journal.open(lee_copy, LEE_PASSPHRASE)
    people = {m.name: m for m in journal.members_info()}
    assert people["Ana Rivera"].owner and not people["Dr. Lee"].owner
    assert people["Dr. Lee"].keys == "accepted"  # keys of his own, not the invitation's
    for refused in (
        lambda: lee.invite("Someone", "other"),
        lambda: lee.add_member("Someone", "other"),
        lambda: lee.remove_member(journal.me.id),
        lambda: lee.make_owner(lee.me.id),
        lambda: lee.rotate_key(),
    ):
        with pytest.raises(JournalLocked, match="only an owner"):
            refused()
    journal.make_owner(people["Dr. Lee"].id)
    assert {m.name: m.owner for m in journal.members_info()}["Dr. Lee"]
    with pytest.raises(JournalLocked, match="always an owner"):
        journal.make_owner(journal.me.id, owner=False)


def test_only_owners_change_roles(journal: Journal) -> None:
    lee = journal.add_member("Dr. Lee", "therapist")
    with journal.acting_as(lee.id):
        with pytest.raises(JournalLocked, match="only an owner changes roles"):
            journal.update_member(lee.id, role="parent")  # not even their own
        journal.update_member(lee.id, role="therapist", background="BCBA")  # the same role
    assert journal.set_role(lee.id, "other").role == "other"
    with pytest.raises(UsageError):
        journal.set_role(lee.id, "boss")
    journal.remove_member(lee.id)
    with pytest.raises(JournalLocked, match="was removed"):
        journal.set_role(lee.id, "parent")


def test_safety_numbers_and_checked_marks(journal: Journal) -> None:
    invited(journal)
    lee = next(m for m in journal.members_info() if m.name == "Dr. Lee")
    assert len(lee.safety_number) == 23 and not lee.checked
    journal.mark_checked(lee.id)
    assert next(m for m in journal.members_info() if m.id == lee.id).checked
    journal.mark_checked(lee.id, checked=False)
    assert not next(m for m in journal.members_info() if m.id == lee.id).checked
    with pytest.raises(UsageError):
        journal.find_member("nobody")
    assert journal.find_member("dr. LEE").id == lee.id


def test_one_member_cannot_write_in_anothers_place(journal: Journal) -> None:
    """The app's attack of issue #11: the mother finalizing the therapist's draft note."""
    lee = journal.add_member("Dr. Lee", "therapist")
    ana = journal.me.id
    check_in = journal.add_entry("checkin", "Monday")
    with journal.acting_as(lee.id):
        note = journal.add_entry("session", "Session 1")
        with pytest.raises(JournalLocked, match="only its author"):
            journal.edit_entry(check_in.id, body="rewritten")
        with pytest.raises(JournalLocked, match="only the member themself"):
            journal.update_member(ana, background="rewritten")
    with pytest.raises(JournalLocked, match="only its author"):
        journal.finalize(note.id)
    with pytest.raises(JournalLocked, match="only its author"):
        journal.edit_entry(note.id, body="rewritten")
    with journal.acting_as(lee.id):
        journal.finalize(note.id)
        journal.add_addendum(note.id, "The parent joined at the end.")
    assert journal.get(Entry, note.id).finalized_by == lee.id


# --- removal and the key --------------------------------------------------------------------


def test_removal_revokes_slots_renews_the_key_and_cuts_off_later_changes(
    journal: Journal,
) -> None:
    lee_copy = invited(journal)
    lee = Journal.open(lee_copy, LEE_PASSPHRASE)
    before_removal = lee.add_entry("session", "Seen by Ana before the removal")
    lee.save()
    journal.merge_copy(lee_copy)
    old_key = journal.file.unlocked.key
    journal.remove_member(journal.find_member("Dr. Lee").id)
    journal.save()
    assert journal.file.unlocked.key != old_key  # a new epoch for everything written now
    container = parse_container(journal.path.read_bytes())
    assert [entry["member"] for entry in container.header.keyring] == [journal.me.id]
    with pytest.raises(WrongPassphrase):
        Journal.open(journal.path, LEE_PASSPHRASE)
    from journal.errors import DamagedFile

    with pytest.raises(DamagedFile):  # nothing Lee ever held decrypts what comes after
        decrypt_payload(container, lee.file.unlocked.key)

    lee = Journal.open(lee_copy, LEE_PASSPHRASE)  # his copy, which has not heard of it
    after_removal = lee.add_entry("session", "Written after the removal")
    lee.save()
    report = journal.merge_copy(lee_copy)
    entries = journal.document()["entries"]
    assert before_removal.id in entries and after_removal.id not in entries
    assert {(h.record_id, h.reason) for h in report.held} == {(after_removal.id, "removed")}
    from journal.merge_report import describe_merge

    lines = describe_merge(report, after=journal.document()).lines()
    assert "1 change by Dr. Lee was made after Dr. Lee was removed and was not applied" in lines


def test_rotating_the_key_leaves_old_passphrases_and_copies_behind(journal: Journal) -> None:
    old_copy = copy_of(journal, "old.tandem")
    journal.change_passphrase("a brand new passphrase, also long")
    assert journal.rotate_key() == []
    journal.add_entry("win", "Written after the renewal")
    journal.save()
    old = Journal.open(old_copy, PASSPHRASE)  # the old passphrase still opens the old copy
    new = parse_container(journal.path.read_bytes())
    from journal.errors import DamagedFile

    with pytest.raises(DamagedFile):
        decrypt_payload(new, old.file.unlocked.key)
    assert journal.merge_copy(old_copy).held == []  # and the old copy still merges


# --- the command line -------------------------------------------------------------------------


def tandem(capsys: pytest.CaptureFixture[str], *args: object, secret: str = PASSPHRASE) -> Any:
    import os

    os.environ["TANDEM_PASSPHRASE"] = secret
    try:
        code = main([str(arg) for arg in args])
    finally:
        del os.environ["TANDEM_PASSPHRASE"]
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_member_as_json_has_every_field_but_me(journal: Journal) -> None:
    ana = journal.members_info()[0]
    assert ana.me and list(ana.to_json()) == [
        "id",
        "name",
        "role",
        "owner",
        "safety_number",
        "checked",
        "removed",
        "keys",
    ]
    assert ana.to_json()["name"] == "Ana Rivera" and ana.to_json()["owner"] is True


def test_member_commands(journal: Journal, capsys: pytest.CaptureFixture[str]) -> None:
    lee_copy = invited(journal)
    code, out, _err = tandem(capsys, "member", "list", journal.path, "--json")
    people = json.loads(out)
    assert code == 0 and [p["name"] for p in people] == ["Ana Rivera", "Dr. Lee"]
    assert set(people[0]) >= {"id", "name", "role", "owner", "safety_number", "checked", "removed"}
    code, _out, err = tandem(
        capsys, "member", "remove", lee_copy, "Ana Rivera", secret=LEE_PASSPHRASE
    )
    assert code == 1 and err.count("\n") == 1 and "only an owner" in err
    code, out, _err = tandem(capsys, "member", "owner", journal.path, "dr. lee")
    assert code == 0 and "now an owner" in out
    code, _out, err = tandem(
        capsys, "member", "role", lee_copy, "Ana Rivera", "other", secret=LEE_PASSPHRASE
    )
    assert code == 1 and "only an owner changes roles" in err  # Dr. Lee is no owner yet
    code, out, _err = tandem(capsys, "member", "role", journal.path, "dr. lee", "parent")
    assert code == 0 and "Dr. Lee is now a parent" in out
    code, out, _err = tandem(capsys, "member", "rotate", journal.path)
    assert code == 0 and "Renewed" in out
    code, out, _err = tandem(capsys, "member", "remove", journal.path, "Dr. Lee")
    assert code == 0 and "keeps every copy" in out
    code, _out, err = tandem(capsys, "member", "remove", journal.path, "Nobody")
    assert code == 2 and "no member named" in err


def test_signatures_checked_together_give_the_verdicts_of_one_by_one(journal: Journal) -> None:
    ids = [journal.add_entry("checkin", f"Day {n}", body="Slept well.").id for n in range(6)]
    journal.save()
    from journal.fileformat import encode_file

    container = parse_container(journal.path.read_bytes())
    document = decrypt_payload(container, journal.file.unlocked.key)
    document["entries"][ids[1]]["body"] = "Slept badly."  # an insider's edit, unsigned
    journal.path.write_bytes(encode_file(container.header, journal.file.unlocked.key, document))
    together = Journal.open(journal.path, PASSPHRASE).records_trust(ids)  # as `list` does
    one_by_one = [Journal.open(journal.path, PASSPHRASE).record_trust(i) for i in ids]
    assert together == one_by_one
    assert [trust.verified for trust in together] == [True, False, True, True, True, True]
    assert [len(trust.problems) for trust in together] == [0, 1, 0, 0, 0, 0]


def test_show_and_verify_report_signatures(
    journal: Journal, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = journal.add_entry("checkin", "Monday", body="Slept well.")
    journal.save()
    code, out, _err = tandem(capsys, "show", journal.path, entry.id, "--json")
    data = json.loads(out)
    assert (data["author"], data["changed_by"], data["verified"]) == (
        "Ana Rivera",
        "Ana Rivera",
        True,
    )
    code, out, _err = tandem(capsys, "verify", journal.path, "--json")
    assert code == 0 and json.loads(out)["signatures"]["invalid"] == 0
    # An insider rewrites the entry in the file itself: decrypt, edit, encrypt again.
    from journal.fileformat import encode_file

    container = parse_container(journal.path.read_bytes())
    document = decrypt_payload(container, journal.file.unlocked.key)
    document["entries"][entry.id]["body"] = "Slept badly."
    journal.path.write_bytes(encode_file(container.header, journal.file.unlocked.key, document))
    code, out, err = tandem(capsys, "verify", journal.path)
    assert code == 4 and "1 invalid" in out and "invalid signature" in err
    code, out, _err = tandem(capsys, "show", journal.path, entry.id, "--json")
    assert json.loads(out)["verified"] is False
    code, out, err = tandem(capsys, "list", journal.path, "-n", "10")
    assert code == 0 and "Monday" in out and "1 entry shown is not signed by" in err
