"""The console's start-up: its first frame about as soon as a bare Textual app's, then the slow half on a worker.

The sequence:

1. Building the app: `first_paint_theme` makes the first theme (read straight from its shipped file) the app's
   without running Textual's theme watcher, and `console_classes` gives the console the width class its first
   resize will give it, so neither restyles the screen once it is drawn.
2. Just after the app's mount, `StartUp.show` pushes the console (pushed during the mount, it would be laid out
   and drawn once for nothing). Once it is mounted its first frame is out: screen updates are then held (at most
   `BOOT_HOLD_S`, so a slow disk never leaves a screen that cannot redraw) and `tui/boot.py` runs on a worker
   thread: config, themes and, for `--demo`, the simulator and its session.
3. On the UI thread again, updates resume, garbage collection (paused by the command line for the start) resumes
   with everything made so far frozen out of its scans, and the `Boot` result is handed to the app's `adopt`,
   which puts in force the profile, themes, keymap and session, or the sign-in screen.
4. Keys typed before that are held by the key gate (`tui/key_gate.py`) and typed in, in order and with the time
   they were typed, into the screen they were meant for once it has its focus.

The import rules (held by `tests/test_startup_imports.py`):

- What the app imports at the top, this module and the key gate included, loads before the first frame: Textual
  and light modules of ours only; never httpx, the config, the simulator, the sign-in screen or the sessions
  list's table (Textual's DataTable).
- `tui/boot.py` and what it loads are imported on the worker only; whatever the app needs to adopt its result
  (the live list's poller and sources, the sessions table) is loaded there too, so the UI thread loads none of
  our modules while the demo opens.
- None of the start-up modules imports the app: they take the app as a Textual `App` and callbacks, or return
  results the app adopts.
"""

from __future__ import annotations

import contextlib
import gc
import shutil
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import App

from queuetui.tui.first_theme import first_theme
from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.screens.console_widths import width_class

if TYPE_CHECKING:
    from queuetui.sim import SimServer
    from queuetui.tui.boot import Boot
    from queuetui.tui.options import Launch

# How long start-up may hold the screen's updates (see `StartUp.show`): a few times a usual start.
BOOT_HOLD_S = 1.0


def first_paint_theme(app: App[None]) -> None:
    """Register the first theme and make it the app's, before the app starts. Setting `App.theme` runs Textual's
    watcher, which parses all the CSS a second time once the app starts; before the start nothing is parsed or
    styled yet, so the theme's variables and classes are all there is to set. Textual's starting filters assume a
    dark theme: a light one goes the slow way."""
    theme = first_theme()
    if theme is None:
        return
    app.register_theme(theme)
    if not theme.dark:
        app.theme = theme.name
        return
    app.set_reactive(App.theme, theme.name)
    app.stylesheet.set_variables(app.get_css_variables())
    app.set_class(True, f"-theme-{theme.name}", update=False)


def console_classes() -> str:
    """The class Textual's first resize will give the console, from the terminal's width now. Set before the first
    layout, that resize changes no class and so does not restyle every widget."""
    return width_class(shutil.get_terminal_size().columns)


def resume_collection() -> None:
    """Garbage collection, paused by the command line for the start (see `cli`), resumes as start-up ends. What the
    start made (modules, styles, the console) lives as long as the app: frozen, no later collection scans it again,
    which keeps the pauses short while the live list refreshes. Frozen before the sign-in screen exists: a screen
    that held a typed secret must stay collectable once it is closed."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def demo_intro(sim: SimServer) -> list[str]:
    """What the log says of a demo simulator as the console signs in to it: where it is and what its calls do."""
    calls = ", ".join(f"{c.call_id}/{c.agent}" for c in sim.scenario.calls.values())
    lines = [f"Demo simulator at {sim.url}", f"Live calls (call/agent): {calls}"]
    for call in sim.scenario.calls.values():
        if call.processing_for > 0:
            lines.append(f"{call.call_id} answers 1501 {call.processing_for} times, then connects")
        elif call.processing_for < 0:
            lines.append(f"{call.call_id} stays busy (1501) until the retries run out")
    return lines


class StartUp:
    """Steps 2 and 3 of the sequence above for `app`, whose `adopt` takes the slow half's result."""

    def __init__(self, app: App[None], launch: Launch, adopt: Callable[[Boot], None]) -> None:
        self._app = app
        self._launch = launch
        self._adopt = adopt
        self._held_updates = contextlib.ExitStack()

    async def show(self, console: ConsoleScreen) -> None:
        """Push the console, then begin the slow half. Its first frame is on screen once it is mounted; begun
        sooner, the worker's imports would share the interpreter with that frame and hold it up, and begun after a
        further refresh the interpreter would sit idle meanwhile."""
        app = self._app
        await app.push_screen(console)
        # Redraw nothing until the worker is done: Textual lays a pushed screen out and draws it again once its
        # mount completes, and redraws after each change, work that shares the interpreter with the worker and
        # makes the session later, while the frame after the worker shows it all anyway.
        self._held_updates.enter_context(app.batch_update())
        app.set_timer(BOOT_HOLD_S, self._held_updates.close)
        # A failure there is a bug, not a user error: it ends the app with the (secret-free) crash report.
        app.run_worker(self._load, name="boot", group="boot", thread=True, exit_on_error=True)

    def _load(self) -> None:
        from queuetui.tui.boot import load

        boot = load(self._launch)
        try:
            self._app.call_from_thread(self._done, boot)
        except RuntimeError:
            # The app quit while this loaded (call_from_thread refuses then): nobody will adopt the demo.
            if boot.demo is not None:
                boot.demo.close()

    def _done(self, boot: Boot) -> None:
        self._held_updates.close()
        resume_collection()
        self._adopt(boot)
