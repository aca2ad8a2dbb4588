"""One whole session with a unique secret, then a search of everything it left behind: screens, toasts,
the exported log, screenshots, the audit trail, the config, a crash report, stdout and stderr."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from conftest import FAST_RETRY, Toasts
from textual.widgets import Input

from queuetui.sim import SimServer
from queuetui.sim.scenario import Scenario
from queuetui.tui.launch import create_app
from queuetui.tui.screens.console import ConsoleScreen


def _files_holding(root: Path, secret: str) -> list[str]:
    needle = secret.encode()
    return [str(p) for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_whole_session_leaks_no_secret(
    tmp_path: Path, isolated_home: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    secret = f"qt-{uuid.uuid4().hex}"
    shots = tmp_path / "shots"
    shots.mkdir()
    seen: list[str] = []  # every screen's text and every command's output
    toasts = Toasts()

    def crash_with_secret_in_a_local(self: ConsoleScreen) -> None:
        held = secret  # what a careless frame would expose in a traceback that shows locals
        raise RuntimeError(f"forced crash ({len(held)})")

    with SimServer(scenario=Scenario(ssid=secret)) as sim:
        app = create_app(base_url=sim.url, retry=FAST_RETRY, still=True)
        toasts.attach(app)

        async def session() -> None:
            async with app.run_test(size=(100, 30), notifications=True) as pilot:
                await app.ready.wait()
                await pilot.pause()
                await pilot.press(*secret, "enter")  # sign in by typing the secret
                await pilot.pause()
                console = app.console_screen
                console.query_one("#snooper", Input).value = "9876543210"

                async def send(call_id: str, agent: str, *keys: str) -> None:
                    console.query_one("#call-id", Input).value = call_id
                    console.query_one("#target-value", Input).value = agent
                    console.query_one("#call-id", Input).focus()
                    await pilot.press(*keys)
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                    seen.append(app.export_screenshot())

                await send("C-10023", "13", "enter")  # success
                await send("C-10023", "14", "enter")  # 1502
                await send("C-10066", "30", "enter")  # 1501 until the retries run out
                await send("C-10017", "7", "f4", "enter", "y")  # confirmed barge
                sim.faults.html_502 = True
                await send("C-10042", "4", "f2", "enter")  # a proxy's page
                sim.faults.html_502 = False
                await pilot.press("ctrl+e")  # export the log
                await pilot.pause()
                app.save_screenshot("session.svg", str(shots))
                monkeypatch.setattr(ConsoleScreen, "action_clear_log", crash_with_secret_in_a_local)
                await pilot.press("ctrl+l")
                await pilot.pause()

        with pytest.raises(RuntimeError, match="forced crash"):
            asyncio.run(session())
        assert sim.request_count >= 5, "the session did not reach the server"

    # The headless path, with the secret from the environment, on a refused connection and a bad call id.
    env = {**os.environ, "QUEUETUI_SSID": secret}
    for call_id in ("C-10023", "C;1"):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "queuetui",
                "barge",
                "--base-url",
                "http://127.0.0.1:9/api/v2",
                "--call-id",
                call_id,
                "--mode",
                "spy",
                "--target",
                "13",
                "--snooper",
                "9876543210",
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        seen += [result.stdout, result.stderr]

    captured = capfd.readouterr()
    assert "forced crash" in captured.out + captured.err, "the crash report was not printed"
    exported = list((isolated_home / ".local" / "state" / "queuetui" / "logs").glob("*.txt"))
    assert exported, "the log was not exported"
    audit = isolated_home / ".local" / "state" / "queuetui" / "audit.jsonl"
    assert len(audit.read_text().splitlines()) >= 5
    assert (shots / "session.svg").exists()

    assert secret not in captured.out + captured.err
    assert all(secret not in text for text in seen)
    assert toasts.shown and secret not in toasts.text
    assert _files_holding(isolated_home, secret) == []  # exported log, audit, config, anything else
    assert _files_holding(shots, secret) == []
