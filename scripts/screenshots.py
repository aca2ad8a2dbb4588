"""Writes the README's screenshots: SVGs of the real app, driven with Pilot against the simulator.

    python scripts/screenshots.py [--out screenshots]

Repeatable: a fixed clock, no cursor blink or spinner, and the simulator on port 8765 when it is free.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from datetime import datetime
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from queuetui.sim import DEMO_SSID, SimServer
from queuetui.tui.app import QueueApp
from queuetui.tui.launch import create_app

SIZE = (80, 24)


def _fixed_clock() -> datetime:
    return datetime(2026, 1, 5, 10, 41, 2)


def _simulator() -> SimServer:
    try:
        return SimServer(port=8765)
    except OSError:
        return SimServer()


async def _settle(app: QueueApp, pilot: Pilot[None]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _fill(app: QueueApp, pilot: Pilot[None], call_id: str, agent: str) -> None:
    console = app.console_screen
    console.query_one("#call-id", Input).value = call_id
    console.query_one("#target-value", Input).value = agent
    console.query_one("#call-id", Input).focus()
    await pilot.pause()


async def shoot(out: Path) -> list[Path]:
    written: list[Path] = []

    def save(app: QueueApp, name: str) -> None:
        app.save_screenshot(f"{name}.svg", str(out))
        written.append(out / f"{name}.svg")

    with tempfile.TemporaryDirectory() as scratch, _simulator() as sim:
        app = create_app(base_url=sim.url, still=True, clock=_fixed_clock, audit_path=Path(scratch) / "audit.jsonl")
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await app.ready.wait()
            await pilot.pause()
            save(app, "login")

            await pilot.press(*DEMO_SSID, "enter")
            await pilot.pause()
            app.clear_notifications()
            app.console_screen.query_one("#snooper", Input).value = "9876543210"
            await pilot.pause()
            save(app, "console-idle")

            await _fill(app, pilot, "C-10023", "13")
            sim.faults.latency_s = 1.5
            await pilot.press("enter")
            await pilot.pause(0.3)
            save(app, "console-in-flight")
            await _settle(app, pilot)
            sim.faults.latency_s = 0
            save(app, "console-success")

            app.clear_notifications()
            await _fill(app, pilot, "C-10050", "9")
            await pilot.press("enter")
            await pilot.pause(0.2)
            save(app, "console-1501")
            await _settle(app, pilot)

            app.clear_notifications()
            await _fill(app, pilot, "C-10023", "13")
            await pilot.press("f4", "enter")
            await pilot.pause()
            save(app, "barge-confirm")
            await pilot.press("n")
            await pilot.press("f2")
            await pilot.pause()

            app.clear_notifications()
            await pilot.press("f1")
            await pilot.pause()
            save(app, "help")
            await pilot.press("escape")

            app.clear_notifications()
            for theme in sorted(name for name in app.available_themes if name.startswith("queuetui-")):
                app.theme = theme
                await pilot.pause()
                save(app, f"theme-{theme}")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in asyncio.run(shoot(args.out)):
        print(path)


if __name__ == "__main__":
    main()
