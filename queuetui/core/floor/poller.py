"""Keeping the live list fresh: a poller thread with its own budget, and the floor it keeps track of.

The poller never touches the action path: it has no share in the service's rate guard or its in-flight set,
so a refresh can neither delay an action nor use one up. Its own budget: one fetch at a time, one every
`refresh_s` while answers come, backing off exponentially (capped) while they fail, and never closer than
`min_gap_s` apart when asked for one out of turn. It waits on an Event, so pausing, resuming and stopping take
effect at once; an authentication failure pauses it until the front end signs in again and resumes it.

    poller = CallPoller(source, profile.live_calls.refresh_s, on_update=show)
    poller.start()            # show(snapshot) runs on the poller's thread after every refresh
    poller.pause() / poller.resume()
    snapshot = poller.fresh(max_age_s=profile.live_calls.refresh_s)   # before a barge, off the UI thread
    poller.stop()
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from queuetui.api.errors import (
    CallFailed,
    Category,
    DeepCallError,
    HttpStatusError,
    ProtocolError,
    RequestTimeout,
    TlsFailed,
    TransportError,
    category_of,
)
from queuetui.core.floor.assess import FloorJudge, FloorView
from queuetui.core.floor.calls import LiveCall, MappedCalls
from queuetui.core.floor.feeds import MappedFloor
from queuetui.core.floor.sources import CallSource, CommandFailed
from queuetui.core.floor.stale_list import StaleList
from queuetui.core.floor.turns import taking_turns

STALE_AFTER_MISSES = 3
ENDED_LINGER_S = 5.0


class Clock(Protocol):
    """The two clocks the floor reads: `monotonic` for ages and schedules, `time` (epoch) for stamps."""

    def monotonic(self) -> float: ...

    def time(self) -> float: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()


@dataclass(frozen=True)
class FloorSnapshot:
    """The floor as of the last refresh; immutable, so any thread may read it.

    `calls` holds the live calls in the source's order, then the calls that ended in the last few seconds
    (state ENDED, `ended_at` set) so a table can show them leaving. `fetched_at` is the epoch time of the last
    good list and `refreshed_at` the poller clock's monotonic time of it (both None before the first one).
    `failures` counts refreshes failed in a row and `error` is the last one (None after a success). `number` counts
    the good lists so far, and `changed` holds the calls of this one that are not as the list numbered one less had
    them (new, changed, or ended since): a reader that has followed every list need look at those alone.
    """

    calls: tuple[LiveCall, ...] = ()
    fetched_at: float | None = None
    refreshed_at: float | None = None
    failures: int = 0
    error: CallFailed | None = None
    refresh_s: float = 3.0
    skipped: int = 0  # items of the last answer that were not usable calls
    repeated: tuple[str, ...] = ()  # call ids the last answer listed more than once (the first is kept)
    number: int = 0
    changed: tuple[LiveCall, ...] = field(default=(), repr=False, compare=False)
    view: FloorView | None = None  # the health, agents and breaches of the last good list (None: not judged)
    _index: dict[str, LiveCall] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {call.call_id: call for call in self.calls})

    @property
    def loaded(self) -> bool:
        return self.refreshed_at is not None

    def age_s(self, now: float) -> float | None:
        """Seconds since the last good list (`now` on the poller clock's monotonic scale), None before one."""
        return None if self.refreshed_at is None else max(0.0, now - self.refreshed_at)

    def stale(self, now: float) -> bool:
        """True after STALE_AFTER_MISSES refreshes missed in a row: failed, or not come at all (a source that
        hangs, a paused poller) for that many periods past the one that was due."""
        if self.failures >= STALE_AFTER_MISSES:
            return True
        age = self.age_s(now)
        return age is not None and age > (STALE_AFTER_MISSES + 1) * self.refresh_s

    def find(self, call_id: str) -> LiveCall | None:
        return self._index.get(call_id)

    def stale_list(self, now: float) -> StaleList | None:
        """What an action picked from this list at `now` must say of it: its age while it is stale, else None."""
        return StaleList(self.age_s(now)) if self.stale(now) else None

    def status_words(self, now: float) -> str:
        """How fresh the list is, in words short enough for a panel's title at 80 columns and readable without
        colour (`now` on the poller clock's monotonic scale); the log has each failure's whole message."""
        age = self.age_s(now)
        reason = short_reason(self.error) if self.error is not None else ""
        if age is None:
            return f"not loaded: {reason}" if reason else "loading\u2026"
        if self.stale(now):
            # Short: with the count before it ("3 of 24 calls"), it must fit the frame at 80 columns whole.
            old = f"{age:.0f} s" if age < 100 else f"{age // 60:.0f} min"
            return f"STALE {old}: {reason or 'no answer'}"
        if self.failures == 0 and age <= 2 * self.refresh_s:
            # A count of seconds here would change every second: over an SSH link each change redraws the panel.
            return "up to date"
        return f"updated {age:.0f} s ago"

    def is_live(self, call_id: str) -> bool:
        """In the last list and not ended: the check before acting on a call."""
        call = self._index.get(call_id)
        return call is not None and not call.ended


def short_reason(error: CallFailed) -> str:
    """What went wrong, in a few words."""
    if isinstance(error, DeepCallError):
        if category_of(error) is Category.AUTH:
            return f"{error.code}: sign in again"
        return f"error {error.code}" if error.code is not None else "server error"
    if isinstance(error, HttpStatusError):
        return f"HTTP {error.status}"
    if isinstance(error, RequestTimeout):
        return "timed out"
    if isinstance(error, TlsFailed):
        return "TLS failed"
    if isinstance(error, TransportError):
        return "no connection"
    if isinstance(error, CommandFailed):
        return "command failed"
    return "unreadable"


class FloorTracker:
    """Turns a sequence of refreshes into snapshots: which calls ended (in a list before, absent now, or said
    to have ended by the feed), how long they stay shown, how many refreshes failed in a row. Not thread-safe
    on its own: CallPoller calls it under its fetch lock."""

    def __init__(
        self, refresh_s: float, ended_linger_s: float = ENDED_LINGER_S, judge: FloorJudge | None = None
    ) -> None:
        self.refresh_s = refresh_s
        self.judge = judge
        self.ended_linger_s = ended_linger_s
        self._live: dict[str, LiveCall] = {}
        self._ended: dict[str, tuple[LiveCall, float]] = {}  # call id -> (call as ended, monotonic time)
        self.snapshot = FloorSnapshot(refresh_s=refresh_s)

    def apply(self, mapped: MappedCalls, now: float, wall: float) -> FloorSnapshot:
        live: dict[str, LiveCall] = {}
        for call in taking_turns(mapped.calls):
            if call.ended:
                if call.call_id not in self._ended:
                    self._ended[call.call_id] = (call.as_ended(wall), now)
            else:
                live[call.call_id] = call
                self._ended.pop(call.call_id, None)  # back again: a feed that missed it once
        for call_id, call in self._live.items():
            if call_id not in live and call_id not in self._ended:
                self._ended[call_id] = (call.as_ended(wall), now)
        self._ended = {
            call_id: (call, at) for call_id, (call, at) in self._ended.items() if now - at < self.ended_linger_s
        }
        self._live = live
        ended = tuple(call for call, _ in self._ended.values())
        view = None
        if self.judge is not None:
            readings = mapped.feeds if isinstance(mapped, MappedFloor) else None
            view = self.judge.judge(tuple(live.values()), readings, wall, now)
        calls = (*live.values(), *ended)
        last = self.snapshot
        # An unchanged item is mapped to the very call it was mapped to before (see `map_calls`).
        changed = tuple(call for call in taking_turns(calls) if last.find(call.call_id) is not call)
        self.snapshot = FloorSnapshot(
            calls=calls,
            fetched_at=wall,
            refreshed_at=now,
            refresh_s=self.refresh_s,
            skipped=mapped.skipped,
            repeated=mapped.repeated,
            number=last.number + 1,
            changed=changed,
            view=view,
        )
        return self.snapshot

    def fail(self, error: CallFailed) -> FloorSnapshot:
        """A failed refresh: the last good list stays, marked by the error and the count."""
        last = self.snapshot
        self.snapshot = dataclasses.replace(last, failures=last.failures + 1, error=error)
        return self.snapshot


class CallPoller:
    """Fetches the live list on its own daemon thread and hands every snapshot to `on_update`.

    `on_update(snapshot)` runs on the thread that fetched (the poller's, or the caller of `fresh`/`poll_once`)
    while no other refresh can start, so snapshots arrive in order. It must not raise and must not call
    `fresh` or `poll_once`; a console posts a message (or uses `call_from_thread`) from it.
    """

    def __init__(
        self,
        source: CallSource,
        refresh_s: float,
        on_update: Callable[[FloorSnapshot], None] | None = None,
        *,
        clock: Clock | None = None,
        max_backoff_s: float = 60.0,
        min_gap_s: float = 1.0,
        ended_linger_s: float = ENDED_LINGER_S,
        judge: FloorJudge | None = None,
    ) -> None:
        self.source = source
        self.refresh_s = refresh_s
        self.max_backoff_s = max(max_backoff_s, refresh_s)
        self.min_gap_s = min_gap_s
        self._on_update = on_update
        self._clock = clock or SystemClock()
        self._tracker = FloorTracker(refresh_s, ended_linger_s, judge)
        self._fetch_lock = threading.Lock()  # held during a fetch: one at a time
        self._state_lock = threading.Lock()  # never held during a fetch: the UI may take it
        self._snapshot = self._tracker.snapshot
        self._next_due = self._clock.monotonic()
        self._last_started: float | None = None
        self._paused = False
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # ----- what a front end reads ---------------------------------------------------------------------

    @property
    def snapshot(self) -> FloorSnapshot:
        """The latest snapshot; never blocks on a fetch."""
        with self._state_lock:
            return self._snapshot

    @property
    def paused(self) -> bool:
        with self._state_lock:
            return self._paused

    def now(self) -> float:
        """The poller clock's monotonic time, the scale of `FloorSnapshot.age_s` and `stale`."""
        return self._clock.monotonic()

    def acknowledge_alarms(self) -> int:
        """Acknowledge the floor's alarms now on (see `AlarmBell`); how many were not acknowledged yet."""
        judge = self._tracker.judge
        return judge.bell.acknowledge() if judge is not None else 0

    def unacknowledged_alarms(self) -> int:
        judge = self._tracker.judge
        return judge.bell.unacknowledged if judge is not None else 0

    def due_in(self) -> float | None:
        """Seconds until the next scheduled refresh; None while paused."""
        with self._state_lock:
            if self._paused:
                return None
            return max(0.0, self._next_due - self._clock.monotonic())

    # ----- control (any thread, returns at once) ------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the poller was already started")
        self._thread = threading.Thread(target=self._run, name="live-calls", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 2.0) -> None:
        """Stop polling. A fetch under way cannot be cut short (it ends within the source's timeout), but its
        result is dropped and `on_update` is not called again."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout_s)

    def pause(self) -> None:
        """No refresh until `resume` (signed out, another screen). A fetch under way still reports."""
        with self._state_lock:
            self._paused = True
        self._wake.set()

    def resume(self) -> None:
        """Poll again, starting with a refresh as soon as the budget allows."""
        with self._state_lock:
            self._paused = False
        self.refresh_now()

    def refresh_now(self) -> None:
        """Ask for a refresh out of turn; it comes at once unless one started less than `min_gap_s` ago."""
        with self._state_lock:
            soonest = self._clock.monotonic()
            if self._last_started is not None:
                soonest = max(soonest, self._last_started + self.min_gap_s)
            self._next_due = min(self._next_due, soonest)
        self._wake.set()

    # ----- fetching (blocking: never on the UI thread) -------------------------------------------------

    def poll_once(self) -> FloorSnapshot:
        """One refresh now, on the calling thread (waits for one under way to finish first)."""
        with self._fetch_lock:
            return self._poll_locked()

    def fresh(self, max_age_s: float) -> FloorSnapshot:
        """A snapshot whose list is at most `max_age_s` old and whose last refresh succeeded: the current one
        if it is, else one fetched now (even while paused). Before a barge: never act on a list that may
        hold a call that has ended. Check `snapshot.error` and `is_live(call_id)` on the result."""
        with self._fetch_lock:
            current = self.snapshot
            age = current.age_s(self._clock.monotonic())
            if current.error is None and age is not None and age <= max_age_s:
                return current
            return self._poll_locked()

    def _poll_locked(self) -> FloorSnapshot:
        started = self._clock.monotonic()
        with self._state_lock:
            self._last_started = started
        try:
            mapped = self.source.fetch()
        except CallFailed as error:
            snapshot = self._tracker.fail(error)
        except Exception as error:  # a bug in a source must not end the polling: report it as a failure
            snapshot = self._tracker.fail(ProtocolError(f"live list: unexpected {type(error).__name__}"))
        else:
            snapshot = self._tracker.apply(mapped, self._clock.monotonic(), self._clock.time())
        with self._state_lock:
            self._snapshot = snapshot
            self._next_due = started + self._delay_after(snapshot)
            if snapshot.error is not None and category_of(snapshot.error) is Category.AUTH:
                # Credentials do not mend themselves; asking again only adds refusals (and maybe a lockout).
                self._paused = True
        if self._on_update is not None and not self._stopping.is_set():
            self._on_update(snapshot)
        return snapshot

    def _delay_after(self, snapshot: FloorSnapshot) -> float:
        if snapshot.failures == 0:
            return self.refresh_s
        return min(self.max_backoff_s, self.refresh_s * 2.0**snapshot.failures)

    def _run(self) -> None:
        while True:
            self._wake.clear()
            if self._stopping.is_set():
                return
            delay = self.due_in()
            if delay is None:
                self._wake.wait()
            elif delay > 0:
                self._wake.wait(delay)
            else:
                self.poll_once()
