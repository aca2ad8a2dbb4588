"""Pictures of the login and the console at the two sizes that matter, compared with the approved SVGs.

Everything that could differ between runs is pinned: the clock, the base URL, no cursor blink or spinner, and the
server (a fake transport answering the seed's success reply in memory). The one thing no seam pins is the
request's measured latency, which the log prints: the log is cleared before the picture after a send.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from queuetui.sim.scenario import SUCCESS_TEXT
from tui.conftest import send_call, signed_in, started

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
    await send_call(pilot, "C-10023", "13")
    await pilot.press("ctrl+l")  # the log holds the measured latency
    await pilot.pause()


@SIZES
@pytest.mark.parametrize("state", [started, idle_console, after_one_spy], ids=["login", "console", "after-spy"])
def test_screens_match_the_approved_pictures(snap_compare, make_app, size, state):
    app = make_app(base_url=FIXED_URL, transport=httpx.MockTransport(seed_success)).app
    assert snap_compare(app, terminal_size=size, run_before=state)


def test_no_approved_picture_holds_the_secret():
    pictures = sorted(SNAPSHOT_DIR.glob("*.svg"))
    assert len(pictures) == 6
    assert [p.name for p in pictures if SNAPSHOT_SSID in p.read_text(encoding="utf-8")] == []
