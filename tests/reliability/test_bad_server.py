"""A misbehaving server, made with raw sockets on loopback: every fault ends as one typed failure whose message
names the host and the cause, the same through the client, the service and the CLI (exit 5), never a
traceback and never a hang."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from helpers import eventually, valid_request
from rawserver import SUCCESS_BODY, Flood, RawServer, answer, drip, record_only, reset_mid_body, silent
from run_cli import barge_args, run_queuetui

from queuetui.api.client import MAX_BODY_BYTES, ClientSettings, DeepCallClient
from queuetui.api.credentials import parse_credentials
from queuetui.api.errors import (
    CallFailed,
    ConnectFailed,
    DeepCallError,
    ProtocolError,
    RequestTimeout,
    TlsFailed,
)
from queuetui.core.audit.log import read_audit
from queuetui.core.service import OutcomeKind
from queuetui.sim import DEMO_SSID

READ_TIMEOUT = 0.3
TOTAL_TIMEOUT = 0.6
TEN_MB = 10 * 1024 * 1024
REQUEST = valid_request()


@pytest.fixture
def cli_profile(write_config) -> Callable[[str], list[str]]:
    """A profile with the same short timeouts as the client tests; returns the barge command for a URL. A profile
    cannot shorten the total timeout (30 s), so a fault only it ends is checked through the CLI apart, as slow."""

    def args_for(base_url: str, ca_bundle: str = "", read_timeout: float = READ_TIMEOUT) -> list[str]:
        write_config(
            f'[profiles.main]\nbase_url = "{base_url}"\nread_timeout = {read_timeout}\nconnect_timeout = 2\n'
            f'ca_bundle = "{ca_bundle}"\n'
        )
        return barge_args(None, "--ssid", DEMO_SSID)

    return args_for


@dataclass(frozen=True)
class Fault:
    behaviour: Callable[[], Callable]
    error: type[CallFailed]
    kind: OutcomeKind
    words: tuple[str, ...]
    exit_code: int = 5
    total_timeout_only: bool = False  # only the total timeout ends it: 30 s through the CLI

    @property
    def names_host(self) -> bool:
        # A DeepCall error is the server's own word; every other failure says which host failed.
        return self.kind is not OutcomeKind.API_ERROR


FAULTS = {
    "slow-headers": Fault(lambda: silent(5.0), RequestTimeout, OutcomeKind.NETWORK_ERROR, ("timed out",)),
    "dripping-body": Fault(
        lambda: drip(1000, 0.05),
        RequestTimeout,
        OutcomeKind.NETWORK_ERROR,
        ("took longer than 0.6 s",),
        total_timeout_only=True,
    ),
    "reset-mid-body": Fault(
        lambda: reset_mid_body(1000, 100), ProtocolError, OutcomeKind.PROTOCOL_ERROR, ("connection dropped",)
    ),
    "invalid-utf8": Fault(
        lambda: answer(200, b"\xff\xfe\xfd sucessfully \xc3\x28"),
        ProtocolError,
        OutcomeKind.PROTOCOL_ERROR,
        ("not UTF-8",),
    ),
    "json-with-wrong-types": Fault(
        lambda: answer(200, b'{"status":"error","code":[1],"message":{"a":1}}', content_type="application/json"),
        DeepCallError,
        OutcomeKind.API_ERROR,
        ("DeepCall error",),
        exit_code=4,
    ),
    "cut-off-error-object": Fault(
        lambda: answer(200, b'{"status":"error","code":10', content_type="application/json"),
        ProtocolError,
        OutcomeKind.PROTOCOL_ERROR,
        ("malformed JSON",),
    ),
}


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_fault_through_client_service_and_cli(raw_server, service_at, audit_path, cli_profile, fault):
    server = raw_server(fault.behaviour())
    settings = {"read_timeout": READ_TIMEOUT, "total_timeout": TOTAL_TIMEOUT}
    host = f"127.0.0.1:{server.port}"

    started = time.monotonic()
    with (
        DeepCallClient(ClientSettings(base_url=server.url, **settings)) as client,
        pytest.raises(fault.error) as caught,
    ):
        client.barging_call(REQUEST, parse_credentials(ssid=DEMO_SSID))
    assert time.monotonic() - started < 3.0
    words = (host, *fault.words) if fault.names_host else fault.words
    for word in words:
        assert word in caught.value.message

    outcome = service_at(server.url, **settings).send(REQUEST)
    assert outcome.kind is fault.kind
    assert outcome.attempts == 1  # none of these is retried
    for word in words:
        assert word in outcome.message
    assert read_audit(audit_path).records[-1]["outcome"] == fault.kind.value

    if fault.total_timeout_only:
        return  # through the CLI: test_a_dripping_body_ends_the_cli_at_its_total_timeout
    result = run_queuetui(*cli_profile(server.url), in_process=True)
    assert result.returncode == fault.exit_code
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr


@pytest.mark.slow
def test_a_dripping_body_ends_the_cli_at_its_total_timeout(raw_server, cli_profile):
    server = raw_server(drip(1000, 0.05))  # 50 s of body, a byte at a time: no single read ever times out
    started = time.monotonic()
    # A read timeout 40 times the gap between bytes: a busy machine stalling the server's thread for 0.3 s
    # would otherwise end the call at a read instead of at the total timeout.
    result = run_queuetui(*cli_profile(server.url, read_timeout=2.0), in_process=True)
    assert 29 < time.monotonic() - started < 40
    assert result.returncode == 5
    assert "Traceback" not in result.stderr
    assert f"127.0.0.1:{server.port}" in result.stderr
    assert "took longer than 30 s" in result.stderr


def test_json_with_wrong_types_gives_no_code(raw_server, service_at):
    server = raw_server(answer(200, b'{"status":"error","code":[1],"message":{"a":1}}'))
    outcome = service_at(server.url).send(REQUEST)
    assert outcome.kind is OutcomeKind.API_ERROR
    assert outcome.code is None
    assert outcome.message.startswith("DeepCall error")


@pytest.mark.parametrize("declare_length", [True, False], ids=["declared", "undeclared"])
def test_ten_megabyte_body_is_cut_short(raw_server, service_at, cli_profile, declare_length):
    flood = Flood(TEN_MB, declare_length)
    server = raw_server(flood)
    started = time.monotonic()
    outcome = service_at(server.url, read_timeout=2.0).send(REQUEST)
    elapsed = time.monotonic() - started
    assert outcome.kind is OutcomeKind.PROTOCOL_ERROR
    assert "refused" in outcome.message
    assert f"127.0.0.1:{server.port}" in outcome.message
    assert elapsed < 2.0
    # The client hung up early: the server could not hand all 10 MB to the kernel.
    assert eventually(lambda: bool(server.errors), timeout=5)
    assert not flood.finished
    assert flood.sent < TEN_MB
    if declare_length:
        assert flood.sent < MAX_BODY_BYTES  # refused from the header, before reading the body

    result = run_queuetui(*cli_profile(server.url), in_process=True)
    assert result.returncode == 5
    assert "refused" in result.stderr


@pytest.fixture
def second_host(raw_server) -> RawServer:
    """A server on another loopback address that must never be reached. Where 127.0.0.2 cannot be bound
    (macOS has only 127.0.0.1 by default) a second port on 127.0.0.1 stands in: still another origin."""
    try:
        return raw_server(record_only, host="127.0.0.2")
    except OSError:
        return raw_server(record_only)


def test_redirect_to_another_host_is_not_followed(raw_server, service_at, cli_profile, second_host):
    target = f"{second_host.url}/queue/bargingCall"
    server = raw_server(answer(307, b"", headers={"Location": target}))

    outcome = service_at(server.url).send(REQUEST)
    assert outcome.kind is OutcomeKind.PROTOCOL_ERROR
    assert "redirect (HTTP 307); not followed" in outcome.message
    result = run_queuetui(*cli_profile(server.url), in_process=True)
    assert result.returncode == 5
    assert "redirect" in result.stderr

    assert server.connections == 2
    assert DEMO_SSID.encode() in bytes(server.received)  # the original host did get the credentials...
    assert second_host.connections == 0  # ...the redirect target got nothing, not even a connection
    assert bytes(second_host.received) == b""
    # Control: the second server is listening, so "nothing received" is not an accident of setup.
    with socket.create_connection((second_host.host, second_host.port), timeout=2) as probe:
        probe.sendall(b"probe")
    assert eventually(lambda: bytes(second_host.received) == b"probe", timeout=2)


def test_self_signed_certificate_is_refused_then_trusted_with_ca_bundle(
    raw_server, service_at, cli_profile, self_signed
):
    server = raw_server(answer(200, SUCCESS_BODY), tls=self_signed.server_context())
    assert server.url.startswith("https://127.0.0.1:")
    host = f"127.0.0.1:{server.port}"

    with DeepCallClient(ClientSettings(base_url=server.url)) as client, pytest.raises(TlsFailed) as caught:
        client.barging_call(REQUEST, parse_credentials(ssid=DEMO_SSID))
    assert caught.value.host == host
    assert "TLS certificate not trusted" in caught.value.message

    outcome = service_at(server.url).send(REQUEST)
    assert outcome.kind is OutcomeKind.NETWORK_ERROR
    assert host in outcome.message
    assert "TLS certificate not trusted" in outcome.message
    result = run_queuetui(*cli_profile(server.url), in_process=True)
    assert result.returncode == 5
    assert host in result.stderr
    assert "TLS" in result.stderr
    assert DEMO_SSID.encode() not in bytes(server.received)  # refused before a byte of the body went out

    trusted = service_at(server.url, ca_bundle=str(self_signed.cert)).send(REQUEST)
    assert trusted.ok, trusted.message
    assert trusted.server_text == SUCCESS_BODY.decode()
    result = run_queuetui(*cli_profile(server.url, ca_bundle=str(self_signed.cert)), in_process=True)
    assert result.returncode == 0, result.stderr
    assert "sucessfully BARGINGCall" in result.stdout


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("url_for", "host_for", "cause"),
    [
        pytest.param(
            lambda port: f"http://127.0.0.1:{port}/api/v2",
            lambda port: f"127.0.0.1:{port}",
            "connection refused",
            id="refused",
        ),
        pytest.param(
            lambda port: "https://nonexistent.invalid/api/v2",
            lambda port: "nonexistent.invalid",
            "host name could not be resolved (DNS)",
            id="dns",
        ),
    ],
)
def test_unreachable_host(service_at, cli_profile, closed_port, url_for, host_for, cause):
    url, host = url_for(closed_port), host_for(closed_port)
    with (
        DeepCallClient(ClientSettings(base_url=url, connect_timeout=2)) as client,
        pytest.raises(ConnectFailed) as caught,
    ):
        client.barging_call(REQUEST, parse_credentials(ssid=DEMO_SSID))
    assert caught.value.host == host
    assert cause in caught.value.message

    outcome = service_at(url, connect_timeout=2).send(REQUEST)
    assert outcome.kind is OutcomeKind.NETWORK_ERROR
    assert outcome.attempts == 1
    assert host in outcome.message
    assert cause in outcome.message

    result = run_queuetui(*cli_profile(url), in_process=True)
    assert result.returncode == 5
    assert "Traceback" not in result.stderr
    assert f"error: {host}: {cause}" in result.stderr
