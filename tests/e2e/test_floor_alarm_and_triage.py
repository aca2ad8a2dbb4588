"""The installed console on a live list from a program the test feeds: a call crossing its alarm level rings the
terminal's bell once (a BEL byte read from a pty) and `a` keeps it quiet although the profile repeats unacknowledged
alarms; in tmux at 80x24, `o` (longest first) then `n` lands on the longest call past a level and `s` spies on it."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import eventually, installed_command, outcome_records, run_env
from ptydriver import _ESCAPES, PtyProgram
from tmuxdriver import TmuxSession, have_tmux

from queuetui.sim import DEMO_SSID, SimServer
from queuetui.sim.scenario import LiveCall as ScriptedCall
from queuetui.tui.widgets.live_calls import REACTION_S

pytestmark = pytest.mark.e2e


def _desk(write_config: Callable[[str], Path], home: Path, base_url: str, calls: list[dict[str, object]]) -> Path:
    """A profile whose live list a program prints from `calls.json` (rewritten by the test), counting its runs in
    `runs`; a long call warns at 3 minutes and alarms at 5, repeated every second until acknowledged."""
    state = home / "calls.json"
    state.write_text(json.dumps({"calls": calls}))
    feed = home / "feed.py"
    feed.write_text(
        f"import sys\nopen({str(home / 'runs')!r}, 'a').write('x')\nsys.stdout.write(open({str(state)!r}).read())\n"
    )
    write_config(
        f'[profiles.desk]\nbase_url = "{base_url}"\nsnooper_number = "9876543210"\n'
        f'[profiles.desk.live_calls]\nsource = "command"\ncommand = {json.dumps([sys.executable, str(feed)])}\n'
        'refresh_s = 0.5\n[profiles.desk.live_calls.fields]\nstate = "/state"\nstarted_at = "/startTime"\n'
        "[profiles.desk.alerts]\nlong_call_warn = 180\nlong_call_alarm = 300\nbell_repeat_s = 1\n"
    )
    return state


def _call(call_id: str, agent: int, age: float) -> dict[str, object]:
    return {"callId": call_id, "masterAgent": agent, "state": "talking", "startTime": time.time() - age}


def _bells(term: PtyProgram) -> int:
    return _ESCAPES.sub(b"", term.received()).count(b"\x07")  # a BEL ending an escape sequence is not a bell


def test_an_alarm_rings_the_bell_once_and_a_keeps_it_quiet(
    isolated_home: Path, sim: SimServer, write_config: Callable[[str], Path]
) -> None:
    state = _desk(write_config, isolated_home, sim.url, [_call("C-1", 13, 200)])
    runs = isolated_home / "runs"
    env = {**run_env(isolated_home), "QUEUETUI_SSID": DEMO_SSID}
    with PtyProgram([installed_command(), "--profile", "desk"], env=env) as term:
        term.wait_for("Sign in", timeout=30)
        term.send(b"\r")
        term.wait_for("!warn 1", timeout=30)
        assert _bells(term) == 0
        state.write_text(json.dumps({"calls": [_call("C-1", 13, 320)]}))
        term.wait_for("!!ALARM 1", timeout=30)
        assert eventually(lambda: _bells(term) == 1)
        term.wait_for("(1 ack)", since=term.send(b"a"))
        acknowledged = len(runs.read_text())
        # Three refreshes later, well past the second after which an unacknowledged alarm rings again.
        assert eventually(lambda: len(runs.read_text()) >= acknowledged + 3, timeout=20)
        term.wait_quiet(0.3)
        assert _bells(term) == 1


@pytest.mark.skipif(not have_tmux() and not os.environ.get("CI"), reason="tmux is not installed")
def test_sort_by_duration_then_n_lands_on_the_longest_call_past_a_level_and_s_spies_on_it(
    isolated_home: Path, sim: SimServer, write_config: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = [_call("C-1", 13, 100), _call("C-2", 14, 250), _call("C-3", 15, 30), _call("C-4", 16, 400)]
    for call in calls:
        call_id, agent = str(call["callId"]), str(call["masterAgent"])
        monkeypatch.setitem(sim.scenario.calls, call_id, ScriptedCall(call_id, agent, "billing", "+919800011023"))
    _desk(write_config, isolated_home, sim.url, calls)
    env = {**run_env(isolated_home), "QUEUETUI_SSID": DEMO_SSID}
    with TmuxSession([installed_command(), "--profile", "desk"], env=env, term="xterm") as term:
        term.wait_for("Sign in", timeout=20)
        term.send("Enter")
        term.wait_for("!!ALARM 1", timeout=20)
        term.send_once_read(REACTION_S, "o", "n", "s")  # the list read, then one burst
        term.wait_for("ON C-4 \u00b7 SPY", timeout=10)
    assert [r.parsed["callId"] for r in sim.received] == ["C-4"]
    path = isolated_home / ".local" / "state" / "queuetui" / "audit.jsonl"
    assert [(r["call_id"], r["mode"], r["outcome"]) for r in outcome_records(path)] == [("C-4", "spy", "ok")]
