"""The sessions list: one key re-runs a past action, as it was or in another mode."""

from __future__ import annotations

from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen
from queuetui.tui.screens.console import ConsoleScreen
from tui.conftest import drive, press_for_screen, settle, snoop_types, spy_then_focus_sessions


def test_a_past_action_reruns_as_whisper_again_as_it_was_and_asks_before_barge(make_app, sim):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await spy_then_focus_sessions(pilot, h)

        await pilot.press("w")
        await settle(pilot)
        assert [row.request.snoop_type.value for row in h.sessions.entries] == ["spy", "whisper"]

        await pilot.press("up", "r")  # back to the spy row, and again as it was
        await settle(pilot)

        dialog = await press_for_screen(pilot, "b", ConfirmBargeScreen)
        assert dialog.request.call_id == "C-10023"
        await press_for_screen(pilot, "n", ConsoleScreen)
        await settle(pilot)

    drive(h, steps)
    assert snoop_types(sim) == ["spy", "whisper", "spy"]
    bodies = [r.parsed for r in sim.received]
    assert all(isinstance(b, dict) and (b["callId"], b["targetEntityVal"]) == ("C-10023", "13") for b in bodies)
