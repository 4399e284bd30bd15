"""The journal's records as plain Python types.

Records are stored as JSON objects (one TinyDB table per record type, keyed by
the record's id). Each type here is a dataclass with `from_doc` and `to_doc`;
the `Journal` class in `journal.journal` is the only writer.

Every record carries the same envelope: a random id that never changes, its
author, created/updated times, a deletion tombstone, and the merge metadata
used by sync (`vv`, a version vector, and `hlc`, a hybrid logical clock time).
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Self

from journal import goals as goal_rules

ROLES = ("parent", "therapist", "other")

ENTRY_KINDS = ("checkin", "incident", "session", "observation", "win", "question")
ENTRY_KIND_LABELS = {
    "checkin": "Check-in",
    "incident": "ABC incident",
    "session": "Session note",
    "observation": "Observation",
    "win": "Win",
    "question": "Question",
}

RESOURCE_KINDS = ("link", "reading", "video", "tip")
RESOURCE_KIND_LABELS = {
    "link": "Link",
    "reading": "Reading",
    "video": "Video",
    "tip": "Written tip",
}
"""Each kind of resource as people read it."""

GOAL_STATUSES = (
    "baseline",
    "acquisition",
    "mastered",
    "generalization",
    "maintenance",
    "closed",
    "on hold",
    "discontinued",
)
MEASURES = goal_rules.MEASURES  # kept here beside the other choices; the rules are in journal.goals
GOAL_OWNERS = ("parent", "therapist", "both")
GOAL_DOMAINS = ("communication", "social", "daily living", "behavior", "play", "motor", "academic")
PROMPT_LEVELS = (
    "full physical",
    "partial physical",
    "model",
    "gestural",
    "verbal",
    "independent",
)
COLLECTORS = ("trials", "frequency", "duration", "interval")
"""How a data point was taken live (a measurement's `collector`; '' when typed in)."""
INTERVAL_KINDS = ("partial", "whole", "momentary")
"""Interval recording: partial interval, whole interval, momentary time sampling."""
SESSION_STATUSES = ("planned", "done", "cancelled", "moved")
REQUEST_STATUSES = ("open", "accepted", "declined", "withdrawn")
THREAD_STATUSES = ("open", "resolved")


def new_id() -> str:
    """A random record id: 32 lowercase hex characters (UUID4)."""
    return uuid.uuid4().hex


def utc_now() -> str:
    """The current UTC time as a sortable ISO 8601 string with microseconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def local_now() -> str:
    """The current local wall time, to the minute, as people write it."""
    return datetime.now().strftime("%Y-%m-%dT%H:%M")


# --- kind-specific fields -------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    """One structured field of an entry kind: how forms ask for it and how it is shown."""

    name: str
    label: str
    type: str = "text"  # text | long | int | rating | time | date | datetime | choice
    choices: tuple[str, ...] = ()
    help: str = ""
    labels: tuple[str, ...] = ()
    """For a rating: a word for each value from 1 up ('very hard' ... 'great')."""


KIND_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "checkin": (
        FieldSpec("bedtime", "Bedtime", "time"),
        FieldSpec("wake_time", "Wake time", "time"),
        FieldSpec("night_wakings", "Night wakings", "int"),
        FieldSpec("meals_eaten", "Meals eaten"),
        FieldSpec("meals_refused", "Refused"),
        FieldSpec("new_foods", "New foods tried"),
        FieldSpec(
            "mood", "Mood (1-5)", "rating", labels=("very hard", "hard", "okay", "good", "great")
        ),
        FieldSpec("mood_word", "Mood in a word"),
        FieldSpec("toileting", "Toileting"),
        FieldSpec("illness", "Illness"),
        FieldSpec(
            "medication",
            "Medication or supplement changes",
            "long",
            help="name, dose, started/stopped/changed on, effect seen",
        ),
        FieldSpec("routine_changes", "Routine changes and stressors", "long"),
        FieldSpec("aggression", "Aggression (count)", "int"),
        FieldSpec("self_injury", "Self-injury (count)", "int"),
        FieldSpec("elopement", "Elopement (count)", "int"),
        FieldSpec("new_words", "New words or phrases"),
        FieldSpec("wins", "What went well", "long"),
        FieldSpec("hard", "What was hard", "long"),
        FieldSpec("questions", "Questions for the therapist", "long"),
    ),
    "incident": (
        FieldSpec("duration_min", "Duration (minutes)", "int"),
        FieldSpec("setting", "Setting"),
        FieldSpec("people_present", "People present"),
        FieldSpec("antecedent", "Antecedent (just before)", "long"),
        FieldSpec(
            "behavior", "Behavior", "long", help='concrete verbs: "hit", "threw", not "was upset"'
        ),
        FieldSpec("consequence", "Consequence (right after)", "long"),
        FieldSpec("intensity", "Intensity (1-5)", "rating"),
        FieldSpec("strategy", "Plan strategy used"),
        FieldSpec("strategy_worked", "Did it work?", "choice", ("yes", "partly", "no")),
        FieldSpec(
            "function",
            "Hypothesized function",
            "choice",
            ("escape", "attention", "tangible", "sensory", "unknown"),
            help="the therapist's call",
        ),
    ),
    "session": (
        FieldSpec("start", "Start", "time"),
        FieldSpec("end", "End", "time"),
        FieldSpec("setting", "Setting"),
        FieldSpec("present", "Who was present"),
        FieldSpec("targets", "Targets worked (with data)", "long"),
        FieldSpec("behaviors", "Behaviors", "long"),
        FieldSpec("reinforcers", "Reinforcers and how well they worked", "long"),
        FieldSpec("parent_training", "Parent training: what was taught", "long"),
        FieldSpec("parent_feedback", "Parent training: feedback", "long"),
        FieldSpec("barriers", "Barriers", "long"),
        FieldSpec("home_assignment", "Home assignment", "long"),
        FieldSpec("next_plan", "Plan for next session", "long"),
    ),
    "observation": (
        FieldSpec("setting", "Setting"),
        FieldSpec("what_went_well", "What went well", "long"),
        FieldSpec("what_to_ask", "What I'd like to ask", "long"),
    ),
    "win": (),
    "question": (FieldSpec("for_whom", "For whom"),),
}

QUICK_FIELDS: dict[str, tuple[str, ...]] = {
    "checkin": ("mood", "bedtime", "wake_time", "night_wakings", "wins", "hard"),
}
"""The fields a new entry's short form asks first (with the free text); the rest are "More"."""


# --- profiles: a member's, and the journal's own page -----------------------------


@dataclass(frozen=True)
class ProfileField:
    """One field of a profile: its stored name, label, and how a form asks for it."""

    name: str
    label: str
    long: bool = False
    """A box for several lines instead of one line."""
    required: bool = False
    choices: tuple[str, ...] = ()
    """When given, the field is a choice among these."""
    help: str = ""
    """A placeholder saying what to write."""


MEMBER_FIELDS = (
    ProfileField("name", "Name", required=True, help="How the others know you"),
    ProfileField("role", "Role", choices=ROLES),
    ProfileField(
        "background", "Background", long=True, help="Your family, your work, what you bring"
    ),
    ProfileField("values", "Values", long=True, help="What matters to you in the child's care"),
    ProfileField(
        "what_works",
        "What works for the child",
        long=True,
        help="Calming strategies, motivators, routines that help",
    ),
    ProfileField(
        "contact_times", "Preferred contact times", help="e.g. weekdays after 17:00, texts first"
    ),
)
"""A member's profile (`Member`)."""

JOURNAL_FIELDS = (
    ProfileField("title", "Journal title", required=True),
    ProfileField(
        "child_name",
        "Child's first name or pseudonym",
        help="A pseudonym is fine; reports can replace it",
    ),
    ProfileField("interests", "Interests", long=True, help="Favourite things, topics, games"),
    ProfileField("strengths", "Strengths", long=True, help="What the child does well"),
    ProfileField(
        "avoid", "What to avoid", long=True, help="Triggers, sounds, foods, words to avoid"
    ),
)
"""The journal's own page (`JournalInfo`)."""


# --- records ----------------------------------------------------------------


@dataclass
class Record:
    """The envelope every record shares."""

    TABLE: ClassVar[str] = ""

    id: str = field(default_factory=new_id)
    author: str = ""  # member id of the creator
    created_at: str = field(default_factory=utc_now)
    updated_at: str = ""
    updated_by: str = ""
    deleted_at: str | None = None  # shown deleted (derived from `deletion`, docs/SYNC.md)
    deleted_by: str | None = None
    deletion: dict[str, Any] | None = None  # {"at", "by", "vv"}: the deletion and its context
    vv: dict[str, int] = field(default_factory=dict)  # version vector: replica -> counter
    dots: dict[str, str] = field(default_factory=dict)  # unit -> change that wrote it
    writes: dict[str, list[str]] = field(default_factory=dict)  # change -> [hlc, member, time]
    hlc: str = ""  # hybrid logical clock time of the last change shown
    conflicts: list[dict[str, Any]] = field(default_factory=list)  # other concurrent versions

    @property
    def deleted(self) -> bool:
        """True when the record is a tombstone."""
        return self.deleted_at is not None

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """Names of the stored fields of this record type."""
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        """Build the record from its stored JSON object, ignoring unknown keys.

        Lists of thousands of entries are built this way, so it fills the
        instance directly instead of running the dataclass `__init__`.
        """
        names = _FIELD_NAMES.get(cls)
        if names is None:
            names = _FIELD_NAMES[cls] = frozenset(cls.field_names())
        data = {key: value for key, value in doc.items() if key in names}
        if len(data) != len(names):
            for spec in dataclasses.fields(cls):
                if spec.name not in data:
                    if spec.default_factory is not dataclasses.MISSING:
                        data[spec.name] = spec.default_factory()
                    else:
                        data[spec.name] = spec.default
        record = object.__new__(cls)
        record.__dict__.update(data)
        return record

    def to_doc(self) -> dict[str, Any]:
        """The stored JSON object of this record (a deep copy)."""
        return dataclasses.asdict(self)


_FIELD_NAMES: dict[type, frozenset[str]] = {}


@dataclass
class Member(Record):
    """A person in the journal: a parent, the therapist, or someone else on the team."""

    TABLE: ClassVar[str] = "members"

    name: str = ""
    role: str = "parent"
    background: str = ""
    values: str = ""
    what_works: str = ""
    contact_times: str = ""
    last_seen: str = ""  # UTC time this member last opened the journal
    read: dict[str, str] = field(default_factory=dict)  # thread target id -> UTC time last read
    # Trust (docs/MODEL.md, document version 2): see journal/membership.py.
    owner: bool = False
    keys: dict[str, Any] | None = None  # public keys {"sign", "box", "via", ...}
    slots: dict[str, str] = field(default_factory=dict)  # key slot id -> "kind:hash" | "revoked"
    removed: dict[str, Any] | None = None  # {"at", "by", "seen", "kept"} once removed
    checked: dict[str, str] = field(default_factory=dict)  # viewer id -> signing key checked


@dataclass
class Entry(Record):
    """A journal entry: a check-in, ABC incident, session note, observation, win or question."""

    TABLE: ClassVar[str] = "entries"

    kind: str = "checkin"
    title: str = ""
    body: str = ""  # Markdown
    occurred_at: str = field(default_factory=local_now)  # local time the entry is about
    tags: list[str] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)  # linked goal ids
    fields: dict[str, Any] = field(default_factory=dict)  # KIND_FIELDS values
    session_id: str | None = None  # the scheduled session this note or observation is about
    status: str = "draft"  # session notes: draft | final
    finalized_at: str | None = None
    finalized_by: str | None = None

    @property
    def locked(self) -> bool:
        """A finalized session note can no longer be edited, only amended."""
        return self.kind == "session" and self.status == "final"


@dataclass
class Goal(Record):
    """A treatment or home goal with its measurement plan and status."""

    TABLE: ClassVar[str] = "goals"

    title: str = ""
    domain: str = ""
    description: str = ""  # operational definition
    method: str = ""
    desired_outcome: str = ""
    owner: str = "both"
    setting: str = ""
    start_date: str = ""
    review_date: str = ""
    measure: str = "percent"
    criterion_value: float = 90.0  # percent, count, minutes or rating to reach
    criterion_sessions: int = 3  # ... across this many consecutive sessions
    prompt_levels: list[str] = field(default_factory=lambda: list(PROMPT_LEVELS))
    status: str = "baseline"
    parent_id: str | None = None  # a short-term objective's long-term goal

    def criterion_text(self) -> str:
        """The mastery criterion in words, e.g. '90% across 3 consecutive sessions'."""
        return goal_rules.criterion_text(self)

    def editable_fields(self) -> dict[str, Any]:
        """The goal's own fields by name, as its form writes them: all but the record's
        envelope (id, author, times, versions) and the status, which changes by a move."""
        envelope = Record.field_names()
        return {
            name: getattr(self, name)
            for name in self.field_names()
            if name not in envelope and name != "status"
        }


@dataclass
class Measurement(Record):
    """One data point of a goal: a session's or a home practice's result."""

    TABLE: ClassVar[str] = "measurements"

    goal_id: str = ""
    date: str = ""
    value: float | None = None  # count, minutes or rating; for percent goals derived
    correct: int | None = None
    total: int | None = None
    prompt: str = ""
    setting: str = ""
    note: str = ""
    # Taken live (docs/MODEL.md, "Data taken live"); empty for a result typed in.
    collector: str = ""  # trials | frequency | duration | interval
    observer: str = ""  # who watched and took the data (a name)
    started_at: str = ""  # local "YYYY-MM-DDTHH:MM:SS"
    ended_at: str = ""
    prompts: dict[str, int] = field(default_factory=dict)  # prompt level -> trials at it
    counts: dict[str, int] = field(default_factory=dict)  # behavior -> times counted
    minutes: float | None = None  # frequency: minutes observed
    rate: float | None = None  # frequency: counts per hour
    episodes: list[float] = field(default_factory=list)  # duration: seconds of each
    interval_kind: str = ""  # partial | whole | momentary
    interval_seconds: int | None = None
    intervals: list[bool] = field(default_factory=list)  # occurred, per interval

    @property
    def score(self) -> float | None:
        """The comparable value: percent correct for trials, else the value (`goals.score`)."""
        return goal_rules.score(self.correct, self.total, self.value)


@dataclass
class Comment(Record):
    """A message in a feedback thread, or an addendum to a finalized session note.

    Comments are immutable once posted; sync merges them as a set.
    """

    TABLE: ClassVar[str] = "comments"

    target_id: str = ""  # entry, goal, resource or topic id
    body: str = ""
    kind: str = "comment"  # comment | addendum


@dataclass
class Thread(Record):
    """The state of a feedback thread. Its id is the id of the thing it is about.

    A standalone topic has a title and no target of its own.
    """

    TABLE: ClassVar[str] = "threads"

    title: str = ""  # only for standalone topics
    topic: bool = False
    status: str = "open"
    resolved_by: str | None = None
    resolved_at: str | None = None


@dataclass
class Resource(Record):
    """Reading, a link, a video or a written tip shared with the team."""

    TABLE: ClassVar[str] = "resources"

    title: str = ""
    url: str = ""
    text: str = ""  # Markdown
    kind: str = "link"  # link | reading | video | tip
    goal_id: str | None = None
    acknowledged: dict[str, str] = field(default_factory=dict)  # member id -> UTC time read


@dataclass
class Session(Record):
    """A scheduled therapy session."""

    TABLE: ClassVar[str] = "sessions"

    starts_at: str = ""  # local date and time, "YYYY-MM-DDTHH:MM"
    duration_min: int = 60
    status: str = "planned"
    location: str = ""
    notes: str = ""
    moved_to: str | None = None  # id of the session it was moved to


@dataclass
class GoalEvent(Record):
    """A change of a goal's status (a move on the board), kept for the goal's history.

    Immutable once written, like a comment.
    """

    TABLE: ClassVar[str] = "goal_events"

    goal_id: str = ""
    old_status: str = ""
    new_status: str = ""
    note: str = ""


@dataclass
class Event(Record):
    """A dated event that explains a curve: "started melatonin", "new teacher".

    Drawn as a labelled vertical line on the charts of its goals (every goal's
    when `goals` is empty).
    """

    TABLE: ClassVar[str] = "events"

    date: str = ""  # local "YYYY-MM-DD"
    title: str = ""
    note: str = ""
    goals: list[str] = field(default_factory=list)  # goal ids; empty: every goal


@dataclass
class ChangeRequest(Record):
    """A request to change a session ("can we move Thursday to Friday?") and its answer."""

    TABLE: ClassVar[str] = "requests"

    session_id: str = ""
    text: str = ""
    proposed_starts_at: str = ""  # local "YYYY-MM-DDTHH:MM", or empty to cancel
    status: str = "open"  # open | accepted | declined | withdrawn
    answer: str = ""
    answered_by: str | None = None
    answered_at: str | None = None


@dataclass
class JournalInfo(Record):
    """The journal's own page: its title and the child it is about."""

    TABLE: ClassVar[str] = "meta"

    title: str = ""
    child_name: str = ""
    interests: str = ""
    strengths: str = ""
    avoid: str = ""
    slot_owners: dict[str, str] = field(default_factory=dict)  # key slot id -> member id


RECORD_TYPES: tuple[type[Record], ...] = (
    JournalInfo,
    Member,
    Entry,
    Goal,
    Measurement,
    Comment,
    Thread,
    Resource,
    Session,
    GoalEvent,
    ChangeRequest,
    Event,
)
TABLES: dict[str, type[Record]] = {cls.TABLE: cls for cls in RECORD_TYPES}
