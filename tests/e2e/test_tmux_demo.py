"""The installed `queuetui --demo` in a real terminal (tmux, 80x24): a spy action sent with send-keys from the
live list, its success read off the screen with capture-pane and from the audit trail."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from helpers import installed_command, outcome_records, run_env
from tmuxdriver import TmuxSession, have_tmux

pytestmark = [
    pytest.mark.e2e,
    # In CI a missing tmux is a failure, not a skip: .ci/run installs it.
    pytest.mark.skipif(not have_tmux() and not os.environ.get("CI"), reason="tmux is not installed"),
]


def test_demo_spy_in_tmux(isolated_home: Path):
    with TmuxSession([installed_command(), "--demo"], env=run_env(isolated_home)) as term:
        # wait_for, not a single capture: tmux can be caught half-way through drawing a frame.
        term.wait_for("Signed in", timeout=20)
        term.wait_for("DEMO")
        term.wait_for("Monitor a call")

        # The demo opens on its live list, the first call highlighted: one key spies on it.
        term.wait_for("C-10023 13 Asha")
        term.send("s")
        term.wait_for("SPY on C-10023 (agent 13):", timeout=10)  # the toast, then the log line
        term.wait_for("C-10023 13 SPY     \u25cf LIVE", timeout=10)  # the sessions row, once the toast has gone
        term.wait_for("\u25cf ON C-10023 \u00b7 SPY")  # and the top line

        term.send("C-q")
        deadline = time.monotonic() + 10
        while not term.is_dead() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert term.is_dead(), "queuetui did not exit on ctrl+q"

    audit = isolated_home / ".local" / "state" / "queuetui" / "audit.jsonl"
    records = outcome_records(audit)
    assert [(r["call_id"], r["mode"], r["outcome"]) for r in records] == [("C-10023", "spy", "ok")]
