"""The profile's audit settings reach the trail through the session: syslog copies and rotation, and a syslog
outage is told once to the front end while the action and its record in the file go through."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
from helpers import FAST_RETRY, eventually, outcome_records

from queuetui.api.credentials import parse_credentials
from queuetui.api.models import parse_request
from queuetui.core.audit.log import read_audit
from queuetui.core.config.settings import Profile
from queuetui.core.session import Seams, Session
from queuetui.sim import DEMO_SSID

SPY = {"callId": "C-10023", "snoopType": "spy", "targetEntityType": "agent", "targetEntityVal": "13",
       "snooperNumber": "9876543210"}  # fmt: skip


def open_session(sim, audit_path, **profile):
    return Session.open("floor", Profile(base_url=sim.url, **profile), parse_credentials(ssid=DEMO_SSID), audit_path)


def test_a_profile_with_syslog_sends_each_record_to_the_socket(sim, audit_path, tmp_path):
    path = tmp_path / "log.sock"
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(str(path))
    receiver.settimeout(5)
    session = open_session(sim, audit_path, syslog=True, syslog_socket=str(path))
    try:
        assert session.act(parse_request(SPY)).ok
        datagram = receiver.recv(65536).decode()
    finally:
        session.close()
        receiver.close()
    assert datagram.startswith("<")  # an RFC 5424 priority
    assert '"call_id":"C-10023"' in datagram
    assert session.take_problems() == []
    assert len(read_audit(audit_path).records) == 2  # the attempt, then its outcome


def test_a_dead_syslog_socket_is_told_once_and_the_file_keeps_every_record(sim, audit_path, tmp_path):
    session = open_session(sim, audit_path, syslog=True, syslog_socket=str(tmp_path / "nobody-listens.sock"))
    try:
        assert session.act(parse_request(SPY)).ok
        first = session.take_problems()
        assert session.act(parse_request(SPY)).ok
        again = session.take_problems()
    finally:
        session.close()
    assert len(first) == 1 and "syslog" in first[0] and "still go to the audit file" in first[0]
    assert again == []
    assert len(outcome_records(audit_path)) == 2


def test_the_profile_rotation_size_reaches_the_trail(sim, audit_path):
    session = open_session(sim, audit_path, audit_max_bytes=1)
    try:
        for _ in range(3):
            assert session.act(parse_request(SPY)).ok
    finally:
        session.close()
    # Every record passes 1 byte, so each after the first rotates: three actions, two records each.
    assert len(list(audit_path.parent.glob("audit.*.jsonl"))) == 5


def test_closing_while_a_request_is_on_its_way_lets_it_finish_and_records_its_answer(sim, audit_path, tmp_path):
    # Quitting while a request is slow: the console closes the session at once, and the process finishes the
    # request after. Closing the connections under it cut the answer off, and the trail said protocol_error for
    # an action the server had received.
    path = tmp_path / "log.sock"
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(str(path))
    receiver.settimeout(5)
    sim.faults.latency_s = 1.0
    session = open_session(sim, audit_path, syslog=True, syslog_socket=str(path))
    outcomes = []
    worker = threading.Thread(target=lambda: outcomes.append(session.act(parse_request(SPY))))
    worker.start()
    assert eventually(lambda: sim.request_count > 0)
    session.close()
    worker.join(timeout=10)
    try:
        receiver.recv(65536)  # the attempt's copy
        datagram = receiver.recv(65536).decode()  # the outcome's too: syslog is closed only after the record
    finally:
        receiver.close()
    [outcome] = outcomes
    assert outcome.ok, outcome.message
    [record] = outcome_records(audit_path)
    assert record["outcome"] == "ok"
    assert '"outcome":"ok"' in datagram
    assert session.service.client.closed  # and let go of once the answer was in


def busy_session(audit_path: Path, answer: Callable[[httpx.Request], httpx.Response]) -> Session:
    """A session whose server answers through `answer`, retrying a 1501 at once."""
    seams = Seams(transport=httpx.MockTransport(answer), retry=FAST_RETRY)
    profile = Profile(base_url="https://deepcall.test/api/v2")
    return Session.open("floor", profile, parse_credentials(ssid=DEMO_SSID), audit_path, seams=seams)


def test_an_interrupt_during_a_retry_records_the_requests_sent_and_their_answers(audit_path):
    # A signal while a 1501's retry was on its way: the record said no request had been sent, when the server
    # had answered one and received the next.
    requests: list[httpx.Request] = []
    release = threading.Event()

    def busy_then_slow(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if len(requests) > 1:
            release.wait()  # the retry: no answer until the test has interrupted (set in its finally)
        return httpx.Response(200, json={"status": "error", "message": "Data already in processing", "code": 1501})

    session = busy_session(audit_path, busy_then_slow)
    worker = threading.Thread(target=lambda: session.act(parse_request(SPY)))
    worker.start()
    try:
        assert eventually(lambda: len(requests) == 2)
        assert session.interrupt("SIGHUP") == 1
    finally:
        release.set()
        worker.join(timeout=10)
        session.close()
    [record] = outcome_records(audit_path)
    assert (record["outcome"], record["attempts"], record["retries"], record["code"]) == ("interrupted", 2, 1, 1501)
    assert record["server_text"] == "Data already in processing (code 1501)"
    assert record["message"] == (
        "Interrupted (SIGHUP) before DeepCall answered request 2: the spy on call C-10023 may have been sent; check "
        "your phone. Request 1 was answered: Data already in processing (code 1501)"
    )


def test_an_interrupt_while_a_retry_waits_records_the_answer_and_that_nothing_was_on_its_way(audit_path):
    def busy(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"status": "error", "message": "Data already in processing", "code": 1501})

    session = busy_session(audit_path, busy)
    try:
        session.act(parse_request(SPY), on_retry=lambda notice: session.interrupt("SIGTERM"))
    finally:
        session.close()
    [record] = outcome_records(audit_path)
    assert (record["outcome"], record["attempts"], record["retries"], record["code"]) == ("interrupted", 1, 0, 1501)
    assert record["message"] == (
        "Interrupted (SIGTERM) before retrying the spy on call C-10023: request 1 was answered: "
        "Data already in processing (code 1501)"
    )
