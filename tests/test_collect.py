"""Taking data live (journal.collect): the four collectors' state machines, undo, the
data point each makes, drafts kept through a crash (journal.drafts), and the command
line's --trials, --count --minutes and --seconds. No test sleeps: the clock is a list."""

from __future__ import annotations

import json
import os
import stat

import pytest

from journal import drafts
from journal.collect import (
    DurationCollection,
    FrequencyCollection,
    IntervalCollection,
    TrialCollection,
    clock_text,
    collections_for,
    restore,
    trials_from_text,
)
from journal.errors import UsageError
from journal.journal import Journal
from journal.model import PROMPT_LEVELS
from tests.test_cli import Cli, run  # noqa: F401  (the fixture)

START = 1_767_603_600.0  # 2026-01-05 09:00:00 UTC (tests run in UTC)


class FakeClock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# --- trial by trial ------------------------------------------------------------------


def test_trials_score_prompts_and_undo(clock: FakeClock) -> None:
    trials = TrialCollection(PROMPT_LEVELS, clock=clock)
    assert trials.empty and trials.summary() == "no trials yet"
    for symbol in "++-+p+v":
        trials.press(symbol)
    assert trials.summary() == "4/7 (57%)"
    assert trials.prompts == {"partial physical": 1, "verbal": 1}
    assert trials.undo() and trials.trials[-1] == "+"
    clock.tick(125)
    result = trials.result(setting=" home ", observer="Ana  Rivera", note=" good ")
    assert (result.correct, result.total) == (4, 6)
    assert result.prompts == {"partial physical": 1}
    assert result.prompt == "partial physical"  # the most intrusive used
    assert result.collector == "trials" and result.value is None
    assert (result.started_at, result.ended_at) == ("2026-01-05T09:00:00", "2026-01-05T09:02:05")
    assert (result.date, result.setting, result.observer, result.note) == (
        "2026-01-05",
        "home",
        "Ana Rivera",
        "good",
    )


def test_an_unknown_trial_names_the_letters(clock: FakeClock) -> None:
    trials = TrialCollection(PROMPT_LEVELS, clock=clock)
    with pytest.raises(UsageError, match=r"unknown trial 'q'.*P partial physical"):
        trials.press("q")
    with pytest.raises(UsageError, match="nothing recorded"):
        trials.result()
    assert not trials.undo()


def test_trials_from_text_reads_the_command_line_form() -> None:
    trials = trials_from_text("++-+P+", PROMPT_LEVELS)
    assert (trials.correct, len(trials.trials), trials.prompts) == (4, 6, {"partial physical": 1})
    assert trials_from_text("+, -  g", PROMPT_LEVELS).trials == ["+", "-", "gestural"]
    with pytest.raises(UsageError, match="holds no trial"):
        trials_from_text(" , ", PROMPT_LEVELS)


def test_which_collectors_fit_which_measure() -> None:
    assert collections_for("percent") == ("trials", "interval")
    assert collections_for("count") == ("frequency",)
    assert collections_for("duration") == ("duration",)
    assert collections_for("rating") == ()


# --- frequency -------------------------------------------------------------------------


def test_frequency_counts_several_behaviors_with_a_rate(clock: FakeClock) -> None:
    counting = FrequencyCollection(["hit", "kick", " hit ", ""], clock=clock)
    assert counting.behaviors == ["hit", "kick"]
    assert counting.count(0) and counting.count(1)
    assert not counting.count(5)
    clock.tick(600)
    counting.count(0)
    assert counting.summary() == "3 in 10:00 (18.0 an hour)"
    assert counting.undo() and counting.counts == {"hit": 1, "kick": 1}
    counting.watch.toggle()  # paused: no count, the timer stands still
    clock.tick(300)
    assert not counting.count(0)
    counting.watch.toggle()
    clock.tick(600)
    result = counting.result()
    assert result.value == 2.0 and result.counts == {"hit": 1, "kick": 1}
    assert result.minutes == 20.0 and result.rate == 6.0
    with pytest.raises(UsageError):
        FrequencyCollection([" "], clock=clock)
    with pytest.raises(UsageError):
        FrequencyCollection([str(n) for n in range(10)], clock=clock)


# --- duration ----------------------------------------------------------------------------


def test_duration_times_episodes_and_undoes_the_one_under_way(clock: FakeClock) -> None:
    timing = DurationCollection(clock=clock)
    assert timing.summary() == "no episode yet"
    assert timing.toggle()
    clock.tick(30)
    assert not timing.toggle()
    clock.tick(100)
    timing.toggle()
    clock.tick(60)
    assert timing.current() == 60
    assert timing.summary() == "2 episodes, 1:30 in all, mean 0:45"
    assert timing.undo() and not timing.running  # the episode under way goes first
    timing.toggle()
    clock.tick(15)
    result = timing.result()  # the episode under way ends now
    assert result.episodes == [30.0, 15.0] and result.value == 0.75
    assert timing.undo() and timing.undo() and not timing.undo()


# --- interval recording ---------------------------------------------------------------------


def test_partial_interval_marks_as_it_happens_and_after(clock: FakeClock) -> None:
    intervals = IntervalCollection("partial", 10, clock=clock)
    assert intervals.mark(True) == 0  # it happened, in the interval under way
    assert intervals.mark(True) is None  # already marked
    assert intervals.mark(False) is None  # 'no' waits for the interval to end
    clock.tick(25)
    assert intervals.new_intervals() == 2 and intervals.new_intervals() == 0
    assert intervals.waiting() == [1]
    assert intervals.mark(False) == 1
    assert intervals.summary() == "1 of 2 intervals (50%)"
    clock.tick(10)
    assert intervals.new_intervals() == 1
    assert intervals.mark(True) == 2
    assert intervals.undo() and intervals.waiting() == [2]
    intervals.mark(True)
    result = intervals.result()
    assert result.intervals == [True, False, True] and result.value == 66.7
    assert (result.interval_kind, result.interval_seconds) == ("partial", 10)


@pytest.mark.parametrize("kind", ["whole", "momentary"])
def test_whole_and_momentary_mark_only_ended_intervals(clock: FakeClock, kind: str) -> None:
    intervals = IntervalCollection(kind, 15, clock=clock)
    assert intervals.mark(True) is None
    clock.tick(14.9)
    assert intervals.new_intervals() == 0 and round(intervals.left_in_interval(), 1) == 0.1
    clock.tick(0.1)
    assert intervals.new_intervals() == 1
    assert intervals.mark(True) == 0
    intervals.watch.toggle()  # a pause: no interval ends meanwhile
    clock.tick(100)
    assert intervals.new_intervals() == 0
    assert intervals.result().value == 100.0


def test_interval_checks_its_setup(clock: FakeClock) -> None:
    with pytest.raises(UsageError, match="unknown interval kind"):
        IntervalCollection("sometimes", 10, clock=clock)
    with pytest.raises(UsageError):
        IntervalCollection("whole", 0, clock=clock)


# --- through a crash ---------------------------------------------------------------------------


def test_every_collection_comes_back_from_its_state(clock: FakeClock) -> None:
    trials = TrialCollection(PROMPT_LEVELS, clock=clock)
    trials.press("+")
    trials.press("M")
    counting = FrequencyCollection(["hit"], clock=clock)
    counting.count(0)
    timing = DurationCollection(clock=clock)
    timing.toggle()
    intervals = IntervalCollection("whole", 5, clock=clock)
    clock.tick(12)
    intervals.mark(True)
    for made in (trials, counting, timing, intervals):
        state = json.loads(json.dumps(made.state()))
        again = restore(state, clock=clock)
        assert type(again) is type(made)
        assert again.state() == made.state()
        assert again.result().measurement() == made.result().measurement()
    with pytest.raises(UsageError, match="cannot be read"):
        restore({"version": 1, "kind": "juggling"})
    with pytest.raises(UsageError):
        restore({"version": 99, "kind": "trials"})


def test_clock_text() -> None:
    assert [clock_text(s) for s in (0, 7.9, 725, 3723, -4)] == [
        "0:00",
        "0:07",
        "12:05",
        "1:02:03",
        "0:00",
    ]


def test_a_draft_is_encrypted_private_and_per_goal(journal: Journal) -> None:
    goal = journal.add_goal("Asks for help")
    assert drafts.load_draft(journal, goal.id) is None
    data = {"setup": {"setting": "home"}, "collection": {"trials": ["+", "-"]}}
    path = drafts.save_draft(journal, goal.id, data)
    raw = path.read_bytes()
    assert b"home" not in raw and b"trials" not in raw  # encrypted
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert drafts.load_draft(journal, goal.id) == data
    assert drafts.draft_goals(journal) == [goal.id]
    # Another goal's draft file put in its place does not decrypt for this goal: dropped.
    other = journal.add_goal("Waits")
    drafts.save_draft(journal, other.id, {"x": 1}).replace(path)
    assert drafts.load_draft(journal, goal.id) is None and not path.exists()
    drafts.discard_draft(journal, other.id)
    drafts.discard_draft(journal, other.id)  # twice: nothing to remove, no error
    assert drafts.draft_goals(journal) == []


# --- the command line ---------------------------------------------------------------------------


def test_record_trials_counts_and_episodes_from_the_command_line(
    run: Cli,  # noqa: F811
    journal: Journal,
) -> None:
    path = journal.path
    percent = journal.add_goal("Asks for help")
    count = journal.add_goal("Hits", measure="count")
    duration = journal.add_goal("Sits at the table", measure="duration")
    journal.save()
    args = ("goal", "record", path)
    assert run(*args, percent.id, "--trials", "++-+P+", "--observer", "Ms. Kay").code == 0
    assert run(*args, count.id, "--count", "6", "--minutes", "30").code == 0
    assert run(*args, duration.id, "--seconds", "30", "--seconds", "45").code == 0
    opened = Journal.open(path, "correct horse battery staple")
    (trials,) = opened.measurements(percent.id)
    assert (trials.correct, trials.total, trials.prompt) == (4, 6, "partial physical")
    assert trials.prompts == {"partial physical": 1} and trials.collector == "trials"
    assert trials.observer == "Ms. Kay"
    (counted,) = opened.measurements(count.id)
    assert (counted.value, counted.minutes, counted.rate) == (6.0, 30.0, 12.0)
    (timed,) = opened.measurements(duration.id)
    assert (timed.value, timed.episodes, timed.collector) == (1.25, [30.0, 45.0], "duration")
    shown = run("show", path, percent.id)
    assert "2 prompted" not in shown.out and "1 prompted (partial physical 1)" in shown.out
    assert "Trials:    + correct, - incorrect, F full physical, P partial physical" in shown.out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--trials", "++q"), "unknown trial 'q'"),
        (("--trials", "+", "--value", "3"), "give the result one way"),
        (("--minutes", "3", "--value", "50"), "--minutes goes with --count"),
        (("--count", "3"), "--count N records a count goal; this is a percent goal"),
        (("--trials", "+-", "--prompt", "model"), "already holds the prompts"),
    ],
)
def test_record_refuses_mixed_or_wrong_forms_in_one_line(
    run: Cli,  # noqa: F811
    journal: Journal,
    extra: tuple[str, ...],
    message: str,
) -> None:
    goal = journal.add_goal("Asks for help")
    journal.save()
    result = run("goal", "record", journal.path, goal.id, *extra)
    assert result.code == 2 and message in result.err
    assert len(result.err.splitlines()) == 1
