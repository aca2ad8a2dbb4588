"""The simulator's live floor: seeded traffic that starts, rings, is answered and ends on an injected clock;
the scripted demo calls live all along; `queue/list` over HTTP with bargingCall's authentication; an action
on a call that has ended answers an error."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from helpers import VALID_FIELDS

from queuetui.sim import DEMO_SSID, DEMO_TOKEN, DEMO_USER_ID, SimServer
from queuetui.sim.floor import Floor
from queuetui.sim.scenario import DEFAULT_CALLS, RESTRICTED_SSID, SUCCESS_TEXT, Scenario

START = 1_700_000_000.0


@dataclass
class Clock:
    now: float = START

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def snapshot(floor: Floor) -> list[tuple[str, str, str]]:
    return [(call.call_id, call.agent, state) for call, state in floor.live()]


# --- the traffic --------------------------------------------------------------------------------------


def test_the_floor_starts_warm():
    floor = Floor(clock=Clock())
    states = {state for _, _, state in snapshot(floor)}
    assert len(snapshot(floor)) >= 5
    assert "talking" in states


def test_the_same_seed_gives_the_same_floor_however_often_it_is_looked_at():
    often, rarely = Clock(), Clock()
    watched, left = Floor(seed=4, clock=often), Floor(seed=4, clock=rarely)
    for _ in range(1800):
        often.advance(1)
        watched.live()
    rarely.advance(1800)
    assert snapshot(watched) == snapshot(left)
    assert snapshot(Floor(seed=5, clock=rarely)) != snapshot(left)


def test_restart_replays_the_seeded_traffic_from_the_present():
    clock = Clock()
    floor = Floor(clock=clock)
    first = snapshot(floor)
    clock.advance(500)
    assert snapshot(floor) != first
    floor.restart()
    assert [call for call, _, _ in snapshot(floor)] == [call for call, _, _ in first]


def test_a_call_rings_is_answered_and_ends():
    clock = Clock()
    floor = Floor(clock=clock)
    before = {call_id for call_id, _, _ in snapshot(floor)}
    while True:  # wait for a call that starts while we watch
        clock.advance(1)
        new = [entry for entry in snapshot(floor) if entry[0] not in before]
        if new:
            break
    call_id = new[0][0]
    seen = [new[0][2]]
    while (call := floor.find(call_id)) is not None:
        clock.advance(1)
        state = dict((entry[0], entry[2]) for entry in snapshot(floor)).get(call_id)
        if state and state != seen[-1]:
            seen.append(state)
    assert seen[0] == "ringing"
    assert seen[1] == "talking"
    assert set(seen) <= {"ringing", "talking", "on hold"}
    assert floor.has_ended(call_id)
    assert call is None


def test_an_agent_takes_one_call_at_a_time():
    clock = Clock()
    floor = Floor(clock=clock, agents=5, calls_per_hour=3600)
    for _ in range(120):
        clock.advance(30)
        agents = [agent for _, agent, _ in snapshot(floor)]
        assert len(agents) == len(set(agents)) <= 5


def test_speed_makes_time_run_faster_and_can_change():
    slow_clock, fast_clock = Clock(), Clock()
    slow, fast = Floor(clock=slow_clock), Floor(clock=fast_clock, speed=10)
    slow_clock.advance(600)
    fast_clock.advance(60)
    assert snapshot(fast) == snapshot(slow)
    fast.speed = 1
    slow_clock.advance(60)
    fast_clock.advance(60)
    assert snapshot(fast) == snapshot(slow)
    with pytest.raises(ValueError):
        fast.speed = 0


def test_start_times_count_back_from_the_clock():
    clock = Clock()
    floor = Floor(clock=clock)
    for call, _ in floor.live():
        assert START - 3600 < call.started_at <= START


# --- the scenario: scripted calls, the list, acting on ended calls ------------------------------------


def spy(scenario: Scenario, call_id: str, agent: str) -> tuple[int | None, str]:
    verdict = scenario.judge({"ssid": DEMO_SSID, **VALID_FIELDS, "callId": call_id, "targetEntityVal": agent})
    return verdict.code, verdict.message


def test_the_scripted_calls_stay_live_through_a_shift():
    clock = Clock()
    scenario = Scenario(floor=Floor(clock=clock))
    scripted = [call.call_id for call in DEFAULT_CALLS]
    for _ in range(48):  # eight hours in ten-minute steps
        clock.advance(600)
        listed = scenario.live_list({"ssid": DEMO_SSID})
        assert isinstance(listed, list)
        assert [item["callId"] for item in listed[: len(scripted)]] == scripted
    assert spy(scenario, "C-10023", "13") == (None, SUCCESS_TEXT)
    assert scenario.floor.started > 2500


def test_the_list_uses_the_default_shape():
    scenario = Scenario(floor=Floor(clock=Clock()))
    listed = scenario.live_list({"ssid": DEMO_SSID, "page": 3})  # extra fields are ignored
    assert isinstance(listed, list)
    assert listed[0] == {
        "callId": "C-10023",
        "masterAgent": 13,
        "agentName": "Asha",
        "cNumber": "+919800011023",
        "campId": "billing",
        "state": "talking",
        "startTime": int(START) - 252,
    }
    floor_item = listed[len(DEFAULT_CALLS)]
    assert set(floor_item) == set(listed[0])
    assert isinstance(floor_item["masterAgent"], int)


def test_acting_on_a_floor_call_while_it_lives_and_after_it_ended():
    clock = Clock()
    scenario = Scenario(floor=Floor(clock=clock))
    call, _ = scenario.floor.live()[0]
    assert spy(scenario, call.call_id, call.agent) == (None, SUCCESS_TEXT)
    assert spy(scenario, call.call_id, "999")[0] == 1502
    while scenario.floor.find(call.call_id) is not None:
        clock.advance(30)
    assert spy(scenario, call.call_id, call.agent) == (1012, f"No data found: call {call.call_id} has ended")
    assert spy(scenario, "C-99999", "1") == (1012, "No data found: no live call with that callId")


# --- over HTTP ----------------------------------------------------------------------------------------


@pytest.fixture
def clocked() -> Iterator[tuple[SimServer, Clock]]:
    clock = Clock()
    with SimServer(scenario=Scenario(floor=Floor(clock=clock))) as server:
        yield server, clock


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False, timeout=5.0) as client:
        yield client


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"ssid": DEMO_SSID}, None),
        ({"userId": DEMO_USER_ID, "token": DEMO_TOKEN}, None),
        ({"ssid": DEMO_SSID, "filter": [{"campId": "billing"}]}, None),
        ({}, 1000),
        ({"ssid": "expired-session-0f1e"}, 1014),
        ({"userId": DEMO_USER_ID, "token": "wrong"}, 1014),
        ({"ssid": DEMO_SSID, "userId": DEMO_USER_ID, "token": DEMO_TOKEN}, 1000),
        ({"ssid": RESTRICTED_SSID}, 1015),
        ([DEMO_SSID], 1047),
    ],
)
def test_queue_list_checks_credentials_as_bargingcall_does(sim, http, body, code):
    response = http.post(f"{sim.url}/queue/list", json=body)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    answer = response.json()
    if code is None:
        assert answer["status"] == "success"
        assert len(answer["data"]) > len(DEFAULT_CALLS)
    else:
        assert (answer["status"], answer["code"]) == ("error", code)


def test_queue_list_reads_bodies_as_bargingcall_does(sim, http):
    # The seed's snippets send JSON as text/plain; the list endpoint reads it the same way.
    response = http.post(
        f"{sim.url}/queue/list", content=f'{{"ssid":"{DEMO_SSID}"}}', headers={"Content-Type": "text/plain"}
    )
    assert response.json()["status"] == "success"
    assert http.post(f"{sim.url}/queue/list", content=b"{not json").json()["code"] == 1047


def test_list_requests_are_counted_apart_from_actions(sim, http):
    http.post(f"{sim.url}/queue/list", json={"ssid": DEMO_SSID})
    http.post(f"{sim.url}/queue/bargingCall", json={"ssid": DEMO_SSID, **VALID_FIELDS})
    assert (sim.list_request_count, sim.request_count, len(sim.received)) == (1, 1, 1)
    sim.reset()
    assert sim.list_request_count == 0


def test_list_fault_switches_are_their_own(sim, http):
    sim.list_faults.fail_next = 1
    assert http.post(f"{sim.url}/queue/list", json={"ssid": DEMO_SSID}).json()["code"] == 1501
    assert http.post(f"{sim.url}/queue/bargingCall", json={"ssid": DEMO_SSID, **VALID_FIELDS}).content == (
        SUCCESS_TEXT.encode()
    )
    assert http.post(f"{sim.url}/queue/list", json={"ssid": DEMO_SSID}).json()["status"] == "success"


def test_a_bargingcall_on_a_call_that_ended_answers_1012(clocked, http):
    server, clock = clocked
    first = http.post(f"{server.url}/queue/list", json={"ssid": DEMO_SSID}).json()["data"][len(DEFAULT_CALLS)]
    body = {"ssid": DEMO_SSID, **VALID_FIELDS, "callId": first["callId"], "targetEntityVal": str(first["masterAgent"])}
    assert http.post(f"{server.url}/queue/bargingCall", json=body).content == SUCCESS_TEXT.encode()
    clock.advance(3600)
    listed = http.post(f"{server.url}/queue/list", json={"ssid": DEMO_SSID}).json()["data"]
    assert first["callId"] not in [item["callId"] for item in listed]
    answer = http.post(f"{server.url}/queue/bargingCall", json=body).json()
    assert (answer["code"], answer["message"]) == (1012, f"No data found: call {first['callId']} has ended")
