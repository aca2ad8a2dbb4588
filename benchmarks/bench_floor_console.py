"""Keystroke echo in the live-call filter while a 5,000-call floor refreshes every second.

The console runs as installed, in tmux at 80x24, signed in to a profile whose live list comes from a `command`
source printing 5,000 calls (`cat` of a prepared file, so the source itself costs next to nothing). Each
refresh maps 5,000 calls, filters them and redraws the table; meanwhile the filter is typed into one key at a
time and the time until the key shows on screen is measured. Target: median <= 50 ms.

Run: python benchmarks/bench_floor_console.py [--keys N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from tmuxdriver import TmuxSession

from queuetui.sim import DEMO_SSID

BIN = Path(sys.executable).parent
CALLS = 5000
QUEUES = ("billing", "support", "sales", "retention")


def floor_file(folder: Path) -> Path:
    now = time.time()
    calls = [
        {
            "callId": f"C-{30000 + n}",
            "masterAgent": str(100 + n % 400),
            "agentName": f"Agent{n % 400}",
            "cNumber": f"+9198{n:08d}",
            "campId": QUEUES[n % len(QUEUES)],
            "state": "talking" if n % 5 else "ringing",
            "startTime": now - n % 900,
        }
        for n in range(CALLS)
    ]
    path = folder / "floor.json"
    path.write_text(json.dumps({"calls": calls}))
    return path


def floor_config(home: Path, port: int) -> Path:
    """A config whose profile signs in to `queuetui sim` on `port` with a live list of CALLS calls, refreshed every
    second from a `command` source."""
    config = home / "floor.toml"
    config.write_text(
        f'default_profile = "floor"\n[profiles.floor]\nbase_url = "http://127.0.0.1:{port}/api/v2"\n'
        'snooper_number = "9876543210"\n'
        "[profiles.floor.live_calls]\n"
        f'source = "command"\ncommand = ["cat", "{floor_file(home)}"]\nrefresh_s = 1\n'
        "[profiles.floor.live_calls.fields]\n"
        'agent_name = "/agentName"\nstate = "/state"\nstarted_at = "/startTime"\n'
    )
    return config


def filter_line(screen: str) -> str:
    lines = screen.splitlines()  # the line above the list's column titles (the health line may come first)
    return next((lines[index - 1] for index, line in enumerate(lines) if "Call    Agent" in line and index), "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        port = 20000 + os.getpid() % 20000
        sim = subprocess.Popen([str(BIN / "queuetui"), "sim", "--port", str(port)], stdout=subprocess.PIPE)
        try:
            assert sim.stdout is not None
            sim.stdout.readline()
            config = floor_config(home, port)
            env = {
                "HOME": str(home),
                "XDG_CONFIG_HOME": str(home / "cfg"),
                "XDG_STATE_HOME": str(home / "state"),
                "QUEUETUI_SSID": DEMO_SSID,
            }
            with TmuxSession([str(BIN / "queuetui"), "--config", str(config)], env=env) as term:
                term.wait_for("Sign in", timeout=30)
                term.send("Enter")
                term.wait_for(f"{CALLS} calls", timeout=30)
                term.type("/")
                typed = ""
                echoes: list[float] = []
                for key in ("sales " * 10)[: args.keys]:
                    if key == " ":
                        term.send("C-u")  # empty the filter again: every keystroke filters 5,000 calls anew
                        typed = ""
                        time.sleep(0.2)
                        continue
                    typed += key
                    started = time.monotonic()
                    term.type(key)
                    while not filter_line(term.capture()).startswith(f"\u2502{typed}"):
                        if time.monotonic() - started > 5:
                            raise RuntimeError(f"{typed!r} never showed:\n{term.capture()}")
                        time.sleep(0.001)
                    echoes.append(time.monotonic() - started)
                    time.sleep(0.05)
                refreshed = "updated" in term.capture()
        finally:
            sim.terminate()
            sim.wait(timeout=5)
    ms = 1000
    print(f"keystroke echo in the filter, {CALLS} calls refreshing every second (tmux 80x24, {len(echoes)} keys)")
    print(f"  median {statistics.median(echoes) * ms:.1f} ms, worst {max(echoes) * ms:.1f} ms (target median <= 50)")
    print(f"  list still refreshing at the end: {refreshed}")


if __name__ == "__main__":
    main()
