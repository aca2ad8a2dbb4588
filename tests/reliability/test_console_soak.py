"""A shorter run of benchmarks/soak_console.py: past the log panel's and the sessions list's caps, actions
through the real console keep going and memory stays flat.

The caps are lowered for the run: what is under test is that they hold and that nothing else grows past them,
which does not depend on where they are, and the full caps would need far more actions. Memory is compared over
the last 200 actions, once the caches that fill after the caps (Textual's among them) have filled too."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from queuetui.tui.widgets import log_panel, sessions_table
from reliability.test_soak import load_script

pytestmark = pytest.mark.slow

LOG_LINES = 600  # full after 200 actions (3 lines an action)
SESSION_ROWS = 100
ACTIONS = 1_000
REPORT_EVERY = 100


def test_console_soak_holds_its_caps_and_its_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(log_panel, "MAX_LINES", LOG_LINES)
    monkeypatch.setattr(sessions_table, "MAX_SESSIONS", SESSION_ROWS)
    soak_console = load_script("soak_console")
    figures = asyncio.run(soak_console.soak(ACTIONS, REPORT_EVERY, tmp_path))
    assert figures["requests"] == ACTIONS
    assert figures["log_lines"] == LOG_LINES
    assert figures["session_rows"] == SESSION_ROWS
    growth = figures[f"rss_after_{ACTIONS}_mib"] - figures[f"rss_after_{ACTIONS - 200}_mib"]
    assert growth < 3.0, f"memory grew {growth:.1f} MiB over 200 actions past the caps"
