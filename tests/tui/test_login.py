"""Signing in: both auth methods reach the console; mistakes are caught on the form, before anything is sent."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Static

from queuetui.api.credentials import SessionAuth, TokenAuth
from queuetui.api.text import mask_secret
from queuetui.sim import DEMO_SSID, DEMO_TOKEN, DEMO_USER_ID
from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.screens.login import LoginScreen
from tui.conftest import drive, fill, press_for_screen, send_call, signed_in, type_into, wait_until


def test_session_id_sign_in_reaches_the_console_with_a_masked_identity(make_app, sim):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        assert isinstance(h.app.screen, LoginScreen)
        await type_into(pilot, "#ssid", DEMO_SSID)
        await press_for_screen(pilot, "enter", ConsoleScreen)
        assert isinstance(h.app.session.credentials, SessionAuth)
        assert f"ssid {mask_secret(DEMO_SSID)}" in h.header
        assert DEMO_SSID not in h.header
        assert f"default@{sim.url.split('/')[2]}" in h.header

    drive(h, steps)
    assert sim.request_count == 0  # signing in checks locally; nothing is sent


def test_user_id_and_token_sign_in_sends_with_the_token(make_app, sim):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot, user_id=DEMO_USER_ID, token=DEMO_TOKEN)
        assert isinstance(h.app.session.credentials, TokenAuth)
        assert f"user {DEMO_USER_ID} token {mask_secret(DEMO_TOKEN)}" in h.header
        assert DEMO_TOKEN not in h.header
        await send_call(pilot, "C-10023", "13")

    drive(h, steps, size=(120, 36))  # at 80 columns the top line leaves this longer identity out
    body = sim.received[0].parsed
    assert isinstance(body, dict)
    assert (body.get("userId"), body.get("token"), "ssid" in body) == (DEMO_USER_ID, DEMO_TOKEN, False)
    assert h.toasts.of("information")[-1].startswith("SPY on C-10023 (agent 13): DeepCall is ringing")


@pytest.mark.parametrize(
    ("base_url", "ssid", "field", "message"),
    [
        (None, "", "#ssid", "Session ID: is required"),
        ("http://deepcall.example/api/v2", DEMO_SSID, "#base-url", "must use https://"),
    ],
    ids=["empty-session-id", "plain-http-to-another-host"],
)
def test_sign_in_mistakes_stay_on_the_form_and_focus_the_field(make_app, sim, base_url, ssid, field, message):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        if base_url is not None:
            await fill(pilot, "#base-url", base_url)
        await fill(pilot, "#ssid", ssid)
        await pilot.press("enter")
        await pilot.pause()
        screen = h.app.screen
        assert isinstance(screen, LoginScreen)
        assert message in str(screen.query_one("#login-error", Static).content)
        assert h.app.focused is screen.query_one(field)
        assert screen.query_one(field).has_class("-invalid")
        assert h.app.session is None

    drive(h, steps)
    assert sim.request_count == 0


def test_certificates_the_environment_cannot_load_are_named_on_the_form(make_app, certificates_named, tmp_path):
    certificates_named(tmp_path / "missing.pem")
    h = make_app()  # the default base URL, DeepCall's own: checked against the system's certificates

    async def steps(pilot):
        await fill(pilot, "#ssid", DEMO_SSID)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Certificates" in str(h.app.screen.query_one("#login-error", Static).content))
        error = str(h.app.screen.query_one("#login-error", Static).content)
        assert f"SSL_CERT_FILE={tmp_path / 'missing.pem'} cannot be read" in error
        assert isinstance(h.app.screen, LoginScreen)
        assert h.app.session is None

    drive(h, steps)


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["a", "b", "left", "left", "X"], "Xab"),
        (["ctrl+a", "ctrl+k", *"http://127.0.0.1:9/api/v2"], "http://127.0.0.1:9/api/v2"),
    ],
    ids=["cursor-keys", "clear-then-type"],
)
def test_a_burst_typed_into_a_sign_in_field_keeps_its_order(make_app, keys, expected):
    # A burst over a slow link arrives at once: the field's own keys (cursor, Ctrl+K) take effect where they were
    # typed, not after the letters that came behind them.
    h = make_app()

    async def steps(pilot):
        field = h.field("#base-url")
        field.focus()
        await pilot.pause()
        for key in keys:  # posted all at once, as a burst arrives: no pause between them
            h.app.post_message(events.Key(key, key if len(key) == 1 else None))
        await wait_until(pilot, lambda: field.value == expected or len(field.value) >= len(expected), timeout=2)
        assert field.value == expected

    drive(h, steps)


def test_a_paste_of_several_lines_into_a_sign_in_field_is_refused_out_loud(make_app):
    h = make_app()

    async def steps(pilot):
        field = h.field("#ssid")
        field.focus()
        await pilot.pause()
        h.app.post_message(events.Paste("first-line\nsecond-line"))
        await pilot.pause()
        assert field.value == ""
        error = str(h.app.screen.query_one("#login-error", Static).render())
        assert "Paste refused: the paste holds 2 lines; paste one value" in error

    drive(h, steps)
