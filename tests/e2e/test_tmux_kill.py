"""kill -9 the real console while actions stream: what it recorded survives and reads back line by line."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from helpers import eventually, installed_command, run_env
from tmuxdriver import TmuxSession, have_tmux

from queuetui.core.audit.log import read_audit

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux() and not os.environ.get("CI"), reason="tmux is not installed"),
]


def recorded(audit: Path) -> int:
    return len(audit.read_bytes().splitlines()) if audit.exists() else 0


def test_kill_9_mid_stream_loses_no_recorded_action(isolated_home: Path):
    audit = isolated_home / ".local" / "state" / "queuetui" / "audit.jsonl"
    with TmuxSession([installed_command(), "--demo"], env=run_env(isolated_home)) as term:
        term.wait_for("Signed in", timeout=20)
        term.wait_for("C-10023 13 Asha")  # the live list has the focus, its first call highlighted
        pid = term.pane_pid()
        recorded_before_kill = 0
        while recorded_before_kill < 15:  # actions stream: a spy on the highlighted call as each one is recorded
            term.send("s")
            assert eventually(lambda before=recorded_before_kill: recorded(audit) > before), (
                "an action was never recorded"
            )
            recorded_before_kill = recorded(audit)
        term.send("s")  # one more on its way as the process dies
        os.kill(pid, signal.SIGKILL)
    contents = read_audit(audit)
    assert recorded_before_kill >= 5, "too few actions completed to test anything"
    assert len(contents.records) >= recorded_before_kill
    total_lines = len(audit.read_bytes().splitlines())
    assert contents.bad_lines in ([], [total_lines]), "only a torn last line may be unreadable"
    assert {r["call_id"] for r in contents.records} == {"C-10023"}
    assert {r["outcome"] for r in contents.records if r["event"] == "outcome"} <= {"ok", "refused"}
