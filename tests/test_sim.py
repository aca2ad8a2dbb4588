"""The simulator on its own, spoken to with plain httpx: its judging, its fault switches, its control
endpoints and its command."""

from __future__ import annotations

import selectors
import statistics
import subprocess
import time
from collections.abc import Iterator
from dataclasses import asdict

import httpx
import pytest
from helpers import VALID_FIELDS, eventually, threads_of
from run_cli import run_queuetui, start_queuetui

from queuetui.sim import DEMO_SSID, DEMO_TOKEN, DEMO_USER_ID, Faults, SimServer
from queuetui.sim.scenario import RESTRICTED_SSID, SUCCESS_TEXT

GOOD = {"ssid": DEMO_SSID, **VALID_FIELDS}


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False, timeout=5.0) as client:
        yield client


def post(http: httpx.Client, sim: SimServer, body: object) -> httpx.Response:
    return http.post(f"{sim.url}/queue/bargingCall", json=body)


def code_of(response: httpx.Response) -> int | None:
    if response.content == SUCCESS_TEXT.encode():
        return None
    answer = response.json()
    assert answer["status"] == "error"
    assert isinstance(answer["message"], str)
    return int(answer["code"])


# --- judging ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({}, None),
        ({"snoopType": "whisper"}, None),
        ({"snoopType": "barge", "callId": "C-10031", "targetEntityVal": "21"}, None),
        ({"ssid": None, "userId": DEMO_USER_ID, "token": DEMO_TOKEN}, None),
        ({"ssid": None, "userId": DEMO_USER_ID, "token": "wrong"}, 1014),
        ({"ssid": None, "userId": "", "token": DEMO_TOKEN}, 1002),
        ({"ssid": None, "userId": DEMO_USER_ID, "token": ""}, 1020),
        ({"userId": DEMO_USER_ID, "token": DEMO_TOKEN}, 1000),
        ({"ssid": None}, 1000),
        ({"ssid": "not-a-session"}, 1014),
        ({"ssid": RESTRICTED_SSID}, 1015),
        ({"callId": None}, 1000),
        ({"snooperNumber": "  "}, 1000),
        ({"snoopType": "listen"}, 1502),
        ({"targetEntityType": "queue"}, 1502),
        ({"targetEntityVal": "99"}, 1502),
        ({"snooperNumber": "98765abc"}, 1005),
        ({"callId": "C-99999"}, 1012),
    ],
)
def test_judging(sim, http, changes, code):
    body = {k: v for k, v in {**GOOD, **changes}.items() if v is not None}
    response = post(http, sim, body)
    assert response.status_code == 200
    assert code_of(response) == code


def test_call_in_processing_answers_1501_then_accepts(sim, http):
    body = {**GOOD, "callId": "C-10050", "targetEntityVal": "9"}
    assert [code_of(post(http, sim, body)) for _ in range(3)] == [1501, 1501, None]


def test_reset_restarts_processing_and_clears_the_log(sim, http):
    body = {**GOOD, "callId": "C-10050", "targetEntityVal": "9"}
    post(http, sim, body)
    sim.faults.fail_next = 4
    sim.reset()
    assert sim.request_count == 0
    assert sim.faults.fail_next == 0
    assert code_of(post(http, sim, body)) == 1501


def test_unknown_paths_are_404(sim, http):
    base = sim.url.removesuffix("/api/v2")
    assert http.post(f"{base}/api/v2/queue/count", json=GOOD).status_code == 404
    assert http.get(f"{base}/api/v2/queue/bargingCall").status_code == 404
    assert sim.request_count == 0


def test_oversized_request_is_refused(sim, http):
    response = http.post(f"{sim.url}/queue/bargingCall", content=b"{" + b" " * 70_000 + b"}")
    assert response.status_code == 413


def test_kept_alive_requests_are_not_held_back(sim, http):
    # Nagle's algorithm with delayed ACKs would add ~40 ms to every request on a kept-alive connection.
    post(http, sim, GOOD)
    timings = []
    for _ in range(15):
        started = time.perf_counter()
        post(http, sim, GOOD)
        timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.025


# --- fault switches -----------------------------------------------------------------------------------


def test_latency(sim, http):
    sim.faults.latency_s = 0.3
    started = time.monotonic()
    assert code_of(post(http, sim, GOOD)) is None
    assert time.monotonic() - started >= 0.3


def test_error_status(sim, http):
    sim.faults.error_status = 503
    failed = post(http, sim, {**GOOD, "callId": "C-99999"})
    assert failed.status_code == 503
    assert code_of(failed) == 1012
    assert post(http, sim, GOOD).status_code == 200  # success stays a 200


def test_html_502(sim, http):
    sim.faults.html_502 = True
    response = post(http, sim, GOOD)
    assert response.status_code == 502
    assert response.headers["content-type"] == "text/html"
    assert b"502 Bad Gateway" in response.content


def test_drop(sim, http):
    sim.faults.drop = True
    with pytest.raises(httpx.RemoteProtocolError):
        post(http, sim, GOOD)
    assert sim.request_count == 1


def test_oversize(sim, http):
    sim.faults.oversize_bytes = 2 * 1024 * 1024
    response = post(http, sim, GOOD)
    assert response.status_code == 200
    assert len(response.content) == 2 * 1024 * 1024


def test_error_message_is_sent_as_given(sim, http):
    sim.faults.error_message = "\x1b[31mDatabase\x1b[0m on fire"
    answer = post(http, sim, GOOD).json()
    assert (answer["code"], answer["message"]) == (1009, "\x1b[31mDatabase\x1b[0m on fire")


def test_fail_next(sim, http):
    sim.faults.fail_next = 2
    assert [code_of(post(http, sim, GOOD)) for _ in range(3)] == [1501, 1501, None]
    assert sim.faults.fail_next == 0


# --- control endpoints --------------------------------------------------------------------------------


def control(sim: SimServer, path: str) -> str:
    return sim.url.removesuffix("/api/v2") + path


def test_get_faults_shows_every_switch_off(sim, http):
    shown = http.get(control(sim, "/_sim/faults")).json()
    assert shown == asdict(Faults())
    documented = {"latency_s", "error_status", "html_502", "drop", "oversize_bytes", "fail_next"}
    assert documented <= set(shown)
    assert not any(shown.values())


def test_post_faults_changes_the_switches(sim, http):
    response = http.post(control(sim, "/_sim/faults"), json={"fail_next": 1, "error_status": "500"})
    assert response.status_code == 200
    assert response.json()["fail_next"] == 1
    assert sim.faults.error_status == 500  # converted to the switch's type
    failed = post(http, sim, GOOD)
    assert (failed.status_code, code_of(failed)) == (500, 1501)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b'{"explode": true}', b"unknown fault 'explode'"),
        (b"[1]", b"JSON object"),
        (b"{not json", b""),
        (b'{"latency_s": "slow"}', b""),
    ],
)
def test_bad_fault_changes_are_400(sim, http, body, fragment):
    response = http.post(control(sim, "/_sim/faults"), content=body)
    assert response.status_code == 400
    assert fragment in response.content
    assert http.get(control(sim, "/_sim/faults")).json()["latency_s"] == 0.0


@pytest.mark.parametrize(("sent", "expected"), [("false", False), ("true", True), ("0", False), (True, True)])
def test_switches_read_true_and_false_as_words(sim, http, sent, expected):
    sim.faults.html_502 = not expected
    response = http.post(control(sim, "/_sim/faults"), json={"html_502": sent})
    assert response.status_code == 200
    assert sim.faults.html_502 is expected


def test_a_bad_value_changes_no_switch(sim, http):
    response = http.post(control(sim, "/_sim/faults"), json={"fail_next": 2, "drop": "maybe"})
    assert response.status_code == 400
    assert (sim.faults.fail_next, sim.faults.drop) == (0, False)


def test_stats_count_requests(sim, http):
    assert http.get(control(sim, "/_sim/stats")).json() == {"requests": 0}
    post(http, sim, GOOD)
    post(http, sim, {**GOOD, "callId": "C-99999"})
    http.get(control(sim, "/_sim/faults"))  # control calls are not counted
    assert http.get(control(sim, "/_sim/stats")).json() == {"requests": 2}


# --- the `queuetui sim` command -----------------------------------------------------------------------


def read_banner(process: subprocess.Popen[str], lines: int = 1, timeout_s: float = 10.0) -> list[str]:
    """The first lines the simulator prints; fails instead of hanging when it prints nothing."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        assert selector.select(timeout_s), "the simulator printed nothing"
    # The banner is printed in one go before serving, so the rest follows the first line at once.
    return [process.stdout.readline() for _ in range(lines)]


def url_of(banner_line: str) -> str:
    assert banner_line.startswith("DeepCall simulator at http://127.0.0.1:")
    return banner_line.split(" at ", 1)[1].strip()


@pytest.fixture
def sim_command() -> Iterator[subprocess.Popen[str]]:
    process = start_queuetui("sim", "--port", "0", "--fail-next", "1")
    yield process
    process.terminate()
    process.wait(timeout=10)


def test_sim_command_serves_until_stopped(sim_command, http):
    url = url_of(read_banner(sim_command)[0])
    assert url.endswith("/api/v2")
    failed = http.post(f"{url}/queue/bargingCall", json=GOOD)  # --fail-next 1
    assert code_of(failed) == 1501
    ok = http.post(f"{url}/queue/bargingCall", json=GOOD)
    assert ok.content == SUCCESS_TEXT.encode()
    assert http.get(url.removesuffix("/api/v2") + "/_sim/stats").json() == {"requests": 2}


def test_sim_command_is_quiet_when_a_client_gives_up(sim_command):
    url = url_of(read_banner(sim_command)[0])
    base = url.removesuffix("/api/v2")
    idle_threads = threads_of(sim_command.pid)
    with httpx.Client(trust_env=False) as client:
        client.post(f"{base}/_sim/faults", json={"fail_next": 0, "latency_s": 0.3})
        with pytest.raises(httpx.ReadTimeout):
            client.post(f"{url}/queue/bargingCall", json=GOOD, timeout=0.05)
    assert eventually(lambda: httpx.get(f"{base}/_sim/stats", trust_env=False).json()["requests"] == 1)
    # Each connection has a thread of its own until it is done with: the simulator has answered into the closed
    # connection once its threads are back to those of an idle server.
    assert eventually(lambda: threads_of(sim_command.pid) == idle_threads)
    sim_command.terminate()
    _, stderr = sim_command.communicate(timeout=10)
    assert "Traceback" not in stderr


def test_sim_command_refuses_a_public_address():
    done = run_queuetui("sim", "--host", "0.0.0.0", "--port", "0")
    assert done.returncode == 2
    assert "loopback" in done.stderr


def test_sim_command_prints_the_demo_credentials(sim_command):
    text = "".join(read_banner(sim_command, lines=5))
    assert f"ssid={DEMO_SSID}" in text
    assert f"userId={DEMO_USER_ID} token={DEMO_TOKEN}" in text
    assert "C-10023 (agent 13)" in text
