"""The floor's health: how many calls talk, ring and wait on hold, how many callers wait and for how long, the
agents by state and the service level, each from the live list where it can be derived and from the profile's
optional `floor_stats` and `agents` feeds where it cannot (or where the feed says otherwise).

What no source gives is None, and is said as unknown ("?"), never as 0: a supervisor who reads "0 waiting"
goes back to a call while callers wait.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from queuetui.core.floor.calls import CallState, LiveCall
from queuetui.core.floor.feeds_config import AgentState
from queuetui.core.floor.turns import taking_turns

UNKNOWN = "?"


@dataclass(frozen=True)
class FloorStats:
    """What a `floor_stats` feed said; None where it said nothing usable."""

    waiting: int | None = None
    longest_wait_s: int | None = None
    service_level: float | None = None
    talking: int | None = None
    ringing: int | None = None
    on_hold: int | None = None
    agents: dict[AgentState, int | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Agent:
    """One agent of an `agents` feed. `state_since` is epoch seconds; counts are for today."""

    agent: str
    name: str | None = None
    state: AgentState | None = None
    state_since: float | None = None
    call_id: str | None = None
    handled: int | None = None
    missed: int | None = None

    def in_state_s(self, now: float) -> int | None:
        return None if self.state_since is None else max(0, int(now - self.state_since))


@dataclass(frozen=True)
class FloorHealth:
    talking: int | None = None
    ringing: int | None = None
    on_hold: int | None = None
    waiting: int | None = None
    longest_wait_s: int | None = None
    service_level: float | None = None
    agents: dict[AgentState, int | None] = field(default_factory=dict)

    def agents_in(self, state: AgentState) -> int | None:
        return self.agents.get(state)

    def as_json(self) -> dict[str, object]:
        return {
            "talking": self.talking,
            "ringing": self.ringing,
            "on_hold": self.on_hold,
            "waiting": self.waiting,
            "longest_wait_s": self.longest_wait_s,
            "service_level": self.service_level,
            "agents": {state.value: self.agents.get(state) for state in AgentState},
        }


def _count_states(calls: Sequence[LiveCall]) -> dict[CallState, int] | None:
    """Calls by state; None when any live call's state is not known (a feed without states, or an unknown word)."""
    counts = dict.fromkeys((CallState.TALKING, CallState.RINGING, CallState.ON_HOLD), 0)
    for call in taking_turns(calls):
        if call.state is None:
            return None
        if call.state in counts:
            counts[call.state] += 1
    return counts


def _agents_by_state(agents: Sequence[Agent]) -> dict[AgentState, int | None]:
    counts: dict[AgentState, int | None] = dict.fromkeys(AgentState, 0)
    for agent in agents:
        if agent.state is not None:
            counts[agent.state] = (counts[agent.state] or 0) + 1
    return counts


def _agents_from_calls(calls: Sequence[LiveCall]) -> dict[AgentState, int | None]:
    """From the live list alone only "on a call" is known: the agents of its live calls."""
    agents = {call.agent for call in calls if call.agent}
    if any(call.agent is None for call in calls):
        return {}
    return {AgentState.ON_CALL: len(agents)}


def floor_health(
    calls: Iterable[LiveCall] | None, stats: FloorStats | None, agents: Sequence[Agent] | None
) -> FloorHealth:
    """The health from what there is: `calls` None before the list loads, `stats` and `agents` None when the
    profile has no such feed or its last fetch failed. A feed's figure wins over one derived from the list."""
    live = [call for call in calls if not call.ended] if calls is not None else None
    states = _count_states(live) if live is not None else None
    stats = stats or FloorStats()
    if agents is not None:
        by_state = _agents_by_state(agents)
    elif live is not None:
        by_state = _agents_from_calls(live)
    else:
        by_state = {}
    by_state = {**by_state, **{state: n for state, n in stats.agents.items() if n is not None}}

    def first(given: int | None, state: CallState) -> int | None:
        return given if given is not None else (states[state] if states is not None else None)

    return FloorHealth(
        talking=first(stats.talking, CallState.TALKING),
        ringing=first(stats.ringing, CallState.RINGING),
        on_hold=first(stats.on_hold, CallState.ON_HOLD),
        waiting=stats.waiting,
        longest_wait_s=stats.longest_wait_s,
        service_level=stats.service_level,
        agents=by_state,
    )


def clock_text(seconds: int | None) -> str:
    """m:ss, or h:mm:ss from an hour; "?" when not known."""
    if seconds is None:
        return UNKNOWN
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def count_text(value: int | None) -> str:
    return UNKNOWN if value is None else str(value)
