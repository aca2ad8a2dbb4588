"""The installed console in tmux at 80x24, TERM=xterm, on a live list from a program that lists a 70-character id
and two ids that share their first 63 characters: each reads whole on screen while highlighted, `Down s` in one
burst spies on the call highlighted, and the simulator and the audit trail get its whole id."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import desk_on_a_command_source, eventually, installed_command, outcome_records
from tmuxdriver import TmuxSession, have_tmux

from queuetui.sim import SimServer
from queuetui.sim.scenario import LiveCall as ScriptedCall
from queuetui.tui.widgets.live_calls import REACTION_S

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux() and not os.environ.get("CI"), reason="tmux is not installed"),
]

LONG_ID = "20260107101500-" + "7" * 50 + "-0042"
PREFIX = "Q" + "5" * 62
TWINS = (PREFIX + "1", PREFIX + "2")
IDS = (LONG_ID, *TWINS)


def floor_panel(screen: str) -> str:
    """The live list's panel at 80 columns, its rows joined with their padding stripped: an id wrapped over lines
    of its own reads whole. Found by its title: the health line above it takes one row or two."""
    lines = screen.splitlines()
    top = next(index for index, line in enumerate(lines) if "Live calls" in line)
    return "".join(row[1:43].strip() for row in lines[top + 1 : top + 11])


@pytest.mark.parametrize("row", [1, 2], ids=["first-twin", "second-twin"])
def test_a_long_id_highlighted_reads_whole_and_a_burst_acts_on_all_of_it(
    isolated_home: Path,
    sim: SimServer,
    write_config: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    row: int,
) -> None:
    for call_id in IDS:
        monkeypatch.setitem(sim.scenario.calls, call_id, ScriptedCall(call_id, "13", "billing", "+919800011023"))
    feed = isolated_home / "floor.py"
    calls = [{"callId": call_id, "masterAgent": 13, "cNumber": "+919800011023", "campId": "billing"} for call_id in IDS]
    feed.write_text(f"print({json.dumps(json.dumps(calls))})\n")
    env = desk_on_a_command_source(write_config, isolated_home, sim.url, feed)
    with TmuxSession([installed_command()], env=env, term="xterm") as term:
        term.wait_for("Sign in", timeout=20)
        term.send("Enter")
        term.wait_for("202\u2026042", timeout=20)  # the list is in, the long id shortened in its cell
        assert eventually(lambda: f"Call{LONG_ID}" in floor_panel(term.capture()))
        term.send_once_read(REACTION_S, *["Down"] * row, "s")  # the list read, then one burst
        term.wait_for("SPY nobody hears you", timeout=10)
        screen = term.capture()
    picked = IDS[row]
    assert [r.parsed["callId"] for r in sim.received] == [picked]
    path = isolated_home / ".local" / "state" / "queuetui" / "audit.jsonl"
    assert [(r["call_id"], r["outcome"]) for r in outcome_records(path)] == [(picked, "ok")]
    assert f"Call{picked}" in floor_panel(screen)  # whole, under the list, while it is highlighted
    top = screen.splitlines()[0].split()[1]  # the live call on the top line, shortened in the middle
    head, _, tail = top.partition("\u2026")
    assert picked.startswith(head) and picked.endswith(tail) and tail.endswith(picked[-1])
