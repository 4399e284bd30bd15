"""Caseload and key agent benchmark (issue #15, section 3): a table, not a timed test.

    .venv/bin/python bench/caseload.py [--repeat 3] [--no-jrnl] [--journals 30] [--entries 2000]

1. `tandem list -n 10`, search and `add` at 10,000 entries with the key agent
   holding the key, beside the same commands given the passphrase (as today),
   the floor (plain JSON read by plain Python, bench/floor.py) and jrnl 4.x
   (bench/run.py's setup: the same entries, `.venv-bench`), each a separate
   process, runs interleaved.
2. The same `list -n 10` and `add` at 100,000 entries, with their peak memory (the
   larger of the `tandem` process's and that of the agent's forks that ran the
   commands: journal/launch.py hands them to the agent).
3. A caseload of 30 journals of 2,000 entries: `tandem caseload --json`, and
   the caseload view (headless, from process launch to the last row filled
   in) with the keys held; without the agent, one passphrase typed: when the
   first family shows and when the last key is derived. The floor reads the
   same 30 documents as plain JSON.

The agent runs in a private runtime folder under bench/out (made 0700) and is
stopped at the end, whatever happens. Journals are cached in bench/out.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import run as bench  # noqa: E402 - bench/run.py: generator, jrnl setup, measuring
from app_startup import KDF  # noqa: E402 - one key derivation, timed in its own process

ROOT = bench.ROOT
OUT = bench.OUT
RUNTIME = OUT / "rt"
CASELOAD_VERSION = 1
"""Bump when the generated caseload changes, so cached journals are made anew."""

ISSUE_JRNL = {"list": 1.48, "search": 1.59, "add": 8.66}
"""jrnl's times as issue #15 measured them (another machine): the targets were set from these."""

TARGETS = {
    "list": ("≥ 10× faster than jrnl", 10.0),
    "add": ("≥ 40× faster than jrnl", 40.0),
    "search": ("≥ 8× faster than jrnl", 8.0),
}

CASELOAD_VIEW = """
import os, sys, time
from pathlib import Path
from textual.app import App
from journal.keys import KekStore
from screens.caseload_screen import CaseloadScreen

paths = [Path(p) for p in sys.argv[2:]]
secret = sys.argv[1] or None
launched = float(os.environ["BENCH_LAUNCHED"])
first = None

class Timed(App):
    def on_mount(self):
        self.screen_ = CaseloadScreen(paths, holder=KekStore())
        self.push_screen(self.screen_)
        if secret:
            self.call_after_refresh(self.type_passphrase)
        self.set_interval(0.005, self.check)
    def type_passphrase(self):
        self.screen_.query_one("#caseload-passphrase").value = secret
        self.screen_._unlock_all()
    def check(self):
        global first
        states = [case.state for case in self.screen_.cases]
        if first is None and "ok" in states:
            first = time.time() - launched
        if states and "reading" not in states and "locked" not in states and not self.over:
            self.over = True
            self.call_after_refresh(self.done)
    over = False
    def done(self):
        print(f"{first:.4f} {time.time() - launched:.4f}")
        self.exit()

Timed().run(headless=True)
"""

CASELOAD_FLOOR = """
import json, sys
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as handle:
        json.load(handle)
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def agent_env() -> dict[str, str]:
    """The measured commands' environment with the agent: no passphrase given."""
    env = bench.bench_env(XDG_RUNTIME_DIR=str(RUNTIME))
    env.pop("TANDEM_PASSPHRASE")
    return env


def checked(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `command` once (from the repository); stop the bench with its message if it fails."""
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed: {done.stderr.strip()[-500:]}")
    return done


def tandem(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `tandem` once (not measured)."""
    return checked([str(bench.VENV_BIN / "tandem"), *args], env)


def start_agent(paths: list[Path]) -> None:
    """Turn the agent on, start it and have it hold the keys of `paths` (one prompt's worth)."""
    if RUNTIME.exists():
        stop_agent()
    RUNTIME.mkdir(parents=True, exist_ok=True)
    os.chmod(RUNTIME, 0o700)
    env = agent_env()
    tandem("agent", "enable", env=env)
    unlock_env = {**env, "TANDEM_PASSPHRASE": bench.PASSPHRASE}
    tandem("unlock", *map(str, paths), env=unlock_env)


def stop_agent() -> None:
    """Stop the bench's agent (it forgets every key), and remove its folder."""
    subprocess.run(
        [str(bench.VENV_BIN / "tandem"), "agent", "stop"],
        env=agent_env(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    shutil.rmtree(RUNTIME, ignore_errors=True)


# --- 1 and 2: commands with the key held -------------------------------------------------


def command_ops(data: bench.Dataset, jrnl: bench.JrnlSetup | None) -> dict[str, bench.Operation]:
    """Each (tool, operation) as an `Operation` of bench/run.py."""
    bench.WORK.mkdir(parents=True, exist_ok=True)
    work = bench.WORK / f"caseload-{data.size}.tandem"
    floor_work = bench.WORK / f"caseload-floor-{data.size}.json"
    tandem_bin = str(bench.VENV_BIN / "tandem")
    restore = [(data.tandem, work)]
    add = ["--kind", "checkin", "--title", bench.ADD_TITLE, "--body", bench.ADD_BODY]
    commands = {
        "list": [tandem_bin, "list", str(work), "-n", "10"],
        "search": [tandem_bin, "list", str(work), "--search", bench.SEARCH_WORD],
        "add": [tandem_bin, "add", str(work), *add],
    }
    timeout = bench.TANDEM_TIMEOUT
    ops: dict[str, bench.Operation] = {}
    for name, command in commands.items():
        ops[f"agent:{name}"] = bench.Operation(command, agent_env(), timeout, restore)
        no_agent = bench.bench_env(TANDEM_NO_AGENT="1")  # as before the agent: derive the key
        ops[f"passphrase:{name}"] = bench.Operation(command, no_agent, timeout, restore)
        arguments = {"search": [bench.SEARCH_WORD], "add": [bench.ADD_TITLE, bench.ADD_BODY]}
        ops[f"floor:{name}"] = bench.Operation(
            [sys.executable, str(BENCH / "floor.py"), name, str(floor_work)]
            + arguments.get(name, []),
            bench.bench_env(),
            timeout,
            [(data.floor, floor_work)],
        )
    if jrnl is not None:
        working = bench.WORK / "caseload-jrnl.txt"
        config = jrnl.config("plain", working)
        jenv = jrnl.env()
        jrestore = [(data.jrnl_plain, working)]
        ops["jrnl:list"] = bench.Operation(
            jrnl.command(config, "-n", "10"), jenv, bench.JRNL_TIMEOUT, jrestore
        )
        ops["jrnl:search"] = bench.Operation(
            jrnl.command(config, "-contains", bench.SEARCH_WORD), jenv, bench.JRNL_TIMEOUT, jrestore
        )
        ops["jrnl:add"] = bench.Operation(
            jrnl.command(config, f"{bench.ADD_TITLE}. {bench.ADD_BODY}"),
            jenv,
            bench.JRNL_TIMEOUT,
            jrestore,
        )
    return ops


def measure_ops(ops: dict[str, bench.Operation], repeat: int) -> dict[str, bench.Result]:
    """Each operation once untimed, then `repeat` runs interleaved."""
    results = {key: bench.Result() for key in ops}
    for key, op in ops.items():
        if key != "jrnl:add":  # jrnl ships its bytecode; its add is slow
            bench.run_operation(op, bench.Result())
    for _round in range(repeat):
        for key, op in ops.items():
            if not results[key].failed:
                bench.run_operation(op, results[key])
    return results


def _time(result: bench.Result | None) -> float | None:
    return None if result is None else result.median_time()


def _timed(result: bench.Result | None) -> str:
    """A median wall time with its CPU time (less disturbed by other work on the machine)."""
    if result is None or result.median_time() is None:
        return "—"
    return f"{result.median_time():.3f} s (cpu {result.median_cpu():.2f})"


def forks_peak_mb() -> float | None:
    """The largest peak memory of the commands the agent ran in its forks, in MB."""
    from journal.agent_client import AgentClient

    try:
        peak = AgentClient(RUNTIME / "tandem" / "agent.sock").status()["commands_peak_kib"]
    except Exception:  # an agent that runs no commands, or none: nothing to add
        return None
    return peak / 1024 if isinstance(peak, int) else None


def command_table(
    results: dict[str, bench.Result], big: dict[str, bench.Result], forks_mb: float | None
) -> list[str]:
    """The table of sections 1 and 2 (`forks_mb`: the agent's forks' peak memory)."""
    lines = [
        "### Commands with the key held by the agent, 10,000 entries",
        "",
        "| operation | tandem, agent | tandem, no agent (passphrase) | floor | jrnl | jrnl ÷ agent "
        "| issue's jrnl ÷ agent | target | verdict |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for name, label in (("list", "list -n 10"), ("search", "search"), ("add", "add")):
        agent = _time(results.get(f"agent:{name}"))
        jrnl = _time(results.get(f"jrnl:{name}"))
        ratio = jrnl / agent if jrnl and agent else None
        text, wanted = TARGETS[name]
        verdict = "—" if ratio is None else ("ok" if ratio >= wanted else "missed")
        lines.append(
            f"| {label} | {_timed(results.get(f'agent:{name}'))} "
            f"| {_timed(results.get(f'passphrase:{name}'))} "
            f"| {_timed(results.get(f'floor:{name}'))} | {_timed(results.get(f'jrnl:{name}'))} "
            f"| {'—' if ratio is None else f'{ratio:.1f}×'} "
            f"| {'—' if agent is None else f'{ISSUE_JRNL[name] / agent:.1f}×'} "
            f"| {text} | {verdict} |"
        )
    lines += [
        "",
        "### The same at 100,000 entries (agent)",
        "",
        "| operation | 10,000 | 100,000 | growth | peak memory at 100,000 (forks) "
        "| target | verdict |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for name, label in (("list", "list -n 10"), ("add", "add")):
        small, large = _time(results.get(f"agent:{name}")), _time(big.get(f"agent:{name}"))
        memory = big[f"agent:{name}"].median_memory() if f"agent:{name}" in big else None
        if memory is not None and forks_mb is not None:
            memory = max(memory, forks_mb)  # the command ran in a fork of the agent
        growth = large / small if small and large else None
        fits = growth is not None and growth <= 1.5 and memory is not None and memory < 200
        lines.append(
            f"| {label} | {_timed(results.get(f'agent:{name}'))} "
            f"| {_timed(big.get(f'agent:{name}'))} "
            f"| {'—' if growth is None else f'{growth:.2f}×'} "
            f"| {'—' if memory is None else f'{memory:.0f} MB'} | ≤ 1.5×, < 200 MB "
            f"| {'ok' if fits else 'missed'} |"
        )
    return lines


# --- 3: the caseload ------------------------------------------------------------------


def make_caseload(count: int, entries: int) -> tuple[list[Path], list[Path]]:
    """`count` journals of `entries` entries (cached), and their plaintext floors."""
    from journal.journal import Journal

    folder = OUT / f"caseload-{count}x{entries}-v{CASELOAD_VERSION}-{bench.cache_key(entries)}"
    paths = [folder / f"family-{n:02d}.tandem" for n in range(count)]
    floors = [path.with_suffix(".json") for path in paths]
    if all(p.exists() for p in paths + floors):
        return paths, floors
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ.pop("TANDEM_TEST_FAST_KDF", None)
    os.environ["XDG_DATA_HOME"] = str(bench.XDG / "data")
    generated = list(bench.generate_entries(entries))
    started = time.perf_counter()
    for n, (path, floor) in enumerate(zip(paths, floors, strict=True)):
        journal, _code = Journal.create(
            path,
            title=f"Family {n:02d}",
            name="Dr. Lee",
            role="therapist",
            passphrase=bench.PASSPHRASE,
        )
        parent = journal.add_member("Parent", "parent")
        for e in generated:
            with journal.acting_as(parent.id, at=e.created_at):
                journal.add_entry(
                    e.kind, e.title, e.body, tags=e.tags, fields=e.fields, occurred_at=e.occurred_at
                )
        journal.add_session(f"2030-01-{1 + n % 28:02d}T10:00")
        journal.save()
        floor.write_text(json.dumps(journal.document()), encoding="utf-8")
    took = time.perf_counter() - started
    log(f"  generated {count} journals of {entries:,} entries in {took:.0f} s")
    return paths, floors


def launched(code: str, *args: str, env: dict[str, str]) -> tuple[float, str]:
    """Run `code` in a new process told when it was launched: (wall time, its last line)."""
    start = time.perf_counter()
    launch = {**env, "BENCH_LAUNCHED": repr(time.time())}
    lines = checked([sys.executable, "-c", code, *args], launch).stdout.strip().splitlines()
    return time.perf_counter() - start, lines[-1] if lines else ""


def caseload_table(paths: list[Path], floors: list[Path], repeat: int) -> list[str]:
    """Section 3: the caseload with the keys held, and without the agent."""
    env = agent_env()
    no_agent = {**bench.bench_env(), "TANDEM_NO_AGENT": "1"}
    names = [str(p) for p in paths]
    cli, view, floor, first, last, kdf = [], [], [], [], [], []

    def timed(run: Callable[[], object]) -> float:
        start = time.perf_counter()
        run()
        return time.perf_counter() - start

    launched(CASELOAD_VIEW, "", *names, env=env)  # warm the caches
    for _round in range(repeat):
        cli.append(timed(lambda: tandem("caseload", "--json", *names, env=env)))
        view.append(float(launched(CASELOAD_VIEW, "", *names, env=env)[1].split()[1]))
        floor.append(launched(CASELOAD_FLOOR, *map(str, floors), env=env)[0])
        shown, done = launched(CASELOAD_VIEW, bench.PASSPHRASE, *names, env=no_agent)[1].split()
        first.append(float(shown))
        last.append(float(done))
        kdf.append(float(launched(KDF, names[0], bench.PASSPHRASE, env=env)[1]))
    m = statistics.median
    count = len(paths)
    view_ok = "ok" if m(view) < 1.5 else "missed"
    order_ok = "ok" if m(first) < m(last) - m(kdf) else "missed"
    return [
        f"### Caseload: {count} journals of 2,000 entries",
        "",
        "| what | time | target | verdict |",
        "|---|---:|---|---|",
        f"| floor: the {count} documents as plain JSON, read by Python | {m(floor):.2f} s | | |",
        f"| `tandem caseload --json`, keys held by the agent | {m(cli):.2f} s | | |",
        f"| caseload view complete, keys held (launch to last row) | {m(view):.2f} s "
        f"| < 1.5 s | {view_ok} |",
        f"| no agent, one passphrase typed: first family shown | {m(first):.2f} s "
        f"| before the last key | {order_ok} |",
        f"| no agent: every family shown ({count} key derivations) | {m(last):.2f} s | | |",
        f"| one key derivation alone | {m(kdf):.2f} s | | |",
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-jrnl", action="store_true")
    parser.add_argument("--journals", type=int, default=30)
    parser.add_argument("--entries", type=int, default=2000)
    args = parser.parse_args(argv)
    os.environ.pop("TANDEM_TEST_FAST_KDF", None)
    bench.use_bench_folders()
    OUT.mkdir(parents=True, exist_ok=True)
    jrnl = None if args.no_jrnl else bench.JrnlSetup.find()
    if jrnl is None and not args.no_jrnl:
        log("jrnl: not installed (make bench installs it into .venv-bench)")
    log("preparing 10,000 and 100,000 entries ...")
    data = bench.prepare(10000, jrnl, log)
    large = bench.prepare(100000, None, log)
    log(f"preparing the caseload ({args.journals} × {args.entries:,}) ...")
    paths, floors = make_caseload(args.journals, args.entries)
    load_before = os.getloadavg()[0]
    try:
        ops = command_ops(data, jrnl)
        big_ops = {k: v for k, v in command_ops(large, None).items() if k.startswith("agent:")}
        big_ops.pop("agent:search")
        work = [op.restore[0][1] for op in (ops["agent:list"], big_ops["agent:list"])]
        for op in (ops["agent:list"], big_ops["agent:list"]):
            for pristine, working in op.restore:
                shutil.copyfile(pristine, working)
        start_agent([*work, *paths])
        log("measuring the commands ...")
        results = measure_ops(ops, args.repeat)
        big = measure_ops(big_ops, args.repeat)
        log("measuring the caseload ...")
        lines = command_table(results, big, forks_peak_mb())
        lines += ["", *caseload_table(paths, floors, args.repeat)]
    finally:
        stop_agent()
        shutil.rmtree(bench.WORK, ignore_errors=True)
    machine = bench.machine_lines(jrnl, args.repeat, data.tandem, "")
    load = f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after"
    text = "\n".join(["## Caseload and key agent", "", *machine[:-1], f"- {load}", "", *lines])
    print(text)
    (OUT / "caseload.md").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
