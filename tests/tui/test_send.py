"""Sending from the form: the three modes reach the server, the mode keys, listen-only profiles and the
barge confirmation."""

from __future__ import annotations

import pytest

from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.widgets.call_form import CallForm
from queuetui.tui.widgets.mode_selector import ModeSelector
from queuetui.tui.widgets.send_button import SendButton
from tui.conftest import (
    barge_dialog,
    drive,
    fill,
    fill_form,
    mode_of,
    press_for_screen,
    send_call,
    settle,
    signed_in,
    snoop_types,
)


def test_spy_whisper_and_barge_each_reach_the_server_in_their_mode(make_app, sim):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "13", mode="spy")
        await send_call(pilot, "C-10017", "7", mode="whisper")
        await barge_dialog(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert [entry.outcome.ok for entry in h.sessions.entries] == [True, True, True]

    drive(h, steps)
    assert snoop_types(sim) == ["spy", "whisper", "barge"]
    ringing = "DeepCall is ringing 98\u2022\u2022\u2022\u2022\u2022210. Answer to start, hang up to stop"
    assert h.toasts.of("information")[-3:] == [
        f"SPY on C-10023 (agent 13): {ringing}; nobody hears you.",
        f"WHISPER on C-10017 (agent 7): {ringing}; the agent hears you.",
        f"BARGE on C-10023 (agent 13): {ringing}; agent AND customer hear you.",
    ]


def test_function_keys_and_the_focused_mode_selector_switch_the_mode(make_app, sim):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        send = h.console.query_one("#send", SendButton)
        seen = []
        for key in ("f3", "f4", "f2"):
            await pilot.press(key)
            seen.append((mode_of(pilot), str(send.label)))
        assert seen == [("whisper", "Send"), ("barge", "Send BARGE"), ("spy", "Send")]

        await fill(pilot, "#call-id", "")
        await pilot.press("w")  # a letter typed into a field is text, not a mode key
        assert (h.field("#call-id").value, mode_of(pilot)) == ("w", "spy")

        await pilot.press("tab")
        assert isinstance(h.app.focused, ModeSelector)
        letters = []
        for key in ("w", "b", "s", "right", "left"):
            await pilot.press(key)
            letters.append(mode_of(pilot))
        assert letters == ["whisper", "barge", "spy", "whisper", "spy"]

    drive(h, steps)
    assert sim.request_count == 0


def test_a_listen_only_profile_refuses_whisper_and_barge(make_app, sim, write_config):
    write_config(f'[profiles.listen]\nbase_url = "{sim.url}"\nallowed_modes = ["spy"]\n')
    h = make_app(profile="listen")

    async def steps(pilot):
        await signed_in(pilot)
        await fill_form(pilot, "C-10023", "13")
        await pilot.press("f3", "f4")
        h.console.query_one(ModeSelector).focus()
        await pilot.press("w", "b")
        assert mode_of(pilot) == "spy"
        assert sim.request_count == 0

        # The mode selector has the focus: Send by its key. The form shows spy, but the last mode asked for was
        # barge: this send is refused, and the next one sends what the form shows.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert sim.request_count == 0
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert snoop_types(sim) == ["spy"]

        # The sessions list offers other modes too: they are refused there as well.
        h.sessions.focus()
        await pilot.press("w", "b")
        await settle(pilot)
        assert isinstance(h.app.screen, ConsoleScreen)

    drive(h, steps)
    assert snoop_types(sim) == ["spy"]
    refusals = [f"{mode} is not allowed for this profile (allowed: spy)" for mode in ("whisper", "barge")]
    # F3 and F4, then w and b on the mode selector, then w and b on the sessions list (no barge question).
    assert h.toasts.of("warning") == refusals * 3
    assert h.toasts.of("error") == ["BARGE is not allowed in this profile: nothing sent"]


def test_a_refused_mode_key_then_enter_sends_nothing_unless_a_mode_is_chosen_again(make_app, sim, write_config):
    # Typed in one burst: the Enter was meant for whisper, and the form still shows spy.
    write_config(f'[profiles.listen]\nbase_url = "{sim.url}"\nallowed_modes = ["spy"]\n')
    h = make_app(profile="listen")

    async def steps(pilot):
        await signed_in(pilot)
        await fill_form(pilot, "C-10023", "13")
        await pilot.press("f3", "enter")
        await settle(pilot)
        assert sim.request_count == 0
        await pilot.press("f3", "f2", "enter")  # spy chosen after the refusal: sent
        await settle(pilot)

    drive(h, steps)
    assert snoop_types(sim) == ["spy"]
    assert h.toasts.of("error") == ["WHISPER is not allowed in this profile: nothing sent"]


def test_barge_confirmed_with_y_sends_one_request(make_app, sim):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        dialog = await barge_dialog(pilot)
        assert dialog.request.call_id == "C-10023"
        assert sim.request_count == 0  # nothing leaves before the answer
        await pilot.press("y")
        await settle(pilot)

    drive(h, steps)
    assert snoop_types(sim) == ["barge"]


@pytest.mark.parametrize("key", ["n", "escape", "enter"])
def test_barge_cancelled_sends_nothing(make_app, sim, key):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        dialog = await barge_dialog(pilot)
        # A stray Enter lands on Cancel, never on the audible barge.
        assert h.app.focused is dialog.query_one("#confirm-cancel")
        await press_for_screen(pilot, key, ConsoleScreen)
        await settle(pilot)
        assert h.console.in_flight == frozenset()
        assert not h.console.query_one("#send", SendButton).disabled

    drive(h, steps)
    assert sim.request_count == 0
    assert "Barge on call C-10023 cancelled; nothing sent" in h.toasts.of("information")


def test_a_profile_without_barge_confirmation_sends_straight_away(make_app, sim, write_config):
    write_config(f'[profiles.floor]\nbase_url = "{sim.url}"\nconfirm_barge = false\n')
    h = make_app(profile="floor")
    screens = []

    async def steps(pilot):
        await signed_in(pilot)
        await fill_form(pilot, "C-10023", "13", mode="barge")
        await pilot.press("enter")
        screens.append(type(h.app.screen))
        await settle(pilot)

    drive(h, steps)
    assert screens == [ConsoleScreen]
    assert snoop_types(sim) == ["barge"]


def test_a_click_on_send_sends_the_form_once_even_when_double_and_never_when_disabled(make_app, sim):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        await fill_form(pilot, "C-10023", "13", mode="whisper")
        send = h.console.query_one("#send", SendButton)
        send.disabled = True
        await pilot.click("#send")
        await settle(pilot)
        assert sim.request_count == 0
        send.disabled = False
        await pilot.double_click("#send")
        await settle(pilot)

    drive(h, steps)
    assert [(r.parsed["callId"], r.parsed["snoopType"]) for r in sim.received] == [("C-10023", "whisper")]


def test_the_barge_question_knows_when_enter_would_press_barge(make_app, sim):
    # What its key check refuses when typed before it was drawn: Enter on the Barge button only. The yes keys check
    # themselves in their action (they act as they are read); cancelling stays open at any time.
    h = make_app(base_url=sim.url)
    seen: dict[str, bool] = {}

    async def steps(pilot):
        await signed_in(pilot)
        dialog = await barge_dialog(pilot)
        for key in ("y", "n", "escape", "enter"):
            seen[f"cancel focused: {key}"] = dialog._presses_yes(key)
        dialog.query_one("#confirm-yes").focus()
        await pilot.pause()
        for key in ("enter", "n"):
            seen[f"barge focused: {key}"] = dialog._presses_yes(key)

    drive(h, steps)
    assert seen == {
        "cancel focused: y": False,
        "cancel focused: n": False,
        "cancel focused: escape": False,
        "cancel focused: enter": False,
        "barge focused: enter": True,
        "barge focused: n": False,
    }


def test_the_form_shows_each_field_as_it_was_sent(make_app, sim):
    # The request carries the values trimmed, the number without its spaces and dashes and the type in lower case:
    # once sent, the form reads the same, so the screen never shows a spelling the wire did not carry.
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        await fill(pilot, "#call-id", " C-10023 ")
        await fill(pilot, "#target-type", "Agent")
        await fill(pilot, "#target-value", "13")
        await fill(pilot, "#snooper", "+91 98765-43210")
        await pilot.press("enter")
        await settle(pilot)
        form = h.console.query_one(CallForm)
        shown = [form.field(selector).value for selector in ("#call-id", "#target-type", "#snooper")]
        assert shown == ["C-10023", "agent", "+919876543210"]

    drive(h, steps)
    sent = sim.received[-1].parsed
    assert [sent["callId"], sent["targetEntityType"], sent["snooperNumber"]] == ["C-10023", "agent", "+919876543210"]
