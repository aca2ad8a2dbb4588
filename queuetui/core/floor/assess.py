"""What a refresh of the floor says beyond its calls: the health, the agents and what is past a level, worked out
on the thread that fetched (never the UI's) and carried by the snapshot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from queuetui.api.errors import CallFailed
from queuetui.core.floor.agent_rows import AgentRow, agent_rows
from queuetui.core.floor.alerts import FLOOR, AlarmBell, AlertsConfig, Breach, FoundBreaches, StateTimes
from queuetui.core.floor.call_walk import walk_calls
from queuetui.core.floor.calls import LiveCall
from queuetui.core.floor.feeds import FeedReadings
from queuetui.core.floor.feeds_config import AgentState
from queuetui.core.floor.health import Agent, FloorHealth, floor_health


@dataclass(frozen=True)
class FloorView:
    health: FloorHealth = field(default_factory=FloorHealth)
    agents: tuple[Agent, ...] | None = None  # None: the profile has no agents feed, or it failed
    breaches: tuple[Breach, ...] = ()
    feed_errors: tuple[tuple[str, CallFailed], ...] = ()
    worst: dict[str, Breach] = field(default_factory=dict)  # the worst breach of each call and agent, by its id
    in_state_s: dict[str, int] = field(default_factory=dict)  # agents' time in state, by agent id
    # Worked out here, off the UI thread, for what the console reads on every refresh:
    alarms: dict[tuple[str, str], Breach] = field(default_factory=dict)  # the breaches at alarm level, by key
    floor: dict[str, Breach] = field(default_factory=dict)  # the breaches of the floor's figures, by limit
    rang: tuple[tuple[Breach, bool], ...] = ()  # the alarms that ring with this refresh, each with whether it is new
    agent_rows: tuple[AgentRow, ...] = ()  # the agents view's rows

    @property
    def counts(self) -> tuple[int, int]:
        """How many breaches are alarms, and how many warnings."""
        return len(self.alarms), len(self.breaches) - len(self.alarms)


class FloorJudge:
    """Turns each refresh into a FloorView. Not thread-safe: the poller calls it under its fetch lock."""

    def __init__(self, alerts: AlertsConfig) -> None:
        self.alerts = alerts
        self.times = StateTimes()
        self.bell = AlarmBell(alerts.bell_repeat_s)

    def judge(
        self, calls: Sequence[LiveCall], readings: FeedReadings | None, now: float, monotonic: float
    ) -> FloorView:
        """The view at `now` (epoch seconds); `monotonic` times the bell's repeats."""
        readings = readings or FeedReadings()
        agents = readings.agents
        levels = self.alerts.levels
        found = FoundBreaches()
        walked = walk_calls(calls, self.alerts, self.times, found, now)
        health = floor_health(walked.figures, readings.stats, agents)
        self.times.observe_agents(agents, now)
        in_state: dict[str, int] = {}
        long_break = levels.get("long_break")
        for agent in agents or ():
            seconds = self.times.agent_in_state_s(agent, now)
            if seconds is not None:
                in_state[agent.agent] = seconds
            if agent.state is AgentState.BREAK:
                found.check(long_break, "long_break", agent.agent, seconds)
        found.check(levels.get("callers_waiting"), "callers_waiting", FLOOR, health.waiting)
        found.check(levels.get("longest_wait"), "longest_wait", FLOOR, health.longest_wait_s)
        ordered = found.ordered()
        worst: dict[str, Breach] = {}
        floor: dict[str, Breach] = {}
        for breach in ordered:  # alarms first, so the first of a subject is its worst
            worst.setdefault(breach.subject, breach)
            if breach.subject == FLOOR:
                floor[breach.limit] = breach
        alarms = {(breach.limit, breach.subject): breach for breach in found.alarms}
        rang = tuple(self.bell.ring(alarms, monotonic))
        rows = agent_rows(walked, agents, in_state, worst, now)
        return FloorView(health, agents, ordered, readings.errors, worst, in_state, alarms, floor, rang, rows)
