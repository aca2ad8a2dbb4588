"""What the supervisor is on right now: the core's record of the live monitoring leg.

DeepCall has no "end monitoring" call: after a success it rings the supervisor's phone, and the leg lasts until
that phone hangs up. So the monitoring state starts with a successful action, changes mode when the same call is
acted on again, is replaced by an action on another call, and ends when the supervisor says "I hung up" or the
call leaves the live list. A leg replaced by one on another call is left to the phone, not ended: nobody but the
phone knows whether it is still connected, so it is kept (`left`) until the supervisor says it is hung up or its
call leaves the list. A barge left for a spy may still let the customer hear the supervisor.

Actions on two calls may be on their way at once (`s Down w` on the list), and their answers may come back in
either order. The supervisor's last word is the action asked for last, so the monitoring state follows the order the
actions were asked for in, not the order their answers came in.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from queuetui.api.modes import SnoopType

DEMO_ANSWER_S = 3.0  # the demo's supervisor picks up after this long
RING_HINT_S = 30.0  # how long a real profile reminds the supervisor to answer


@dataclass(frozen=True)
class Monitoring:
    call_id: str
    target_type: str
    target: str
    mode: SnoopType
    since: datetime  # when this call was first joined; a mode switch keeps it
    mode_since: datetime
    phone: str

    def phone_words(self, now: datetime, demo: bool) -> str:
        """What the supervisor's phone is doing, as far as can be known. DeepCall only says it rings the phone;
        the demo plays the supervisor answering after a few seconds, so a room sees the whole sequence."""
        ringing = (now - self.mode_since).total_seconds() < (DEMO_ANSWER_S if demo else RING_HINT_S)
        if ringing:
            return "\u260e ringing" if demo else "\u260e answer your phone"
        return "\u260e connected" if demo else ""

    @property
    def agent(self) -> str:
        return self.target if self.target_type == "agent" else f"{self.target_type}:{self.target}"


class Change(str, Enum):
    STARTED = "started"  # nothing was live before
    SWITCHED = "switched"  # same call, another mode (or the same mode again)
    REPLACED = "replaced"  # another call: the earlier leg is left to the phone
    OVERTAKEN = "overtaken"  # answered after an action on another call that was asked for later: left to the phone


@dataclass(frozen=True)
class MonitoringChange:
    """`now` is what is live after the change, `before` the leg left to the phone (REPLACED, OVERTAKEN) or the
    mode it switched from (SWITCHED). An OVERTAKEN answer leaves `now` as it was."""

    kind: Change
    now: Monitoring
    before: Monitoring | None


class MonitoringState:
    """Thread-safe: actions finish on worker threads while the screen reads it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: Monitoring | None = None
        self._left: dict[str, Monitoring] = {}  # call id: its leg left to the phone, oldest first
        self._current_turn = 0
        self._turns = itertools.count(1)
        self._asked: dict[str, int] = {}  # call id: its turn, for the action on its way (one a call at most)
        self._listeners: list[Callable[[Monitoring | None], None]] = []

    def observe(self, listener: Callable[[Monitoring | None], None]) -> None:
        """Call `listener(current)` after each change, on the thread that made it, outside the lock."""
        self._listeners.append(listener)

    def _tell(self) -> None:
        current = self.current
        for listener in self._listeners:
            listener(current)

    @property
    def current(self) -> Monitoring | None:
        with self._lock:
            return self._current

    @property
    def left(self) -> tuple[Monitoring, ...]:
        """Legs left to the phone by an action on another call, newest first: each may still be connected."""
        with self._lock:
            return tuple(reversed(self._left.values()))

    @property
    def legs(self) -> tuple[Monitoring, ...]:
        """Every leg that may still be on the phone: the live one first, then those left to it, newest first."""
        with self._lock:
            current = () if self._current is None else (self._current,)
            return (*current, *reversed(self._left.values()))

    def asked(self, call_id: str) -> None:
        """An action on `call_id` is on its way: its turn is now. Asking again for the same call (the earlier
        action failed or was refused) takes a new turn."""
        with self._lock:
            self._asked[call_id] = next(self._turns)

    def joined(
        self, call_id: str, target_type: str, target: str, mode: SnoopType, phone: str, at: datetime
    ) -> MonitoringChange:
        change = self._joined(call_id, target_type, target, mode, phone, at)
        self._tell()
        return change

    def _joined(
        self, call_id: str, target_type: str, target: str, mode: SnoopType, phone: str, at: datetime
    ) -> MonitoringChange:
        with self._lock:
            turn = self._asked.pop(call_id, None)
            if turn is None:  # joined without being asked for first: it is the latest word
                turn = next(self._turns)
            before = self._current
            if before is not None and before.call_id != call_id and turn < self._current_turn:
                answered = Monitoring(call_id, target_type, target, mode, at, at, phone)
                self._leave(answered)
                return MonitoringChange(Change.OVERTAKEN, before, answered)
            self._current_turn = turn
            self._left.pop(call_id, None)  # back on a call left earlier: it is the live one again
            if before is not None and before.call_id == call_id:
                now = Monitoring(call_id, target_type, target, mode, before.since, at, phone)
                kind = Change.SWITCHED
            else:
                now = Monitoring(call_id, target_type, target, mode, at, at, phone)
                kind = Change.REPLACED if before is not None else Change.STARTED
                if before is not None:
                    self._leave(before)
            self._current = now
            return MonitoringChange(kind, now, before)

    def _leave(self, leg: Monitoring) -> None:
        self._left.pop(leg.call_id, None)
        self._left[leg.call_id] = leg

    def end(self, call_id: str | None = None) -> tuple[Monitoring, ...]:
        """End the legs on `call_id`, or every leg when it is None; returns what ended, the live leg first."""
        ended = self._end(call_id)
        if ended:
            self._tell()
        return ended

    def _end(self, call_id: str | None) -> tuple[Monitoring, ...]:
        with self._lock:
            ended: list[Monitoring] = []
            if self._current is not None and call_id in (None, self._current.call_id):
                ended.append(self._current)
                self._current = None
            for left in reversed(list(self._left.values())):
                if call_id in (None, left.call_id):
                    ended.append(self._left.pop(left.call_id))
            return tuple(ended)
