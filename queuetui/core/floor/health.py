"""The floor's health: how many calls talk, ring and wait on hold, how many callers wait and for how long, the
agents by state and the service level, each from the live list where it can be derived and from the profile's
optional `floor_stats` and `agents` feeds where it cannot (or where the feed says otherwise).

What no source gives is None, and is said as unknown ("?"), never as 0: a supervisor who reads "0 waiting"
goes back to a call while callers wait.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from queuetui.core.floor.calls import CallState
from queuetui.core.floor.feeds_config import AgentState

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


@dataclass(frozen=True)
class ListFigures:
    """What the live list alone tells of the floor, counted over its live calls (see `call_walk`)."""

    states: dict[CallState, int] | None = None  # talking, ringing, on hold; None when a live call's state is unknown
    agents_on_calls: int | None = None  # the agents of the live calls; None when a live call's agent is unknown


def _agents_by_state(agents: Sequence[Agent]) -> dict[AgentState, int | None]:
    counts: dict[AgentState, int | None] = dict.fromkeys(AgentState, 0)
    for agent in agents:
        if agent.state is not None:
            counts[agent.state] = (counts[agent.state] or 0) + 1
    return counts


def floor_health(listed: ListFigures | None, stats: FloorStats | None, agents: Sequence[Agent] | None) -> FloorHealth:
    """The health from what there is: `listed` None before the list loads, `stats` and `agents` None when the
    profile has no such feed or its last fetch failed. A feed's figure wins over one derived from the list."""
    states = listed.states if listed is not None else None
    stats = stats or FloorStats()
    by_state: dict[AgentState, int | None] = {}
    if agents is not None:
        by_state = _agents_by_state(agents)
    elif listed is not None and listed.agents_on_calls is not None:
        # From the live list alone only "on a call" is known: the agents of its live calls.
        by_state = {AgentState.ON_CALL: listed.agents_on_calls}
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
