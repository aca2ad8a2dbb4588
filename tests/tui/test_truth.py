"""The screen tells what is live, not what the form happens to read: the top line after each kind of action and
after "I hung up", the sessions list's live marker, and barge never left armed in the form."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from helpers import FIXED_NOW, Relay
from textual.command import CommandPalette
from textual.pilot import Pilot

from queuetui.core.audit.log import read_audit
from queuetui.sim import SimServer
from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen
from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.screens.hang_up import HangUpScreen
from queuetui.tui.screens.login import LoginScreen
from queuetui.tui.widgets.live_calls import LiveCallsTable
from queuetui.tui.widgets.send_button import SendButton
from tui.conftest import (
    Harness,
    barge_dialog,
    burst,
    drive,
    fill_form,
    mode_of,
    press_for_screen,
    screen_text,
    send_call,
    settle,
    signed_in,
    snoop_types,
    wait_until,
)

NOT_ON_A_CALL = "\u25cb not on a call"
PHONE = "(?: \u00b7 \u260e [^\u00b7]+)?"  # what the phone is doing, when that is known, before the time


class Clock:
    """A clock the test moves by hand, so the top line's time since can be read exactly."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def top_line(h: Harness) -> str:
    """The first row of the terminal, as a supervisor reads it."""
    return screen_text(h.app).splitlines()[0]


def live_part(header: str) -> str:
    """What is live, from the header's line: everything before the environment badge."""
    return header.split(" PRODUCTION ")[0].strip()


def results(h: Harness) -> list[str]:
    return [h.sessions.cell_text(row, "result") for row in range(h.sessions.row_count)]


async def confirmed_barge(pilot: Pilot[None], call_id: str = "C-10023", agent: str = "13") -> None:
    await barge_dialog(pilot, call_id, agent)
    await press_for_screen(pilot, "y", ConsoleScreen)
    await settle(pilot)


def test_the_top_line_follows_spy_whisper_barge_another_call_and_hanging_up(
    make_app: Callable[..., Harness], sim: SimServer
) -> None:
    clock = Clock(FIXED_NOW)
    h = make_app(base_url=sim.url, clock=clock)
    seen: dict[str, tuple[str, str]] = {}  # step -> (the screen's first row, the header's whole line)

    async def steps(pilot: Pilot[None]) -> None:
        def look(step: str) -> None:
            seen[step] = (top_line(h), h.header)

        await signed_in(pilot)
        look("signed in")
        await send_call(pilot, "C-10023", "13")
        look("spy")
        clock.advance(42)
        await wait_until(pilot, lambda: "00:42" in h.header)  # the time since ticks on by itself
        look("spy later")
        await send_call(pilot, "C-10023", "13", mode="whisper")
        look("whisper")
        await confirmed_barge(pilot)
        look("barge")
        await send_call(pilot, "C-10017", "7", mode="spy")
        look("another call")
        assert any("C-10023 (BARGE) is left to your phone" in line for line in h.log_lines)
        await press_for_screen(pilot, "f5", HangUpScreen)  # two legs may be on the phone: which one?
        await pilot.press("end")  # all of them
        await press_for_screen(pilot, "enter", ConsoleScreen)
        look("hung up")

    drive(h, steps)
    spy, whisper = "\u25cf ON C-10023 \u00b7 SPY", "\u25c6 ON C-10023 \u00b7 WHISPER"
    barge = "\u25b2 ON C-10023 \u00b7 BARGE"
    expected = {
        "signed in": (NOT_ON_A_CALL, NOT_ON_A_CALL),
        "spy": (spy, f"{spy} \u00b7 nobody hears you{PHONE} \u00b7 00:00"),
        "spy later": (spy, f"{spy} \u00b7 nobody hears you{PHONE} \u00b7 00:42"),
        "whisper": (whisper, f"{whisper} \u00b7 the agent hears you{PHONE} \u00b7 00:00"),
        "barge": (barge, f"{barge} \u00b7 agent AND customer hear you{PHONE} \u00b7 00:00"),
        # At 80 columns the barge left to the phone is named by its call and mode, beside the environment badge.
        "another call": (
            "\u25cf ON C-10017 \u00b7 SPY",
            "\u25cf ON C-10017 \u00b7 SPY \u00b7 nobody hears you \u00b7 00:00   \\+1: C-10023 BARGE",
        ),
        "hung up": (NOT_ON_A_CALL, NOT_ON_A_CALL),
    }
    # The screen's row must start with the call id and the mode in capitals; the rest of it may sit under
    # toasts stacked at the right, so the whole of what is live is read from the header's own line.
    assert {step: row.startswith(f" {expected[step][0]}") for step, (row, _) in seen.items()} == dict.fromkeys(
        expected, True
    )
    assert {
        step: re.fullmatch(expected[step][1], live_part(line)) is not None for step, (_, line) in seen.items()
    } == dict.fromkeys(expected, True), seen
    assert snoop_types(sim) == ["spy", "whisper", "barge", "spy"]
    assert "C-10023 is now WHISPER: the agent hears you." in h.toasts.of("information")
    assert h.toasts.of("information")[-2:] == [
        "Off C-10017: you hung up (SPY ended after 00:00)",
        "Off C-10023: you hung up (BARGE ended after 00:42)",
    ]


def test_i_hung_up_with_a_barge_left_to_the_phone_asks_which_and_records_it(
    make_app: Callable[..., Harness], sim: SimServer, audit_path: Path
) -> None:
    h = make_app(base_url=sim.url)

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await confirmed_barge(pilot)
        await send_call(pilot, "C-10017", "7", mode="spy")
        assert "+1: C-10023 BARGE   PRODUCTION " in h.header
        burst(h, ("f5", None), ("enter", "\r"))  # the Enter comes before the question is drawn: it answers nothing
        await wait_until(pilot, lambda: isinstance(h.app.screen, HangUpScreen) and h.app.screen.shown)
        await pilot.pause()
        assert isinstance(h.app.screen, HangUpScreen)
        assert h.app.session is not None and len(h.app.session.monitoring.legs) == 2
        assert snoop_types(sim) == ["barge", "spy"]  # the Enter behind F5 did not send the form again
        await pilot.press("down")  # the barge left to the phone, listed after the live spy
        await press_for_screen(pilot, "enter", ConsoleScreen)
        assert "+1" not in h.header
        assert "\u25cf ON C-10017 \u00b7 SPY" in h.header  # the spy is still live

    drive(h, steps)
    hung_up = [record for record in read_audit(audit_path).records if record.get("outcome") == "hung_up"]
    assert [(record["call_id"], record["mode"]) for record in hung_up] == [("C-10023", "barge")]
    assert isinstance(hung_up[0]["duration_s"], float)


@pytest.mark.parametrize(
    "mode",
    [
        "spy",
        "whisper",
        "barge",
    ],
)
def test_at_80_columns_the_top_line_shows_all_that_is_live_with_the_time_since(
    make_app: Callable[..., Harness], sim: SimServer, mode: str
) -> None:
    h = make_app(base_url=sim.url)
    rows: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        if mode == "barge":
            await confirmed_barge(pilot)
        else:
            await send_call(pilot, "C-10023", "13", mode=mode)
        pilot.app.clear_notifications()  # nothing over the top line
        await pilot.pause()
        rows.append(top_line(h))

    drive(h, steps)
    heard = {"spy": "nobody hears you", "whisper": "the agent hears you", "barge": "agent AND customer hear you"}
    assert re.search(rf"ON C-10023 \u00b7 {mode.upper()} \u00b7 {heard[mode]}{PHONE} \u00b7 00:00", rows[0]), rows[0]


def test_i_hung_up_from_the_palette_clears_the_top_line_and_ends_the_row(
    make_app: Callable[..., Harness], sim: SimServer
) -> None:
    h = make_app(base_url=sim.url)
    seen: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "13", mode="whisper")
        seen.append(top_line(h))
        await press_for_screen(pilot, "ctrl+p", CommandPalette)
        await pilot.press(*"I hung up")
        await wait_until(pilot, lambda: "My phone is down" in screen_text(h.app))
        await press_for_screen(pilot, "enter", ConsoleScreen)
        await wait_until(pilot, lambda: NOT_ON_A_CALL in h.header)
        seen.append(top_line(h))
        assert results(h) == ["\u25a0 end"]
        assert h.app.session is not None and h.app.session.monitoring.current is None

    drive(h, steps)
    assert "ON C-10023 \u00b7 WHISPER" in seen[0]
    assert seen[1].startswith(f" {NOT_ON_A_CALL} ")


def test_hanging_up_with_nothing_live_says_so(make_app: Callable[..., Harness], sim: SimServer) -> None:
    h = make_app(base_url=sim.url)

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await pilot.press("f5")
        await pilot.pause()
        assert NOT_ON_A_CALL in h.header

    drive(h, steps)
    assert h.toasts.of("information")[-1] == "Not on a call: nothing to end"


def test_actions_from_the_sessions_list_move_the_top_line_not_the_form(
    make_app: Callable[..., Harness], sim: SimServer
) -> None:
    h = make_app(base_url=sim.url)
    seen: list[tuple[str, str]] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "13")
        h.sessions.focus()
        await pilot.press("w")
        await settle(pilot)
        seen.append((h.header, mode_of(pilot)))
        await press_for_screen(pilot, "b", ConfirmBargeScreen)
        await press_for_screen(pilot, "y", ConsoleScreen)
        await settle(pilot)
        seen.append((h.header, mode_of(pilot)))

    drive(h, steps)
    assert snoop_types(sim) == ["spy", "whisper", "barge"]
    assert "\u25c6 ON C-10023 \u00b7 WHISPER" in seen[0][0]
    assert "\u25b2 ON C-10023 \u00b7 BARGE" in seen[1][0]
    assert [form for _, form in seen] == ["spy", "spy"]


def test_the_sessions_list_marks_the_live_row_rows_left_and_the_row_ended(
    make_app: Callable[..., Harness], sim: SimServer
) -> None:
    h = make_app(base_url=sim.url)
    seen: list[list[str]] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "13")
        seen.append(results(h))
        await send_call(pilot, "C-10023", "13", mode="whisper")  # same call: that row is now the live one
        seen.append(results(h))
        await send_call(pilot, "C-10017", "7", mode="spy")  # another call: the whisper is left to the phone
        seen.append(results(h))
        await send_call(pilot, "C-10031", "99")  # a failure moves nothing that is live
        seen.append(results(h))
        await press_for_screen(pilot, "f5", HangUpScreen)  # the whisper left to the phone may still be on it
        await press_for_screen(pilot, "enter", ConsoleScreen)  # the live one, listed first
        seen.append(results(h))

    drive(h, steps)
    live, ok, left, ended = "\u25cf LIVE", "\u2713 ok", "\u21b7 left", "\u25a0 end"
    assert seen == [
        [live],
        [ok, live],
        [ok, left, live],
        [ok, left, live, "\u2717 1502"],
        [ok, left, ended, "\u2717 1502"],
    ]


def test_a_spy_answered_after_a_whisper_asked_for_later_leaves_the_whisper_live(
    make_app: Callable[..., Harness], sim: SimServer
) -> None:
    # Two calls on their way at once, the first one's answer held back until the second has come in: the top
    # line follows the order the supervisor asked in, and the late one is shown as left to the phone.
    release = threading.Event()

    def hold_the_first_call(request: httpx.Request) -> None:
        if b'"C-10023"' in request.content:
            release.wait(10)

    h = make_app(base_url=sim.url, transport=Relay(hold_the_first_call))

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        try:
            await fill_form(pilot, "C-10023", "13")
            await pilot.press("enter")
            await wait_until(pilot, lambda: h.console.in_flight == {"C-10023"})
            await fill_form(pilot, "C-10017", "7", mode="whisper")
            await pilot.press("enter")
            await wait_until(pilot, lambda: "ON C-10017 \u00b7 WHISPER" in h.header)
            assert h.console.in_flight == {"C-10023"}
        finally:
            release.set()
        await wait_until(pilot, lambda: h.sessions.row_count == 2)
        await settle(pilot)
        assert re.search(r"C-10017\W+WHISPER", h.header), h.header
        assert "+1: C-10023 SPY   PRODUCTION " in h.header  # the late spy may ring the phone too
        assert results(h) == ["\u25cf LIVE", "\u21b7 left"]  # rows in the order the answers came in
        assert [entry.request.call_id for entry in h.sessions.entries] == ["C-10017", "C-10023"]

    drive(h, steps)
    assert [(r.parsed["callId"], r.parsed["snoopType"]) for r in sim.received] == [
        ("C-10017", "whisper"),
        ("C-10023", "spy"),
    ]
    assert any(
        "SPY on C-10023 was answered after WHISPER on C-10017, which you asked for later: you stay on C-10017" in t
        for t in h.toasts.of("information")
    ), h.toasts.text


def test_signing_out_while_live_says_the_call_is_left_to_the_phone_and_the_next_session_shows_nothing_live(
    make_app: Callable[..., Harness],
) -> None:
    h = make_app(demo=True)
    marked: list[str | None] = []

    async def steps(pilot: Pilot[None]) -> None:
        table = h.console.query_one(LiveCallsTable)
        await wait_until(pilot, lambda: bool(table.shown))
        table.focus()
        await pilot.press("s")
        await settle(pilot)
        marked.append(table.live_call_id)
        h.app.sign_out()
        await wait_until(pilot, lambda: isinstance(h.app.screen, LoginScreen))
        await press_for_screen(pilot, "f9", ConsoleScreen)  # the demo again, a new session
        await wait_until(pilot, lambda: bool(table.shown))
        marked.append(table.live_call_id)
        lines = [table.line(row) or "" for row in range(len(table.shown))]
        assert not any(line.lstrip().startswith("\u25cf") for line in lines), lines
        assert NOT_ON_A_CALL in h.header

    drive(h, steps)
    assert marked == ["C-10023", None]
    assert "C-10023 (SPY) is left to your phone: hang up there if you are still on it" in h.toasts.of("warning")


def form_shows_spy(h: Harness) -> bool:
    form = h.console.query_one("#form")
    return str(h.console.query_one("#send", SendButton).label) == "Send" and not form.has_class("-barge")


def test_the_form_is_back_in_spy_once_a_barge_is_sent(make_app: Callable[..., Harness], sim: SimServer) -> None:
    h = make_app(base_url=sim.url)
    seen: list[tuple[str, bool]] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await barge_dialog(pilot)
        await press_for_screen(pilot, "y", ConsoleScreen)
        seen.append((mode_of(pilot), form_shows_spy(h)))  # at once, before the answer
        await settle(pilot)
        seen.append((mode_of(pilot), form_shows_spy(h)))

    drive(h, steps)
    assert seen == [("spy", True), ("spy", True)]
    assert snoop_types(sim) == ["barge"]


def test_the_form_is_back_in_spy_after_a_barge_fails(make_app: Callable[..., Harness], sim: SimServer) -> None:
    h = make_app(base_url=sim.url)

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await confirmed_barge(pilot, "C-10023", "14")  # not the call's agent: 1502
        assert h.sessions.entries[-1].outcome.code == 1502
        assert mode_of(pilot) == "spy"
        assert form_shows_spy(h)

    drive(h, steps)
    assert snoop_types(sim) == ["barge"]


@pytest.mark.parametrize("key", ["n", "escape"])
def test_the_form_is_back_in_spy_after_a_barge_is_cancelled(
    make_app: Callable[..., Harness], sim: SimServer, key: str
) -> None:
    h = make_app(base_url=sim.url)

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await barge_dialog(pilot)
        await press_for_screen(pilot, key, ConsoleScreen)
        assert mode_of(pilot) == "spy"
        assert form_shows_spy(h)

    drive(h, steps)
    assert sim.request_count == 0


def test_without_confirmation_the_next_enter_after_a_barge_is_a_spy(
    make_app: Callable[..., Harness], sim: SimServer, write_config: Callable[[str], object]
) -> None:
    write_config(f'[profiles.floor]\nbase_url = "{sim.url}"\nconfirm_barge = false\n')
    h = make_app(profile="floor")

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await fill_form(pilot, "C-10023", "13", mode="barge")
        await pilot.press("enter")
        await settle(pilot)
        assert mode_of(pilot) == "spy"
        await send_call(pilot, "C-10017", "7")

    drive(h, steps)
    assert snoop_types(sim) == ["barge", "spy"]


def test_the_line_under_the_modes_never_reads_as_the_live_call_in_another_mode(
    make_app: Callable[..., Harness], sim: SimServer
) -> None:
    # "The agent hears you" under a chosen WHISPER read as the truth of the call, live as SPY on the top line.
    h = make_app(base_url=sim.url)
    seen: dict[str, tuple[str, str]] = {}

    def mode_help() -> str:
        return str(h.console.query_one("#mode-help").render())

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        seen["idle"] = (h.header, mode_help())
        await send_call(pilot, "C-10023", "13")
        seen["spy sent"] = (h.header, mode_help())
        await pilot.press("f3")
        seen["f3 while spy is live"] = (h.header, mode_help())
        await pilot.press("enter")
        await settle(pilot)
        seen["whisper sent"] = (h.header, mode_help())
        await barge_dialog(pilot)
        await press_for_screen(pilot, "y", ConsoleScreen)
        await settle(pilot)
        seen["barge sent, form back in spy"] = (h.header, mode_help())
        await pilot.press("f5")
        await pilot.pause()
        seen["hung up"] = (h.header, mode_help())

    drive(h, steps)
    assert snoop_types(sim) == ["spy", "whisper", "barge"]
    assert seen["idle"][1] == "Nobody hears you"
    assert "SPY" in seen["spy sent"][0] and seen["spy sent"][1] == "Nobody hears you"
    assert "SPY" in seen["f3 while spy is live"][0]
    assert seen["f3 while spy is live"][1] == "Not live: Enter sends whisper"
    assert "WHISPER" in seen["whisper sent"][0] and seen["whisper sent"][1] == "The agent hears you"
    assert "BARGE" in seen["barge sent, form back in spy"][0]
    assert seen["barge sent, form back in spy"][1] == "Not live: Enter sends spy"
    assert NOT_ON_A_CALL in seen["hung up"][0] and seen["hung up"][1] == "Nobody hears you"
