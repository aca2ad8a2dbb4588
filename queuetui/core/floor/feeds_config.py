"""The `[profiles.NAME.floor_stats]` and `[profiles.NAME.agents]` tables: the floor's figures and its agents, read
like the live list (`source`, `path`, `body`, `items`, `command`, a `fields` table of JSON Pointers).

DeepCall has `liveQueue/count` ("real-time queue and agent performance metrics") and `Agent/live` ("real-time
statistics and status information for agents"), but their field tables are not published. So, as for the live
list, every default here is an assumption, named in plain camelCase as DeepCall's other answers are, and the
simulator serves exactly these defaults; `queuetui calls --raw` shows what a server really answers. Agent states
come as words or as codes: `states` maps a feed's own codes (or words) to the five states the floor knows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from queuetui.core.config.table_reader import TableReader
from queuetui.core.floor.config import FeedConfig, PointerTable


class AgentState(str, Enum):
    AVAILABLE = "available"
    ON_CALL = "on a call"
    WRAP_UP = "wrap-up"
    BREAK = "break"
    OFFLINE = "offline"


AGENT_STATE_WORDS = tuple(state.value for state in AgentState)


@dataclass(frozen=True)
class FloorStatsFields(PointerTable):
    """JSON Pointers inside the object at `items`. Counts of calls here win over what the live list shows."""

    waiting: str = "/waiting"  # assumed: callers in the queue, not yet offered to an agent
    longest_wait_s: str = "/longestWait"  # assumed: seconds the longest-waiting caller has waited
    service_level: str = "/serviceLevel"  # assumed: percent answered within the site's target
    talking: str = ""
    ringing: str = ""
    on_hold: str = ""
    available: str = ""
    on_call: str = ""
    wrap_up: str = ""
    on_break: str = ""
    offline: str = ""
    unknown: dict[str, object] = field(default_factory=dict)
    given: frozenset[str] = field(default=frozenset(), compare=False)


@dataclass(frozen=True)
class AgentFields(PointerTable):
    """JSON Pointers inside one agent of the array at `items`."""

    REQUIRED = ("agent",)
    WHY_REQUIRED = "an agent without an id cannot be told apart"

    agent: str = "/agentId"  # assumed; a number or text, read as text
    name: str = "/agentName"  # assumed
    state: str = "/status"  # assumed: words, or codes mapped by `states`
    state_since: str = "/statusSince"  # assumed: epoch seconds (or milliseconds) or ISO 8601
    call_id: str = "/callId"  # assumed: the call the agent is on
    handled: str = "/handled"  # assumed: calls handled today
    missed: str = "/missed"  # assumed: calls missed today
    unknown: dict[str, object] = field(default_factory=dict)
    given: frozenset[str] = field(default=frozenset(), compare=False)


@dataclass(frozen=True)
class FloorStatsConfig(FeedConfig):
    path: str = "liveQueue/count"
    fields: FloorStatsFields = field(default_factory=FloorStatsFields)
    unknown: dict[str, object] = field(default_factory=dict)
    given: frozenset[str] = field(default=frozenset(), compare=False)

    @classmethod
    def _read_tables(cls, table: TableReader) -> dict[str, object]:
        return {"fields": FloorStatsFields.read(table.table("fields"))}


def _states(table: TableReader) -> dict[str, str]:
    states = table.table("states")
    mapped: dict[str, str] = {}
    for code, word in states.data.items():
        if not isinstance(word, str) or word not in AGENT_STATE_WORDS:
            states.problem(str(code), f"must be one of {', '.join(AGENT_STATE_WORDS)}")
            continue
        mapped[str(code)] = word
    return mapped


@dataclass(frozen=True)
class AgentsConfig(FeedConfig):
    path: str = "Agent/live"
    # A feed's own state codes or words -> one of AGENT_STATE_WORDS ("1" = "available").
    states: dict[str, str] = field(default_factory=dict)
    fields: AgentFields = field(default_factory=AgentFields)
    unknown: dict[str, object] = field(default_factory=dict)
    given: frozenset[str] = field(default=frozenset(), compare=False)

    @classmethod
    def _read_tables(cls, table: TableReader) -> dict[str, object]:
        return {"states": _states(table), "fields": AgentFields.read(table.table("fields"))}


def simulator_floor_stats() -> FloorStatsConfig:
    return FloorStatsConfig(source="deepcall")


def simulator_agents() -> AgentsConfig:
    return AgentsConfig(source="deepcall")
