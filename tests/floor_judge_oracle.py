"""The floor judge as it was before it walked the calls once: a pass of its own for each of the state times, the
health, the breaches and the agents' rows. Kept here, out of the package, as the oracle that the one walk gives the
same view (tests/test_floor_judge.py)."""

from __future__ import annotations

from collections.abc import Sequence

from queuetui.core.floor.agent_rows import AgentRow, agent_rows
from queuetui.core.floor.alerts import FLOOR, AlarmBell, AlertsConfig, Breach, Level, Levels, StateTimes
from queuetui.core.floor.assess import FloorView
from queuetui.core.floor.call_walk import CallsWalked
from queuetui.core.floor.calls import CallState, LiveCall
from queuetui.core.floor.feeds import FeedReadings
from queuetui.core.floor.feeds_config import AgentState
from queuetui.core.floor.health import Agent, FloorHealth, FloorStats, ListFigures


class OracleTimes:
    """The calls' times as StateTimes kept them; the agents' are the package's (their part did not change)."""

    def __init__(self) -> None:
        self.calls: dict[str, tuple[CallState | None, float]] = {}
        self.agents = StateTimes()

    def observe(self, calls: Sequence[LiveCall], agents: Sequence[Agent] | None, now: float) -> None:
        seen: dict[str, tuple[CallState | None, float]] = {}
        for call in calls:
            before = self.calls.get(call.call_id)
            seen[call.call_id] = before if before is not None and before[0] == call.state else (call.state, now)
        self.calls = seen
        self.agents.observe_agents(agents, now)

    def call_in_state_s(self, call: LiveCall, now: float) -> int | None:
        if call.state is CallState.RINGING and call.started_at is not None:
            return call.duration_s(now)
        since = self.calls.get(call.call_id)
        return None if since is None or since[0] != call.state else max(0, int(now - since[1]))

    def agent_in_state_s(self, agent: Agent, now: float) -> int | None:
        return self.agents.agent_in_state_s(agent, now)


def oracle_health(calls: Sequence[LiveCall], stats: FloorStats | None, agents: Sequence[Agent] | None) -> FloorHealth:
    live = [call for call in calls if not call.ended]
    states: dict[CallState, int] | None = dict.fromkeys((CallState.TALKING, CallState.RINGING, CallState.ON_HOLD), 0)
    for call in live:
        if call.state is None:
            states = None
            break
        if states is not None and call.state in states:
            states[call.state] += 1
    stats = stats or FloorStats()
    by_state: dict[AgentState, int | None]
    if agents is not None:
        by_state = dict.fromkeys(AgentState, 0)
        for agent in agents:
            if agent.state is not None:
                by_state[agent.state] = (by_state[agent.state] or 0) + 1
    elif any(call.agent is None for call in live):
        by_state = {}
    else:
        by_state = {AgentState.ON_CALL: len({call.agent for call in live if call.agent})}
    by_state = {**by_state, **{state: n for state, n in stats.agents.items() if n is not None}}

    def first(given: int | None, state: CallState) -> int | None:
        return given if given is not None else (states[state] if states is not None else None)

    return FloorHealth(
        first(stats.talking, CallState.TALKING),
        first(stats.ringing, CallState.RINGING),
        first(stats.on_hold, CallState.ON_HOLD),
        stats.waiting,
        stats.longest_wait_s,
        stats.service_level,
        by_state,
    )


def _breach(levels: Levels | None, key: str, subject: str, value: float | None) -> Breach | None:
    if levels is None or value is None:
        return None
    if levels.alarm is not None and value >= levels.alarm:
        return Breach(key, subject, Level.ALARM, value, levels.alarm)
    if levels.warn is not None and value >= levels.warn:
        return Breach(key, subject, Level.WARN, value, levels.warn)
    return None


def oracle_breaches(
    config: AlertsConfig,
    calls: Sequence[LiveCall],
    agents: Sequence[Agent] | None,
    health: FloorHealth,
    times: OracleTimes,
    now: float,
) -> tuple[Breach, ...]:
    if not config.any:
        return ()
    get = config.levels.get
    found: list[Breach | None] = []
    for call in calls:
        if call.state is CallState.ENDED:
            continue
        found.append(_breach(get("long_call"), "long_call", call.call_id, call.duration_s(now)))
        if call.state is CallState.ON_HOLD:
            found.append(_breach(get("long_hold"), "long_hold", call.call_id, times.call_in_state_s(call, now)))
        elif call.state is CallState.RINGING:
            found.append(_breach(get("long_ring"), "long_ring", call.call_id, times.call_in_state_s(call, now)))
    for agent in agents or ():
        if agent.state is AgentState.BREAK:
            found.append(_breach(get("long_break"), "long_break", agent.agent, times.agent_in_state_s(agent, now)))
    found.append(_breach(get("callers_waiting"), "callers_waiting", FLOOR, health.waiting))
    found.append(_breach(get("longest_wait"), "longest_wait", FLOOR, health.longest_wait_s))
    kept = [breach for breach in found if breach is not None]
    kept.sort(key=lambda breach: (-breach.level, -breach.value))
    return tuple(kept)


def oracle_rows(
    calls: Sequence[LiveCall],
    agents: Sequence[Agent] | None,
    in_state_s: dict[str, int],
    worst: dict[str, Breach],
    now: float,
) -> tuple[AgentRow, ...]:
    """The rows from each agent's call as a pass of their own found them (the rows' making did not change)."""
    on_call: dict[str, LiveCall] = {}
    by_id: dict[str, LiveCall] = {}
    for call in calls:
        if call.ended:
            continue
        by_id[call.call_id] = call
        if call.agent is not None:
            on_call.setdefault(call.agent, call)
    return agent_rows(CallsWalked(ListFigures(), by_id, on_call), agents, in_state_s, worst, now)


class OracleJudge:
    def __init__(self, alerts: AlertsConfig) -> None:
        self.alerts = alerts
        self.times = OracleTimes()
        self.bell = AlarmBell(alerts.bell_repeat_s)

    def judge(
        self, calls: Sequence[LiveCall], readings: FeedReadings | None, now: float, monotonic: float
    ) -> FloorView:
        readings = readings or FeedReadings()
        self.times.observe(calls, readings.agents, now)
        health = oracle_health(calls, readings.stats, readings.agents)
        found = oracle_breaches(self.alerts, calls, readings.agents, health, self.times, now)
        worst: dict[str, Breach] = {}
        for breach in found:
            worst.setdefault(breach.subject, breach)
        in_state: dict[str, int] = {}
        for agent in readings.agents or ():
            seconds = self.times.agent_in_state_s(agent, now)
            if seconds is not None:
                in_state[agent.agent] = seconds
        alarms = {breach.key: breach for breach in found if breach.level is Level.ALARM}
        floor = {breach.limit: breach for breach in found if breach.subject == FLOOR}
        rang = tuple(self.bell.ring(alarms, monotonic))
        rows = oracle_rows(calls, readings.agents, in_state, worst, now)
        return FloorView(health, readings.agents, found, readings.errors, worst, in_state, alarms, floor, rang, rows)
