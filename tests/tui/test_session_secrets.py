"""One whole session with a unique secret, then a search of everything it left behind: screens, toasts,
the exported log, screenshots, the audit trail, the config, a crash report, stdout and stderr."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from run_cli import barge_args, run_queuetui
from textual.widgets import Input

from queuetui.sim import SimServer
from queuetui.sim.scenario import Scenario
from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen
from queuetui.tui.screens.console import ConsoleScreen
from tui.conftest import drive, press_for_screen, settle, type_into


def _files_holding(root: Path, secret: str) -> list[str]:
    needle = secret.encode()
    return [str(p) for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_whole_session_leaks_no_secret(
    make_app, tmp_path: Path, isolated_home: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    secret = f"qt-{uuid.uuid4().hex}"
    shots = tmp_path / "shots"
    shots.mkdir()
    seen: list[str] = []  # every screen's text and every command's output

    def crash_with_secret_in_a_local(self: ConsoleScreen) -> None:
        held = secret  # what a careless frame would expose in a traceback that shows locals
        raise RuntimeError(f"forced crash ({len(held)})")

    with SimServer(scenario=Scenario(ssid=secret)) as sim:
        h = make_app(base_url=sim.url, audit_path=None)  # the default audit trail, under the isolated home

        async def steps(pilot) -> None:
            await type_into(pilot, "#ssid", secret)  # sign in by typing the secret
            await press_for_screen(pilot, "enter", ConsoleScreen)
            console = h.console
            console.query_one("#snooper", Input).value = "9876543210"

            async def send(call_id: str, agent: str, *keys: str) -> None:
                console.query_one("#call-id", Input).value = call_id
                console.query_one("#target-value", Input).value = agent
                console.query_one("#call-id", Input).focus()
                await pilot.press(*keys)
                await settle(pilot)
                seen.append(h.app.export_screenshot())

            await send("C-10023", "13", "enter")  # success
            await send("C-10023", "14", "enter")  # 1502
            await send("C-10066", "30", "enter")  # 1501 until the retries run out
            await send("C-10017", "7", "f4")
            await press_for_screen(pilot, "enter", ConfirmBargeScreen)
            await send("C-10017", "7", "y")  # confirmed barge, answered once the question is on screen
            sim.faults.html_502 = True
            await send("C-10042", "4", "f2", "enter")  # a proxy's page
            sim.faults.html_502 = False
            await pilot.press("ctrl+e")  # export the log
            await pilot.pause()
            h.app.save_screenshot("session.svg", str(shots))
            # A crash, not a seam: the crash report is what is searched here.
            monkeypatch.setattr(ConsoleScreen, "action_clear_log", crash_with_secret_in_a_local)
            await pilot.press("ctrl+l")
            await pilot.pause()

        with pytest.raises(RuntimeError, match="forced crash"):
            drive(h, steps, size=(100, 30))
        assert sim.request_count >= 5, "the session did not reach the server"

    # The headless path, with the secret from the environment, on a refused connection and a bad call id.
    env = {"QUEUETUI_SSID": secret}
    for call_id in ("C-10023", "C;1"):
        result = run_queuetui(*barge_args("http://127.0.0.1:9/api/v2", call_id=call_id), env=env)
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
    assert h.toasts.shown and secret not in h.toasts.text
    assert _files_holding(isolated_home, secret) == []  # exported log, audit, config, anything else
    assert _files_holding(shots, secret) == []
