"""The floor's optional feeds, read beside the live list: its figures (`floor_stats`) and its agents (`agents`).

`FloorFeeds` is the live list's source with both feeds around it: one fetch of the list fetches them too, on the
same thread and budget, so the console's poller needs nothing new. A feed that fails never fails the list: its
figures become unknown and its error is kept for the log and `calls --json`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from queuetui.api.errors import CallFailed, ProtocolError
from queuetui.core.floor.calls import MappedCalls, read_epoch, read_text
from queuetui.core.floor.feeds_config import AgentsConfig, AgentState, FloorStatsConfig
from queuetui.core.floor.health import Agent, FloorStats
from queuetui.core.floor.json_pointer import JsonPointer
from queuetui.core.floor.sources import AnswerSource, CallSource, RawAnswer, answers_from
from queuetui.core.floor.turns import taking_turns

if TYPE_CHECKING:
    from queuetui.api.client import DeepCallClient
    from queuetui.api.credentials import SessionAuth, TokenAuth

# Words a feed may use for an agent's state (lowercase, separators as single spaces); codes need `states`.
_AGENT_WORDS: dict[str, AgentState] = {
    **dict.fromkeys(("available", "idle", "ready", "free", "online", "waiting"), AgentState.AVAILABLE),
    **dict.fromkeys(("on a call", "on call", "oncall", "busy", "talking", "in call", "incall"), AgentState.ON_CALL),
    **dict.fromkeys(("wrap up", "wrap-up", "wrapup", "acw", "after call work"), AgentState.WRAP_UP),
    **dict.fromkeys(("break", "on break", "paused", "pause", "away", "aux"), AgentState.BREAK),
    **dict.fromkeys(("offline", "logged out", "logout", "signed out", "off"), AgentState.OFFLINE),
}

_STAT_AGENT_KEYS = {
    "available": AgentState.AVAILABLE,
    "on_call": AgentState.ON_CALL,
    "wrap_up": AgentState.WRAP_UP,
    "on_break": AgentState.BREAK,
    "offline": AgentState.OFFLINE,
}


def _optional(text: str) -> JsonPointer | None:
    return JsonPointer.parse(text) if text else None


def read_count(value: object) -> int | None:
    """A whole number of at least 0 (a numeric string too); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) and value >= 0 else None


def _percent(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().rstrip("%"))
        except ValueError:
            return None
    if isinstance(value, (int, float)) and math.isfinite(value) and 0 <= value <= 100:
        return float(value)
    return None


@dataclass(frozen=True)
class StatsMap:
    """A `floor_stats` feed's mapping, parsed once."""

    items: JsonPointer
    pointers: dict[str, JsonPointer]

    @classmethod
    def from_config(cls, config: FloorStatsConfig) -> StatsMap:
        fields = config.fields
        names = ("waiting", "longest_wait_s", "service_level", "talking", "ringing", "on_hold", *_STAT_AGENT_KEYS)
        pointers = {name: pointer for name in names if (pointer := _optional(getattr(fields, name)))}
        return cls(JsonPointer.parse(config.items), pointers)

    def read(self, document: object) -> FloorStats:
        found = self.items.get(document)
        if not isinstance(found, dict):
            where = self.items.text or "the top"
            raise ProtocolError(
                f"floor_stats: no object at {where}; run `queuetui calls --raw` and set floor_stats.items"
            )

        def count(name: str) -> int | None:
            pointer = self.pointers.get(name)
            return read_count(pointer.get(found)) if pointer else None

        level = self.pointers.get("service_level")
        return FloorStats(
            waiting=count("waiting"),
            longest_wait_s=count("longest_wait_s"),
            service_level=_percent(level.get(found)) if level else None,
            talking=count("talking"),
            ringing=count("ringing"),
            on_hold=count("on_hold"),
            agents={state: count(name) for name, state in _STAT_AGENT_KEYS.items() if name in self.pointers},
        )


# An agents feed's items by agent id, as last read, with the agent each was read as.
KnownAgents = dict[str, tuple[object, Agent]]


@dataclass(frozen=True)
class AgentMap:
    """An `agents` feed's mapping, parsed once; `states` maps the feed's codes (as text) to a state."""

    items: JsonPointer
    pointers: dict[str, JsonPointer | None]
    states: dict[str, AgentState]

    @classmethod
    def from_config(cls, config: AgentsConfig) -> AgentMap:
        states = {code.strip().lower(): AgentState(word) for code, word in config.states.items()}
        names = ("agent", "name", "state", "state_since", "call_id", "handled", "missed")
        pointers = {name: _optional(getattr(config.fields, name)) for name in names}
        return cls(JsonPointer.parse(config.items), pointers, states)

    def state(self, value: object) -> AgentState | None:
        if isinstance(value, bool) or value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, (str, int)):
            return None
        key = " ".join(str(value).strip().lower().replace("_", " ").split())
        return self.states.get(key) or _AGENT_WORDS.get(key)

    def read(self, document: object, known: KnownAgents | None = None) -> tuple[Agent, ...]:
        """The agents of an answer, each once (the first item of an id). With `known` (kept by the caller from one
        answer to the next), an item unchanged since the last answer is not read again, as with the live list's
        calls (see `map_calls`): a thousand agents come with every refresh, on the poller's thread."""
        found = self.items.get(document)
        if isinstance(found, dict) and isinstance(found.get("agents"), list):
            found = found["agents"]  # a command may print {"agents": [...]}
        if not isinstance(found, list):
            where = self.items.text or "the top"
            raise ProtocolError(f"agents: no array at {where}; run `queuetui calls --raw` and set agents.items")
        before = dict(known) if known is not None else {}
        if known is not None:
            known.clear()  # only this answer's agents are kept: one gone from the feed is forgotten
        agents: dict[str, Agent] = {}
        for item in taking_turns(found):
            agent = self._agent(item, before)
            if agent is not None and agent.agent not in agents:
                agents[agent.agent] = agent
                if known is not None:
                    known[agent.agent] = (item, agent)
        return tuple(agents.values())

    def _agent(self, item: object, before: KnownAgents) -> Agent | None:
        def get(name: str) -> object:
            pointer = self.pointers[name]
            return pointer.get(item) if pointer is not None else None

        agent = read_text(get("agent"))
        if agent is None:
            return None
        was = before.get(agent)
        if was is not None and was[0] == item:
            return was[1]
        return Agent(
            agent,
            name=read_text(get("name")),
            state=self.state(get("state")),
            state_since=read_epoch(get("state_since")),
            call_id=read_text(get("call_id")),
            handled=read_count(get("handled")),
            missed=read_count(get("missed")),
        )


@dataclass(frozen=True)
class Feed:
    """One optional feed: where its answers come from and how to read them."""

    name: str  # "floor_stats" or "agents", for messages
    answers: AnswerSource
    mapping: StatsMap | AgentMap
    known: KnownAgents = field(default_factory=dict, compare=False, repr=False)  # an agents feed's last answer


@dataclass(frozen=True)
class FeedReadings:
    """What the feeds gave with one refresh of the list: None for a feed the profile lacks or that failed
    (`errors` says which and why)."""

    stats: FloorStats | None = None
    agents: tuple[Agent, ...] | None = None
    errors: tuple[tuple[str, CallFailed], ...] = ()


def read_feeds(feeds: Sequence[Feed]) -> FeedReadings:
    stats: FloorStats | None = None
    agents: tuple[Agent, ...] | None = None
    errors: list[tuple[str, CallFailed]] = []
    for feed in feeds:
        try:
            document = feed.answers.fetch_answer().document
            if isinstance(feed.mapping, StatsMap):
                stats = feed.mapping.read(document)
            else:
                agents = feed.mapping.read(document, feed.known)
        except CallFailed as error:
            errors.append((feed.name, error))
    return FeedReadings(stats, agents, tuple(errors))


@dataclass(frozen=True)
class MappedFloor(MappedCalls):
    """One answer of the list with what the feeds gave beside it."""

    feeds: FeedReadings = FeedReadings()


class FloorFeeds(CallSource):
    """The live list's source with the floor's feeds: `fetch` reads all of them, the list's failure alone failing
    it. Everything else is the list's source's."""

    def __init__(self, calls: CallSource, feeds: Sequence[Feed]) -> None:
        super().__init__(calls.fields)
        self.calls = calls
        self.feeds = tuple(feeds)
        self.kind = calls.kind

    @property
    def description(self) -> str:
        return self.calls.description

    def fetch_answer(self) -> RawAnswer:
        return self.calls.fetch_answer()

    def items(self, document: object) -> list[object]:
        return self.calls.items(document)

    def fetch(self) -> MappedCalls:
        mapped = self.calls.fetch()
        return MappedFloor(mapped.calls, mapped.skipped, mapped.repeated, read_feeds(self.feeds))


class _FeedsOf(Protocol):
    floor_stats: FloorStatsConfig
    agents: AgentsConfig
    read_timeout: float


def with_feeds(
    source: CallSource,
    profile: _FeedsOf,
    client: DeepCallClient | None,
    credentials: SessionAuth | TokenAuth | None,
    *,
    command_allowed: bool = True,
) -> CallSource:
    """`source` with the profile's feeds around it; `source` itself when it has none. A DeepCall feed needs the
    client and credentials (else it is not read); a command feed is not read where commands are not allowed
    (a console served to a browser)."""
    feeds: list[Feed] = []
    for name, config in (("floor_stats", profile.floor_stats), ("agents", profile.agents)):
        if config.source == "command" and not command_allowed:
            continue
        answers = answers_from(config, client, credentials, profile.read_timeout)
        if answers is None:
            continue
        mapping = StatsMap.from_config(config) if isinstance(config, FloorStatsConfig) else AgentMap.from_config(config)
        feeds.append(Feed(name, answers, mapping))
    return FloorFeeds(source, feeds) if feeds else source
