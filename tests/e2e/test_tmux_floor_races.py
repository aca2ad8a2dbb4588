"""Bursts of keys on a live list that reorders and churns on every refresh, at the lowest refresh period, in
the installed console in tmux at 80x24: each burst acts on the call the pane showed as it began, never another.
What was acted on is read from the audit trail (and a refusal from the screen), never assumed."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from floorrace import run, simulator, write_source
from helpers import installed_command, run_env
from tmuxdriver import TmuxSession, have_tmux

from queuetui.sim import DEMO_SSID

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(not have_tmux() and not os.environ.get("CI"), reason="tmux is not installed"),
]

REFRESH_S = 0.5  # the lowest the config allows
BURSTS = 300


@pytest.mark.xfail(
    reason="End typed in the instant a refresh adds a row the app has drawn but the terminal not yet shown reaches "
    "that row (docs/behaviour.md); every other burst acts on the call shown",
    strict=False,
)
def test_bursts_around_refreshes_of_a_reordering_churning_list_act_on_the_call_shown(
    isolated_home: Path, write_config, tmp_path: Path
):
    argv, ticks = write_source(tmp_path)
    with simulator() as sim:
        _race(isolated_home, write_config, argv, ticks, sim.url)


def _race(isolated_home: Path, write_config, argv: list[str], ticks: Path, url: str) -> None:
    write_config(
        f'[profiles.floor]\nbase_url = "{url}"\nsnooper_number = "9876543210"\n'
        f'[profiles.floor.live_calls]\nsource = "command"\ncommand = {json.dumps(argv)}\nrefresh_s = {REFRESH_S}\n'
        '[profiles.floor.live_calls.fields]\nstate = "/state"\nstarted_at = "/startTime"\n'
    )
    env = {**run_env(isolated_home), "QUEUETUI_SSID": DEMO_SSID}
    audit = isolated_home / ".local" / "state" / "queuetui" / "audit.jsonl"
    with TmuxSession([installed_command()], env=env, term="xterm") as term:
        term.wait_for("Sign in", timeout=20)
        term.send("Enter")
        term.wait_for("updated", timeout=20)
        tally = run(term, audit, ticks, BURSTS, random.Random(29), REFRESH_S)
    assert tally.mismatched == [], "\n".join(tally.mismatched)
    assert tally.bursts == BURSTS
    # Nearly every burst is decided; the few left are refusals whose notice an expiring one hid from the count.
    assert len(tally.undecided) <= BURSTS // 50, tally.undecided
    assert tally.matched + tally.refused_ended >= BURSTS - BURSTS // 50
