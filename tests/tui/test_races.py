"""Races a supervisor can hit: a result arriving while a sessions row is selected, signing out or quitting
before start-up has finished, a screen opened and shut as the demo's session is shown, and a list key with a
priority key right behind it in one burst."""

from __future__ import annotations

import asyncio
import os

import pytest
from helpers import valid_request
from textual.widgets import Input

from queuetui.sim import DEMO_SSID
from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen
from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.screens.login import LoginScreen
from queuetui.tui.widgets.live_calls import LiveCallsTable
from tui.conftest import (
    barge_dialog,
    burst,
    drive,
    fill,
    rows_seen,
    settle,
    signed_in,
    spy_then_focus_sessions,
    started,
    wait_until,
)


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


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe")
def test_sign_out_before_start_up_finishes_does_nothing(make_app, tmp_path):
    # Start-up reads the config from a pipe nobody writes yet (a hung network home): it cannot finish.
    config = tmp_path / "config.toml"
    os.mkfifo(config)
    h = make_app(config=str(config))

    async def steps(pilot):
        try:
            h.app.sign_out()  # what the command palette's "Sign out" calls
            await pilot.pause()
            assert not h.app.ready.is_set()
            assert isinstance(h.app.screen, ConsoleScreen)
        finally:
            config.write_text("")  # the file arrives: start-up goes on
        await started(pilot)  # and ends as usual, on the sign-in screen
        assert isinstance(h.app.screen, LoginScreen)

    drive(h, steps, wait_for_start=False)
    assert h.app.return_code in (None, 0)


def test_quitting_as_the_sign_in_screen_is_built_ends_cleanly(make_app, monkeypatch):
    # The supervisor quits at the moment start-up pushes the sign-in screen: its fields are never mounted.
    h = make_app()
    push_screen = type(h.app).push_screen
    pushed = asyncio.Event()

    def quit_then_push(app, screen, *args, **kwargs):
        if isinstance(screen, LoginScreen):
            app.exit()
            pushed.set()
        return push_screen(app, screen, *args, **kwargs)

    monkeypatch.setattr(type(h.app), "push_screen", quit_then_push)

    async def steps(pilot):
        # Not a Pilot wait: those wait for screens to go idle, and an app that is quitting never does.
        await asyncio.wait_for(pushed.wait(), timeout=10)

    drive(h, steps, wait_for_start=False)
    assert h.app.return_code in (None, 0)


def test_the_live_list_starts_even_if_the_call_after_the_sessions_frame_is_lost(make_app, monkeypatch):
    # Textual runs a call-after-refresh on whichever screen is on top then, and drops it if that screen closes
    # first (help opened and shut in one burst as the demo opens). The console's status tick starts it anyway.
    original = ConsoleScreen.call_after_refresh

    def dropping_the_start(screen, callback, *args, **kwargs):
        if getattr(callback, "__name__", "") == "_start_reading":
            return True
        return original(screen, callback, *args, **kwargs)

    monkeypatch.setattr(ConsoleScreen, "call_after_refresh", dropping_the_start)
    h = make_app(demo=True)

    async def steps(pilot):
        await wait_until(pilot, lambda: len(h.console.query_one(LiveCallsTable).shown) > 0)

    drive(h, steps)


def sent_calls(h) -> list[tuple[str, str, str]]:
    return [(r.parsed["callId"], r.parsed["snoopType"], r.parsed["targetEntityVal"]) for r in h.app.demo_sim.received]


def test_a_list_key_with_a_tab_right_behind_it_acts_on_the_list(make_app):
    # The s is matched on the list; the Tab behind it used to move the focus first, and the s was lost.
    h = make_app(demo=True)

    async def steps(pilot):
        await wait_until(pilot, lambda: h.console.query_one(LiveCallsTable).highlighted is not None)
        burst(h, ("s", "s"), ("tab", "\t"))
        await wait_until(pilot, lambda: sent_calls(h) != [])
        await settle(pilot)

    drive(h, steps)
    assert sent_calls(h) == [("C-10023", "spy", "13")]


def test_a_barge_from_the_list_with_an_enter_right_behind_it_asks_first_and_sends_nothing(make_app):
    # The Enter used to act first: it copied the call into the form, and the question came after it.
    h = make_app(demo=True)

    async def steps(pilot):
        await wait_until(pilot, lambda: h.console.query_one(LiveCallsTable).highlighted is not None)
        burst(h, ("b", "b"), ("enter", "\r"))
        await wait_until(pilot, lambda: any("Barge on call C-10023" in line for line in h.log_lines))
        assert h.console.query_one("#call-id", Input).value == ""  # the Enter did not copy the call

    drive(h, steps)
    assert sent_calls(h) == []


def test_a_tab_and_enter_right_behind_a_barge_from_the_list_act_in_the_question_and_send_nothing(make_app):
    # The Tab moves the question's focus to Barge (the question set its focus after the Tab, and took it back);
    # the Enter on Barge was typed before the question was shown, so it does not barge.
    h = make_app(demo=True)

    async def steps(pilot):
        await wait_until(pilot, lambda: h.console.query_one(LiveCallsTable).highlighted is not None)
        burst(h, ("b", "b"), ("tab", "\t"), ("enter", "\r"))
        await wait_until(pilot, lambda: isinstance(h.app.screen, ConfirmBargeScreen))
        question = h.app.screen
        await wait_until(pilot, lambda: "came before" in str(question.query_one("#confirm-keys").render()))
        assert h.app.focused is question.query_one("#confirm-yes")

    drive(h, steps)
    assert sent_calls(h) == []


def test_a_mode_the_profile_refuses_on_the_list_keeps_the_focus_there_for_the_keys_behind_it(make_app, write_config):
    # `w Down s` in one burst on a spy-only profile: the whisper is refused, and the Down and the s still act on
    # the list. The refusal used to put the focus in the form, where they did nothing (or typed an s).
    write_config('default_profile = "floor"\n[profiles.floor]\nallowed_modes = ["spy"]\n')
    h = make_app(demo=True)

    async def steps(pilot):
        table = h.console.query_one(LiveCallsTable)
        await wait_until(pilot, lambda: table.highlighted is not None)
        await rows_seen(pilot)
        burst(h, ("w", "w"), ("down", ""), ("s", "s"))
        await wait_until(pilot, lambda: sent_calls(h) != [])
        await settle(pilot)
        assert h.app.focused is table

    drive(h, steps)
    assert sent_calls(h) == [("C-10017", "spy", "7")]
    assert h.toasts.of("warning") == [
        "WHISPER on C-10023 not sent: Mode: whisper is not allowed for this profile (allowed: spy)"
    ]


def test_a_barge_confirmed_after_signing_out_under_the_question_is_not_sent(make_app, sim):
    # The palette opens over the barge question: Sign out, sign in again, then the question's y. The barge was
    # asked for under the session that is gone; it must not go out under the new one.
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        await barge_dialog(pilot)
        h.app.sign_out()
        await wait_until(pilot, lambda: isinstance(h.app.screen, LoginScreen))
        await fill(pilot, "#ssid", DEMO_SSID)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ConfirmBargeScreen))
        await asyncio.wait_for(h.app.screen.wait_for_refresh(), timeout=10)
        await pilot.press("y")
        await settle(pilot)

    drive(h, steps)
    assert sim.request_count == 0
    assert "Barge on call C-10023 not sent: you signed out meanwhile" in h.toasts.of("warning")
