"""Fixtures for the hardening suite: scripted raw servers, a self-signed certificate, services on any base URL
and a simulator with thousands of live calls."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import FAST_RETRY
from rawserver import Behaviour, RawServer

from queuetui.api.client import ClientSettings, DeepCallClient
from queuetui.api.credentials import SessionAuth
from queuetui.core.audit import AuditLog
from queuetui.core.service import BargeService, RateGuard
from queuetui.sim import SimServer
from queuetui.sim.scenario import LiveCall
from reliability.audit_child import call_id


@pytest.fixture
def raw_server(request: pytest.FixtureRequest) -> Callable[..., RawServer]:
    """Start scripted servers; every one is stopped after the test."""

    def start(behaviour: Behaviour, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> RawServer:
        server = RawServer(behaviour, host=host, tls=tls).start()
        request.addfinalizer(server.stop)
        return server

    return start


@dataclass(frozen=True)
class SelfSigned:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context


@pytest.fixture(scope="session")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> SelfSigned:
    """A certificate for 127.0.0.1 that no system trust store knows, made with the openssl command."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is not installed: cannot make a self-signed certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:TRUE",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return SelfSigned(cert, key)


@pytest.fixture
def service_at(
    request: pytest.FixtureRequest, session_auth: SessionAuth, audit_path: Path
) -> Callable[..., BargeService]:
    """Services on any base URL (a raw server, a closed port), auditing to `audit_path`; closed after the test.
    Keyword arguments go to ClientSettings (short timeouts, a CA bundle)."""

    def make(base_url: str, rate: RateGuard | None = None, **settings: object) -> BargeService:
        client = DeepCallClient(ClientSettings(base_url=base_url, **settings))  # type: ignore[arg-type]
        service = BargeService(
            client,
            session_auth,
            profile="hardening",
            audit=AuditLog(audit_path),
            retry=FAST_RETRY,
            rate=rate or RateGuard(max_actions=1_000_000, window_s=60.0),
        )
        request.addfinalizer(service.close)
        return service

    return make


@pytest.fixture
def live_calls(sim: SimServer, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """5,000 live calls on the simulator (all on agent 13), so many different calls can each succeed."""
    ids = [call_id(number) for number in range(5_000)]
    monkeypatch.setattr(sim.scenario, "calls", {i: LiveCall(i, "13", "soak", "+91 98xxx 00000") for i in ids})
    return ids
