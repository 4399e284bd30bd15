"""The demo journal: realistic, complete, deterministic, encrypted, and quick to make."""

from __future__ import annotations

import copy
import hashlib
import json
import random
import re
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from journal import demo as demo_module
from journal.demo import DEMO_PASSPHRASE, STORY_FILES, load_story, write_demo_journal
from journal.demo_everyday import WEEKDAYS, Everyday
from journal.errors import TandemError, WrongPassphrase
from journal.journal import Journal
from journal.model import (
    ENTRY_KINDS,
    GOAL_DOMAINS,
    GOAL_OWNERS,
    GOAL_STATUSES,
    KIND_FIELDS,
    PROMPT_LEVELS,
    ROLES,
    Comment,
    Goal,
    Measurement,
    Resource,
    Session,
    Thread,
)
from journal.reports import export_json

TODAY = date(2025, 6, 18)
CANCELLED_WEEK = 3  # the session of week 3 is cancelled (the cold)


@pytest.fixture
def demo(tmp_path: Path) -> Journal:
    """The demo journal as written (and saved) for a fixed day."""
    return write_demo_journal(tmp_path / "demo.tandem", today=TODAY)


def snapshot(journal: Journal) -> dict[str, Any]:
    """Everything a person can read in the journal, without random ids and sync metadata."""
    name = journal.member_name
    goal_title = {g.id: g.title for g in journal.goals()}
    return {
        "info": {
            k: v
            for k, v in journal.info.to_doc().items()
            if k in ("title", "child_name", "interests", "strengths", "avoid")
        },
        "members": sorted(
            (m.name, m.role, m.background, m.values, m.what_works, m.last_seen)
            for m in journal.members()
        ),
        "entries": [
            (
                e.kind,
                e.title,
                e.body,
                e.occurred_at,
                json.dumps(e.fields, sort_keys=True),
                e.tags,
                sorted(goal_title[g] for g in e.goals),
                name(e.author),
                e.created_at,
                e.status,
            )
            for e in journal.entries()
        ],
        "goals": [
            (g.title, g.status, g.measure, g.criterion_value, g.start_date, g.created_at)
            for g in journal.goals()
        ],
        "measurements": sorted(
            (goal_title[m.goal_id], m.date, m.correct, m.total, m.value, m.prompt, name(m.author))
            for m in journal.all(Measurement)
        ),
        "comments": sorted(
            (c.body, c.kind, name(c.author), c.created_at) for c in journal.all(Comment)
        ),
        "sessions": [(s.starts_at, s.status, s.location, s.notes) for s in journal.sessions()],
        "resources": sorted(
            (r.title, r.kind, sorted(name(m) for m in r.acknowledged))
            for r in journal.all(Resource)
        ),
    }


def test_reopens_with_its_passphrase_as_a_parent(demo: Journal) -> None:
    reopened = Journal.open(demo.path, DEMO_PASSPHRASE)
    assert reopened.title == "Sam's journal"
    assert reopened.info.child_name == "Sam"
    assert reopened.me.name == "Maya Rivera"
    assert reopened.me.role == "parent"
    assert snapshot(reopened) == snapshot(demo)
    with pytest.raises(WrongPassphrase):
        Journal.open(demo.path, "not the demo passphrase")


def test_custom_passphrase(tmp_path: Path) -> None:
    journal = write_demo_journal(tmp_path / "x.tandem", passphrase="s3cret", today=TODAY)
    assert Journal.open(journal.path, "s3cret").title == journal.title


def test_members_and_journal_page(demo: Journal) -> None:
    members = demo.members()
    assert {m.role for m in members} == {"parent", "therapist"}
    assert {m.name for m in members} == {"Maya Rivera", "Daniel Rivera", "Dr. Lee Chen"}
    for member in members:
        assert member.background and member.values and member.what_works, member.name
        assert member.last_seen
    info = demo.info
    assert info.interests and info.strengths and info.avoid


def test_every_entry_kind_with_its_fields(demo: Journal) -> None:
    by_kind = {kind: demo.entries(kind=kind) for kind in ENTRY_KINDS}
    assert all(by_kind.values()), {k: len(v) for k, v in by_kind.items()}
    assert len(by_kind["checkin"]) >= 70  # near-daily over about three months
    assert len(by_kind["incident"]) >= 4
    assert len(by_kind["session"]) >= 10
    members = demo.members_by_id()
    for kind, entries in by_kind.items():
        known = {spec.name for spec in KIND_FIELDS[kind]}
        for entry in entries:
            assert set(entry.fields) <= known, (kind, set(entry.fields) - known)
            role = members[entry.author].role
            assert role == ("therapist" if kind == "session" else "parent"), entry.title
    for checkin in by_kind["checkin"]:
        assert 1 <= checkin.fields["mood"] <= 5
        for count in ("aggression", "self_injury", "elopement", "night_wakings"):
            assert isinstance(checkin.fields[count], int)
    for incident in by_kind["incident"]:
        for name in ("antecedent", "behavior", "consequence", "intensity", "function"):
            assert incident.fields.get(name), (incident.title, name)


def test_session_notes_drafts_finals_and_an_addendum(demo: Journal) -> None:
    notes = demo.entries(kind="session")  # newest first
    assert notes[0].status == "draft"
    assert all(note.locked for note in notes[1:])
    assert sum(len(demo.addenda(note.id)) for note in notes) == 1
    assert all(note.session_id for note in notes)
    for note in notes:
        assert note.fields["targets"] and note.fields["home_assignment"]


def test_goals_with_learning_curves(demo: Journal) -> None:
    goals = demo.goals()
    assert 5 <= len(goals) <= 7
    assert {"baseline", "acquisition", "mastered", "maintenance"} <= {g.status for g in goals}
    assert any(g.parent_id for g in goals)
    assert len({g.domain for g in goals}) >= 4
    for goal in goals:
        assert goal.method and goal.desired_outcome and goal.description
        points = demo.measurements(goal.id)
        assert 8 <= len(points) <= 25, goal.title
        assert all(p.date < TODAY.isoformat() for p in points)
    met = [g for g in goals if demo.criterion_met(g.id)]
    assert any(g.status == "acquisition" for g in met)  # awaiting the therapist's call
    assert any(g.status == "acquisition" and not demo.criterion_met(g.id) for g in goals)
    for goal in goals:
        if goal.measure != "percent" or goal.status != "acquisition":
            continue
        scores = [p.score or 0.0 for p in demo.measurements(goal.id)]
        third = max(len(scores) // 3, 1)
        assert sum(scores[-third:]) / third > sum(scores[:third]) / third, goal.title
    prompted = [p for g in goals for p in demo.measurements(g.id) if p.prompt]
    assert len({p.prompt for p in prompted}) >= 4  # prompts fade over time


def test_threads_resources_and_sessions(demo: Journal) -> None:
    threads = {c.target_id for c in demo.all(Comment) if c.kind == "comment"}
    statuses = {demo.thread_status(t) for t in threads}
    assert statuses == {"open", "resolved"}
    assert len(threads) >= 8
    assert sum(len(demo.thread(t)) >= 2 for t in threads) >= 5  # replies, not monologues
    assert any(t.topic for t in demo.all(Thread))
    goal_ids = {g.id for g in demo.goals()}
    assert threads & goal_ids
    resources = demo.all(Resource)
    assert 3 <= len(resources) <= 5
    assert any(r.acknowledged for r in resources)
    assert any(not r.acknowledged for r in resources)
    sessions = demo.sessions()
    statuses = {s.status for s in sessions}
    assert {"done", "cancelled", "moved", "planned"} <= statuses
    today = TODAY.isoformat()
    assert all(s.starts_at >= today for s in sessions if s.status == "planned")
    assert all(s.starts_at < today for s in sessions if s.status == "done")


def test_everything_happened_in_the_three_months_before_today(demo: Journal) -> None:
    start = (TODAY - timedelta(days=95)).isoformat()
    entries = demo.entries()
    assert all(start <= e.occurred_at < TODAY.isoformat() for e in entries)
    assert entries[0].occurred_at >= (TODAY - timedelta(days=3)).isoformat()  # recent activity
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    records: list[Any] = [*entries, *demo.all(Comment), *demo.all(Measurement)]
    assert all(r.created_at < now for r in records)
    created = [e.created_at for e in entries]
    assert min(created) >= (TODAY - timedelta(days=96)).isoformat()


def test_deterministic_for_a_seed_and_a_day(demo: Journal, tmp_path: Path) -> None:
    again = write_demo_journal(tmp_path / "again.tandem", today=TODAY)
    assert snapshot(again) == snapshot(demo)
    other_seed = write_demo_journal(tmp_path / "seed.tandem", today=TODAY, seed=8)
    assert snapshot(other_seed) != snapshot(demo)
    later = write_demo_journal(tmp_path / "later.tandem", today=TODAY + timedelta(days=3))
    assert later.entries()[0].occurred_at > demo.entries()[0].occurred_at


def test_no_plaintext_in_the_file(demo: Journal) -> None:
    data = demo.path.read_bytes()
    secrets = [
        b"Sam's journal",
        b'"Sam"',
        b"Maya Rivera",
        b"Daniel Rivera",
        b"Dr. Lee Chen",
        b"Percy",
        b"Fairview Market",
    ]
    secrets += [e.title.encode() for e in demo.entries() if len(e.title) >= 8][:40]
    secrets += [g.title.encode() for g in demo.goals()]
    for secret in secrets:
        assert secret not in data, secret
        assert secret.decode().encode("utf-16-le") not in data, secret


def test_pseudonymized_export_of_the_demo_never_names_the_child(demo: Journal) -> None:
    text = export_json(demo, pseudonym="Alex")
    assert not re.search(r"(?<!\w)sam(?!\w)", text, re.IGNORECASE)
    assert "Alex's journal" in text


def test_quick_with_the_test_key_derivation(tmp_path: Path) -> None:
    started = time.perf_counter()
    write_demo_journal(tmp_path / "quick.tandem", today=TODAY)
    assert time.perf_counter() - started < 2.0


def test_default_today_and_refusing_an_existing_file(tmp_path: Path) -> None:
    journal = write_demo_journal(tmp_path / "now.tandem")
    newest = journal.entries()[0].occurred_at
    assert newest < date.today().isoformat()
    with pytest.raises(TandemError, match="already exists"):
        write_demo_journal(journal.path)


# --- the story as data (journal/demo_story/*.toml) ----------------------------------------


def content(journal: Journal) -> dict[str, list[Any]]:
    """What a person reads in the journal, by kind of record, without ids and UTC times.

    UTC times are left out because the demo turns its local times into UTC with
    the machine's time zone.
    """
    name = journal.member_name
    label: dict[str, str] = {}
    label |= {g.id: f"goal {g.title}" for g in journal.goals()}
    label |= {e.id: f"{e.kind} {e.title}" for e in journal.entries()}
    label |= {r.id: f"resource {r.title}" for r in journal.all(Resource)}
    label |= {s.id: f"session {s.starts_at} {s.status}" for s in journal.all(Session)}
    label |= {t.id: f"topic {t.title}" for t in journal.all(Thread) if t.topic}
    info = journal.info
    return {
        "page": [info.title, info.child_name, info.interests, info.strengths, info.avoid],
        "members": [
            (m.name, m.role, m.background, m.values, m.what_works, m.contact_times)
            for m in journal.members()
        ],
        "goals": [
            (g.title, g.domain, g.description, g.method, g.desired_outcome, g.owner, g.setting)
            + (g.start_date, g.review_date, g.measure, g.criterion_value, g.status)
            + (label.get(g.parent_id or "", ""),)
            for g in journal.goals()
        ],
        "measurements": sorted(
            (label[m.goal_id], m.date, m.correct, m.total, m.value)
            + (m.prompt, m.setting, m.note, name(m.author))
            for m in journal.all(Measurement)
        ),
        "sessions": sorted(
            (s.starts_at, s.duration_min, s.status, s.location, s.notes)
            for s in journal.all(Session)
        ),
        "resources": sorted(
            (r.title, r.kind, r.url, r.text, label.get(r.goal_id or "", ""))
            + (sorted(name(m) for m in r.acknowledged),)
            for r in journal.all(Resource)
        ),
        "entries": [
            (e.kind, e.title, e.body, e.occurred_at, json.dumps(e.fields, sort_keys=True))
            + (e.tags, sorted(label[g] for g in e.goals), name(e.author), e.status)
            + (label.get(e.session_id or "", ""), [a.body for a in journal.addenda(e.id)])
            for e in journal.entries()
        ],
        "comments": sorted(
            (label[c.target_id], c.body, c.kind, name(c.author)) for c in journal.all(Comment)
        ),
        "threads": sorted((label[t.id], journal.thread_status(t.id)) for t in journal.all(Thread)),
    }


def digest(rows: list[Any]) -> str:
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:16]


# Counts and digests of `content` for TODAY and seed 7, as the demo wrote it when the story
# was Python literals in journal/demo.py (before issue #10). A change of the story files or
# of the builder that changes the journal changes them: update them when that is meant.
BEFORE_THE_STORY_WAS_DATA = {
    "page": (5, "4e3e6889dbe251fe"),
    "members": (3, "66a53a85a1a68805"),  # re-pinned: the creator joins first, not today
    "goals": (7, "e24d122b7746ea6a"),
    "measurements": (96, "b842cad91b9bf078"),
    "sessions": (18, "04b3e3629d783cf7"),
    "resources": (5, "580d49e5c9f46d63"),
    "entries": (113, "901b6bf4c677f292"),
    "comments": (37, "2f2d4fe3eb581b9a"),
    "threads": (14, "50bdca91afc36e2d"),
}


def test_the_same_journal_as_when_the_story_was_code(demo: Journal) -> None:
    found = {kind: (len(rows), digest(rows)) for kind, rows in content(demo).items()}
    assert found == BEFORE_THE_STORY_WAS_DATA


def story_problems(story: dict[str, dict[str, Any]]) -> list[str]:
    """Everything in the story files that names something missing or is out of range."""
    problems: list[str] = []
    members = story["story"]["members"]
    goals = story["goals"]["goal"]
    sessions = story["sessions"]
    weeks = {int(k): week for k, week in sessions["week"].items()}
    held = {k for k in range(sessions["weeks"]) if "cancelled" not in weeks.get(k, {})}
    entries = story["entries"]

    def check(ok: bool, where: str, what: str) -> None:
        if not ok:
            problems.append(f"{where}: {what}")

    def walk(node: Any, where: str) -> None:
        """Every `by` a member, every `day` a day, every time a time, every goal a goal."""
        if isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{where}[{i}]")
            return
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            here = f"{where}.{key}"
            if key == "by":
                check(value in members, here, f"no member {value!r}")
            elif key == "day" and isinstance(value, str):
                ago = re.fullmatch(r"(\d+) days ago", value)
                check(bool(ago) or value in ("yesterday", "last workday"), here, repr(value))
            elif key == "day":
                check(isinstance(value, int) and -7 <= value < 99, here, repr(value))
            elif key in ("at", "happened_at", "to_at"):
                check(bool(re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value)), here, repr(value))
            elif key in ("goal", "part_of") and isinstance(value, str):
                check(value in goals, here, f"no goal {value!r}")
            elif key == "goals":
                check(set(value) <= set(goals), here, f"no goals {set(value) - set(goals)}")
            elif key == "week" and isinstance(value, int):
                check(value in held, here, f"no session in week {value}")
            walk(value, here)

    for name, data in story.items():
        walk(data, name)

    for key, member in members.items():
        check(member["role"] in ROLES, f"members.{key}", f"role {member['role']!r}")
    joined = list(members)
    for i, key in enumerate(joined[1:], 1):
        adder = members[key].get("added", {}).get("by")
        check(adder in joined[:i], f"members.{key}.added", "not added by an earlier member")
    check([m["role"] for m in members.values()].count("therapist") == 1, "members", "therapist")

    goal_fields = set(Goal.field_names()) | {"label", "part_of", "written", "review_after"}
    for key, goal in goals.items():
        check(set(goal) <= goal_fields, f"goal.{key}", f"{set(goal) - goal_fields}")
        check(goal["status"] in GOAL_STATUSES, f"goal.{key}", goal["status"])
        check(goal["domain"] in GOAL_DOMAINS and goal["owner"] in GOAL_OWNERS, key, "choice")
        if "part_of" in goal:
            check(list(goals).index(goal["part_of"]) < list(goals).index(key), key, "order")
    for change in story["goals"]["status_change"]:
        check(change["status"] in GOAL_STATUSES, "status_change", change["status"])

    for i, series in enumerate(story["data"]["series"]):
        for point in series["points"]:
            point = {**series, **point}
            where = f"data.series[{i}] {point.get('day', point.get('week'))}"
            check(("day" in point) != ("week" in point), where, "a day or a week")
            check("by" in point, where, "nobody recorded it")
            check(("correct" in point and "total" in point) != ("value" in point), where, "data")
            check(point.get("prompt", "") in ("", *PROMPT_LEVELS), where, "prompt")

    note_keys = {"title", "by", "at", "finalized", "goals", "tags", "body", "addendum"}
    session_fields = {spec.name for spec in KIND_FIELDS["session"]}
    for k, week in weeks.items():
        check(0 <= k < sessions["weeks"] + sessions["planned"], f"week.{k}", "out of range")
        if "session_note" in week:
            extra = set(week["session_note"]) - note_keys - session_fields
            check(k in held and not extra, f"week.{k}.session_note", f"{extra or 'no session'}")

    checkins = story["checkins"]
    checkin_fields = {spec.name for spec in KIND_FIELDS["checkin"]}
    for day in [*checkins["special_day"], *checkins["everyday"]]:
        where = f"checkin {day['title']!r}"
        check(set(day.get("fields", {})) <= checkin_fields, where, "fields")
        check(set(day.get("weekdays", [])) <= set(WEEKDAYS), where, "weekdays")
        check(str(day["mood"]) in checkins["words"]["mood"], where, "no words for its mood")
    writers = {checkins["by"], checkins["weekend_by"]}
    check({item["by"] for item in checkins["everyday"]} <= writers, "everyday", "by")

    targets = {f"goal/{key}" for key in goals}
    targets |= {f"resource/{r['key']}" for r in story["goals"]["resource"]}
    targets |= {f"session/{k}" for k in range(sessions["weeks"] + sessions["planned"])}
    targets |= {f"session-note/{k}" for k, week in weeks.items() if "session_note" in week}
    for kind, items in entries.items():
        keys = [item.get("key", item.get("week")) for item in items]
        check(len(set(keys)) == len(keys), kind, "the same key twice")
        targets |= {f"{kind}/{key}" for key in keys}
        known = {spec.name for spec in KIND_FIELDS[kind]}
        for item in items:
            check(set(item.get("fields", {})) <= known, f"{kind} {item['title']!r}", "fields")
            if "function" in item:
                check(kind == "incident" and "function" in known, item["title"], "function")
    for thread in story["threads"]["thread"]:
        if "topic" in thread:
            targets.add(thread["on"])
        check(thread["on"] in targets, "thread", f"nothing to comment on at {thread['on']!r}")
    return problems


def test_the_story_files_name_only_what_exists() -> None:
    story = load_story()
    assert set(story) == set(STORY_FILES)
    assert story_problems(story) == []


def test_the_story_check_finds_a_missing_member_goal_or_record() -> None:
    story = copy.deepcopy(load_story())
    story["entries"]["win"][0]["by"] = "grandma"
    story["entries"]["win"][0]["goals"] = ["juggling"]
    story["threads"]["thread"][0]["on"] = "incident/nothing"
    story["data"]["series"][0]["points"][0]["week"] = CANCELLED_WEEK
    problems = story_problems(story)
    assert any("no member 'grandma'" in p for p in problems)
    assert any("juggling" in p for p in problems)
    assert any("incident/nothing" in p for p in problems)
    assert any(f"no session in week {CANCELLED_WEEK}" in p for p in problems)


def test_a_story_file_that_is_not_toml_is_named_in_one_line(tmp_path: Path) -> None:
    for name in STORY_FILES:
        (tmp_path / f"{name}.toml").write_text('title = "fine"\n', encoding="utf-8")
    (tmp_path / "sessions.toml").write_text('at = "15:30\n', encoding="utf-8")
    with pytest.raises(TandemError, match=r"^the demo story's sessions.toml: .*line 1"):
        load_story(tmp_path)
    (tmp_path / "sessions.toml").write_text('at = "15:30"\n', encoding="utf-8")
    (tmp_path / "threads.toml").unlink()
    with pytest.raises(TandemError, match="^the demo story's threads.toml: "):
        load_story(tmp_path)


def test_the_title_and_child_are_read_from_the_story() -> None:
    assert demo_module.TITLE == "Sam's journal"
    assert demo_module.CHILD == "Sam"
    with pytest.raises(AttributeError):
        _ = demo_module.NOT_A_NAME


def test_the_last_days_are_counted_back_from_today(tmp_path: Path) -> None:
    monday = date(2025, 6, 16)
    journal = write_demo_journal(tmp_path / "monday.tandem", today=monday)

    def local_day(utc: str) -> date:
        return datetime.fromisoformat(utc.replace("Z", "+00:00")).astimezone().date()

    seen = {m.name: local_day(m.last_seen) for m in journal.members()}
    assert seen == {
        "Daniel Rivera": date(2025, 6, 13),  # "3 days ago"
        "Maya Rivera": date(2025, 6, 14),  # "2 days ago"
        "Dr. Lee Chen": date(2025, 6, 13),  # "last workday": Friday, before the weekend
    }


# --- journal/demo_everyday.py: the rules of an ordinary day ------------------------------

FIRST = date(2025, 3, 18)  # a Tuesday: day 0 of the story in these tests


def everyday(**checkins: Any) -> Everyday:
    story = {**copy.deepcopy(load_story()["checkins"]), **checkins}
    return Everyday(story, random.Random(1), FIRST, 90)


def test_an_everyday_check_in_fits_its_weekdays_its_days_and_school_days() -> None:
    days = everyday(calendar={**load_story()["checkins"]["calendar"], "sick": [20, 22]})
    saturdays = {n for n in range(28) if days.fits({"weekdays": ["Saturday"]}, n)}
    assert saturdays == {4, 11, 18, 25}
    assert not days.fits({"after": 10}, 9) and days.fits({"after": 10}, 10)
    school = {n for n in range(14, 28) if days.fits({"school": True}, n)}
    assert school == {14, 15, 16, 17, 23, 24, 27}  # weekdays, not in the sick days 20 to 22
    assert not days.fits({"school": True}, 35)  # spring break


def test_a_special_day_is_told_as_written_over_the_drawn_numbers() -> None:
    days = everyday()
    special = next(d for d in load_story()["checkins"]["special_day"] if d.get("fields"))
    told = days.check_in(special["day"])
    assert told is not None
    assert told["title"] == special["title"] and told["body"] == special["body"]
    assert told["by"] == special.get("by", "maya")
    assert told["fields"].items() >= special["fields"].items()
    assert {"bedtime", "wake_time", "night_wakings", "mood_word"} <= set(told["fields"])


def test_every_everyday_check_in_is_told_at_most_once() -> None:
    days = everyday()
    told = [days.check_in(n) for n in range(-2, 90)]
    titles = [(d["by"], d["title"], d["body"]) for d in told if d is not None]
    assert len(titles) == len(set(titles)) >= 70
    assert 0 < told.count(None) < 20  # about one day in ten nobody writes
