"""The console's own form under hostile input, and hostile text from the server on its way to the screen."""

from __future__ import annotations

import asyncio
from typing import Any

from conftest import Toasts
from textual.widgets import Input, Static

from queuetui.api.models import FIELD_LABELS
from queuetui.sim import DEMO_SSID, SimServer
from queuetui.tui.widgets.log_panel import LogPanel

from .helpers import console_app, signed_in_console, unsafe_chars
from .test_bad_input import HOSTILE_TEXT

FORM_INPUTS = {
    "callId": "#call-id",
    "targetEntityType": "#target-type",
    "targetEntityVal": "#target-value",
    "snooperNumber": "#snooper",
}
GOOD = {"#call-id": "C-10023", "#target-type": "agent", "#target-value": "13", "#snooper": "9876543210"}
TEXT_CASES = {name: value for name, value in HOSTILE_TEXT.items() if isinstance(value, str)}
SERVER_TEXT = "evil\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x9b2Jtext\u202eReversed"


def run_console(sim: SimServer, drive: Any) -> list[str]:
    """Drive a signed-in console; returns every toast message."""
    toasts = Toasts()
    app = console_app(sim.url, toasts)

    async def main() -> None:
        async with signed_in_console(app, DEMO_SSID, size=(80, 24)) as pilot:
            await drive(app, pilot)

    asyncio.run(main())
    return [toast.message for toast in toasts.shown]


def test_every_hostile_form_value_is_refused_inline_and_nothing_is_sent(sim: SimServer):
    checked: list[str] = []

    async def drive(app: Any, pilot: Any) -> None:
        console = app.console_screen
        for wire, selector in FORM_INPUTS.items():
            for name, value in TEXT_CASES.items():
                for good_selector, good in GOOD.items():
                    console.query_one(good_selector, Input).value = good
                field = console.query_one(selector, Input)
                field.value = value  # as a paste would put it there
                field.focus()
                await pilot.press("enter")
                await pilot.pause()
                error = str(console.query_one("#form-error", Static).render())
                assert FIELD_LABELS[wire] in error, f"{wire}/{name}: {error!r}"
                assert field.has_class("-invalid"), f"{wire}/{name} not marked"
                assert not unsafe_chars(error), f"{wire}/{name} echoed raw control characters"
                checked.append(f"{wire}/{name}")
        history = console.query_one(LogPanel).history
        assert all(not unsafe_chars(line) for line in history)

    run_console(sim, drive)
    assert len(checked) == len(FORM_INPUTS) * len(TEXT_CASES) >= 40
    assert sim.request_count == 0


def test_escape_sequences_from_the_server_never_reach_the_screen_raw(sim: SimServer):
    async def drive(app: Any, pilot: Any) -> None:
        console = app.console_screen
        for selector, good in GOOD.items():
            console.query_one(selector, Input).value = good
        sim.faults.error_message = SERVER_TEXT
        console.query_one("#call-id", Input).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        history = "\n".join(console.query_one(LogPanel).history)
        assert "evil" in history and "text" in history, "the server's message was not shown at all"
        assert not unsafe_chars(history)
        assert "pwned" not in history  # the OSC title sequence is dropped whole, not shown as text

    toasts = run_console(sim, drive)
    shown = [t for t in toasts if "evil" in t]
    assert shown, "no toast for the server's error"
    assert all(not unsafe_chars(t) for t in toasts)
    assert sim.request_count == 1
