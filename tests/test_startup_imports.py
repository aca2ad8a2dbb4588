"""The console paints before the heavy half loads: building the app imports neither pydantic nor httpx, nor the
simulator. A regression here costs every supervisor start-up time (see benchmarks/bench_startup.py)."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pydantic", "httpx", "queuetui.sim", "queuetui.core.config", "queuetui.core.live_calls")
PROBE = f"""
import json, sys
from queuetui.tui.launch import create_app
create_app(demo=True)
print(json.dumps(sorted(m for m in sys.modules if m in {HEAVY!r})))
"""


def loaded_after(code: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_building_the_app_loads_nothing_heavy():
    assert loaded_after(PROBE) == []


def test_the_probe_sees_a_heavy_module_when_one_is_loaded():
    # Without this, a probe that never saw any module would pass the test above.
    assert "pydantic" in loaded_after("import pydantic\n" + PROBE)
