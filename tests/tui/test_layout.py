"""The console works at 80x24 and at 120x36: every screen's key widgets are on screen, whole."""

from __future__ import annotations

import pytest
from textual.geometry import Region

from queuetui.tui.screens.help import HelpScreen
from queuetui.tui.widgets.key_bar import KeyBar
from tui.conftest import barge_dialog, drive, press_for_screen, screen_text, send_call, signed_in

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
        h.app.clear_notifications()  # toasts sit over the sessions list at 80x24
        await pilot.pause()
        assert "C-10023 13 SPY     \u25cf LIVE" in screen_text(h.app)  # the sessions row, every column shown

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
