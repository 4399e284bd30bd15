"""Member keys, signed changes and the checker (journal/identity.py, signing.py, rights.py,
membership.py, slots.py): the rules of docs/SYNC.md "Signatures" in small pieces."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from journal.crypto import KdfParams
from journal.errors import DamagedFile, WrongPassphrase
from journal.fileformat import Header, parse_container, unlock
from journal.identity import MemberKeys, PublicKeys, b64, safety_number, seal_key, unseal
from journal.journal import Journal
from journal.membership import Checker, kept_hash
from journal.merge import merge_documents
from journal.model import TABLES
from journal.signing import PREFIX, canonical, changes_of, signature_valid, value_hash
from journal.slots import keyring_entry, member_slot, open_keyring
from tests.conftest import PASSPHRASE, therapist_note

JOURNAL_ID = "9f1c0c3e6a0b4e0e9d0a3a1b7f3e2c11"
FAST = KdfParams(salt=b"0123456789abcdef", memory_kib=8, iterations=1, lanes=1)


def merge(a: dict[str, Any], b: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    return merge_documents(a, b, tables=TABLES)


# --- keys ---------------------------------------------------------------------------------


def test_member_keys_round_trip_through_a_slot_plaintext() -> None:
    keys = MemberKeys.generate("a" * 32)
    again = MemberKeys.from_plain(keys.to_plain())
    assert again == keys
    assert len(keys.sign_public) == len(keys.box_public) == 32
    assert keys.matches(PublicKeys.read(keys.public("created")))
    assert not MemberKeys.generate("a" * 32).matches(PublicKeys.read(keys.public("created")))
    assert MemberKeys.from_plain(b"short") is None


def test_sealed_keys_open_only_for_their_member_and_their_context() -> None:
    keys = MemberKeys.generate("b" * 32)
    sealed = seal_key(b"k" * 32, keys.box_public, b"context")
    assert unseal(sealed, keys.box_private, b"context") == b"k" * 32
    assert unseal(sealed, keys.box_private, b"another context") is None
    assert unseal(sealed, MemberKeys.generate("b" * 32).box_private, b"context") is None
    assert unseal({"eph": "not base64"}, keys.box_private, b"context") is None


def test_a_safety_number_is_twenty_digits_and_changes_with_the_keys() -> None:
    keys = MemberKeys.generate("c" * 32)
    number = safety_number(JOURNAL_ID, "c" * 32, keys.sign_public, keys.box_public)
    assert re.fullmatch(r"\d{5} \d{5} \d{5} \d{5}", number)
    other = MemberKeys.generate("c" * 32)
    assert number != safety_number(JOURNAL_ID, "c" * 32, other.sign_public, other.box_public)
    assert number != safety_number("0" * 32, "c" * 32, keys.sign_public, keys.box_public)


def test_a_keyring_entry_opens_for_its_member_and_epoch_only() -> None:
    keys = MemberKeys.generate("d" * 32)
    header = Header(JOURNAL_ID, [], [], format=3, epoch="e" * 16)
    header.keyring = [
        keyring_entry(JOURNAL_ID, "e" * 16, keys.member_id, keys.box_public, b"K" * 32)
    ]
    assert open_keyring(header, keys) == b"K" * 32
    header.epoch = "f" * 16  # the same entry, claimed for another epoch
    assert open_keyring(header, keys) is None
    assert open_keyring(header, MemberKeys.generate("e" * 32)) is None


def test_a_format_3_slot_binds_its_key_settings() -> None:
    keys = MemberKeys.generate("a" * 32)
    from journal.slots import secret_kek

    slot = member_slot(
        "passphrase", secret_kek("passphrase", PASSPHRASE, FAST), FAST, keys, JOURNAL_ID
    )
    header = Header(JOURNAL_ID, [slot], [], format=3, epoch="e" * 16)
    header.keyring = [
        keyring_entry(JOURNAL_ID, "e" * 16, keys.member_id, keys.box_public, b"K" * 32)
    ]
    unlocked = unlock(header, PASSPHRASE)
    assert (unlocked.key, unlocked.keys) == (b"K" * 32, keys)
    # Other settings that happen to derive the same key-encryption key do not open it.
    slot.kdf = KdfParams(salt=FAST.salt, memory_kib=8, iterations=1, lanes=1)
    assert unlock(header, PASSPHRASE).keys == keys  # equal settings: still opens
    relabelled = copy.copy(slot)
    relabelled.kind = "recovery"
    with pytest.raises(WrongPassphrase):
        unlock(Header(JOURNAL_ID, [relabelled], [], format=3, epoch="e" * 16), PASSPHRASE)


def test_a_slot_that_opens_without_a_keyring_entry_says_the_passphrase_no_longer_opens() -> None:
    keys = MemberKeys.generate("a" * 32)
    from journal.slots import secret_kek

    slot = member_slot(
        "passphrase", secret_kek("passphrase", PASSPHRASE, FAST), FAST, keys, JOURNAL_ID
    )
    with pytest.raises(WrongPassphrase, match="no longer opens"):
        unlock(Header(JOURNAL_ID, [slot], [], format=3, epoch="e" * 16), PASSPHRASE)


# --- the header of formats 3 and 4 ---------------------------------------------------------------


@pytest.mark.parametrize("lowered_to", [2, 3])
def test_a_file_says_its_format_inside_and_a_changed_version_is_altered(
    journal: Journal, lowered_to: int
) -> None:
    data = journal.path.read_bytes()
    container = parse_container(data)
    assert container.version == 4 and container.header.format == 4
    header = json.loads(data[14 : 14 + int.from_bytes(data[10:14], "big")])
    assert header["format"] == 4 and re.fullmatch(r"[0-9a-f]{16}", header["epoch"])
    assert [entry["member"] for entry in header["keyring"]] == [journal.me.id]
    lowered = bytearray(data)
    lowered[8:10] = lowered_to.to_bytes(2, "big")
    import hashlib

    lowered[-32:] = hashlib.sha256(bytes(lowered[:-32])).digest()
    with pytest.raises(DamagedFile, match="altered"):
        parse_container(bytes(lowered))


@pytest.mark.parametrize(
    ("memory_kib", "iterations"), [(2 * 1024 * 1024, 1), (1024 * 1024, 5), (65536, 65)]
)
def test_a_slot_may_not_ask_for_too_much_work(memory_kib: int, iterations: int) -> None:
    with pytest.raises(DamagedFile):
        KdfParams.from_json({**FAST.to_json(), "memory_kib": memory_kib, "iterations": iterations})


def test_a_header_may_not_hold_more_than_64_slots(journal: Journal) -> None:
    obj = journal.file.header.to_json()
    obj["slots"] = obj["slots"] * 33
    with pytest.raises(DamagedFile, match="more than 64"):
        Header.from_json(obj, obj["format"])


# --- signed changes -----------------------------------------------------------------------


def test_every_change_is_signed_over_its_values_and_context(journal: Journal) -> None:
    entry = journal.add_entry("checkin", "Monday", body="Slept well.")
    journal.edit_entry(entry.id, body="Slept well, woke once.")
    doc = journal.document()["entries"][entry.id]
    changes = changes_of("entries", entry.id, doc)
    assert len(changes) == 2
    keys = journal.file.member_keys
    assert keys is not None
    for change in changes.values():
        assert change.message(journal.journal_id).startswith(PREFIX)
        assert signature_valid(change, journal.journal_id, keys.sign_public)
    edit = next(c for c in changes.values() if not c.creation)
    creation = next(c for c in changes.values() if c.creation)
    replica, counter = creation.dot.split(":")
    assert set(edit.hashes) == {"body"} and edit.context == {replica: int(counter)}
    # The creation's replaced body is kept as a hash, so its signature still checks.
    assert creation.hashes["body"] == value_hash("Slept well.")
    assert "body" not in creation.values


def test_canonical_json_sorts_keys_and_keeps_text_as_utf8() -> None:
    assert canonical({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()
    assert value_hash(None) == value_hash(None) != value_hash("")


def forged(journal: Journal, change: Any) -> dict[str, Any]:
    """A copy of the journal's document with `change` applied to it, as a member could."""
    document = json.loads(json.dumps(journal.document()))
    change(document)
    return document


def test_a_forged_value_is_held_aside_and_reported(journal: Journal) -> None:
    entry = journal.add_entry("checkin", "Monday", body="Slept well.")
    journal.save()

    def rewrite(document: dict[str, Any]) -> None:
        document["entries"][entry.id]["body"] = "Slept badly."

    copy_doc = forged(journal, rewrite)
    merged, report = merge(journal.document(), copy_doc)
    assert merged["entries"][entry.id]["body"] == "Slept well."
    assert [(h.record_id, h.reason) for h in report.held] == [(entry.id, "invalid")]


def test_a_forged_context_cannot_make_a_newer_value_disappear(journal: Journal) -> None:
    """A copy replays the old value with a vector that claims to have seen the new one."""
    entry = journal.add_entry("checkin", "Monday", body="old")
    old_doc = json.loads(json.dumps(journal.document()))
    journal.edit_entry(entry.id, body="new")

    def replay(document: dict[str, Any]) -> None:
        record = old_doc["entries"][entry.id]
        record["vv"] = {replica: 10**6 for replica in record["vv"]}
        document["entries"][entry.id] = record

    merged, report = merge(journal.document(), forged(journal, replay))
    assert merged["entries"][entry.id]["body"] == "new"


def test_unsigned_and_reattributed_changes_are_held_aside(journal: Journal) -> None:
    lee = journal.add_member("Dr. Lee", "therapist")
    entry = journal.add_entry("checkin", "Monday")
    journal.save()

    def unsigned(document: dict[str, Any]) -> None:
        record = document["entries"][entry.id]
        dot = record["dots"]["*"]
        record["writes"][dot] = record["writes"][dot][:3]

    def reattributed(document: dict[str, Any]) -> None:
        record = document["entries"][entry.id]
        record["author"] = lee.id
        record["writes"][record["dots"]["*"]][1] = lee.id

    for change, reason in ((unsigned, "unsigned"), (reattributed, "invalid")):
        other = forged(journal, change)
        other["entries"]["f" * 32] = other["entries"].pop(entry.id)
        other["entries"]["f" * 32]["id"] = "f" * 32
        merged, report = merge(journal.document(), other)
        assert "f" * 32 not in merged["entries"]
        assert [h.reason for h in report.held] == [reason]


def test_a_removed_members_changes_count_only_as_far_as_the_remover_had_seen(
    journal: Journal,
) -> None:
    lee, seen = therapist_note(journal, "Seen before the removal")
    before = json.loads(json.dumps(journal.document()))
    journal.remove_member(lee.id)
    after = journal.document()
    removal = after["members"][lee.id]["removed"]
    dot = after["entries"][seen.id]["dots"]["*"]
    assert kept_hash(seen.id, dot) in removal["kept"]
    # A change Lee makes later (on a copy that has not heard of the removal) is cut off.
    lees = Journal.open(journal.path, PASSPHRASE)
    lees._middleware.cache = json.loads(json.dumps(before))
    with lees.acting_as(lee.id):
        late = lees.add_entry("session", "Written after the removal")
    merged, report = merge(after, lees.document())
    assert seen.id in merged["entries"] and late.id not in merged["entries"]
    assert {(h.record_id, h.reason) for h in report.held} == {(late.id, "removed")}
    # ... in either order.
    merged_back, _report = merge(lees.document(), after)
    assert late.id not in merged_back["entries"] and seen.id in merged_back["entries"]


def test_the_checker_trusts_the_local_journal_and_checks_what_a_copy_brings(
    journal: Journal,
) -> None:
    entry = journal.add_entry("checkin", "Monday", body="mine")
    journal.save()
    doc = journal.document()
    checker = Checker(journal.journal_id, trust_local=True)
    merged, report = merge_documents(doc, doc, tables=TABLES, checker=checker)
    assert report.held == [] and merged["entries"][entry.id]["body"] == "mine"
    assert b64(b"x") == "eA=="


def test_the_merge_report_names_what_was_held_aside_and_why(journal: Journal) -> None:
    from journal.merge_report import describe_merge

    lee = journal.add_member("Dr. Lee", "therapist")
    with journal.acting_as(lee.id):
        entry = journal.add_entry("session", "Session 1", body="Worked on requests.")
    journal.save()

    def rewrite(document: dict[str, Any]) -> None:
        document["entries"][entry.id]["body"] = "Nothing was done."

    before = journal.document()
    merged, report = merge(before, forged(journal, rewrite))
    described = describe_merge(report, before=before, after=merged, name="dad.tandem")
    assert described.lines() == [
        "1 change in Dr. Lee's name is not signed by their author and was not applied"
    ]
    assert described.line() == "1 change not applied: 1 by Dr. Lee not signed by their author"
    assert not described.nothing_new
    [held] = described.to_json()["held"]
    assert (held["id"], held["reason"], held["member"]) == (entry.id, "invalid", lee.id)
