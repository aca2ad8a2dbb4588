"""Keys typed in one burst behind the key that closes a question or a dialog reach the console, in order.

A key a screen binds is acted on only when it has bubbled back up to the app, behind any key already waiting
there: typed in one burst, `n w` on the barge question cancelled it and lost the w to the closing question. The
keys are posted together here, as a terminal delivers a burst read in one go. The answers that send or end
something act as they are read too, once they have passed the check that they came after the question."""

from __future__ import annotations

from textual.pilot import Pilot

from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen
from queuetui.tui.screens.hang_up import HangUpScreen
from queuetui.tui.screens.shift_summary import ShiftSummaryScreen
from queuetui.tui.widgets.live_calls import LiveCallsTable
from tui.conftest import Harness, burst, drive, press_for_screen, rows_seen, wait_until


async def on_the_list(pilot: Pilot[None], h: Harness) -> None:
    table = h.console.query_one(LiveCallsTable)
    await wait_until(pilot, lambda: bool(table.shown))
    table.focus()
    await rows_seen(pilot)


async def barge_question_on_screen(pilot: Pilot[None], h: Harness) -> None:
    """The barge question for the highlighted call, drawn: an answer typed now counts."""
    await on_the_list(pilot, h)
    question = await press_for_screen(pilot, "b", ConfirmBargeScreen)
    await wait_until(pilot, lambda: question.shown)


def test_a_key_typed_behind_the_cancel_of_the_barge_question_acts_on_the_list(make_app):
    h = make_app(demo=True)

    async def steps(pilot: Pilot[None]) -> None:
        await barge_question_on_screen(pilot, h)
        burst(h, ("n", "n"), ("w", "w"))
        await wait_until(pilot, lambda: "WHISPER" in h.header)
        assert any("cancelled; nothing sent" in line for line in h.log_lines)

    drive(h, steps)


def test_a_key_typed_behind_the_escape_that_closes_the_shift_summary_acts_on_the_list(make_app):
    h = make_app(demo=True)

    async def steps(pilot: Pilot[None]) -> None:
        await on_the_list(pilot, h)
        await press_for_screen(pilot, "f6", ShiftSummaryScreen)
        burst(h, ("escape", None), ("s", "s"))
        await wait_until(pilot, lambda: "SPY" in h.header and "not on a call" not in h.header)

    drive(h, steps)


def test_a_key_typed_behind_the_yes_of_the_barge_question_acts_once_the_barge_is_sent(make_app):
    h = make_app(demo=True)

    async def steps(pilot: Pilot[None]) -> None:
        await barge_question_on_screen(pilot, h)
        burst(h, ("y", "y"), ("f6", None))
        await wait_until(pilot, lambda: isinstance(h.app.screen, ShiftSummaryScreen))
        await wait_until(pilot, lambda: "BARGE" in h.header)

    drive(h, steps)


def test_a_key_typed_behind_the_answer_to_which_call_was_hung_up_acts_on_the_list(make_app):
    h = make_app(demo=True)

    async def steps(pilot: Pilot[None]) -> None:
        await on_the_list(pilot, h)
        await pilot.press("s")
        await wait_until(pilot, lambda: "ON " in h.header and "SPY" in h.header)
        await pilot.press("down")
        await pilot.press("s")
        await wait_until(pilot, lambda: "+1" in h.header)  # the first spy may still be on the phone
        question = await press_for_screen(pilot, "f5", HangUpScreen)
        await wait_until(pilot, lambda: question.shown)
        burst(h, ("a", "a"), ("s", "s"))  # all of them hung up; then a spy again on the row under the cursor
        await wait_until(pilot, lambda: "ON " in h.header and "+1" not in h.header)
        assert h.app.session is not None and len(h.app.session.monitoring.legs) == 1

    drive(h, steps)
