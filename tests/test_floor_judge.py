"""The judge's one walk over the calls gives the very view the judge gave with a pass of its own for each figure
(`floor_judge_oracle`), refresh after refresh of random floors: the same health, breaches in the same order, the
same worst breach of each call and agent, alarms, bell and agents' rows."""

from __future__ import annotations

from floor_judge_oracle import OracleJudge
from hypothesis import given, settings
from hypothesis import strategies as st

from queuetui.core.floor.alerts import LIMITS, AlertsConfig, Levels
from queuetui.core.floor.assess import FloorJudge, FloorView
from queuetui.core.floor.calls import CallState, LiveCall
from queuetui.core.floor.feeds import FeedReadings
from queuetui.core.floor.feeds_config import AgentState
from queuetui.core.floor.health import Agent, FloorStats

NOW = 1_800_000_000.0
# Few ids, so that calls come back in another state from one refresh to the next, and some call ids are agent ids
# or the floor's own subject.
CALL_IDS = ("C-1", "C-2", "C-3", "C-4", "C-5", "13", "floor")
AGENT_IDS = ("13", "14", "15", "C-1", "")
SECONDS = st.integers(0, 900)


@st.composite
def calls(draw: st.DrawFn) -> list[LiveCall]:
    ids = draw(st.lists(st.sampled_from(CALL_IDS), unique=True))  # the tracker never judges one id twice
    return [
        LiveCall(
            call_id,
            agent=draw(st.none() | st.sampled_from(AGENT_IDS)),
            agent_name=draw(st.none() | st.just("Asha")),
            state=draw(st.none() | st.sampled_from(CallState)),
            started_at=draw(st.none() | SECONDS.map(lambda s: NOW - s)),
        )
        for call_id in ids
    ]


@st.composite
def readings(draw: st.DrawFn) -> FeedReadings | None:
    if draw(st.booleans()):
        return None
    stats = draw(
        st.none()
        | st.builds(
            FloorStats,
            waiting=st.none() | st.integers(0, 20),
            longest_wait_s=st.none() | SECONDS,
            talking=st.none() | st.integers(0, 9),
            agents=st.dictionaries(st.sampled_from(AgentState), st.none() | st.integers(0, 9)),
        )
    )
    agents = None
    if draw(st.booleans()):
        ids = draw(st.lists(st.sampled_from(AGENT_IDS[:-1]), unique=True))  # a feed's agents are read once each
        agents = tuple(
            Agent(
                agent,
                state=draw(st.none() | st.sampled_from(AgentState)),
                state_since=draw(st.none() | SECONDS.map(lambda s: NOW - s)),
                call_id=draw(st.none() | st.sampled_from(CALL_IDS)),
                handled=draw(st.none() | st.integers(0, 50)),
            )
            for agent in ids
        )
    return FeedReadings(stats, agents)


@st.composite
def levels(draw: st.DrawFn) -> Levels:
    warn = draw(st.none() | SECONDS)
    alarm = draw(st.none() | SECONDS.filter(lambda s: warn is None or s >= warn))
    return Levels(warn, alarm)


CONFIGS = st.builds(
    AlertsConfig,
    levels=st.dictionaries(st.sampled_from([limit.key for limit in LIMITS]), levels()),
    bell_repeat_s=st.sampled_from([0.0, 30.0, 60.0]),
)


def in_order(view: FloorView) -> tuple[object, ...]:
    """The view with the order of its mappings as well: the console reads them in order."""
    return (view, *(list(mapping.items()) for mapping in (view.worst, view.in_state_s, view.alarms, view.floor)))


@settings(max_examples=300)
@given(CONFIGS, st.lists(st.tuples(calls(), readings(), st.integers(0, 120)), min_size=1, max_size=4))
def test_the_one_walk_judges_as_a_pass_for_each_figure_did(config, refreshes):
    judge, oracle = FloorJudge(config), OracleJudge(config)
    now = NOW
    for floor, read, later in refreshes:
        now += later
        assert in_order(judge.judge(floor, read, now, now)) == in_order(oracle.judge(floor, read, now, now))


def test_the_oracle_tells_a_different_view():
    # The comparison can fail: a judge whose bell rang before rings no new alarm where a fresh one does.
    config = AlertsConfig(levels={"long_call": Levels(None, 60)})
    floor = [LiveCall("C-1", agent="13", state=CallState.TALKING, started_at=NOW - 100)]
    judge, oracle = FloorJudge(config), OracleJudge(config)
    judge.judge(floor, None, NOW, NOW)
    assert in_order(judge.judge(floor, None, NOW, NOW)) != in_order(oracle.judge(floor, None, NOW, NOW))
