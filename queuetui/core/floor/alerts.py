"""Thresholds on the floor (`[profiles.NAME.alerts]`): which calls, agents and figures are past a warn or an alarm
level (`FoundBreaches`, handed out alarms first), how long each call and agent has been in its state (`StateTimes`),
and which alarms ring the bell (`AlarmBell`: a new alarm once, again every `bell_repeat_s` until acknowledged).

    long_call_warn = 180      # seconds
    long_call_alarm = 300
    callers_waiting_alarm = 5 # callers
    bell = true
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from operator import attrgetter
from typing import NamedTuple

from queuetui.core.config.table_reader import TableReader
from queuetui.core.floor.calls import CallState
from queuetui.core.floor.feeds_config import AgentState
from queuetui.core.floor.health import Agent, clock_text

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


class Breach(NamedTuple):
    """A call, an agent or the floor past a level: `subject` is the call id, the agent id, or FLOOR. A named tuple:
    a refresh of a floor of thousands makes thousands, and a tuple is the quickest immutable thing to make."""

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
        # By call id: the state and when it was first seen in it. The judge's walk over the calls renews it whole.
        self.calls: dict[str, tuple[CallState | None, float]] = {}
        self._agents: dict[str, tuple[AgentState | None, float]] = {}

    def observe_agents(self, agents: Sequence[Agent] | None, now: float) -> None:
        if agents is None:
            return
        known: dict[str, tuple[AgentState | None, float]] = {}
        for agent in agents:
            was = self._agents.get(agent.agent)
            known[agent.agent] = was if was is not None and was[0] == agent.state else (agent.state, now)
        self._agents = known

    def agent_in_state_s(self, agent: Agent, now: float) -> int | None:
        given = agent.in_state_s(now)
        if given is not None:
            return given
        since = self._agents.get(agent.agent)
        return None if since is None or since[0] != agent.state else max(0, int(now - since[1]))


def lowest(levels: Levels | None) -> float:
    """The lowest level set, infinity for none: a value below it is past no level."""
    set_ = [level for level in (levels.warn, levels.alarm) if level is not None] if levels is not None else []
    return min(set_, default=math.inf)


class FoundBreaches:
    """The breaches of one refresh as they are found, handed out in the order a supervisor reads them: alarms
    first, then the longest, and of two alike the one found first."""

    def __init__(self) -> None:
        self.alarms: list[Breach] = []
        self.warnings: list[Breach] = []

    def check(self, levels: Levels | None, key: str, subject: str, value: float | None) -> None:
        """Keep a breach of `subject` when `value` is past one of `levels` (a Limit's)."""
        if levels is None or value is None:
            return
        if levels.alarm is not None and value >= levels.alarm:
            self.alarms.append(Breach(key, subject, Level.ALARM, value, levels.alarm))
        elif levels.warn is not None and value >= levels.warn:
            self.warnings.append(Breach(key, subject, Level.WARN, value, levels.warn))

    def ordered(self) -> tuple[Breach, ...]:
        """Every breach kept: the alarms, then the warnings, each the longest first (a stable sort: of two of
        equal value, the one found first)."""
        by_value = attrgetter("value")
        self.alarms.sort(key=by_value, reverse=True)
        self.warnings.sort(key=by_value, reverse=True)
        return (*self.alarms, *self.warnings)


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
