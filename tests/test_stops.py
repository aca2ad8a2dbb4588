"""A stop signal reaches its handler even when it lands in the import system's own code, where an exception
raised by a handler would be printed and dropped (a weakref callback run as an import's lock is freed)."""

from __future__ import annotations

import signal
import sys
from types import FrameType

from helpers import eventually

from queuetui.core import stops
from queuetui.core.stops import on_stop_signals


def frame_in(filename: str) -> FrameType:
    """A frame whose code reads as coming from `filename`."""
    frame = eval(compile("sys._getframe()", filename, "eval"), {"sys": sys})
    assert isinstance(frame, FrameType)
    return frame


def test_a_stop_landing_in_the_import_system_is_sent_again_and_handled(monkeypatch):
    # Sent again later than the assertion below can take even on a busy machine, so that it judges the landing only.
    monkeypatch.setattr(stops, "RESEND_AFTER_S", 0.5)
    handled: list[int] = []
    with on_stop_signals(handled.append, ("SIGTERM",)):
        installed = signal.getsignal(signal.SIGTERM)
        assert callable(installed)
        installed(signal.SIGTERM, frame_in("<frozen importlib._bootstrap>"))
        assert handled == [], "not handled where an exception would be dropped"
        assert eventually(lambda: handled == [signal.SIGTERM], timeout=5), "sent again, and handled then"


def test_a_stop_landing_anywhere_else_is_handled_at_once():
    handled: list[int] = []
    with on_stop_signals(handled.append, ("SIGTERM",)):
        installed = signal.getsignal(signal.SIGTERM)
        assert callable(installed)
        installed(signal.SIGTERM, frame_in(__file__))
        assert handled == [signal.SIGTERM]
