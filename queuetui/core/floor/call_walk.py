"""One walk over a refresh's calls for all the judge reads of them: how long each has been in its state, the live
list's own figures for the health line, the calls past a level, and which call each agent is on.

It runs on the poller's thread for every call of a floor of thousands, on every refresh, while the console waits for
the interpreter to echo a key: one loop, the levels looked up before it, and a call below every level costs a
comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from queuetui.core.floor.alerts import AlertsConfig, FoundBreaches, StateTimes, lowest
from queuetui.core.floor.calls import CallState, LiveCall
from queuetui.core.floor.health import ListFigures
from queuetui.core.floor.turns import taking_turns


@dataclass(frozen=True)
class CallsWalked:
    figures: ListFigures
    by_id: dict[str, LiveCall]  # the live calls, by call id
    on_call: dict[str, LiveCall]  # each agent's first live call, by agent id


def walk_calls(
    calls: Sequence[LiveCall], config: AlertsConfig, times: StateTimes, found: FoundBreaches, now: float
) -> CallsWalked:
    """Renews `times` for `calls` and keeps in `found` the live calls past a level at `now` (epoch seconds): a
    call's length, a hold's since it was first seen on hold, a ring's since the call started (a call rings first)
    or else since it was first seen ringing."""
    long_call, long_hold, long_ring = (config.levels.get(key) for key in ("long_call", "long_hold", "long_ring"))
    call_from, hold_from, ring_from = (lowest(levels) for levels in (long_call, long_hold, long_ring))
    before = times.calls
    seen: dict[str, tuple[CallState | None, float]] = {}
    talking = rings = holds = 0
    states_known = agents_known = True
    by_id: dict[str, LiveCall] = {}
    on_call: dict[str, LiveCall] = {}
    # Looked up once: on Python 3.11 finding an enum's member costs more than the test it is used in.
    ended, on_hold, ringing, talks = CallState.ENDED, CallState.ON_HOLD, CallState.RINGING, CallState.TALKING
    for call in taking_turns(calls):
        call_id, state = call.call_id, call.state
        since = before.get(call_id)
        if since is None or since[0] != state:
            since = (state, now)
        seen[call_id] = since
        if state is ended:
            continue
        by_id[call_id] = call
        if call.agent is None:
            agents_known = False
        else:
            on_call.setdefault(call.agent, call)
        duration = call.duration_s(now)
        if duration is not None and duration >= call_from:
            found.check(long_call, "long_call", call_id, duration)
        # Counted in three names rather than a dict by state: an enum member hashes slowly.
        if state is talks:
            talking += 1
        elif state is on_hold:
            holds += 1
            held = max(0, int(now - since[1]))
            if held >= hold_from:
                found.check(long_hold, "long_hold", call_id, held)
        elif state is ringing:
            rings += 1
            rung = duration if duration is not None else max(0, int(now - since[1]))
            if rung >= ring_from:
                found.check(long_ring, "long_ring", call_id, rung)
        else:  # a state not known: none of the list's counts is
            states_known = False
    times.calls = seen
    agents = len([agent for agent in on_call if agent]) if agents_known else None
    states = {CallState.TALKING: talking, CallState.RINGING: rings, CallState.ON_HOLD: holds} if states_known else None
    return CallsWalked(ListFigures(states, agents), by_id, on_call)
