"""The health line's words at the widths that matter: everything the demo's floor has at 80 columns on two lines,
the least important words dropped first at 60, one line at 120; a mark always a word of its own, never glued to a
figure; what no source gives said as "?"."""

from __future__ import annotations

import re

import pytest

from queuetui.core.floor.alerts import FLOOR, Breach, Level
from queuetui.core.floor.assess import FloorView
from queuetui.core.floor.feeds_config import AgentState
from queuetui.core.floor.health import FloorHealth
from queuetui.core.floor.health_line import health_line, health_lines, said

HEALTH = FloorHealth(
    talking=20,
    ringing=2,
    on_hold=1,
    waiting=5,
    longest_wait_s=40,
    service_level=98.0,
    agents={
        AgentState.AVAILABLE: 18,
        AgentState.ON_CALL: 23,
        AgentState.WRAP_UP: 2,
        AgentState.BREAK: 4,
        AgentState.OFFLINE: 1,
    },
)
WAITING = Breach("callers_waiting", FLOOR, Level.WARN, 5, 5)
LONG_CALLS = tuple(Breach("long_call", f"C-{n}", Level.WARN, 400, 300) for n in range(4))
# The demo's floor: five callers waiting (a warning) and four long calls.
DEMO = FloorView(health=HEALTH, breaches=(WAITING, *LONG_CALLS), floor={"callers_waiting": WAITING})

LONGEST = Breach("longest_wait", FLOOR, Level.ALARM, 200, 180)
CALL = Breach("long_call", "C-9", Level.ALARM, 700, 600)
ALARMED = FloorView(
    health=HEALTH,
    breaches=(LONGEST, CALL, WAITING, *LONG_CALLS),
    floor={"callers_waiting": WAITING, "longest_wait": LONGEST},
    alarms={LONGEST.key: LONGEST, CALL.key: CALL},
)


def lines_at(view: FloorView, width: int, count: int, acknowledged: int = 0) -> list[str]:
    return [said(line) for line in health_lines(view, width, lines=count, acknowledged=acknowledged)]


def test_at_80_columns_two_lines_hold_every_figure_of_the_demos_floor():
    assert lines_at(DEMO, 80, 2) == [
        "!warn 5 | wait 5 !warn max 0:40 | SL 98%",
        "calls: talk 20 ring 2 hold 1 | agents: free 18 call 23 wrap 2 brk 4 off 1",
    ]


def test_at_60_columns_the_group_labels_go_first_and_every_figure_stays():
    assert lines_at(DEMO, 60, 2) == [
        "!warn 5 | wait 5 !warn max 0:40 | SL 98%",
        "talk 20 ring 2 hold 1 | free 18 call 23 wrap 2 brk 4 off 1",
    ]


def test_narrower_still_offline_wrap_up_and_ringing_go_before_break_and_hold():
    assert lines_at(DEMO, 40, 2)[1] == "talk 20 hold 1 | free 18 call 23 brk 4"
    assert lines_at(DEMO, 30, 2)[1] == "talk 20 | free 18 call 23"
    assert lines_at(DEMO, 12, 2)[1] == "talk 20"


def test_at_120_columns_one_line_holds_everything():
    assert lines_at(DEMO, 120, 1) == [
        "!warn 5 | wait 5 !warn max 0:40 | SL 98% | calls: talk 20 ring 2 hold 1 | "
        "agents: free 18 call 23 wrap 2 brk 4 off 1"
    ]


def test_alarms_and_marked_figures_stay_when_the_rest_goes():
    assert lines_at(ALARMED, 120, 1, acknowledged=1) == [
        "!!ALARM 2 (1 ack) !warn 5 | wait 5 !warn max 0:40 !!ALARM | SL 98% | talk 20 ring 2 hold 1 | "
        "free 18 call 23 brk 4"
    ]
    assert lines_at(ALARMED, 60, 2)[0] == "!!ALARM 2 !warn 5 | wait 5 !warn max 0:40 !!ALARM | SL 98%"
    # Too narrow for what must stay: it stays whole, and the console crops it.
    assert lines_at(ALARMED, 30, 2)[0] == "!!ALARM 2 !warn 5 | wait 5 !warn max 0:40 !!ALARM"


@pytest.mark.parametrize("view", [DEMO, ALARMED], ids=["warn", "alarm"])
@pytest.mark.parametrize("width,count", [(120, 1), (80, 2), (60, 2)])
def test_a_mark_is_a_word_of_its_own_never_glued_to_a_figure(view, width, count):
    for line in lines_at(view, width, count):
        assert re.search(r"\w!|!\w*\d", line) is None, line
        for mark in re.findall(r"\S*!\S*", line):
            assert mark in ("!warn", "!!ALARM"), line


@pytest.mark.parametrize("width,count", [(120, 1), (80, 2), (60, 2)])
def test_the_lines_fit_their_width(width, count):
    for view in (DEMO, ALARMED):
        assert all(len(line) <= width for line in lines_at(view, width, count))


def test_what_no_source_gives_is_unknown_never_0_and_calls_watch_says_it_all_on_one_line():
    assert health_line(FloorView()) == (
        "wait ? max ? | SL ? | calls: talk ? ring ? hold ? | agents: free ? call ? wrap ? brk ? off ?"
    )


def test_the_colour_follows_the_level_of_each_word():
    line = health_lines(ALARMED, 80, lines=2, acknowledged=2)[0]
    levels = {word.text: word.level for part in line for word in part}
    # Every alarm acknowledged: the summary says so in the warning's colour, the marked figure keeps its own.
    assert levels["!!ALARM 2 (2 ack)"] is Level.WARN
    assert levels["max 0:40 !!ALARM"] is Level.ALARM
    assert levels["SL 98%"] is None
