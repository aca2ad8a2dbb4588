"""A console served to a browser (`--locked`): the demo on its own simulator and nothing else, whatever a trainee
tries from the keyboard, the palette or the sign-in screen, and whatever the config file says. Every connection
the process opens is watched."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from textual.command import CommandPalette

from queuetui.api.credentials import parse_credentials
from queuetui.core import embedded
from queuetui.core.config.settings import Profile
from queuetui.sim import DEMO_SSID, SimServer
from queuetui.tui.messages import LoginRequired
from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.screens.login import LoginScreen
from tui.conftest import drive, press_for_screen, screen_text, send_call, settle, wait_until


class Connections:
    """Every outgoing connection this process makes while watching: Python's audit hook sees them all, whichever
    library opens them. A hook cannot be removed, so it records only while a test watches."""

    watching: list[object] | None = None

    @classmethod
    def hook(cls, event: str, args: tuple[object, ...]) -> None:
        if cls.watching is not None and event == "socket.connect":
            cls.watching.append(args[1])


sys.addaudithook(Connections.hook)


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a served console's own process: nothing known or locked before it starts."""
    monkeypatch.setattr(embedded, "_process", embedded._Process())


@pytest.fixture
def connections() -> Iterator[list[object]]:
    Connections.watching = []
    yield Connections.watching
    Connections.watching = None


@pytest.fixture
def canary() -> Iterator[SimServer]:
    """Another DeepCall on this machine: what a trainee would try to reach."""
    with SimServer() as server:
        yield server


def test_a_locked_console_reaches_only_its_simulator(make_app, write_config, canary, connections):
    # The trainer's own config: a profile for the canary, a remapped key and a live-call program. None of it counts.
    write_config(
        f'default_profile = "floor"\n[keymap]\n"console.spy" = "f12"\n'
        f'[profiles.floor]\nbase_url = "{canary.url}"\nallow_insecure_http = true\n'
        '[profiles.floor.live_calls]\nsource = "command"\ncommand = ["/bin/sh", "-c", "echo ran > /tmp/never"]\n'
    )
    h = make_app(locked=True)

    async def steps(pilot):
        app = h.app
        sim = app.demo_sim
        assert sim is not None and app.session is not None
        assert app.session.profile.base_url == sim.url
        assert " DEMO " in h.header
        await send_call(pilot, "C-10023", "13", snooper=h.field("#snooper").value)
        assert sim.request_count == 1

        # The palette offers no way out; the demo's own commands stay.
        palette = await press_for_screen(pilot, "ctrl+p", CommandPalette)
        commands = {command.title for command in app.get_system_commands(app.screen)}
        assert "Sign out" not in commands
        assert {"Reset the demo", "Tour"} <= commands
        await pilot.press(*"sign out")
        await wait_until(pilot, lambda: "Forget the credentials" not in screen_text(app))
        assert isinstance(app.screen, type(palette))
        await press_for_screen(pilot, "escape", ConsoleScreen)
        app.sign_out()  # however it were reached
        assert app.session is not None

        # A sign-in by any route: refused by the session, not by a hidden field.
        app.sign_in("floor", Profile(base_url=canary.url), parse_credentials(ssid=DEMO_SSID), remember=False)
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert "its own simulator only" in screen_text(app)

        # The sign-in screen a locked console can show has no base URL or profile to change.
        login = app.screen
        assert not login.query("#base-url") and not login.query("#profile")
        app.post_message(LoginRequired("Sign in again"))
        login.query_one("#ssid").value = DEMO_SSID
        await press_for_screen(pilot, "enter", ConsoleScreen)
        assert app.session is not None and app.session.is_demo
        await settle(pilot)

    drive(h, steps)
    sim = h.app.demo_sim
    assert sim is not None
    assert canary.request_count == canary.list_request_count == 0
    assert connections, "nothing was watched: the check would pass on anything"
    assert {address[:2] for address in connections if isinstance(address, tuple)} == {(sim.host, sim.port)}
    assert all(isinstance(address, tuple) for address in connections)
