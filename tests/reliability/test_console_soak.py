"""A shorter run of benchmarks/soak_console.py: past the log panel's and the sessions list's caps, actions
through the real console keep going and memory stays flat."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from reliability.test_soak import load_script

pytestmark = pytest.mark.slow

ACTIONS = 2_000  # the log panel (3 lines an action) is full after 1,667


def test_console_soak_holds_its_caps_and_its_memory(tmp_path: Path):
    soak_console = load_script("soak_console")
    figures = asyncio.run(soak_console.soak(ACTIONS, 200, tmp_path))
    assert figures["requests"] == ACTIONS
    assert figures["log_lines"] == 5000
    assert figures["session_rows"] == 500
    growth = figures[f"rss_after_{ACTIONS}_mib"] - figures["rss_after_1800_mib"]
    assert growth < 3.0, f"memory grew {growth:.1f} MiB over 200 actions past the caps"
