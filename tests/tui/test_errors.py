"""What the supervisor sees when a call goes wrong: retries, wrong fields, expired credentials, a server that
is down, input refused before sending, and a bug in a worker."""

from __future__ import annotations

import socket

import httpx
import pytest
from helpers import Relay
from rawserver import RawServer, answer
from textual.widgets import Input, Static

from queuetui.sim import DEMO_SSID
from queuetui.sim.scenario import RESTRICTED_SSID
from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.screens.login import LoginScreen
from tui.conftest import drive, fill, fill_form, send_call, settle, signed_in, wait_until

WRONG_SSID = "wrong-ssid-4c7e2d9b"


def test_1501_retries_with_progress_then_connects(make_app, sim):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        await send_call(pilot, "C-10050", "9")
        assert h.sessions.entries[-1].outcome.attempts == 3
        progress = [line for line in h.log_lines if "(1501)" in line]
        assert [line.split("(1501): ")[1].split(" in ")[0] for line in progress] == ["retry 1 of 2", "retry 2 of 2"]
        assert any("(3 tries); it said: sucessfully BARGINGCall" in line for line in h.log_lines)

    drive(h, steps)
    assert sim.request_count == 3
    first, second = h.toasts.of("warning")
    assert "Call C-10050 is still being processed (1501): retry 1 of 2 in" in first
    assert "Call C-10050 is still being processed (1501): retry 2 of 2 in" in second
    assert h.toasts.of("information")[-1].startswith("SPY on C-10050 (agent 9): DeepCall is ringing")
    assert h.toasts.of("error") == []


def test_1501_that_never_clears_gives_up_after_the_bound(make_app, sim):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        await send_call(pilot, "C-10066", "30")
        assert h.sessions.entries[-1].result == "\u2717 1501"
        assert len([line for line in h.log_lines if "(1501): retry" in line]) == 2
        # One notice for the call's retries, saying the latest: the first's, left up over the log, hid the second's
        # line there and read as the same retry twice.
        on_screen = [notice.message for notice in h.app._notifications if notice.severity == "warning"]
        assert [notice.split("(1501): ")[1].split(" in ")[0] for notice in on_screen] == ["retry 2 of 2"]

    drive(h, steps)
    assert sim.request_count == 3
    [error] = h.toasts.of("error")
    assert "Gave up after 3 tries" in error


def test_1502_for_the_wrong_agent_focuses_the_target(make_app, sim):
    h = make_app(base_url=sim.url)
    log: list[str] = []

    async def steps(pilot):
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "14")
        target = h.console.query_one("#target-value", Input)
        assert h.app.focused is target
        assert target.has_class("-invalid")
        log.extend(h.log_lines)

    drive(h, steps)
    [error] = h.toasts.of("error")
    assert error == "Agent 14 is not on C-10023: check the target agent"
    # DeepCall's own words, with its code, on the log's next line.
    said = log[log.index(next(line for line in log if line.endswith(error))) + 1]
    assert said.endswith(
        "DeepCall said: Invalid filter value: targetEntityVal does not match the agent on C-10023 (code 1502)"
    )


def test_after_a_1502_sent_from_the_target_field_typing_replaces_the_wrong_agent(make_app, sim):
    # Enter pressed in the target field itself: the focus does not move, so only a selection makes the 7 typed
    # next replace the 99 (it used to send 997).
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        await fill_form(pilot, "C-10017", "9")
        h.field("#target-value").focus()
        await pilot.press("end", "9", "enter")  # typed, as after a Tab: no selection left in the field
        await settle(pilot)
        await pilot.press("7", "enter")
        await settle(pilot)

    drive(h, steps)
    assert [r.parsed["targetEntityVal"] for r in sim.received] == ["99", "7"]


def test_sign_in_is_refused_while_the_audit_trail_cannot_be_written(make_app, sim, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    h = make_app(base_url=sim.url, audit_path=blocker / "audit.jsonl")

    async def steps(pilot):
        await fill(pilot, "#ssid", DEMO_SSID)
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(h.toasts.of("error")))
        assert isinstance(h.app.screen, LoginScreen)
        assert h.app.session is None

    drive(h, steps)
    assert h.toasts.of("error")[0].startswith("Audit file: cannot write ")
    assert sim.request_count == 0


@pytest.mark.parametrize("code", [1011, 1013, 1044])
def test_each_sign_in_again_code_brings_back_the_login(make_app, code):
    body = f'{{"status":"error","message":"refused","code":{code}}}'.encode()
    server = RawServer(answer(200, body, content_type="application/json")).start()
    h = make_app(base_url=server.url)

    async def steps(pilot):
        await signed_in(pilot, WRONG_SSID)
        await send_call(pilot, "C-10023", "13")
        await wait_until(pilot, lambda: isinstance(h.app.screen, LoginScreen))
        assert "Sign in again" in str(h.app.screen.query_one("#login-notice", Static).content)

    try:
        drive(h, steps)
    finally:
        server.stop()
    assert f"(code {code})" in h.toasts.of("error")[0]


def test_refused_credentials_bring_back_the_filled_login_then_the_same_console(make_app, sim):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot, WRONG_SSID)
        await send_call(pilot, "C-10023", "13")
        await wait_until(pilot, lambda: isinstance(h.app.screen, LoginScreen))
        login = h.app.screen
        assert login.query_one("#base-url", Input).value == sim.url
        assert login.query_one("#ssid", Input).value == WRONG_SSID
        assert "Sign in again" in str(login.query_one("#login-notice", Static).content)
        log_before = h.log_lines

        await signed_in(pilot, DEMO_SSID)
        assert h.app.screen is h.console
        assert h.log_lines[: len(log_before)] == log_before
        # The sessions list is this identity's shift: the refused one's action is not in it.
        assert h.sessions.entries == []
        assert h.field("#call-id").value == "C-10023"  # the form is as it was left

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [entry.result for entry in h.sessions.entries] == ["\u2713 ok"]

    drive(h, steps)
    assert sim.request_count == 2
    [error] = h.toasts.of("error")
    assert error.startswith("Session expired or invalid credentials")


def test_permission_denied_is_reported_without_asking_to_sign_in_again(make_app, sim):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot, RESTRICTED_SSID)
        await send_call(pilot, "C-10023", "13")
        assert h.app.screen is h.console  # the credentials are good; signing in again would not help

    drive(h, steps)
    [error] = h.toasts.of("error")
    assert error.startswith("Permission denied") and "(code 1015)" in error


def test_a_server_that_is_down_is_named_with_the_cause(make_app, sim):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before the app runs: nothing listens there
    h = make_app(base_url=f"http://127.0.0.1:{port}/api/v2")

    async def steps(pilot):
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "13")
        assert isinstance(h.app.screen, ConsoleScreen)

    drive(h, steps)
    [error] = h.toasts.of("error")
    assert f"127.0.0.1:{port}" in error
    assert "refused" in error


@pytest.mark.parametrize(
    ("call_id", "snooper", "selector", "label"),
    [
        ("C 10023;rm", "9876543210", "#call-id", "Call ID"),
        ("C-10023", "98-76-ab", "#snooper", "Snooper number"),
    ],
    ids=["call-id", "phone"],
)
def test_invalid_input_is_explained_on_the_form_and_never_sent(make_app, sim, call_id, snooper, selector, label):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        await fill(pilot, "#target-value", "13")
        await fill(pilot, "#snooper", snooper)
        await fill(pilot, "#call-id", call_id)
        await pilot.press("enter")
        await pilot.pause()
        field = h.console.query_one(selector, Input)
        assert str(h.console.query_one("#form-error", Static).content).startswith(f"\u2717 {label}:")
        assert field.has_class("-invalid")
        assert h.app.focused is field
        assert h.console.in_flight == frozenset()
        assert any(f"Not sent: {label}" in line for line in h.log_lines)

        await fill(pilot, selector, "C-10023" if selector == "#call-id" else "9876543210")
        assert not field.has_class("-invalid")  # fixing the field clears its mark

    drive(h, steps)
    assert sim.request_count == 0


def test_a_worker_that_raises_is_reported_and_the_app_carries_on(make_app, sim):
    def bug_once(request: httpx.Request) -> None:
        if broken.requests == 1:
            raise RuntimeError("a bug in the send path")

    broken = Relay(bug_once)  # the first request meets a bug below the client; the next reaches the simulator
    h = make_app(base_url=sim.url, transport=broken)

    async def steps(pilot):
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "13")
        assert h.app.is_running
        assert h.console.in_flight == frozenset()
        assert not h.console.query_one("#send").disabled

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert h.sessions.entries[-1].outcome.ok

    drive(h, steps)
    assert h.toasts.of("error") == ["Internal error while sending C-10023: RuntimeError"]
    assert broken.requests == 2
    assert sim.request_count == 1
