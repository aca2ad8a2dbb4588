"""The agents view's rows: every agent with state, time in state, the call they are on and today's counts, from
the profile's `agents` feed, or, without one, the agents the live list shows on calls. Worked out from a snapshot,
cheap enough for every refresh of a floor of a thousand agents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from queuetui.core.floor.alerts import Breach
from queuetui.core.floor.call_walk import CallsWalked
from queuetui.core.floor.calls import LiveCall
from queuetui.core.floor.feeds_config import AgentState
from queuetui.core.floor.health import Agent


@dataclass(frozen=True, slots=True)
class AgentRow:
    agent: str
    name: str | None
    state: AgentState | None
    in_state_s: int | None
    call: LiveCall | None  # the live call the agent is on, when the live list shows one
    handled: int | None = None
    missed: int | None = None
    level: str = ""  # the word of the level the agent is past ("ALARM", "warn"), "" for none


def agent_rows(
    walked: CallsWalked,
    agents: Sequence[Agent] | None,
    in_state_s: dict[str, int],
    worst: dict[str, Breach],
    now: float,
) -> tuple[AgentRow, ...]:
    """In the feed's order (the live list's, without a feed: `agents` None). An agent's call is the live call the
    feed names, or else the live list's call for that agent. Worked out on the poller's thread with each refresh."""
    by_id, on_call = walked.by_id, walked.on_call

    def level(agent: str) -> str:
        breach = worst.get(agent)
        return breach.level.words if breach is not None and breach.limit == "long_break" else ""

    if agents is not None:
        return tuple(
            AgentRow(
                agent.agent,
                agent.name,
                agent.state,
                in_state_s.get(agent.agent),
                (by_id.get(agent.call_id) if agent.call_id else None) or on_call.get(agent.agent),
                agent.handled,
                agent.missed,
                level(agent.agent),
            )
            for agent in agents
        )
    return tuple(
        AgentRow(agent, call.agent_name, AgentState.ON_CALL, call.duration_s(now), call, level=level(agent))
        for agent, call in on_call.items()
    )


def filter_agents(rows: Sequence[AgentRow], text: str) -> list[AgentRow]:
    """The rows whose agent id, name or call id contain every word of `text` (case-insensitive)."""
    words = text.lower().split()
    if not words:
        return list(rows)

    def key(row: AgentRow) -> str:
        return "\n".join(part.lower() for part in (row.agent, row.name, row.call.call_id if row.call else None) if part)

    return [row for row in rows if all(word in key(row) for word in words)]
