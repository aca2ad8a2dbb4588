"""The demo: the simulator on a free loopback port and a session signed in to it with its public credentials."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from queuetui.api.credentials import parse_credentials
from queuetui.core import embedded
from queuetui.core.config.environment import DEMO_PROFILE
from queuetui.core.config.settings import Profile
from queuetui.core.floor.alerts import AlertsConfig, Levels
from queuetui.core.floor.config import simulator_live_calls
from queuetui.core.floor.feeds_config import simulator_agents, simulator_floor_stats
from queuetui.core.session import Seams, Session, SessionRefused
from queuetui.sim import DEMO_SSID, SimServer
from queuetui.sim.demo import DEMO_LATENCY_ENV, demo_faults

DEMO_SNOOPER = "9876543210"
# Levels the demo's floor reaches: warnings from the first look (a long hold, a long break, the queue), alarms a
# few minutes in (that hold and that break go on; now and then a long call). A profile's own levels win. Its bell
# rings once per alarm: a demo left open stays quiet.
DEMO_ALERTS = AlertsConfig(
    levels={
        "long_call": Levels(300, 600),
        "long_hold": Levels(60, 600),
        "long_ring": Levels(30, 90),
        "callers_waiting": Levels(5, 9),
        "longest_wait": Levels(90, 150),
        "long_break": Levels(900, 1800),
    },
    bell_repeat_s=0,
)


@dataclass
class Demo:
    sim: SimServer
    session: Session

    def close(self) -> None:
        self.session.close()
        self.sim.stop()


def demo_profile(profile: Profile, sim: SimServer) -> Profile:
    """The user's profile pointed at the simulator: their preferences stay. The session, not the profile, says
    DEMO: for as long as its requests go to this simulator (see `embedded`)."""
    return replace(
        profile,
        base_url=sim.url,
        auth="session",
        snooper_number=profile.snooper_number or DEMO_SNOOPER,
        live_calls=simulator_live_calls(),
        floor_stats=simulator_floor_stats(),
        agents=simulator_agents(),
        alerts=profile.alerts if profile.alerts.any else DEMO_ALERTS,
    )


def open_demo(
    profile: Profile,
    audit_path: Path | None,
    seams: Seams | None = None,
    sim: SimServer | None = None,
    *,
    locked: bool = False,
    colleague: bool = False,
) -> Demo:
    """Start the simulator (unless one is given) and sign in to it; `locked`: this process talks to that simulator
    alone from now on (a console served to a browser); `colleague`: the scripted colleague a console shows on
    the floor (presence), in a store of this demo's own. Raises SessionRefused like `Session.open`."""
    try:
        faults = demo_faults(os.environ.get(DEMO_LATENCY_ENV))
    except ValueError as problem:
        raise SessionRefused(DEMO_LATENCY_ENV, str(problem)) from None
    if sim is None:
        sim = SimServer().start()
        sim.faults = faults
    if locked:
        embedded.lock_to(sim)
    else:
        embedded.adopt(sim)
    try:
        session = Session.open(
            DEMO_PROFILE, demo_profile(profile, sim), parse_credentials(ssid=DEMO_SSID), audit_path, seams=seams
        )
    except BaseException:
        sim.stop()
        raise
    if colleague:
        from queuetui.core.presence.demo_colleague import DemoPresence

        presence = DemoPresence(session.clock().timestamp())
        session.share_presence(presence.url, also_close=presence.close)
    return Demo(sim, session)
