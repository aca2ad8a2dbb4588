"""`queuetui calls` with the floor's health: a site's own shapes (nested, ids as numbers, agent states as codes the
profile maps) read from its own programs give the right figures in `--json` and under the table, a figure no feed
gives is null (shown "?"), and `--fail-on-alarm` exits 7 on an alarm."""

from __future__ import annotations

import json
import time
from pathlib import Path

from run_cli import run_queuetui

NOW = time.time()
CALLS = {"calls": [{"ref": 501, "who": {"id": 13}, "began": int(NOW - 400)}, {"ref": 502, "who": {"id": 14}}]}
STATS = {"result": {"queues": [{"metrics": {"inQueue": 7, "oldestSec": 95}}]}}
AGENTS = {
    "result": {
        "people": [
            {
                "id": {"num": 13},
                "display": "Asha",
                "presence": {"code": 2, "at": int(NOW - 60)},
                "current": {"call": 501},
            },
            {"id": {"num": 14}, "display": "Ben", "presence": {"code": 2}, "current": {"call": 502}},
            {"id": {"num": 15}, "display": "Chen", "presence": {"code": 7, "at": int(NOW - 700)}},
            {"id": {"num": 16}, "display": "Dina", "presence": {"code": 1}},
        ]
    }
}


def _site(write_config, tmp_path: Path) -> None:
    files = {}
    for name, document in (("calls", CALLS), ("stats", STATS), ("agents", AGENTS)):
        files[name] = tmp_path / f"{name}.json"
        files[name].write_text(json.dumps(document))
    write_config(
        f"""
[profiles.site.live_calls]
source = "command"
command = ["cat", "{files["calls"]}"]
[profiles.site.live_calls.fields]
call_id = "/ref"
agent = "/who/id"
started_at = "/began"
customer = ""
queue = ""

[profiles.site.floor_stats]
source = "command"
command = ["cat", "{files["stats"]}"]
items = "/result/queues/0"
[profiles.site.floor_stats.fields]
waiting = "/metrics/inQueue"
longest_wait_s = "/metrics/oldestSec"

[profiles.site.agents]
source = "command"
command = ["cat", "{files["agents"]}"]
items = "/result/people"
[profiles.site.agents.states]
1 = "available"
2 = "on a call"
7 = "break"
[profiles.site.agents.fields]
agent = "/id/num"
name = "/display"
state = "/presence/code"
state_since = "/presence/at"
call_id = "/current/call"

[profiles.site.alerts]
long_call_alarm = 300
long_break_warn = 600
"""
    )


def test_a_sites_own_shapes_give_the_right_figures_and_unknown_stays_null(write_config, tmp_path):
    _site(write_config, tmp_path)
    ran = run_queuetui("calls", "--json", in_process=True)
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout)
    assert result["stats"] == {
        "talking": None,  # the list has no states: not known, never 0
        "ringing": None,
        "on_hold": None,
        "waiting": 7,
        "longest_wait_s": 95,
        "service_level": None,
        "agents": {"available": 1, "on a call": 2, "wrap-up": 0, "break": 1, "offline": 0},
    }
    assert [(a["agent"], a["state"], a["call_id"]) for a in result["agents"]] == [
        ("13", "on a call", "501"),
        ("14", "on a call", "502"),
        ("15", "break", None),
        ("16", "available", None),
    ]
    assert result["agents"][2]["in_state_s"] >= 700
    assert [(a["limit"], a["subject"], a["level"]) for a in result["alerts"]] == [
        ("long_call", "501", "alarm"),
        ("long_break", "15", "warn"),
    ]


def test_the_table_ends_with_the_health_line_and_the_alarms_in_words(write_config, tmp_path):
    _site(write_config, tmp_path)
    ran = run_queuetui("calls", "--fail-on-alarm", in_process=True)
    assert ran.returncode == 7, ran.stderr
    lines = ran.stdout.splitlines()
    health = next(line for line in lines if line.startswith("!!ALARM 1 "))
    assert "wait 7 max 1:35" in health and "talk ? ring ? hold ?" in health and "SL ?" in health
    assert "agents: free 1 call 2 wrap 0 brk 1 off 0" in health
    assert any(line.startswith("!!ALARM long call 501 ") for line in lines)
    assert any(line.startswith("!warn break too long 15 ") for line in lines)
