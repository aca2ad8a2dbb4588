"""Fixtures for the hardening suite: scripted raw servers, a self-signed certificate, services on any base URL
and a simulator with thousands of live calls."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import FAST_RETRY
from rawserver import Behaviour, RawServer

from queuetui.api.client import ClientSettings, DeepCallClient
from queuetui.api.credentials import SessionAuth
from queuetui.core.audit.log import AuditLog
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
