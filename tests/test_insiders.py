"""Insiders (issue #11): each attack of the issue, made as a member could make it.

The attacker is Dan, a member with his own passphrase. He works from the
documented format (docs/FORMAT.md): he decrypts his copy with his own keys,
edits the header or the payload, encrypts it again and recomputes the checksum,
then sends it. Ana, the owner, merges it through the API and the command line.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from journal.crypto import default_kdf_params
from journal.fileformat import Header, decrypt_payload, encode_file, parse_container, unlock
from journal.identity import MemberKeys
from journal.journal import Journal
from journal.model import Comment, Entry
from journal.slots import keyring_entry, member_slot, secret_kek
from tests.cli_harness import Result, Stderr, in_subprocess
from tests.conftest import PASSPHRASE

LEE = "lee's own passphrase, green door"
DAN = "dan's own passphrase, blue kite"
MALLORY = "the passphrase dan made up"


@dataclass
class Family:
    """Ana's journal (she is its owner), with Lee's and Dan's copies and what they wrote."""

    ana: Path
    lee: Path
    dan: Path
    recovery: str
    note: str  # Lee's finalized session note
    comment: str  # Lee's comment on Ana's check-in
    check_in: str  # Ana's check-in
    lee_id: str
    ana_id: str


def join(ana: Journal, name: str, role: str, secret: str) -> Path:
    _member, code = ana.invite(name, role)
    path = ana.path.with_name(f"{name.lower()}.tandem")
    shutil.copyfile(ana.path, path)
    Journal.open(path, code).change_passphrase(secret)
    ana.merge_copy(path)
    ana.save()
    shutil.copyfile(ana.path, path)
    return path


@pytest.fixture
def family(make_journal: Callable[..., tuple[Journal, str]]) -> Family:
    ana, recovery = make_journal()
    lee_path = join(ana, "Lee", "therapist", LEE)
    dan_path = join(ana, "Dan", "parent", DAN)
    lee = Journal.open(lee_path, LEE)
    note = lee.add_entry("session", "Session 1", body="Worked on requests.")
    lee.finalize(note.id)
    check_in = ana.add_entry("checkin", "Monday", body="Slept well.")
    ana.save()
    lee.merge_copy(ana.path)
    comment = lee.comment(check_in.id, "Good to hear.")
    lee.save()
    ana.merge_copy(lee_path)
    ana.save()
    shutil.copyfile(ana.path, dan_path)
    return Family(
        ana.path,
        lee_path,
        dan_path,
        recovery,
        note=note.id,
        comment=comment.id,
        check_in=check_in.id,
        lee_id=lee.me.id,
        ana_id=ana.me.id,
    )


# --- what an insider does with the documented format ------------------------------------------


@dataclass
class Opened:
    """A copy decrypted by hand: its header, the epoch key and the document."""

    header: Header
    key: bytes
    document: dict[str, Any]


def decrypt_as(path: Path, secret: str) -> Opened:
    container = parse_container(path.read_bytes())
    unlocked = unlock(container.header, secret)
    return Opened(container.header, unlocked.key, decrypt_payload(container, unlocked.key))


def encrypt(opened: Opened, path: Path) -> Path:
    """Encrypt again with the epoch key and a recomputed checksum, as `encode_file` does."""
    path.write_bytes(encode_file(opened.header, opened.key, opened.document))
    return path


def tandem(*args: object, secret: str = PASSPHRASE) -> Result:
    """The command line in a subprocess, as a person runs it."""
    return in_subprocess(*args, stderr=Stderr(), module="journal", passphrase=secret)


# --- 1. lock-out ------------------------------------------------------------------------------


def locked_out_copy(family: Family, *, take_lees_keys: bool = False) -> Path:
    """Dan revokes every other slot, the recovery slot too, and adds a slot in Lee's name
    holding keys of his own, with a keyring entry for it. With `take_lees_keys`, he also
    writes those keys into Lee's member record, so that his slot opens the copy as Lee."""
    opened = decrypt_as(family.dan, DAN)
    header = opened.header
    mine = [s for s in header.slots if decrypt_ok(header, s)]
    header.revoked_slots = [s.id for s in header.slots if s not in mine]
    header.slots = list(mine)
    fake = MemberKeys.generate(family.lee_id)
    kdf = default_kdf_params()
    slot = member_slot(
        "passphrase", secret_kek("passphrase", MALLORY, kdf), kdf, fake, header.journal_id
    )
    header.slots.append(slot)
    header.keyring.append(
        keyring_entry(header.journal_id, header.epoch, family.lee_id, fake.box_public, opened.key)
    )
    lee = opened.document["members"][family.lee_id]
    lee["slots"] = {**lee.get("slots", {}), slot.id: slot.binding()}
    if take_lees_keys:
        lee["keys"] = fake.public("accepted", **{"from": lee["keys"]})
    return encrypt(opened, family.dan.with_name("dan-lockout.tandem"))


def decrypt_ok(header: Header, slot: Any) -> bool:
    try:
        alone = Header(
            header.journal_id, [slot], [], format=3, epoch=header.epoch, keyring=header.keyring
        )
        unlock(alone, DAN)
    except Exception:
        return False
    return True


def test_a_copy_cannot_lock_the_others_out_or_add_a_slot_in_someone_elses_name(
    family: Family,
) -> None:
    forged = locked_out_copy(family)
    ana = Journal.open(family.ana, PASSPHRASE)
    report = ana.merge_copy(forged)
    ana.save()
    assert report.held  # the binding of the fake slot was not signed by anyone entitled
    assert Journal.open(family.ana, PASSPHRASE).me.id == family.ana_id
    assert Journal.open(family.ana, family.recovery).opened_with == "recovery"
    assert Journal.open(family.ana, LEE).me.id == family.lee_id
    with pytest.raises(Exception, match="passphrase"):
        Journal.open(family.ana, MALLORY)
    # Through the command line: Ana merges the copy; her passphrase and code still open it.
    result = tandem("merge", family.ana, forged)
    assert result.code == 0, result.err
    for secret in (PASSPHRASE, family.recovery, LEE):
        assert tandem("list", family.ana, secret=secret).code == 0
    assert tandem("list", family.ana, secret=MALLORY).code == 3


def test_a_slot_in_someone_elses_name_does_not_let_you_write_as_them(family: Family) -> None:
    from journal.errors import DamagedFile

    with pytest.raises(DamagedFile, match="altered"):  # the record's keys are not the slot's
        Journal.open(locked_out_copy(family), MALLORY)
    # With Lee's keys rewritten in the copy, Dan opens it as Lee and comments as Lee.
    forged = locked_out_copy(family, take_lees_keys=True)
    mallory = Journal.open(forged, MALLORY)
    assert mallory.me.id == family.lee_id
    fake = mallory.comment(family.check_in, "Stop the therapy.")
    mallory.save()
    ana = Journal.open(family.ana, PASSPHRASE)
    report = ana.merge_copy(forged)
    ana.save()
    assert fake.id not in ana.document()["comments"]
    assert {h.record_id for h in report.held} >= {fake.id, family.lee_id}
    assert Journal.open(family.ana, LEE).me.id == family.lee_id  # Lee's real keys stand
    result = tandem("merge", family.ana, forged)
    assert result.code == 0 and "not applied" in result.out


# --- 2. forgery --------------------------------------------------------------------------------


def forged_copy(family: Family, change: Callable[[dict[str, Any], Family], None]) -> Path:
    opened = decrypt_as(family.dan, DAN)
    change(opened.document, family)
    return encrypt(opened, family.dan.with_name("dan-forged.tandem"))


def rewrite_the_finalized_note(document: dict[str, Any], family: Family) -> None:
    note = document["entries"][family.note]
    note["body"] = "Nothing was worked on."
    note["vv"] = {replica: 10**6 for replica in note["vv"]}


def rewrite_the_comment(document: dict[str, Any], family: Family) -> None:
    document["comments"][family.comment]["body"] = "This is worrying."


def reattribute_the_check_in(document: dict[str, Any], family: Family) -> None:
    check_in = document["entries"][family.check_in]
    check_in["author"] = family.lee_id
    for info in check_in["writes"].values():
        info[1] = family.lee_id


def sign_as_myself_what_is_not_mine(document: dict[str, Any], family: Family) -> None:
    """Dan rewrites Lee's note and signs it with his own, valid key: a right he lacks."""
    dan = Journal.open(family.dan, DAN)
    note = dan.document()["entries"][family.note]
    from journal.merge import apply_local_change

    dot, hlc, member, wall = f"{dan.replica}:99", "999999999999999:00000", dan.me.id, "now"
    new = apply_local_change(note, {**note, "body": "Rewritten by Dan"}, dot, hlc, member, wall)
    from journal.signing import sign_change

    keys = dan.file.member_keys
    assert keys is not None
    new["writes"][dot] = sign_change(
        keys,
        dan.journal_id,
        "entries",
        family.note,
        dot,
        new["writes"][dot],
        dict(note["vv"]),
        {"body": "Rewritten by Dan"},
    )
    document["entries"][family.note] = new


@pytest.mark.parametrize(
    ("forgery", "reason"),
    [
        (rewrite_the_finalized_note, "invalid"),
        (rewrite_the_comment, "invalid"),
        (reattribute_the_check_in, "invalid"),
        (sign_as_myself_what_is_not_mine, "refused"),
    ],
)
def test_forged_changes_are_held_aside_and_named(
    family: Family, forgery: Callable[[dict[str, Any], Family], None], reason: str
) -> None:
    forged = forged_copy(family, forgery)
    ana = Journal.open(family.ana, PASSPHRASE)
    before = json.dumps(ana.document(), sort_keys=True)
    report = ana.merge_copy(forged)
    assert report.held and {h.reason for h in report.held} == {reason}
    assert json.dumps(ana.document(), sort_keys=True) == before  # nothing of it applied
    assert ana.get(Entry, family.note).body == "Worked on requests."
    assert ana.get(Comment, family.comment).body == "Good to hear."
    assert ana.get(Entry, family.check_in).author == family.ana_id
    assert ana.record_trust(family.note).verified
    lines = ana.describe_merge(report)
    assert any("not applied" in line for line in lines), lines


def test_the_command_line_names_forged_changes_and_verify_exits_4(family: Family) -> None:
    forged = forged_copy(family, rewrite_the_finalized_note)
    result = tandem("merge", family.ana, forged)
    assert result.code == 0, result.err
    assert "not applied" in result.out
    assert "Worked on requests." in tandem("show", family.ana, family.note).out
    # The forged file itself: opened directly, verify finds the forgery.
    verified = tandem("verify", forged, secret=DAN)
    assert verified.code == 4 and "invalid signature" in verified.err
    shown = json.loads(tandem("show", forged, family.note, "--json", secret=DAN).out)
    assert shown["verified"] is False


# --- 3. removal ---------------------------------------------------------------------------


def test_a_removed_member_reads_nothing_new_with_any_key_they_held(family: Family) -> None:
    old_copy = family.dan.with_name("dan-before.tandem")
    shutil.copyfile(family.dan, old_copy)
    result = tandem("member", "remove", family.ana, "Dan")
    assert result.code == 0, result.err
    assert "keeps every copy" in result.out
    assert tandem("add", family.ana, "--kind", "win", "--title", "After").code == 0
    assert tandem("list", family.ana, secret=DAN).code == 3
    assert tandem("list", old_copy, secret=DAN).code == 0  # what he had, he keeps
    # Every key Dan ever held: his slot's keys and the epoch keys in his old copy.
    opened = decrypt_as(old_copy, DAN)
    keys = [opened.key, *(e_key for e_key in _epoch_keys(opened.document))]
    container = parse_container(family.ana.read_bytes())
    from journal.errors import DamagedFile

    for key in keys:
        with pytest.raises(DamagedFile):
            decrypt_payload(container, key)


def _epoch_keys(document: dict[str, Any]) -> list[bytes]:
    from journal.membership import epoch_keys

    return list(epoch_keys(document.get("epochs") or {}).values())


def test_a_used_invite_code_opens_nothing_written_after_a_renewal(family: Family) -> None:
    """The email with the file and the code, kept after Sam joined: with a renewal of the
    key, neither the code nor any key it gave opens what is written afterwards."""
    ana = Journal.open(family.ana, PASSPHRASE)
    _member, code = ana.invite("Sam", "other")
    email = family.ana.with_name("sam-invite.tandem")
    shutil.copyfile(family.ana, email)  # the copy in the email, with the code
    sam = family.ana.with_name("sam.tandem")
    shutil.copyfile(family.ana, sam)
    Journal.open(sam, code).change_passphrase("sam's own passphrase, red door")
    assert tandem("merge", family.ana, sam).code == 0
    assert tandem("member", "rotate", family.ana).code == 0
    assert tandem("add", family.ana, "--kind", "win", "--title", "After").code == 0
    assert tandem("list", family.ana, secret=code).code == 3
    old = decrypt_as(email, code)  # what the code ever gave
    container = parse_container(family.ana.read_bytes())
    from journal.errors import DamagedFile
    from journal.slots import open_keyring

    assert open_keyring(container.header, unlock(old.header, code).keys) is None  # type: ignore[arg-type]
    for key in (old.key, *_epoch_keys(old.document)):
        with pytest.raises(DamagedFile):
            decrypt_payload(container, key)


# --- 4. roles in the app (the program refuses; the merge holds aside) -----------------------


def test_the_mother_cannot_finalize_or_edit_the_therapists_note(family: Family) -> None:
    lee = Journal.open(family.lee, LEE)
    draft = lee.add_entry("session", "Session 2 (draft)")
    lee.save()
    result = tandem("merge", family.ana, family.lee)
    assert result.code == 0, result.err
    refused = tandem("finalize", family.ana, draft.id)
    assert refused.code == 1 and refused.err.count("\n") == 1
    assert "only its author" in refused.err
    edited = tandem("edit", family.ana, draft.id, "--body", "Changed by the mother")
    assert edited.code == 1 and "only its author" in edited.err


# --- 5. a drive delivers a destructive copy in place ----------------------------------------


def test_a_destructive_copy_delivered_by_the_drive_is_held_by_the_command_line(
    family: Family,
) -> None:
    ana = Journal.open(family.ana, PASSPHRASE)
    for number in range(8):
        ana.add_entry("win", f"Win {number}")
    ana.save()
    shutil.copyfile(family.ana, family.dan)
    dan = Journal.open(family.dan, PASSPHRASE)  # Ana's laptop copy, say
    for entry in dan.entries():
        if entry.kind == "win":
            dan.delete(entry.id)
    dan.save()
    journal = Journal.open(family.ana, PASSPHRASE)  # open while the drive delivers
    journal.add_entry("checkin", "Written meanwhile")
    shutil.copyfile(family.dan, family.ana)
    report = journal.save()
    assert report is not None and report.held_copy is not None
    titles = {entry.title for entry in Journal.open(family.ana, PASSPHRASE).entries()}
    assert {"Win 0", "Win 7", "Written meanwhile"} <= titles
    assert [h.path for h in journal.held_copies()] == [Path(report.held_copy)]
