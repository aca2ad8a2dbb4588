"""The installed console in tmux at 80x24, TERM=xterm: the live floor acted on in one burst of keys, read from
the audit trail; and the guided tour's first step with its counter."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import eventually, installed_command, outcome_records, run_env
from tmuxdriver import TmuxSession, have_tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux() and not os.environ.get("CI"), reason="tmux is not installed"),
]


def audit_records(home: Path) -> list[dict[str, object]]:
    path = home / ".local" / "state" / "queuetui" / "audit.jsonl"
    return outcome_records(path) if path.exists() else []


def test_slash_call_enter_s_in_one_burst_spies_on_that_call_with_its_agent(isolated_home: Path):
    with TmuxSession([installed_command(), "--demo"], env=run_env(isolated_home), term="xterm") as term:
        term.wait_for("demo@", timeout=20)
        term.wait_for("C-10023 13 Asha")
        term.send("/", "C-10023", "Enter", "s")  # one burst, as over a slow link
        term.wait_for("\u25cf ON C-10023 \u00b7 SPY", timeout=10)
    records = audit_records(isolated_home)
    assert [(r["call_id"], r["mode"], r["target"], r["outcome"]) for r in records] == [("C-10023", "spy", "13", "ok")]


def test_the_tour_opens_on_step_one_of_eight(isolated_home: Path):
    env = run_env(isolated_home)
    with TmuxSession([installed_command(), "--demo", "--tour"], env=env, term="xterm") as term:
        term.wait_for("Tour 1/8", timeout=20)
        term.wait_for("Spy on a call from the list")
        term.wait_for("C-10023 13 Asha")  # the first list is in: the tour can be on screen before it
        term.send("s")  # the highlighted call is C-10023: spying on it finishes step 1
        term.wait_for("Tour 2/8", timeout=10)
        term.send("Escape")
        assert eventually(lambda: "Tour 2/8" not in term.capture(), timeout=5)
