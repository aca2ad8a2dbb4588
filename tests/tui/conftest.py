"""The one harness for the UI tests: `make_app` builds the app as the command line does (through `create_app`,
with fast retries, a fixed clock, no blinking and a toast recorder; `transport=` hands it a fake server),
`drive` runs it headless (drawing only the frames a test looks at), and the helpers below sign in, fill the form
and wait by polling the UI, never by sleeping a fixed time. Import them as
`from tui.conftest import drive, signed_in`."""

from __future__ import annotations

import asyncio
import io
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
import textual._wait
from helpers import FAST_RETRY, SNOOPER, Toasts, fixed_clock
from rich.console import Console, RenderableType
from textual import events
from textual._compositor import Compositor
from textual._time import get_time  # the clock Textual stamps events with
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.css.types import CSSLocation
from textual.message import Message
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, RadioButton

from queuetui.sim import DEMO_SSID, SimServer
from queuetui.tui.app import QueueApp
from queuetui.tui.launch import create_app
from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen
from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.screens.login import LoginScreen
from queuetui.tui.widgets.live_calls import LiveCallsTable
from queuetui.tui.widgets.log_panel import LogPanel
from queuetui.tui.widgets.mode_selector import ModeSelector
from queuetui.tui.widgets.sessions_table import SessionsTable
from queuetui.tui.widgets.status_header import StatusHeader

ScreenT = TypeVar("ScreenT", bound=Screen[Any])

# After each key Pilot waits until a whole slice of Textual's sleep passes with under 1 ms of CPU used: the app
# has handled the key. Slices of 5 ms instead of 20 keep that rule and take a key from about 80 ms to 20.
textual._wait.SLEEP_GRANULARITY = 0.005

_parsed_css: dict[tuple[object, ...], list[RuleSet]] = {}
_parse_rules = Stylesheet._parse_rules


def _parse_rules_once(
    self: Stylesheet,
    css: str,
    read_from: CSSLocation,
    is_default_rules: bool = False,
    tie_breaker: int = 0,
    scope: str = "",
) -> list[RuleSet]:
    # Textual caches parsed CSS per stylesheet, so every app a test starts parses the same CSS again: about a tenth
    # of a UI test's CPU. Shared here across apps, keyed by everything the parse reads (the theme's variables too),
    # each piece is parsed once per test process. The rules are only read once parsed, as Textual's own cache
    # assumes when it hands the same list to every reparse.
    key = (tuple(sorted(self._variables.items())), css, read_from, is_default_rules, tie_breaker, scope)
    rules = _parsed_css.get(key)
    if rules is None:
        rules = _parsed_css[key] = _parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
    return rules


Stylesheet._parse_rules = _parse_rules_once  # type: ignore[method-assign]

_render_update = Compositor.render_update


def _render_when_looked_at(
    self: Compositor, full: bool = False, screen_stack: list[Screen[Any]] | None = None, simplify: bool = False
) -> RenderableType | None:
    # Headless, Textual draws every frame and then drops it unwritten: about a quarter of the UI tests' CPU. Frames are
    # drawn here only when a test looks at them (`screen_text` and `export_screenshot` ask for a full frame), and
    # `drive` looks at every test's last frame, so a widget that cannot draw still fails the test that showed it.
    if full:
        return _render_update(self, full, screen_stack, simplify)
    self._dirty_regions.clear()
    return None


Compositor.render_update = _render_when_looked_at  # type: ignore[method-assign]


@dataclass
class Harness:
    app: QueueApp
    toasts: Toasts
    # How many of each kind of message the app's widgets have handled, by class name: a test waits for the
    # message a piece of work ends with, not for the time it usually takes.
    handled: Counter[str] = field(default_factory=Counter)
    # Each message of a class in `keep`, once, as it was first handled: a test asserts what a widget asked for.
    keep: tuple[type[Message], ...] = ()
    kept: list[Message] = field(default_factory=list)

    def count(self, message: Message) -> None:
        self.handled[type(message).__name__] += 1
        # A message is seen at each node it bubbles through.
        if isinstance(message, self.keep) and all(seen is not message for seen in self.kept):
            self.kept.append(message)

    @property
    def console(self) -> ConsoleScreen:
        return self.app.console_screen

    @property
    def log_lines(self) -> list[str]:
        return list(self.console.query_one(LogPanel).lines_text)

    @property
    def header(self) -> str:
        return self.console.query_one(StatusHeader).render().plain

    @property
    def sessions(self) -> SessionsTable:
        return self.console.query_one(SessionsTable)

    def field(self, selector: str) -> Input:
        return self.app.screen.query_one(selector, Input)


@pytest.fixture
def make_app(audit_path: Path) -> Callable[..., Harness]:
    """The app as the command line builds it, with fast retries, a fixed clock, no blinking and a toast recorder."""

    def build(**options: Any) -> Harness:
        options.setdefault("audit_path", audit_path)
        options.setdefault("retry", FAST_RETRY)
        options.setdefault("still", True)
        options.setdefault("clock", fixed_clock)
        # Presence arrives on its own thread: a test about it turns the demo's colleague on.
        options.setdefault("demo_colleague", False)
        app = create_app(**options)
        toasts = Toasts()
        toasts.attach(app)
        return Harness(app, toasts)

    return build


def drive(
    harness: Harness,
    steps: Callable[[Pilot[None]], Awaitable[None]],
    size: tuple[int, int] = (80, 24),
    *,
    wait_for_start: bool = True,
) -> None:
    """Run the app headless at `size` with toasts on, and play `steps` against it once start-up is done (or at
    once, for what happens before it is); then draw the last frame."""

    async def main() -> None:
        async with harness.app.run_test(size=size, notifications=True, message_hook=harness.count) as pilot:
            if wait_for_start:
                await started(pilot)
            await steps(pilot)
            screen_text(harness.app)

    asyncio.run(main())


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let the app run until `condition` holds; fail after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("the app did not reach the expected state in time")
        await pilot.pause(0.02)
    await pilot.pause()


async def rows_seen(pilot: Pilot[None]) -> None:
    """Look at the screen, then let the app run until a key typed now may move onto any row of the live list: the
    rows a refresh adds are out of a key's reach for a reaction time after the frame that first shows them."""
    app = pilot.app
    assert isinstance(app, QueueApp)
    table = app.console_screen.query_one(LiveCallsTable)
    screen_text(app)
    await wait_until(pilot, lambda: table.all_reachable_from() <= get_time())


async def press_for_screen(pilot: Pilot[None], key: str, screen: type[ScreenT]) -> ScreenT:
    """Press `key` and wait until a `screen` is the one on top and drawn, as a user would see it before the
    next key (the barge question takes no answer typed ahead of it); returns it."""
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen))
    shown = pilot.app.screen
    assert isinstance(shown, screen)
    await asyncio.wait_for(shown.wait_for_refresh(), timeout=10)
    return shown


async def started(pilot: Pilot[None]) -> None:
    """Config and service load after the first paint: wait for the sign-in screen, or the demo's service."""
    app = pilot.app
    assert isinstance(app, QueueApp)
    await wait_until(
        pilot, lambda: app.ready.is_set() and (isinstance(app.screen, LoginScreen) or app.session is not None)
    )


async def settle(pilot: Pilot[None], timeout: float = 10.0) -> None:
    """Wait for every send to finish and its answer to reach the screen; fail, never hang, after `timeout`."""
    app = pilot.app
    assert isinstance(app, QueueApp)
    try:
        await asyncio.wait_for(app.workers.wait_for_complete(), timeout)
    except asyncio.TimeoutError:
        raise AssertionError(f"a worker was still running after {timeout} s") from None
    await wait_until(pilot, lambda: not app.console_screen.in_flight)


async def type_into(pilot: Pilot[None], selector: str, text: str) -> None:
    """Focus a field, empty it and type `text` key by key, as a user would (about 60 ms a key headless)."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)


async def fill(pilot: Pilot[None], selector: str, text: str) -> None:
    """Focus a field and set its value in one step: the same events as typing, without a pause per key."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = text
    await pilot.pause()


async def signed_in(
    pilot: Pilot[None], ssid: str = DEMO_SSID, *, user_id: str | None = None, token: str | None = None
) -> None:
    """Sign in from the login screen with a session id, or with a user id and token when both are given."""
    app = pilot.app
    assert isinstance(app.screen, LoginScreen)
    if user_id is not None and token is not None:
        app.screen.query_one("#auth-token", RadioButton).value = True  # a click could land on a toast
        await pilot.pause()
        await fill(pilot, "#user-id", user_id)
        await fill(pilot, "#token", token)
    else:
        await fill(pilot, "#ssid", ssid)
    await press_for_screen(pilot, "enter", ConsoleScreen)


async def fill_form(
    pilot: Pilot[None], call_id: str, agent: str, snooper: str = SNOOPER, mode: str | None = None
) -> None:
    """Fill the call form; `mode` is chosen with its function key (F2 spy, F3 whisper, F4 barge)."""
    await fill(pilot, "#target-value", agent)
    await fill(pilot, "#snooper", snooper)
    if mode is not None:
        await pilot.press({"spy": "f2", "whisper": "f3", "barge": "f4"}[mode])
    await fill(pilot, "#call-id", call_id)


async def barge_dialog(pilot: Pilot[None], call_id: str = "C-10023", agent: str = "13") -> ConfirmBargeScreen:
    """Fill the form for a barge and press Enter; returns the confirmation that opens before anything is sent."""
    await fill_form(pilot, call_id, agent, mode="barge")
    return await press_for_screen(pilot, "enter", ConfirmBargeScreen)


async def spy_then_focus_sessions(pilot: Pilot[None], h: Harness) -> None:
    """Sign in, spy on C-10023 (agent 13), and put the focus on the sessions list's one row."""
    await signed_in(pilot)
    await send_call(pilot, "C-10023", "13")
    h.sessions.focus()  # not a click: a toast may cover the list's middle
    await pilot.pause()
    assert h.app.focused is h.sessions


async def send_call(
    pilot: Pilot[None], call_id: str, agent: str, snooper: str = SNOOPER, mode: str | None = None
) -> None:
    """Fill the form, press Enter in the Call ID field and wait for the answer."""
    await fill_form(pilot, call_id, agent, snooper, mode)
    await pilot.press("enter")
    await settle(pilot)


def burst(h: Harness, *keys: tuple[str, str | None]) -> None:
    """Keys as a terminal delivers a burst: all in the app's queue before the first is handled (Pilot's `press`
    waits for each key in turn, which hides what a key's messages do to the keys behind it)."""
    for key, character in keys:
        h.app.post_message(events.Key(key, character))


def mode_of(pilot: Pilot[None]) -> str:
    app = pilot.app
    assert isinstance(app, QueueApp)
    return app.console_screen.query_one(ModeSelector).mode.value


def screen_text(app: QueueApp) -> str:
    """What the terminal shows right now (screen, modal and toasts), as plain text. Built the way
    `App.export_screenshot` builds its SVG (Textual has no public text export), minus the styling."""
    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(), record=True)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def snoop_types(sim: SimServer) -> list[object]:
    """The snoop type of every request the simulator received, in order."""
    return [r.parsed.get("snoopType") if isinstance(r.parsed, dict) else None for r in sim.received]
