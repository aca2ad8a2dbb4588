"""Pictures of the console while a call is live: a whisper, and a confirmed barge, at 80x24 and 120x36, in the
default theme, in the 16-colour theme and under NO_COLOR. The top line must say what is live in each.

Pinned as in test_snapshots.py: the clock, the base URL, no cursor blink or spinner, and the server (a fake
transport answering the seed's success reply in memory). The measured latency, which the log prints, is pinned
on the session's service, so the log can stay in the picture.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot

from queuetui.core.outcome import Outcome
from queuetui.sim.scenario import SUCCESS_TEXT
from queuetui.tui.app import QueueApp
from queuetui.tui.screens.console import ConsoleScreen
from tui.conftest import Harness, barge_dialog, press_for_screen, send_call, settle, signed_in, started

FIXED_URL = "https://deepcall.example/api/v2"
SNAPSHOT_SSID = "snapshot-ssid-7c2e9b14"
SNAPSHOT_DIR = Path(__file__).parent / "__snapshots__" / Path(__file__).stem


def seed_success(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"Content-Type": "text/html; charset=utf-8"}, content=SUCCESS_TEXT.encode())


async def signed_in_steady(pilot: Pilot[None]) -> None:
    """Signed in, with every answer's measured latency reported as 41 ms."""
    await started(pilot)
    await signed_in(pilot, SNAPSHOT_SSID)
    app = pilot.app
    assert isinstance(app, QueueApp) and app.session is not None
    service = app.session.service
    measured = service.perform

    def steady(*args: Any, **kwargs: Any) -> Outcome:
        return dataclasses.replace(measured(*args, **kwargs), latency_ms=41.0)

    service.perform = steady  # type: ignore[method-assign]


async def toasts_gone(pilot: Pilot[None]) -> None:
    """The console once its toasts have timed out: the sessions list and the top line uncovered."""
    pilot.app.clear_notifications()
    await pilot.pause()


async def live_whisper(pilot: Pilot[None]) -> None:
    await signed_in_steady(pilot)
    await send_call(pilot, "C-10023", "13", mode="whisper")
    await toasts_gone(pilot)


async def live_barge(pilot: Pilot[None]) -> None:
    await signed_in_steady(pilot)
    await barge_dialog(pilot)
    await press_for_screen(pilot, "y", ConsoleScreen)
    await settle(pilot)
    await toasts_gone(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
@pytest.mark.parametrize("look", ["default", "ansi", "no-color"])
@pytest.mark.parametrize("state", [live_whisper, live_barge], ids=["whisper", "barge"])
def test_live_calls_match_the_approved_pictures(
    snap_compare: Callable[..., bool],
    make_app: Callable[..., Harness],
    write_config: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
    look: str,
    state: Callable[[Pilot[None]], Any],
) -> None:
    if look == "ansi":
        write_config('theme = "queuetui-ansi"\n')
    if look == "no-color":
        monkeypatch.setenv("NO_COLOR", "1")  # read when the app is built
    app = make_app(base_url=FIXED_URL, transport=httpx.MockTransport(seed_success)).app
    assert snap_compare(app, terminal_size=size, run_before=state)


def test_every_live_picture_names_the_call_and_mode_and_holds_no_secret() -> None:
    pictures = sorted(SNAPSHOT_DIR.glob("*.svg"))
    assert len(pictures) == 12
    texts = {picture.name: picture.read_text(encoding="utf-8") for picture in pictures}
    assert [name for name, text in texts.items() if SNAPSHOT_SSID in text] == []
    # SVG text keeps each styled run apart, but the call id and the mode in capitals are each one run.
    for name, text in texts.items():
        mode = "WHISPER" if "[whisper-" in name else "BARGE"
        assert "C-10023" in text and f"{mode}" in text, name
