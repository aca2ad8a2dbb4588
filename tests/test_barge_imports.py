"""`queuetui barge` loads what one request needs and nothing more: only its own command's parser, neither the
console nor a model library, and none of the audit trail's readers, the live list or the other commands. Every
module here costs each scripted barge its import time (see benchmarks/bench_foundation.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from run_cli import BARGE_FLAGS

from queuetui.sim import DEMO_SSID

HEAVY = (
    "pydantic",
    "textual",  # not rich: httpx loads it for its own command line wherever click is installed (the dev extras)
    "queuetui.tui",
    "queuetui.sim",
    "queuetui.headless.audit",
    "queuetui.headless.calls",
    "queuetui.core.audit.trail",  # the trail's readers: `audit` and the console's shift
    "queuetui.core.audit.verify",
    "queuetui.core.audit.syslog",  # only for a profile that copies its trail to syslog
    "queuetui.core.barge_check",  # only for mode barge
    "queuetui.core.audit.shift",
    "queuetui.core.floor.poller",
    "queuetui.core.floor.sources",
    "logging.handlers",
)
PROBE = f"""
import argparse, json, sys
from queuetui.cli import main

built = []
add_parser = argparse._SubParsersAction.add_parser
def recorded(self, name, **kwargs):
    built.append(name)
    return add_parser(self, name, **kwargs)
argparse._SubParsersAction.add_parser = recorded

code = main(sys.argv[1:])
print(json.dumps([code, built, sorted(m for m in sys.modules if m.startswith({HEAVY!r}))]))
"""


def barge_loads(sim_url: str, before: str = "") -> list[object]:
    """[exit code, the subcommand parsers built, the heavy modules loaded] for one spy through `queuetui barge`."""
    flags = [part for name, value in BARGE_FLAGS.items() for part in (f"--{name.replace('_', '-')}", value)]
    done = subprocess.run(
        [sys.executable, "-c", before + PROBE, "barge", *flags, "--base-url", sim_url],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QUEUETUI_SSID": DEMO_SSID},
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_barge_builds_its_own_parser_and_loads_nothing_heavy(sim):
    assert barge_loads(sim.url) == [0, ["barge"], []]
    assert sim.request_count == 1


def test_the_probe_sees_a_heavy_module_when_one_is_loaded(sim):
    # Without this, a probe that never saw any module would pass the test above.
    assert barge_loads(sim.url, before="import queuetui.core.audit.trail\n")[2] == ["queuetui.core.audit.trail"]
