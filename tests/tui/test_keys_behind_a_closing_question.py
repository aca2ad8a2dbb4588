"""Keys typed in one burst behind the key that closes a question or a dialog reach the console, in order.

A key a screen binds is acted on only when it has bubbled back up to the app, behind any key already waiting
there: typed in one burst, `n w` on the barge question cancelled it and lost the w to the closing question. The
keys are posted together here, as a terminal delivers a burst read in one go."""

from __future__ import annotations

from textual import events
from textual.pilot import Pilot

from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen
from queuetui.tui.screens.shift_summary import ShiftSummaryScreen
from queuetui.tui.widgets.live_calls import LiveCallsTable
from tui.conftest import Harness, drive, press_for_screen, rows_seen, wait_until


def burst(pilot: Pilot[None], *keys: str) -> None:
    for key in keys:
        pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))


async def on_the_list(pilot: Pilot[None], h: Harness) -> None:
    table = h.console.query_one(LiveCallsTable)
    await wait_until(pilot, lambda: bool(table.shown))
    table.focus()
    await rows_seen(pilot)


def test_a_key_typed_behind_the_cancel_of_the_barge_question_acts_on_the_list(make_app):
    h = make_app(demo=True)

    async def steps(pilot: Pilot[None]) -> None:
        await on_the_list(pilot, h)
        question = await press_for_screen(pilot, "b", ConfirmBargeScreen)
        await wait_until(pilot, lambda: question.shown)
        burst(pilot, "n", "w")
        await wait_until(pilot, lambda: "WHISPER" in h.header)
        assert any("cancelled; nothing sent" in line for line in h.log_lines)

    drive(h, steps)


def test_a_key_typed_behind_the_escape_that_closes_the_shift_summary_acts_on_the_list(make_app):
    h = make_app(demo=True)

    async def steps(pilot: Pilot[None]) -> None:
        await on_the_list(pilot, h)
        await press_for_screen(pilot, "f6", ShiftSummaryScreen)
        burst(pilot, "escape", "s")
        await wait_until(pilot, lambda: "SPY" in h.header and "not on a call" not in h.header)

    drive(h, steps)
