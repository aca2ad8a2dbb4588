"""What the floor's health costs at the terminal: keystroke echo and idle bytes of the installed `queuetui` through a
pty at 80x24 (TERM=xterm), on 5,000 calls and 1,000 agents, against the same console on the live list alone.

Three consoles run side by side, signed in to one `queuetui sim`, on profiles that differ only in the floor's
figures, the agents and the levels (`bench_floor_health.floor_config`): the live list alone; with the health line,
the agents feed and alerts; and the same with the agents view shown. Each list (and feed) refreshes every second
from a `command` printing a prepared file. The keys are interleaved (a word of keys to each console in turn, the
order turning every round), so a busy moment of the machine falls on all three alike; each is timed from the key
until the filter of the view shown shows it, the screen drawn from the bytes as they left the program (no link).
Idle bytes are counted in one window, the same for all three, and scaled to a minute, with the CPU each console used
in it (all its threads: the poller's work on the floor included). By default every level is passed from the first
refreshes and none is crossed while it runs (marks and alarms on screen, nothing new to announce); `--crossing` takes
levels that calls and agents cross every second, so each refresh rings the bell and logs new alarms.
A p95 of 120 keys is their sixth slowest, and one busy moment of the machine moves it: the whole measure runs in
rounds (fresh consoles each) and the medians of the rounds are reported, with each round's p95 ratios.
Targets (issue 32): echo p95 and bytes per idle minute no worse than the live list alone.

Run: python benchmarks/bench_floor_wire.py [--keys N] [--idle-s S] [--rounds N] [--crossing]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from bench_floor_health import AGENTS, CALLS, CROSSED_LEVELS, floor_config, floor_files
from bench_wire import _env, echo_times, p95, settle
from ptydriver import PtyProgram

from queuetui.sim import DEMO_SSID

VARIANTS = (
    ("live list alone", False, False),
    ("with health, agents, alerts", True, False),
    ("agents view shown", True, True),
)
# Levels every call and agent past which is past them from the first refreshes, and none reaches while the benchmark
# runs: a floor with marks, alarms and warnings on the health line, and nothing new to announce.
STEADY_LEVELS = (
    "long_call_warn = 1\nlong_call_alarm = 7200\nlong_hold_warn = 1\nlong_ring_alarm = 1\n"
    "callers_waiting_warn = 10\nlongest_wait_alarm = 120\nlong_break_alarm = 1\n"
)
KEYS = "1023 "  # agent 1023 and the calls with 1023 in them, in both views; a space empties the filter, untimed


def cpu_s(pid: int) -> float:
    """The CPU time a process has used so far, every thread of it, in seconds (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime and stime


def _open(stack: ExitStack, queuetui: str, home: Path, config: Path, feeds: bool, agents_view: bool) -> PtyProgram:
    """A console signed in, its list loaded (and with `feeds` its first alarms said), the view shown and its filter
    focused."""
    env = {**_env(home), "QUEUETUI_SSID": DEMO_SSID}
    term = stack.enter_context(PtyProgram([queuetui, "--config", str(config)], env=env))
    term.wait_for("Sign in")
    term.wait_quiet(0.5)
    term.send(b"\r")
    term.wait_for(f"{CALLS} calls", timeout=60)
    if feeds:  # said once, in the log: not what an idle minute costs
        term.wait_for("new alarms", timeout=60)
    if agents_view:
        term.wait_for("Agents", since=term.send(b"v"))
    settle(term, term.send(b"/"))
    return term


def view_filter_line(screen: str) -> str:
    """The filter's line: the one above the column titles of the view shown, the calls' or the agents'."""
    lines = screen.splitlines()
    titles = ("Call    Agent", "Agent      State")
    return next((lines[at - 1] for at, line in enumerate(lines) if at and any(t in line for t in titles)), "")


# What a console writes in a second with nothing changing (a blinking cursor, a clock's digit): far below a refresh
# that lays out rows.
SETTLED_B = 300


def wait_settled(term: PtyProgram, timeout: float = 60.0) -> None:
    """Until a whole second passes with no more than an idle console's output: past the refreshes that follow its
    sign-in, so the idle window and the echo measure the console as it runs, not as it starts."""
    deadline = time.monotonic() + timeout
    while len(term.written_in(time.monotonic(), 1.0)) > SETTLED_B:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the console still wrote more than {SETTLED_B} B a second after {timeout} s")


def measure(queuetui: str, folder: Path, keys: int, idle_s: float, levels: str) -> dict[str, dict[str, float]]:
    port = 20000 + os.getpid() % 20000
    sim = subprocess.Popen([queuetui, "sim", "--port", str(port)], stdout=subprocess.PIPE)
    try:
        assert sim.stdout is not None
        sim.stdout.readline()
        files = floor_files(folder)
        with ExitStack() as stack:
            terms = []
            for index, (_, feeds, agents_view) in enumerate(VARIANTS):
                home = folder / f"home{index}"
                home.mkdir()
                config = home / "floor.toml"
                config.write_text(floor_config(f"http://127.0.0.1:{port}/api/v2", files, feeds, 1, levels))
                terms.append(_open(stack, queuetui, home, config, feeds, agents_view))
            for term in terms:
                wait_settled(term)
            start, cpu_before = time.monotonic(), [cpu_s(term.pid) for term in terms]
            idle = [term.written_in(start, idle_s) for term in terms]
            cpu = [cpu_s(term.pid) - before for term, before in zip(terms, cpu_before, strict=True)]
            echoes: list[list[float]] = [[] for _ in terms]
            for round_ in range(keys):  # a word each round: the field's echo is timed against all typed before
                if min(len(times) for times in echoes) >= keys:
                    break
                for shift in range(len(terms)):
                    index = (round_ + shift) % len(terms)
                    echoes[index] += echo_times(terms[index], KEYS, float("inf"), view_filter_line)[0]
    finally:
        sim.terminate()
        sim.wait(timeout=5)
    return {
        name: {
            "idle minute B": len(idle[index]) * 60 / idle_s,
            "CPU per idle s": cpu[index] / idle_s,
            "echo median ms": statistics.median(echoes[index]) * 1000,
            "echo p95 ms": p95(echoes[index]) * 1000,
            "keys": len(echoes[index]),
        }
        for index, (name, _, _) in enumerate(VARIANTS)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=120, help="keys timed in each console (default 120)")
    parser.add_argument("--idle-s", type=float, default=20.0, help="idle window, scaled to a minute (default 20)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the whole measure (default 3)")
    parser.add_argument("--crossing", action="store_true", help="levels the calls and agents cross as it runs")
    args = parser.parse_args()
    queuetui = str(Path(sys.executable).parent / "queuetui")
    levels = CROSSED_LEVELS if args.crossing else STEADY_LEVELS
    rounds = []
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as name:
            rounds.append(measure(queuetui, Path(name), args.keys, args.idle_s, levels))
    print("echo p95 by round, against the live list alone:", end="")
    for figures in rounds:
        alone_p95 = figures[VARIANTS[0][0]]["echo p95 ms"]
        print(
            " " + " / ".join(f"{figures[name]['echo p95 ms'] / alone_p95:.2f}x" for name, _, _ in VARIANTS[1:]), end=";"
        )
    print()
    figures = {
        name: {row: statistics.median(figures[name][row] for figures in rounds) for row in rounds[0][name]}
        for name, _, _ in VARIANTS
    }
    alone = figures[VARIANTS[0][0]]
    crossing = "levels crossed as it runs" if args.crossing else "levels passed from the start, none crossed"
    print(f"{CALLS} calls, {AGENTS} agents, refreshed every 1 s, {crossing}; pty 80x24, TERM=xterm")
    print(f"idle over {args.idle_s:.0f} s, scaled to a minute; medians of {args.rounds} rounds")
    print(f"{'':<30}{'echo median':>12}{'echo p95':>10}{'keys':>6}{'idle minute':>13}{'CPU idle':>10}")
    for name, row in figures.items():
        ratio = "" if row is alone else f"  p95 {row['echo p95 ms'] / alone['echo p95 ms']:.2f}x"
        ratio += "" if row is alone else f", idle {row['idle minute B'] / max(1.0, alone['idle minute B']):.2f}x"
        print(
            f"{name:<30}{row['echo median ms']:>9.1f} ms{row['echo p95 ms']:>7.1f} ms{row['keys']:>6.0f}"
            f"{row['idle minute B']:>11.0f} B{row['CPU per idle s']:>9.0%}{ratio}"
        )
    print("targets: echo p95 and idle bytes no worse than the live list alone")


if __name__ == "__main__":
    main()
