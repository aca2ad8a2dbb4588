"""The installed `queuetui --demo` in a real terminal (tmux, 80x24): a spy action typed with send-keys and its
success read off the screen with capture-pane."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests_e2e_support import installed_command, run_env
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

        # One burst with no pauses, as type-ahead arrives over a slow SSH link: every key must still land
        # in the field that had the focus when it was typed.
        term.type("C-10023")
        term.send("Tab", "Tab", "Tab")  # mode selector, target type, target value
        term.type("13")
        term.send("Enter")
        term.wait_for("Spy started on call C-10023", timeout=10)
        term.wait_for("C-10023 13  SPY     \u2713 ok")  # the sessions list row

        term.send("C-q")
        deadline = time.monotonic() + 10
        while not term.is_dead() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert term.is_dead(), "queuetui did not exit on ctrl+q"

    audit = isolated_home / ".local" / "state" / "queuetui" / "audit.jsonl"
    records = [json.loads(line) for line in audit.read_text().splitlines()]
    assert [(r["call_id"], r["mode"], r["outcome"]) for r in records] == [("C-10023", "spy", "ok")]
