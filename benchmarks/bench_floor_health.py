"""The floor's health over 5,000 calls and 1,000 agents: UI-thread time per refresh.

The console runs headless (Textual's test driver) against a profile whose live list, floor figures and agents come
from `command` sources printing prepared files (5,000 calls, many of them past a level; 1,000 agents), refreshed
every half second. Measured per refresh: the time the UI thread spends on it (the health line, the alarms, the live
list's rows and marks: `ConsoleScreen.on_floor_updated`) and, on the poller's thread, the time the judge takes
(health, breaches). The same console on the list alone, without feeds or alerts, is measured for comparison, and
with the agents view shown instead of the calls.
Target: UI-thread time per refresh <= 20 ms.

Run: python benchmarks/bench_floor_health.py [--refreshes N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from queuetui.core.floor.assess import FloorJudge
from queuetui.sim import DEMO_SSID, SimServer
from queuetui.tui.launch import create_app
from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.widgets.live_calls import LiveCallsTable

CALLS = 5000
AGENTS = 1000
QUEUES = ("billing", "support", "sales", "retention")


def floor_files(folder: Path) -> dict[str, Path]:
    """The live list, the agents and the floor's figures, each in a file a `command` source prints."""
    now = time.time()
    calls = [
        {
            "callId": f"C-{30000 + n}",
            "masterAgent": str(100 + n % AGENTS),
            "agentName": f"Agent{n % AGENTS}",
            "campId": QUEUES[n % len(QUEUES)],
            "state": ("talking", "ringing", "on hold")[n % 3],
            "startTime": now - n % 600,
        }
        for n in range(CALLS)
    ]
    agents = [
        {"agentId": 100 + n, "status": (2, 1, 3, 7)[n % 4], "statusSince": int(now - n % 1500), "callId": None}
        for n in range(AGENTS)
    ]
    stats = {"data": {"waiting": 12, "longestWait": 140, "serviceLevel": 81.5}}
    files = {"calls": {"calls": calls}, "agents": {"data": agents}, "stats": stats}
    paths = {}
    for name, document in files.items():
        paths[name] = folder / f"{name}.json"
        paths[name].write_text(json.dumps(document))
    return paths


# Levels most calls and agents cross while the benchmark runs (the prepared calls' durations spread over ten minutes).
CROSSED_LEVELS = (
    "long_call_warn = 300\nlong_call_alarm = 420\nlong_hold_warn = 60\nlong_ring_alarm = 30\n"
    "callers_waiting_warn = 10\nlongest_wait_alarm = 120\nlong_break_alarm = 1200\n"
)


def floor_config(
    base_url: str, files: dict[str, Path], feeds: bool, refresh_s: float = 0.5, levels: str = CROSSED_LEVELS
) -> str:
    """A profile signing in to `base_url` with the live list of `files`; with `feeds`, the floor's figures, the
    agents and `levels` too. The two differ in nothing else."""
    text = (
        f'default_profile = "floor"\n[profiles.floor]\nbase_url = "{base_url}"\nsnooper_number = "9876543210"\n'
        f'[profiles.floor.live_calls]\nsource = "command"\ncommand = ["cat", "{files["calls"]}"]\n'
        f"refresh_s = {refresh_s}\n"
        '[profiles.floor.live_calls.fields]\nagent_name = "/agentName"\nstate = "/state"\nstarted_at = "/startTime"\n'
    )
    if feeds:
        text += (
            f'[profiles.floor.floor_stats]\nsource = "command"\ncommand = ["cat", "{files["stats"]}"]\n'
            f'[profiles.floor.agents]\nsource = "command"\ncommand = ["cat", "{files["agents"]}"]\n'
            '[profiles.floor.agents.states]\n1 = "available"\n2 = "on a call"\n3 = "wrap-up"\n7 = "break"\n'
            f"[profiles.floor.alerts]\n{levels}"
        )
    return text


def _measure(
    folder: Path, base_url: str, files: dict[str, Path], feeds: bool, refreshes: int, agents_view: bool = False
) -> dict[str, list[float]]:
    path = folder / "cfg" / "queuetui" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(floor_config(base_url, files, feeds))
    times: dict[str, list[float]] = {"ui": [], "judge": []}
    shown = ConsoleScreen.on_floor_updated
    judged = FloorJudge.judge

    def timed_show(self, message):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        shown(self, message)
        times["ui"].append(time.perf_counter() - started)

    def timed_judge(self, *args):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return judged(self, *args)
        finally:
            times["judge"].append(time.perf_counter() - started)

    ConsoleScreen.on_floor_updated = timed_show  # type: ignore[method-assign]
    FloorJudge.judge = timed_judge  # type: ignore[method-assign]
    app = create_app(still=True)

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            while not app.ready.is_set():
                await pilot.pause(0.05)
            await pilot.press("enter")
            if agents_view:
                while not times["ui"]:
                    await pilot.pause(0.05)
                await pilot.press("v")
                times["ui"].clear()
            while len(times["ui"]) < refreshes + 2:
                await pilot.pause(0.05)
            table = app.console_screen.query_one(LiveCallsTable)
            assert table.matches == CALLS, table.matches

    try:
        asyncio.run(run())
    finally:
        ConsoleScreen.on_floor_updated = shown  # type: ignore[method-assign]
        FloorJudge.judge = judged  # type: ignore[method-assign]
    return {name: values[2:] for name, values in times.items()}  # the first two build the rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refreshes", type=int, default=20)
    args = parser.parse_args()
    ms = 1000
    with tempfile.TemporaryDirectory() as name, SimServer() as sim:
        folder = Path(name)
        os.environ.update(
            HOME=name,
            XDG_CONFIG_HOME=str(folder / "cfg"),
            XDG_STATE_HOME=str(folder / "state"),
            QUEUETUI_SSID=DEMO_SSID,
        )
        files = floor_files(folder)
        alone = _measure(folder, sim.url, files, False, args.refreshes)
        health = _measure(folder, sim.url, files, True, args.refreshes)
        agents = _measure(folder, sim.url, files, True, args.refreshes, agents_view=True)
    print(f"{CALLS} calls, {AGENTS} agents, {args.refreshes} refreshes each (headless, 80x24)")
    measured = (("live list alone", alone), ("with health, agents, alerts", health), ("agents view shown", agents))
    for label, times in measured:
        ui = times["ui"]
        print(
            f"  {label}: UI thread per refresh median {statistics.median(ui) * ms:.1f} ms, worst {max(ui) * ms:.1f} ms"
        )
    judge = health["judge"]
    print(
        f"  judge on the poller's thread: median {statistics.median(judge) * ms:.1f} ms, worst {max(judge) * ms:.1f} ms"
    )
    print("  target: UI thread per refresh <= 20 ms")
    sys.exit(0)


if __name__ == "__main__":
    main()
