"""The `tandem` command line: the contract of issue 2, section 5.

Most tests call `journal.cli.main([...])` in-process (fast); a representative
subset runs the real command in a subprocess without a controlling terminal.
Every run checks that stderr never holds a traceback.
"""

from __future__ import annotations

import json
import re
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from journal.cli import terminal
from journal.fileformat import FORMAT_VERSION
from journal.journal import Journal
from journal.model import Entry
from journal.text import safe_line, safe_text
from tests.cli_harness import Cli, Result, Stderr, at_a_terminal, in_process, in_subprocess
from tests.conftest import PASSPHRASE

RECOVERY_CODE = re.compile(r"^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$")
FULL_ID = re.compile(r"^[0-9a-f]{32}$")
LIST_FIELDS = {
    "id",
    "kind",
    "title",
    "body",
    "tags",
    "author",
    "author_id",
    "created_at",
    "updated_at",
    "updated_by",
    "occurred_at",
    "goals",
    "fields",
    "status",
}


# --- helpers ------------------------------------------------------------------------


STDERR = Stderr()


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run `main(args)` in-process with TANDEM_PASSPHRASE set and no terminal to prompt on."""
    return in_process(monkeypatch, capsys, STDERR)


def run_subprocess(
    *args: object,
    passphrase: str | None = PASSPHRASE,
    stdin: str = "",
    env: dict[str, str] | None = None,
) -> Result:
    """Run `python -m journal.cli` with no controlling terminal and the test environment."""
    return in_subprocess(*args, stderr=STDERR, passphrase=passphrase, stdin=stdin, env=env)


@dataclass
class Made:
    """A journal made with `tandem new`: its path and recovery code."""

    path: Path
    code: str


@pytest.fixture
def made(run: Cli, tmp_path: Path) -> Made:
    """A new journal created through the command line, by a parent named Ana Rivera."""
    path = tmp_path / "family.tandem"
    result = run(
        "new", path, "--title", "Sam's journal", "--name", "Ana Rivera", "--role", "parent"
    )
    assert result.code == 0, result.err
    return Made(path, result.out.splitlines()[-1])


def add(run: Cli, path: Path, *args: object, stdin: str = "") -> str:
    """`tandem add` that must succeed; returns the new id."""
    result = run("add", path, *args, stdin=stdin)
    assert result.code == 0, result.err
    assert FULL_ID.fullmatch(result.line)
    return result.line


def listing(run: Cli, path: Path, *args: object) -> list[dict[str, Any]]:
    """`tandem list --json` parsed."""
    result = run("list", path, "--json", *args)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert isinstance(data, list)
    return data


def one_error_line(result: Result, code: int) -> str:
    """Assert the run failed with `code` and one `tandem: ...` line on stderr; return it."""
    return result.error_line(code)


@pytest.fixture
def stocked(run: Cli, made: Made) -> Iterator[dict[str, str]]:
    """Three entries of different kinds, tags and days."""
    ids = {
        "old": add(
            run, made.path, "--kind", "checkin", "--title", "Slept badly",
            "--tag", "sleep", "--when", "2024-03-01 07:30", "--body", "Up at 3am.",
        ),
        "mid": add(
            run, made.path, "--kind", "win", "--title", "Asked for help",
            "--tag", "communication", "--when", "2024-03-02 16:00", "--body", "Said 'help'.",
        ),
        "new": add(
            run, made.path, "--kind", "checkin", "--title", "Calm morning",
            "--tag", "sleep", "--tag", "food", "--when", "2024-03-03 08:00",
            "--body", "Ate toast and a banana.",
        ),
    }  # fmt: skip
    yield ids


# --- new ---------------------------------------------------------------------------


def test_new_prints_a_recovery_code_in_a_subprocess(tmp_path: Path) -> None:
    path = tmp_path / "team.tandem"
    result = run_subprocess(
        "new", path, "--title", "Sam", "--name", "Dr. Lee", "--role", "therapist", "--child", "Sam"
    )
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert RECOVERY_CODE.fullmatch(lines[-1])
    assert "write down" in result.out.lower()
    assert path.stat().st_mode & 0o777 == 0o600
    journal = Journal.open(path, lines[-1])
    assert journal.me.name == "Dr. Lee"
    assert journal.me.role == "therapist"
    assert journal.info.child_name == "Sam"


def test_new_refuses_an_existing_file_and_leaves_it(run: Cli, made: Made) -> None:
    before = made.path.read_bytes()
    result = run("new", made.path, "--title", "X", "--name", "Bo", "--role", "other")
    assert "already exists" in one_error_line(result, 1)
    assert made.path.read_bytes() == before


def new_at_a_terminal(
    run: Cli, monkeypatch: pytest.MonkeyPatch, path: Path, *answers: str
) -> Result:
    """`tandem new PATH` at a terminal whose passphrase prompts get `answers`."""
    at_a_terminal(monkeypatch, *answers)
    return run("new", path, "--title", "T", "--name", "Ana", "--role", "parent", passphrase=None)


def test_new_asks_twice_on_the_terminal(
    run: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "asked.tandem"
    result = new_at_a_terminal(run, monkeypatch, path, "pass one two three", "pass one two three")
    assert result.code == 0, result.err
    assert Journal.open(path, "pass one two three").me.name == "Ana"


def test_new_with_mismatched_prompts_is_a_usage_error(
    run: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "asked.tandem"
    result = new_at_a_terminal(run, monkeypatch, path, "pass one two three", "pass two three four")
    assert "do not match" in one_error_line(result, 2)
    assert not path.exists()


@pytest.mark.parametrize("weak", ["1", " ", "sam2020"])
def test_new_and_passwd_apply_the_passphrase_policy_of_the_app(
    run: Cli, made: Made, tmp_path: Path, weak: str
) -> None:
    """`TANDEM_PASSPHRASE=1 tandem new` and `passwd` with a single space were accepted."""
    path = tmp_path / "weak.tandem"
    result = run("new", path, "--title", "T", "--name", "Ana", "--role", "parent", passphrase=weak)
    assert "too easy to guess" in one_error_line(result, 2)
    assert not path.exists()
    before = made.path.read_bytes()
    result = run("passwd", made.path, env={"TANDEM_NEW_PASSPHRASE": weak})
    assert "too easy to guess" in one_error_line(result, 2)
    assert made.path.read_bytes() == before
    secret = tmp_path / "weak.txt"
    secret.write_text(weak + "\n", encoding="utf-8")
    args = ("--title", "T", "--name", "Ana", "--role", "parent", "--passphrase-file", secret)
    assert "too easy to guess" in one_error_line(run("new", path, *args, passphrase=None), 2)


def test_a_passphrase_file_that_never_ends_is_refused_at_once(run: Cli, made: Made) -> None:
    """`--passphrase-file /dev/zero` read without end and grew to 4 GB in 6 s."""
    result = run("list", made.path, "--passphrase-file", "/dev/zero", passphrase=None)
    assert "does not start with a passphrase" in one_error_line(result, 2)


def test_a_save_without_backups_says_so_once(
    run: Cli, made: Made, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A data folder that cannot be made (here: a file stands in its way) never blocks a save."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocked))
    result = run("add", made.path, "--kind", "win", "--title", "Saved anyway")
    assert result.code == 0, result.err
    assert result.err.count("backups are off") == 1
    assert [r["title"] for r in listing_with(run, made.path, PASSPHRASE)] == ["Saved anyway"]


def test_new_reads_the_passphrase_file(run: Cli, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("from a file on disk\n", encoding="utf-8")
    path = tmp_path / "f.tandem"
    args = ("--title", "T", "--name", "Ana", "--role", "parent", "--passphrase-file", secret)
    result = run("new", path, *args, passphrase=None)
    assert result.code == 0, result.err
    assert run("list", path, "--passphrase-file", secret, passphrase=None).code == 0
    assert Journal.open(path, "from a file on disk").me.name == "Ana"


# --- add ---------------------------------------------------------------------------


def test_add_in_a_subprocess_with_body_and_with_stdin(made: Made) -> None:
    by_arg = run_subprocess("add", made.path, "--kind", "win", "--title", "Waved", "--body", "Hi!")
    assert by_arg.code == 0, by_arg.err
    assert FULL_ID.fullmatch(by_arg.out.strip())
    by_stdin = run_subprocess(
        "add", made.path, "--kind", "observation", "--title", "At the park", stdin="Took turns.\n"
    )
    assert by_stdin.code == 0, by_stdin.err
    assert FULL_ID.fullmatch(by_stdin.out.strip())
    listed = run_subprocess("list", made.path, "--json")
    assert listed.code == 0, listed.err
    bodies = {r["id"]: r["body"] for r in json.loads(listed.out)}
    assert bodies[by_arg.out.strip()] == "Hi!"
    assert bodies[by_stdin.out.strip()] == "Took turns.\n"


def test_add_reads_the_body_from_stdin_in_process(run: Cli, made: Made) -> None:
    entry_id = add(run, made.path, "--kind", "question", "--title", "Q", stdin="Is this normal?")
    [record] = listing(run, made.path)
    assert record["id"] == entry_id
    assert record["body"] == "Is this normal?"
    assert record["kind"] == "question"


def test_add_with_fields_goals_and_time(run: Cli, made: Made) -> None:
    goal_id = run("goal", "add", made.path, "--title", "Request help").line
    entry_id = add(
        run, made.path, "--kind", "checkin", "--title", "Morning",
        "--field", "mood=4", "--field", "bedtime=8:05", "--field", "night_wakings=2",
        "--field", "mood_word=sunny", "--goal", goal_id[:6], "--when", "2024-05-01 07:15",
    )  # fmt: skip
    [record] = listing(run, made.path)
    assert record["id"] == entry_id
    assert record["fields"] == {
        "mood": 4,
        "bedtime": "08:05",
        "night_wakings": 2,
        "mood_word": "sunny",
    }
    assert record["goals"] == [goal_id]
    assert record["occurred_at"] == "2024-05-01T07:15"
    incident = add(
        run, made.path, "--kind", "incident", "--title", "Meltdown",
        "--field", "strategy_worked=Partly", "--field", "intensity=3",
    )  # fmt: skip
    shown = json.loads(run("show", made.path, incident, "--json").out)
    assert shown["fields"] == {"strategy_worked": "partly", "intensity": 3}


@pytest.mark.parametrize(
    "extra",
    [
        ("--field", "nope=1"),
        ("--field", "mood=7"),
        ("--field", "mood=happy"),
        ("--field", "night_wakings=-1"),
        ("--field", "bedtime=25:00"),
        ("--field", "mood"),
        ("--when", "yesterday"),
        ("--kind", "diary"),
    ],
)
def test_add_rejects_bad_values_with_exit_2_and_saves_nothing(
    run: Cli, made: Made, extra: tuple[str, ...]
) -> None:
    before = made.path.read_bytes()
    result = run("add", made.path, "--kind", "checkin", "--title", "T", "--body", "b", *extra)
    one_error_line(result, 2)
    assert made.path.read_bytes() == before


def test_a_win_has_no_fields(run: Cli, made: Made) -> None:
    result = run("add", made.path, "--kind", "win", "--title", "T", "--field", "mood=3")
    assert "no structured fields" in one_error_line(result, 2)


def test_add_with_an_unknown_goal_fails_and_leaves_the_file(run: Cli, made: Made) -> None:
    before = made.path.read_bytes()
    result = run("add", made.path, "--kind", "win", "--title", "T", "--goal", "abcdef12")
    one_error_line(result, 1)
    assert made.path.read_bytes() == before


# --- list ---------------------------------------------------------------------------


def test_list_json_in_a_subprocess_carries_every_field(made: Made, stocked: dict[str, str]) -> None:
    result = run_subprocess("list", made.path, "--json")
    assert result.code == 0, result.err
    records = json.loads(result.out)
    assert [r["id"] for r in records] == [stocked["new"], stocked["mid"], stocked["old"]]
    for record in records:
        assert set(record) >= LIST_FIELDS
        assert record["author"] == "Ana Rivera"
        assert record["updated_by"] == "Ana Rivera"
        assert FULL_ID.fullmatch(record["author_id"])
    assert records[0]["tags"] == ["sleep", "food"]
    assert records[0]["body"] == "Ate toast and a banana."
    assert records[0]["status"] == "draft"


def test_list_text_is_an_aligned_table_newest_first(
    run: Cli, made: Made, stocked: dict[str, str]
) -> None:
    result = run("list", made.path)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split() == ["DATE", "KIND", "AUTHOR", "TITLE", "TAGS", "ID"]
    assert [line.split()[-1] for line in lines[1:]] == [
        stocked["new"][:8],
        stocked["mid"][:8],
        stocked["old"][:8],
    ]
    assert lines[1].startswith("2024-03-03 08:00")
    for column in ("KIND", "AUTHOR", "TITLE", "TAGS"):
        start = lines[0].index(column)
        for line in lines[1:]:
            assert line[start - 2 : start] == "  " and line[start] != " "
    assert "Calm morning" in lines[1] and "#sleep #food" in lines[1]
    assert "Ana Rivera" in lines[1]


def test_list_filters(run: Cli, made: Made, stocked: dict[str, str]) -> None:
    def ids(*args: object) -> list[str]:
        return [r["id"] for r in listing(run, made.path, *args)]

    assert ids("--kind", "checkin") == [stocked["new"], stocked["old"]]
    assert ids("--tag", "food") == [stocked["new"]]
    assert ids("--tag", "#SLEEP") == [stocked["new"], stocked["old"]]
    assert ids("--search", "BANANA") == [stocked["new"]]
    assert ids("-n", "2") == [stocked["new"], stocked["mid"]]
    assert ids("--kind", "checkin", "-n", "1") == [stocked["new"]]
    assert ids("--author", "ana rivera", "-n", "1") == [stocked["new"]]
    assert ids("--search", "nothing like this") == []
    result = run("list", made.path, "--author", "Nobody")
    assert "no member named" in one_error_line(result, 2)
    assert run("list", made.path, "-n", "-3").code == 2


def test_list_of_an_empty_journal(run: Cli, made: Made) -> None:
    assert listing(run, made.path) == []
    result = run("list", made.path)
    assert result.code == 0
    assert result.out == ""


# --- show ---------------------------------------------------------------------------


def test_show_by_prefix_in_text(run: Cli, made: Made) -> None:
    goal_id = run("goal", "add", made.path, "--title", "Request help").line
    entry_id = add(
        run, made.path, "--kind", "checkin", "--title", "Good night",
        "--tag", "sleep", "--field", "mood=5", "--goal", goal_id,
        "--when", "2024-04-01 21:00", "--body", "Slept *through*.\nNo wakings.",
    )  # fmt: skip
    assert run("comment", made.path, entry_id[:10], "--body", "Great to hear!").code == 0
    result = run("show", made.path, entry_id[:6])
    assert result.code == 0, result.err
    text = result.out
    assert text.splitlines()[0] == "Good night"
    assert "Check-in" in text
    assert "2024-04-01 21:00" in text
    assert "Ana Rivera (parent)" in text
    assert "#sleep" in text
    assert "Request help" in text
    assert "Mood (1-5): 5" in text
    assert "Slept *through*.\nNo wakings." in text
    assert "Thread (open, 1 comment)" in text
    assert "Great to hear!" in text
    assert entry_id in text


def test_show_json_has_the_list_record_and_the_thread(run: Cli, made: Made) -> None:
    entry_id = add(run, made.path, "--kind", "win", "--title", "Shared a toy", "--body", "b")
    comment_id = run("comment", made.path, entry_id, "--body", "Lovely").line
    result = run("show", made.path, entry_id[:8], "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) >= LIST_FIELDS
    assert data["id"] == entry_id
    assert data["thread_status"] == "open"
    [comment] = data["comments"]
    assert comment["id"] == comment_id
    assert comment["author"] == "Ana Rivera"
    assert comment["body"] == "Lovely"
    assert comment["created_at"]
    assert run("resolve-thread", made.path, entry_id).line == "resolved"
    data = json.loads(run("show", made.path, entry_id, "--json").out)
    assert data["thread_status"] == "resolved"
    assert run("resolve-thread", made.path, entry_id, "--reopen").line == "open"


def test_show_an_unknown_or_ambiguous_id(run: Cli, made: Made) -> None:
    one_error_line(run("show", made.path, "ffffffffff"), 1)
    journal = Journal.open(made.path, PASSPHRASE)
    ids = [journal.add_entry("win", f"W{i}").id for i in range(40)]
    journal.save()
    # 40 ids over 16 possible first digits: some first digit repeats.
    shared = next(a[:1] for a in ids if sum(1 for b in ids if b[:1] == a[:1]) > 1)
    assert "ambiguous" in one_error_line(run("show", made.path, shared), 2)


def test_show_a_goal(run: Cli, made: Made) -> None:
    goal_id = run(
        "goal", "add", made.path, "--title", "Wait 1 minute", "--measure", "duration"
    ).line
    assert run("goal", "record", made.path, goal_id, "--value", "2.5").code == 0
    text = run("show", made.path, goal_id[:8]).out
    assert "Wait 1 minute" in text and "2.5 min" in text
    data = json.loads(run("show", made.path, goal_id, "--json").out)
    assert data["measure"] == "duration"
    assert [m["value"] for m in data["data"]] == [2.5]


# --- edit, delete, finalize, addendum ---------------------------------------------


def test_edit_changes_title_body_and_tags(run: Cli, made: Made) -> None:
    entry_id = add(run, made.path, "--kind", "checkin", "--title", "Old", "--tag", "a")
    result = run("edit", made.path, entry_id[:8], "--title", "New", "--body", "Text", "--tag", "b")
    assert result.code == 0, result.err
    assert result.line == entry_id
    [record] = listing(run, made.path)
    assert (record["title"], record["body"], record["tags"]) == ("New", "Text", ["b"])
    assert record["updated_at"] >= record["created_at"]
    assert run("edit", made.path, entry_id, "--field", "mood=2").code == 0
    assert listing(run, made.path)[0]["fields"] == {"mood": 2}
    one_error_line(run("edit", made.path, entry_id), 2)


def test_finalized_session_note_refuses_edits_and_takes_addenda(run: Cli, made: Made) -> None:
    note = add(
        run, made.path, "--kind", "session", "--title", "Session 4",
        "--field", "targets=Requesting: 8/10", "--body", "Good session.",
    )  # fmt: skip
    assert listing(run, made.path)[0]["status"] == "draft"
    assert run("finalize", made.path, note[:8]).line == note
    assert listing(run, made.path)[0]["status"] == "final"
    before = made.path.read_bytes()
    refused = run("edit", made.path, note, "--title", "Changed")
    assert "finalized" in one_error_line(refused, 1)
    assert made.path.read_bytes() == before
    addendum = run("addendum", made.path, note, "--body", "Correction: 9/10.")
    assert addendum.code == 0 and FULL_ID.fullmatch(addendum.line)
    shown = run("show", made.path, note)
    assert "Addenda:" in shown.out and "Correction: 9/10." in shown.out
    assert "Session note (final)" in shown.out
    data = json.loads(run("show", made.path, note, "--json").out)
    assert [a["body"] for a in data["addenda"]] == ["Correction: 9/10."]
    assert data["comments"] == []
    one_error_line(run("finalize", made.path, note), 1)


def test_delete_leaves_a_tombstone(run: Cli, made: Made, stocked: dict[str, str]) -> None:
    result = run("delete", made.path, stocked["mid"][:8])
    assert result.code == 0, result.err
    assert result.line == stocked["mid"]
    assert [r["id"] for r in listing(run, made.path)] == [stocked["new"], stocked["old"]]
    journal = Journal.open(made.path, PASSPHRASE)
    tombstone = journal.get(Entry, stocked["mid"])
    assert tombstone.deleted
    assert tombstone.title == "Asked for help"
    assert "Deleted:" in run("show", made.path, stocked["mid"]).out
    one_error_line(run("delete", made.path, stocked["mid"]), 1)
    assert journal.stats().deleted == 1


# --- goals ---------------------------------------------------------------------------


def test_goals_percent_and_count(run: Cli, made: Made) -> None:
    percent = run("goal", "add", made.path, "--title", "Request help", "--domain", "communication")
    assert percent.code == 0 and FULL_ID.fullmatch(percent.line)
    count = run(
        "goal", "add", made.path, "--title", "Greets peers", "--measure", "count",
        "--criterion", "5", "--sessions", "2", "--status", "acquisition",
    )  # fmt: skip
    assert count.code == 0 and FULL_ID.fullmatch(count.line)
    for day, correct in (("2024-05-01", "9"), ("2024-05-02", "10"), ("2024-05-03", "10")):
        recorded = run(
            "goal", "record", made.path, percent.line[:8], "--correct", correct, "--total", "10",
            "--prompt", "verbal", "--setting", "home", "--note", "ok", "--date", day,
        )  # fmt: skip
        assert recorded.code == 0, recorded.err
        assert FULL_ID.fullmatch(recorded.line)
    assert run("goal", "record", made.path, count.line, "--value", "3").code == 0
    goals = json.loads(run("goal", "list", made.path, "--json").out)
    by_title = {g["title"]: g for g in goals}
    assert by_title["Request help"]["criterion_met"] is True
    assert by_title["Request help"]["last_value"] == 100.0
    assert by_title["Request help"]["criterion"] == "90% across 3 consecutive sessions"
    assert by_title["Greets peers"]["criterion_met"] is False
    assert by_title["Greets peers"]["last_value"] == 3
    assert by_title["Greets peers"]["status"] == "acquisition"
    text = run("goal", "list", made.path).out.splitlines()
    assert text[0].split() == ["TITLE", "STATUS", "MEASURE", "CRITERION", "LAST", "MET", "ID"]
    row = next(line for line in text if line.startswith("Request help"))
    assert "100% (10/10)" in row and " yes " in row and row.endswith(percent.line[:8])
    row = next(line for line in text if line.startswith("Greets peers"))
    assert "5 across 2 consecutive sessions" in row and " no " in row


@pytest.mark.parametrize(
    ("measure", "args"),
    [
        ("percent", ("--correct", "11", "--total", "10")),
        ("percent", ("--correct", "3")),
        ("percent", ("--value", "150")),
        ("percent", ("--value", "abc")),
        ("percent", ("--value", "nan")),
        ("percent", ("--correct", "1", "--total", "0")),
        ("percent", ("--value", "50", "--correct", "1", "--total", "2")),
        ("percent", ("--correct", "1", "--total", "2", "--prompt", "shouting")),
        ("percent", ("--correct", "1", "--total", "2", "--date", "May 5")),
        ("count", ("--value", "-1")),
        ("count", ("--correct", "1", "--total", "2")),
        ("count", ()),
        ("rating", ("--value", "7")),
    ],
)
def test_goal_record_rejects_bad_values_with_exit_2(
    run: Cli, made: Made, measure: str, args: tuple[str, ...]
) -> None:
    goal_id = run("goal", "add", made.path, "--title", "G", "--measure", measure).line
    before = made.path.read_bytes()
    one_error_line(run("goal", "record", made.path, goal_id, *args), 2)
    assert made.path.read_bytes() == before


def test_goal_add_rejects_bad_values(run: Cli, made: Made) -> None:
    one_error_line(run("goal", "add", made.path, "--title", "G", "--measure", "speed"), 2)
    one_error_line(run("goal", "add", made.path, "--title", "G", "--criterion", "120"), 2)
    one_error_line(run("goal", "add", made.path, "--title", "G", "--sessions", "0"), 2)
    one_error_line(run("goal", "add", made.path, "--title", "G", "--status", "done"), 2)
    one_error_line(run("goal", "add", made.path, "--title", " "), 2)


# --- comments -------------------------------------------------------------------------


def test_comment_prints_its_id_and_joins_the_thread(run: Cli, made: Made) -> None:
    entry_id = add(run, made.path, "--kind", "question", "--title", "Screen time?")
    first = run("comment", made.path, entry_id[:8], "--body", "How much is ok?")
    second = run("comment", made.path, entry_id, stdin="Let's talk Tuesday.")
    assert first.code == 0 and FULL_ID.fullmatch(first.line)
    assert second.code == 0 and FULL_ID.fullmatch(second.line)
    comments = json.loads(run("show", made.path, entry_id, "--json").out)["comments"]
    assert [c["id"] for c in comments] == [first.line, second.line]
    assert [c["body"] for c in comments] == ["How much is ok?", "Let's talk Tuesday."]
    one_error_line(run("comment", made.path, entry_id, "--body", "  "), 2)
    one_error_line(run("comment", made.path, "0000dead", "--body", "hi"), 1)


# --- verify ---------------------------------------------------------------------------


def test_verify_prints_a_summary(run: Cli, made: Made, stocked: dict[str, str]) -> None:
    run("delete", made.path, stocked["old"])
    run("goal", "add", made.path, "--title", "Request help")
    result = run("verify", made.path)
    assert result.code == 0, result.err
    text = result.out
    assert text.startswith("OK:")
    assert "Sam's journal" in text
    assert "Ana Rivera (parent)" in text
    assert "1 checkin" in text and "1 win" in text and "0 incident" in text
    assert "1 goals" in text
    assert re.search(r"Deleted:\s+1", text)
    assert "Last change:" in text


def test_verify_reports_a_flipped_byte_with_exit_4_in_a_subprocess(made: Made) -> None:
    data = bytearray(made.path.read_bytes())
    data[len(data) // 2] ^= 0x40
    made.path.write_bytes(bytes(data))
    result = run_subprocess("verify", made.path)
    line = one_error_line(result, 4)
    assert "damaged" in line
    assert "passphrase" not in line
    assert made.path.read_bytes() == bytes(data)
    # Damage is reported before asking for a passphrase, even with none available.
    one_error_line(run_subprocess("verify", made.path, passphrase=None), 4)


def test_verify_with_the_wrong_passphrase_exits_3(run: Cli, made: Made) -> None:
    one_error_line(run("verify", made.path, passphrase="nope"), 3)


# --- passphrases and errors ----------------------------------------------------------


def test_passwd_replaces_the_passphrase_and_keeps_the_recovery_code(run: Cli, made: Made) -> None:
    add(run, made.path, "--kind", "win", "--title", "Before")
    result = run("passwd", made.path, env={"TANDEM_NEW_PASSPHRASE": "a new one for spring"})
    assert result.code == 0, result.err
    assert "Ana Rivera" in result.out
    one_error_line(run("list", made.path, passphrase=PASSPHRASE), 3)
    assert [r["title"] for r in listing_with(run, made.path, "a new one for spring")] == ["Before"]
    assert [r["title"] for r in listing_with(run, made.path, made.code)] == ["Before"]
    assert [r["title"] for r in listing_with(run, made.path, made.code.lower())] == ["Before"]


def listing_with(run: Cli, path: Path, secret: str) -> list[dict[str, Any]]:
    """`tandem list --json` unlocked with `secret`."""
    result = run("list", path, "--json", passphrase=secret)
    assert result.code == 0, result.err
    data: list[dict[str, Any]] = json.loads(result.out)
    return data


def test_passwd_with_the_recovery_code_sets_a_new_passphrase(run: Cli, made: Made) -> None:
    new = {"TANDEM_NEW_PASSPHRASE": "after recovery"}
    result = run("passwd", made.path, "--member", "Ana Rivera", passphrase=made.code, env=new)
    assert result.code == 0, result.err
    assert listing_with(run, made.path, "after recovery") == []
    assert listing_with(run, made.path, made.code) == []


def test_passwd_for_another_member_needs_the_recovery_code(run: Cli, made: Made) -> None:
    journal = Journal.open(made.path, PASSPHRASE)
    journal.add_member("Dr. Lee", "therapist")
    journal.save()
    before = made.path.read_bytes()
    result = run("passwd", made.path, "--member", "Dr. Lee", env={"TANDEM_NEW_PASSPHRASE": "x"})
    assert "recovery code" in one_error_line(result, 2)
    assert made.path.read_bytes() == before
    one_error_line(run("passwd", made.path, "--member", "Nobody"), 2)


def test_passwd_without_a_new_passphrase_or_terminal_exits_2(run: Cli, made: Made) -> None:
    before = made.path.read_bytes()
    assert "TANDEM_NEW_PASSPHRASE" in one_error_line(run("passwd", made.path), 2)
    assert made.path.read_bytes() == before


def test_wrong_passphrase_in_a_subprocess_exits_3_and_changes_nothing(made: Made) -> None:
    before = made.path.read_bytes()
    result = run_subprocess("add", made.path, "--kind", "win", "--title", "T", passphrase="wrong")
    assert "wrong passphrase" in one_error_line(result, 3)
    assert result.out == ""
    assert made.path.read_bytes() == before


def test_not_a_tandem_file_exits_4(run: Cli, tmp_path: Path) -> None:
    other = tmp_path / "notes.tandem"
    other.write_text("just some notes\n", encoding="utf-8")
    line = one_error_line(run("list", other), 4)
    assert "not a Tandem journal" in line
    assert other.read_text(encoding="utf-8") == "just some notes\n"


@pytest.mark.parametrize("keep", [0, 5, 12, 40, -1])
def test_a_truncated_file_exits_4_not_wrong_passphrase(run: Cli, made: Made, keep: int) -> None:
    data = made.path.read_bytes()
    made.path.write_bytes(data[:keep] if keep >= 0 else data[:-1])
    line = one_error_line(run("list", made.path), 4)
    assert "damaged" in line and "passphrase" not in line
    line = one_error_line(run("list", made.path, passphrase=None), 4)
    assert "damaged" in line


def test_a_newer_format_exits_4(run: Cli, made: Made) -> None:
    data = bytearray(made.path.read_bytes())
    data[8:10] = (FORMAT_VERSION + 1).to_bytes(2, "big")
    made.path.write_bytes(bytes(data))
    assert "newer version" in one_error_line(run("list", made.path), 4)


def test_a_missing_file_exits_1(run: Cli, tmp_path: Path) -> None:
    assert "no journal at" in one_error_line(run("list", tmp_path / "nope.tandem"), 1)
    one_error_line(run("show", tmp_path / "nope.tandem", "abc", passphrase=None), 1)
    assert not (tmp_path / "nope.tandem").exists()


def test_no_passphrase_and_no_terminal_exits_2(run: Cli, made: Made) -> None:
    line = one_error_line(run("list", made.path, passphrase=None), 2)
    assert "TANDEM_PASSPHRASE" in line and "--passphrase-file" in line
    sub = run_subprocess("list", made.path, passphrase=None)
    assert "TANDEM_PASSPHRASE" in one_error_line(sub, 2)


def test_passphrase_file_takes_the_first_line(run: Cli, made: Made, tmp_path: Path) -> None:
    secret = tmp_path / "pass"
    secret.write_text(PASSPHRASE + "\r\nsecond line\n", encoding="utf-8")
    assert run("list", made.path, "--passphrase-file", secret, passphrase=None).code == 0
    empty = tmp_path / "empty"
    empty.write_text("\n", encoding="utf-8")
    one_error_line(run("list", made.path, "--passphrase-file", empty, passphrase=None), 2)
    missing = tmp_path / "missing"
    one_error_line(run("list", made.path, "--passphrase-file", missing, passphrase=None), 2)


def test_the_prompt_is_used_on_a_terminal(
    run: Cli, made: Made, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts = at_a_terminal(monkeypatch, PASSPHRASE)
    result = run("list", made.path, "--json", passphrase=None)
    assert result.code == 0, result.err
    assert prompts == ["Passphrase for family.tandem: "]


def test_ctrl_c_at_the_prompt_exits_130(
    run: Cli, made: Made, monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    def interrupted(prompt: str = "") -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(terminal, "terminal_available", lambda: True)
    monkeypatch.setattr(getpass, "getpass", interrupted)
    result = run("list", made.path, passphrase=None)
    assert result.code == 130
    assert "Traceback" not in result.err


def test_an_unexpected_error_is_one_line_exit_1(
    run: Cli, made: Made, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Journal, **kwargs: Any) -> list[Entry]:
        raise RuntimeError("disk gremlins\nsecond line")

    monkeypatch.setattr(Journal, "entries", broken)
    assert "disk gremlins second line" in one_error_line(run("list", made.path), 1)


@pytest.mark.parametrize(
    "args",
    [
        ("frobnicate",),
        ("add",),
        ("list",),
        ("new", "x.tandem", "--title", "T", "--name", "N", "--role", "king"),
        ("list", "x.tandem", "--passphrase", "secret"),
        ("goal",),
        ("goal", "record"),
        ("export", "x.tandem", "--format", "pdf", "-o", "out"),
    ],
)
def test_usage_errors_exit_2_with_one_line(run: Cli, args: tuple[str, ...]) -> None:
    result = run(*args)
    one_error_line(result, 2)
    assert result.out == ""


def test_a_passphrase_argument_is_refused_without_echoing_it(run: Cli) -> None:
    for args in (("--passphrase", "hunter2"), ("--passphrase=hunter2",)):
        line = one_error_line(run("list", "x.tandem", *args), 2)
        assert "hunter2" not in line and "TANDEM_PASSPHRASE" in line


def test_usage_errors_in_a_subprocess_have_no_traceback() -> None:
    result = run_subprocess("add", "--kind")
    one_error_line(result, 2)
    assert "usage:" not in result.err


def test_no_arguments_prints_help(run: Cli) -> None:
    result = run()
    assert result.code == 0
    assert "usage: tandem" in result.out
    for command in ("new", "add", "list", "show", "goal", "verify", "passwd", "demo"):
        assert command in result.out
    assert run("--help").code == 0
    assert run("add", "--help").code == 0


# --- terminal safety ------------------------------------------------------------------


def test_markup_and_escapes_round_trip_and_never_reach_the_terminal(run: Cli, made: Made) -> None:
    markup = "[bold red]hi[/]"
    escape = "\x1b[31mred\x1b[0m and \x9b2J"
    first = add(run, made.path, "--kind", "win", "--title", markup, "--body", escape)
    second = add(run, made.path, "--kind", "win", "--title", escape, "--tag", "\x1b[5m")
    records = {r["id"]: r for r in listing(run, made.path)}
    assert records[first]["title"] == markup
    assert records[first]["body"] == escape
    assert records[second]["title"] == escape
    raw = run("list", made.path, "--json").out
    assert "\x1b" not in raw and "\x9b" not in raw
    for args in (("list", made.path), ("show", made.path, first), ("show", made.path, second)):
        out = run(*args).out
        assert "\x1b" not in out and "\x9b" not in out
    listed = run("list", made.path).out
    assert markup in listed
    assert "\\x1b[31mred" in listed
    assert "\\x1b[31mred\\x1b[0m and \\x9b2J" in run("show", made.path, first).out


def test_show_in_a_subprocess_never_emits_a_raw_escape(made: Made) -> None:
    title = "\x1b]0;pwned\x07 title"
    added = run_subprocess("add", made.path, "--kind", "win", "--title", title, "--body", "\x1bc")
    assert added.code == 0, added.err
    shown = run_subprocess("show", made.path, added.out.strip())
    assert shown.code == 0, shown.err
    assert "\x1b" not in shown.out and "\x07" not in shown.out
    assert "\\x1b]0;pwned\\x07 title" in shown.out
    listed = json.loads(run_subprocess("list", made.path, "--json").out)
    assert listed[0]["title"] == title


def test_safe_text_helpers() -> None:
    assert safe_text("a\tb\nc\r\nd") == "a\tb\nc\nd"
    assert safe_text("\x1b[1m\x07\x7f\x85\u202e") == "\\x1b[1m\\x07\\x7f\\x85\\u202e"
    assert safe_line("one\ntwo\tthree\rfour") == "one two three\\x0dfour"
    assert safe_text("Zoë 👋 日本") == "Zoë 👋 日本"


# --- app, demo, import, export (the other modules replaced by stand-ins) -------------


def test_tandem_path_opens_the_app(run: Cli, made: Made, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Journal] = []

    unlock_screens: list[Path | None] = []

    class FakeApp:
        def __init__(
            self, journal: Journal | None, *, path: Path | None = None, secret: str | None = None
        ) -> None:
            self.journal = journal
            self.path = path
            self.secret = secret

        def run(self) -> None:
            if self.journal is not None:
                opened.append(self.journal)
            elif self.secret is not None:
                opened.append(Journal.open(self.path or "", self.secret))
            else:
                unlock_screens.append(self.path)

    fake = types.ModuleType("screens.app")
    fake.TandemApp = FakeApp  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "screens.app", fake)
    monkeypatch.setattr(terminal, "interactive", lambda: True)
    assert run(made.path).code == 0
    assert run("open", made.path).code == 0
    assert [j.title for j in opened] == ["Sam's journal", "Sam's journal"]
    # without a passphrase given, the app asks for it on its own unlock screen
    monkeypatch.delenv("TANDEM_PASSPHRASE", raising=False)
    assert run("open", made.path, passphrase=None).code == 0
    assert unlock_screens == [Path(made.path)]
    assert run(passphrase=None).code == 0  # `tandem` alone: the welcome screen
    assert unlock_screens == [Path(made.path), None]
    monkeypatch.setattr(terminal, "interactive", lambda: False)
    assert "terminal" in one_error_line(run(made.path), 2)
    one_error_line(run(made.path, passphrase="wrong"), 3)


def test_demo_writes_a_journal_and_prints_where(
    run: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def write_demo_journal(path: Path, *, passphrase: str) -> Journal:
        journal, _code = Journal.create(
            path, title="Demo", name="Maya", role="parent", passphrase=passphrase
        )
        return journal

    fake = types.ModuleType("journal.demo")
    fake.DEMO_PASSPHRASE = "demo passphrase"  # type: ignore[attr-defined]
    fake.write_demo_journal = write_demo_journal  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "journal.demo", fake)
    result = run("demo", "--dir", tmp_path / "demo", "--no-open", passphrase=None)
    assert result.code == 0, result.err
    assert "demo passphrase" in result.out
    path = tmp_path / "demo" / "demo.tandem"
    assert str(path) in result.out
    assert Journal.open(path, "demo passphrase").title == "Demo"
    one_error_line(run("demo", "--dir", tmp_path / "demo", "--no-open"), 1)


def test_export_and_import_call_the_exports_module(
    run: Cli, made: Made, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, Any]] = []

    def export_to(journal: Journal, fmt: str, out: Path, **filters: Any) -> str:
        assert journal.path == made.path
        calls.append((fmt, filters))
        Path(out).write_text('{"ok": true}' if fmt == "json" else "# ok\n", encoding="utf-8")
        return f"the export is NOT encrypted: {out}"

    @dataclass
    class Report:
        added: int
        skipped: int
        format: str

    def import_file(journal: Journal, source: Path, *, kind: str = "checkin") -> Report:
        journal.add_entry(kind, "Imported", "from " + source.name)
        calls.append(("import", kind))
        return Report(1, 2, "jrnl")

    fake = types.ModuleType("journal.reports")
    for function in (export_to, import_file):
        setattr(fake, function.__name__, function)
    monkeypatch.setitem(sys.modules, "journal.reports", fake)

    out = tmp_path / "out.json"
    args = ("--format", "json", "-o", out, "--from", "2024-01-01", "--to", "2024-12-31")
    result = run("export", made.path, *args, "--kind", "win")
    assert result.code == 0, result.err
    assert "NOT encrypted" in result.err
    assert out.read_text(encoding="utf-8") == '{"ok": true}'
    none = {"goal": None, "pseudonym": None}
    assert calls[-1] == (
        "json",
        {"since": "2024-01-01", "until": "2024-12-31", "kind": "win", **none},
    )
    assert run("export", made.path, "--format", "md", "-o", tmp_path / "out.md").code == 0
    assert calls[-1] == ("md", {"since": None, "until": None, "kind": None, **none})
    one_error_line(run("export", made.path, "--format", "md", "-o", out, "--from", "May"), 2)

    source = tmp_path / "jrnl.json"
    source.write_text("{}", encoding="utf-8")
    result = run("import", made.path, source, "--kind", "observation")
    assert result.code == 0, result.err
    assert "1 record" in result.out and "skipped 2" in result.out and "jrnl" in result.out
    assert calls[-1] == ("import", "observation")
    assert [r["title"] for r in listing(run, made.path, "--kind", "observation")] == ["Imported"]
    assert "no file" in one_error_line(run("import", made.path, tmp_path / "missing.json"), 1)


def test_real_export_and_import_round_trip(run: Cli, made: Made, tmp_path: Path) -> None:
    entry_id = add(run, made.path, "--kind", "win", "--title", "Tied shoes", "--body", "Alone!")
    out = tmp_path / "export.json"
    result = run("export", made.path, "--format", "json", "-o", out)
    assert result.code == 0, result.err
    assert "NOT encrypted" in result.err
    assert "Tied shoes" in out.read_text(encoding="utf-8")
    markdown = tmp_path / "export.md"
    assert run("export", made.path, "--format", "md", "-o", markdown).code == 0
    assert "Tied shoes" in markdown.read_text(encoding="utf-8")
    refused = run("export", made.path, "--format", "json", "-o", made.path)
    one_error_line(refused, 1)

    other = tmp_path / "other.tandem"
    created = run("new", other, "--title", "Copy", "--name", "Bo", "--role", "therapist")
    assert created.code == 0, created.err
    before = other.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text("this is not json", encoding="utf-8")
    one_error_line(run("import", other, bad), 1)
    assert other.read_bytes() == before
    imported = run("import", other, out)
    assert imported.code == 0, imported.err
    assert "tandem" in imported.out
    assert [r["id"] for r in listing(run, other)] == [entry_id]
    again = run("import", other, out)
    assert again.code == 0 and "Imported 0 records" in again.out


def test_a_wrong_passphrase_at_the_prompt_is_asked_again(
    run: Cli, made: Made, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts = at_a_terminal(monkeypatch, "wrong", PASSPHRASE, "wrong", "wrong", "wrong")
    assert run("list", made.path, passphrase=None).code == 0
    assert len(prompts) == 2 and prompts[1].startswith("Wrong passphrase")
    one_error_line(run("list", made.path, passphrase=None), 3)
    assert len(prompts) == 5
    assert (
        prompts[-1]
        == "Wrong passphrase or recovery code; try again. Passphrase for family.tandem: "
    )


def test_real_demo_journal_verifies_and_lists(
    run: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from journal.demo import DEMO_PASSPHRASE

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = run("demo", "--no-open", passphrase=None)
    assert result.code == 0, result.err
    path = Path(result.out.splitlines()[0].split(": ", 1)[1])
    assert path.parent.parent == tmp_path and path.suffix == ".tandem"
    assert DEMO_PASSPHRASE in result.out
    verified = run("verify", path, passphrase=DEMO_PASSPHRASE)
    assert verified.code == 0, verified.err
    assert "therapist" in verified.out
    entries = listing_with(run, path, DEMO_PASSPHRASE)
    assert {r["kind"] for r in entries} >= {"checkin", "incident", "session"}
    goals = json.loads(run("goal", "list", path, "--json", passphrase=DEMO_PASSPHRASE).out)
    assert goals and all(FULL_ID.fullmatch(g["id"]) for g in goals)
