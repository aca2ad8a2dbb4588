"""What start-up does for speed must not change what the console is: the first theme is whole from the first
frame, and garbage collection, paused by the command line for the start, is back once the console is usable,
with what the start made frozen out of later collections. And what it puts off stays put off: the live list
starts after the frame that shows the session."""

from __future__ import annotations

import gc
import weakref

import pytest
from textual.color import Color
from textual.css.stylesheet import Stylesheet

from queuetui import cli
from queuetui.cli.console_args import ConsoleArgs
from queuetui.tui.screens.login import LoginScreen
from tui.conftest import drive, signed_in, started, wait_until


def test_the_command_line_pauses_collection_for_the_start(monkeypatch):
    seen: list[bool] = []

    def run_console(**options: object) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr("queuetui.tui.launch.run_console", run_console)
    args = ConsoleArgs(demo=True)
    try:
        assert cli._run_tui(args) == 0
    finally:
        gc.enable()
    assert seen == [False]


def test_ctrl_c_before_the_console_has_the_terminal_ends_quietly(monkeypatch):
    # Until Textual reads Ctrl+C as a key, the terminal turns it into an interrupt, raised wherever the start is.
    def run_console(**options: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr("queuetui.tui.launch.run_console", run_console)
    try:
        assert cli._run_tui(ConsoleArgs(demo=True)) == 130
    finally:
        gc.enable()


@pytest.mark.parametrize("demo", [True, False], ids=["demo", "sign-in"])
def test_collection_is_back_once_the_console_is_usable_with_the_start_frozen(make_app, demo):
    h = make_app(demo=demo)
    frozen_before = gc.get_freeze_count()
    gc.disable()  # as the command line leaves it
    try:

        async def steps(pilot):
            await started(pilot)
            assert h.app.session is not None if demo else isinstance(h.app.screen, LoginScreen)
            await pilot.pause()
            assert gc.isenabled()
            assert gc.get_freeze_count() > frozen_before

        drive(h, steps, wait_for_start=False)
    finally:
        gc.enable()


def test_collection_left_running_is_left_alone(make_app):
    h = make_app(demo=True)
    frozen_before = gc.get_freeze_count()

    async def steps(pilot):
        await pilot.pause()
        assert gc.isenabled()
        assert gc.get_freeze_count() <= frozen_before  # frozen objects can only be freed, unless frozen anew

    drive(h, steps)


def test_the_first_theme_is_whole_from_the_first_frame_without_a_second_css_parse(make_app, monkeypatch):
    reparsed: list[object] = []
    original = Stylesheet.reparse

    def counting_reparse(self: Stylesheet) -> None:
        reparsed.append(self)
        original(self)

    monkeypatch.setattr(Stylesheet, "reparse", counting_reparse)
    h = make_app()

    async def steps(pilot):
        assert h.app.theme == "queuetui-dark"
        assert h.app.has_class("-theme-queuetui-dark", "-dark-mode")
        assert h.console.styles.background == Color.parse("#101418")  # the theme's, not Textual's default
        assert reparsed == []
        # Nor once start-up has adopted the configured theme (the same one). Waited for, too, so the test does not
        # end while the sign-in screen is being mounted.
        await started(pilot)
        assert reparsed == []

    drive(h, steps, wait_for_start=False)


def test_the_sign_in_screen_and_its_typed_secret_are_not_frozen_with_the_start(make_app, sim):
    # Collection resumes (freezing what the start made) before the sign-in screen exists: once closed, it and
    # the secret typed into it go with the next collection.
    h = make_app(base_url=sim.url)
    gc.disable()  # as the command line leaves it
    closed: list[weakref.ref[object]] = []
    try:

        async def steps(pilot):
            await started(pilot)
            login = h.app.screen
            assert isinstance(login, LoginScreen)
            closed.extend([weakref.ref(login), weakref.ref(login.query_one("#ssid"))])
            del login
            await signed_in(pilot)

        drive(h, steps, wait_for_start=False)
    finally:
        gc.enable()
    gc.collect()
    assert [ref() for ref in closed] == [None, None]


def test_the_live_list_starts_after_the_frame_that_shows_the_session(make_app, monkeypatch):
    # Its first fetch imports the HTTP client on its own thread, which would share the interpreter with that
    # frame and hold it up. The console's status tick, overdue when the session is attached after a start that
    # kept the UI thread busy, used to start the list at once: here it fires right after the attach.
    from queuetui.core.floor.poller import CallPoller
    from queuetui.tui.screens.console import ConsoleScreen
    from queuetui.tui.widgets.status_header import StatusHeader

    happened: list[str] = []
    attach, start, frame = ConsoleScreen.attach, CallPoller.start, ConsoleScreen._compositor_refresh

    def attach_then_tick(console, session):
        attach(console, session)
        console._status_tick.tick()

    def started_list(poller):
        happened.append("list started")
        start(poller)

    def drew(console):
        frame(console)
        if "demo@" in console.query_one(StatusHeader).render().plain:
            happened.append("session drawn")

    monkeypatch.setattr(ConsoleScreen, "attach", attach_then_tick)
    monkeypatch.setattr(CallPoller, "start", started_list)
    monkeypatch.setattr(ConsoleScreen, "_compositor_refresh", drew)  # Textual's: each frame drawn
    h = make_app(demo=True)

    async def steps(pilot):
        await wait_until(pilot, lambda: "list started" in happened)

    drive(h, steps)
    assert happened.index("session drawn") < happened.index("list started"), happened
