"""The floor's health, its optional feeds and its thresholds, without a UI: figures derived from the live list or
read through a profile's own mapping (unknown stays unknown), breaches at warn and alarm, and a bell that rings
once per alarm until acknowledged."""

from __future__ import annotations

import json

import pytest

from queuetui.core.config.settings import ConfigError, Profile, load_config
from queuetui.core.floor.alerts import FLOOR, AlarmBell, AlertsConfig, Level, Levels
from queuetui.core.floor.assess import FloorJudge
from queuetui.core.floor.calls import CallState, LiveCall
from queuetui.core.floor.feeds import AgentMap, FeedReadings, StatsMap
from queuetui.core.floor.feeds_config import AgentsConfig, AgentState, FloorStatsConfig
from queuetui.core.floor.health import Agent, FloorStats, floor_health
from queuetui.sim import SimServer

NOW = 1_800_000_000.0

# A site whose feeds look nothing like the simulator's: nested, ids as numbers, states as codes.
HELD_OUT = """
[profiles.site.floor_stats]
source = "command"
command = ["/opt/site/stats"]
items = "/result/queues/0"

[profiles.site.floor_stats.fields]
waiting = "/metrics/inQueue"
longest_wait_s = "/metrics/oldestSec"
service_level = ""

[profiles.site.agents]
source = "command"
command = ["/opt/site/agents"]
items = "/result/people"

[profiles.site.agents.states]
1 = "available"
2 = "on a call"
3 = "wrap-up"
7 = "break"
0 = "offline"

[profiles.site.agents.fields]
agent = "/id/num"
name = "/display"
state = "/presence/code"
state_since = "/presence/at"
call_id = "/current/call"
handled = ""
missed = ""

[profiles.site.alerts]
long_call_warn = 180
long_call_alarm = 300
long_break_alarm = 600
"""

STATS_ANSWER = {"result": {"queues": [{"metrics": {"inQueue": 7, "oldestSec": "95"}}]}}
AGENTS_ANSWER = {
    "result": {
        "people": [
            {"id": {"num": 13}, "display": "Asha", "presence": {"code": 2, "at": NOW - 60}, "current": {"call": 501}},
            {"id": {"num": 14}, "display": "Ben", "presence": {"code": 7, "at": NOW - 700}},
            {"id": {"num": 15}, "display": "Chen", "presence": {"code": 1}},
            {"id": {"num": 16}, "display": "Dina", "presence": {"code": 99}},
            {"display": "no id"},
        ]
    }
}


def _site_profile(write_config) -> Profile:
    return load_config(write_config(HELD_OUT)).settings.profiles["site"]


def test_a_held_out_shape_is_read_through_the_profiles_own_mapping(write_config):
    profile = _site_profile(write_config)
    stats = StatsMap.from_config(profile.floor_stats).read(STATS_ANSWER)
    agents = AgentMap.from_config(profile.agents).read(AGENTS_ANSWER)
    assert (stats.waiting, stats.longest_wait_s, stats.service_level) == (7, 95, None)
    assert [(a.agent, a.state, a.call_id) for a in agents] == [
        ("13", AgentState.ON_CALL, "501"),
        ("14", AgentState.BREAK, None),
        ("15", AgentState.AVAILABLE, None),
        ("16", None, None),  # a code the profile does not map is not known, not guessed
    ]
    health = floor_health(None, stats, agents)
    assert health.agents[AgentState.ON_CALL] == 1 and health.agents[AgentState.BREAK] == 1
    assert health.talking is None  # no list yet: not 0
    assert health.as_json()["service_level"] is None


def test_an_agent_unchanged_since_the_last_answer_is_the_agent_read_then(write_config):
    mapping = AgentMap.from_config(_site_profile(write_config).agents)
    known: dict[str, tuple[object, Agent]] = {}
    first = mapping.read(AGENTS_ANSWER, known)
    later = json.loads(json.dumps(AGENTS_ANSWER))  # a new answer, decoded afresh
    later["result"]["people"][1]["presence"] = {"code": 1}  # Ben is back from his break
    del later["result"]["people"][2]  # Chen has gone
    again = mapping.read(later, known)
    assert again == mapping.read(later)  # what a reading afresh gives
    assert [agent.agent for agent in again] == ["13", "14", "16"]
    assert again[0] is first[0] and again[2] is first[3]  # not read again
    assert again[1].state is AgentState.AVAILABLE and set(known) == {"13", "14", "16"}


def test_the_tables_are_written_back_as_the_file_had_them(write_config):
    profile = _site_profile(write_config)
    written = profile.written()
    assert written["agents"]["states"] == {
        "1": "available",
        "2": "on a call",
        "3": "wrap-up",
        "7": "break",
        "0": "offline",
    }
    assert written["floor_stats"]["fields"]["waiting"] == "/metrics/inQueue"
    assert written["alerts"] == {"long_call_warn": 180, "long_call_alarm": 300, "long_break_alarm": 600}
    assert "agents" not in Profile().written() and "alerts" not in Profile().written()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[profiles.x.agents.states]\n1 = "lunch"', "agents.states.1: must be one of available"),
        ("[profiles.x.alerts]\nlong_call_warn = 300\nlong_call_alarm = 100", "long_call_alarm: must be at least"),
        ('[profiles.x.agents.fields]\nagent = ""', "agents.fields.agent: is required"),
        ('[profiles.x.floor_stats]\nitems = "data"', "floor_stats.items"),
    ],
)
def test_a_wrong_table_is_named(write_config, text, problem):
    with pytest.raises(ConfigError, match=problem):
        load_config(write_config(text))


def _call(call_id: str, state: CallState | None, started: float | None = None, agent: str | None = "1") -> LiveCall:
    return LiveCall(call_id, agent=agent, state=state, started_at=started)


def test_figures_come_from_the_list_where_they_can_and_are_unknown_where_they_cannot():
    calls = [_call("a", CallState.TALKING), _call("b", CallState.RINGING, agent="2"), _call("c", CallState.ON_HOLD)]
    health = FloorJudge(AlertsConfig()).judge(calls, None, NOW, 0).health
    assert (health.talking, health.ringing, health.on_hold) == (1, 1, 1)
    assert health.waiting is None and health.longest_wait_s is None and health.service_level is None
    assert health.agents == {AgentState.ON_CALL: 2}
    unknown_state = FloorJudge(AlertsConfig()).judge([*calls, _call("d", None)], None, NOW, 0).health
    assert unknown_state.talking is None  # one call of unknown state makes every count unknown
    unknown_agent = FloorJudge(AlertsConfig()).judge([*calls, _call("e", CallState.TALKING, agent=None)], None, NOW, 0)
    assert unknown_agent.health.agents == {}  # one call without an agent: how many agents are on calls is unknown
    assert FloorJudge(AlertsConfig()).judge([], None, NOW, 0).health.talking == 0  # an empty floor is known empty


def test_breaches_at_warn_and_alarm_for_calls_agents_and_the_floor():
    config = AlertsConfig(
        levels={"long_call": Levels(180, 300), "long_hold": Levels(30, 60), "callers_waiting": Levels(3, 5)}
    )
    judge = FloorJudge(config)
    calls = [
        _call("short", CallState.TALKING, NOW - 100),
        _call("warned", CallState.TALKING, NOW - 200),
        _call("alarmed", CallState.TALKING, NOW - 301),
        _call("held", CallState.ON_HOLD, NOW - 10),
    ]
    judge.judge(calls, None, NOW - 45, 0)  # "held" first seen on hold
    found = judge.judge(calls, FeedReadings(FloorStats(waiting=6)), NOW, 1).breaches
    assert [(b.limit, b.subject, b.level) for b in found] == [
        ("long_call", "alarmed", Level.ALARM),
        ("callers_waiting", FLOOR, Level.ALARM),
        ("long_call", "warned", Level.WARN),
        ("long_hold", "held", Level.WARN),
    ]
    assert found[0].words == "ALARM long call alarmed 5:01 (alarm at 5:00)"
    assert judge.judge(calls, None, NOW, 2).breaches[1].limit != "callers_waiting"  # unknown: no breach


def test_an_alarm_rings_once_again_only_unacknowledged_and_new_when_it_comes_back():
    view = FloorJudge(AlertsConfig(levels={"long_call": Levels(None, 300)})).judge(
        [_call("x", CallState.TALKING, NOW - 400)], None, NOW, 0
    )
    alarm, breach = view.alarms, view.breaches[0]
    bell = AlarmBell(repeat_s=60)
    assert bell.ring(alarm, 0) == [(breach, True)]
    assert bell.ring(alarm, 30) == []
    assert bell.ring(alarm, 61) == [(breach, False)]  # not acknowledged: rings again, not a new log line
    assert bell.acknowledge() == 1
    assert bell.ring(alarm, 200) == []
    assert bell.ring({}, 201) == []  # cleared
    assert bell.ring(alarm, 202) == [(breach, True)]  # back: a new breach
    never_again = AlarmBell(repeat_s=0)
    assert never_again.ring(alarm, 0) == [(breach, True)]
    assert never_again.ring(alarm, 10_000) == []


def test_the_simulator_serves_figures_and_agents_in_the_assumed_default_shape():
    import httpx

    from queuetui.sim import DEMO_SSID

    with SimServer() as sim:
        stats = httpx.post(f"{sim.url}/liveQueue/count", json={"ssid": DEMO_SSID}).json()["data"]
        agents = httpx.post(f"{sim.url}/Agent/live/", json={"ssid": DEMO_SSID}).json()["data"]
        refused = httpx.post(f"{sim.url}/Agent/live", json={"ssid": "wrong"}).json()
        assert sim.feed_request_count == 3 and sim.list_request_count == 0
    figures = StatsMap.from_config(FloorStatsConfig()).read({"data": stats})
    assert figures.waiting is not None and figures.longest_wait_s is not None and figures.service_level is not None
    read = AgentMap.from_config(AgentsConfig()).read({"data": agents})
    states = {agent.state for agent in read}
    assert {AgentState.ON_CALL, AgentState.BREAK, AgentState.OFFLINE} <= states
    assert next(a for a in read if a.agent == "13").call_id == "C-10023"
    assert refused["code"] == 1014
