"""Writes the README's screenshots: SVGs of the real app as a newcomer first meets it, `queuetui --demo`, driven
with Pilot against its embedded simulator.

    python scripts/screenshots.py [--out screenshots]

A fixed clock and no cursor blink or spinner; the live list's calls and durations come from the demo's floor,
so they differ a little from run to run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from textual.pilot import Pilot

from queuetui.tui.app import QueueApp
from queuetui.tui.launch import create_app

SIZE = (80, 24)


def _fixed_clock() -> datetime:
    return datetime(2026, 1, 5, 10, 41, 2, tzinfo=timezone.utc)


async def _settle(app: QueueApp, pilot: Pilot[None]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause(0.2)


async def _on_call(app: QueueApp, pilot: Pilot[None], call_id: str) -> None:
    """The call picked from the live list, as a supervisor does: / and its id, then Enter."""
    app.clear_notifications()
    table = app.console_screen.query_one("#calls")
    app.console_screen.set_focus(table)
    await pilot.press("slash", *call_id, "enter")
    await pilot.pause()


async def shoot(out: Path) -> list[Path]:
    written: list[Path] = []

    def save(app: QueueApp, name: str) -> None:
        app.save_screenshot(f"{name}.svg", str(out))
        written.append(out / f"{name}.svg")

    os.environ["QUEUETUI_DEMO_LATENCY"] = "0"
    with tempfile.TemporaryDirectory() as scratch:
        # Without the demo's colleague, whose row arrives on a thread of its own: each picture is the same every run.
        app = create_app(
            demo=True, still=True, clock=_fixed_clock, audit_path=Path(scratch) / "audit.jsonl", demo_colleague=False
        )
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await app.ready.wait()
            while app.session is None or not app.console_screen.query_one("#calls").shown:  # type: ignore[attr-defined]
                await pilot.pause(0.05)
            app.clear_notifications()
            await pilot.pause()
            save(app, "console-idle")
            await pilot.press("v")  # the agents view, and back to the calls
            await pilot.pause()
            save(app, "console-agents")
            await pilot.press("v")
            await pilot.pause()

            sim = app.demo_sim
            if sim is None:
                raise RuntimeError("the demo did not start its simulator")
            await _on_call(app, pilot, "C-10023")
            sim.faults.latency_s = 1.5
            await pilot.press("s")
            await pilot.pause(0.3)
            save(app, "console-in-flight")
            await _settle(app, pilot)
            sim.faults.latency_s = 0
            save(app, "console-success")

            app.clear_notifications()
            await pilot.press("w")
            await _settle(app, pilot)
            app.clear_notifications()
            await pilot.pause()
            save(app, "console-live-whisper")

            await _on_call(app, pilot, "C-10050")
            await pilot.press("s")
            await pilot.pause(0.05)
            save(app, "console-1501")
            await _settle(app, pilot)

            await _on_call(app, pilot, "C-10023")
            await pilot.press("b")
            await pilot.pause()
            save(app, "barge-confirm")
            await pilot.press("n")
            await pilot.pause()

            app.clear_notifications()
            await pilot.press("f1")
            await pilot.pause()
            save(app, "help")
            await pilot.press("escape")

            app.clear_notifications()
            app.start_tour()
            await pilot.pause()
            save(app, "tour")
            await pilot.press("escape")

            for theme in sorted(name for name in app.available_themes if name.startswith("queuetui-")):
                app.theme = theme
                await pilot.pause()
                save(app, f"theme-{theme}")
            app.theme = "queuetui-dark"

            app.sign_out()
            await pilot.pause(0.3)
            app.clear_notifications()
            await pilot.pause()
            save(app, "login")
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
