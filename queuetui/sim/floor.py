"""Traffic on the simulated floor: calls that start, ring, get answered, sometimes wait on hold, and end.

Everything is drawn from one seeded random source, one event at a time in the order the events happen, so
the same seed gives the same calls at the same simulated times however often (or rarely) the floor is
looked at. Simulated time runs `speed` times faster than the clock; the floor starts warm (an hour of
traffic already behind it) so the first look already shows calls in every state. Standard library only.

Assumed (nothing is published about a live list): the state words, that an agent takes one call at a time,
that a call finding every agent busy is lost, and the rough shape of the traffic (exponential gaps between
calls, a few seconds of ringing, a couple of minutes of talk, one call in five put on hold once).
"""

from __future__ import annotations

import heapq
import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

QUEUES = ("billing", "support", "sales", "retention")
_NAMES = (
    "Ira", "Jon", "Kavya", "Leo", "Mira", "Nikhil", "Omar", "Priya", "Quinn", "Ravi",
    "Sara", "Tariq", "Uma", "Vik", "Wen", "Yash", "Zoya", "Arjun", "Bela", "Dev",
)  # fmt: skip
FIRST_CALL_NUMBER = 20001  # ids C-20001, C-20002, ...: apart from the scripted demo calls
FIRST_AGENT_ID = 101
_WARM_UP_S = 3600.0
_REMEMBER_ENDED = 10_000  # ended ids remembered, to answer "that call has ended"
WRAP_UP_S = 30.0  # an agent is in wrap-up this long after a call
_BREAK_EVERY_S = 7200.0  # each agent takes one break in every two hours of simulated time,
_BREAK_S = (300.0, 1200.0)  # of between five and twenty minutes


@dataclass(frozen=True)
class FloorAgent:
    """One agent of the traffic as `Agent/live` shows them; `since` in epoch seconds."""

    agent: str
    name: str
    state: str  # "available", "on a call", "wrap-up" or "break"
    since: float
    call_id: str | None
    handled: int
    missed: int


@dataclass(frozen=True)
class FloorCall:
    """One call of the traffic; times in simulated seconds, `started_at` in epoch seconds."""

    call_id: str
    agent: str
    agent_name: str
    queue: str
    customer: str
    arrives: float
    answered: float
    hold: tuple[float, float] | None
    ends: float
    started_at: float

    def state(self, at: float) -> str:
        if at < self.answered:
            return "ringing"
        if self.hold is not None and self.hold[0] <= at < self.hold[1]:
            return "on hold"
        return "talking"


class Floor:
    """Thread-safe: the simulator's request threads look at it concurrently."""

    def __init__(
        self,
        seed: int = 9,
        *,
        speed: float = 1.0,
        calls_per_hour: float = 360.0,
        agents: int = 40,
        mean_talk_s: float = 150.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if speed <= 0 or calls_per_hour <= 0 or agents <= 0 or mean_talk_s <= 0:
            raise ValueError("speed, calls_per_hour, agents and mean_talk_s must be positive")
        self.seed = seed
        self.calls_per_hour = calls_per_hour
        self.agents = agents
        self.mean_talk_s = mean_talk_s
        self._clock = clock
        self._speed = speed
        self._lock = threading.Lock()
        self.restart()

    def restart(self) -> None:
        """Back to the start of the seeded traffic, warm, from the clock's present."""
        with self._lock:
            self._rng = random.Random(self.seed)  # noqa: S311 - simulated traffic, not cryptography
            self._real_base = self._clock()
            self._sim_base = _WARM_UP_S
            self._free = [str(FIRST_AGENT_ID + number) for number in range(self.agents)]
            self._active: dict[str, FloorCall] = {}
            self._ending: list[tuple[float, int, str]] = []  # (ends, number, call id): a heap
            self._ended: OrderedDict[str, None] = OrderedDict()
            self._count = 0
            self._lost = 0
            self._last_end: dict[str, float] = {}
            self._handled: dict[str, int] = {}
            self._next_arrival = self._gap()
            # Breaks and missed counts from a random source of their own: the traffic stays as it was.
            breaks = random.Random(self.seed + 1)  # noqa: S311 - simulated traffic
            self._breaks = {
                str(FIRST_AGENT_ID + n): (breaks.uniform(0, _BREAK_EVERY_S), breaks.uniform(*_BREAK_S))
                for n in range(self.agents)
            }
            self._missed = {str(FIRST_AGENT_ID + n): breaks.choice((0, 0, 0, 1, 2)) for n in range(self.agents)}

    @property
    def speed(self) -> float:
        return self._speed

    @speed.setter
    def speed(self, value: float) -> None:
        """Change how fast simulated time runs from now on; what has happened stays as it was."""
        if value <= 0:
            raise ValueError("speed must be positive")
        with self._lock:
            now = self._now()
            self._advance(now)
            self._real_base, self._sim_base, self._speed = self._clock(), now, value

    @property
    def started_at(self) -> float:
        """The epoch time the floor (re)started: the scripted calls' start times count back from it."""
        return self._real_base

    def live(self) -> list[tuple[FloorCall, str]]:
        """The calls on the floor now with their states, in the order they came."""
        with self._lock:
            now = self._now()
            self._advance(now)
            return [(call, call.state(now)) for call in self._active.values()]

    def find(self, call_id: str) -> FloorCall | None:
        with self._lock:
            self._advance(self._now())
            return self._active.get(call_id)

    def has_ended(self, call_id: str) -> bool:
        with self._lock:
            self._advance(self._now())
            return call_id in self._ended

    def agents_now(self) -> list[FloorAgent]:
        """Every agent of the traffic with their state now: on a call, in wrap-up just after one, on their break
        (taken only between calls), else available."""
        with self._lock:
            now = self._now()
            self._advance(now)
            on_call = {call.agent: call for call in self._active.values()}
            found: list[FloorAgent] = []
            for number in range(self.agents):
                agent = str(FIRST_AGENT_ID + number)
                name = _NAMES[number % len(_NAMES)]
                counts = (self._handled.get(agent, 0), self._missed[agent])
                call = on_call.get(agent)
                if call is not None:
                    found.append(FloorAgent(agent, name, "on a call", call.started_at, call.call_id, *counts))
                    continue
                ended = self._last_end.get(agent)
                start, length = self._breaks[agent]
                into_break = (now - start) % _BREAK_EVERY_S
                if ended is not None and now - ended < WRAP_UP_S:
                    state, since = "wrap-up", ended
                elif into_break < length:
                    state, since = "break", now - into_break
                else:
                    state, since = "available", ended if ended is not None else self._sim_base
                found.append(FloorAgent(agent, name, state, self._epoch(since), None, *counts))
            return found

    def queue_now(self) -> tuple[int, int, float | None]:
        """Callers waiting, the longest wait in seconds, and the percent of calls answered since the start (None
        before any): the ringing calls and a queue that swells and ebbs every few minutes."""
        with self._lock:
            now = self._now()
            self._advance(now)
            rings = [now - call.arrives for call in self._active.values() if now < call.answered]
            swell = int(now // 90) % 6  # callers queued before any agent is offered them
            waiting = len(rings) + swell
            longest = max([*rings, (now % 90) + 10 * swell if swell else 0.0])
            level = 100.0 * (self._count - self._lost) / self._count if self._count else None
            return waiting, int(longest), level

    @property
    def started(self) -> int:
        """How many calls have come in since the (re)start, lost ones included."""
        with self._lock:
            self._advance(self._now())
            return self._count

    def _now(self) -> float:
        return self._sim_base + (self._clock() - self._real_base) * self._speed

    def _epoch(self, at: float) -> float:
        return self._real_base + (at - self._sim_base) / self._speed

    def _gap(self) -> float:
        return self._rng.expovariate(self.calls_per_hour / 3600.0)

    def _advance(self, now: float) -> None:
        """Play every arrival and ending up to `now`, in time order, so agents free up before they are needed."""
        while True:
            next_end = self._ending[0][0] if self._ending else None
            if next_end is not None and next_end <= now and next_end <= self._next_arrival:
                _, _, call_id = heapq.heappop(self._ending)
                call = self._active.pop(call_id)
                self._free.append(call.agent)
                self._last_end[call.agent] = call.ends
                self._handled[call.agent] = self._handled.get(call.agent, 0) + 1
                self._ended[call_id] = None
                if len(self._ended) > _REMEMBER_ENDED:
                    self._ended.popitem(last=False)
            elif self._next_arrival <= now:
                self._arrive(self._next_arrival)
                self._next_arrival += self._gap()
            else:
                return

    def _arrive(self, at: float) -> None:
        rng = self._rng
        self._count += 1
        number = FIRST_CALL_NUMBER + self._count - 1
        # Every draw happens whether or not an agent is free, so one lost call does not reshuffle the rest.
        pick = rng.random()
        queue = rng.choice(QUEUES)
        customer = f"+9198{rng.randrange(10**8):08d}"
        ring = rng.uniform(3.0, 12.0)
        talk = min(900.0, max(20.0, rng.expovariate(1.0 / self.mean_talk_s)))
        held = rng.random() < 0.2
        hold_start, hold_length = rng.uniform(0.3, 0.6), rng.uniform(10.0, 40.0)
        if not self._free:
            self._lost += 1
            return
        agent = self._free.pop(int(pick * len(self._free)))
        answered = at + ring
        hold = (answered + talk * hold_start, answered + talk * hold_start + hold_length) if held else None
        ends = answered + talk + (hold_length if held else 0.0)
        call = FloorCall(
            call_id=f"C-{number}",
            agent=agent,
            agent_name=_NAMES[(int(agent) - FIRST_AGENT_ID) % len(_NAMES)],
            queue=queue,
            customer=customer,
            arrives=at,
            answered=answered,
            hold=hold,
            ends=ends,
            started_at=self._epoch(at),
        )
        self._active[call.call_id] = call
        heapq.heappush(self._ending, (ends, number, call.call_id))
