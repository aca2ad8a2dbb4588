"""kill -9 the real console while actions stream: what it recorded survives and reads back line by line."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from helpers import installed_command, run_env
from tmuxdriver import TmuxSession, have_tmux

from queuetui.core.audit import read_audit

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux() and not os.environ.get("CI"), reason="tmux is not installed"),
]


def test_kill_9_mid_stream_loses_no_recorded_action(isolated_home: Path):
    audit = isolated_home / ".local" / "state" / "queuetui" / "audit.jsonl"
    with TmuxSession([installed_command(), "--demo"], env=run_env(isolated_home)) as term:
        term.wait_for("Signed in", timeout=20)
        term.wait_for("C-10023 13 Asha")  # the live list has the focus, its first call highlighted
        pid = term.pane_pid()
        recorded_before_kill = 0
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:  # actions stream: spy on the highlighted call every 20 ms
            term.send("s")
            time.sleep(0.02)
            if audit.exists():
                recorded_before_kill = len(audit.read_bytes().splitlines())
            if recorded_before_kill >= 15:
                break
        os.kill(pid, signal.SIGKILL)
        term.send("s")
    contents = read_audit(audit)
    assert recorded_before_kill >= 5, "too few actions completed to test anything"
    assert len(contents.records) >= recorded_before_kill
    total_lines = len(audit.read_bytes().splitlines())
    assert contents.bad_lines in ([], [total_lines]), "only a torn last line may be unreadable"
    assert {r["call_id"] for r in contents.records} == {"C-10023"}
    assert {r["outcome"] for r in contents.records if r["event"] == "outcome"} <= {"ok", "refused"}
