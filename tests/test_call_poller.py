"""The poller and the floor it keeps: backoff, staleness, calls that end, pausing, its own budget, and its
thread stopping at once. Scheduling is driven by a fake clock; a few tests run the real thread briefly."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from helpers import eventually, valid_request

from queuetui.api.credentials import parse_credentials
from queuetui.api.errors import ConnectFailed, DeepCallError, HttpStatusError, ProtocolError, RequestTimeout
from queuetui.core.config.settings import Profile
from queuetui.core.floor.calls import CallState, FieldMap, LiveCall, MappedCalls
from queuetui.core.floor.config import LiveCallFields, LiveCallsConfig
from queuetui.core.floor.poller import CallPoller, FloorSnapshot, FloorTracker, short_reason
from queuetui.core.floor.sources import CallSource, CommandFailed, RawAnswer
from queuetui.core.service import RateGuard
from queuetui.core.session import Seams, Session
from queuetui.sim import DEMO_SSID

REFRESH = 3.0
WALL_START = 1_700_000_000.0


@dataclass
class FakeClock:
    mono: float = 100.0
    wall: float = WALL_START

    def monotonic(self) -> float:
        return self.mono

    def time(self) -> float:
        return self.wall

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += seconds


@dataclass
class ScriptedSource(CallSource):
    """Answers from a script: a list of call ids, or a failure to raise. The last entry repeats."""

    script: list[list[str] | BaseException]
    fetches: int = 0
    started: int = 0  # fetches begun, counted before the gate
    gate: threading.Event | None = None  # when set, each fetch waits for it
    kind: str = field(default="deepcall", init=False)

    def __post_init__(self) -> None:
        super().__init__(FieldMap.from_config(LiveCallFields()))

    @property
    def description(self) -> str:
        return "scripted"

    def fetch_answer(self) -> RawAnswer:
        self.started += 1
        if self.gate is not None:
            self.gate.wait(5)
        step = self.script[min(self.fetches, len(self.script) - 1)]
        self.fetches += 1
        if isinstance(step, BaseException):
            raise step
        return RawAnswer("", [{"callId": call_id} for call_id in step])

    def items(self, document: object) -> list[object]:
        assert isinstance(document, list)
        return document


def poller_for(*script: list[str] | BaseException, **options: object) -> tuple[CallPoller, ScriptedSource, FakeClock]:
    source = ScriptedSource(list(script))
    clock = FakeClock()
    return CallPoller(source, REFRESH, clock=clock, **options), source, clock  # type: ignore[arg-type]


def ids(snapshot: FloorSnapshot) -> list[tuple[str, CallState | None]]:
    return [(call.call_id, call.state) for call in snapshot.calls]


DOWN = ConnectFailed("floor.example", "connection refused (is the server running?)")


# --- schedule and backoff -----------------------------------------------------------------------------


def test_before_the_first_refresh_the_floor_is_not_loaded():
    poller, source, clock = poller_for(["C-1"])
    snapshot = poller.snapshot
    assert not snapshot.loaded
    assert snapshot.age_s(clock.mono) is None
    assert not snapshot.stale(clock.mono)
    assert poller.due_in() == 0
    assert source.fetches == 0


def test_a_refresh_is_due_every_refresh_s_while_answers_come():
    poller, _, clock = poller_for(["C-1"])
    snapshot = poller.poll_once()
    assert (snapshot.fetched_at, snapshot.refreshed_at) == (WALL_START, 100.0)
    assert poller.due_in() == REFRESH
    clock.advance(2)
    assert poller.due_in() == pytest.approx(1.0)
    assert snapshot.age_s(clock.mono) == 2


def test_failures_back_off_exponentially_up_to_a_cap_then_recover():
    poller, _, _ = poller_for(DOWN, DOWN, DOWN, DOWN, DOWN, DOWN, ["C-1"], max_backoff_s=30.0)
    delays = []
    for _ in range(7):
        poller.poll_once()
        delays.append(poller.due_in())
    assert delays == [6.0, 12.0, 24.0, 30.0, 30.0, 30.0, REFRESH]


def test_a_failure_keeps_the_last_good_list_and_says_why():
    poller, _, _ = poller_for(["C-1", "C-2"], DOWN)
    poller.poll_once()
    snapshot = poller.poll_once()
    assert ids(snapshot) == [("C-1", None), ("C-2", None)]
    assert snapshot.failures == 1
    assert snapshot.error is DOWN
    assert snapshot.fetched_at == WALL_START


def test_stale_after_three_failed_refreshes_in_a_row():
    poller, _, clock = poller_for(["C-1"], DOWN, DOWN, DOWN, ["C-1"])
    poller.poll_once()
    seen = []
    for _ in range(4):
        poller.poll_once()
        seen.append(poller.snapshot.stale(clock.mono))
    assert seen == [False, False, True, False]


def test_stale_when_three_refreshes_never_came():
    # A source that hangs, or a paused poller: nothing fails, the list just gets old.
    poller, _, clock = poller_for(["C-1"])
    snapshot = poller.poll_once()
    clock.advance(4 * REFRESH)
    assert not snapshot.stale(clock.mono)
    clock.advance(0.1)
    assert snapshot.stale(clock.mono)


def test_the_lists_state_in_words_names_its_age_and_a_short_reason():
    poller, _, clock = poller_for(DOWN, ["C-1"], DOWN)
    assert poller.snapshot.status_words(clock.mono) == "loading\u2026"
    assert poller.poll_once().status_words(clock.mono) == "not loaded: no connection"
    clock.advance(1.0)
    fresh = poller.poll_once()
    assert fresh.status_words(clock.mono) == "up to date"  # no count of seconds that changes every second
    assert fresh.status_words(clock.mono + 2 * REFRESH + 1) == f"updated {2 * REFRESH + 1:.0f} s ago"
    failed = poller.poll_once()
    clock.advance(4 * REFRESH + 2)
    assert failed.status_words(clock.mono) == f"STALE {4 * REFRESH + 2:.0f} s: no connection"


def test_a_list_that_stops_answering_is_stale_for_want_of_an_answer_not_of_failures():
    poller, _, clock = poller_for(["C-1"])
    snapshot = poller.poll_once()
    clock.advance(20.0)
    assert snapshot.status_words(clock.mono) == "STALE 20 s: no answer"


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (DeepCallError(1014, "Session expired", 200), "1014: sign in again"),
        (DeepCallError(1009, "boom", 500), "error 1009"),
        (HttpStatusError("h", 502, "an HTML page"), "HTTP 502"),
        (RequestTimeout("h", "no answer within 5 s"), "timed out"),
        (DOWN, "no connection"),
        (CommandFailed("floor exited with status 1: a long line from the program"), "command failed"),
        (ProtocolError("garbage"), "unreadable"),
    ],
)
def test_a_failures_short_reason_fits_a_title(error, words):
    assert short_reason(error) == words


def test_a_bug_in_a_source_is_reported_as_a_failure_not_a_dead_thread():
    poller, _, _ = poller_for(KeyError("oops"))
    snapshot = poller.poll_once()
    assert isinstance(snapshot.error, ProtocolError)
    assert "unexpected KeyError" in snapshot.error.message


# --- calls that end -----------------------------------------------------------------------------------


def test_a_call_absent_from_the_next_list_shows_as_ended_for_a_few_seconds():
    poller, _, clock = poller_for(["C-1", "C-2", "C-3"], ["C-1", "C-3"], ["C-1", "C-3"], ["C-1"])
    poller.poll_once()
    clock.advance(REFRESH)
    snapshot = poller.poll_once()
    assert ids(snapshot) == [("C-1", None), ("C-3", None), ("C-2", CallState.ENDED)]
    ended = snapshot.find("C-2")
    assert ended is not None and ended.ended_at == WALL_START + REFRESH
    assert not snapshot.is_live("C-2")
    assert snapshot.is_live("C-1")
    clock.advance(REFRESH)
    assert ("C-2", CallState.ENDED) in ids(poller.poll_once())  # 3 s after it ended: still shown
    clock.advance(REFRESH)
    assert ids(poller.poll_once()) == [("C-1", None), ("C-3", CallState.ENDED)]  # 6 s: C-2 has left


def test_a_call_that_comes_back_is_live_again():
    poller, _, clock = poller_for(["C-1", "C-2"], ["C-1"], ["C-1", "C-2"])
    for _ in range(3):
        snapshot = poller.poll_once()
        clock.advance(1)
    assert ids(snapshot) == [("C-1", None), ("C-2", None)]
    assert snapshot.is_live("C-2")


def test_a_call_the_feed_says_has_ended_is_shown_ended_once():
    tracker = FloorTracker(REFRESH, ended_linger_s=5)
    talking = LiveCall("C-1", state=CallState.TALKING, started_at=WALL_START - 60)
    tracker.apply(MappedCalls((talking,)), now=0, wall=WALL_START)
    over = LiveCall("C-1", state=CallState.ENDED, started_at=WALL_START - 60)
    snapshot = tracker.apply(MappedCalls((over,)), now=3, wall=WALL_START + 3)
    assert ids(snapshot) == [("C-1", CallState.ENDED)]
    assert snapshot.calls[0].duration_s(WALL_START + 100) == 63
    assert tracker.apply(MappedCalls((over,)), now=9, wall=WALL_START + 9).calls == ()


def test_a_failed_refresh_does_not_end_anything():
    poller, _, clock = poller_for(["C-1"], DOWN)
    poller.poll_once()
    clock.advance(REFRESH)
    assert poller.poll_once().is_live("C-1")


def test_the_tracker_forgets_ended_calls_so_memory_stays_flat():
    tracker = FloorTracker(1.0, ended_linger_s=5)
    for second in range(1000):
        tracker.apply(MappedCalls((LiveCall(f"C-{second}"),)), now=second, wall=WALL_START + second)
    assert len(tracker.snapshot.calls) <= 6


# --- pause, budget, authentication --------------------------------------------------------------------


def test_pause_and_resume():
    poller, _, clock = poller_for(["C-1"])
    poller.poll_once()
    poller.pause()
    assert poller.paused
    assert poller.due_in() is None
    clock.advance(60)
    assert poller.due_in() is None
    poller.resume()
    assert not poller.paused
    assert poller.due_in() == 0  # the list is a minute old: refresh at once


def test_a_refresh_out_of_turn_waits_for_its_budget():
    poller, _, clock = poller_for(["C-1"], min_gap_s=1.0)
    poller.poll_once()
    poller.refresh_now()
    assert poller.due_in() == pytest.approx(1.0)
    clock.advance(0.4)
    poller.refresh_now()
    assert poller.due_in() == pytest.approx(0.6)
    clock.advance(2)
    poller.refresh_now()
    assert poller.due_in() == 0


@pytest.mark.parametrize(("code", "pauses"), [(1014, True), (1020, True), (1009, False), (1501, False)])
def test_an_authentication_failure_pauses_polling(code, pauses):
    poller, source, _ = poller_for(DeepCallError(code, "", 200))
    poller.poll_once()
    assert poller.paused is pauses
    assert source.fetches == 1


def test_fresh_uses_a_young_list_and_fetches_an_old_one():
    poller, source, clock = poller_for(["C-1"], ["C-1", "C-2"])
    poller.poll_once()
    clock.advance(REFRESH)
    assert poller.fresh(max_age_s=REFRESH).find("C-2") is None
    assert source.fetches == 1
    clock.advance(0.1)
    poller.pause()  # fetches even while paused: a barge must not go on an old list
    assert poller.fresh(max_age_s=REFRESH).is_live("C-2")
    assert source.fetches == 2


def test_fresh_fetches_again_after_a_failure():
    poller, source, _ = poller_for(["C-1"], DOWN, ["C-1"])
    poller.poll_once()
    poller.poll_once()
    assert poller.fresh(max_age_s=60).error is None
    assert source.fetches == 3


# --- the thread ---------------------------------------------------------------------------------------


@pytest.fixture
def running() -> Callable[..., tuple[CallPoller, ScriptedSource, list[FloorSnapshot]]]:
    started: list[CallPoller] = []

    def start(*script: list[str] | BaseException, refresh_s: float = 0.02, **options: object):
        source = ScriptedSource(list(script))
        updates: list[FloorSnapshot] = []
        poller = CallPoller(source, refresh_s, updates.append, min_gap_s=0.0, **options)  # type: ignore[arg-type]
        started.append(poller)
        poller.start()
        return poller, source, updates

    yield start
    for poller in started:
        poller.stop()


def wait_for(condition: Callable[[], bool], timeout_s: float = 3.0) -> None:
    assert eventually(condition, timeout=timeout_s, interval=0.005), "condition not met in time"


def thread_has_decided(poller: CallPoller) -> None:
    """Wake the poller's thread and wait until it has looked at its state again (it clears the wake first)."""
    poller.refresh_now()
    wait_for(lambda: not poller._wake.is_set())


def test_the_thread_reports_every_refresh_in_order(running):
    _, _, updates = running(["C-1"], DOWN, ["C-1", "C-2"])
    wait_for(lambda: len(updates) >= 3)
    assert [len(update.calls) for update in updates[:3]] == [1, 1, 2]
    assert [update.failures for update in updates[:3]] == [0, 1, 0]


def test_a_paused_thread_fetches_nothing_and_resumes_at_once(running):
    poller, source, _ = running(["C-1"])
    wait_for(lambda: source.fetches >= 2)
    poller.pause()
    wait_for(lambda: not poller._wake.is_set())  # past any fetch under way, the thread has seen the pause
    paused_at = source.fetches
    for _ in range(3):  # each wake a refresh could have come from
        thread_has_decided(poller)
    assert source.fetches == paused_at
    poller.resume()
    wait_for(lambda: source.fetches > paused_at)


def test_stop_is_prompt_between_refreshes(running):
    poller, source, _ = running(["C-1"], refresh_s=60.0)
    wait_for(lambda: source.fetches == 1)
    started = time.monotonic()
    poller.stop()
    assert time.monotonic() - started < 0.5
    assert poller._thread is not None and not poller._thread.is_alive()


def test_a_refresh_finishing_after_stop_is_not_reported():
    gate = threading.Event()
    source = ScriptedSource([["C-1"]], gate=gate)
    updates: list[FloorSnapshot] = []
    poller = CallPoller(source, 0.02, updates.append)
    poller.start()
    wait_for(lambda: source.started == 1)  # the thread is inside a fetch that cannot be cut short
    poller.stop(timeout_s=0.05)
    gate.set()
    assert poller._thread is not None
    poller._thread.join(2)
    assert not poller._thread.is_alive()
    assert source.fetches == 1
    assert updates == []


def test_refresh_now_wakes_a_waiting_thread(running):
    poller, source, _ = running(["C-1"], refresh_s=60.0)
    wait_for(lambda: source.fetches == 1)
    poller.refresh_now()
    wait_for(lambda: source.fetches == 2, timeout_s=1.0)


# --- separate from the action path --------------------------------------------------------------------


def test_refreshes_never_use_up_an_action(sim):
    profile = Profile(base_url=sim.url, live_calls=LiveCallsConfig(source="deepcall"))
    seams = Seams(rate=RateGuard(max_actions=1, window_s=60.0))
    session = Session.open("floor", profile, parse_credentials(ssid=DEMO_SSID), None, seams=seams)
    try:
        source = session.floor_source()
        assert source is not None
        poller = CallPoller(source, 0.5)
        for _ in range(5):
            assert poller.poll_once().error is None
        outcome = session.act(valid_request())
    finally:
        session.close()
    assert outcome.ok, outcome.message
    assert (sim.list_request_count, sim.request_count) == (5, 1)
