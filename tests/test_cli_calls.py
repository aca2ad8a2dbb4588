"""`queuetui calls`: the JSON and table output, `--raw` with secrets masked, `--watch` stopped by Ctrl+C, and the
exit codes shared with `barge`. Most runs go through the entry point in this process (fast, same code path); the
ones that are about the process itself (Ctrl+C, --demo, no Textual) run the real command in a child."""

from __future__ import annotations

import json
import selectors
import signal
import socket
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rawserver import RawServer, answer
from run_cli import run_queuetui, start_queuetui
from test_layering import textual_modules_after

from queuetui.sim import DEMO_SSID
from queuetui.sim.scenario import DEFAULT_CALLS

WRONG_SSID = "expired-session-0f1e2d3c"
CALL_KEYS = {"call_id", "agent", "agent_name", "customer", "queue", "state", "started_at", "duration_s"}


@dataclass
class Ran:
    code: int
    out: str
    err: str


@pytest.fixture
def calls(monkeypatch) -> Callable[..., Ran]:
    """Runs `queuetui calls ARGS` in this process with QUEUETUI_SSID set (unless `ssid=None`); checks that no
    credential reached the terminal."""

    def run(*args: str, ssid: str | None = DEMO_SSID) -> Ran:
        if ssid is None:
            monkeypatch.delenv("QUEUETUI_SSID", raising=False)
        else:
            monkeypatch.setenv("QUEUETUI_SSID", ssid)
        done = run_queuetui("calls", *args, in_process=True)
        for secret in (DEMO_SSID, WRONG_SSID):
            assert secret not in done.stdout + done.stderr
        return Ran(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def floor_profile(write_config) -> Callable[..., Path]:
    """A config whose only profile reads the live list from `base_url`; extra lines go in its live_calls table."""

    def write(base_url: str, *lines: str) -> Path:
        table = "\n".join(('source = "deepcall"', *lines))
        return write_config(f'[profiles.floor]\nbase_url = "{base_url}"\n[profiles.floor.live_calls]\n{table}\n')

    return write


# --- output -------------------------------------------------------------------------------------------


def test_json_has_every_documented_key_and_unknown_fields_are_null(calls, floor_profile, sim):
    floor_profile(sim.url)
    ran = calls("--json")
    assert ran.code == 0, ran.err
    result = json.loads(ran.out)
    assert set(result) == {"calls", "source", "fetched_at", "stats", "agents", "alerts"}
    assert result["source"] == "deepcall"
    assert result["fetched_at"].endswith("+00:00")
    first = result["calls"][0]
    assert set(first) == CALL_KEYS
    assert first == {
        "call_id": "C-10023",
        "agent": "13",
        "agent_name": None,  # the default mapping assumes no name, state or start time
        "customer": "••••1023",
        "queue": "billing",
        "state": None,
        "started_at": None,
        "duration_s": None,
    }
    assert sim.list_request_count == 1


def test_json_with_a_full_mapping(calls, floor_profile, sim):
    floor_profile(
        sim.url, "[profiles.floor.live_calls.fields]", 'agent_name = "/agentName"', 'state = "/state"',
        'started_at = "/startTime"',
    )  # fmt: skip
    result = json.loads(calls("--json").out)
    by_id = {call["call_id"]: call for call in result["calls"]}
    assert (by_id["C-10042"]["agent_name"], by_id["C-10042"]["state"]) == ("Dina", "on hold")
    assert by_id["C-10023"]["duration_s"] in range(250, 262)
    assert by_id["C-10023"]["started_at"].endswith("+00:00")


def test_the_table_fits_a_terminal_and_says_where_it_came_from(calls, floor_profile, sim):
    floor_profile(sim.url)
    ran = calls()
    assert ran.code == 0
    lines = ran.out.splitlines()
    assert lines[0].split() == ["CALL", "AGENT", "NAME", "CUSTOMER", "QUEUE", "STATE", "DURATION"]
    assert lines[1].split() == ["C-10023", "13", "-", "••••1023", "billing", "-", "-"]
    health = next(number for number, line in enumerate(lines) if line.startswith("wait "))
    assert health == len(lines) - 2  # the profile has no alerts: the health line alone under the table
    assert lines[-1].startswith(f"{health - 1} live calls from {sim.url}/queue/list at ")
    assert "+9198" not in ran.out


def test_raw_prints_the_answer_as_received(calls, floor_profile, sim):
    floor_profile(sim.url)
    ran = calls("--raw")
    assert ran.code == 0
    assert ran.out.startswith('{"status":"success","data":[{"callId":"C-10023","masterAgent":13,')
    assert json.loads(ran.out)["data"][0]["cNumber"] == "+919800011023"


@pytest.fixture
def echoing(request: pytest.FixtureRequest) -> Callable[[bytes], RawServer]:
    def start(body: bytes) -> RawServer:
        server = RawServer(answer(200, body, content_type="application/json")).start()
        request.addfinalizer(server.stop)
        return server

    return start


def test_raw_masks_our_secret_when_the_server_echoes_it(calls, floor_profile, echoing):
    secret = "session-echoed-7c6d5e4f3a"
    server = echoing(json.dumps({"data": [], "session": secret, "note": "\x1b[31mred\x1b[0m"}).encode())
    floor_profile(server.url)
    ran = calls("--raw", ssid=secret)
    assert ran.code == 0
    assert secret not in ran.out
    assert "••••4f3a" in ran.out
    assert "\x1b" not in ran.out


def test_raw_shows_an_answer_the_mapping_cannot_read(calls, floor_profile, echoing):
    # The reason --raw exists: the mapping is wrong, and the administrator needs to see the real shape.
    server = echoing(b'{"result": {"live": [{"id": "L-1"}]}}')
    floor_profile(server.url)
    mapped = calls()
    assert mapped.code == 5
    assert "no array of calls at /data" in mapped.err
    assert "--raw" in mapped.err
    raw = calls("--raw")
    assert (raw.code, raw.out) == (0, '{"result": {"live": [{"id": "L-1"}]}}\n')


# --- exit codes ---------------------------------------------------------------------------------------


def test_a_profile_without_a_source_is_a_usage_error(calls, write_config, sim):
    path = write_config(f'[profiles.floor]\nbase_url = "{sim.url}"\n')
    ran = calls("--json")
    assert ran.code == 2
    assert 'profile \'floor\' has no live call source: set source = "deepcall" or "command"' in ran.err
    assert str(path) in ran.err
    assert (ran.out, sim.list_request_count) == ("", 0)


def test_a_bad_pointer_names_the_key_and_the_file(calls, floor_profile, sim):
    path = floor_profile(sim.url, 'items = "data"')
    ran = calls()
    assert ran.code == 2
    assert str(path) in ran.err
    assert "line 5, profiles.floor.live_calls.items" in ran.err
    assert sim.list_request_count == 0


def test_missing_credentials_name_the_flag(calls, floor_profile, sim):
    floor_profile(sim.url)
    ran = calls(ssid=None)
    assert ran.code == 2
    assert "(--ssid)" in ran.err
    assert sim.list_request_count == 0


def test_an_unsafe_base_url_fetches_nothing(calls, floor_profile, sim):
    floor_profile("http://deepcall.invalid/api/v2")
    ran = calls()
    assert ran.code == 2
    assert "Base URL" in ran.err


def test_refused_credentials_exit_3(calls, floor_profile, sim):
    floor_profile(sim.url)
    ran = calls(ssid=WRONG_SSID)
    assert ran.code == 3
    assert "(code 1014). Sign in again." in ran.err
    assert ran.out == ""


def test_another_deepcall_error_exits_4_with_its_code(calls, floor_profile, sim):
    floor_profile(sim.url)
    sim.list_faults.error_message = "queue service restarting"
    ran = calls()
    assert ran.code == 4
    assert "queue service restarting (code 1009)" in ran.err


def test_a_closed_port_exits_5(calls, floor_profile):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    floor_profile(f"http://127.0.0.1:{port}/api/v2")
    ran = calls()
    assert ran.code == 5
    assert "connection refused" in ran.err


def test_a_proxy_page_exits_5(calls, floor_profile, sim):
    floor_profile(sim.url)
    sim.list_faults.html_502 = True
    assert calls().code == 5


def test_a_command_source_needs_no_credentials(calls, write_config, tmp_path):
    feed = tmp_path / "feed.py"
    feed.write_text('import json; print(json.dumps({"calls": [{"callId": "F-1", "masterAgent": 4}]}))')
    write_config(f'[profiles.site.live_calls]\nsource = "command"\ncommand = ["{sys.executable}", "{feed}"]\n')
    ran = calls("--json", ssid=None)
    assert ran.code == 0, ran.err
    result = json.loads(ran.out)
    assert result["source"] == "command"
    assert [(c["call_id"], c["agent"]) for c in result["calls"]] == [("F-1", "4")]


def test_a_failing_command_exits_5(calls, write_config, tmp_path):
    feed = tmp_path / "feed.py"
    feed.write_text("import sys; sys.exit('feed database is down')")
    write_config(f'[profiles.site.live_calls]\nsource = "command"\ncommand = ["{sys.executable}", "{feed}"]\n')
    ran = calls(ssid=None)
    assert ran.code == 5
    assert "exited with status 1: feed database is down" in ran.err


def test_json_and_raw_together_are_a_usage_error(calls):
    assert calls("--json", "--raw").code == 2  # argparse's exit


def test_watch_stops_at_an_authentication_failure(calls, floor_profile, sim):
    floor_profile(sim.url, "refresh_s = 0.5")
    started = time.monotonic()
    ran = calls("--watch", ssid=WRONG_SSID)
    assert ran.code == 3
    assert time.monotonic() - started < 2
    assert sim.list_request_count == 1


# --- the real command in a child process --------------------------------------------------------------


@pytest.fixture
def child() -> Iterator[Callable[..., subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []

    def start(*args: str) -> subprocess.Popen[str]:
        process = start_queuetui(*args)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def read_line(process: subprocess.Popen[str], timeout_s: float = 20.0) -> str:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        assert selector.select(timeout_s), "nothing printed"
    return process.stdout.readline()


def test_demo_json_from_the_installed_command(child):
    process = child("calls", "--demo", "--json")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    result = json.loads(out)
    assert [call["call_id"] for call in result["calls"][: len(DEFAULT_CALLS)]] == [c.call_id for c in DEFAULT_CALLS]
    assert result["calls"][0]["agent_name"] == "Asha"
    assert all(set(call) == CALL_KEYS for call in result["calls"])
    assert DEMO_SSID not in out + err


def test_watch_refreshes_until_ctrl_c_and_exits_0(child):
    process = child("--demo", "calls", "--watch", "--json")
    first = json.loads(read_line(process))
    assert first["source"] == "deepcall"
    assert {"calls", "stats", "agents", "alerts"} <= set(first)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)  # a hang fails; a machine busy with the whole suite may be slow
    assert process.returncode == 0
    assert "Traceback" not in err
    for line in out.splitlines():  # anything printed before the signal landed is whole
        assert set(json.loads(line)) == set(first)


def test_calls_never_imports_textual(sim, floor_profile):
    floor_profile(sim.url)
    assert textual_modules_after(["calls", "--json"], env={"QUEUETUI_SSID": DEMO_SSID}) == []
    assert sim.list_request_count == 1


# --- failures as JSON, backing off, secrets echoed, wide text ------------------------------------------


def test_json_prints_an_error_object_when_the_fetch_fails(calls, floor_profile, sim):
    floor_profile(sim.url)
    ran = calls("--json", ssid=WRONG_SSID)
    assert ran.code == 3
    result = json.loads(ran.out)
    assert result["source"] == "deepcall"
    assert result["error"]["code"] == 1014 and result["error"]["exit"] == 3
    assert "Session expired" in result["error"]["message"]
    assert "Session expired" in ran.err


def test_watch_waits_twice_as_long_after_each_failure_in_a_row_and_again_the_period_after_a_success(
    calls, floor_profile, sim, monkeypatch
):
    floor_profile(sim.url, "refresh_s = 0.5")
    waits: list[float] = []

    def sleep(seconds: float) -> None:  # what the watch waits between fetches, recorded instead of waited
        waits.append(seconds)
        if len(waits) == 3:
            sim.list_faults.html_502 = False
        if len(waits) == 5:
            raise KeyboardInterrupt

    monkeypatch.setattr("queuetui.headless.calls.time.sleep", sleep)
    sim.list_faults.html_502 = True
    ran = calls("--watch", "--json")
    assert ran.code == 0
    assert waits == [1.0, 2.0, 4.0, 0.5, 0.5]
    assert sim.list_request_count == 5


def test_a_secret_the_server_echoes_into_a_mapped_field_is_masked_in_the_table_and_json(calls, floor_profile, echoing):
    secret = "session-echoed-7c6d5e4f3a"
    item = {"callId": f"C-{secret}", "masterAgent": secret, "agentName": secret, "campId": secret}
    server = echoing(json.dumps({"data": [item]}).encode())
    floor_profile(server.url, 'fields = { agent_name = "/agentName" }')
    for args in ((), ("--json",)):
        ran = calls(*args, ssid=secret)
        assert ran.code == 0, ran.err
        assert secret not in ran.out
        assert "\u2022\u2022\u2022\u20224f3a" in ran.out


def test_a_failing_commands_error_line_is_printed_with_our_secret_masked(calls, write_config, tmp_path):
    secret = "session-in-stderr-9a8b7c6d"
    feed = tmp_path / "feed.py"
    feed.write_text(f"import sys; sys.exit('login failed for {secret}')")
    write_config(f'[profiles.site.live_calls]\nsource = "command"\ncommand = ["{sys.executable}", "{feed}"]\n')
    ran = calls(ssid=secret)
    assert ran.code == 5
    assert secret not in ran.err
    assert "login failed for \u2022\u2022\u2022\u20227c6d" in ran.err


def test_wide_characters_keep_the_tables_columns_in_line(calls, write_config, tmp_path):
    feed = tmp_path / "feed.py"
    items = [
        {"callId": "W-1", "masterAgent": 4, "agentName": "\u674e\u660e", "campId": "q1"},
        {"callId": "W-2", "masterAgent": 5, "agentName": "\U0001f600 Bo", "campId": "q2"},
        {"callId": "W-3", "masterAgent": 6, "agentName": "Asha", "campId": "q3"},
    ]
    feed.write_text(f"import json; print(json.dumps({{'calls': {items!r}}}))")
    write_config(
        f'[profiles.site.live_calls]\nsource = "command"\ncommand = ["{sys.executable}", "{feed}"]\n'
        '[profiles.site.live_calls.fields]\nagent_name = "/agentName"\n'
    )
    ran = calls(ssid=None)
    assert ran.code == 0, ran.err
    rows = ran.out.splitlines()[1:4]
    columns = {cells_before(row, row.index(queue)) for row, queue in zip(rows, ("q1", "q2", "q3"), strict=True)}
    assert len(columns) == 1
    assert ran.out.splitlines()[-1].startswith("3 live calls from command")


def cells_before(row: str, index: int) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in row[:index])
