"""Tandem benchmarks (issue 2, section 7): a table, not timed tests.

    .venv/bin/python bench/run.py [--sizes 1000,10000,50000] [--repeat 3] [--quick]

For generated journals of 1,000, 10,000 and 50,000 entries of about 1 KB each,
measures unlock, `tandem list -n 10`, `tandem list --search WORD`, `tandem add`
and their peak memory, each as a separate process timed from outside, beside
the floor (the same plaintext as one JSON file, read by plain Python: see
floor.py) and beside jrnl 4.x (plain-text and encrypted) when `.venv-bench`
holds it. Journals use the default Argon2id parameters (real key derivation).
Generated journals are cached in bench/out/ by size and generator version.
Prints a markdown table per size and writes it to bench/out/results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
WORK = OUT / "work"
XDG = OUT / "xdg"
VENV_BIN = ROOT / ".venv" / "bin"
JRNL_VENV_BIN = ROOT / ".venv-bench" / "bin"

sys.path.insert(0, str(ROOT))

from bench.common import machine  # noqa: E402

GENERATOR_VERSION = 5
"""Bump when the generated entries or how Tandem lays them out change (cached journals are
made anew)."""

DEFAULT_SIZES = (1000, 10000, 50000)
PASSPHRASE = "correct horse battery staple, bench edition"
JRNL_PASSWORD = "correct horse battery staple, jrnl edition"
SEARCH_WORD = "trampoline"
SEARCH_RATE = 0.01  # share of entries that mention SEARCH_WORD
JRNL_TIMEFORMAT = "%Y-%m-%d %H:%M"
TANDEM_TIMEOUT = 120.0
JRNL_TIMEOUT = 60.0
ADD_TITLE = "Evening check-in"
ADD_BODY = (
    "Sam ate most of his pasta and tried two bites of broccoli without fuss. "
    "Bath went fine with the visual timer; asleep by 20:10 after two stories."
)

# --- targets from issue 2, section 7 ------------------------------------------

TARGETS: dict[tuple[str, int], tuple[float, str]] = {
    ("add", 10000): (0.5, "s"),
    ("list", 10000): (0.4, "s"),
    ("mem_add", 10000): (150.0, "MB"),
    ("mem_list", 10000): (150.0, "MB"),
    ("add", 50000): (1.5, "s"),
}

# --- a seeded generator of parent check-ins ------------------------------------

CHILD = "Sam"
PEOPLE = [
    "Dad", "Mum", "Grandma", "Grandpa", "his sister Lily", "Ms. Ortiz", "the bus driver",
    "Uncle Joe", "the babysitter", "his cousin Mia", "the speech therapist", "Coach Dan",
]  # fmt: skip
TIMES = [
    "at breakfast", "after school", "before bed", "during bath time", "on the way to school",
    "at the park", "in the car", "at the supermarket", "during homework", "at dinner",
    "after lunch", "in the waiting room", "at the library", "while getting dressed",
    "during screen time", "on the walk home", "at swimming", "at church", "at the dentist",
]  # fmt: skip
FOODS = [
    "pasta", "broccoli", "rice", "scrambled eggs", "apple slices", "chicken nuggets", "yoghurt",
    "toast with butter", "carrots", "a banana", "peas", "fish fingers", "porridge", "grapes",
    "pancakes", "cucumber", "cheese", "sweet potato", "soup", "a pear",
]  # fmt: skip
ACTIVITIES = [
    "building with Lego", "drawing dinosaurs", "a puzzle", "the swings", "reading a bus book",
    "playing with the train set", "water play", "kicking a ball", "baking muffins",
    "sorting buttons by colour", "playdough", "the slide", "a board game with Lily",
    "watering the plants", "riding his scooter", "singing along to the car songs",
]  # fmt: skip
FEELINGS = [
    "calm", "cheerful", "tired", "anxious", "frustrated", "silly", "focused", "clingy",
    "restless", "proud", "grumpy", "relaxed", "excited", "quiet", "chatty",
]  # fmt: skip
STRATEGIES = [
    "the visual timer", "first-then cards", "the calm-down corner", "deep pressure",
    "a two-minute warning", "the choice board", "counting to ten together", "noise headphones",
    "the token chart", "a social story", "offering two choices", "a movement break",
]  # fmt: skip
WORDS = [
    "more please", "all done", "help me", "my turn", "bye bus", "big truck", "no thank you",
    "open door", "I want juice", "where Daddy", "go outside", "green one",
]  # fmt: skip
TAGS = ["sleep", "meals", "school", "outing", "speech", "toileting", "routine", "siblings", "motor"]
TITLE_PARTS = [
    "calm start", "a hard morning", "good day at school", "rough evening", "new food tried",
    "slept through", "busy weekend", "two meltdowns", "lots of words", "quiet day",
    "visit to Grandma", "doctor visit", "great at the park", "tired after swimming",
]  # fmt: skip
DAYPARTS = ["Morning", "Afternoon", "Evening", "Bedtime", "Weekend", "School-day"]
KINDS = [("checkin", 70), ("observation", 10), ("win", 10), ("incident", 5), ("question", 5)]

SENTENCES = [
    "{child} woke at {clock} and came to find {person} without crying.",
    "{child} was {feeling} {time} and needed {strategy} to move on.",
    "{child} ate the {food} and pushed the {food2} away, but let it stay on the plate.",
    "We tried {food} again {time}; {child} licked it and then took a small bite.",
    "{child} spent about {minutes} minutes on {activity} and asked for more when it ended.",
    "{person} said {child} was {feeling} for most of the afternoon.",
    "Transition from {activity} to dinner was hard; {strategy} helped after a few minutes.",
    '{child} said "{word}" {time} without a prompt, which is new this week.',
    "{child} used the toilet {count} times today and told us once by himself.",
    "Bedtime took {minutes} minutes; he fell asleep around {clock} after two stories.",
    "He woke {count} times in the night and settled with a short back rub.",
    "{time} he covered his ears at the hand dryer, so we used {strategy}.",
    "{person} joined him for {activity} and he waited for his turn {count} times.",
    "There was one short meltdown {time} when {activity} had to stop; it lasted {minutes} minutes.",
    "He pointed to the picture card for {food} instead of pulling my hand, a real step forward.",
    "{child} seemed {feeling} after the long day and wanted extra quiet time.",
    "We practised waiting with {strategy} {time} and he managed {minutes} seconds.",
    "He hummed the song from school {time} and did the hand movements too.",
    "{person} noticed he is lining up the toy cars less and mixing colours more.",
    "Medication unchanged; no side effects seen, appetite about the same as last week.",
    "He asked {person} for help with his zip, using words instead of crying.",
    "Grandma visited and he showed her {activity}, handing her pieces one by one.",
    "Homework was five minutes of tracing letters; he did three lines before he wanted a break.",
    "We skipped the supermarket today because the last two trips ended in tears.",
    "He let {person} brush his hair for almost a minute, which used to be impossible.",
    "Question for the therapist: should we fade {strategy} now or keep it a few more weeks?",
]
SEARCH_SENTENCES = [
    "{child} jumped on the " + SEARCH_WORD + " for {minutes} minutes and came in much calmer.",
    "We used the " + SEARCH_WORD + " as a movement break {time} and it worked well.",
    "{person} took him to the " + SEARCH_WORD + " park; he waited in line without pushing.",
]


@dataclass
class GeneratedEntry:
    """One generated entry, in the terms of `Journal.add_entry`."""

    kind: str
    title: str
    body: str
    tags: list[str]
    fields: dict[str, Any]
    occurred_at: str  # local time to the minute, as Tandem stores it
    created_at: str  # UTC with microseconds, as Tandem stores it


def _fill(template: str, rng: random.Random) -> str:
    food, food2 = rng.sample(FOODS, 2)
    text = template.format(
        child=CHILD,
        person=rng.choice(PEOPLE),
        time=rng.choice(TIMES),
        food=food,
        food2=food2,
        activity=rng.choice(ACTIVITIES),
        feeling=rng.choice(FEELINGS),
        strategy=rng.choice(STRATEGIES),
        word=rng.choice(WORDS),
        minutes=rng.randint(2, 45),
        count=rng.randint(2, 5),
        clock=f"{rng.randint(5, 21):02d}:{rng.choice((0, 10, 15, 20, 30, 40, 45, 50)):02d}",
    )
    return text[:1].upper() + text[1:]


def generate_entries(count: int) -> Iterator[GeneratedEntry]:
    """`count` varied, realistic entries of about 1 KB, the same for every run.

    Sentences are drawn from parent check-in templates with a fixed seed; the
    first N entries are the same for every size. About 1% mention SEARCH_WORD.
    """
    rng = random.Random(f"tandem-bench-{GENERATOR_VERSION}")
    when = datetime(2008, 1, 1, 7, 0)
    kinds = [k for k, _ in KINDS]
    weights = [w for _, w in KINDS]
    for _ in range(count):
        when += timedelta(minutes=rng.randint(60, 300))
        kind = rng.choices(kinds, weights)[0]
        target = rng.randint(850, 1150)
        sentences: list[str] = []
        if rng.random() < SEARCH_RATE:
            sentences.append(_fill(rng.choice(SEARCH_SENTENCES), rng))
        size = sum(len(s) + 1 for s in sentences)
        while size < target:
            sentence = _fill(rng.choice(SENTENCES), rng)
            sentences.append(sentence)
            size += len(sentence) + 1
        rng.shuffle(sentences)
        cut = rng.randint(2, max(2, len(sentences) - 2))
        body = " ".join(sentences[:cut]) + "\n\n" + " ".join(sentences[cut:])
        fields: dict[str, Any] = {}
        if kind == "checkin":
            fields = {
                "mood": rng.randint(1, 5),
                "mood_word": rng.choice(FEELINGS),
                "bedtime": f"{rng.randint(19, 21)}:{rng.choice(('00', '15', '30', '45'))}",
                "wake_time": f"0{rng.randint(5, 7)}:{rng.choice(('00', '20', '40'))}",
            }
        elif kind == "incident":
            fields = {
                "duration_min": rng.randint(1, 30),
                "setting": rng.choice(TIMES),
                "intensity": rng.randint(1, 5),
                "strategy": rng.choice(STRATEGIES),
                "strategy_worked": rng.choice(("yes", "partly", "no")),
            }
        created = (when + timedelta(minutes=rng.randint(0, 90))).replace(tzinfo=UTC)
        yield GeneratedEntry(
            kind=kind,
            title=f"{rng.choice(DAYPARTS)} {kind}: {rng.choice(TITLE_PARTS)}",
            body=body,
            tags=rng.sample(TAGS, rng.choice((0, 1, 1, 2, 3))),
            fields=fields,
            occurred_at=when.strftime("%Y-%m-%dT%H:%M"),
            created_at=created.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        )


# --- the journals under test ----------------------------------------------------


@dataclass
class Dataset:
    """The files of one size: Tandem journal, floor JSON, jrnl texts (plain, encrypted)."""

    size: int
    tandem: Path
    floor: Path
    jrnl_plain: Path
    jrnl_encrypted: Path
    search_matches: int = 0


def cache_key(size: int) -> str:
    """What the cached files of one size depend on.

    The size, the generator version, the file format and document versions,
    the compression level of sections, and the shape of an entry record (its
    field names), so that a journal made before a model change is made anew.
    """
    import hashlib

    from journal.compression import SECTION_LEVEL
    from journal.fileformat import FORMAT_VERSION
    from journal.journal import DOCUMENT_VERSION
    from journal.model import Entry

    shape = hashlib.sha256(",".join(sorted(Entry.field_names())).encode()).hexdigest()[:8]
    made = f"f{FORMAT_VERSION}-d{DOCUMENT_VERSION}-z{SECTION_LEVEL}"  # how its file was written
    return f"{size}-g{GENERATOR_VERSION}-{made}-{shape}"


def remove_stale(size: int, key: str) -> None:
    """Delete cached files of this size made under another key (they are large)."""
    for path in OUT.glob(f"*-{size}-g*"):
        if f"-{key}." not in path.name:
            path.unlink(missing_ok=True)


def bench_env(**extra: str) -> dict[str, str]:
    """The environment of every measured command: no fast KDF, private XDG folders."""
    dropped = ("TANDEM_TEST_FAST_KDF", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        {
            "XDG_DATA_HOME": str(XDG / "data"),  # Tandem's backups, jrnl's data folder
            "XDG_CONFIG_HOME": str(XDG / "config"),
            "XDG_CACHE_HOME": str(XDG / "cache"),
            "TANDEM_PASSPHRASE": PASSPHRASE,
            "NO_COLOR": "1",
            "LC_ALL": env.get("LC_ALL", "C.UTF-8"),
        }
    )
    env.update(extra)
    return env


def use_bench_folders() -> None:
    """Give this process the measured commands' folders (`bench_env`): opening a cached
    journal here remembers it, and locks it, in bench/out, not in the person's own."""
    os.environ.update({k: v for k, v in bench_env().items() if k.startswith("XDG_")})


def jrnl_text(entries: list[GeneratedEntry]) -> str:
    """The same entries in jrnl's plain-text format, oldest first, tags inline."""
    parts = []
    for e in sorted(entries, key=lambda e: e.occurred_at):
        date = datetime.strptime(e.occurred_at, "%Y-%m-%dT%H:%M").strftime(JRNL_TIMEFORMAT)
        tags = (" " + " ".join(f"@{t}" for t in e.tags)) if e.tags else ""
        parts.append(f"[{date}] {e.title}\n{e.body}{tags}\n")
    return "\n".join(parts)


def _valid_cached_journal(path: Path, size: int) -> bool:
    """A cached journal is reused only if it opens and was made with the default KDF."""
    from journal.crypto import default_kdf_params
    from journal.fileformat import read_container
    from journal.journal import Journal
    from journal.model import Entry

    try:
        defaults = default_kdf_params()
        for slot in read_container(path).header.slots:
            kdf = slot.kdf
            if (kdf.memory_kib, kdf.iterations, kdf.lanes) != (
                defaults.memory_kib,
                defaults.iterations,
                defaults.lanes,
            ):
                return False
        return len(Journal.open(path, PASSPHRASE).all(Entry)) == size
    except Exception:  # noqa: BLE001 - any failure means: make it anew
        return False


def prepare(size: int, jrnl: JrnlSetup | None, log: Callable[[str], None]) -> Dataset:
    """Make (or reuse) the journals of one size."""
    key = cache_key(size)
    remove_stale(size, key)
    data = Dataset(
        size=size,
        tandem=OUT / f"tandem-{key}.tandem",
        floor=OUT / f"floor-{key}.json",
        jrnl_plain=OUT / f"jrnl-{key}.txt",
        jrnl_encrypted=OUT / f"jrnl-{key}.enc",
    )
    entries: list[GeneratedEntry] | None = None
    counts_file = OUT / f"meta-{key}.json"

    if not (data.tandem.exists() and data.floor.exists() and counts_file.exists()) or not (
        _valid_cached_journal(data.tandem, size)
    ):
        entries = list(generate_entries(size))
        started = time.perf_counter()
        make_tandem_journal(data, entries)
        needle = SEARCH_WORD.casefold()
        matches = sum(
            1 for e in entries if needle in (e.title + e.body + " ".join(e.tags)).casefold()
        )
        counts_file.write_text(json.dumps({"search_matches": matches}))
        log(f"  generated {size:,} entries in {time.perf_counter() - started:.1f} s")
    data.search_matches = json.loads(counts_file.read_text())["search_matches"]

    if not data.jrnl_plain.exists():
        entries = entries or list(generate_entries(size))
        temp = data.jrnl_plain.with_suffix(".tmp")
        temp.write_text(jrnl_text(entries), encoding="utf-8")
        temp.replace(data.jrnl_plain)
    if jrnl is not None and not data.jrnl_encrypted.exists():
        temp = data.jrnl_encrypted.with_suffix(".tmp")
        jrnl.setup("encrypt", str(data.jrnl_plain), str(temp))
        temp.replace(data.jrnl_encrypted)
    return data


def make_tandem_journal(data: Dataset, entries: list[GeneratedEntry]) -> None:
    """Write the Tandem journal through the Journal API, and the floor's JSON beside it."""
    from journal.journal import Journal

    os.environ.pop("TANDEM_TEST_FAST_KDF", None)  # the targets include real key derivation
    os.environ["XDG_DATA_HOME"] = str(XDG / "data")
    for path in (data.tandem, data.floor):
        path.unlink(missing_ok=True)
    temp = data.tandem.with_name(data.tandem.name + ".new")
    temp.unlink(missing_ok=True)
    journal, _ = Journal.create(
        temp, title="Sam's journal", name="Ana", role="parent", passphrase=PASSPHRASE
    )
    me = journal.me.id
    for e in entries:
        with journal.acting_as(me, at=e.created_at):
            journal.add_entry(
                e.kind, e.title, e.body, tags=e.tags, fields=e.fields, occurred_at=e.occurred_at
            )
    journal.save()
    document = journal._middleware.cache  # the plaintext Tandem encrypts: the floor reads it
    floor_temp = data.floor.with_suffix(".tmp")
    floor_temp.write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    floor_temp.replace(data.floor)
    temp.replace(data.tandem)


# --- jrnl -------------------------------------------------------------------------


@dataclass
class JrnlSetup:
    """jrnl in `.venv-bench`: its version, and how to call it."""

    version: str

    @staticmethod
    def find() -> JrnlSetup | None:
        """jrnl 4.x if `.venv-bench` has it, else None."""
        if not (JRNL_VENV_BIN / "jrnl").exists():
            return None
        try:
            proc = subprocess.run(
                [str(JRNL_VENV_BIN / "python"), str(BENCH / "jrnl_setup.py"), "version"],
                capture_output=True,
                text=True,
                env=bench_env(),
                timeout=60,
                check=True,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        version = proc.stdout.strip()
        return JrnlSetup(version) if version.startswith("4.") else None

    @staticmethod
    def env() -> dict[str, str]:
        """jrnl's environment: the bench keyring answers for the password, no editor."""
        return bench_env(
            PYTHON_KEYRING_BACKEND="jrnl_keyring.BenchKeyring",
            PYTHONPATH=str(BENCH),
            JRNL_BENCH_PASSWORD=JRNL_PASSWORD,
            EDITOR="",
            VISUAL="",
        )

    def setup(self, *args: str) -> None:
        """Run a jrnl_setup.py step in `.venv-bench`."""
        subprocess.run(
            [str(JRNL_VENV_BIN / "python"), str(BENCH / "jrnl_setup.py"), *args],
            env=self.env(),
            check=True,
            timeout=600,
        )

    def config(self, variant: str, journal_path: Path) -> Path:
        """A config file for one variant ('plain' or 'encrypted') pointing at `journal_path`."""
        path = OUT / "jrnl" / f"{variant}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        encrypt = "1" if variant == "encrypted" else "0"
        self.setup("config", str(path), str(journal_path), encrypt, JRNL_TIMEFORMAT)
        return path

    def command(self, config: Path, *args: str) -> list[str]:
        """A jrnl command line using `config`."""
        return [str(JRNL_VENV_BIN / "jrnl"), "--config-file", str(config), *args]


# --- measuring --------------------------------------------------------------------


@dataclass
class Sample:
    """One measured run."""

    wall_s: float
    cpu_s: float
    peak_mb: float
    ok: bool
    timed_out: bool
    detail: str = ""


@dataclass
class Result:
    """The runs of one tool doing one operation at one size."""

    samples: list[Sample] = field(default_factory=list)
    note: str = ""  # "not installed", "n/a", "skipped: ..."
    timeout: float = 0.0

    @property
    def failed(self) -> bool:
        return any(not s.ok and not s.timed_out for s in self.samples)

    @property
    def timed_out(self) -> bool:
        return any(s.timed_out for s in self.samples)

    def _median(self, value: Callable[[Sample], float]) -> float | None:
        """The median of `value` over the good samples; None unless every run succeeded."""
        good = [value(s) for s in self.samples if s.ok]
        usable = good and not self.timed_out and not self.failed
        return statistics.median(good) if usable else None

    def median_time(self) -> float | None:
        return self._median(lambda s: s.wall_s)

    def median_cpu(self) -> float | None:
        return self._median(lambda s: s.cpu_s)

    def median_memory(self) -> float | None:
        return self._median(lambda s: s.peak_mb)

    def unmeasured(self, timed_out: str) -> str | None:
        """Why there is no number to show (a note, `timed_out`, a failure), or None."""
        if self.note:
            return self.note
        if self.timed_out:
            return timed_out
        if self.failed:
            return "failed"
        return None

    def show_time(self) -> str:
        if (why := self.unmeasured(f">{self.timeout:g} s")) is not None:
            return why
        value, cpu = self.median_time(), self.median_cpu()
        if value is None or cpu is None:
            return "—"
        return f"{value:.2f} s (cpu {cpu:.2f})"

    def show_memory(self) -> str:
        if (why := self.unmeasured(f"(>{self.timeout:g} s)")) is not None:
            return why
        value = self.median_memory()
        return "—" if value is None else f"{value:.0f} MB"


def measure(command: list[str], env: dict[str, str], timeout: float) -> Sample:
    """Run `command` once in a fresh wrapper process: wall time and peak RSS."""
    wrapper = [sys.executable, str(BENCH / "measure.py"), str(timeout), "--", *command]
    proc = subprocess.run(
        wrapper, env=env, capture_output=True, text=True, timeout=timeout + 60, check=True
    )
    report = json.loads(proc.stdout)
    ok = report["status"] == 0
    detail = "" if ok else (report["stderr_tail"].strip() or report["stdout_tail"].strip())
    return Sample(
        wall_s=report["wall_s"],
        cpu_s=report["cpu_s"],
        peak_mb=report["peak_kib"] / 1024,
        ok=ok,
        timed_out=report["timed_out"],
        detail=detail[-300:],
    )


@dataclass
class Operation:
    """One thing a tool does: the command and the files it needs in place first."""

    command: list[str]
    env: dict[str, str]
    timeout: float
    restore: list[tuple[Path, Path]]  # (pristine, working copy) copied before each run
    check: Callable[[], str | None] | None = None  # after the first run: None or a problem


def run_operation(op: Operation, result: Result) -> None:
    """Measure `op` once into `result`; the first run is also checked for its effect."""
    result.timeout = op.timeout
    for pristine, working in op.restore:
        shutil.copyfile(pristine, working)
        # At rest, as a journal is before a person's command: not still being written back
        # (a save's fsync would otherwise also wait for this copy's 26 MB at 100,000 entries).
        with open(working, "rb+") as restored:
            os.fsync(restored.fileno())
    sample = measure(op.command, op.env, op.timeout)
    if sample.ok and not result.samples and op.check is not None:
        problem = op.check()
        if problem:
            sample.ok, sample.detail = False, problem
    result.samples.append(sample)
    if not sample.ok and not sample.timed_out:
        print(f"    ! {' '.join(op.command[:3])}...: {sample.detail}", file=sys.stderr)


# --- the bench ------------------------------------------------------------------

OPERATIONS = ("unlock", "list", "search", "add")
TOOLS = ("tandem", "floor", "jrnl", "jrnl_enc")
ROWS = [
    ("unlock", "unlock (open, decrypt, parse)", "time"),
    ("list", "list -n 10", "time"),
    ("search", f'search "{SEARCH_WORD}"', "time"),
    ("add", "add one entry", "time"),
    ("mem_list", "peak memory, list -n 10", "memory"),
    ("mem_add", "peak memory, add", "memory"),
]


def tandem_count(path: Path) -> int:
    """Entries in a Tandem journal (opens it in this process)."""
    from journal.journal import Journal
    from journal.model import Entry

    return len(Journal.open(path, PASSPHRASE).all(Entry))


def bench_size(
    data: Dataset,
    jrnl: JrnlSetup | None,
    repeat: int,
    skip: dict[tuple[str, str], str],
    warm_up: bool,
    jrnl_missing: str = "not installed",
) -> dict[tuple[str, str], Result]:
    """Measure every tool and operation at one size; `skip` carries timeouts forward.

    With `warm_up`, every command first runs once untimed, so that bytecode
    caches and the page cache are as a user's second run finds them.
    """
    WORK.mkdir(parents=True, exist_ok=True)
    size = data.size
    tandem_bin = str(VENV_BIN / "tandem")
    work_tandem = WORK / "journal.tandem"
    work_floor = WORK / "floor.json"
    env = bench_env()
    tandem_restore = [(data.tandem, work_tandem)]

    def check_tandem_add() -> str | None:
        found = tandem_count(work_tandem)
        return None if found == size + 1 else f"tandem add left {found} entries, not {size + 1}"

    def check_floor_add() -> str | None:
        with open(work_floor, encoding="utf-8") as handle:
            found = len(json.load(handle)["entries"])
        return None if found == size + 1 else f"floor add left {found} entries, not {size + 1}"

    floor = [sys.executable, str(BENCH / "floor.py")]
    unlock_code = (
        "import os, sys\n"
        "from journal.journal import Journal\n"
        "Journal.open(sys.argv[1], os.environ['TANDEM_PASSPHRASE'])\n"
    )
    ops: dict[tuple[str, str], Operation] = {
        ("tandem", "unlock"): Operation(
            [sys.executable, "-c", unlock_code, str(work_tandem)],
            env,
            TANDEM_TIMEOUT,
            tandem_restore,
        ),
        ("tandem", "list"): Operation(
            [tandem_bin, "list", str(work_tandem), "-n", "10"], env, TANDEM_TIMEOUT, tandem_restore
        ),
        ("tandem", "search"): Operation(
            [tandem_bin, "list", str(work_tandem), "--search", SEARCH_WORD],
            env,
            TANDEM_TIMEOUT,
            tandem_restore,
        ),
        ("tandem", "add"): Operation(
            [tandem_bin, "add", str(work_tandem), "--kind", "checkin"]
            + ["--title", ADD_TITLE, "--body", ADD_BODY],
            env,
            TANDEM_TIMEOUT,
            tandem_restore,
            check_tandem_add,
        ),
    }
    floor_restore = [(data.floor, work_floor)]
    for name in OPERATIONS:
        args = {"search": [SEARCH_WORD], "add": [ADD_TITLE, ADD_BODY]}.get(name, [])
        ops[("floor", name)] = Operation(
            [*floor, name, str(work_floor), *args],
            env,
            TANDEM_TIMEOUT,
            floor_restore,
            check_floor_add if name == "add" else None,
        )
    if jrnl is not None:
        jenv = jrnl.env()
        for tool, variant, pristine in (
            ("jrnl", "plain", data.jrnl_plain),
            ("jrnl_enc", "encrypted", data.jrnl_encrypted),
        ):
            working = WORK / f"jrnl-{variant}.txt"
            config = jrnl.config(variant, working)
            restore = [(pristine, working)]

            def check_jrnl_add(working: Path = working, variant: str = variant) -> str | None:
                if variant != "plain":
                    return None
                found = len(re.findall(r"(?m)^\[\d{4}-\d\d-\d\d \d\d:\d\d\] ", working.read_text()))
                return None if found == size + 1 else f"jrnl add left {found} entries"

            ops[(tool, "list")] = Operation(
                jrnl.command(config, "-n", "10"), jenv, JRNL_TIMEOUT, restore
            )
            ops[(tool, "search")] = Operation(
                jrnl.command(config, "-contains", SEARCH_WORD), jenv, JRNL_TIMEOUT, restore
            )
            ops[(tool, "add")] = Operation(
                jrnl.command(config, f"{ADD_TITLE}. {ADD_BODY}"),
                jenv,
                JRNL_TIMEOUT,
                restore,
                check_jrnl_add,
            )

    results: dict[tuple[str, str], Result] = {}
    for tool in TOOLS:
        for name in OPERATIONS:
            result = results[(tool, name)] = Result()
            if tool.startswith("jrnl") and jrnl is None:
                result.note = jrnl_missing
            elif (tool, name) not in ops:
                result.note = "n/a"
            elif (tool, name) in skip:
                result.note = skip[(tool, name)]
    if warm_up:
        for (tool, name), op in ops.items():
            slow = tool.startswith("jrnl") and name == "add"  # jrnl ships its bytecode
            if not results[(tool, name)].note and not slow:
                run_operation(op, Result())
    # Interleave tools run by run so that drift on the machine hits them alike.
    for _round in range(repeat):
        for (tool, name), op in ops.items():
            result = results[(tool, name)]
            if result.note or result.timed_out or result.failed:
                continue
            run_operation(op, result)
    for (tool, name), result in results.items():
        if result.timed_out:
            skip[(tool, name)] = f">{result.timeout:g} s (at {size:,})"
    return results


def verdict(value: float | None, target: tuple[float, str] | None, failed: bool) -> str:
    """'ok' within the target (times: at most; memory: under), 'over' otherwise."""
    if target is None:
        return "—"
    if failed or value is None:
        return "over"
    limit, unit = target
    within = value < limit if unit == "MB" else value <= limit
    return "ok" if within else "over"


def render_table(data: Dataset, results: dict[tuple[str, str], Result]) -> list[str]:
    """The markdown table of one size."""
    lines = [
        f"### {data.size:,} entries",
        "",
        f'Search "{SEARCH_WORD}" matches {data.search_matches:,} entries. '
        f"Tandem file {data.tandem.stat().st_size / 1e6:.1f} MB, "
        f"plain JSON {data.floor.stat().st_size / 1e6:.1f} MB.",
        "",
        "| operation | tandem | floor (plain JSON) | tandem − floor | jrnl | jrnl (encrypted) "
        "| target | verdict |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for key, label, kind in ROWS:
        name = key.removeprefix("mem_")
        cells: list[str] = []
        values: dict[str, float | None] = {}
        for tool in TOOLS:
            result = results[(tool, name)]
            if kind == "time":
                cells.append(result.show_time())
                values[tool] = result.median_time()
            else:
                cells.append(result.show_memory())
                values[tool] = result.median_memory()
        tandem, floor_value = values["tandem"], values["floor"]
        if tandem is not None and floor_value is not None:
            unit = "s" if kind == "time" else "MB"
            diff = tandem - floor_value
            delta = f"{diff:+.2f} s" if unit == "s" else f"{diff:+.0f} MB"
        else:
            delta = "—"
        target = TARGETS.get((key, data.size))
        if target is None:
            target_text = "—"
        else:
            limit, unit = target
            target_text = f"≤ {limit:g} s" if unit == "s" else f"< {limit:g} MB"
        tandem_result = results[("tandem", name)]
        judged = verdict(tandem, target, tandem_result.failed or tandem_result.timed_out)
        lines.append(
            f"| {label} | {cells[0]} | {cells[1]} | {delta} | {cells[2]} | {cells[3]} "
            f"| {target_text} | {judged} |"
        )
    return lines


def growth_lines(all_results: dict[int, dict[tuple[str, str], Result]]) -> list[str]:
    """How Tandem's cost grows from 10,000 to 50,000 entries."""
    if 10000 not in all_results or 50000 not in all_results:
        return ["Growth: needs both 10,000 and 50,000 entries (run without --sizes/--quick)."]
    lines = []
    for name, label in (("add", "add"), ("list", "list -n 10"), ("unlock", "unlock")):
        small = all_results[10000][("tandem", name)].median_time()
        large = all_results[50000][("tandem", name)].median_time()
        if small is None or large is None:
            lines.append(f"Growth of `{label}`: not measured (failed or timed out).")
            continue
        ratio = large / small
        judged = "linear or better" if ratio <= 5.0 else "WORSE than linear"
        lines.append(
            f"Growth of `tandem {label}` 10,000 → 50,000 entries (5× the entries): "
            f"{small:.2f} s → {large:.2f} s = {ratio:.2f}×, {judged}."
        )
    return lines


def machine_lines(
    jrnl: JrnlSetup | None, repeat: int, sample_journal: Path | None, load: str
) -> list[str]:
    """The machine, Python, and the Argon2id parameters actually in the journals."""
    import cryptography

    from journal.crypto import default_kdf_params

    kdf_text = ""
    if sample_journal is not None:
        from journal.fileformat import read_container

        slot = read_container(sample_journal).header.slots[0]
        kdf = slot.kdf
        kdf_text = (
            f"Argon2id in the journals: {kdf.memory_kib // 1024} MiB, {kdf.iterations} "
            f"iterations, {kdf.lanes} lanes (one derivation per unlock)"
        )
    else:
        d = default_kdf_params()
        kdf_text = f"Argon2id defaults: {d.memory_kib // 1024} MiB, {d.iterations} it, {d.lanes} l"
    return [
        f"- Machine: {machine()}, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, cryptography {cryptography.__version__}",
        f"- {kdf_text}; TANDEM_TEST_FAST_KDF unset",
        f"- jrnl: {'v' + jrnl.version if jrnl else 'not installed'}"
        + (" (plain-text journal; encrypted = jrnl v3 format, PBKDF2 100k)" if jrnl else ""),
        f"- Wall time of the whole command as a user waits for it, median of {repeat} runs, "
        "with its CPU time (user + system; less disturbed by other work on the machine); "
        "peak memory = max RSS of the process (ru_maxrss)",
        "- Bytecode caches on and every command run once untimed first (PYTHONDONTWRITEBYTECODE "
        "is dropped for measured commands, as on a user's machine)",
        f"- Run {datetime.now().strftime('%Y-%m-%d %H:%M')}, {load} (other work on the "
        "machine makes times noisy)",
    ]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="comma-separated journal sizes (default: 1000,10000,50000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--quick", action="store_true", help="1,000 entries only")
    parser.add_argument("--no-jrnl", action="store_true", help="skip jrnl even if installed")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes numbers, e.g. 1000,10000")
    if args.quick:
        args.sizes = [1000]
    if args.repeat < 1 or not args.sizes or min(args.sizes) < 1:
        parser.error("--repeat and sizes must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print the table."""
    args = parse_args(argv)
    os.environ.pop("TANDEM_TEST_FAST_KDF", None)
    use_bench_folders()
    OUT.mkdir(parents=True, exist_ok=True)
    if not (VENV_BIN / "tandem").exists():
        print("bench: .venv/bin/tandem is missing; run `make bench`", file=sys.stderr)
        return 1

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    jrnl = None if args.no_jrnl else JrnlSetup.find()
    if jrnl is None and not args.no_jrnl:
        log("jrnl: not installed (make bench installs it into .venv-bench)")

    datasets: list[Dataset] = []
    for size in args.sizes:
        log(f"preparing {size:,} entries ...")
        datasets.append(prepare(size, jrnl, log))

    load_before = os.getloadavg()[0]
    all_results: dict[int, dict[tuple[str, str], Result]] = {}
    skip: dict[tuple[str, str], str] = {}
    for data in datasets:
        log(f"measuring {data.size:,} entries ({args.repeat} runs each) ...")
        started = time.perf_counter()
        warm_up = data is datasets[0]
        missing = "skipped" if args.no_jrnl else "not installed"
        all_results[data.size] = bench_size(data, jrnl, args.repeat, skip, warm_up, missing)
        log(f"  done in {time.perf_counter() - started:.0f} s")

    load = f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after"
    machine = machine_lines(jrnl, args.repeat, datasets[0].tandem, load)
    lines = ["## Tandem benchmarks", "", *machine, ""]
    for data in datasets:
        lines += render_table(data, all_results[data.size]) + [""]
    lines += growth_lines(all_results)
    text = "\n".join(lines) + "\n"
    print(text)
    (OUT / "results.md").write_text(text, encoding="utf-8")
    # Working copies and the backups Tandem kept of them are large and of no further use.
    shutil.rmtree(WORK, ignore_errors=True)
    shutil.rmtree(XDG / "data" / "tandem", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
