"""Two races a supervisor can hit: a result arriving while a sessions row is selected, and signing out
before start-up has finished."""

from __future__ import annotations

import asyncio

from conftest import valid_request

from queuetui.tui.app import QueueApp
from queuetui.tui.screens.console import ConsoleScreen

from .conftest import drive, settle, spy_then_focus_sessions


def test_a_new_row_does_not_move_the_selected_row(make_app, sim):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await spy_then_focus_sessions(pilot, h)
        # Another action finishes while the supervisor looks at the first row.
        h.console.request_send(valid_request(callId="C-10031", targetEntityVal="21"))
        await settle(pilot)
        assert h.sessions.cursor_row == 0
        await pilot.press("r")
        await settle(pilot)

    drive(h, steps)
    assert [r.parsed["callId"] for r in sim.received] == ["C-10023", "C-10031", "C-10023"]


def test_sign_out_before_start_up_finishes_does_nothing(make_app, monkeypatch):
    monkeypatch.setattr(QueueApp, "_boot", lambda self: None)  # start-up never finishes in this test
    h = make_app()

    async def main():
        async with h.app.run_test(size=(80, 24)) as pilot:
            h.app.sign_out()  # what the command palette's "Sign out" calls
            await pilot.pause()
            assert isinstance(h.app.screen, ConsoleScreen)

    asyncio.run(main())
    assert h.app.return_code in (None, 0)
