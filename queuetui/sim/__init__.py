"""A DeepCall simulator: a real HTTP server on loopback speaking the `queue/bargingCall` wire format.

It shares the request vocabulary (`SnoopType`) with the client but none of the client's code, so a bug in
the client cannot hide itself by being repeated here.
"""

from queuetui.sim.demo import DEMO_LATENCY_ENV, demo_faults
from queuetui.sim.scenario import DEMO_SSID, DEMO_TOKEN, DEMO_USER_ID, Scenario
from queuetui.sim.server import Faults, SimServer

__all__ = [
    "DEMO_LATENCY_ENV",
    "DEMO_SSID",
    "DEMO_TOKEN",
    "DEMO_USER_ID",
    "Faults",
    "Scenario",
    "SimServer",
    "demo_faults",
]
