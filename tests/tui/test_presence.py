"""Presence in the console: a colleague's row (written by a presence thread of the test's own, as another console
would) shows on the top line and marks the live list; the question before a whisper or barge names who else is
on the call; a barge onto a call a colleague is barging takes B, and y sends nothing; a store out of reach is said
on the top line while actions still go out, and presence comes back with it; the demo's scripted colleague."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from queuetui.core.presence.entry import Identity
from queuetui.core.presence.opening import open_store
from queuetui.core.presence.watch import PresenceWatch
from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen
from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.widgets.key_bar import KeyBar
from queuetui.tui.widgets.live_calls import LiveCallsTable
from tui.conftest import (
    barge_dialog,
    drive,
    fill_form,
    press_for_screen,
    send_call,
    settle,
    signed_in,
    snoop_types,
    wait_until,
)

ASHA = Identity("colleague", "asha", "Asha", "jump2")


@pytest.fixture
def floor_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "floor" / "presence.db"
    monkeypatch.setenv("QUEUETUI_PRESENCE", f"sqlite://{path}")
    return path


@pytest.fixture
def colleague(floor_file: Path) -> Iterator[PresenceWatch]:
    floor_file.parent.mkdir()
    watch = PresenceWatch(lambda: open_store(f"sqlite://{floor_file}"), ASHA, heartbeat_s=0.3)
    watch.start()
    yield watch
    watch.stop()


def _sees(h, call_id: str, mode: str) -> bool:
    view = h.console.presence
    return view is not None and [(r.who, r.mode) for r in view.others_on(call_id)] == [("Asha", mode)]


def test_a_colleague_on_your_call_shows_on_the_top_line_and_the_list(make_app, sim, colleague):
    h = make_app(base_url=sim.url)
    colleague.claim("C-10023", "spy", h.console.clock().timestamp() - 120)

    async def steps(pilot):
        await signed_in(pilot)
        await wait_until(pilot, lambda: _sees(h, "C-10023", "spy"))
        await send_call(pilot, "C-10023", "13")
        await wait_until(pilot, lambda: "Asha (SPY, 2 min)" in h.header)
        assert "C-10023" in h.console.query_one(LiveCallsTable).others_on
        colleague.claim(None)
        await wait_until(pilot, lambda: "Asha" not in h.header)

    drive(h, steps, size=(100, 24))


async def whisper_question(pilot, h) -> ConfirmBargeScreen:
    """A whisper on C-10023, which the colleague has been listening to for 30 s: the question it opens."""
    await signed_in(pilot)
    await wait_until(pilot, lambda: _sees(h, "C-10023", "spy"))
    await fill_form(pilot, "C-10023", "13", mode="whisper")
    return await press_for_screen(pilot, "enter", ConfirmBargeScreen)


def test_a_whisper_asks_first_when_someone_else_is_on_the_call(make_app, sim, colleague):
    h = make_app(base_url=sim.url)
    colleague.claim("C-10023", "spy", h.console.clock().timestamp() - 30)

    async def steps(pilot):
        dialog = await whisper_question(pilot, h)
        body = str(dialog.query_one("#confirm-body").render())
        assert "Also on it: Asha (SPY, 30 s)" in body
        assert sim.request_count == 0
        await pilot.press("y")
        await settle(pilot)

    drive(h, steps)
    assert snoop_types(sim) == ["whisper"]


def test_a_whisper_asked_again_while_its_question_is_open_says_whisper(make_app, sim, colleague):
    h = make_app(base_url=sim.url)
    colleague.claim("C-10023", "spy", h.console.clock().timestamp() - 30)

    async def steps(pilot):
        dialog = await whisper_question(pilot, h)
        h.console.request_send(dialog.request)
        await pilot.press("n")
        await settle(pilot)

    drive(h, steps)
    assert h.toasts.of("warning") == ["Whisper on call C-10023 is waiting for your answer; not sent again"]
    assert sim.request_count == 0


def test_a_barge_onto_a_call_a_colleague_is_barging_takes_the_extra_key(make_app, sim, colleague):
    h = make_app(base_url=sim.url)
    colleague.claim("C-10023", "barge", h.console.clock().timestamp() - 5)

    async def steps(pilot):
        await signed_in(pilot)
        await wait_until(pilot, lambda: _sees(h, "C-10023", "barge"))
        dialog = await barge_dialog(pilot)
        assert "ANOTHER SUPERVISOR IS BARGING" in str(dialog.query_one("#confirm-title").render())
        # The key bar offers the key that sends here, B; y only says why it does not.
        assert "B Barge as well" in _key_bar(dialog) and "y Barge" not in _key_bar(dialog)
        await pilot.press("y")
        await wait_until(pilot, lambda: "Asha is barging this call: nothing sent" in _keys_line(dialog))
        await pilot.press("enter")  # on Cancel, where the focus is: the usual answers never barge here
        assert isinstance(h.app.screen, ConsoleScreen)
        await settle(pilot)
        assert sim.request_count == 0
        dialog = await barge_dialog(pilot)
        await pilot.press("B")
        await settle(pilot)
        colleague.claim(None)
        await wait_until(pilot, lambda: not h.console.presence.others_on("C-10023"))
        dialog = await barge_dialog(pilot)
        assert "y Barge" in _key_bar(dialog) and "Barge as well" not in _key_bar(dialog)
        await pilot.press("n")
        await settle(pilot)

    drive(h, steps)
    assert snoop_types(sim) == ["barge"]


def _key_bar(dialog: ConfirmBargeScreen) -> str:
    return dialog.query_one(KeyBar).line().plain


def _keys_line(dialog: ConfirmBargeScreen) -> str:
    return str(dialog.query_one("#confirm-keys").render())


def test_a_store_out_of_reach_is_said_and_actions_still_go_out(make_app, sim, floor_file):
    h = make_app(base_url=sim.url)  # the store's folder does not exist yet

    async def steps(pilot):
        await signed_in(pilot)
        await wait_until(pilot, lambda: h.console.presence is not None and bool(h.console.presence.problem))
        await send_call(pilot, "C-10023", "13")
        assert snoop_types(sim) == ["spy"]
        await wait_until(pilot, lambda: "presence unavailable" in h.header)
        floor_file.parent.mkdir()  # the store comes back
        await wait_until(pilot, lambda: h.console.presence.available, timeout=20)
        await wait_until(pilot, lambda: "presence unavailable" not in h.header)
        assert any("Presence unavailable (actions still go out)" in line for line in h.log_lines)
        assert any("Presence is back" in line for line in h.log_lines)

    drive(h, steps, size=(100, 24))


def test_the_demo_has_a_colleague_listening_to_the_tours_first_call(make_app):
    h = make_app(demo=True, demo_colleague=True)

    async def steps(pilot):
        await wait_until(pilot, lambda: h.console.presence is not None and bool(h.console.presence.rows))
        await send_call(pilot, "C-10023", "13")
        await wait_until(pilot, lambda: "Dana (SPY, 2 min)" in h.header)

    drive(h, steps, size=(100, 24))


def test_a_presence_server_stopped_mid_shift_never_holds_an_action(make_app, sim, pg, monkeypatch):
    monkeypatch.setenv("QUEUETUI_PRESENCE", pg.url())
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        await wait_until(pilot, lambda: h.console.presence is not None and h.console.presence.available, timeout=20)
        await send_call(pilot, "C-10023", "13")
        pg.stop()
        await wait_until(pilot, lambda: "presence unavailable" in h.header, timeout=20)
        await send_call(pilot, "C-10017", "7")  # goes out as ever
        assert snoop_types(sim) == ["spy", "spy"]
        pg.start()
        await wait_until(pilot, lambda: "presence unavailable" not in h.header, timeout=30)
        assert h.console.presence.available

    drive(h, steps, size=(100, 24))
