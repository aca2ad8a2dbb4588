"""How the demo's simulator answers: slowly enough for a room to see a request in flight.

A real DeepCall answers in a few hundred milliseconds; the simulator answers in a few, so on a projector
the "sending" state is never seen. The demo waits `DEMO_LATENCY_S` plus a random part of `DEMO_JITTER_S`
before each answer. `QUEUETUI_DEMO_LATENCY` (or a flag carrying the same value) fixes the wait instead:
`0` answers at once, for tests.
"""

from __future__ import annotations

import math

from queuetui.sim.server import Faults

DEMO_LATENCY_ENV = "QUEUETUI_DEMO_LATENCY"
DEMO_LATENCY_S = 0.25
DEMO_JITTER_S = 0.35
# Longer than this and a demo action would run into the client's read timeout instead of showing anything.
MAX_DEMO_LATENCY_S = 10.0


def demo_faults(setting: str | None = None) -> Faults:
    """The demo simulator's switches. `setting` is the text of `QUEUETUI_DEMO_LATENCY` or of a flag: a fixed
    number of seconds; None or blank keeps the varied default. ValueError, naming the variable, otherwise."""
    if setting is None or not setting.strip():
        return Faults(latency_s=DEMO_LATENCY_S, latency_jitter_s=DEMO_JITTER_S)
    try:
        seconds = float(setting)
    except ValueError:
        seconds = math.nan
    if not 0.0 <= seconds <= MAX_DEMO_LATENCY_S:  # also false for nan and inf
        raise ValueError(
            f"{DEMO_LATENCY_ENV} must be a number of seconds from 0 to {MAX_DEMO_LATENCY_S:g}, e.g. 0 or 0.4; "
            f"got {setting!r}"
        )
    return Faults(latency_s=seconds)
