"""The live list's failures in the console, behaving as an action's do: credentials it refuses send the
supervisor back to sign in (before the console opens, on the first list), every failure goes to the log whole,
and the panel's title keeps the reason readable at 80 columns."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from queuetui.sim import DEMO_SSID
from queuetui.tui.screens.login import LoginScreen
from queuetui.tui.widgets.live_calls import LiveCallsTable
from tui.conftest import drive, started, wait_until
from tui.test_races import burst

WRONG = "wrong-ssid-123456"


@pytest.fixture
def list_profile(write_config, sim, monkeypatch):
    """A profile whose live list comes from the simulator's `queue/list`, which checks the credentials; the
    right secret in the environment."""
    monkeypatch.setenv("QUEUETUI_SSID", DEMO_SSID)
    write_config(
        f'[profiles.floor]\nbase_url = "{sim.url}"\nsnooper_number = "9876543210"\n'
        '[profiles.floor.live_calls]\nsource = "deepcall"\nrefresh_s = 0.5\n'
    )


async def on_the_floor(pilot, h) -> LiveCallsTable:
    await started(pilot)
    await pilot.press("enter")
    table = h.console.query_one(LiveCallsTable)
    await wait_until(pilot, lambda: len(table.shown) > 0)
    return table


def test_credentials_the_first_list_refuses_keep_the_sign_in_screen_with_the_secret_selected(
    make_app, list_profile, sim, monkeypatch
):
    monkeypatch.setenv("QUEUETUI_SSID", WRONG)
    h = make_app()

    async def steps(pilot):
        await started(pilot)
        sign_in = pilot.app.screen
        # Sign in, and a burst meant for the console behind it: none of it may land in the form.
        burst(h, ("enter", "\r"), ("slash", "/"), ("c", "c"), ("s", "s"))
        await wait_until(pilot, lambda: any("refused these credentials" in line for line in h.log_lines))
        assert pilot.app.screen is sign_in
        assert pilot.app.session is None
        secret = sign_in.query_one("#ssid", Input)
        assert pilot.app.focused is secret
        assert secret.value == WRONG
        assert secret.selected_text == WRONG  # typing replaces it
        assert "1014" in str(sign_in.query_one("#login-error").render())
        assert not any(WRONG in line for line in h.log_lines)

    drive(h, steps)
    assert sim.request_count == 0
    assert sim.list_request_count == 1
    assert "3 key(s) typed after Sign in were dropped: the console did not open" in h.toasts.of("warning")


def test_credentials_the_first_list_accepts_open_the_console_with_the_keys_typed_meanwhile(make_app, list_profile, sim):
    h = make_app()

    async def steps(pilot):
        await started(pilot)
        burst(h, ("enter", "\r"), ("slash", "/"), *((c, c) for c in "C-10031"), ("enter", "\r"), ("s", "s"))
        await wait_until(pilot, lambda: sim.request_count == 1)
        assert any(line.endswith("the live list accepted the credentials") for line in h.log_lines)

    drive(h, steps)
    assert sim.received[0].parsed["callId"] == "C-10031"


def test_the_list_refusing_the_credentials_later_sends_the_console_back_to_sign_in_keeping_the_form(
    make_app, list_profile, sim
):
    h = make_app()

    async def steps(pilot):
        await on_the_floor(pilot, h)
        h.console.query_one("#call-id", Input).value = "C-10017"
        sim.scenario.ssid = "the-session-has-expired"  # the server forgets this session
        try:
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen), timeout=10)
        finally:
            sim.scenario.ssid = DEMO_SSID
        secret = pilot.app.screen.query_one("#ssid", Input)
        assert secret.selected_text == DEMO_SSID
        assert h.console.query_one("#call-id", Input).value == "C-10017"
        assert any(line.endswith("(code 1014)") and "Live list: Session expired" in line for line in h.log_lines)

    drive(h, steps)


def test_a_failing_list_is_logged_whole_and_its_reason_fits_the_panels_title_at_80_columns(make_app, list_profile, sim):
    h = make_app()

    async def steps(pilot):
        table = await on_the_floor(pilot, h)
        sim.list_faults.html_502 = True
        floor = h.console.query_one("#floor")
        await wait_until(pilot, lambda: floor.has_class("-stale"), timeout=20)
        title = str(floor.border_subtitle)
        assert "STALE " in title and "HTTP 502" in title
        assert len(title) <= floor.size.width - 4  # inside the corners, nothing cut
        failures = [line for line in h.log_lines if "Live list:" in line and "HTTP 502" in line]
        assert [line.endswith(f"({n} in a row)") for n, line in enumerate(failures[:2], start=1)] == [True, True]
        # A spy from a stale list still goes, with the list's age said.
        called = table.highlighted.call_id
        await pilot.press("s")
        await wait_until(pilot, lambda: sim.request_count == 1)
        warned = [toast for toast in h.toasts.of("warning") if "from a stale list (list " in toast]
        assert warned and warned[0].startswith(f"SPY on {called} from a stale list (list ")

    drive(h, steps)
