"""A realistic demo journal: the Rivera family and their son's behavior analyst.

    journal = write_demo_journal(Path("/tmp/demo.tandem"))    # passphrase "demo"

The story is data, the TOML files in `journal/demo_story/` (`story.toml` says
what each holds); this module writes it into a new journal, every record as
its real author at its real (past) time, about three months before `today`,
and `journal.demo_everyday` draws the ordinary days.

The texts are fixed; `seed` varies the everyday numbers (sleep, counts,
meals, the noise in the data), so a given seed and `today` always give the
same journal. All people, places and events are invented.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from journal.demo_everyday import Everyday
from journal.errors import TandemError
from journal.journal import Journal
from journal.model import KIND_FIELDS

DEMO_PASSPHRASE = "demo"
"""The passphrase of the demo journal (the first member's slot)."""

STORY_FILES = ("story", "goals", "data", "sessions", "checkins", "entries", "threads")
"""The story's files in `journal/demo_story/`, without their `.toml`."""

_SESSION_FIELDS = frozenset(spec.name for spec in KIND_FIELDS["session"])
_GOAL_KEYS = ("label", "part_of", "written", "review_after")  # story keys that aren't fields

Item = dict[str, Any]
Story = dict[str, Item]


@cache
def load_story(folder: Path | None = None) -> Story:
    """The story's TOML files by name (see STORY_FILES), from the package data or `folder`.

    Read once and shared: treat it as read-only (copy it to change it).
    """
    import tomllib  # here, not at the top: the app imports this module as it starts
    from importlib import resources

    where = folder or resources.files("journal").joinpath("demo_story")
    story = {}
    for name in STORY_FILES:
        try:
            story[name] = tomllib.loads(where.joinpath(f"{name}.toml").read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise TandemError(f"the demo story's {name}.toml: {error}") from None
    return story


def __getattr__(name: str) -> str:
    """`TITLE` and `CHILD`, the demo journal's title and child, read when first asked for."""
    if name in ("TITLE", "CHILD"):
        return str(load_story()["story"][name.lower()])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _later(hm: str, minutes: int) -> str:
    """The local time `minutes` after `hm` (on the same day)."""
    moment = datetime.combine(date.min, time.fromisoformat(hm)) + timedelta(minutes=minutes)
    return moment.strftime("%H:%M")


class _Demo:
    """Writes the story into a new journal."""

    def __init__(self, path: Path, passphrase: str, seed: int, today: date) -> None:
        self.story = load_story()
        self.rng = random.Random(seed)
        first = today - timedelta(days=91)
        while first.weekday() != 1:  # Tuesday
            first += timedelta(days=1)
        self.first = first
        self.days = (today - first).days  # 85..91: days 0 .. days-1 are in the past
        people = self.story["story"]
        self.members: dict[str, Item] = people["members"]
        self.creator, member = next(iter(self.members.items()))
        self.journal, _code = Journal.create(
            path,
            title=people["title"],
            name=member["name"],
            role=member["role"],
            passphrase=passphrase,
            child_name=people["child"],
            at=self.story_start(),  # the creator joined as the story starts, not today
        )
        self.who: dict[str, str] = {self.creator: self.journal.me.id}
        self.therapist = next(k for k, m in self.members.items() if m["role"] == "therapist")
        self.sessions = self.story["sessions"]
        self.weeks = {int(k): week for k, week in self.sessions["week"].items()}
        self.ids: dict[str, str] = {}  # "goal/walking", "session/3", ... -> record id
        self._tick = 0

    # --- time ---

    def story_start(self) -> str:
        """When the creator made the journal: a quarter of an hour before writing in it."""
        written = self.members[self.creator]["profile_written"]
        wall = datetime.combine(self.date(written["day"]), time.fromisoformat(written["at"]))
        return (wall - timedelta(minutes=15)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def date(self, n: int) -> date:
        return self.first + timedelta(days=n)

    def local(self, n: int, hm: str) -> str:
        return f"{self.date(n).isoformat()}T{hm}"

    def number(self, day: int | str) -> int:
        """A day of the story: a number, or "yesterday", "3 days ago", "last workday"."""
        if isinstance(day, int):
            return day
        if day == "last workday":
            n = self.days - 1
            while self.date(n).weekday() >= 5:
                n -= 1
            return n
        return self.days - (1 if day == "yesterday" else int(day.split()[0]))

    def utc(self, n: int, hm: str) -> str:
        self._tick += 1
        wall = datetime.combine(self.date(n), time.fromisoformat(hm))
        wall = wall.replace(second=self.rng.randrange(60), microsecond=self._tick % 1_000_000)
        return wall.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def next_workday(self, n: int) -> int:
        """The first weekday after day `n` (the therapist answers on working days)."""
        n += 1
        while self.date(n).weekday() >= 5:
            n += 1
        return n

    def session_at(self, week: int) -> tuple[int, str]:
        """The day and time of the session of `week` (where it was moved to, if it was)."""
        moved = self.weeks.get(week, {}).get("moved")
        if moved:
            return moved["to_day"], moved["to_at"]
        return 7 * week, self.sessions["at"]

    @contextmanager
    def by(self, who: str, day: int | str, hm: str) -> Iterator[Journal]:
        with self.journal.acting_as(self.who[who], at=self.utc(self.number(day), hm)):
            yield self.journal

    def act(self, when: Item) -> AbstractContextManager[Journal]:
        """`by` for a table with `by`, `day` and `at`."""
        return self.by(when["by"], when["day"], when["at"])

    def add_entry(self, kind: str, item: Item, n: int, **extra: Any) -> str:
        """Write an entry `item` (by, at, title, body, ...) of day `n`; return its id."""
        with self.by(item["by"], n, item["at"]) as j:
            entry = j.add_entry(
                kind,
                item["title"],
                item.get("body", ""),
                tags=item.get("tags", []),
                goals=[self.ids[f"goal/{key}"] for key in item.get("goals", [])],
                occurred_at=self.local(n, item.get("happened_at") or item["at"]),
                **{"fields": item.get("fields", {}), **extra},
            )
        return entry.id

    # --- the story ---

    def build(self) -> Journal:
        self.people()
        self.goals()
        self.schedule()
        self.resources()
        points = self.plan_data()
        self.record(points)
        self.session_notes(points)
        self.checkins()
        entries = self.story["entries"]
        for kind in ("incident", "observation", "win", "question"):
            self.add_entries(kind, entries[kind])
        self.threads()
        return self.journal

    def people(self) -> None:
        j = self.journal
        for key, member in self.members.items():
            if "added" in member:
                with self.act(member["added"]):
                    self.who[key] = j.add_member(member["name"], member["role"]).id
            written = member["profile_written"]
            with self.by(key, written["day"], written["at"]):
                if key == self.creator:  # who also writes the journal page
                    j.update_info(**self.story["story"]["page"])
                profile = ("background", "values", "what_works", "contact_times")
                j.update_member(self.who[key], **{k: member[k] for k in profile if k in member})

    def goals(self) -> None:
        for key, goal in self.story["goals"]["goal"].items():
            spec = {k: v for k, v in goal.items() if k not in _GOAL_KEYS}
            if "part_of" in goal:
                spec["parent_id"] = self.ids[f"goal/{goal['part_of']}"]
            n = goal["written"]["day"]
            with self.act(goal["written"]) as j:
                start, review = self.date(n), self.date(n + goal["review_after"])
                added = j.add_goal(
                    start_date=start.isoformat(), review_date=review.isoformat(), **spec
                )
            self.ids[f"goal/{key}"] = added.id
        for change in self.story["goals"]["status_change"]:
            with self.act(change) as j:
                j.edit_goal(self.ids[f"goal/{change['goal']}"], status=change["status"])

    def move(self, key: str, moved: Item) -> None:
        """Mark the session `key` moved, and plan the one that replaces it."""
        with self.act(moved) as j:
            session = j.move_session(self.ids[key], self.local(moved["to_day"], moved["to_at"]))
            j.edit_session(
                session.id,
                duration_min=self.sessions["duration_min"],
                location=moved.get("location") or self.sessions["location"],
                notes=moved["notes"],
            )
        self.ids[key] = session.id

    def schedule(self) -> None:
        s, j = self.sessions, self.journal
        joined = self.members[self.therapist]["added"]["day"]
        for k in range(s["weeks"] + s["planned"]):
            week, n = self.weeks.get(k, {}), 7 * k
            planned_on = min(max(n - s["planned_ahead"], joined), s["planned_until"])
            with self.by(self.therapist, planned_on, "16:40"):
                session = j.add_session(
                    self.local(n, s["at"]),
                    duration_min=s["duration_min"],
                    location=week.get("location", s["location"]),
                    notes=week.get("calendar_notes", ""),
                )
            self.ids[f"session/{k}"] = session.id
            if "cancelled" in week:
                with self.act(week["cancelled"]):
                    j.set_session_status(session.id, "cancelled")
                continue
            if "moved" in week:
                self.move(f"session/{k}", week["moved"])
            if k < s["weeks"]:
                day, start = self.session_at(k)
                with self.by(self.therapist, day, _later(start, s["duration_min"] + 5)):
                    j.set_session_status(self.ids[f"session/{k}"], "done")

    def resources(self) -> None:
        j = self.journal
        for item in self.story["goals"]["resource"]:
            with self.act(item):
                resource = j.add_resource(
                    item["title"],
                    url=item.get("url", ""),
                    text=item["text"],
                    kind=item["kind"],
                    goal_id=self.ids[f"goal/{item['goal']}"],
                )
            self.ids[f"resource/{item['key']}"] = resource.id
            for reader in item.get("read", []):
                with self.act(reader):
                    j.acknowledge(resource.id)

    # --- data ---

    def draw(self, value: Any, total: int | None) -> Any:
        """A number of the data: as written, `pick`ed from a list, or `around` a number."""
        if not isinstance(value, dict):
            return value
        if "pick" in value:
            return self.rng.choice(value["pick"])
        drawn = value["around"] + self.rng.choice((-1, 0, 0, 1))
        return max(value.get("low", 0), min(value.get("high", total), drawn))

    def plan_data(self) -> list[Item]:
        points = []
        for series in self.story["data"]["series"]:
            defaults = {k: v for k, v in series.items() if k != "points"}
            for written in series["points"]:
                point = {"at": "17:05", "prompt": "", "setting": "", "note": "", **defaults}
                point |= written
                if "week" in point:
                    point["day"] = self.session_at(point.pop("week"))[0]
                total = point.setdefault("total", None)
                for name in ("correct", "value", "setting"):
                    point[name] = self.draw(point.get(name), total)
                points.append(point)
        return points

    def record(self, points: list[Item]) -> None:
        for p in sorted(points, key=lambda p: (p["day"], p["at"])):
            data = {name: p[name] for name in ("correct", "total", "value", "prompt", "setting")}
            with self.by(p["by"], p["day"], p["at"]) as j:
                goal_id, day = self.ids[f"goal/{p['goal']}"], self.date(p["day"]).isoformat()
                j.record_measurement(goal_id, note=p["note"], date=day, **data)

    # --- entries ---

    def session_notes(self, points: list[Item]) -> None:
        j, labels = self.journal, self.story["goals"]["goal"]
        addenda = []
        for k, week in sorted(self.weeks.items()):
            note = week.get("session_note")
            if note is None:
                continue
            n, start = self.session_at(k)
            lines = []
            for p in points:
                if p["day"] != n or p["by"] != self.therapist:
                    continue
                if p["correct"] is not None and p["total"]:
                    score = f"{p['correct']}/{p['total']} ({100 * p['correct'] / p['total']:.0f}%)"
                else:
                    score = f"{p['value']:g} min"
                prompt = f", {p['prompt']}" if p["prompt"] else ", no prompts (baseline)"
                lines.append(f"{labels[p['goal']]['label']}: {score}{prompt}")
            fields = {"start": start, "end": _later(start, self.sessions["duration_min"])}
            for name, value in note.items():
                if name in _SESSION_FIELDS and value:
                    fields[name] = "\n".join([*lines, value]) if name == "targets" else value
            item = {**note, "happened_at": start, "fields": fields}
            entry_id = self.add_entry("session", item, n, session_id=self.ids[f"session/{k}"])
            self.ids[f"session-note/{k}"] = entry_id
            if "finalized" in note:
                with self.act(note["finalized"]):
                    j.finalize(entry_id)
            if "addendum" in note:
                addenda.append((entry_id, note["addendum"]))
        for entry_id, addendum in addenda:
            with self.act(addendum):
                j.add_addendum(entry_id, addendum["text"])

    def checkins(self) -> None:
        story = self.story["checkins"]
        everyday = Everyday(story, self.rng, self.first, self.days)
        for n in range(story["from_day"], self.days):
            item = everyday.check_in(n)
            if item is not None:
                self.add_entry("checkin", item, n)

    def add_entries(self, kind: str, items: list[Item]) -> None:
        """Incidents, observations, wins or questions, as entries.toml tells them."""
        for item in items:
            week = item.get("week")
            n = item["day"] if week is None else self.session_at(week)[0]
            session_id = None if week is None else self.ids[f"session/{week}"]
            entry_id = self.add_entry(kind, item, n, session_id=session_id)
            self.ids[f"{kind}/{item.get('key', week)}"] = entry_id
            if "function" in item:  # the therapist reads it on her next working day
                with self.by(self.therapist, self.next_workday(n), "09:35") as j:
                    fields = {**item["fields"], "function": item["function"]}
                    j.edit_entry(entry_id, fields=fields)

    def threads(self) -> None:
        j = self.journal
        for thread in self.story["threads"]["thread"]:
            if "topic" in thread:
                topic = thread["topic"]
                with self.act(topic):
                    self.ids[thread["on"]] = j.new_topic(topic["title"], topic["text"]).id
            target = self.ids[thread["on"]]
            for comment in thread.get("comment", []):
                with self.act(comment):
                    j.comment(target, comment["text"])
            if "moved" in thread:
                self.move(thread["on"], thread["moved"])
            if "resolved" in thread:
                with self.act(thread["resolved"]):
                    j.set_thread_status(target, "resolved")
        for seen in self.story["threads"]["seen"]:
            with self.act(seen):
                j.mark_seen()


def write_demo_journal(
    path: Path,
    *,
    passphrase: str = DEMO_PASSPHRASE,
    seed: int = 7,
    today: date | None = None,
) -> Journal:
    """Create and save the demo journal at `path` (which must not exist yet).

    About three months of the Rivera family's journal before `today` (default:
    the current date), opened by Maya (a parent) with `passphrase`. The same
    `seed` and `today` always give the same content (record ids and sync
    metadata are random, as in any journal).
    """
    demo = _Demo(Path(path), passphrase, seed, today or date.today())
    journal = demo.build()
    journal.save()
    return journal
