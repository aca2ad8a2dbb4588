"""One factory builds the app for the command line, the tests and the screenshot script."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
from typing import Any

from queuetui.core.stops import STOP_SIGNALS, on_stop_signals
from queuetui.tui.app import QueueApp
from queuetui.tui.escape_key import use_burst_parser
from queuetui.tui.options import Launch

EXIT_SIGNAL_BASE = 128  # stopped by signal N: 128 + N, as a shell reports it
# How long a console asked to stop may take to wind down before it leaves anyway. With its terminal gone (a
# dropped SSH link), Textual's shutdown has been seen to wait forever on its output thread: the console then
# lived on, holding its simulator and its session, with nobody to see it.
STOP_GRACE_S = 5.0


def create_app(**options: Any) -> QueueApp:  # noqa: ANN401 - checked by Launch itself
    """Takes `Launch`'s fields by name. Nothing is read here: config, environment and the demo load after the
    first paint."""
    return QueueApp(Launch(**options))


def run_console(
    demo: bool = False,
    locked: bool = False,
    profile: str | None = None,
    config: str | None = None,
    tour: bool = False,
    show_keys: bool = False,
    slow_link: bool = False,
) -> int:
    app = create_app(
        demo=demo or locked,
        locked=locked,
        profile=profile,
        config=config,
        tour=tour,
        show_keys=show_keys,
        slow_link=slow_link,
    )
    use_burst_parser()
    stopped: list[str] = []

    def stop(signum: int) -> None:
        # Record what is on its way before anything else: with the terminal gone, nothing after may get to run.
        name = signal.Signals(signum).name
        session = app.session
        cut = session.interrupt(name) if session is not None else 0
        stopped.append(f"stopped by {name}" + (f": {cut} action(s) under way recorded as interrupted" if cut else ""))
        # What was under way is on the record (above): leaving without the rest of the shutdown loses nothing.
        deadline = threading.Timer(STOP_GRACE_S, os._exit, (EXIT_SIGNAL_BASE + signum,))
        deadline.daemon = True
        deadline.start()
        try:
            asyncio.get_running_loop().call_soon_threadsafe(app.exit, None, EXIT_SIGNAL_BASE + signum)
        except RuntimeError:  # the app is not running (yet, or any more): nothing to wind down
            raise SystemExit(EXIT_SIGNAL_BASE + signum) from None

    # SIGINT too: in the terminal Ctrl+C is a key, so this one comes from `kill`.
    with on_stop_signals(stop, (*STOP_SIGNALS, "SIGINT")):
        app.run()
    for line in stopped:
        with contextlib.suppress(OSError):  # the terminal may be gone
            print(line, file=sys.stderr)
    return app.return_code or 0
