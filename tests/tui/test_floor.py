"""The live floor in the console, on a fixed list from a `command` source and a clock that stands still: the
filter, the cursor that follows its call across refreshes, s/w/b from a row, an ended call refused, the stale
marker, the barge re-check, and pictures at 80x24 and 120x36."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import outcome_records
from rich.cells import cell_len
from textual import events
from textual.coordinate import Coordinate
from textual.widgets import Input

from queuetui.core.floor.calls import LiveCall
from queuetui.sim import DEMO_SSID
from queuetui.sim.scenario import LiveCall as ScriptedCall
from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen
from queuetui.tui.widgets.floor_panel import FloorPanel
from queuetui.tui.widgets.live_calls import COLUMNS, REACTION_S, LiveCallsTable
from tui.conftest import burst, drive, press_for_screen, rows_seen, screen_text, settle, started, wait_until

NOW = 1_767_600_000.0
CALLS = [
    {"callId": "C-10023", "masterAgent": 13, "agentName": "Asha", "cNumber": "+919800011023", "campId": "billing",
     "state": "talking", "startTime": NOW - 252},
    {"callId": "C-10017", "masterAgent": "7", "agentName": "Ben", "cNumber": "+919800011017", "campId": "support",
     "state": "talking", "startTime": NOW - 63},
    {"callId": "C-10031", "masterAgent": "21", "agentName": "Chen", "cNumber": "+919800011031", "campId": "sales",
     "state": "ringing", "startTime": NOW - 5},
]  # fmt: skip


class StillClock:
    """The floor's clock, standing still: ages and durations come out the same on every run."""

    def monotonic(self) -> float:
        return 1000.0

    def time(self) -> float:
        return NOW


@pytest.fixture
def floor_file(tmp_path: Path) -> Path:
    path = tmp_path / "floor.json"
    path.write_text(json.dumps({"calls": CALLS}))
    return path


@pytest.fixture
def floor_app(make_app, write_config, sim, floor_file, monkeypatch):
    """Signed in to the simulator, with the live list read by a program from `floor_file`."""
    script = floor_file.parent / "floor.py"
    script.write_text(f"import sys; sys.stdout.write(open({str(floor_file)!r}).read())\n")
    write_config(
        f'[profiles.floor]\nbase_url = "{sim.url}"\nsnooper_number = "9876543210"\n'
        "[profiles.floor.live_calls]\n"
        f'source = "command"\ncommand = [{json.dumps(sys.executable)}, {json.dumps(str(script))}]\nrefresh_s = 1\n'
        '[profiles.floor.live_calls.fields]\nagent_name = "/agentName"\nstate = "/state"\nstarted_at = "/startTime"\n'
    )
    monkeypatch.setenv("QUEUETUI_SSID", DEMO_SSID)

    def build(**options):
        options.setdefault("floor_clock", StillClock())
        return make_app(**options)

    return build


@pytest.fixture
def pictured_app(floor_app):
    """For pictures: a fixed base URL instead of the simulator's port, which changes from run to run."""

    def build():
        return floor_app(base_url="https://deepcall.example/api/v2")

    return build


async def on_the_floor(pilot, rows: int = len(CALLS)) -> None:
    await started(pilot)
    await pilot.press("enter")  # sign in with the secret from the environment
    table = pilot.app.console_screen.query_one(LiveCallsTable)
    await wait_until(pilot, lambda: len(table.shown) == rows)
    await rows_seen(pilot)


def table_of(pilot) -> LiveCallsTable:
    return pilot.app.console_screen.query_one(LiveCallsTable)


def test_filter_then_s_spies_on_the_highlighted_call_with_its_agent(floor_app, sim):
    h = floor_app()

    async def steps(pilot):
        await on_the_floor(pilot)
        assert pilot.app.focused is table_of(pilot)
        await pilot.press("slash", *"ben", "enter")
        assert table_of(pilot).highlighted.call_id == "C-10017"
        await pilot.press("s")
        await settle(pilot)

    drive(h, steps)
    sent = sim.received[-1].parsed
    assert (sent["callId"], sent["snoopType"], sent["targetEntityVal"]) == ("C-10017", "spy", "7")


def test_keys_behind_a_filter_typed_in_one_burst_meet_the_list_it_filtered(floor_app, sim, monkeypatch):
    # The list is filtered after the frame that echoes the key: the keys behind it in the burst must still meet
    # the filtered list, so Tab then `s` spy on the one call the filter left, not on the row the cursor was on.
    h = floor_app()

    async def steps(pilot):
        await on_the_floor(pilot)
        assert table_of(pilot).highlighted.call_id == "C-10023"
        # A terminal far away: the keys are all routed before the echo's frame is drawn, so the filtering that
        # waits for that frame has not happened by itself when Tab and `s` come.
        panel = pilot.app.console_screen.query_one(FloorPanel)
        monkeypatch.setattr(panel, "call_after_refresh", lambda callback: True)
        burst(h, ("slash", "/"), *((char, char) for char in "chen"), ("tab", None), ("s", "s"))
        await settle(pilot)
        assert pilot.app.focused is table_of(pilot)

    drive(h, steps)
    sent = sim.received[-1].parsed
    assert (sent["callId"], sent["snoopType"]) == ("C-10031", "spy")


def test_esc_in_the_filter_empties_it_and_keys_behind_it_act_on_the_call_picked_before_the_filter(floor_app, sim):
    # The filter moved the cursor to the one call it left (C-10031); Esc cancels it: the list whole again, back on
    # the call the supervisor had moved to, and the `s` typed behind the Esc in the same burst spies on that one.
    h = floor_app()

    async def steps(pilot):
        await on_the_floor(pilot)
        await pilot.press("down")
        assert table_of(pilot).highlighted.call_id == "C-10017"
        burst(h, ("slash", "/"), *((char, char) for char in "chen"), ("escape", None), ("s", "s"))
        await settle(pilot)
        assert pilot.app.focused is table_of(pilot)
        assert pilot.app.console_screen.query_one("#filter", Input).value == ""
        assert len(table_of(pilot).shown) == len(CALLS)

    drive(h, steps)
    sent = sim.received[-1].parsed
    assert (sent["callId"], sent["snoopType"]) == ("C-10017", "spy")


def test_a_spy_from_the_list_leaves_the_snooper_number_shown_as_it_was_sent(floor_app, sim):
    h = floor_app()

    async def steps(pilot):
        await on_the_floor(pilot)
        pilot.app.console_screen.query_one("#snooper", Input).value = "98765 43-210"
        await pilot.press("s")
        await settle(pilot)
        assert pilot.app.console_screen.query_one("#snooper", Input).value == "9876543210"

    drive(h, steps)
    assert sim.received[-1].parsed["snooperNumber"] == "9876543210"


def test_numeric_agent_ids_are_sent_as_text_and_the_customer_shows_only_four_digits(floor_app, sim):
    h = floor_app()

    async def steps(pilot):
        await on_the_floor(pilot)
        table = table_of(pilot)
        assert table.cell_text(0, 3) == "1023"
        assert "919800011023" not in "".join(table.line(row) or "" for row in range(len(table.shown)))
        await pilot.press("w")
        await settle(pilot)

    drive(h, steps)
    assert sim.received[-1].parsed["targetEntityVal"] == "13"
    assert sim.received[-1].parsed["snoopType"] == "whisper"


def test_the_cursor_follows_its_call_across_refreshes(floor_app, floor_file):
    h = floor_app(floor_clock=None)  # the real clock, so the poller refreshes every second

    async def steps(pilot):
        await on_the_floor(pilot)
        table = table_of(pilot)
        await pilot.press("down", "down")
        assert table.highlighted.call_id == "C-10031"
        # The next list comes in another order, a new call first: it joins at the end, and no row moves.
        floor_file.write_text(json.dumps({"calls": [{**CALLS[0], "callId": "C-10099"}, *reversed(CALLS)]}))
        await wait_until(pilot, lambda: len(table.shown) == 4, timeout=5)
        assert [call.call_id for call in table.shown] == ["C-10023", "C-10017", "C-10031", "C-10099"]
        assert table.highlighted.call_id == "C-10031"
        assert table.cursor_row == 2

    drive(h, steps)


def test_an_ended_call_is_shown_ended_and_an_action_on_it_is_refused(floor_app, floor_file, sim):
    h = floor_app(floor_clock=None)

    async def steps(pilot):
        await on_the_floor(pilot)
        table = table_of(pilot)
        assert table.highlighted.call_id == "C-10023"
        floor_file.write_text(json.dumps({"calls": CALLS[1:]}))  # C-10023 has ended
        await wait_until(pilot, lambda: table.shown[0].ended, timeout=5)
        # It stays where it was, marked, and the cursor stays on it.
        assert table.highlighted.call_id == "C-10023"
        assert (table.line(table.cursor_row) or "").startswith("\u00d7 C-10023")
        await pilot.press("s")
        await settle(pilot)
        assert any("SPY not sent: C-10023 has ended" in line for line in h.log_lines)

    drive(h, steps)
    assert sim.request_count == 0


def test_the_list_is_marked_stale_after_three_missed_refreshes(floor_app, floor_file):
    h = floor_app(floor_clock=None)

    async def steps(pilot):
        await on_the_floor(pilot)
        floor_file.write_text("not json")
        floor = pilot.app.console_screen.query_one("#floor")
        await wait_until(pilot, lambda: floor.has_class("-stale"), timeout=20)
        assert "STALE" in str(floor.border_subtitle)
        assert len(table_of(pilot).shown) == len(CALLS)  # the last good list stays on screen

    drive(h, steps)


def test_a_barge_on_a_call_that_ended_since_the_last_refresh_is_not_sent(floor_app, floor_file, sim):
    h = floor_app(floor_clock=None)

    async def steps(pilot):
        await on_the_floor(pilot)
        # The call ends. Past one refresh period, the list on screen is either older than the period (so the
        # barge fetches a fresh one first) or already shows the call ended: never fresh with the call live.
        floor_file.write_text(json.dumps({"calls": CALLS[1:]}))
        floor = h.console.session.floor
        await wait_until(
            pilot,
            lambda: floor.snapshot.age_s(floor.now()) > floor.refresh_s or not floor.snapshot.is_live("C-10023"),
        )
        await pilot.press("b")
        await settle(pilot)
        if isinstance(pilot.app.screen, ConfirmBargeScreen):  # the list on screen did not show it ended yet
            await pilot.press("y")
            await settle(pilot)
        # Refused either by the re-check before sending, or (if a refresh came first) as an ended call.
        await wait_until(
            pilot, lambda: any("Barge not sent" in line or "has ended" in line for line in h.log_lines), timeout=15
        )

    drive(h, steps)
    assert sim.request_count == 0


def test_a_call_that_moved_to_another_agent_behind_the_question_is_not_barged_and_the_question_comes_back(
    floor_app, floor_file, sim
):
    h = floor_app(floor_clock=None)

    async def steps(pilot):
        await on_the_floor(pilot)
        first = await press_for_screen(pilot, "b", ConfirmBargeScreen)
        assert first.request.target_entity_val == "13"
        # Behind the question, C-10023 moves to agent 21; the list on screen grows older than its period.
        floor_file.write_text(json.dumps({"calls": [{**CALLS[0], "masterAgent": 21}, *CALLS[1:]]}))
        floor = h.console.session.floor
        await wait_until(pilot, lambda: floor.snapshot.age_s(floor.now()) > floor.refresh_s)
        await pilot.press("y")
        await wait_until(
            pilot, lambda: isinstance(pilot.app.screen, ConfirmBargeScreen) and pilot.app.screen is not first
        )
        again = pilot.app.screen
        assert again.request.target_entity_val == "21"
        assert "agent 21" in str(again.query_one("#confirm-body").render())
        assert sim.request_count == 0
        assert any("C-10023 is now with agent 21, not 13" in line for line in h.log_lines)
        await pilot.press("n")
        await settle(pilot)

    drive(h, steps)
    assert sim.request_count == 0


def test_a_second_enter_behind_the_one_that_copied_a_row_sends_nothing(floor_app, sim):
    h = floor_app()

    async def steps(pilot):
        await on_the_floor(pilot)
        burst(h, ("f3", None), ("down", None), ("enter", "\r"), ("enter", "\r"))  # whisper, 2nd call, copy, Enter
        await settle(pilot)
        assert pilot.app.focused is table_of(pilot)
        assert h.field("#call-id").value == CALLS[1]["callId"]
        assert h.field("#target-value").value == "7"

    drive(h, steps)
    assert sim.request_count == 0


@pytest.mark.parametrize(("phone", "next_field"), [("", "snooper"), ("9876543210", "call-id")])
def test_tab_after_a_copy_goes_to_what_is_left_to_fill(floor_app, sim, phone, next_field):
    h = floor_app()

    async def steps(pilot):
        await on_the_floor(pilot)
        h.field("#snooper").value = phone
        await pilot.press("enter", "tab")
        assert pilot.app.focused is h.field(f"#{next_field}")

    drive(h, steps)
    assert sim.request_count == 0


def test_tab_from_the_list_with_an_empty_form_goes_to_call(floor_app):
    h = floor_app()

    async def steps(pilot):
        await on_the_floor(pilot)
        assert isinstance(pilot.app.focused, LiveCallsTable)
        await pilot.press("tab")
        assert pilot.app.focused is h.field("#call-id")

    drive(h, steps)


def test_notices_after_quick_actions_cover_neither_the_top_line_the_live_list_nor_the_sessions_at_80x24(floor_app, sim):
    h = floor_app()
    seen: dict[str, list[str]] = {}

    async def steps(pilot):
        await on_the_floor(pilot)
        # Four actions, each with its notice; each answered before the next, as the second acts on the same call
        # and one still on its way there would refuse it.
        for keys in (["s"], ["w"], ["down", "s"], ["down", "w"]):
            await pilot.press(*keys)
            await settle(pilot)
        await wait_until(pilot, lambda: len(h.toasts.shown) >= 4)
        seen["with notices"] = screen_text(pilot.app).splitlines()
        pilot.app.clear_notifications()
        await pilot.pause()
        seen["without"] = screen_text(pilot.app).splitlines()

    drive(h, steps)
    assert sim.request_count == 4
    with_notices, without = seen["with notices"], seen["without"]
    # The top line, and the live list and the form (their frames end on row 11), its highlighted row among them.
    assert with_notices[:12] == without[:12]
    sessions_width = 38  # the sessions list's frame at 80 columns, its LIVE row among them
    assert [row[-sessions_width:] for row in with_notices[12:]] == [row[-sessions_width:] for row in without[12:]]
    assert with_notices != without  # the notices were on screen, over the log


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_the_floor_matches_the_approved_picture(snap_compare, pictured_app, size):
    app = pictured_app().app
    assert snap_compare(app, terminal_size=size, run_before=on_the_floor)


def test_s_with_no_call_highlighted_says_nothing_was_sent(floor_app, sim):
    h = floor_app()

    async def steps(pilot):
        await on_the_floor(pilot)
        await pilot.press("slash", *"nobody-by-this-name", "enter")
        assert table_of(pilot).highlighted is None
        await pilot.press("s")
        await pilot.pause()

    drive(h, steps)
    assert "SPY not sent: no call is highlighted in the live list" in h.toasts.of("warning")
    assert sim.request_count == 0


def test_w_before_the_first_list_has_loaded_says_nothing_was_sent(floor_app, floor_file, sim):
    # A source whose first list never comes while the test runs: the w typed has no call under it.
    (floor_file.parent / "floor.py").write_text("import signal; signal.pause()\n")
    h = floor_app()

    async def steps(pilot):
        await started(pilot)
        await pilot.press("enter")  # sign in with the secret from the environment
        await wait_until(pilot, lambda: pilot.app.focused is table_of(pilot))
        await pilot.press("w")
        await pilot.pause()

    drive(h, steps)
    assert "WHISPER not sent: the live list has not loaded yet" in h.toasts.of("warning")
    assert sim.request_count == 0


def big_floor(count: int) -> list[dict[str, object]]:
    return [
        {"callId": f"C-{30000 + n}", "masterAgent": str(100 + n), "cNumber": "+919800011023", "campId": "sales",
         "state": "talking", "startTime": NOW - n}
        for n in range(count)
    ]  # fmt: skip


def test_on_a_floor_over_the_row_cap_the_highlighted_call_that_ends_stays_highlighted_and_refused(
    floor_app, floor_file, sim
):
    # 600 calls, 500 rows: the last row's call ends and a new one comes. It used to fall out of the table with
    # the cursor landing on the next call; it stays, ended, under the cursor, past the poller's 5 s linger too.
    floor = big_floor(600)
    floor_file.write_text(json.dumps({"calls": floor}))
    h = floor_app(floor_clock=None)

    async def steps(pilot):
        await on_the_floor(pilot, 500)
        table = table_of(pilot)
        await pilot.press("end")
        last = table.highlighted.call_id
        assert last == "C-30499"
        gone = [call for call in floor if call["callId"] != last]
        floor_file.write_text(json.dumps({"calls": [{**floor[0], "callId": "C-39999"}, *gone]}))
        poller = pilot.app.session.floor
        await wait_until(pilot, lambda: table.highlighted.ended, timeout=5)
        await wait_until(pilot, lambda: poller.snapshot.find(last) is None and table.snapshot is poller.snapshot, 10)
        assert (table.highlighted.call_id, table.cursor_row) == (last, 499)
        await pilot.press("s")
        await settle(pilot)
        assert "SPY not sent: C-30499 has ended" in h.toasts.of("warning")
        await pilot.press("r")  # tidying keeps the call under the cursor until it moves
        assert table.highlighted.call_id == last
        await pilot.press("up", "r")
        assert table.highlighted.call_id == "C-30498"
        assert last not in {call.call_id for call in table.shown}

    drive(h, steps)
    assert sim.request_count == 0


def test_long_ids_emoji_and_wide_names_stay_in_their_columns_and_act_with_the_whole_id(floor_app, floor_file, sim):
    long_id = "20260107101500-" + "7" * 40 + "-0042"
    twin = "20260107101500-" + "7" * 40 + "-0043"
    wide = [
        {**CALLS[0], "callId": long_id, "agentName": "\U0001f600\U0001f600\U0001f600\U0001f600 Asha"},
        {**CALLS[1], "callId": twin, "agentName": "\u674e\u660e\u674e\u660e\u674e\u660e", "campId": "\u6570\u636e"},
    ]
    floor_file.write_text(json.dumps({"calls": wide}))
    h = floor_app()

    async def steps(pilot):
        await on_the_floor(pilot, 2)
        table = table_of(pilot)
        assert table.cell_text(0, 1) != table.cell_text(1, 1)  # shortened in the middle: the tails differ
        assert table.cell_text(0, 1).endswith("42") and table.cell_text(1, 1).endswith("43")
        for row in range(2):
            assert [cell_len(cell) for cell in table.cells(row)] == [width for _, width in COLUMNS]
        await pilot.press("down", "s")
        await settle(pilot)

    drive(h, steps)
    assert sim.received[-1].parsed["callId"] == twin


def test_a_repeated_id_is_reported_once_and_a_long_id_is_copied_whole(floor_app, floor_file):
    long_id = "20260107101500-" + "7" * 60 + "-0042"
    repeated = [*CALLS, {**CALLS[0], "masterAgent": "21"}, {**CALLS[0], "callId": long_id}]
    floor_file.write_text(json.dumps({"calls": repeated}))
    h = floor_app(floor_clock=None)

    async def steps(pilot):
        await on_the_floor(pilot, 4)
        table = table_of(pilot)
        poller = pilot.app.session.floor
        first = poller.snapshot
        await wait_until(pilot, lambda: poller.snapshot is not first and table.snapshot is poller.snapshot, 5)
        await pilot.press("end", "enter")
        assert h.console.query_one("#call-id", Input).value == long_id
        assert table.cell_text(3, 1) == "202\u2026042"

    drive(h, steps)
    assert h.toasts.of("warning") == ["The live list names C-10023 more than once: the first one is shown"]


def test_a_row_a_refresh_adds_is_reached_only_by_keys_typed_a_reaction_time_after_the_frame_that_shows_it(
    floor_app,
):
    # End, Page Down and Down on the last row typed against a screen without the new last row, or in the instant
    # after the frame that shows it (the terminal may not show it yet), stay on the last row the screen showed.
    h = floor_app()

    async def steps(pilot):
        await on_the_floor(pilot)
        table = table_of(pilot)
        snapshot = table.snapshot
        added = LiveCall("C-10099", agent="9")
        newer = replace(
            snapshot, calls=(*snapshot.calls, added), refreshed_at=1001.0, number=snapshot.number + 1, changed=(added,)
        )
        table.show(newer)  # as a refresh would, with the keys below already in the queue
        burst(h, ("end", None), ("down", None), ("pagedown", None))
        await settle(pilot)
        assert table.highlighted.call_id == "C-10031"
        screen_text(h.app)  # the frame that shows it
        for key in ("end", "down", "pagedown"):
            typed = events.Key(key, None)
            typed.time = table.all_reachable_from() - REACTION_S / 10
            h.app.post_message(typed)
        await settle(pilot)
        assert table.highlighted.call_id == "C-10031"
        await rows_seen(pilot)
        await pilot.press("end")
        assert table.highlighted.call_id == "C-10099"

    drive(h, steps)


# A composite id past the old 64-character bound, and two that share their first 63 characters.
LONG_ID = "20260107101500-" + "7" * 50 + "-0042"
PREFIX = "Q" + "5" * 62
TWINS = (PREFIX + "1", PREFIX + "2")


def test_ids_past_64_characters_are_read_whole_on_screen_and_acted_on_whole(
    floor_app, floor_file, sim, audit_path, monkeypatch
):
    ids = (LONG_ID, *TWINS)
    floor_file.write_text(json.dumps({"calls": [{**CALLS[0], "callId": call_id} for call_id in ids]}))
    for call_id in ids:  # the simulator knows them: the spies succeed, and the top line shows the live one
        monkeypatch.setitem(sim.scenario.calls, call_id, ScriptedCall(call_id, "13", "billing", "+919800011023"))
    h = floor_app()
    seen: dict[str, tuple[str, str, str]] = {}

    async def steps(pilot):
        await on_the_floor(pilot, 3)
        table = table_of(pilot)
        assert len({table.cell_text(row, 1) for row in range(3)}) == 3  # shortened in the middle, never alike
        detail = h.console.query_one("#floor-detail")
        for row, call_id in enumerate(ids):
            if row:
                await pilot.press("down")
            await pilot.press("s")
            await settle(pilot)
            await wait_until(pilot, lambda: h.app.session.monitoring.current.call_id == call_id)  # noqa: B023
            text = screen_text(h.app)
            area = detail.content_region  # what a notice leaves uncovered
            shown = "".join(row[area.x : area.right].strip() for row in text.splitlines()[area.y : area.bottom])
            seen[call_id] = (shown, text.splitlines()[0], table.cell_text(row, 1))
        sessions = h.sessions
        assert len({str(sessions.get_cell_at(Coordinate(row, 1))) for row in range(3)}) == 3  # alike, cut at the end

    drive(h, steps)
    assert [r.parsed["callId"] for r in sim.received] == list(ids)
    assert [r["call_id"] for r in outcome_records(audit_path)] == list(ids)
    for call_id, (detail_line, top, cell) in seen.items():
        assert detail_line == f"Call{call_id}"  # whole on lines of its own under the list, at 80 columns
        head, _, tail = top.split()[1].partition("\u2026")  # the top line: the id shortened in the middle
        assert call_id.startswith(head) and call_id.endswith(tail) and len(tail) >= len(head)
        assert cell.endswith(call_id[-3:])


class MovedClock(StillClock):
    """The floor's clock, still until the test moves it on."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


def test_a_spy_from_a_list_that_stopped_answering_says_how_old_it_is_in_its_notice_and_its_record(
    floor_app, sim, audit_path
):
    clock = MovedClock()
    h = floor_app(floor_clock=clock)

    async def steps(pilot):
        await on_the_floor(pilot)
        clock.now += 20  # no list since: the source hangs, so no refresh has failed either
        await pilot.press("s")
        await settle(pilot)

    drive(h, steps)
    caution = "SPY on C-10023 from a stale list (list 20 s old): the call may have moved or ended"
    assert caution in h.toasts.of("warning")
    assert [(r["call_id"], r["outcome"], r["list_age_s"]) for r in outcome_records(audit_path)] == [
        ("C-10023", "ok", 20)
    ]


def test_only_the_rows_on_screen_are_formatted_when_the_list_shows_scrolls_and_is_filtered(
    floor_app, floor_file, monkeypatch
):
    # The console's thread formats the rows the supervisor sees, not the hundreds the table holds: on a floor of
    # thousands refreshing every second, formatting them all held up the keys typed meanwhile.
    from queuetui.tui.widgets import live_calls

    formatted: list[str] = []
    real_row_cells = live_calls.row_cells

    def counted(call, *args, **kwargs):
        formatted.append(call.call_id)
        return real_row_cells(call, *args, **kwargs)

    monkeypatch.setattr(live_calls, "row_cells", counted)
    floor_file.write_text(json.dumps({"calls": big_floor(300)}))
    h = floor_app()

    async def steps(pilot):
        await on_the_floor(pilot, 300)
        table = table_of(pilot)
        on_screen = table.size.height - 1
        assert 0 < len(formatted) <= on_screen
        formatted.clear()
        await pilot.press("end")
        await wait_until(pilot, lambda: table.highlighted is not None and table.highlighted.call_id == "C-30299")
        assert "C-30299" in screen_text(pilot.app)  # formatted as it scrolled into view
        assert 0 < len(formatted) <= on_screen
        formatted.clear()
        await pilot.press("slash", *"c-301")  # a hundred matches, none on screen before
        await wait_until(pilot, lambda: table.filter_text == "c-301")
        assert "C-30199" in screen_text(pilot.app)  # the cursor stays on the last row
        assert 0 < len(formatted) <= on_screen

    drive(h, steps)
