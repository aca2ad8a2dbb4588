"""Interrupted mid-action, the trail still knows: SIGINT, SIGTERM, SIGHUP and SIGKILL sent to `queuetui barge`
and to the console at a random moment while the simulator holds the request.

The moment is drawn after an event the test sees: the attempt record on disk, or the request at the simulator.
Over every run: each request the simulator received has its attempt record; each run not ended by SIGKILL also
has the attempt's outcome ("interrupted", as the answer never came), exits 128+N, and prints no traceback.

Most barge runs come from `barge_forker.py` (the command's entry point in a process of its own, forked after the
imports, which are most of a run's time); a few run the installed command itself. The console runs in tmux;
its runs end the tmux server (a dropped SSH link: SIGHUP) or signal the console's process.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest
from helpers import installed_command, run_env
from run_cli import barge_args, start_queuetui
from tmuxdriver import TmuxSession, have_tmux

from queuetui.core.audit.log import read_audit
from queuetui.sim import DEMO_SSID, SimServer
from reliability import barge_forker

pytestmark = pytest.mark.slow

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGKILL)
FORKED_PER_SIGNAL = 24
INSTALLED_PER_SIGNAL = 2
AT_ONCE = 8  # runs in flight together: the simulator holds each request until its signal
HOLD_S = 60.0  # far longer than any run: every signal lands before an answer could
DEADLINE_S = 30.0


@dataclass
class Run:
    call_id: str
    signum: int
    audit: Path
    err: Path
    after_request: bool  # the moment is drawn after the request reached the simulator, else after the attempt
    exit_code: int | None = None


def wait_until(condition: Callable[[], bool], what: str, timeout: float = DEADLINE_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        threading.Event().wait(0.02)  # a poll interval, not a wait for time to pass


def received_calls(sim: SimServer) -> set[str]:
    return {str(request.parsed.get("callId")) for request in list(sim.received) if isinstance(request.parsed, dict)}


def attempts_in(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [record for record in read_audit(path).records if record.get("event") == "attempt"]


def signal_later(pid: int, signum: int, rng: random.Random, spread_s: float) -> None:
    """Send `signum` to `pid` at a random moment within `spread_s` from now."""
    threading.Timer(rng.uniform(0, spread_s), _kill_if_there, (pid, signum)).start()


def _kill_if_there(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def strike(run: Run, pid: int, sim: SimServer, rng: random.Random) -> None:
    """Wait for the run's event, then signal it at a random moment after."""
    if run.after_request:
        wait_until(lambda: run.call_id in received_calls(sim), f"{run.call_id} at the simulator")
        signal_later(pid, run.signum, rng, 0.3)
    else:
        wait_until(lambda: bool(attempts_in(run.audit)), f"{run.call_id}'s attempt record")
        signal_later(pid, run.signum, rng, 0.02)


@dataclass
class Tally:
    runs: Counter[str]
    received: Counter[str]
    attempts: Counter[str]
    outcomes: Counter[str]

    def line(self, name: str) -> str:
        return (
            f"{name}: {self.runs[name]} runs, {self.received[name]} requests received, "
            f"{self.attempts[name]} attempt records, {self.outcomes[name]} outcomes"
        )


def check(runs: list[Run], sim: SimServer, label: Callable[[Run], str]) -> Tally:
    tally = Tally(Counter(), Counter(), Counter(), Counter())
    received = received_calls(sim)
    for run in runs:
        name = label(run)
        records = read_audit(run.audit).records if run.audit.exists() else []
        mine = [record for record in records if record.get("call_id") == run.call_id]
        attempts = [record for record in mine if record.get("event") == "attempt"]
        answered = {record.get("attempt") for record in mine if record.get("event") == "outcome"}
        tally.runs[name] += 1
        tally.received[name] += run.call_id in received
        tally.attempts[name] += len(attempts)
        tally.outcomes[name] += len(answered)
        if run.call_id in received:
            assert attempts, f"{name}: {run.call_id} reached the simulator with no attempt record"
        if run.signum == signal.SIGKILL:
            continue
        assert {record.get("attempt") for record in attempts} <= answered, f"{name}: {run.call_id} has no outcome"
        text = run.err.read_text() if run.err.exists() else ""
        assert "Traceback" not in text, text
        if run.exit_code is not None:  # the console's is not known: its terminal is gone
            assert run.exit_code == 128 + run.signum, (name, run.exit_code, text)
    return tally


@pytest.fixture
def holding_sim(sim: SimServer, live_calls: list[str]) -> Iterator[SimServer]:
    sim.faults.latency_s = HOLD_S
    yield sim
    sim.faults.latency_s = 0.0


class Forker:
    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, barge_forker.__file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )

    def ask(self, line: str) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def barge_runs(folder: Path, live_calls: list[str], first: int, per_signal: int, rng: random.Random) -> list[Run]:
    runs = []
    for number in range(per_signal * len(SIGNALS)):
        index = first + number
        runs.append(
            Run(
                live_calls[index],
                SIGNALS[number % len(SIGNALS)],
                folder / f"audit-{index}.jsonl",
                folder / f"err-{index}.txt",
                after_request=rng.random() < 0.8,
            )
        )
    return runs


def test_barge_interrupted_at_random_moments_loses_no_record(holding_sim, live_calls, tmp_path, isolated_home):
    sim, rng = holding_sim, random.Random()
    env = {**os.environ, "QUEUETUI_SSID": DEMO_SSID}
    forked = barge_runs(tmp_path, live_calls, 0, FORKED_PER_SIGNAL, rng)
    installed = barge_runs(tmp_path, live_calls, len(forked), INSTALLED_PER_SIGNAL, rng)
    forker = Forker(env)
    try:
        for batch in range(0, len(forked), AT_ONCE):
            started = []
            for run in forked[batch : batch + AT_ONCE]:
                args = barge_args(sim.url, "--call-id", run.call_id, "--audit-file", str(run.audit))[1:]
                started.append((run, int(forker.ask(" ".join(["start", str(tmp_path / "out"), str(run.err), *args])))))
            for run, pid in started:
                strike(run, pid, sim, rng)
            for run, pid in started:
                answer = forker.ask(f"wait {pid} {DEADLINE_S}")
                assert answer != "hung", f"{run.call_id}: still running {DEADLINE_S:.0f} s after its signal"
                run.exit_code = int(answer)
    finally:
        forker.close()
    for run in installed:
        child = start_queuetui(
            *barge_args(sim.url, "--call-id", run.call_id, "--audit-file", str(run.audit)),
            env={"QUEUETUI_SSID": DEMO_SSID},
        )
        strike(run, child.pid, sim, rng)
        _, err = child.communicate(timeout=DEADLINE_S)
        run.err.write_text(err)
        run.exit_code = child.returncode

    tally = check(forked + installed, sim, lambda run: f"barge {signal.Signals(run.signum).name}")
    print("\n".join(tally.line(f"barge {signal.Signals(s).name}") for s in SIGNALS))
    assert sum(tally.runs.values()) == len(forked) + len(installed)
    assert sum(tally.received.values()) > len(forked) // 2  # most signals did land while the request was held


@pytest.mark.skipif(not have_tmux(), reason="tmux is not installed")
def test_the_console_cut_off_mid_action_loses_no_record(holding_sim, live_calls, tmp_path, write_config):
    sim, rng = holding_sim, random.Random()
    write_config(f'[profiles.desk]\nbase_url = "{sim.url}"\nsnooper_number = "9876543210"\n')
    config_home = Path(os.environ["XDG_CONFIG_HOME"])
    ways = ["kill-server"] * 6 + ["SIGTERM", "SIGINT", "SIGKILL"] * 2
    runs: list[tuple[Run, str]] = []
    for number, way in enumerate(ways):
        home = tmp_path / f"home-{number}"
        env = {**run_env(home), "XDG_CONFIG_HOME": str(config_home), "QUEUETUI_SSID": DEMO_SSID}
        signum = signal.SIGHUP if way == "kill-server" else signal.Signals[way]
        audit = home / ".local" / "state" / "queuetui" / "audit.jsonl"
        run = Run(live_calls[1000 + number], signum, audit, tmp_path / f"console-err-{number}.txt", True)
        runs.append((run, way))
        with TmuxSession([installed_command()], env=env, term="xterm") as term:
            term.wait_for("Sign in", timeout=DEADLINE_S)
            term.send("Enter")
            term.wait_for("(\u2022) SPY", timeout=DEADLINE_S)
            term.send(run.call_id, "Tab", "Tab", "Tab", "13", "Enter")
            pid = term.pane_pid()
            wait_until(lambda run=run: run.call_id in received_calls(sim), f"{run.call_id} at the simulator")
            cut: Callable[[], None] = term.kill if way == "kill-server" else partial(_kill_if_there, pid, signum)
            done = threading.Event()
            threading.Timer(rng.uniform(0, 0.3), _then_set, (cut, done)).start()  # a random moment after it arrived
            assert done.wait(DEADLINE_S), "the signal was never sent"
            if signum != signal.SIGKILL:  # killed, it has no outcome to wait for: its attempt was on disk first
                wait_until(lambda run=run: _answered(run), f"{run.call_id}'s outcome")
        _kill_if_there(pid, signal.SIGKILL)  # it may still wait out its request's read timeout: not this test's

    tally = check([run for run, _ in runs], sim, lambda run: f"console {signal.Signals(run.signum).name}")
    print("\n".join(tally.line(name) for name in tally.runs))
    assert sum(tally.received.values()) == len(ways)


def _then_set(action: Callable[[], None], done: threading.Event) -> None:
    action()
    done.set()


def _answered(run: Run) -> bool:
    records = read_audit(run.audit).records if run.audit.exists() else []
    attempts = {record.get("attempt") for record in records if record.get("event") == "attempt"}
    outcomes = {record.get("attempt") for record in records if record.get("event") == "outcome"}
    return bool(attempts) and attempts <= outcomes
