"""Fixtures shared by the whole suite: an isolated home for every test, and a running simulator."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from queuetui.api.client import ClientSettings, DeepCallClient
from queuetui.api.models import SessionAuth, TokenAuth, parse_credentials
from queuetui.audit import AuditLog
from queuetui.service import BargeService, RateGuard, RetryPolicy
from queuetui.sim import DEMO_SSID, DEMO_TOKEN, DEMO_USER_ID, SimServer

# Fast retries for tests: the policy's shape is what is tested, not its wall-clock length.
FAST_RETRY = RetryPolicy(max_attempts=3, base_delay_s=0.01, max_delay_s=0.05, budget_s=1.0)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user's config, state or credentials."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    for name in ("QUEUETUI_SSID", "QUEUETUI_USER_ID", "QUEUETUI_TOKEN", "QUEUETUI_PROFILE", "QUEUETUI_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(scope="session")
def _shared_sim() -> Iterator[SimServer]:
    with SimServer() as server:
        yield server


@pytest.fixture
def sim(_shared_sim: SimServer) -> SimServer:
    """The simulator, with its request log, faults and call states reset for this test."""
    _shared_sim.reset()
    return _shared_sim


@pytest.fixture
def session_auth() -> SessionAuth | TokenAuth:
    return parse_credentials(ssid=DEMO_SSID)


@pytest.fixture
def token_auth() -> SessionAuth | TokenAuth:
    return parse_credentials(user_id=DEMO_USER_ID, token=DEMO_TOKEN)


@pytest.fixture
def audit_path(tmp_path: Path) -> Path:
    return tmp_path / "audit.jsonl"


@pytest.fixture
def service(sim: SimServer, session_auth: SessionAuth, audit_path: Path) -> Iterator[BargeService]:
    """A service on the simulator with fast retries, an audit file and a generous rate guard."""
    client = DeepCallClient(ClientSettings(base_url=sim.url, read_timeout=5.0))
    svc = BargeService(
        client,
        session_auth,
        profile="test",
        audit=AuditLog(audit_path),
        retry=FAST_RETRY,
        rate=RateGuard(max_actions=10_000, window_s=60.0),
        rng=random.Random(7),
    )
    yield svc
    svc.close()
