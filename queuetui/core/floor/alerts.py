"""Thresholds on the floor (`[profiles.NAME.alerts]`): which calls, agents and figures are past a warn or an alarm
level (`breaches`, a pure function), how long each call and agent has been in its state (`StateTimes`), and which
alarms ring the bell (`AlarmBell`: a new alarm once, again every `bell_repeat_s` until acknowledged).

    long_call_warn = 180      # seconds
    long_call_alarm = 300
    callers_waiting_alarm = 5 # callers
    bell = true
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from queuetui.core.config.table_reader import TableReader
from queuetui.core.floor.calls import CallState, LiveCall
from queuetui.core.floor.feeds_config import AgentState
from queuetui.core.floor.health import Agent, FloorHealth, clock_text
from queuetui.core.floor.turns import taking_turns

FLOOR = "floor"  # the subject of a breach of a figure of the whole floor


class Level(IntEnum):
    WARN = 1
    ALARM = 2

    @property
    def words(self) -> str:
        return "ALARM" if self is Level.ALARM else "warn"

    @property
    def glyph(self) -> str:
        # Plain ASCII: seen on every terminal and over a console that filters to ASCII.
        return "!!" if self is Level.ALARM else "!"

    @property
    def mark(self) -> str:
        return f"{self.glyph}{self.words}"


@dataclass(frozen=True)
class Limit:
    """What a thing is measured by and its words: `seconds` limits are said as a clock."""

    key: str
    words: str
    seconds: bool = True


LIMITS = (
    Limit("long_call", "long call"),
    Limit("long_hold", "long hold"),
    Limit("long_ring", "long ring"),
    Limit("callers_waiting", "callers waiting", seconds=False),
    Limit("longest_wait", "longest wait"),
    Limit("long_break", "break too long"),
)
_BY_KEY = {limit.key: limit for limit in LIMITS}


@dataclass(frozen=True)
class Levels:
    warn: float | None = None
    alarm: float | None = None

    def level(self, value: float | None) -> Level | None:
        if value is None:
            return None
        if self.alarm is not None and value >= self.alarm:
            return Level.ALARM
        if self.warn is not None and value >= self.warn:
            return Level.WARN
        return None


@dataclass(frozen=True)
class AlertsConfig:
    levels: dict[str, Levels] = field(default_factory=dict)  # by Limit.key; a key absent has no levels
    bell: bool = True
    bell_repeat_s: float = 60.0  # an alarm not acknowledged rings again after this long (0: never)
    unknown: dict[str, object] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return bool(self.levels)

    @classmethod
    def read(cls, table: TableReader) -> AlertsConfig:
        default = cls()
        levels: dict[str, Levels] = {}
        for limit in LIMITS:
            found: dict[str, float | None] = {}
            for level in ("warn", "alarm"):
                key = f"{limit.key}_{level}"
                found[level] = table.number(key, 0, at_least=0, at_most=86_400) if table.has(key) else None
            warn, alarm = found["warn"], found["alarm"]
            if warn is not None and alarm is not None and alarm < warn:
                table.problem(f"{limit.key}_alarm", f"must be at least {limit.key}_warn ({warn:g})")
            if warn is not None or alarm is not None:
                levels[limit.key] = Levels(warn, alarm)
        bell = table.flag("bell", default.bell)
        repeat = table.number("bell_repeat_s", default.bell_repeat_s, at_least=0, at_most=86_400)
        return cls(levels, bell, repeat, table.extra())

    def written(self) -> dict[str, object]:
        data: dict[str, object] = {}
        for key, levels in self.levels.items():
            for level in ("warn", "alarm"):
                value = getattr(levels, level)
                if value is not None:
                    data[f"{key}_{level}"] = int(value) if float(value).is_integer() else value
        if self.bell != AlertsConfig.bell:
            data["bell"] = self.bell
        if self.bell_repeat_s != AlertsConfig.bell_repeat_s:
            data["bell_repeat_s"] = self.bell_repeat_s
        return {**data, **self.unknown}


@dataclass(frozen=True, slots=True)
class Breach:
    """A call, an agent or the floor past a level: `subject` is the call id, the agent id, or FLOOR."""

    limit: str  # a Limit.key
    subject: str
    level: Level
    value: float
    threshold: float

    @property
    def key(self) -> tuple[str, str]:
        return (self.limit, self.subject)

    @property
    def words(self) -> str:
        """ "ALARM long call C-10023 5:12 (alarm at 5:00)": readable without colour, in a log line."""
        limit = _BY_KEY[self.limit]

        def said(value: float) -> str:
            return clock_text(int(value)) if limit.seconds else f"{value:g}"

        subject = "" if self.subject == FLOOR else f" {self.subject}"
        return (
            f"{self.level.words} {limit.words}{subject} {said(self.value)} "
            f"({self.level.words.lower()} at {said(self.threshold)})"
        )

    def as_json(self) -> dict[str, object]:
        return {
            "limit": self.limit,
            "subject": self.subject,
            "level": self.level.words.lower(),
            "value": self.value,
            "threshold": self.threshold,
        }


class StateTimes:
    """When each call and agent was first seen in its current state (epoch seconds), for the times a feed does
    not give: a hold's length, a ring's. Not thread-safe: one refresh at a time updates it."""

    def __init__(self) -> None:
        self._calls: dict[str, tuple[CallState | None, float]] = {}
        self._agents: dict[str, tuple[AgentState | None, float]] = {}

    def observe(self, calls: Iterable[LiveCall], agents: Sequence[Agent] | None, now: float) -> None:
        seen: dict[str, tuple[CallState | None, float]] = {}
        for call in taking_turns(calls):
            before = self._calls.get(call.call_id)
            seen[call.call_id] = before if before is not None and before[0] == call.state else (call.state, now)
        self._calls = seen
        if agents is not None:
            known: dict[str, tuple[AgentState | None, float]] = {}
            for agent in agents:
                was = self._agents.get(agent.agent)
                known[agent.agent] = was if was is not None and was[0] == agent.state else (agent.state, now)
            self._agents = known

    def call_in_state_s(self, call: LiveCall, now: float) -> int | None:
        """How long `call` has been in its state: a ringing call since it started when its start is known (a
        call rings first), otherwise since it was first seen so."""
        if call.state is CallState.RINGING and call.started_at is not None:
            return call.duration_s(now)
        since = self._calls.get(call.call_id)
        return None if since is None or since[0] != call.state else max(0, int(now - since[1]))

    def agent_in_state_s(self, agent: Agent, now: float) -> int | None:
        given = agent.in_state_s(now)
        if given is not None:
            return given
        since = self._agents.get(agent.agent)
        return None if since is None or since[0] != agent.state else max(0, int(now - since[1]))


def _breach(levels: Levels | None, key: str, subject: str, value: float | None) -> Breach | None:
    if levels is None or value is None:
        return None
    level = levels.level(value)
    if level is None:
        return None
    threshold = levels.alarm if level is Level.ALARM else levels.warn
    assert threshold is not None  # noqa: S101 - a level is reached only past a threshold that is set
    return Breach(key, subject, level, value, threshold)


def _lowest(levels: Levels | None) -> float:
    """The lowest level set, infinity for none: a value below it is past no level."""
    set_ = [level for level in (levels.warn, levels.alarm) if level is not None] if levels is not None else []
    return min(set_, default=math.inf)


def breaches(
    config: AlertsConfig,
    calls: Iterable[LiveCall],
    agents: Sequence[Agent] | None,
    health: FloorHealth,
    times: StateTimes,
    now: float,
) -> tuple[Breach, ...]:
    """Every call, agent and figure past a level at `now` (epoch seconds), alarms first, then the longest."""
    if not config.any:
        return ()
    # Looked up once: this runs for every call of a floor of thousands, on every refresh.
    long_call, long_hold, long_ring = (config.levels.get(key) for key in ("long_call", "long_hold", "long_ring"))
    # The lowest level of each, for a call below it to cost no more than a comparison: the poller's thread runs
    # this while the console waits for the interpreter.
    call_from, hold_from, ring_from = (_lowest(levels) for levels in (long_call, long_hold, long_ring))
    found: list[Breach | None] = []
    for call in taking_turns(calls):
        state = call.state
        if state is CallState.ENDED:
            continue
        duration = call.duration_s(now)
        if duration is not None and duration >= call_from:
            found.append(_breach(long_call, "long_call", call.call_id, duration))
        if state is CallState.ON_HOLD and long_hold is not None:
            held = times.call_in_state_s(call, now)
            if held is not None and held >= hold_from:
                found.append(_breach(long_hold, "long_hold", call.call_id, held))
        elif state is CallState.RINGING and long_ring is not None:
            rung = times.call_in_state_s(call, now)
            if rung is not None and rung >= ring_from:
                found.append(_breach(long_ring, "long_ring", call.call_id, rung))
    long_break = config.levels.get("long_break")
    for agent in agents or ():
        if agent.state is AgentState.BREAK and long_break is not None:
            found.append(_breach(long_break, "long_break", agent.agent, times.agent_in_state_s(agent, now)))
    found.append(_breach(config.levels.get("callers_waiting"), "callers_waiting", FLOOR, health.waiting))
    found.append(_breach(config.levels.get("longest_wait"), "longest_wait", FLOOR, health.longest_wait_s))
    kept = [breach for breach in found if breach is not None]
    kept.sort(key=lambda breach: (-breach.level, -breach.value))
    return tuple(kept)


def alarms_of(found: Iterable[Breach]) -> dict[tuple[str, str], Breach]:
    return {breach.key: breach for breach in found if breach.level is Level.ALARM}


class AlarmBell:
    """Which alarms ring: a new one at once, one not acknowledged again every `repeat_s` (0: never), none that
    was acknowledged while it lasts. A breach that clears and comes back is new. Thread-safe: the poller rings it
    (a floor of thousands of alarms costs the UI thread nothing), the console acknowledges."""

    def __init__(self, repeat_s: float) -> None:
        self.repeat_s = repeat_s
        self._rung: dict[tuple[str, str], float] = {}  # alarm -> when it last rang (monotonic)
        self._acknowledged: set[tuple[str, str]] = set()
        self._current: Mapping[tuple[str, str], Breach] = {}
        self._lock = threading.Lock()

    def ring(self, alarms: Mapping[tuple[str, str], Breach], now: float) -> list[tuple[Breach, bool]]:
        """The alarms (by key) that ring now, each with whether it is new (a new one goes to the log and syslog; a
        repeat only rings); `now` on a monotonic clock."""
        with self._lock:
            return self._ring(alarms, now)

    def _ring(self, alarms: Mapping[tuple[str, str], Breach], now: float) -> list[tuple[Breach, bool]]:
        self._current = alarms
        self._rung = {key: at for key, at in self._rung.items() if key in alarms}
        self._acknowledged.intersection_update(alarms)
        ringing: list[tuple[Breach, bool]] = []
        for key, breach in alarms.items():
            if key in self._acknowledged:
                continue
            last = self._rung.get(key)
            if last is None or (self.repeat_s > 0 and now - last >= self.repeat_s):
                self._rung[key] = now
                ringing.append((breach, last is None))
        return ringing

    def acknowledge(self) -> int:
        """Acknowledge every alarm now on; how many were not acknowledged yet."""
        with self._lock:
            fresh = self._current.keys() - self._acknowledged
            self._acknowledged |= fresh
            return len(fresh)

    @property
    def unacknowledged(self) -> int:
        with self._lock:
            return len(self._current.keys() - self._acknowledged)
