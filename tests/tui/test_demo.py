"""Demo mode: signed in to an embedded simulator at once, marked DEMO, and the simulator stops with the app."""

from __future__ import annotations

import socket

import pytest

from queuetui.core.config.environment import Environment
from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.screens.login import LoginScreen
from tui.conftest import drive, press_for_screen, send_call


def refuses_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


@pytest.mark.parametrize("start", ["--demo", "F9 on sign-in"])
def test_demo_mode_opens_the_console_signed_in_and_stops_its_simulator_on_exit(make_app, start):
    h = make_app(demo=start == "--demo")
    ports = []

    async def steps(pilot):
        if start != "--demo":
            assert isinstance(h.app.screen, LoginScreen)
            await press_for_screen(pilot, "f9", ConsoleScreen)
        assert isinstance(h.app.screen, ConsoleScreen)
        demo_sim = h.app.demo_sim
        assert demo_sim is not None
        ports.append(demo_sim.port)
        assert h.app.session is not None and h.app.session.environment is Environment.DEMO
        assert " DEMO " in h.header
        assert f"demo@127.0.0.1:{demo_sim.port}" in h.header
        assert h.console.query_one("#log").has_class("-env-demo")

        await send_call(pilot, "C-10023", "13", snooper=h.field("#snooper").value)  # the demo's own snooper
        assert demo_sim.request_count == 1
        assert h.sessions.entries[-1].outcome.ok

    drive(h, steps)
    assert refuses_connections(ports[0])
