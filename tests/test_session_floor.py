"""The session and the live list together, without threads: a barge needs its call live in a list no older
than the refresh period (one is fetched when needed), an ended call is refused before anything is sent, and
the live leg ends when its call leaves the list."""

from __future__ import annotations

import pytest

from queuetui.api.credentials import parse_credentials
from queuetui.api.models import parse_request
from queuetui.core.call_poller import CallPoller
from queuetui.core.call_sources import CallSource, RawAnswer
from queuetui.core.config import Profile
from queuetui.core.live_calls import FieldMap, LiveCall, MappedCalls
from queuetui.core.live_calls_config import LiveCallFields, LiveCallsConfig
from queuetui.core.outcome import OutcomeKind
from queuetui.core.session import Seams, Session
from queuetui.sim import DEMO_SSID


class Floor(CallSource):
    """A source whose calls the test sets."""

    def __init__(self, *call_ids: str) -> None:
        super().__init__(FieldMap.from_config(LiveCallFields()))
        self.calls = [LiveCall(call_id, agent="13") for call_id in call_ids]
        self.fetches = 0

    @property
    def description(self) -> str:
        return "test floor"

    def fetch_answer(self) -> RawAnswer:
        raise NotImplementedError

    def items(self, document: object) -> list[object]:
        raise NotImplementedError

    def fetch(self) -> MappedCalls:
        self.fetches += 1
        return MappedCalls(tuple(self.calls))


class StepClock:
    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return 1_767_600_000.0 + self.now


def request(call_id: str, mode: str):
    return parse_request(
        {"callId": call_id, "snoopType": mode, "targetEntityType": "agent", "targetEntityVal": "13",
         "snooperNumber": "9876543210"}
    )  # fmt: skip


@pytest.fixture
def on_floor(sim, audit_path):
    profile = Profile(base_url=sim.url, live_calls=LiveCallsConfig(source="deepcall", refresh_s=3))
    session = Session.open("floor", profile, parse_credentials(ssid=DEMO_SSID), audit_path, seams=Seams())
    source = Floor("C-10023", "C-10017")
    clock = StepClock()
    ended = []
    # The poller is built as `watch_floor` builds it, but never started: each refresh happens when the test says.
    session.floor = CallPoller(source, 3, lambda snapshot: None, clock=clock)
    session.floor.poll_once()
    yield session, source, clock, ended
    session.close()


def test_a_barge_on_a_fresh_live_call_is_sent(on_floor, sim):
    session, source, _, _ = on_floor
    assert session.act(request("C-10023", "barge")).ok
    assert source.fetches == 1  # the list was fresh enough: no extra fetch
    assert sim.request_count == 1


def test_a_barge_fetches_a_fresh_list_first_and_is_not_sent_when_its_call_has_gone(on_floor, sim):
    session, source, clock, _ = on_floor
    source.calls = source.calls[1:]  # C-10023 ended after the last refresh
    clock.now += 10  # the list on screen is older than the refresh period
    outcome = session.act(request("C-10023", "barge"))
    assert outcome.kind is OutcomeKind.REFUSED
    assert "not live in the list just refreshed" in outcome.message
    assert source.fetches == 2
    assert sim.request_count == 0
    assert session.in_flight == frozenset()  # the call is free again


def test_spy_needs_no_fresh_list(on_floor, sim):
    session, source, clock, _ = on_floor
    clock.now += 10
    assert session.act(request("C-10023", "spy")).ok
    assert source.fetches == 1


def test_an_ended_call_in_the_list_is_refused_before_sending(on_floor, sim):
    session, source, _, _ = on_floor
    source.calls = source.calls[1:]
    session.floor.poll_once()  # C-10023 now shows as ended
    outcome = session.act(request("C-10023", "spy"))
    assert outcome.kind is OutcomeKind.REFUSED
    assert outcome.message == "Call C-10023 has ended; nothing sent"
    assert sim.request_count == 0


def test_the_live_leg_ends_when_its_call_leaves_the_list(sim, audit_path, monkeypatch):
    profile = Profile(base_url=sim.url, live_calls=LiveCallsConfig(source="deepcall", refresh_s=3))
    session = Session.open("floor", profile, parse_credentials(ssid=DEMO_SSID), audit_path)
    source = Floor("C-10023")
    monkeypatch.setattr(session, "floor_source", lambda: source)
    seen = []
    try:
        # Built, not started (the front end starts it): the test refreshes by hand.
        assert session.watch_floor(lambda snapshot, ended: seen.append(ended))
        assert session.act(request("C-10023", "spy")).ok
        assert session.live.current is not None
        source.calls = []
        session.floor.poll_once()
        assert session.live.current is None
        assert seen[-1] is not None and seen[-1].call_id == "C-10023"
    finally:
        session.close()
