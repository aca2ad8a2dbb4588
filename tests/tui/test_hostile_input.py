"""The console's own form under hostile input, and hostile text from the server on its way to the screen."""

from __future__ import annotations

import pytest
from helpers import HOSTILE_TEXT, unsafe_chars
from textual.widgets import Input, Static

from queuetui.api.fields import FIELD_LABELS
from tui.conftest import drive, settle, signed_in

FORM_INPUTS = {
    "callId": "#call-id",
    "targetEntityType": "#target-type",
    "targetEntityVal": "#target-value",
    "snooperNumber": "#snooper",
}
GOOD = {"#call-id": "C-10023", "#target-type": "agent", "#target-value": "13", "#snooper": "9876543210"}
TEXT_CASES = {name: value for name, value in HOSTILE_TEXT.items() if isinstance(value, str)}
SERVER_TEXT = "evil\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x9b2Jtext\u202eReversed"


# One test a field: each is a few seconds of keys, and split this way they run on several test workers at once.
@pytest.mark.parametrize("wire", FORM_INPUTS)
def test_every_hostile_form_value_is_refused_inline_and_nothing_is_sent(make_app, sim, wire):
    h = make_app(base_url=sim.url)
    checked: list[str] = []

    async def steps(pilot):
        await signed_in(pilot)
        console = h.console
        for name, value in TEXT_CASES.items():
            for good_selector, good in GOOD.items():
                console.query_one(good_selector, Input).value = good
            field = console.query_one(FORM_INPUTS[wire], Input)
            field.value = value  # as a paste would put it there
            field.focus()
            await pilot.pause()  # the paste has landed before Enter is pressed
            await pilot.press("enter")
            await pilot.pause()
            error = str(console.query_one("#form-error", Static).render())
            assert FIELD_LABELS[wire] in error, f"{wire}/{name}: {error!r}"
            assert field.has_class("-invalid"), f"{wire}/{name} not marked"
            assert not unsafe_chars(error), f"{wire}/{name} echoed raw control characters"
            checked.append(name)
        assert all(not unsafe_chars(line) for line in h.log_lines)

    drive(h, steps)
    assert len(checked) == len(TEXT_CASES) >= 10
    assert sim.request_count == 0


def test_escape_sequences_from_the_server_never_reach_the_screen_raw(make_app, sim):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        for selector, good in GOOD.items():
            h.console.query_one(selector, Input).value = good
        sim.faults.error_message = SERVER_TEXT
        h.console.query_one("#call-id", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        history = "\n".join(h.log_lines)
        assert "evil" in history and "text" in history, "the server's message was not shown at all"
        assert not unsafe_chars(history)
        assert "pwned" not in history  # the OSC title sequence is dropped whole, not shown as text

    drive(h, steps)
    shown = [message for message in h.toasts.of("error") if "evil" in message]
    assert shown, "no toast for the server's error"
    assert not unsafe_chars(h.toasts.text)
    assert sim.request_count == 1
