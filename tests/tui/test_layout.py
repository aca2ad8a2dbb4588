"""The console works at 80x24 and at 120x36: every screen's key widgets are on screen, whole."""

from __future__ import annotations

import threading

import pytest
from helpers import SNOOPER, Relay
from textual import events
from textual.geometry import Region, Size

from queuetui.api.text import mask_phone
from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.screens.help import HelpScreen
from queuetui.tui.screens.login import LoginScreen
from queuetui.tui.widgets.key_bar import KeyBar
from tui.conftest import (
    barge_dialog,
    drive,
    fill_form,
    press_for_screen,
    screen_text,
    send_call,
    signed_in,
    wait_until,
)

LOGIN_WIDGETS = ("#base-url", "#auth", "#ssid", "#remember", "#sign-in", "#demo")
CONSOLE_WIDGETS = (
    "#status",
    "#call-id",
    "#mode",
    "#target-type",
    "#target-value",
    "#snooper",
    "#send",
    "#sessions",
    "#log",
)
CONFIRM_WIDGETS = ("#confirm-title", "#confirm-body", "#confirm-cancel", "#confirm-yes")


def off_screen(pilot, selectors) -> list[str]:
    """The widgets of the current screen that are missing, empty or cut by the terminal's edge."""
    screen = pilot.app.screen
    terminal = Region(0, 0, *pilot.app.size)
    widgets = [(selector, screen.query_one(selector)) for selector in selectors]
    return [
        selector
        for selector, widget in widgets
        if not widget.display or widget.region.area == 0 or terminal.intersection(widget.region) != widget.region
    ]


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_every_screen_fits_the_terminal(make_app, sim, size):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        assert off_screen(pilot, LOGIN_WIDGETS) == []
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "13")
        assert off_screen(pilot, CONSOLE_WIDGETS) == []
        footer = h.console.query_one(KeyBar)
        assert footer.region.bottom == size[1]
        assert h.app.screen.query("Toast")  # the spy's notice is up, over the log, not over this row
        assert "C-10023 13  SPY     \u25cf LIVE" in screen_text(h.app)  # the sessions row, every column shown

        await barge_dialog(pilot)
        assert off_screen(pilot, CONFIRM_WIDGETS) == []
        await pilot.press("escape")

        await press_for_screen(pilot, "f1", HelpScreen)
        assert off_screen(pilot, ("#help-box",)) == []

    drive(h, steps, size=size)
    assert sim.request_count == 1


@pytest.mark.parametrize(("columns", "expected"), [(80, "-narrow"), (140, "-wide")])
def test_the_console_starts_with_the_width_class_its_first_resize_would_give_it(
    make_app, monkeypatch, columns, expected
):
    # Set before the first layout, the first resize finds the class in place and restyles nothing.
    monkeypatch.setenv("COLUMNS", str(columns))
    h = make_app(demo=True)
    before = {name for name in h.console.classes if name in ("-narrow", "-wide")}
    after: set[str] = set()

    async def steps(pilot) -> None:
        after.update(name for name in h.console.classes if name in ("-narrow", "-wide"))

    drive(h, steps, size=(columns, 30))
    assert before == after == {expected}


def test_only_the_console_takes_a_width_class(make_app):
    # The other screens have no rules for one: taking it at their first resize restyled each of their widgets.
    h = make_app()
    width_classes = {"-narrow", "-wide"}
    seen: dict[str, set[str]] = {}

    async def steps(pilot) -> None:
        seen["sign-in"] = width_classes & pilot.app.screen.classes
        await signed_in(pilot)
        seen["console"] = width_classes & pilot.app.screen.classes
        seen["barge question"] = width_classes & (await barge_dialog(pilot)).classes
        await pilot.press("escape")
        seen["help"] = width_classes & (await press_for_screen(pilot, "f1", HelpScreen)).classes

    drive(h, steps, size=(140, 30))
    assert seen == {"sign-in": set(), "console": {"-wide"}, "barge question": set(), "help": set()}


def test_a_resize_repeating_the_size_it_has_lays_nothing_out_again(make_app, monkeypatch):
    h = make_app(demo=True)
    layouts: list[object] = []

    async def steps(pilot) -> None:
        original = type(h.console)._refresh_layout

        def counting(screen, size=None, scroll=False):
            # A layout for a size; the timer's refreshes of changed widgets (the live list's, say) pass none.
            if size is not None:
                layouts.append(size)
            return original(screen, size, scroll)

        monkeypatch.setattr(type(h.console), "_refresh_layout", counting)
        for _ in range(2):  # the first is laid out unless the start's own one has already come
            layouts.clear()
            h.console.post_message(events.Resize(Size(80, 24), Size(80, 24)))
            await pilot.pause()
        assert layouts == []
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert layouts  # a real change is laid out

    drive(h, steps)


def test_resized_below_another_screen_the_console_takes_a_later_resize_to_its_old_size(make_app):
    # Below the sign-in screen the console is resized without a Resize event: a later one back to the size it
    # had before must not be taken for a repeat.
    h = make_app(demo=True)

    async def steps(pilot) -> None:
        for _ in range(2):
            h.console.post_message(events.Resize(Size(80, 24), Size(80, 24)))
            await pilot.pause()
        h.app.sign_out()
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen))
        await pilot.resize_terminal(140, 36)
        await pilot.pause()
        await press_for_screen(pilot, "f9", ConsoleScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert h.console.query_one("#log").region.right <= 80
        assert off_screen(pilot, CONSOLE_WIDGETS) == []

    drive(h, steps, size=(80, 24))


@pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=["60x20", "80x24"])
def test_the_barge_question_is_never_covered_by_the_notices_before_it(make_app, sim, size):
    # The notices of the spy and whisper just sent would sit over the dialog at the bottom right, hiding who will
    # hear you, the phone DeepCall rings and the Barge button. What they said stays in the log.
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "13")
        await send_call(pilot, "C-10017", "7", mode="whisper")
        assert h.toasts.shown
        await barge_dialog(pilot, "C-10031", "21")
        await pilot.pause()
        shown = screen_text(h.app)
        for words in ("THE CUSTOMER will hear you.", f"will ring {mask_phone(SNOOPER)}.", "Barge (audible)"):
            assert words in shown
        await pilot.press("escape")

    drive(h, steps, size=size)
    assert sim.request_count == 2


def test_notices_that_come_while_the_barge_question_is_open_wait_for_its_answer(make_app, sim):
    # A spy still on its way when the question opens: its answer comes while the box is up. The toast would be
    # drawn over the box; the log has it at once, the toast once the question is answered.
    release = threading.Event()
    h = make_app(
        base_url=sim.url, transport=Relay(lambda request: release.wait(10) if b"C-10023" in request.content else None)
    )
    while_open: list[list[str]] = []

    async def steps(pilot):
        await signed_in(pilot)
        await fill_form(pilot, "C-10023", "13")
        await pilot.press("enter")
        await wait_until(pilot, lambda: h.console.in_flight == {"C-10023"})
        await barge_dialog(pilot, "C-10031", "21")
        before = len(h.toasts.shown)
        release.set()
        await wait_until(pilot, lambda: not h.console.in_flight)
        await wait_until(pilot, lambda: any("SPY on C-10023" in line for line in h.log_lines))
        while_open.append([toast.message for toast in h.toasts.shown[before:]])
        await pilot.press("escape")
        await pilot.pause()

    drive(h, steps)
    assert while_open == [[]]
    after = [toast.message for toast in h.toasts.shown]
    spy = next(i for i, message in enumerate(after) if message.startswith("SPY on C-10023"))
    assert after[spy + 1] == "Barge on call C-10031 cancelled; nothing sent"
