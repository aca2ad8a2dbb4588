"""The installed `queuetui --demo` in a real terminal (tmux, 80x24): a spy action sent with send-keys from the
live list, its success read off the screen with capture-pane and from the audit trail."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import eventually, installed_command, outcome_records, run_env
from servedriver import wait_until
from tmuxdriver import TmuxSession, have_tmux

from queuetui.sim import DEMO_SSID, SimServer

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
        term.wait_for("C-10023 13  SPY     \u25cf LIVE", timeout=10)  # the sessions row, once the toast has gone
        term.wait_for("\u25cf ON C-10023 \u00b7 SPY")  # and the top line

        term.send("C-q")
        assert eventually(term.is_dead), "queuetui did not exit on ctrl+q"

    audit = isolated_home / ".local" / "state" / "queuetui" / "audit.jsonl"
    records = outcome_records(audit)
    assert [(r["call_id"], r["mode"], r["outcome"]) for r in records] == [("C-10023", "spy", "ok")]


def test_signed_out_of_the_demo_and_into_another_simulator_there_is_no_demo(isolated_home: Path):
    console = TmuxSession([installed_command(), "--demo"], env=run_env(isolated_home), term="xterm")
    with SimServer() as second, console as term:
        term.wait_for("C-10023 13 Asha", timeout=20)
        term.wait_for("DEMO")
        term.send("C-p")
        term.type("sign out")
        term.wait_for("Forget the credentials")
        # The list on screen may still be the one for "sign ou": an Enter typed before the list for the whole text
        # is refused with a bell, and the supervisor presses it again.
        term.send("Enter")
        if not eventually(lambda: "Base URL" in term.capture(), timeout=3):
            term.send("Enter")
        term.wait_for("Base URL")
        # From the session id field (the first empty one) back to the base URL: one burst, as a user types.
        term.send("BTab", "BTab", "C-u", second.url, "Tab", "Tab", DEMO_SSID, "Enter")
        top = f"default@127.0.0.1:{second.port}"
        term.wait_for(top, timeout=10)
        screen = term.capture()
        first_line = screen.splitlines()[0]
        assert "PRODUCTION" in first_line
        assert "DEMO" not in first_line
        term.send("C-u", "C-10023", "Tab", "Tab", "Tab", "13", "Enter")
        term.wait_for("ON C-10023", timeout=10)
        assert "DEMO" not in term.capture().splitlines()[0]
        term.send("C-q")
        wait_until(term.is_dead, 10, "queuetui to exit on ctrl+q")
        assert second.request_count == 1

    audit = isolated_home / ".local" / "state" / "queuetui" / "audit.jsonl"
    records = outcome_records(audit)
    assert [(r["profile"], r["environment"], r["host"], r["outcome"]) for r in records] == [
        ("default", "production", f"127.0.0.1:{second.port}", "ok")
    ]
