"""The session and the live list together: a barge needs the supervisor's yes and its call live, with the agent the
question named, in a list no older than the refresh period (one is fetched when needed), all within the re-check's
deadline; an ended call is refused before anything is sent, and the live leg ends when its call leaves the list."""

from __future__ import annotations

import csv
import io
import subprocess
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from run_cli import run_queuetui

from queuetui.api.credentials import parse_credentials
from queuetui.api.models import parse_request
from queuetui.api.modes import SnoopType
from queuetui.core.audit.log import read_audit
from queuetui.core.barge_check import Confirmed
from queuetui.core.config.settings import Profile
from queuetui.core.floor.calls import FieldMap, LiveCall, MappedCalls
from queuetui.core.floor.config import LiveCallFields, LiveCallsConfig
from queuetui.core.floor.poller import CallPoller
from queuetui.core.floor.sources import CallSource, RawAnswer
from queuetui.core.floor.stale_list import StaleList
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


def request(call_id: str, mode: str, agent: str = "13"):
    return parse_request(
        {"callId": call_id, "snoopType": mode, "targetEntityType": "agent", "targetEntityVal": agent,
         "snooperNumber": "9876543210"}
    )  # fmt: skip


def confirmed_barge(session, call_id: str = "C-10023", agent: str = "13"):
    """A barge as the console sends it: asked about, and answered yes just now."""
    barge = request(call_id, "barge", agent)
    return session.act(barge, confirmed=Confirmed.of(barge))


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
    assert confirmed_barge(session).ok
    assert source.fetches == 1  # the list was fresh enough: no extra fetch
    assert sim.request_count == 1


def test_a_barge_fetches_a_fresh_list_first_and_is_not_sent_when_its_call_has_gone(on_floor, sim):
    session, source, clock, _ = on_floor
    source.calls = source.calls[1:]  # C-10023 ended after the last refresh
    clock.now += 10  # the list on screen is older than the refresh period
    outcome = confirmed_barge(session)
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
        assert session.monitoring.current is not None
        source.calls = []
        session.floor.poll_once()
        assert session.monitoring.current is None
        assert [leg.call_id for leg in seen[-1]] == ["C-10023"]
    finally:
        session.close()


def test_a_barge_the_supervisor_did_not_confirm_is_not_sent(on_floor, sim):
    session, _, _, _ = on_floor
    outcome = session.act(request("C-10023", "barge"))
    assert outcome.kind is OutcomeKind.REFUSED
    assert "you did not confirm it" in outcome.message
    assert sim.request_count == 0
    assert session.in_flight == frozenset()


@pytest.mark.parametrize(("field", "value"), [("callId", "C-10017"), ("targetEntityVal", "7")])
def test_a_yes_covers_only_the_call_and_agent_the_question_named(on_floor, sim, field, value):
    session, _, _, _ = on_floor
    asked = request("C-10023", "barge")
    sent = parse_request({**asked.wire_fields(), field: value})
    outcome = session.act(sent, confirmed=Confirmed.of(asked))
    assert outcome.kind is OutcomeKind.REFUSED
    assert "not what you confirmed" in outcome.message
    assert sim.request_count == 0


def test_a_yes_to_a_barge_covers_no_other_mode():
    asked = request("C-10023", "barge")
    assert Confirmed.of(asked).covers(asked)
    assert not Confirmed.of(asked).covers(asked.with_mode(SnoopType.WHISPER))


def test_a_call_that_moved_to_another_agent_is_not_barged_and_the_question_comes_back_with_the_new_agent(on_floor, sim):
    session, source, clock, _ = on_floor
    source.calls[0] = replace(source.calls[0], agent="21")  # C-10023 moved from agent 13 to 21 after the question
    clock.now += 10
    outcome = confirmed_barge(session)
    assert outcome.kind is OutcomeKind.REFUSED
    assert "C-10023 is now with agent 21, not 13" in outcome.message
    assert outcome.ask_again is not None
    assert (outcome.ask_again.call_id, outcome.ask_again.target_entity_val) == ("C-10023", "21")
    assert outcome.ask_again.snoop_type.value == "barge"
    assert sim.request_count == 0
    # Asked again and answered yes, the new facts go out (the simulator's own floor still has agent 13 there).
    session.act(outcome.ask_again, confirmed=Confirmed.of(outcome.ask_again))
    assert sim.request_count == 1
    assert sim.received[-1].parsed["targetEntityVal"] == "21"


class Hanging(Floor):
    """A source whose next fetch hangs until the test lets it go."""

    def __init__(self, *call_ids: str) -> None:
        super().__init__(*call_ids)
        self.hang = False
        self.release = threading.Event()
        self.hanging = threading.Event()

    def fetch(self) -> MappedCalls:
        if self.hang:
            self.hanging.set()
            self.release.wait()
        return super().fetch()


@pytest.mark.parametrize("poller_busy", [False, True], ids=["check-fetch-hangs", "poller-fetch-hangs"])
def test_a_hanging_list_refuses_a_barge_within_the_recheck_deadline(sim, audit_path, poller_busy):
    profile = Profile(base_url=sim.url, barge_check_s=0.5, live_calls=LiveCallsConfig(source="deepcall", refresh_s=3))
    session = Session.open("floor", profile, parse_credentials(ssid=DEMO_SSID), audit_path)
    source = Hanging("C-10023")
    clock = StepClock()
    session.floor = CallPoller(source, 3, lambda snapshot: None, clock=clock)
    session.floor.poll_once()
    source.hang = True
    clock.now += 10  # the list is too old: the re-check must fetch
    try:
        if poller_busy:  # the poller's own refresh is the one hanging, holding the fetch
            threading.Thread(target=session.floor.poll_once, daemon=True).start()
            assert source.hanging.wait(5)
        barge = request("C-10023", "barge")
        confirmed = Confirmed.of(barge)
        outcome = session.act(barge, confirmed=confirmed)
        took = time.monotonic() - confirmed.at
    finally:
        source.release.set()
        session.close()
    assert outcome.kind is OutcomeKind.REFUSED
    assert "did not answer within 0.5 s of your yes" in outcome.message
    assert 0.5 <= took < 1.5
    assert sim.request_count == 0


def test_a_yes_older_than_the_recheck_deadline_sends_nothing(on_floor, sim):
    session, _, _, _ = on_floor
    barge = request("C-10023", "barge")
    outcome = session.act(barge, confirmed=Confirmed.of(barge, at=time.monotonic() - 60))
    assert outcome.kind is OutcomeKind.REFUSED
    assert "did not answer within 3 s of your yes" in outcome.message
    assert sim.request_count == 0


def test_a_leg_left_to_the_phone_ends_when_its_call_leaves_the_list(sim, audit_path, monkeypatch):
    profile = Profile(base_url=sim.url, live_calls=LiveCallsConfig(source="deepcall", refresh_s=3))
    session = Session.open("floor", profile, parse_credentials(ssid=DEMO_SSID), audit_path)
    source = Floor("C-10023", "C-10017")
    source.calls[1] = replace(source.calls[1], agent="7")
    monkeypatch.setattr(session, "floor_source", lambda: source)
    seen = []
    try:
        assert session.watch_floor(lambda snapshot, ended: seen.append(ended))
        assert session.act(request("C-10023", "spy")).ok
        assert session.act(request("C-10017", "spy", agent="7")).ok  # C-10023 is left to the phone
        assert [leg.call_id for leg in session.monitoring.legs] == ["C-10017", "C-10023"]
        source.calls = source.calls[1:]
        session.floor.poll_once()
        assert [leg.call_id for leg in seen[-1]] == ["C-10023"]
        assert [leg.call_id for leg in session.monitoring.legs] == ["C-10017"]
    finally:
        session.close()


# ----- an action picked from a stale list -----------------------------------------------------------------


def audit(action: str, path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """`queuetui audit` on the trail at `path`: `list` is its table."""
    return run_queuetui(
        "audit", *([] if action == "list" else [action]), *options, "--audit-file", str(path), in_process=True
    )


def test_a_spy_picked_from_a_fresh_list_says_nothing_of_its_age(on_floor, audit_path):
    session, _, clock, _ = on_floor
    clock.now += 3  # one period: fresh
    assert session.stale_list(SnoopType.SPY) is None
    spy = request("C-10023", "spy")
    assert session.admit(spy) is None
    assert session.perform(spy, stale=session.stale_list(SnoopType.SPY)).ok
    assert all("list_age_s" not in record for record in read_audit(audit_path).records)


@pytest.mark.parametrize("mode", ["spy", "whisper"])
def test_a_spy_or_whisper_picked_from_a_stale_list_records_the_lists_age(on_floor, sim, audit_path, mode):
    session, source, clock, _ = on_floor
    clock.now += 20  # no list for more than three refreshes: stale, though no refresh has failed
    stale = session.stale_list(SnoopType(mode))
    assert stale is not None
    assert stale.caution(mode, "C-10023") == (
        f"{mode.upper()} on C-10023 from a stale list (list 20 s old): the call may have moved or ended"
    )
    picked = request("C-10023", mode)
    assert session.admit(picked) is None
    assert session.perform(picked, stale=stale).ok
    attempt, outcome = read_audit(audit_path).records
    assert (attempt["event"], attempt["list_age_s"]) == ("attempt", 20)
    assert (outcome["event"], outcome["list_age_s"], outcome["outcome"]) == ("outcome", 20, "ok")
    assert source.fetches == 1  # a spy or whisper fetches no list of its own: the caution is what it gets
    assert sim.request_count == 1
    assert audit("verify", audit_path).returncode == 0  # the chain holds the new field like any other
    assert "from a stale list (list 20 s old)" in audit("list", audit_path).stdout
    (row,) = csv.DictReader(io.StringIO(audit("export", audit_path, "--csv").stdout))
    assert (row["list_age_s"], row["other"]) == ("20", "")


def test_a_list_that_hangs_is_as_old_as_its_last_answer_not_a_count_of_failures(on_floor):
    session, _, clock, _ = on_floor
    clock.now += 14  # the source hangs: no refresh has failed, none has come either
    assert session.floor.snapshot.failures == 0
    stale = session.stale_list(SnoopType.WHISPER)
    assert stale is not None and stale.words == "list 14 s old"


def test_a_barge_picked_from_a_stale_list_carries_no_age_it_goes_only_after_a_fresh_list(on_floor):
    session, _, clock, _ = on_floor
    clock.now += 20
    assert session.stale_list(SnoopType.BARGE) is None


def test_a_list_that_never_answered_is_said_so_and_recorded_as_null():
    never = StaleList(None)
    assert never.words == "the list never answered"
    assert never.record() == {"list_age_s": None}
    assert "0 s" not in never.caution("spy", "C-1")
