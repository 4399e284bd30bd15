"""Tests for the `.tandem` container (journal/fileformat.py) and its crypto (journal/crypto.py)."""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
import zstandard
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal import crypto, fileformat
from journal.crypto import (
    KdfParams,
    default_kdf_params,
    derive_kek,
    new_invite_code,
    new_journal_key,
    new_recovery_code,
    normalize_code,
)
from journal.errors import DamagedFile, NewerFormat, NotATandemFile, TandemError, WrongPassphrase
from journal.fileformat import (
    FORMAT_VERSION,
    HEAD_ENTRIES,
    HEAD_ENTRIES_MAX,
    MAGIC,
    SECTION_ENTRIES,
    Container,
    Header,
    KeySlot,
    decrypt_payload,
    divide,
    encode_file,
    joined,
    make_slot,
    open_payload,
    parse_container,
    peek_journal_id,
    read_container,
    seal,
    shared_passphrase_kdf,
    unlock,
)

PASSPHRASE = "correct horse battery staple"
SECOND_PASSPHRASE = "Zoë's therapist, room 4"
RECOVERY = "0123456789ABCDEFGHJKMNPQR"  # contains 0 and 1, to test O/I/L typing
RECOVERY_DISPLAY = "01234-56789-ABCDE-FGHJK-MNPQR"
JOURNAL_ID = "9f1c0c3e6a0b4e0e9d0a3a1b7f3e2c11"
MEMBER_A = "a" * 32
MEMBER_B = "0123456789abcdef0123456789abcdef"
FAST = KdfParams(salt=b"0123456789abcdef", memory_kib=8, iterations=1, lanes=1)

SECRET_STRINGS = [
    "Sam's Saturday journal",
    "Matilda Quinnell",
    "Jordan Avery",
    "Dr. Priya Raman",
    "meltdown at the supermarket",
]


def sample_document() -> dict[str, Any]:
    """A small journal document naming people, in the layout of docs/FORMAT.md."""
    return {
        "tandem": 1,
        "_default": {},
        "meta": {
            "journal": {
                "title": "Sam's Saturday journal",
                "child": {"name": "Matilda Quinnell", "born": "2017-03-02"},
            }
        },
        "members": {
            MEMBER_A: {"name": "Jordan Avery", "role": "parent"},
            MEMBER_B: {"name": "Dr. Priya Raman", "role": "therapist"},
        },
        "entries": {
            "e1": {"title": "meltdown at the supermarket", "body": "Ärger, then calm. 🌧️→🌤️"}
        },
        "goals": {},
        "measurements": {},
        "comments": {},
        "resources": {},
        "sessions": {},
    }


def new_header(key: bytes, *, compression: str = "zlib", kdf: KdfParams | None = FAST) -> Header:
    """A header with a passphrase slot for member A and a recovery slot."""
    return Header(
        journal_id=JOURNAL_ID,
        slots=[
            make_slot("passphrase", PASSPHRASE, key, JOURNAL_ID, MEMBER_A, kdf=kdf),
            make_slot("recovery", RECOVERY_DISPLAY, key, JOURNAL_ID, None),
        ],
        revoked_slots=[],
        compression=compression,
    )


def open_bytes(data: bytes, secret: str) -> dict[str, Any]:
    """All seven reading steps."""
    container = parse_container(data)
    unlocked = unlock(container.header, secret)
    return decrypt_payload(container, unlocked.key)


def frame(header_bytes: bytes, ciphertext: bytes, version: int = 2) -> bytes:
    """Assemble a format 2 file around the given parts with correct lengths and checksum."""
    body = (
        MAGIC
        + version.to_bytes(2, "big")
        + len(header_bytes).to_bytes(4, "big")
        + header_bytes
        + len(ciphertext).to_bytes(8, "big")
        + ciphertext
    )
    return body + hashlib.sha256(body).digest()


def reseal(data: bytes) -> bytes:
    """Recompute the checksum of a (modified) file, as a forger would."""
    return data[:-32] + hashlib.sha256(data[:-32]).digest()


# Built once with explicit cheap parameters (no dependence on the environment),
# for the hypothesis tests, which cannot use function-scoped fixtures.
_KEY = bytes(range(32))
_SMALL_HEADER = Header(
    journal_id=JOURNAL_ID,
    slots=[make_slot("passphrase", PASSPHRASE, _KEY, JOURNAL_ID, MEMBER_A, kdf=FAST)],
    revoked_slots=[],
)
SMALL_FILE = encode_file(_SMALL_HEADER, _KEY, {"tandem": 1, "entries": {"e": {"t": "hi"}}})


# --- round trip -----------------------------------------------------------------------------


@pytest.mark.parametrize("compression", ["zlib", "none"])
def test_round_trip(compression: str) -> None:
    key = new_journal_key()
    header = new_header(key, compression=compression)
    data = encode_file(header, key, sample_document())
    assert data.startswith(MAGIC)
    assert open_bytes(data, PASSPHRASE) == sample_document()
    container = parse_container(data)
    assert container.header == header
    assert container.aad == data[: 14 + len(header.to_bytes())]
    unlocked = unlock(container.header, PASSPHRASE)
    assert unlocked.key == key
    assert unlocked.member_id == MEMBER_A
    assert unlocked.slot.kind == "passphrase"


def test_layout_matches_the_spec() -> None:
    key = new_journal_key()
    header = new_header(key)
    data = encode_file(header, key, sample_document())
    header_len = int.from_bytes(data[10:14], "big")
    payload_len = int.from_bytes(data[14 + header_len : 22 + header_len], "big")
    assert data[8:10] == b"\x00\x02"
    assert len(data) == 54 + header_len + payload_len
    assert data[-32:] == hashlib.sha256(data[:-32]).digest()
    header_bytes = data[14 : 14 + header_len]
    obj = json.loads(header_bytes)
    assert header_bytes == json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()
    assert set(obj) == {
        "journal_id",
        "cipher",
        "compression",
        "payload_nonce",
        "slots",
        "revoked_slots",
    }
    slot = obj["slots"][0]
    assert set(slot) == {"id", "kind", "created", "kdf", "nonce", "wrapped"}
    assert set(slot["kdf"]) == {"name", "salt", "memory_kib", "iterations", "lanes"}
    assert slot["kdf"]["name"] == "argon2id"
    assert len(slot["id"]) == 16
    assert slot["created"].endswith("Z") and len(slot["created"]) == 20


def test_reader_accepts_any_valid_json_header() -> None:
    key = new_journal_key()
    header = new_header(key)
    data = encode_file(header, key, sample_document())
    container = parse_container(data)
    pretty = json.dumps(header.to_json(), indent=2).encode()
    forged = frame(pretty, container.ciphertext)
    # The reader parses it; the payload is bound to the exact header bytes, so it is damaged.
    assert parse_container(forged).header == header
    with pytest.raises(DamagedFile):
        open_bytes(forged, PASSPHRASE)


def test_read_container_and_peek(tmp_path: Path) -> None:
    key = new_journal_key()
    data = encode_file(new_header(key), key, sample_document())
    path = tmp_path / "family.tandem"
    path.write_bytes(data)
    assert peek_journal_id(path) == JOURNAL_ID
    assert read_container(str(path)).ciphertext == parse_container(data).ciphertext


# --- errors and their messages --------------------------------------------------------------


def error_of(data: bytes, secret: str = PASSPHRASE) -> TandemError:
    with pytest.raises(TandemError) as info:
        open_bytes(data, secret)
    message = str(info.value)
    assert message and "\n" not in message
    return info.value


def altered_in_the_middle(data: bytes) -> bytes:
    """`data` with one bit flipped halfway through."""
    altered = bytearray(data)
    altered[len(altered) // 2] ^= 0x20
    return bytes(altered)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        pytest.param(b"", "it is empty", id="empty"),
        pytest.param(MAGIC[:5], "it is truncated (only 5 bytes long)", id="magic-prefix"),
        pytest.param(
            reseal(SMALL_FILE[:8] + b"\x00\x00" + SMALL_FILE[10:]),
            "its format version (0) is not valid",
            id="version-zero",
        ),
        pytest.param(
            SMALL_FILE[:40], "it is truncated (it ends inside its header)", id="inside-header"
        ),
        pytest.param(
            SMALL_FILE + b"P.S. remember the dentist\n",
            "something was appended after its end (26 bytes too many)",
            id="appended",
        ),
        pytest.param(
            altered_in_the_middle(SMALL_FILE),
            "it was altered (its checksum does not match)",
            id="altered",
        ),
    ],
)
def test_a_damaged_file_says_why(data: bytes, why: str) -> None:
    err = error_of(data)
    assert type(err) is DamagedFile
    assert str(err) == f"this file is damaged: {why}"


@pytest.mark.parametrize(
    "data",
    [b"hello", b"hello world, this is text", b"%PDF-1.7\n" + bytes(100), b"\x89PNG\r\n\x1a\n"],
)
def test_not_a_tandem_file(data: bytes) -> None:
    err = error_of(data)
    assert type(err) is NotATandemFile
    assert str(err) == "this is not a Tandem journal"


def test_line_ending_conversion_is_not_a_tandem_file_with_a_hint() -> None:
    converted = SMALL_FILE.replace(b"\r\n", b"\n")
    err = error_of(converted)
    assert type(err) is NotATandemFile
    assert str(err).startswith("this is not a Tandem journal (it looks like one altered")


def test_newer_format() -> None:
    data = SMALL_FILE[:8] + (FORMAT_VERSION + 1).to_bytes(2, "big") + SMALL_FILE[10:]
    err = error_of(data)
    assert type(err) is NewerFormat
    assert str(err) == (
        f"this journal was written by a newer version of Tandem (format {FORMAT_VERSION + 1}); "
        "update Tandem to open it"
    )


def test_newer_format_is_reported_even_if_the_rest_is_unknown() -> None:
    err = error_of(MAGIC + (7).to_bytes(2, "big") + b"whatever a future layout holds")
    assert type(err) is NewerFormat
    assert "(format 7)" in str(err)


def test_truncated_tail_message() -> None:
    key = new_journal_key()
    data = encode_file(new_header(key), key, sample_document())
    err = error_of(data[:-120])
    assert type(err) is DamagedFile
    assert str(err) == "this file is damaged: it is truncated (missing its last 120 bytes)"


def test_wrong_passphrase_message() -> None:
    for secret in ["correct horse battery stapler", "", "CORRECT HORSE BATTERY STAPLE"]:
        err = error_of(SMALL_FILE, secret)
        assert type(err) is WrongPassphrase
        assert str(err) == "wrong passphrase or recovery code"


def test_unencodable_passphrase_is_just_wrong() -> None:
    err = error_of(SMALL_FILE, "bad \udcff surrogate")
    assert type(err) is WrongPassphrase


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.tandem"
    with pytest.raises(TandemError) as info:
        read_container(path)
    assert str(info.value) == f"no journal at {path}"


def test_unreadable_path(tmp_path: Path) -> None:
    with pytest.raises(TandemError) as info:
        read_container(tmp_path)
    assert str(info.value) == f"cannot read {tmp_path}: Is a directory"


def test_permission_denied_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    path = tmp_path / "x.tandem"
    with pytest.raises(TandemError) as info:
        read_container(path)
    assert str(info.value) == f"cannot read {path}: Permission denied"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "locked.tandem"
    path.write_bytes(SMALL_FILE)
    path.chmod(0)
    with pytest.raises(TandemError) as info:
        read_container(path)
    assert str(info.value) == f"cannot read {path}: Permission denied"


# --- damage is always detected, and never as a wrong passphrase ------------------------------


@pytest.mark.parametrize("mask", [0x01, 0x80, 0xFF])
def test_every_single_byte_flip_is_detected(mask: int) -> None:
    for i in range(len(SMALL_FILE)):
        data = bytearray(SMALL_FILE)
        data[i] ^= mask
        with pytest.raises(TandemError) as info:
            open_bytes(bytes(data), PASSPHRASE)
        err = info.value
        if i < 8:
            assert type(err) is NotATandemFile, (i, err)
        elif i < 10:
            assert type(err) in (NewerFormat, DamagedFile), (i, err)
        else:
            assert type(err) is DamagedFile, (i, err)


def test_every_truncation_is_damaged() -> None:
    for n in range(len(SMALL_FILE)):
        with pytest.raises(DamagedFile) as info:
            open_bytes(SMALL_FILE[:n], PASSPHRASE)
        assert str(info.value).startswith("this file is damaged: "), n


@pytest.mark.parametrize(
    "extra", [b"\n", b"\x00", b"hello", b'{"entries": {}}', SMALL_FILE, bytes(10_000)]
)
def test_appended_bytes_are_damaged(extra: bytes) -> None:
    with pytest.raises(DamagedFile):
        open_bytes(SMALL_FILE + extra, PASSPHRASE)


def test_forged_payload_with_recomputed_checksum_is_damaged() -> None:
    key = new_journal_key()
    data = bytearray(encode_file(new_header(key), key, sample_document()))
    data[-40] ^= 0x01  # inside the payload
    forged = reseal(bytes(data))
    container = parse_container(forged)  # the checksum now matches
    unlocked = unlock(container.header, PASSPHRASE)  # and the key is right
    assert unlocked.key == key
    with pytest.raises(DamagedFile) as info:
        decrypt_payload(container, unlocked.key)
    assert str(info.value) == (
        "this file is damaged: its contents fail their integrity check (they were altered)"
    )


def test_forged_header_field_with_recomputed_checksum_is_damaged() -> None:
    key = new_journal_key()
    header = new_header(key)
    data = encode_file(header, key, sample_document())
    container = parse_container(data)
    header.compression = "none"
    forged = frame(header.to_bytes(), container.ciphertext)
    with pytest.raises(DamagedFile):
        open_bytes(forged, PASSPHRASE)


def test_undecodable_payload_under_the_right_key_is_damaged() -> None:
    key = new_journal_key()
    header = new_header(key, compression="none")
    data = encode_file(header, key, {})
    container = parse_container(data)
    for body in [b"not json", b"[1, 2]", b"\xff\xfe"]:
        container.ciphertext = crypto.aead_encrypt(key, header.payload_nonce, body, container.aad)
        with pytest.raises(DamagedFile):
            decrypt_payload(container, key)
    header.compression = "zlib"
    data = encode_file(header, key, {})
    container = parse_container(data)
    container.ciphertext = crypto.aead_encrypt(
        key, header.payload_nonce, b"not deflated", container.aad
    )
    with pytest.raises(DamagedFile):
        decrypt_payload(container, key)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("journal_id", "not hex"),
        ("journal_id", 5),
        ("cipher", "ChaCha20"),
        ("compression", "brotli"),
        ("payload_nonce", "AAAA"),
        ("payload_nonce", "!!!"),
        ("slots", {}),
        ("slots", [1]),
        ("revoked_slots", [1]),
        ("revoked_slots", None),
    ],
)
def test_malformed_header_is_damaged(field: str, value: object) -> None:
    obj = _SMALL_HEADER.to_json()
    obj[field] = value
    forged = frame(json.dumps(obj).encode(), parse_container(SMALL_FILE).ciphertext)
    with pytest.raises(DamagedFile) as info:
        parse_container(forged)
    assert str(info.value).startswith("this file is damaged: its header is not valid (")


@pytest.mark.parametrize(
    "header_bytes", [b"", b"[]", b"null", b"{", b"\xff{}", b"[" * 100_000, b'{"a": 1e999999}']
)
def test_header_that_is_not_a_json_object_is_damaged(header_bytes: bytes) -> None:
    with pytest.raises(DamagedFile):
        parse_container(frame(header_bytes, bytes(32)))


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("name", "scrypt"),
        ("salt", "c2hvcnQ="),  # 5 bytes
        ("memory_kib", 7),
        ("memory_kib", 2**40),
        ("memory_kib", True),
        ("iterations", 0),
        ("iterations", 10**6),
        ("lanes", 0),
        ("lanes", 1.0),
    ],
)
def test_malformed_kdf_params_are_damaged(key: str, value: object) -> None:
    d = FAST.to_json()
    d[key] = value
    with pytest.raises(DamagedFile):
        KdfParams.from_json(d)


def test_kdf_params_json_round_trip() -> None:
    params = default_kdf_params()
    assert KdfParams.from_json(json.loads(json.dumps(params.to_json()))) == params
    with pytest.raises(DamagedFile):
        KdfParams.from_json([])


def test_payload_shorter_than_a_tag_is_damaged() -> None:
    with pytest.raises(DamagedFile):
        parse_container(frame(_SMALL_HEADER.to_bytes(), b"short"))


# --- secrets, codes and slots ---------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        RECOVERY_DISPLAY,
        RECOVERY,
        RECOVERY_DISPLAY.lower(),
        "01234 56789 abcde fghjk mnpqr",
        "O1234-56789-ABCDE-FGHJK-MNPQR",
        "o I 2 3 4 5 6 7 8 9 a b c d e f g h j k m n p q r",
        "0l234-56789-abcde-fghjk-mnpqr",
        "  01234-56789-ABCDE-FGHJK-MNPQR\n",
    ],
)
def test_recovery_code_opens_with_typing_variations(typed: str) -> None:
    key = new_journal_key()
    data = encode_file(new_header(key), key, sample_document())
    assert open_bytes(data, typed) == sample_document()
    unlocked = unlock(parse_container(data).header, typed)
    assert unlocked.slot.kind == "recovery"
    assert unlocked.member_id is None
    assert unlocked.key == key


def test_wrong_recovery_code() -> None:
    key = new_journal_key()
    data = encode_file(new_header(key), key, sample_document())
    with pytest.raises(WrongPassphrase):
        open_bytes(data, new_recovery_code())


def test_invite_code_opens_and_names_its_member() -> None:
    key = new_journal_key()
    header = new_header(key)
    code = new_invite_code()
    header.slots.append(make_slot("invite", code, key, JOURNAL_ID, MEMBER_B))
    data = encode_file(header, key, sample_document())
    unlocked = unlock(parse_container(data).header, code.lower().replace("-", " "))
    assert (unlocked.slot.kind, unlocked.member_id) == ("invite", MEMBER_B)


def test_code_shaped_passphrase_still_opens_its_passphrase_slot() -> None:
    key = new_journal_key()
    passphrase = "abcd-efgh-jkmn-pqrs"  # reads as an invite code, but is a passphrase
    header = Header(JOURNAL_ID, [make_slot("passphrase", passphrase, key, JOURNAL_ID, None)], [])
    assert unlock(header, passphrase).key == key
    with pytest.raises(WrongPassphrase):
        unlock(header, passphrase.upper())  # passphrases are not normalised


def test_passphrase_is_nfc_normalised() -> None:
    key = new_journal_key()
    composed, decomposed = "caf\u00e9 au lait", "cafe\u0301 au lait"
    header = Header(JOURNAL_ID, [make_slot("passphrase", composed, key, JOURNAL_ID, None)], [])
    assert unlock(header, decomposed).key == key
    assert derive_kek(composed, FAST) == derive_kek(decomposed, FAST)
    assert len(derive_kek(composed, FAST)) == 32


def test_codes() -> None:
    alphabet = set(crypto.CROCKFORD_ALPHABET)
    recovery = new_recovery_code()
    groups = recovery.split("-")
    assert [len(g) for g in groups] == [5] * 5 and set("".join(groups)) <= alphabet
    invite = new_invite_code()
    groups = invite.split("-")
    assert [len(g) for g in groups] == [4] * 4 and set("".join(groups)) <= alphabet
    assert normalize_code(recovery) == recovery.replace("-", "")
    assert normalize_code(invite.lower()) == invite.replace("-", "")
    assert len({new_recovery_code() for _ in range(50)}) == 50
    for not_a_code in ["", "hello", RECOVERY + "0", RECOVERY[:-1], "U" * 25, "correct horse"]:
        assert normalize_code(not_a_code) is None


def test_make_slot_rejects_bad_arguments() -> None:
    key = new_journal_key()
    with pytest.raises(ValueError):
        make_slot("recovery", "not a code", key, JOURNAL_ID, None)
    with pytest.raises(ValueError):
        make_slot("recovery", new_invite_code(), key, JOURNAL_ID, None)
    with pytest.raises(ValueError):
        make_slot("invite", new_recovery_code(), key, JOURNAL_ID, None)
    with pytest.raises(ValueError):
        make_slot("owner", PASSPHRASE, key, JOURNAL_ID, None)
    with pytest.raises(ValueError):
        make_slot("passphrase", PASSPHRASE, key[:16], JOURNAL_ID, None)
    with pytest.raises(ValueError):
        make_slot("passphrase", PASSPHRASE, key, JOURNAL_ID, "Jordan")


def test_slot_cannot_be_moved_to_another_journal() -> None:
    key = new_journal_key()
    slot = make_slot("passphrase", PASSPHRASE, key, JOURNAL_ID, None)
    other = Header("0" * 32, [slot], [])
    with pytest.raises(WrongPassphrase):
        unlock(other, PASSPHRASE)
    relabelled = KeySlot(slot.id, "recovery", slot.created, slot.kdf, slot.nonce, slot.wrapped)
    with pytest.raises(WrongPassphrase):
        unlock(Header(JOURNAL_ID, [relabelled], []), PASSPHRASE)


def test_plaintext_appears_nowhere_in_the_file() -> None:
    for compression in ["zlib", "none"]:
        key = new_journal_key()
        header = new_header(key, compression=compression)
        data = encode_file(header, key, sample_document())
        header_bytes = header.to_bytes()
        for text in SECRET_STRINGS + [PASSPHRASE, RECOVERY]:
            for encoded in {text.encode("utf-8"), text.lower().encode("utf-8")}:
                assert encoded not in data, (compression, text)
                assert encoded not in header_bytes
        assert key not in data


def test_fresh_nonce_every_encode() -> None:
    key = new_journal_key()
    header = new_header(key)
    nonces = set()
    files = set()
    for _ in range(20):
        files.add(encode_file(header, key, sample_document()))
        nonces.add(header.payload_nonce)
        assert len(header.payload_nonce) == 12
    assert len(nonces) == 20 and len(files) == 20
    payloads = {parse_container(f).ciphertext[:32] for f in files}
    assert len(payloads) == 20


def test_fresh_salts_and_slot_ids() -> None:
    key = new_journal_key()
    slots = [make_slot("passphrase", PASSPHRASE, key, JOURNAL_ID, None) for _ in range(5)]
    assert len({s.kdf.salt for s in slots}) == 5
    assert len({s.id for s in slots}) == 5
    assert len({s.nonce for s in slots}) == 5


# --- key derivation runs once per distinct parameter set -----------------------------------


@pytest.fixture
def kdf_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[KdfParams]]:
    calls: list[KdfParams] = []
    real = fileformat.derive_kek

    def counting(secret: str, params: KdfParams) -> bytes:
        calls.append(params)
        return real(secret, params)

    monkeypatch.setattr(fileformat, "derive_kek", counting)
    yield calls


def two_member_header(key: bytes) -> Header:
    header = new_header(key, kdf=None)
    shared = shared_passphrase_kdf(header)
    assert shared is not None
    header.slots.append(
        make_slot("passphrase", SECOND_PASSPHRASE, key, JOURNAL_ID, MEMBER_B, kdf=shared)
    )
    return header


def test_unlock_derives_once_for_shared_passphrase_params(kdf_calls: list[KdfParams]) -> None:
    key = new_journal_key()
    header = two_member_header(key)
    kdf_calls.clear()
    unlocked = unlock(header, SECOND_PASSPHRASE)
    assert (unlocked.key, unlocked.member_id) == (key, MEMBER_B)
    assert len(kdf_calls) == 1
    kdf_calls.clear()
    with pytest.raises(WrongPassphrase):
        unlock(header, "nobody's passphrase")
    assert len(kdf_calls) == 1  # the recovery slot is not tried for a non-code


def test_unlock_tries_codes_first(kdf_calls: list[KdfParams]) -> None:
    key = new_journal_key()
    header = two_member_header(key)
    kdf_calls.clear()
    assert unlock(header, RECOVERY_DISPLAY.lower()).slot.kind == "recovery"
    assert kdf_calls == [header.slots[1].kdf]
    kdf_calls.clear()
    with pytest.raises(WrongPassphrase):
        unlock(header, new_recovery_code())
    assert len(kdf_calls) == 2  # the recovery slot, then the one passphrase group


def test_revoked_slots_do_not_open() -> None:
    key = new_journal_key()
    header = two_member_header(key)
    old = header.slots[0]
    header.revoked_slots.append(old.id)
    data = encode_file(header, key, sample_document())
    with pytest.raises(WrongPassphrase):
        open_bytes(data, PASSPHRASE)
    assert open_bytes(data, SECOND_PASSPHRASE) == sample_document()
    assert shared_passphrase_kdf(header) == header.slots[2].kdf
    header.revoked_slots.append(header.slots[2].id)
    assert shared_passphrase_kdf(header) is None


# --- parameters -----------------------------------------------------------------------------


def test_default_params_without_the_test_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TANDEM_TEST_FAST_KDF", raising=False)
    params = default_kdf_params()
    assert params.memory_kib >= 65536
    assert params.iterations >= 3
    assert params.lanes == 4
    assert len(params.salt) == 16
    assert default_kdf_params().salt != params.salt
    assert KdfParams(salt=b"s" * 16) == KdfParams(b"s" * 16, 65536, 3, 4)
    assert KdfParams.name == "argon2id"
    monkeypatch.setenv("TANDEM_TEST_FAST_KDF", "0")
    assert default_kdf_params().memory_kib >= 65536


def test_fast_params_only_with_the_test_setting() -> None:
    params = default_kdf_params(salt=b"x" * 16)
    assert (params.memory_kib, params.iterations, params.lanes) == (8, 1, 1)
    assert params.salt == b"x" * 16
    assert len(derive_kek("x", params)) == 32


def test_zlib_payload_is_compressed() -> None:
    key = new_journal_key()
    document = {"entries": {str(i): {"body": "we practised breathing " * 20} for i in range(50)}}
    packed = encode_file(new_header(key), key, document)
    plain = encode_file(new_header(key, compression="none"), key, document)
    assert len(packed) < len(plain) / 5
    head = {**document, "sections": []}  # one frame: the head, listing no sections
    raw = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode()
    frame_table = 4 + 8
    assert len(parse_container(plain).ciphertext) == frame_table + len(raw) + 16
    assert zlib.decompress(zlib.compress(raw)) == raw


def test_encode_rejects_what_is_not_json() -> None:
    key = new_journal_key()
    with pytest.raises(ValueError):
        encode_file(new_header(key), key, {"x": "lone surrogate \ud800"})
    with pytest.raises(ValueError):
        encode_file(new_header(key), key, {1: "keys must be text"})  # type: ignore[dict-item]


# --- fuzzing --------------------------------------------------------------------------------


def only_tandem_errors(data: bytes) -> None:
    """Run every reading step that the data gets to; only TandemErrors may come out."""
    try:
        container = parse_container(data)
    except TandemError:
        return
    assert isinstance(container, Container)
    if any(s.kdf.memory_kib > 1024 or s.kdf.iterations > 4 for s in container.header.slots):
        return  # a forged, expensive slot: parsing it was the point
    try:
        unlocked = unlock(container.header, PASSPHRASE)
        decrypt_payload(container, unlocked.key)
    except TandemError:
        return


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_only_raise_tandem_errors(data: bytes) -> None:
    only_tandem_errors(data)


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 3), st.binary(max_size=300))
def test_arbitrary_bytes_after_the_magic_only_raise_tandem_errors(
    version: int, rest: bytes
) -> None:
    only_tandem_errors(MAGIC + version.to_bytes(2, "big") + rest)


mutation = st.one_of(
    st.tuples(st.just("set"), st.integers(0, len(SMALL_FILE) - 1), st.integers(0, 255)),
    st.tuples(st.just("insert"), st.integers(0, len(SMALL_FILE)), st.integers(0, 255)),
    st.tuples(st.just("delete"), st.integers(0, len(SMALL_FILE) - 1), st.just(0)),
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutation, min_size=1, max_size=8), st.booleans())
def test_mutations_of_a_valid_file_only_raise_tandem_errors(
    mutations: list[tuple[str, int, int]], recompute_checksum: bool
) -> None:
    data = bytearray(SMALL_FILE)
    for op, position, value in mutations:
        position = min(position, len(data) - 1 if op != "insert" else len(data))
        if op == "set" and data:
            data[position] = value
        elif op == "insert":
            data.insert(position, value)
        elif op == "delete" and data:
            del data[position]
    mutated = bytes(data)
    if recompute_checksum and len(mutated) >= 32:
        mutated = reseal(mutated)
    if mutated == SMALL_FILE:
        return
    only_tandem_errors(mutated)
    if not recompute_checksum:
        with pytest.raises(TandemError):
            parse_container(mutated)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["argon2id", "passphrase", "recovery", "AAAAAAAAAAAAAAAA", JOURNAL_ID]),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
header_paths = st.sampled_from(
    [
        ("journal_id",),
        ("cipher",),
        ("compression",),
        ("payload_nonce",),
        ("slots",),
        ("revoked_slots",),
        ("slots", 0),
        ("slots", 0, "id"),
        ("slots", 0, "kind"),
        ("slots", 0, "created"),
        ("slots", 0, "kdf"),
        ("slots", 0, "kdf", "salt"),
        ("slots", 0, "kdf", "memory_kib"),
        ("slots", 0, "kdf", "iterations"),
        ("slots", 0, "kdf", "lanes"),
        ("slots", 0, "nonce"),
        ("slots", 0, "wrapped"),
    ]
)


@settings(max_examples=500, deadline=None)
@given(header_paths, json_values)
def test_forged_headers_with_valid_checksums_only_raise_tandem_errors(
    path: tuple[str | int, ...], value: object
) -> None:
    obj: Any = _SMALL_HEADER.to_json()
    target = obj
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    header_bytes = json.dumps(obj).encode("utf-8", "surrogatepass")
    only_tandem_errors(frame(header_bytes, parse_container(SMALL_FILE).ciphertext))


def test_both_argon2_implementations_derive_the_same_key() -> None:
    """argon2-cffi (two threads) and `cryptography` (the fallback) must agree, or files lock."""
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    from journal.crypto import KdfParams, derive_kek

    params = KdfParams(salt=b"0123456789abcdef", memory_kib=1024, iterations=2, lanes=4)
    expected = Argon2id(
        salt=params.salt, length=32, iterations=2, lanes=4, memory_cost=1024
    ).derive("pässwörd".encode())
    assert derive_kek("pässwörd", params) == expected


# --- version 2: the head and sections of older entries -------------------------------


def many_entries(count: int, start: int = 0) -> dict[str, dict[str, Any]]:
    """`count` entry records, one a day from 2025-01-01 (with `start` days skipped)."""
    entries = {}
    for n in range(start, start + count):
        day = date(2025, 1, 1) + timedelta(days=n)
        entry_id = f"{n:032x}"
        entries[entry_id] = {
            "id": entry_id,
            "title": f"entry {n}",
            "occurred_at": f"{day.isoformat()}T08:00",
            "created_at": f"{day.isoformat()}T09:00:00.000000Z",
        }
    return entries


def payload_of(data: bytes, key: bytes) -> Any:
    return open_payload(parse_container(data), key)


def test_older_entries_go_into_sections_and_come_back_whole() -> None:
    key = new_journal_key()
    count = HEAD_ENTRIES + 2 * SECTION_ENTRIES + 7
    document = {"tandem": 1, "members": {"m": {"id": "m"}}, "entries": many_entries(count)}
    data = encode_file(new_header(key), key, document)
    payload = payload_of(data, key)
    assert [s.count for s in payload.sections] == [SECTION_ENTRIES, SECTION_ENTRIES, 7]
    head = payload.head["entries"]
    assert len(head) == HEAD_ENTRIES
    newest_day = f"{date(2025, 1, 1) + timedelta(days=count - 1)}T08:00"
    assert max(e["occurred_at"] for e in head.values()) == newest_day
    assert payload.cutoff is not None
    assert all((e["occurred_at"], e["created_at"]) > payload.cutoff for e in head.values())
    assert payload.head["members"] == document["members"]
    assert "sections" not in payload.head
    assert open_bytes(data, PASSPHRASE) == document


def test_a_small_journal_is_one_frame() -> None:
    key = new_journal_key()
    document = {"tandem": 1, "entries": many_entries(HEAD_ENTRIES)}
    payload = payload_of(encode_file(new_header(key), key, document), key)
    assert payload.sections == [] and payload.cutoff is None
    assert payload.document() == document


def test_kept_sections_are_written_back_untouched_until_the_head_spills() -> None:
    key = new_journal_key()
    document = {"tandem": 1, "entries": many_entries(HEAD_ENTRIES + SECTION_ENTRIES)}
    first = payload_of(encode_file(new_header(key, compression="zstd"), key, document), key)
    head = first.head
    head["entries"].update(many_entries(5, start=5000))
    same_head, kept = divide(head, first.sections, "zstd")
    assert [s.frame for s in kept] == [s.frame for s in first.sections]
    assert len(same_head["entries"]) == HEAD_ENTRIES + 5
    head["entries"].update(many_entries(HEAD_ENTRIES_MAX, start=6000))
    spilled_head, grown = divide(head, first.sections, "zstd")
    assert len(spilled_head["entries"]) == HEAD_ENTRIES
    assert grown[0].frame == first.sections[0].frame and len(grown) == 2
    data = joined(seal(new_header(key, compression="zstd"), key, spilled_head, grown))
    whole = open_bytes(data, PASSPHRASE)
    assert whole["entries"].keys() == {**document["entries"], **head["entries"]}.keys()


def v1_file(key: bytes, document: dict[str, Any]) -> bytes:
    """A journal as format version 1 wrote it: one zstd frame of the whole document."""
    header = new_header(key, compression="zstd")
    header.payload_nonce = bytes(12)
    header_bytes = header.to_bytes()
    aad = MAGIC + (1).to_bytes(2, "big") + len(header_bytes).to_bytes(4, "big") + header_bytes
    body = zstandard.ZstdCompressor().compress(orjson.dumps(document))
    ciphertext = AESGCM(key).encrypt(header.payload_nonce, body, aad)
    return frame(header_bytes, ciphertext, version=1)


def test_format_1_files_are_still_read() -> None:
    key = new_journal_key()
    document = {"tandem": 1, "entries": many_entries(HEAD_ENTRIES * 3)}
    data = v1_file(key, document)
    assert parse_container(data).version == 1
    assert open_bytes(data, PASSPHRASE) == document
    assert payload_of(data, key).sections == []


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\x00\x00\x00\x00",
        b"\x00\x00\x00\x02" + (5).to_bytes(8, "big"),
        b"\x00\x00\x00\x01" + (9).to_bytes(8, "big") + b"short",
        b"\x00\x00\x00\x01" + (2).to_bytes(8, "big") + b"{}" + b"extra",
    ],
    ids=["empty", "no frames", "table cut", "frame cut", "bytes after"],
)
def test_a_payload_with_a_broken_frame_table_is_damaged(body: bytes) -> None:
    key = new_journal_key()
    header = new_header(key, compression="none")
    header.payload_nonce = bytes(12)
    header_bytes = header.to_bytes()
    aad = MAGIC + (2).to_bytes(2, "big") + len(header_bytes).to_bytes(4, "big")
    ciphertext = AESGCM(key).encrypt(header.payload_nonce, body, aad + header_bytes)
    err = error_of(frame(header_bytes, ciphertext))
    assert type(err) is DamagedFile
    assert str(err).startswith("this file is damaged")


def test_sections_are_compressed_harder_than_the_head_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A section is written once and copied by every later save: level SECTION_LEVEL.
    from journal.compression import SECTION_LEVEL, ZSTD_LEVEL, compress
    from journal.section_search import dump_lines

    monkeypatch.setattr(fileformat, "HEAD_ENTRIES", 3)
    monkeypatch.setattr(fileformat, "SECTION_ENTRIES", 5)
    entries = {
        f"e{n:02d}": {
            "id": f"e{n:02d}",
            "occurred_at": f"2025-01-{n + 1:02d}T08:00",
            "created_at": f"2025-01-{n + 1:02d}T08:00:00.000000Z",
            "body": f"Day {n}: " + "slept well, ate well, played at the park. " * 20,
        }
        for n in range(18)
    }
    head, sections = divide({"entries": entries}, None, "zstd")
    assert sorted(head["entries"]) == ["e15", "e16", "e17"]
    assert [s.count for s in sections] == [5, 5, 5]
    for section in sections:
        members = sorted(section.parsed or {}, key=lambda key: entries[key]["occurred_at"])
        plain = dump_lines([(key, orjson.dumps(entries[key])) for key in reversed(members)])
        assert section.size == len(plain)
        assert section.frame == compress(plain, "zstd", level=SECTION_LEVEL)
        assert len(section.frame) <= len(compress(plain, "zstd", level=ZSTD_LEVEL))
    assert [max(s.parsed or {}) for s in sections] == ["e14", "e09", "e04"]  # newest first
