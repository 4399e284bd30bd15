"""Sync through the command line: merge, sync, invite, conflicts and resolve (issue 3).

Each failure mode users reported (../shared/notes/sync-and-format.md, 1-13)
that the command line can show is played here with real copies of one
journal file, as two people exchanging it by email or a shared drive would.
Most runs call `journal.cli.main([...])` in-process; a few run the real
command (`python -m journal`) in a subprocess. No run may print a traceback.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from journal.cli import terminal
from journal.fileformat import FORMAT_VERSION
from journal.journal import Journal
from tests.cli_harness import ROOT, Cli, Result, Stderr, in_process, in_subprocess
from tests.conftest import PASSPHRASE

LEE_PASSPHRASE = "dr lee's own passphrase"
FULL_ID = re.compile(r"^[0-9a-f]{32}$")
INVITE_CODE = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$")
DAY_MS = 24 * 3600 * 1000
QUIET_LINES = ("no entries", "no goals", "no records in conflict", "")


# --- helpers ------------------------------------------------------------------------


STDERR = Stderr(prefixes=("tandem: ", "From "), quiet=QUIET_LINES)


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run `main(args)` in-process with a passphrase in TANDEM_PASSPHRASE and no terminal."""
    return in_process(monkeypatch, capsys, STDERR)


def run_subprocess(
    *args: object, passphrase: str | None = PASSPHRASE, env: dict[str, str] | None = None
) -> Result:
    """Run `python -m journal` with no controlling terminal and the test environment."""
    return in_subprocess(*args, stderr=STDERR, module="journal", passphrase=passphrase, env=env)


def new_journal(run: Cli, path: Path) -> str:
    """`tandem new` by Ana Rivera, a parent; returns the recovery code."""
    result = run(
        "new", path, "--title", "Sam's journal", "--name", "Ana Rivera", "--role", "parent"
    )
    assert result.code == 0, result.err
    return result.out.splitlines()[-1]


def add(run: Cli, path: Path, title: str, *args: object, **options: Any) -> str:
    """`tandem add` that must succeed; returns the new id."""
    result = run("add", path, "--kind", "checkin", "--title", title, *args, **options)
    assert result.code == 0, result.err
    assert FULL_ID.fullmatch(result.line)
    return result.line


def listing(run: Cli, path: Path, *args: object, **options: Any) -> list[dict[str, Any]]:
    result = run("list", path, "--json", *args, **options)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert isinstance(data, list)
    return data


def shown(run: Cli, path: Path, record_id: str, **options: Any) -> dict[str, Any]:
    result = run("show", path, record_id, "--json", **options)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert isinstance(data, dict)
    return data


def merge(run: Cli, path: Path, *others: object, **options: Any) -> Result:
    """`tandem merge` that must succeed."""
    result = run("merge", path, *others, **options)
    assert result.code == 0, (result.out, result.err)
    return result


def copy_file(source: Path, name: str) -> Path:
    """The file sent by email: a byte-for-byte copy beside the original."""
    target = source.with_name(name)
    shutil.copyfile(source, target)
    return target


@dataclass
class Pair:
    """Ana's journal and the copy Dr Lee works in, under Lee's own passphrase."""

    ana: Path
    lee: Path
    recovery: str


LEE = {"passphrase": LEE_PASSPHRASE}


@pytest.fixture
def pair(run: Cli, tmp_path: Path) -> Pair:
    """Ana creates the journal and invites Dr Lee, who sets a passphrase on the copy sent."""
    ana = tmp_path / "family.tandem"
    recovery = new_journal(run, ana)
    code = run("invite", ana, "--name", "Dr Lee", "--role", "therapist").out.splitlines()[-1]
    lee = copy_file(ana, "lee.tandem")
    done = run("passwd", lee, passphrase=code, env={"TANDEM_NEW_PASSPHRASE": LEE_PASSPHRASE})
    assert done.code == 0, done.err
    return Pair(ana, lee, recovery)


def both_ways(run: Cli, pair: Pair) -> tuple[Result, Result]:
    """Each merges the other's copy (email both ways)."""
    first = merge(run, pair.ana, pair.lee)
    second = merge(run, pair.lee, pair.ana, **LEE)
    return first, second


# --- 1. both edit the same entry; resolving it everywhere ------------------------------


def test_two_copies_edit_one_entry_then_resolve_keep_on_both(run: Cli, pair: Pair) -> None:
    entry = add(run, pair.ana, "Tuesday check-in", "--body", "Slept badly.")
    merge(run, pair.lee, pair.ana, **LEE)
    assert run("edit", pair.ana, entry, "--body", "Slept badly, woke at 3.").code == 0
    # Only an entry's author edits it (issue #11): Ana, on her other copy.
    assert run("edit", pair.lee, entry, "--body", "Slept badly. Melatonin?").code == 0

    report, _back = both_ways(run, pair)
    assert "From lee.tandem: entries +0 ~1 -0" in report.out
    assert "1 conflict: Tuesday check-in (body)" in report.out
    assert "Saved" in report.out

    for path, options in ((pair.ana, {}), (pair.lee, LEE)):
        data = shown(run, path, entry, **options)
        versions = data["conflicts"]
        assert [(v["field"], v["version"]) for v in versions] == [("body", 1), ("body", 2)]
        assert {v["value"] for v in versions} == {
            "Slept badly, woke at 3.",
            "Slept badly. Melatonin?",
        }
        assert {v["author"] for v in versions} == {"Ana Rivera"}
        assert versions[0]["shown"] and versions[0]["value"] == data["body"]
        assert all(v["at"] and v["dot"] for v in versions)
        assert data["deleted_by_other"] is None

    text = run("show", pair.ana, entry[:8]).out
    assert "! Conflict in body" in text
    assert "Version 1 (shown), by" in text and "Version 2, by" in text
    assert "Ana Rivera" in text and "Slept badly. Melatonin?" in text
    assert f"tandem resolve {pair.ana} {entry[:8]} --keep N" in text

    table = run("list", pair.ana)
    assert table.out.splitlines()[0].split()[0] == "!"
    assert "1 record has a conflict to resolve" in table.err
    assert [r["id"] for r in listing(run, pair.ana, "--conflicts")] == [entry]

    lees = next(
        v["version"]
        for v in shown(run, pair.ana, entry)["conflicts"]
        if v["value"] == "Slept badly. Melatonin?"
    )
    resolved = run("resolve", pair.ana, entry[:8], "--keep", lees)
    assert resolved.code == 0, resolved.err
    assert resolved.line == entry
    after = shown(run, pair.ana, entry)
    assert after["conflicts"] == [] and after["body"] == "Slept badly. Melatonin?"
    assert listing(run, pair.ana, "--conflicts") == []

    back = merge(run, pair.lee, pair.ana, **LEE)
    assert "1 conflict resolved on that copy" in back.out
    theirs = shown(run, pair.lee, entry, **LEE)
    assert theirs["conflicts"] == [] and theirs["body"] == "Slept badly. Melatonin?"
    assert "nothing new" in merge(run, pair.ana, pair.lee).out


def test_resolve_with_merged_text_and_its_usage_errors(run: Cli, pair: Pair) -> None:
    entry = add(run, pair.ana, "Tuesday", "--body", "A")
    merge(run, pair.lee, pair.ana, **LEE)
    run("edit", pair.ana, entry, "--title", "Tuesday (home)", "--body", "mine")
    run("edit", pair.lee, entry, "--title", "Tuesday (clinic)", "--body", "theirs")
    merge(run, pair.ana, pair.lee)
    assert "--field" in run("resolve", pair.ana, entry, "--keep", "1").error_line(2)
    assert "versions 1 to 2" in run(
        "resolve", pair.ana, entry, "--field", "body", "--keep", "3"
    ).error_line(2)
    assert "not in conflict" in run(
        "resolve", pair.ana, entry, "--field", "tags", "--keep", "1"
    ).error_line(2)
    edited = run("edit", pair.ana, entry, "--body", "sneaky")
    assert "resolve the conflict first" in edited.error_line(1)

    done = run("resolve", pair.ana, entry, "--body", "mine, and theirs")
    assert done.line == entry
    assert "still in conflict: title" in done.err
    assert run("resolve", pair.ana, entry, "--title", "Tuesday").line == entry
    data = shown(run, pair.ana, entry)
    assert (data["title"], data["body"], data["conflicts"]) == ("Tuesday", "mine, and theirs", [])
    assert "no conflict" in run("resolve", pair.ana, entry, "--keep", "1").error_line(2)
    merge(run, pair.lee, pair.ana, **LEE)
    data = shown(run, pair.lee, entry, **LEE)
    assert (data["title"], data["body"], data["conflicts"]) == ("Tuesday", "mine, and theirs", [])


# --- 2. same timestamp, different content -----------------------------------------------


def test_edits_in_the_same_millisecond_keep_both_and_agree(
    run: Cli, pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = add(run, pair.ana, "Waited for his turn")
    merge(run, pair.lee, pair.ana, **LEE)
    frozen = 1_900_000_000_000
    monkeypatch.setattr("journal.clock.wall_millis", lambda: frozen)
    run("edit", pair.ana, entry, "--title", "Waited for his turn at the slide")
    run("edit", pair.lee, entry, "--title", "Waited for his turn on the swing")
    monkeypatch.undo()
    monkeypatch.setattr(terminal, "terminal_available", lambda: False)
    both_ways(run, pair)
    mine, theirs = shown(run, pair.ana, entry), shown(run, pair.lee, entry, **LEE)
    assert mine["title"] == theirs["title"]
    assert mine["conflicts"] == theirs["conflicts"]
    assert {v["value"] for v in mine["conflicts"]} == {
        "Waited for his turn at the slide",
        "Waited for his turn on the swing",
    }
    hidden = mine["conflicts"][1]
    assert run("resolve", pair.lee, entry, "--keep", hidden["dot"]).line == entry
    both_ways(run, pair)
    for data in (shown(run, pair.ana, entry), shown(run, pair.lee, entry, **LEE)):
        assert data["title"] == hidden["value"] and data["conflicts"] == []


# --- 3. edit against delete, and deletions that stay deleted --------------------------------


@pytest.mark.parametrize("deleter_merges_first", [True, False])
def test_an_edit_beats_a_concurrent_delete_and_the_notice_is_resolved(
    run: Cli, pair: Pair, deleter_merges_first: bool
) -> None:
    entry = add(run, pair.ana, "Visual schedule?", "--body", "Should we try one?")
    keep = add(run, pair.ana, "Another entry")
    merge(run, pair.lee, pair.ana, **LEE)
    assert run("delete", pair.ana, entry).line == entry
    run("edit", pair.lee, entry, "--body", "Should we try one at bedtime too?")
    if deleter_merges_first:
        report = merge(run, pair.ana, pair.lee).out
        merge(run, pair.lee, pair.ana, **LEE)
    else:
        merge(run, pair.lee, pair.ana, **LEE)
        report = merge(run, pair.ana, pair.lee).out
    assert "kept despite a deletion: Visual schedule?" in report

    for path, options in ((pair.ana, {}), (pair.lee, LEE)):
        data = shown(run, path, entry, **options)
        assert data["body"] == "Should we try one at bedtime too?"
        assert data["deleted_at"] is None
        assert data["deleted_by_other"]["by"] == "Ana Rivera"
        assert FULL_ID.fullmatch(data["deleted_by_other"]["by_id"])
        assert [r["id"] for r in listing(run, path, "--conflicts", **options)] == [entry]
    text = run("show", pair.ana, entry).out
    assert "Ana Rivera deleted this entry" in text and "--keep-record" in text

    assert "not deleted by anyone else" in run(
        "resolve", pair.ana, keep, "--keep-record"
    ).error_line(2)
    if deleter_merges_first:
        assert run("resolve", pair.lee, entry, "--keep-record").line == entry
        merge(run, pair.ana, pair.lee)
        for path, options in ((pair.ana, {}), (pair.lee, LEE)):
            assert shown(run, path, entry, **options)["deleted_by_other"] is None
            assert entry in [r["id"] for r in listing(run, path, **options)]
    else:
        assert run("resolve", pair.ana, entry, "--delete").line == entry
        merge(run, pair.lee, pair.ana, **LEE)
        merge(run, pair.ana, pair.lee)  # the older copy again: it stays deleted
        for path, options in ((pair.ana, {}), (pair.lee, LEE)):
            assert [r["id"] for r in listing(run, path, **options)] == [keep]
            assert listing(run, path, "--conflicts", **options) == []


def test_a_deleted_entry_does_not_return_after_a_third_merge(run: Cli, pair: Pair) -> None:
    entry = add(run, pair.ana, "Hit at the store")
    merge(run, pair.lee, pair.ana, **LEE)
    old = copy_file(pair.ana, "old copy.tandem")
    run("delete", pair.ana, entry)
    third = copy_file(pair.ana, "third.tandem")
    for source in (pair.lee, third, old, pair.lee):
        report = merge(run, pair.ana, source)
        assert "entries +1" not in report.out
    merge(run, pair.lee, pair.ana, **LEE)
    merge(run, pair.ana, pair.lee, old)
    for path, options in ((pair.ana, {}), (pair.lee, LEE)):
        assert listing(run, path, **options) == []
        assert "Deleted:" in run("show", path, entry, **options).out


# --- 4. re-merging the same copy --------------------------------------------------------


def test_remerging_the_same_copy_adds_nothing(run: Cli, pair: Pair) -> None:
    first = add(run, pair.lee, "From the therapist", **LEE)
    run("comment", pair.lee, first, "--body", "Try it at dinner.", **LEE)
    run("comment", pair.lee, first, "--body", "And at lunch.", **LEE)
    report = merge(run, pair.ana, pair.lee)
    assert "From lee.tandem: entries +1 ~0 -0, comments +2" in report.out
    saved = pair.ana.read_bytes()
    again = merge(run, pair.ana, pair.lee, pair.lee)
    assert again.out.splitlines()[:2] == ["From lee.tandem: nothing new"] * 2
    assert "Nothing new" in again.out
    assert pair.ana.read_bytes() == saved
    assert len(listing(run, pair.ana)) == 1
    assert len(shown(run, pair.ana, first)["comments"]) == 2


def test_merge_json_report(run: Cli, pair: Pair) -> None:
    entry = add(run, pair.lee, "From the therapist", **LEE)
    data = json.loads(merge(run, pair.ana, pair.lee, "--json").out)
    assert data["saved"] is True and data["dry_run"] is False
    [copy] = data["copies"]
    assert copy["file"] == "lee.tandem"
    assert copy["tables"]["entries"]["added"] == [entry]
    assert copy["new_passphrases_or_invitations"] == 1
    assert copy["clock"] == {"clamped": 0, "max_ahead_ms": 0}
    again = json.loads(merge(run, pair.ana, pair.lee, "--json").out)
    assert again["saved"] is False and again["copies"][0]["nothing_new"] is True


# --- 5. the file changes on disk while a command has it open ---------------------------------


def run_as_the_drive_delivers(
    run: Cli,
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    delivering: Callable[..., Any],
    *args: object,
) -> Result:
    """Run `args` with `Journal.<method>` replaced by `delivering`, which replaces the file on
    disk meanwhile: the command merges what the file brought (one entry) and says so."""
    monkeypatch.setattr(Journal, method, delivering)
    result = run(*args)
    assert result.code == 0, result.err
    assert "merged changes from the file on disk: 1 entry added" in result.err
    monkeypatch.undo()
    monkeypatch.setattr(terminal, "terminal_available", lambda: False)
    return result


def test_a_file_replaced_while_adding_is_merged_not_overwritten(
    run: Cli, pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    theirs = add(run, pair.lee, "Written by Dr Lee", **LEE)
    incoming = copy_file(pair.lee, "incoming.tandem")
    original = Journal.add_entry

    def add_then_drive_delivers(self: Journal, *args: Any, **kwargs: Any) -> Any:
        made = original(self, *args, **kwargs)
        shutil.copyfile(incoming, self.path)  # the drive replaces the file meanwhile
        return made

    result = run_as_the_drive_delivers(
        run, monkeypatch, "add_entry", add_then_drive_delivers,
        "add", pair.ana, "--kind", "win", "--title", "Mine",
    )  # fmt: skip
    titles = {r["id"]: r["title"] for r in listing(run, pair.ana)}
    assert titles == {result.line: "Mine", theirs: "Written by Dr Lee"}


def test_invite_says_what_it_merged_from_a_file_changed_on_disk(
    run: Cli, pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(run, pair.lee, "Written by Dr Lee", **LEE)
    incoming = copy_file(pair.lee, "incoming.tandem")
    original = Journal.members

    def members_then_drive_delivers(self: Journal) -> Any:
        shutil.copyfile(incoming, self.path)  # the drive replaces the file meanwhile
        return original(self)

    run_as_the_drive_delivers(
        run, monkeypatch, "members", members_then_drive_delivers,
        "invite", pair.ana, "--name", "Grandma", "--role", "other",
    )  # fmt: skip
    assert "Written by Dr Lee" in {r["title"] for r in listing(run, pair.ana)}


# --- 7, 9, 12. damaged, appended-to and newer copies -------------------------------------------


@pytest.mark.parametrize(
    "damage", ["truncated", "flipped header byte", "plaintext appended", "newer format"]
)
def test_a_bad_copy_is_refused_with_exit_4_and_nothing_written(
    run: Cli, pair: Pair, damage: str
) -> None:
    add(run, pair.lee, "In the copy", **LEE)
    data = bytearray(pair.lee.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "flipped header byte":
        data[20] ^= 0x01
    elif damage == "plaintext appended":
        data += b"\nDear diary, today...\n"
    else:
        data[8:10] = (FORMAT_VERSION + 1).to_bytes(2, "big")
    pair.lee.write_bytes(bytes(data))
    before = pair.ana.read_bytes()
    line = run("merge", pair.ana, pair.lee).error_line(4)
    assert "lee.tandem" in line and "nothing was written" in line
    assert "passphrase" not in line
    assert pair.ana.read_bytes() == before


# --- another journal, mass deletion, dry runs ---------------------------------------------


def test_a_copy_of_another_journal_exits_5_and_nothing_is_written(
    run: Cli, pair: Pair, tmp_path: Path
) -> None:
    add(run, pair.lee, "A real change", **LEE)
    stranger = tmp_path / "stranger.tandem"
    new_journal(run, stranger)
    files = {p: p.read_bytes() for p in (pair.ana, pair.lee, stranger)}
    line = run("merge", pair.ana, pair.lee, stranger).error_line(5)
    assert "different journal" in line and "nothing was written" in line
    result = run_subprocess("merge", pair.ana, stranger, "--dry-run")
    assert result.error_line(5) and result.out == ""
    assert {p: p.read_bytes() for p in files} == files


@pytest.fixture
def mass_deletion(run: Cli, pair: Pair) -> Pair:
    """Six entries of Dr Lee's; his copy deletes four of them (only an author deletes)."""
    ids = [add(run, pair.lee, f"Entry {n}", **LEE) for n in range(6)]
    merge(run, pair.ana, pair.lee)
    for entry in ids[:4]:
        assert run("delete", pair.lee, entry, **LEE).code == 0
    return pair


def test_a_merge_deleting_most_records_stops_without_force(run: Cli, mass_deletion: Pair) -> None:
    pair = mass_deletion
    before = pair.ana.read_bytes()
    line = run("merge", pair.ana, pair.lee).error_line(1)
    assert "would delete 4 of 6 records" in line and "--force" in line
    assert pair.ana.read_bytes() == before

    dry = merge(run, pair.ana, pair.lee, "--dry-run")
    assert "entries +0 ~0 -4" in dry.out and "Dry run: nothing was written." in dry.out
    assert "--force" in dry.err
    assert pair.ana.read_bytes() == before

    said_no = run("merge", pair.ana, pair.lee, tty=True, stdin="\n")
    assert said_no.code == 1 and "Merge it anyway? [y/N]" in said_no.err
    assert "nothing was written" in said_no.err
    assert pair.ana.read_bytes() == before

    forced = merge(run, pair.ana, pair.lee, "--force")
    assert "entries +0 ~0 -4" in forced.out
    assert len(listing(run, pair.ana)) == 2


def test_a_terminal_answer_yes_merges_the_deletions(run: Cli, mass_deletion: Pair) -> None:
    pair = mass_deletion
    result = run("merge", pair.ana, pair.lee, tty=True, stdin="y\n")
    assert result.code == 0, result.err
    assert "Merge it anyway?" in result.err
    assert len(listing(run, pair.ana)) == 2


def test_dry_run_of_several_copies_adds_up_and_writes_nothing(run: Cli, pair: Pair) -> None:
    add(run, pair.lee, "One", **LEE)
    second = copy_file(pair.lee, "lee again.tandem")
    before = pair.ana.read_bytes()
    dry = merge(run, pair.ana, pair.lee, second, "--dry-run")
    assert dry.out.splitlines()[1] == "From lee again.tandem: nothing new"
    assert pair.ana.read_bytes() == before
    assert listing(run, pair.ana) == []


# --- 10. a passphrase change and an older copy ---------------------------------------------


def test_passwd_then_an_older_copy_does_not_bring_the_old_passphrase_back(
    run: Cli, pair: Pair
) -> None:
    add(run, pair.ana, "Before the change")
    older = copy_file(pair.ana, "older.tandem")
    new = {"TANDEM_NEW_PASSPHRASE": "Ana's new passphrase"}
    assert run("passwd", pair.ana, env=new).code == 0
    add(run, older, "In the older copy")
    report = merge(run, pair.ana, older, passphrase="Ana's new passphrase")
    assert "entries +1" in report.out
    assert "wrong passphrase" in run("list", pair.ana).error_line(3)
    assert len(listing(run, pair.ana, passphrase="Ana's new passphrase")) == 2
    assert len(listing(run, pair.ana, passphrase=pair.recovery)) == 2


# --- invitations ----------------------------------------------------------------------------


def test_invite_flow_end_to_end(run: Cli, tmp_path: Path) -> None:
    ana = tmp_path / "family.tandem"
    new_journal(run, ana)
    invited = run("invite", ana, "--name", "Dr Lee", "--role", "therapist")
    assert invited.code == 0, invited.err
    *instructions, code = invited.out.splitlines()
    assert INVITE_CODE.fullmatch(code)
    assert "by phone or in person, never in the same email" in " ".join(instructions)
    duplicate = run("invite", ana, "--name", "dr lee", "--role", "therapist")
    assert "already a member" in duplicate.error_line(2)

    lee = copy_file(ana, "family (from Ana).tandem")  # the file sent by email
    before = lee.read_bytes()
    refusals: list[tuple[object, ...]] = [
        ("list", lee),
        ("show", lee, "abc"),
        ("add", lee, "--kind", "win", "--title", "not yet"),
        ("merge", lee, ana),
        ("sync", lee),
        ("invite", lee, "--name", "Someone", "--role", "other"),
        ("resolve", lee, "abc", "--keep", "1"),
        ("verify", lee),
        ("goal", "list", lee),
    ]
    for args in refusals:
        line = run(*args, passphrase=code).error_line(2)
        assert "this is an invite code: set your own passphrase first with `tandem passwd`" in line
    assert lee.read_bytes() == before

    done = run_subprocess(
        "passwd", lee, passphrase=code, env={"TANDEM_NEW_PASSPHRASE": LEE_PASSPHRASE}
    )
    assert done.code == 0, done.err
    assert "Dr Lee" in done.out and "no longer opens" in done.out
    assert "wrong passphrase" in run("list", lee, passphrase=code).error_line(3)
    session = add(run, lee, "Session 1", **LEE)
    assert shown(run, lee, session, **LEE)["created_by"] == "Dr Lee"

    report = merge(run, ana, lee)
    assert "entries +1 ~0 -0" in report.out and "1 new passphrase or invitation" in report.out
    assert [r["id"] for r in listing(run, ana, **LEE)] == [session]  # Lee's slot survived
    assert "wrong passphrase" in run("list", ana, passphrase=code).error_line(3)
    assert listing(run, lee)[0]["author"] == "Dr Lee"  # Ana's passphrase opens Lee's copy


def test_invite_needs_a_known_role(run: Cli, tmp_path: Path) -> None:
    ana = tmp_path / "family.tandem"
    new_journal(run, ana)
    assert run("invite", ana, "--name", "X", "--role", "boss").error_line(2)


# --- sync: the conflict copies of shared drives --------------------------------------------


def test_sync_merges_drive_copies_skips_another_journal_and_deletes_nothing(
    run: Cli, pair: Pair, tmp_path: Path
) -> None:
    dropbox = copy_file(pair.lee, "family (Dr Lee's conflicted copy 2026-11-26).tandem")
    syncthing = copy_file(pair.ana, "family.sync-conflict-20261126-173000-ABCDEF7.tandem")
    from_dropbox = add(run, dropbox, "From Dropbox", **LEE)
    from_syncthing = add(run, syncthing, "From Syncthing")
    stranger = tmp_path / "family (1).tandem"
    new_journal(run, stranger)
    files_before = sorted(p.name for p in tmp_path.iterdir())
    journal_before = pair.ana.read_bytes()

    dry = run("sync", pair.ana, "--dry-run")
    assert dry.code == 0, dry.err
    assert "Found 3 copies beside family.tandem" in dry.out
    assert "Dry run: nothing was written or moved." in dry.out
    assert sorted(p.name for p in tmp_path.iterdir()) == files_before
    assert pair.ana.read_bytes() == journal_before

    result = run("sync", pair.ana)
    assert result.code == 0, result.err
    out = result.out
    assert re.search(r"Dropbox\s+family \(Dr Lee's conflicted copy 2026-11-26\)\.tandem", out)
    assert re.search(r"Syncthing\s+family\.sync-conflict-20261126-173000-ABCDEF7\.tandem", out)
    assert "Merged family (Dr Lee's conflicted copy 2026-11-26).tandem: entries +1" in out
    assert "Merged family.sync-conflict-20261126-173000-ABCDEF7.tandem: entries +1" in out
    assert "Skipped family (1).tandem" in out and "different journal" in out
    assert "left where it is" in out
    assert "Moved 2 merged copies to" in out and "family merged copies" in out

    assert {r["id"] for r in listing(run, pair.ana)} == {from_dropbox, from_syncthing}
    assert stranger.exists() and not dropbox.exists() and not syncthing.exists()
    archive = tmp_path / "family merged copies"
    assert sorted(p.name for p in archive.iterdir()) == sorted([dropbox.name, syncthing.name])
    nothing = run("sync", pair.ana, "--json")
    data = json.loads(nothing.out)
    assert data["merged"] == [] and [s["file"] for s in data["skipped"]] == [stranger.name]


def test_sync_with_no_copies(run: Cli, pair: Pair) -> None:
    before = pair.ana.read_bytes()
    result = run("sync", pair.ana)
    assert result.line == "No conflict copies beside family.tandem."
    assert pair.ana.read_bytes() == before


# --- 11. a clock a year ahead ----------------------------------------------------------------


def test_a_copy_whose_clock_runs_a_year_ahead_is_reported(
    run: Cli, pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journal.clock import wall_millis

    entry = add(run, pair.ana, "Tuesday", "--body", "A")
    merge(run, pair.lee, pair.ana, **LEE)
    ahead = wall_millis() + 365 * DAY_MS
    monkeypatch.setattr("journal.clock.wall_millis", lambda: ahead)
    run("edit", pair.lee, entry, "--body", "written a year ahead")
    monkeypatch.undo()
    monkeypatch.setattr(terminal, "terminal_available", lambda: False)
    result = merge(run, pair.ana, pair.lee)
    assert (
        "tandem: warning: lee.tandem: that copy's clock was 364 days ahead; "
        "its changes are ordered as if made now"
    ) in result.err
    again = merge(run, pair.ana, pair.lee, "--json")
    [copy] = json.loads(again.out)["copies"]
    assert copy["nothing_new"] and copy["clock"]["clamped"] >= 1
    assert copy["clock"]["max_ahead_ms"] > 364 * DAY_MS
    assert "364 days ahead" in again.err
    run("edit", pair.ana, entry, "--body", "a fair, later edit")
    assert shown(run, pair.ana, entry)["body"] == "a fair, later edit"


# --- 13. two writers on one file -------------------------------------------------------------


def test_two_add_loops_in_parallel_lose_nothing(run: Cli, pair: Pair) -> None:
    """Failure mode 13: the lock and merge-on-save keep every entry of both writers.

    A journal must remember the version of the file it decrypted, not the one on
    disk a moment later: if another writer saves in between, the next save has to
    merge that writer's entries instead of overwriting them.
    """
    rounds = 10
    environment = {**os.environ, "TANDEM_PASSPHRASE": PASSPHRASE}
    loop = (
        'for i in $(seq 1 {n}); do "$0" -m journal add "$1" --kind win --title "$2 $i" '
        "|| exit 1; done"
    )
    writers = [
        subprocess.Popen(
            ["sh", "-c", loop.format(n=rounds), sys.executable, str(pair.ana), name],
            cwd=ROOT,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        for name in ("first", "second")
    ]
    ids: list[str] = []
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        assert "Traceback" not in err
        ids.extend(out.split())
    assert len(ids) == 2 * rounds
    titles = sorted(r["title"] for r in listing(run, pair.ana))
    expected = sorted(f"{name} {i}" for name in ("first", "second") for i in range(1, rounds + 1))
    assert titles == expected


# --- who made each record, and when --------------------------------------------------------


def test_every_record_shows_who_created_and_last_changed_it(run: Cli, pair: Pair) -> None:
    entry = run("add", pair.ana, "--kind", "incident", "--title", "Tuesday").line
    merge(run, pair.lee, pair.ana, **LEE)
    # The hypothesized function is the therapist's call, on anyone's incident (docs/MODEL.md).
    assert run("edit", pair.lee, entry, "--field", "function=escape", **LEE).code == 0
    goal = run("goal", "add", pair.lee, "--title", "Ask for help", **LEE).line
    comment = run("comment", pair.lee, goal, "--body", "Started today.", **LEE).line
    merge(run, pair.ana, pair.lee)
    journal = Journal.open(pair.ana, PASSPHRASE)
    resource = journal.add_resource("Visual schedules", url="https://example.org")
    session = journal.add_session("2026-12-01T10:00", location="Clinic")
    journal.save()
    members = {m.name: m.id for m in journal.members()}

    data = shown(run, pair.ana, entry)
    assert (data["created_by"], data["updated_by"]) == ("Ana Rivera", "Dr Lee")
    assert (data["created_by_id"], data["updated_by_id"]) == (
        members["Ana Rivera"],
        members["Dr Lee"],
    )
    text = run("show", pair.ana, entry).out
    assert re.search(
        r"created by Ana Rivera on \d{4}-\d\d-\d\d \d\d:\d\d, last changed by Dr Lee", text
    )

    records = [
        goal,
        comment,
        resource.id,
        session.id,
        members["Dr Lee"],
        journal.journal_id,
    ]
    for record_id in records:
        text = run("show", pair.ana, record_id).out
        assert re.search(
            r"created by [A-Za-z ]+ on \d{4}-\d\d-\d\d \d\d:\d\d, last changed by", text
        )
        data = shown(run, pair.ana, record_id)
        assert data["created_by"] in members and data["updated_by"] in members
        assert data["created_by_id"] in members.values()
        assert data["conflicts"] == [] and data["deleted_by_other"] is None
    assert shown(run, pair.ana, goal)["created_by"] == "Dr Lee"
    assert shown(run, pair.ana, resource.id)["url"] == "https://example.org"


def test_the_module_runs_as_python_dash_m_journal(pair: Pair) -> None:
    result = run_subprocess("list", pair.ana, "--json")
    assert result.code == 0 and json.loads(result.out) == []


def test_deleting_one_entry_on_both_copies_is_no_conflict_to_resolve(run: Cli, pair: Pair) -> None:
    entry = add(run, pair.ana, "Duplicate")
    other = add(run, pair.ana, "Stays")
    merge(run, pair.lee, pair.ana, **LEE)
    run("delete", pair.ana, entry)
    run("delete", pair.lee, entry, **LEE)
    report = merge(run, pair.ana, pair.lee)
    assert "conflict" not in report.out
    table = run("list", pair.ana)
    assert table.err == "" and "!" not in table.out
    assert [r["id"] for r in listing(run, pair.ana)] == [other]
    assert listing(run, pair.ana, "--conflicts") == []


def test_conflicts_on_tags_and_structured_fields_resolve_with_typed_values(
    run: Cli, pair: Pair
) -> None:
    entry = add(run, pair.ana, "Wednesday")
    merge(run, pair.lee, pair.ana, **LEE)
    run("edit", pair.ana, entry, "--tag", "sleep", "--field", "mood=2")
    run("edit", pair.lee, entry, "--tag", "food", "--field", "mood=4")
    report = merge(run, pair.ana, pair.lee)
    assert "1 conflict: Wednesday (fields.mood, tags)" in report.out
    text = run("show", pair.ana, entry).out
    assert "--field tags --value '[" in text and "--field fields.mood --keep N" in text
    several = run("resolve", pair.ana, entry, "--value", "3")
    assert "several fields are in conflict" in several.error_line(2)
    not_json = run("resolve", pair.ana, entry, "--field", "tags", "--value", "sleep, food")
    assert "give --value as JSON" in not_json.error_line(2)
    bad = run("resolve", pair.ana, entry, "--field", "mood", "--value", "9")
    assert "rating from 1 to 5" in bad.error_line(2)
    tags = run("resolve", pair.ana, entry, "--field", "tags", "--value", '["sleep", "food"]')
    assert tags.line == entry
    assert run("resolve", pair.ana, entry, "--field", "mood", "--value", "3").line == entry
    data = shown(run, pair.ana, entry)
    assert (data["tags"], data["fields"], data["conflicts"]) == (["sleep", "food"], {"mood": 3}, [])


def test_a_goal_in_conflict_is_listed_shown_and_resolved(run: Cli, pair: Pair) -> None:
    goal = run("goal", "add", pair.ana, "--title", "Ask for help").line
    merge(run, pair.lee, pair.ana, **LEE)
    journal = Journal.open(pair.ana, PASSPHRASE)
    journal.edit_goal(goal, title="Ask for help with words")
    journal.save()
    theirs = Journal.open(pair.lee, LEE_PASSPHRASE)
    theirs.edit_goal(goal, title="Ask for help (2 words)")
    theirs.save()
    assert "1 conflict: " in merge(run, pair.ana, pair.lee).out
    [listed] = listing(run, pair.ana, "--conflicts")
    assert (listed["type"], listed["id"]) == ("goal", goal)
    assert {v["value"] for v in listed["conflicts"]} == {
        "Ask for help with words",
        "Ask for help (2 words)",
    }
    table = run("list", pair.ana, "--conflicts").out.splitlines()
    assert table[1].split()[:4] == ["!", table[1].split()[1], table[1].split()[2], "goal"]
    assert "! Conflict in title" in run("show", pair.ana, goal).out
    assert run("resolve", pair.ana, goal, "--title", "Ask for help").line == goal
    data = shown(run, pair.ana, goal)
    assert (data["title"], data["conflicts"]) == ("Ask for help", [])


# --- issue #12: deletions against concurrent edits and keeps -------------------------------


def test_an_edit_behind_the_shown_version_beats_a_deletion_that_missed_it(
    run: Cli, pair: Pair
) -> None:
    entry = add(run, pair.ana, "Tuesday", "--body", "Slept badly.")
    merge(run, pair.lee, pair.ana, **LEE)
    third = copy_file(pair.ana, "third.tandem")
    assert run("edit", pair.ana, entry, "--body", "A: woke at 3.").code == 0
    time.sleep(0.005)  # Lee's edit has the later clock: it is the version shown
    assert run("edit", pair.lee, entry, "--body", "B: melatonin?").code == 0
    merge(run, third, pair.lee)  # the third copy sees only Lee's edit, then deletes
    assert run("delete", third, entry).line == entry
    report = merge(run, pair.ana, third).out
    assert "kept despite a deletion: Tuesday" in report
    data = shown(run, pair.ana, entry)
    assert data["deleted_at"] is None
    assert data["deleted_by_other"]["by"] == "Ana Rivera"
    assert {c["value"] for c in data["conflicts"]} == {"A: woke at 3.", "B: melatonin?"}
    assert [r["id"] for r in listing(run, pair.ana, "--conflicts")] == [entry]


def test_two_deletions_after_different_edits_stay_deleted(run: Cli, pair: Pair) -> None:
    entry = add(run, pair.ana, "Duplicate", "--body", "x")
    other = add(run, pair.ana, "Stays")
    merge(run, pair.lee, pair.ana, **LEE)
    run("edit", pair.lee, entry, "--body", "x, fixed", **LEE)
    run("delete", pair.lee, entry, **LEE)
    time.sleep(0.005)
    run("delete", pair.ana, entry)  # without having seen Lee's edit; the later clock
    first, second = both_ways(run, pair)
    assert "kept despite a deletion" not in first.out + second.out
    for path, options in ((pair.ana, {}), (pair.lee, LEE)):
        assert [r["id"] for r in listing(run, path, **options)] == [other]
        assert listing(run, path, "--conflicts", **options) == []


@pytest.mark.parametrize("delete_later", [True, False])
def test_keep_and_delete_resolved_at_once_is_shown_as_a_conflict(
    run: Cli, pair: Pair, delete_later: bool
) -> None:
    entry = add(run, pair.ana, "Visual schedule?", "--body", "Should we try one?")
    merge(run, pair.lee, pair.ana, **LEE)
    run("delete", pair.ana, entry)
    run("edit", pair.lee, entry, "--body", "At bedtime too?")  # Ana, on her other copy
    both_ways(run, pair)
    keep = ("resolve", pair.ana, entry, "--keep-record")
    delete = ("resolve", pair.lee, entry, "--delete")
    first, second = (keep, delete) if delete_later else (delete, keep)
    assert run(*first).line == entry
    time.sleep(0.005)
    assert run(*second).line == entry
    both_ways(run, pair)
    for path, options in ((pair.ana, {}), (pair.lee, LEE)):
        data = shown(run, path, entry, **options)
        assert data["deleted_at"] is None
        assert data["deleted_by_other"]["by"] == "Ana Rivera"
        assert [r["id"] for r in listing(run, path, "--conflicts", **options)] == [entry]
    assert run("resolve", pair.ana, entry, "--delete").line == entry
    both_ways(run, pair)
    for path, options in ((pair.ana, {}), (pair.lee, LEE)):
        assert listing(run, path, **options) == []
        assert listing(run, path, "--conflicts", **options) == []


def test_sync_leaves_a_persons_own_copy_where_it_is(
    run: Cli, pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("journal.copies.this_computer", lambda: "maya-laptop")
    own = copy_file(pair.ana, "family-before-cleanup.tandem")
    add(run, own, "Kept aside")
    drive = copy_file(pair.ana, "family-DESKTOP-4F2K9Q.tandem")
    from_drive = add(run, drive, "From OneDrive")
    own_bytes = own.read_bytes()
    result = run("sync", pair.ana)
    assert result.code == 0, result.err
    assert "Merged family-DESKTOP-4F2K9Q.tandem: entries +1" in result.out
    assert own.read_bytes() == own_bytes and not drive.exists()
    assert [r["id"] for r in listing(run, pair.ana)] == [from_drive]
    # The person hears of their own copy, which sync never merges or moves.
    note = "family-before-cleanup.tandem is a copy of this journal but not a drive's conflict copy"
    assert note in result.out
    again = run("sync", pair.ana, "--json")
    assert json.loads(again.out)["other_copies"] == ["family-before-cleanup.tandem"]
    assert note in run("sync", pair.ana).out and own.read_bytes() == own_bytes
