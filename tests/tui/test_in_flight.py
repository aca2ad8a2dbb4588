"""A call already being sent is not sent again, and the UI keeps answering while the network is slow."""

from __future__ import annotations

import threading

from helpers import Relay

from queuetui.tui.widgets.send_button import SendButton
from tui.conftest import drive, fill_form, settle, signed_in, type_into


def test_enter_pressed_ten_times_during_a_slow_send_sends_once(make_app, sim):
    # The request is held until the test has looked: a fixed server delay would race the headless key
    # presses (a tenth of a second each, more on a busy machine).
    release = threading.Event()
    h = make_app(base_url=sim.url, transport=Relay(lambda request: release.wait(10)))

    async def steps(pilot):
        await signed_in(pilot)
        await fill_form(pilot, "C-10023", "13")
        try:
            await pilot.press(*["enter"] * 10)
            send = h.console.query_one("#send", SendButton)
            assert h.console.in_flight == {"C-10023"}
            assert send.disabled

            await type_into(pilot, "#snooper", "9123456789")  # typed key by key while the request waits
            assert h.field("#snooper").value == "9123456789"
            assert "91\u2022\u2022\u2022\u2022\u2022789" in h.header  # and the header follows the typing
            assert sim.request_count == 0
        finally:
            release.set()
        await settle(pilot)
        assert not send.disabled
        # The session refused the nine repeats (and says so in the list and the audit); one was sent.
        assert [entry.outcome.sent for entry in h.sessions.entries].count(True) == 1

    drive(h, steps)
    assert sim.request_count == 1
    assert h.toasts.of("warning") == ["A request for call C-10023 is already in flight; not sent again"] * 9
