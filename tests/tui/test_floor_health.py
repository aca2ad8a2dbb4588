"""The floor's health in the console, on lists and feeds read by programs from files the test rewrites and a floor
clock that stands still: the health line from a site's own shapes (unknown shown as "?"), a call crossing warn then
alarm marked in words, one bell, one log line and one syslog record for the alarm, `a` and no second bell; the
triage keys (sort, next call past a level, only those) and the profile remembering them."""

from __future__ import annotations

import json
import socket
import sys
import time
from pathlib import Path

import pytest
from helpers import outcome_records

from queuetui.core.config.settings import load_config
from queuetui.sim import DEMO_SSID
from queuetui.sim.scenario import LiveCall as ScriptedCall
from queuetui.tui.widgets.agents_table import AgentsTable
from queuetui.tui.widgets.floor_panel import FloorPanel
from queuetui.tui.widgets.health_line import HealthLine
from queuetui.tui.widgets.live_calls import LiveCallsTable
from tui.conftest import drive, rows_seen, settle, started, wait_until

NOW = 1_767_600_000.0


def _call(call_id: str, agent: int, age: float, state: str = "talking") -> dict[str, object]:
    return {"callId": call_id, "masterAgent": agent, "state": state, "startTime": NOW - age}


class StillWallClock:
    """Calls' durations stand still (the wall clock does); the poller's schedule runs on the real one."""

    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return NOW


@pytest.fixture
def feeds(tmp_path: Path) -> dict[str, Path]:
    """The files the programs print: the calls, the floor's figures (nested) and the agents (ids as numbers, states
    as codes)."""
    files = {name: tmp_path / f"{name}.json" for name in ("calls", "stats", "agents")}
    files["calls"].write_text(
        json.dumps({"calls": [_call("C-1", 13, 100), _call("C-2", 14, 250), _call("C-3", 15, 30)]})
    )
    files["stats"].write_text(json.dumps({"result": {"queues": [{"metrics": {"inQueue": 3, "oldestSec": 75}}]}}))
    people = [
        {"id": {"num": 13}, "presence": {"code": 2}},
        {"id": {"num": 14}, "presence": {"code": 2}},
        {"id": {"num": 15}, "presence": {"code": 2}},
        {"id": {"num": 16}, "presence": {"code": 7, "at": NOW - 60}},
        {"id": {"num": 17}, "presence": {"code": 1}},
    ]
    files["agents"].write_text(json.dumps({"result": {"people": people}}))
    return files


@pytest.fixture
def syslog_path(tmp_path: Path):
    path = tmp_path / "log.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(path))
    server.settimeout(5)
    yield server, path
    server.close()


@pytest.fixture
def floor_app(make_app, write_config, sim, feeds, syslog_path, monkeypatch):
    def program(path: Path) -> str:
        script = path.with_suffix(".py")
        script.write_text(f"import sys; sys.stdout.write(open({str(path)!r}).read())\n")
        return f"[{json.dumps(sys.executable)}, {json.dumps(str(script))}]"

    write_config(
        f'[profiles.floor]\nbase_url = "{sim.url}"\nsnooper_number = "9876543210"\nsyslog = true\n'
        f'syslog_socket = "{syslog_path[1]}"\n'
        f'[profiles.floor.live_calls]\nsource = "command"\ncommand = {program(feeds["calls"])}\nrefresh_s = 0.5\n'
        '[profiles.floor.live_calls.fields]\nstate = "/state"\nstarted_at = "/startTime"\n'
        f'[profiles.floor.floor_stats]\nsource = "command"\ncommand = {program(feeds["stats"])}\n'
        'items = "/result/queues/0"\n'
        '[profiles.floor.floor_stats.fields]\nwaiting = "/metrics/inQueue"\nlongest_wait_s = "/metrics/oldestSec"\n'
        'service_level = ""\n'
        f'[profiles.floor.agents]\nsource = "command"\ncommand = {program(feeds["agents"])}\n'
        'items = "/result/people"\n'
        '[profiles.floor.agents.states]\n1 = "available"\n2 = "on a call"\n7 = "break"\n'
        '[profiles.floor.agents.fields]\nagent = "/id/num"\nstate = "/presence/code"\nstate_since = "/presence/at"\n'
        "[profiles.floor.alerts]\nlong_call_warn = 180\nlong_call_alarm = 300\nbell_repeat_s = 0.5\n"
    )
    monkeypatch.setenv("QUEUETUI_SSID", DEMO_SSID)
    return lambda: make_app(floor_clock=StillWallClock())


async def on_the_floor(pilot) -> LiveCallsTable:
    await started(pilot)
    await pilot.press("enter")  # sign in with the secret from the environment
    table = pilot.app.console_screen.query_one(LiveCallsTable)
    await wait_until(pilot, lambda: len(table.shown) == 3 and table.snapshot.view is not None)
    await rows_seen(pilot)
    return table


def health_text(pilot) -> str:
    line = pilot.app.console_screen.query_one(HealthLine)
    line.render()
    return line.text


def test_the_health_line_shows_a_sites_own_figures_and_unknown_as_unknown(floor_app):
    h = floor_app()
    seen = {}

    async def steps(pilot):
        table = await on_the_floor(pilot)
        seen["health"] = health_text(pilot)
        seen["row"] = table.line(1)

    drive(h, steps, size=(120, 30))
    assert seen["health"] == (
        "!warn 1 | wait 3 max 1:15 | SL ? | calls: talk 3 ring 0 hold 0 | agents: free 1 call 3 wrap 0 brk 1 off 0"
    )
    assert "!C-2" in seen["row"] and "warn" in seen["row"]


def test_an_alarm_rings_once_is_logged_and_sent_to_syslog_once_and_a_stops_the_bell(
    floor_app, feeds, syslog_path, monkeypatch
):
    h = floor_app()
    bells: list[int] = []
    monkeypatch.setattr(h.app, "bell", lambda: bells.append(1))
    calls = feeds["calls"]

    async def steps(pilot):
        table = await on_the_floor(pilot)
        assert table.cell_text(1, 5) == "warn" and bells == []
        calls.write_text(json.dumps({"calls": [_call("C-1", 13, 100), _call("C-2", 14, 320), _call("C-3", 15, 30)]}))
        await wait_until(pilot, lambda: table.cell_text(1, 5) == "ALARM", timeout=10)
        assert table.cells(1)[0] == " !"
        assert bells == [1]
        updates = h.handled["FloorUpdated"]
        # Not acknowledged, it rings again after bell_repeat_s: the key is what stops it.
        await wait_until(pilot, lambda: len(bells) == 2, timeout=10)
        table.focus()
        await pilot.press("a")
        assert "(1 ack)" in health_text(pilot)
        after = h.handled["FloorUpdated"]
        await wait_until(pilot, lambda: h.handled["FloorUpdated"] >= after + 4, timeout=10)
        assert updates < after
        assert bells == [1, 1]
        logged = [line for line in h.log_lines if "ALARM long call C-2" in line]
        assert len(logged) == 1 and "(alarm at 5:00)" in logged[0]
        await settle(pilot)

    drive(h, steps)
    server = syslog_path[0]
    record = server.recv(65536).decode()
    assert " alarm " in record and 'subject="C-2"' in record and 'level="alarm"' in record
    server.settimeout(0.2)
    with pytest.raises(TimeoutError):
        server.recv(65536)  # one record for the alarm, not one per bell


def test_sort_by_duration_then_n_lands_on_the_longest_call_past_a_level_and_s_spies_on_it(
    floor_app, feeds, sim, audit_path, isolated_home
):
    feeds["calls"].write_text(
        json.dumps(
            {"calls": [_call("C-1", 13, 100), _call("C-2", 14, 250), _call("C-3", 15, 30), _call("C-4", 16, 400)]}
        )
    )
    h = floor_app()

    async def steps(pilot):
        await started(pilot)
        await pilot.press("enter")
        table = pilot.app.console_screen.query_one(LiveCallsTable)
        await wait_until(pilot, lambda: len(table.shown) == 4 and table.snapshot.view is not None)
        await rows_seen(pilot)
        await pilot.press("o")
        assert [call.call_id for call in table.shown] == ["C-4", "C-2", "C-1", "C-3"]
        await pilot.press("n")
        assert table.highlighted.call_id == "C-4"
        await pilot.press("n")
        assert table.highlighted.call_id == "C-2"
        await pilot.press("N")
        assert table.highlighted.call_id == "C-4"
        await pilot.press("exclamation_mark")
        assert [call.call_id for call in table.shown] == ["C-4", "C-2"]
        await pilot.press("s")
        await settle(pilot)

    drive(h, steps)
    sent = sim.received[-1].parsed
    assert (sent["callId"], sent["snoopType"], sent["targetEntityVal"]) == ("C-4", "spy", "16")
    assert outcome_records(audit_path)[-1]["call_id"] == "C-4"
    kept = load_config(isolated_home / ".config" / "queuetui" / "config.toml").settings.profiles["floor"]
    assert (kept.floor_sort, kept.floor_only_marked) == ("duration", True)  # remembered for this profile


def _follow_spies(isolated_home: Path) -> None:
    config = isolated_home / ".config" / "queuetui" / "config.toml"
    config.write_text(config.read_text().replace("syslog = true\n", "syslog = true\nfollow_spies = true\n", 1))


def _on_the_simulator(sim, monkeypatch, *calls: tuple[str, str]) -> None:
    for call_id, agent in calls:
        monkeypatch.setitem(sim.scenario.calls, call_id, ScriptedCall(call_id, agent, "billing", "+919800011023"))


def test_the_agents_view_acts_on_an_agents_call_and_f_follows_them_to_their_next_call(
    floor_app, feeds, sim, monkeypatch
):
    _on_the_simulator(sim, monkeypatch, ("C-2", "14"), ("C-9", "13"))
    h = floor_app()
    calls = feeds["calls"]
    seen: dict[str, object] = {}

    async def steps(pilot):
        table = await on_the_floor(pilot)
        await pilot.press("v")
        agents = pilot.app.console_screen.query_one(AgentsTable)
        assert agents.has_focus
        panel = pilot.app.console_screen.query_one(FloorPanel)
        seen["state line"] = [str(panel.border_subtitle).split(" \u00b7 ")[0]]  # counts what the frame shows
        seen["rows"] = [(row.agent, row.state.value if row.state else None) for row in agents.rows]
        await pilot.press("down", "s")  # agent 14, on C-2
        await settle(pilot)
        assert agents.has_focus
        await pilot.press("up", "f")  # follow agent 13
        assert "following agent 13" in h.header
        await pilot.press("v")
        assert table.has_focus
        calls.write_text(json.dumps({"calls": [_call("C-1", 13, 100), _call("C-2", 14, 250), _call("C-9", 13, 5)]}))
        await wait_until(pilot, lambda: any("Agent 13 took C-9" in line for line in h.log_lines), timeout=10)
        row = next(index for index, call in enumerate(table.shown) if call.call_id == "C-9")
        assert table.cells(row)[0].startswith("*")  # marked new
        await pilot.press("F")
        await settle(pilot)
        pilot.app.console_screen.set_focus(table)
        await pilot.press("v", "slash", *"17", "enter")  # the filter's first match, in the view shown
        assert agents.has_focus and agents.highlighted.agent == "17"
        panel.show_state()  # as the console's clock does each second
        seen["state line"].append(str(panel.border_subtitle).split(" \u00b7 ")[0])
        await pilot.press("v")
        seen["state line"].append(str(panel.border_subtitle).split(" \u00b7 ")[0])

    drive(h, steps)
    assert seen["rows"] == [
        ("13", "on a call"),
        ("14", "on a call"),
        ("15", "on a call"),
        ("16", "break"),
        ("17", "available"),
    ]
    sent = [(r.parsed["callId"], r.parsed["snoopType"], r.parsed["targetEntityVal"]) for r in sim.received]
    assert sent == [("C-2", "spy", "14"), ("C-9", "spy", "13")]
    words = seen["state line"]
    assert words[:2] == ["5 agents", "1 of 5 agents"] and words[2].endswith(" calls"), words


def test_with_follow_spies_the_followed_agents_next_call_is_spied_on_and_recorded_as_a_follow(
    floor_app, feeds, sim, audit_path, isolated_home, monkeypatch
):
    _on_the_simulator(sim, monkeypatch, ("C-9", "13"))
    _follow_spies(isolated_home)
    h = floor_app()
    calls = feeds["calls"]

    async def steps(pilot):
        table = await on_the_floor(pilot)
        await pilot.press("f")  # on C-1: follow its agent, 13
        assert "following agent 13 (spies)" in h.header
        calls.write_text(json.dumps({"calls": [_call("C-1", 13, 100), _call("C-9", 13, 5)]}))
        await wait_until(pilot, lambda: any(call.call_id == "C-9" for call in table.shown), timeout=10)
        await settle(pilot)

    drive(h, steps)
    sent = [(r.parsed["callId"], r.parsed["snoopType"]) for r in sim.received]
    assert sent == [("C-9", "spy")]  # spy only, never whisper or barge
    record = outcome_records(audit_path)[-1]
    assert (record["call_id"], record["mode"], record["via"]) == ("C-9", "spy", "follow")


def test_the_agents_view_is_redrawn_only_when_a_row_on_screen_reads_differently(floor_app, feeds, monkeypatch):
    h = floor_app()
    people = json.loads(feeds["agents"].read_text())
    seen: dict[str, list[int | None]] = {}

    def on_break_since(seconds: int) -> None:
        people["result"]["people"][3]["presence"]["at"] = NOW - seconds  # agent 16
        feeds["agents"].write_text(json.dumps(people))

    async def steps(pilot):
        await on_the_floor(pilot)
        await pilot.press("v")
        agents = pilot.app.console_screen.query_one(AgentsTable)

        def on_break() -> int | None:
            return next(row.in_state_s for row in agents.rows if row.agent == "16")

        await wait_until(pilot, lambda: on_break() == 60)
        redraws: list[int | None] = []
        redraw = agents.refresh

        def counted(*args, **kwargs):
            redraws.append(on_break())
            return redraw(*args, **kwargs)

        monkeypatch.setattr(agents, "refresh", counted)
        on_break_since(61)  # "1m" still
        await wait_until(pilot, lambda: on_break() == 61)
        seen["same minute"] = list(redraws)
        on_break_since(125)  # "2m"
        await wait_until(pilot, lambda: on_break() == 125)
        seen["next minute"] = list(redraws)

    drive(h, steps)
    assert seen == {"same minute": [], "next minute": [125]}
