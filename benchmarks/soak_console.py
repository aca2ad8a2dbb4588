"""Soak: N actions through the real console (the Send path: worker thread, service, simulator, audit, then
the sessions list and the log panel), reporting resident memory as it goes.

    python benchmarks/soak_console.py [--actions 20000]

Memory must level off: the log panel keeps its last 5,000 lines and the sessions list its last 500 rows.
Toasts are switched off: at machine speed they arrive by the hundred per second, faster than they expire,
and Textual keeps the widgets of cleared toasts alive, so the soak would measure a pile no person makes.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from queuetui.api.credentials import parse_credentials
from queuetui.api.models import parse_request
from queuetui.core.service import RateGuard
from queuetui.sim import DEMO_SSID, SimServer
from queuetui.tui.launch import create_app
from queuetui.tui.widgets.log_panel import LogPanel
from queuetui.tui.widgets.sessions_table import SessionsTable


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


async def soak(actions: int, report_every: int, scratch: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    with SimServer() as sim:
        app = create_app(
            base_url=sim.url, audit_path=scratch / "audit.jsonl", rate=RateGuard(max_actions=actions + 1), still=True
        )
        app.notify = lambda *args, **kwargs: None  # type: ignore[method-assign]
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await app.ready.wait()
            await pilot.pause()  # the sign-in screen is up
            profile = replace(app.config.profile, base_url=sim.url)
            app.sign_in("soak", profile, parse_credentials(ssid=DEMO_SSID), remember=False)
            await pilot.pause()
            console = app.console_screen
            request = parse_request(
                {
                    "callId": "C-10023",
                    "snoopType": "spy",
                    "targetEntityType": "agent",
                    "targetEntityVal": "13",
                    "snooperNumber": "9876543210",
                }
            )
            figures["rss_start_mib"] = rss_mib()
            started = time.monotonic()
            for done in range(1, actions + 1):
                console.request_send(request)
                while request.call_id in console.in_flight:
                    # A short wait, not a spin: spinning holds the interpreter from the worker sending the request.
                    await asyncio.sleep(0.001)
                if done % 25 == 0:
                    await pilot.pause()  # the screen catches up, as it does between a person's actions
                if done % report_every == 0:
                    await pilot.pause()
                    figures[f"rss_after_{done}_mib"] = rss_mib()
                    print(f"{done:>6} actions  RSS {rss_mib():7.1f} MiB", flush=True)
            await pilot.pause()
            figures["seconds"] = time.monotonic() - started
            figures["rss_end_mib"] = rss_mib()
            figures["log_lines"] = len(console.query_one(LogPanel).lines_text)
            figures["session_rows"] = console.query_one(SessionsTable).row_count
            figures["requests"] = sim.request_count
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        figures = asyncio.run(soak(args.actions, max(1, args.actions // 10), Path(scratch)))
    for name, value in figures.items():
        print(f"{name:<24}{value:>12.1f}")


if __name__ == "__main__":
    main()
