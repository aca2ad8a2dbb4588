"""Signals that end the process from outside (SIGTERM from a service manager, SIGHUP when the SSH session
or the terminal goes away) handed to a front end, so that it records what was under way before it leaves."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

STOP_SIGNALS = ("SIGTERM", "SIGHUP")


# A moment: the stop lands again once the import system's callback has returned.
RESEND_AFTER_S = 0.001


@contextlib.contextmanager
def on_stop_signals(handler: Callable[[int], None], names: tuple[str, ...] = STOP_SIGNALS) -> Iterator[None]:
    """Run `handler(signum)` for each of these signals while inside; the handlers before are put back after.
    Off the main thread nothing is installed: signals are the main thread's to handle."""
    present = [getattr(signal, name) for name in names if hasattr(signal, name)]
    before: dict[int, object] = {}

    def handle(signum: int, frame: FrameType | None) -> None:
        if frame is not None and frame.f_code.co_filename.startswith("<frozen importlib"):
            # Landed in the import system's own code, which may be a weakref callback run as an import's lock is
            # freed: an exception raised there is printed and dropped, and the stop would be lost. Sent again a
            # moment later, it lands in code that passes it on.
            threading.Timer(RESEND_AFTER_S, os.kill, (os.getpid(), signum)).start()
            return
        handler(signum)

    try:
        for number in present:
            before[number] = signal.signal(number, handle)
    except ValueError:  # not the main thread
        pass
    try:
        yield
    finally:
        for number, previous in before.items():
            signal.signal(number, previous)  # type: ignore[arg-type]
