"""Fixtures shared by the whole suite: an isolated home for every test, a guard that keeps every test on
loopback, a running simulator, credentials, and a service and a session on the simulator. Plain helpers (valid
requests, fast retries, the toast recorder...) are in helpers.py, imported as `from helpers import ...`."""

from __future__ import annotations

import gc
import ipaddress
import random
import shutil
import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import FAST_RETRY
from hypothesis import HealthCheck, settings
from pgserver import PgServer

from queuetui.api.client import ClientSettings, DeepCallClient, system_trust
from queuetui.api.credentials import SessionAuth, TokenAuth, parse_credentials
from queuetui.core.audit.log import AuditLog
from queuetui.core.config.settings import Profile
from queuetui.core.service import BargeService, RateGuard
from queuetui.core.session import Seams, Session
from queuetui.sim import DEMO_SSID, DEMO_TOKEN, DEMO_USER_ID, SimServer

# The suite runs with several workers a core: how fast a machine that busy draws inputs, or runs one, says
# nothing about the code under test.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")


def pytest_collection_finish(session: pytest.Session) -> None:
    """A UI test makes tens of thousands of objects that outlive the young generations, so a full collection
    comes about once per UI test, and each scanned everything the worker holds, modules and test code included: 6 to
    13 s of each fast-suite worker's time. What exists once the tests are collected lives until the end, so it
    is moved out of the collector's sight (the app does the same with what its start-up made). The youngest
    generation is collected after 50,000 new objects instead of 700: a UI test makes that many in a few keys, and
    collecting them 700 at a time took about a seventh of the UI tests' CPU, twice what it takes now."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 10, 10)


def _is_loopback(host: object) -> bool:
    if host in (None, "localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def outbound(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Refuse, record and fail the test on any attempt to leave this machine. Refused input that slipped
    through validation would otherwise reach a real DeepCall host (the profile default is production).
    Names under `.invalid` are looked up for real: they never resolve, which the DNS test relies on."""
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else None
        if isinstance(address, tuple) and not _is_loopback(host):
            attempts.append(f"connect {address!r}")
            raise ConnectionRefusedError(f"test guard: {host} is not loopback")
        real_connect(self, address)  # type: ignore[arg-type]

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        name = host.decode("ascii", "replace") if isinstance(host, bytes) else str(host)
        if not (_is_loopback(name) or name.rstrip(".").endswith(".invalid")):
            attempts.append(f"getaddrinfo {host!r}")
            raise socket.gaierror(socket.EAI_NONAME, "test guard: only loopback and .invalid names")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield attempts
    assert attempts == [], f"a test tried to leave loopback: {attempts}"


@pytest.fixture
def write_config(isolated_home: Path) -> Callable[[str], Path]:
    """Write the default config file (under the isolated XDG config home) and return its path."""

    def write(text: str) -> Path:
        path = isolated_home / ".config" / "queuetui" / "config.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user's config, state or credentials."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    for name in (
        "QUEUETUI_SSID",
        "QUEUETUI_USER_ID",
        "QUEUETUI_TOKEN",
        "QUEUETUI_PROFILE",
        "QUEUETUI_CONFIG",
        "QUEUETUI_PRESENCE",
    ):
        monkeypatch.delenv(name, raising=False)
    # The demo answers at once in tests; its few hundred milliseconds are for a room watching.
    monkeypatch.setenv("QUEUETUI_DEMO_LATENCY", "0")
    return home


@pytest.fixture
def certificates_named(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], None]]:
    """Name a certificates file in SSL_CERT_FILE for this test. The system's certificates load once a process: they
    load again from the named file, and again after the test from what the environment names then."""

    def name(path: Path) -> None:
        monkeypatch.setenv("SSL_CERT_FILE", str(path))
        system_trust.cache_clear()

    yield name
    system_trust.cache_clear()


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


@pytest.fixture
def session(sim: SimServer, session_auth: SessionAuth, audit_path: Path) -> Iterator[Session]:
    """A session opened on the simulator as the front ends open one, with fast retries and an audit file."""
    opened = Session.open(
        "test",
        Profile(base_url=sim.url, read_timeout=5.0),
        session_auth,
        audit_path,
        seams=Seams(retry=FAST_RETRY, rate=RateGuard(max_actions=10_000, window_s=60.0), rng=random.Random(7)),
    )
    yield opened
    opened.close()


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


@pytest.fixture(scope="module")
def pg() -> Iterator[PgServer]:
    """A PostgreSQL server of the module's own, on loopback (the test skips, saying why, where none can run)."""
    reason = PgServer.skip_reason()
    if reason is not None:
        pytest.skip(reason)
    server = PgServer().init()
    yield server
    server.remove()
