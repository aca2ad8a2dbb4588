"""The console's panels post what the supervisor asks for, and the screen hands it to the session: the call form's
Send posts `CallForm.Submitted` with the fields as they read, the floor panel's list posts `FloorPanel.ActOn` with
the highlighted call and the mode."""

from __future__ import annotations

from queuetui.tui.widgets.call_form import CallForm
from queuetui.tui.widgets.floor_panel import FloorPanel
from queuetui.tui.widgets.live_calls import LiveCallsTable
from tui.conftest import drive, fill_form, rows_seen, settle, signed_in, wait_until


def test_the_call_forms_send_posts_submitted_with_the_fields_and_the_screen_sends_them(make_app, sim):
    h = make_app(base_url=sim.url)
    h.keep = (CallForm.Submitted,)

    async def steps(pilot):
        await signed_in(pilot)
        await fill_form(pilot, "C-10017", "7", snooper="9123456789", mode="whisper")
        await pilot.click("#send")
        await wait_until(pilot, lambda: h.kept != [])
        await settle(pilot)

    drive(h, steps)
    assert [message.fields for message in h.kept] == [
        {
            "callId": "C-10017",
            "snoopType": "whisper",
            "targetEntityType": "agent",
            "targetEntityVal": "7",
            "snooperNumber": "9123456789",
        }
    ]
    sent = sim.received[-1].parsed
    assert (sent["callId"], sent["snoopType"], sent["targetEntityVal"]) == ("C-10017", "whisper", "7")


def test_the_floor_panel_posts_act_on_with_the_highlighted_call_and_the_mode(make_app):
    h = make_app(demo=True)
    h.keep = (FloorPanel.ActOn, FloorPanel.NotActed)

    async def steps(pilot):
        table = h.console.query_one(LiveCallsTable)
        await wait_until(pilot, lambda: table.shown != [])
        await rows_seen(pilot)
        assert h.app.focused is table
        highlighted = table.highlighted
        assert highlighted is not None
        await pilot.press("w")
        await wait_until(pilot, lambda: h.kept != [])
        await settle(pilot)
        assert [(type(m).__name__, m.call.call_id, m.mode.value) for m in h.kept] == [
            ("ActOn", highlighted.call_id, "whisper")
        ]
        sim = h.app.demo_sim
        assert sim is not None
        sent = sim.received[-1].parsed
        assert (sent["callId"], sent["snoopType"], sent["targetEntityVal"]) == (
            highlighted.call_id,
            "whisper",
            highlighted.agent,
        )

    drive(h, steps)
