"""The profile's audit settings reach the trail through the session: syslog copies and rotation, and a syslog
outage is told once to the front end while the action and its record in the file go through."""

from __future__ import annotations

import socket
import threading

from helpers import eventually, outcome_records

from queuetui.api.credentials import parse_credentials
from queuetui.api.models import parse_request
from queuetui.core.audit.log import read_audit
from queuetui.core.config.settings import Profile
from queuetui.core.session import Session
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
