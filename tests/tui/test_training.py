"""The training room in the console: every tour step finished by what really happened, Esc leaves the tour,
"Reset the demo", the key caster (secrets as bullets), and a demo slow enough to see a request in flight."""

from __future__ import annotations

from helpers import outcome_records
from textual.widgets._toast import Toast

from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen
from queuetui.tui.screens.hang_up import HangUpScreen
from queuetui.tui.screens.login import LoginScreen
from queuetui.tui.screens.shift_summary import ShiftSummaryScreen
from queuetui.tui.widgets.key_caster import KeyCaster
from queuetui.tui.widgets.live_calls import LiveCallsTable
from queuetui.tui.widgets.sessions_table import SessionsTable
from tui.conftest import drive, fill, fill_form, press_for_screen, screen_text, settle, wait_until


def tour_line(pilot) -> str:
    panel = pilot.app.console_screen.query_one("#tour")
    return str(panel.render()) if panel.display else ""


async def on_the_list(pilot) -> None:
    table = pilot.app.console_screen.query_one(LiveCallsTable)
    await wait_until(pilot, lambda: bool(table.shown))
    pilot.app.console_screen.set_focus(table)
    await pilot.pause()


async def step_done(pilot, number: int) -> None:
    await wait_until(pilot, lambda: tour_line(pilot).startswith(f"Tour {number}/8"))


def test_every_tour_step_is_finished_by_what_really_happened(make_app):
    h = make_app(demo=True, tour=True)

    async def steps(pilot):
        await on_the_list(pilot)
        assert tour_line(pilot).startswith("Tour 1/8  Spy on a call from the list")
        await pilot.press("n", "y")  # keys alone finish nothing: no dialog is open
        assert tour_line(pilot).startswith("Tour 1/8")
        await pilot.press("s")  # 1: spy from the list
        await settle(pilot)
        await step_done(pilot, 2)
        await pilot.press("w")  # 2: the same call, now whisper
        await settle(pilot)
        await step_done(pilot, 3)
        await press_for_screen(pilot, "b", ConfirmBargeScreen)
        await pilot.press("n")  # 3: barge, cancelled
        await step_done(pilot, 4)
        await press_for_screen(pilot, "b", ConfirmBargeScreen)
        await pilot.press("y")  # 4: barge, confirmed
        await settle(pilot)
        await step_done(pilot, 5)
        await pilot.press("slash", *"C-10050", "enter", "s")  # 5: a busy call, retried until it connects
        await settle(pilot)
        await step_done(pilot, 6)
        await fill_form(pilot, "C-10017", "99")  # 6: a wrong agent...
        await pilot.press("enter")
        await settle(pilot)
        assert tour_line(pilot).startswith("Tour 6/8")
        await fill(pilot, "#target-value", "7")  # ... corrected
        await pilot.press("enter")
        await settle(pilot)
        await step_done(pilot, 7)
        await press_for_screen(pilot, "f5", HangUpScreen)  # 7: I hung up, with legs left to the phone: which?
        await pilot.press("end")  # all of them
        await pilot.press("enter")
        await step_done(pilot, 8)
        await press_for_screen(pilot, "f6", ShiftSummaryScreen)  # 8: the shift's records
        await wait_until(pilot, lambda: "Tour done" in tour_line(pilot))

    drive(h, steps)


def test_the_tour_names_the_keys_the_keymap_gives_and_following_it_sends_what_it_says(
    make_app, write_config, audit_path
):
    write_config(
        '[keymap]\n"floor.spy" = "w"\n"floor.whisper" = "s"\n"console.hung_up" = "f8"\n"confirm.barge" = "x"\n'
    )
    h = make_app(demo=True, tour=True)
    texts: list[str] = []

    async def steps(pilot):
        await on_the_list(pilot)
        texts.append(tour_line(pilot))
        await pilot.press("w")  # step 1 says: then w
        await settle(pilot)
        await step_done(pilot, 2)
        texts.append(tour_line(pilot))
        await pilot.press("s")  # step 2 says: s on the same row
        await settle(pilot)
        await step_done(pilot, 3)
        await pilot.press("escape")
        pilot.app.start_tour()  # from the palette: the same keys
        await pilot.pause()
        for _ in range(6):
            pilot.app.console_screen.tour_guide.tour.index += 1  # on to the last steps' texts
            texts.append(pilot.app.console_screen.tour_guide.tour.text)

    drive(h, steps)
    assert "press /, type C-10023, Enter, then w. Nobody hears you." in texts[0]
    assert "s on the same row (or f3 or ^t then Enter in the form)" in texts[1]
    assert "then n or esc. Nothing is sent." in texts[3]
    assert "b on a row, then x. The agent" in texts[4]
    assert "tell queuetui with f8; asked which call, pick All of them. The top line clears." in texts[7]
    assert [record["mode"] for record in outcome_records(audit_path)] == ["spy", "whisper"]


def test_escape_leaves_the_tour_and_the_palette_brings_it_back(make_app):
    h = make_app(demo=True, tour=True)

    async def steps(pilot):
        await on_the_list(pilot)
        assert tour_line(pilot).startswith("Tour 1/8")
        await pilot.press("escape")
        assert tour_line(pilot) == ""
        pilot.app.start_tour()
        await pilot.pause()
        assert tour_line(pilot).startswith("Tour 1/8")

    drive(h, steps)


def test_reset_the_demo_empties_the_log_and_sessions_and_ends_the_live_call(make_app):
    h = make_app(demo=True)

    async def steps(pilot):
        await on_the_list(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert len(h.sessions.entries) == 1 and pilot.app.session.monitoring.current is not None
        pilot.app.reset_demo()
        await pilot.pause()
        assert h.sessions.entries == []
        assert pilot.app.session.monitoring.current is None
        assert h.log_lines[-1].endswith("Demo reset: log, sessions and calls start again")
        assert len(h.log_lines) == 1
        assert "\u25cb not on a call" in h.header

    drive(h, steps)


def test_the_key_caster_shows_keys_and_never_a_secret(make_app):
    h = make_app(demo=True, show_keys=True)

    async def steps(pilot):
        await on_the_list(pilot)
        caster = pilot.app.console_screen.query_one(KeyCaster)
        await pilot.press("slash", *"C-1", "enter")
        assert str(caster.render()).endswith("/C-1 \u23ce")
        pilot.app.sign_out()
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen))
        pilot.app.screen.set_focus(pilot.app.screen.query_one("#ssid"))
        await pilot.pause()
        await pilot.press(*"hunter2")
        assert "hunter2" not in str(caster.render())
        assert str(caster.render()).endswith("\u2022" * 7)

    drive(h, steps)


def test_keys_are_not_shown_unless_asked(make_app):
    h = make_app(demo=True)

    async def steps(pilot):
        await on_the_list(pilot)
        await pilot.press("slash", *"C-1")
        assert not pilot.app.console_screen.query_one(KeyCaster).display

    drive(h, steps)


def test_the_demo_is_slow_enough_to_see_a_request_in_flight(make_app, monkeypatch):
    monkeypatch.setenv("QUEUETUI_DEMO_LATENCY", "0.6")
    h = make_app(demo=True)

    async def steps(pilot):
        await on_the_list(pilot)
        await pilot.press("s")
        console = pilot.app.console_screen
        await wait_until(pilot, lambda: "C-10023" in console.in_flight)
        await wait_until(pilot, lambda: "sending C-10023" in str(console.query_one("#send-status").render()))
        assert console.query_one(SessionsTable).entries == []  # no answer yet
        await settle(pilot)
        assert console.in_flight == frozenset()

    drive(h, steps)


def overlaps(first, second) -> bool:
    return bool(first.region.intersection(second.region))


def test_notices_never_cover_the_tour_step(make_app):
    h = make_app(demo=True, tour=True)

    async def steps(pilot):
        panel = h.console.query_one("#tour")
        await on_the_list(pilot)
        await pilot.press("s")  # a success notice
        await settle(pilot)
        await step_done(pilot, 2)
        await fill_form(pilot, "C-10017", "99")  # an error notice (1502), the step's text still to read
        await pilot.press("enter")
        await settle(pilot)
        toasts = list(pilot.app.screen.query(Toast))
        assert len(toasts) == 1, "one notice at a time during the tour, and one there: else the check proves nothing"
        await pilot.pause()
        assert [toast for toast in toasts if overlaps(toast, panel)] == []
        await pilot.press("escape")  # the tour over, notices go back where they were: at the bottom
        await pilot.pause()
        rack = pilot.app.screen.query_one("#textual-toastrack")
        assert not rack.has_class("-above-tour")

    drive(h, steps, size=(142, 40))  # a 1280x800 page at the default font


def test_reset_the_demo_clears_the_notices(make_app):
    h = make_app(demo=True)

    async def steps(pilot):
        await on_the_list(pilot)
        await fill_form(pilot, "C-10017", "99")
        await pilot.press("enter")
        await settle(pilot)
        assert "Agent 99 is not on C-10017" in screen_text(pilot.app)  # the 1502's notice (and its log line)
        pilot.app.reset_demo()
        await wait_until(pilot, lambda: "Agent 99 is not on C-10017" not in screen_text(pilot.app))
        assert len(list(pilot.app.screen.query(Toast))) == 1  # the reset's own
        assert h.log_lines[-1].endswith("Demo reset: log, sessions and calls start again")

    drive(h, steps)
