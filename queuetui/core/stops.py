"""Signals that end the process from outside (SIGTERM from a service manager, SIGHUP when the SSH session
or the terminal goes away) handed to a front end, so that it records what was under way before it leaves."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator

STOP_SIGNALS = ("SIGTERM", "SIGHUP")


@contextlib.contextmanager
def on_stop_signals(handler: Callable[[int], None], names: tuple[str, ...] = STOP_SIGNALS) -> Iterator[None]:
    """Run `handler(signum)` for each of these signals while inside; the handlers before are put back after.
    Off the main thread nothing is installed: signals are the main thread's to handle."""
    present = [getattr(signal, name) for name in names if hasattr(signal, name)]
    before: dict[int, object] = {}
    try:
        for number in present:
            before[number] = signal.signal(number, lambda signum, _frame: handler(signum))
    except ValueError:  # not the main thread
        pass
    try:
        yield
    finally:
        for number, previous in before.items():
            signal.signal(number, previous)  # type: ignore[arg-type]
