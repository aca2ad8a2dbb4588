"""Pictures of the login and the console at the two sizes that matter, compared with the approved SVGs.

Everything that could differ between runs is pinned: the clock, the base URL, no cursor blink or spinner,
and the one request's latency (answered in memory by the seed's success reply).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import httpx
import pytest

from queuetui.api.client import ClientSettings, DeepCallClient
from queuetui.sim.scenario import SUCCESS_TEXT

from .conftest import send_call, signed_in, started

FIXED_URL = "https://deepcall.example/api/v2"
SNAPSHOT_SSID = "snapshot-ssid-0d1e2f3a"
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
SNAPSHOT_DIR = Path(__file__).parent / "__snapshots__" / Path(__file__).stem


def seed_success(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"Content-Type": "text/html; charset=utf-8"}, content=SUCCESS_TEXT.encode())


async def idle_console(pilot) -> None:
    await started(pilot)
    await signed_in(pilot, SNAPSHOT_SSID)


async def after_one_spy(pilot) -> None:
    await idle_console(pilot)
    service = pilot.app.service
    service.client.close()
    service.client = DeepCallClient(ClientSettings(base_url=FIXED_URL), transport=httpx.MockTransport(seed_success))
    real_send = service.send

    def steady_send(*args, **kwargs):
        return dataclasses.replace(real_send(*args, **kwargs), latency_ms=41.0)

    service.send = steady_send
    await send_call(pilot, "C-10023", "13")


@SIZES
@pytest.mark.parametrize("state", [started, idle_console, after_one_spy], ids=["login", "console", "after-spy"])
def test_screens_match_the_approved_pictures(snap_compare, make_app, size, state):
    app = make_app(base_url=FIXED_URL).app
    assert snap_compare(app, terminal_size=size, run_before=state)


def test_no_approved_picture_holds_the_secret():
    pictures = sorted(SNAPSHOT_DIR.glob("*.svg"))
    assert len(pictures) == 6
    assert [p.name for p in pictures if SNAPSHOT_SSID in p.read_text(encoding="utf-8")] == []
