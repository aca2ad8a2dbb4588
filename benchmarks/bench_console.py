"""Console speed while it works (start-up is benchmarks/bench_startup.py):

1. Enter -> request at the simulator: in-process with Pilot, from the key press to the moment the
   simulator receives the request; median, target <= 20 ms.
2. Keystroke echo while the simulator stalls a request for 5 s: in tmux, from send-keys to the character
   on screen; median, target <= 50 ms (and the same without a stall, for comparison).

Run: python benchmarks/bench_console.py [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from tmuxdriver import TmuxSession

from queuetui.sim import DEMO_SSID, SimServer

BIN = Path(sys.executable).parent


def _env(home: Path) -> dict[str, str]:
    return {"HOME": str(home), "XDG_CONFIG_HOME": str(home / "cfg"), "XDG_STATE_HOME": str(home / "state")}


async def _enter_to_request(runs: int, home: Path) -> list[float]:
    os.environ.update(_env(home))
    from textual.widgets import Input

    from queuetui.api.credentials import parse_credentials
    from queuetui.core.service import RateGuard
    from queuetui.tui.launch import create_app

    delays: list[float] = []
    with SimServer() as sim:
        app = create_app(base_url=sim.url, audit_path=home / "audit.jsonl", rate=RateGuard(max_actions=10_000))
        async with app.run_test(size=(80, 24)) as pilot:
            await app.ready.wait()
            await pilot.pause()  # the sign-in screen is up; signing in below takes it down
            app.sign_in(
                "bench",
                replace(app.config.profile, base_url=sim.url),
                parse_credentials(ssid=DEMO_SSID),
                remember=False,
            )
            await pilot.pause()
            console = app.console_screen
            console.query_one("#call-id", Input).value = "C-10023"
            console.query_one("#target-value", Input).value = "13"
            console.query_one("#snooper", Input).value = "9876543210"
            console.query_one("#target-value", Input).focus()
            for _ in range(runs):
                before = sim.request_count
                pressed = time.perf_counter()
                await pilot.press("enter")
                deadline = time.perf_counter() + 5
                while sim.request_count == before:
                    if time.perf_counter() > deadline:
                        raise RuntimeError(f"Enter sent nothing; the screen is {app.screen!r}")
                    await asyncio.sleep(0.0005)
                delays.append(sim.received[-1].at - pressed)
                await app.workers.wait_for_complete()
                await pilot.pause()
    return delays


def bench_echo(stall: bool, home: Path, keys: int = 10) -> list[float]:
    latency = ["--latency", "5"] if stall else []
    port = 20000 + os.getpid() % 20000
    sim = subprocess.Popen([str(BIN / "queuetui"), "sim", "--port", str(port), *latency], stdout=subprocess.PIPE)
    try:
        assert sim.stdout is not None
        sim.stdout.readline()
        config = home / "echo.toml"
        config.write_text(
            f'default_profile = "bench"\n[profiles.bench]\nbase_url = "http://127.0.0.1:{port}/api/v2"\n'
            f'snooper_number = "9876543210"\n'
        )
        env = {**_env(home), "QUEUETUI_SSID": DEMO_SSID}
        with TmuxSession([str(BIN / "queuetui"), "--config", str(config)], env=env) as term:
            term.wait_for("Sign in", timeout=30)
            term.send("Enter")
            term.wait_for("Signed in")
            term.type("C-10023")
            term.send("Tab", "Tab", "Tab")
            term.type("13")
            term.send("Enter")
            term.wait_for("sending C-10023" if stall else "SPY on C-10023")
            typed = "13"
            echoes: list[float] = []
            for digit in "1234567890123456789"[:keys]:
                typed += digit
                started = time.monotonic()
                term.type(digit)
                term.wait_for(f" {typed} ", timeout=5, interval=0.001)
                echoes.append(time.monotonic() - started)
            if stall:
                assert "sending C-10023" in term.capture(), "the stall ended before the echoes were measured"
            return echoes
    finally:
        sim.terminate()
        sim.wait(timeout=5)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        enter = asyncio.run(_enter_to_request(max(args.runs, 20), home))
        echo_idle = bench_echo(False, home)
        echo_stall = bench_echo(True, home)
    ms = 1000
    print(f"{'measure':<52}{'median':>12}")
    print(f"{'Enter -> request at simulator (Pilot)':<52}{statistics.median(enter) * ms:>9.1f} ms")
    print(f"{'keystroke echo, idle (tmux)':<52}{statistics.median(echo_idle) * ms:>9.1f} ms")
    print(f"{'keystroke echo, request stalled 5 s (tmux)':<52}{statistics.median(echo_stall) * ms:>9.1f} ms")
    print(f"{'  worst echo while stalled':<52}{max(echo_stall) * ms:>9.1f} ms")


if __name__ == "__main__":
    main()
