"""The syslog copy: RFC 5424 datagrams with structured data on a real Unix socket, the file's exact line as the
message, and a syslog that is missing, dead or stuck never blocking an action and reported once."""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import valid_request
from run_cli import run_queuetui

from queuetui.api.client import ClientSettings, DeepCallClient
from queuetui.api.credentials import SessionAuth
from queuetui.core.audit.access import AuditWriteError
from queuetui.core.audit.log import AuditLog
from queuetui.core.audit.syslog import SD_ID, SyslogSink
from queuetui.core.audit.verify import verify
from queuetui.core.config.settings import ConfigError, Profile, load_config
from queuetui.core.service import BargeService, RateGuard
from queuetui.sim import DEMO_SSID, SimServer

# <PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA SP MSG
RFC5424 = re.compile(
    rb"<(?P<pri>\d{1,3})>1 (?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)) "
    rb"(?P<host>[!-~]{1,255}) (?P<app>[!-~]{1,48}) (?P<procid>[!-~]{1,128}) (?P<msgid>[!-~]{1,32}) "
    rb"\[(?P<sd>(?:[^\]\\]|\\.)*)\] \xef\xbb\xbf(?P<msg>.*)",
    re.DOTALL,
)
SD_PARAM = re.compile(r'([^ ="\]]{1,32})="((?:[^"\\\]]|\\.)*)"')
AUTHPRIV = 10


def record(n: int, **more: object) -> dict[str, object]:
    return {"time": "2025-03-01T10:41:02.123+00:00", "call_id": f"C-{n}", "mode": "spy", "outcome": "ok", **more}


@pytest.fixture
def syslog_socket(tmp_path: Path) -> Iterator[socket.socket]:
    """A Unix datagram socket standing in for /dev/log (short path: Unix socket names are limited)."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(tmp_path / "log"))
    server.settimeout(5)
    yield server
    server.close()


def address(server: socket.socket) -> str:
    return str(server.getsockname())


def parse(datagram: bytes) -> tuple[re.Match[bytes], dict[str, str]]:
    frame = RFC5424.fullmatch(datagram)
    assert frame is not None, datagram
    sd = frame.group("sd").decode()
    sd_id, _, params = sd.partition(" ")
    assert sd_id == SD_ID
    values = {name: re.sub(r"\\(.)", r"\1", value) for name, value in SD_PARAM.findall(params)}
    return frame, values


def test_each_record_arrives_as_rfc5424_with_structured_data_and_the_exact_line(
    syslog_socket: socket.socket, audit_path: Path
):
    log = AuditLog(audit_path, syslog=SyslogSink(address(syslog_socket)))
    log.append(record(1, message='say "hi" ] back\\slash', code=None, latency_ms=12.5))
    log.append(record(2, outcome="api_error"))
    first, second = syslog_socket.recv(65536), syslog_socket.recv(65536)
    lines = audit_path.read_bytes().splitlines()

    frame, values = parse(first)
    assert int(frame.group("pri")) == AUTHPRIV * 8 + 6  # authpriv.info
    assert frame.group("time") == b"2025-03-01T10:41:02.123+00:00"
    assert (frame.group("app"), frame.group("msgid")) == (b"queuetui", b"audit")
    assert frame.group("msg") == lines[0]  # a collector can check the chain with it
    written = json.loads(lines[0])
    assert values["message"] == 'say "hi" ] back\\slash'
    assert values["code"] == "null" and values["latency_ms"] == "12.5"
    assert values["prev"] == written["prev"] and values["sha256"] == written["sha256"]
    # The witness: the file took it, and the head `audit verify` prints while it is the newest record.
    assert values["file"] == "written"
    assert values["head"] == hashlib.sha256(lines[0]).hexdigest()
    assert set(values) == set(written) | {"file", "head"}

    frame, values = parse(second)
    assert int(frame.group("pri")) == AUTHPRIV * 8 + 4  # authpriv.warning: the action did not succeed
    assert frame.group("msg") == lines[1]
    assert values["head"] == verify(audit_path).head


def test_a_monitoring_action_reaches_syslog(
    sim: SimServer, session_auth: SessionAuth, audit_path: Path, syslog_socket: socket.socket
):
    service = BargeService(
        DeepCallClient(ClientSettings(base_url=sim.url)),
        session_auth,
        profile="floor",
        audit=AuditLog(audit_path, syslog=SyslogSink(address(syslog_socket))),
        rate=RateGuard(max_actions=100),
    )
    try:
        assert service.send(valid_request()).ok
    finally:
        service.close()
    _, attempt = parse(syslog_socket.recv(65536))
    frame, values = parse(syslog_socket.recv(65536))
    assert (attempt["event"], attempt["call_id"], values["event"], values["attempt"]) == (
        "attempt", "C-10023", "outcome", attempt["attempt"],
    )  # fmt: skip
    assert (values["call_id"], values["mode"], values["outcome"], values["profile"]) == (
        "C-10023",
        "spy",
        "ok",
        "floor",
    )
    assert frame.group("msg") == audit_path.read_bytes().splitlines()[-1]
    assert "ssid" not in json.loads(frame.group("msg")) and DEMO_SSID not in frame.group("msg").decode()


def dead_socket(tmp_path: Path) -> str:
    """A socket file nobody listens on any more (a syslog daemon that died)."""
    path = str(tmp_path / "dead")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(path)
    server.close()
    return path


@pytest.mark.parametrize("kind", ["missing", "dead"])
def test_no_syslog_never_blocks_and_is_reported_once(
    tmp_path: Path, audit_path: Path, kind: str, capfd: pytest.CaptureFixture[str]
):
    path = str(tmp_path / "no-such-socket") if kind == "missing" else dead_socket(tmp_path)
    reported: list[str] = []
    sink = SyslogSink(path, on_problem=reported.append)
    log = AuditLog(audit_path, syslog=sink)
    started = time.monotonic()
    for n in range(20):
        log.append(record(n))
    assert time.monotonic() - started < 2.0  # twenty fsync'd appends; a blocked send would hang here
    assert len(audit_path.read_bytes().splitlines()) == 20  # the file is the record of truth
    assert len(reported) == 1
    assert path in reported[0] and "audit file" in reported[0]
    assert sink.problem == reported[0]
    assert capfd.readouterr().err == ""  # no traceback on the user's terminal


def test_a_stuck_syslog_costs_a_moment_not_an_action(syslog_socket: socket.socket, audit_path: Path):
    # The daemon is alive but reads nothing: its queue fills, and a blocking send would wait for ever.
    reported: list[str] = []
    log = AuditLog(audit_path, syslog=SyslogSink(address(syslog_socket), on_problem=reported.append))
    padding = "x" * 4000
    writer = threading.Thread(target=lambda: [log.append(record(n, padding=padding)) for n in range(300)], daemon=True)
    writer.start()
    writer.join(timeout=10)  # each send waits a moment at most, then not at all once reported
    assert not writer.is_alive(), "an append is stuck behind syslog"
    assert len(audit_path.read_bytes().splitlines()) == 300
    assert len(reported) == 1
    assert "queue is full" in reported[0]


def test_an_outage_that_ends_is_reported_again_only_when_it_returns(tmp_path: Path, audit_path: Path):
    path = str(tmp_path / "log")
    reported: list[str] = []
    sink = SyslogSink(path, on_problem=reported.append)
    log = AuditLog(audit_path, syslog=sink)
    log.append(record(1))
    log.append(record(2))
    assert len(reported) == 1
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(path)  # the daemon starts
    try:
        log.append(record(3))
        assert sink.problem == ""
        _, values = parse(server.recv(65536))
        assert values["call_id"] == "C-3"
    finally:
        server.close()
    log.append(record(4))
    assert len(reported) == 2


def test_the_profile_says_whether_and_where_records_go_to_syslog(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text('[profiles.floor]\nsyslog = true\nsyslog_socket = "/run/log.sock"\naudit_max_bytes = 5000\n')
    floor = load_config(config).settings.profiles["floor"]
    assert (floor.syslog, floor.syslog_socket, floor.audit_max_bytes) == (True, "/run/log.sock", 5000)
    defaults = Profile()
    assert (defaults.syslog, defaults.syslog_socket, defaults.audit_max_bytes) == (False, "/dev/log", 10_000_000)
    for wrong in ("audit_max_bytes = -1", 'syslog_socket = ""', 'syslog = "maybe"'):
        config.write_text(f"[profiles.floor]\n{wrong}\n")
        with pytest.raises(ConfigError, match="line 2"):
            load_config(config)


def test_verify_against_a_syslog_capture_names_a_record_cut_from_the_end(
    syslog_socket: socket.socket, audit_path: Path, tmp_path: Path
):
    log = AuditLog(audit_path, syslog=SyslogSink(address(syslog_socket)))
    for n in range(4):
        log.append(record(n, event="outcome"))
    export = tmp_path / "collector.log"
    export.write_bytes(b"".join(syslog_socket.recv(65536) + b"\n" for _ in range(4)))
    audit = ["audit", "verify", "--audit-file", str(audit_path), "--against", str(export)]
    whole = run_queuetui(*audit, in_process=True)
    assert whole.returncode == 0, whole.stdout
    assert "witness: all 4 syslog copies are in the trail" in whole.stdout

    lines = audit_path.read_bytes().splitlines(keepends=True)
    audit_path.write_bytes(b"".join(lines[:-1]))  # the newest record cut from the end: the chain cannot tell
    assert verify(audit_path).ok
    cut = run_queuetui(*audit, in_process=True)
    assert cut.returncode == 1
    assert "NOT in the trail: line 4 of the export: outcome on C-3 at 2025-03-01T10:41:02.123+00:00" in cut.stdout
    found = json.loads(run_queuetui(*audit, "--json", in_process=True).stdout)
    assert (found["intact"], [m["call_id"] for m in found["witness"]["missing"]]) == (False, ["C-3"])

    log.syslog = None  # a record appended with no copy: written while syslog was off, or forged
    log.append(record(9, event="outcome"))
    forged = run_queuetui(*audit, in_process=True)
    assert (
        "1 trail lines have no syslog copy (syslog off, copies lost, or forged), the first audit.jsonl line 4"
        in forged.stdout
    )


def test_a_record_the_file_refused_still_reaches_syslog_saying_so(syslog_socket: socket.socket, tmp_path: Path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    log = AuditLog(blocker / "audit.jsonl", syslog=SyslogSink(address(syslog_socket)))
    with pytest.raises(AuditWriteError):
        log.append(record(1, event="attempt"))
    frame, values = parse(syslog_socket.recv(65536))
    assert values["file"].startswith(f"not written: {blocker / 'audit.jsonl'}: ")
    assert "head" not in values
    assert json.loads(frame.group("msg"))["call_id"] == "C-1"
    assert int(frame.group("pri")) == AUTHPRIV * 8 + 4  # a warning
