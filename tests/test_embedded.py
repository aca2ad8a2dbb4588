"""DEMO follows where requests go, and a locked console opens nothing but its own simulator: the rules in
`queuetui.core.embedded`, through the Session every front end opens."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import valid_request

from queuetui.api.credentials import parse_credentials
from queuetui.core import embedded
from queuetui.core.audit.log import read_audit
from queuetui.core.config.environment import Environment
from queuetui.core.config.settings import ConfigError, Profile, load_config
from queuetui.core.demo import open_demo
from queuetui.core.floor.config import LiveCallsConfig
from queuetui.core.session import Session, SessionRefused
from queuetui.sim import DEMO_SSID, SimServer


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as a new process would: no demo simulator known, nothing locked."""
    monkeypatch.setattr(embedded, "_process", embedded._Process())


@pytest.fixture
def other_sim() -> Iterator[SimServer]:
    """A simulator this process did not start as its demo: a trainer's shared one, say."""
    with SimServer() as server:
        yield server


def signed_in(profile: Profile, audit: Path | None = None) -> Session:
    return Session.open("default", profile, parse_credentials(ssid=DEMO_SSID), audit)


def test_demo_is_the_embedded_simulator_and_nothing_else(other_sim: SimServer, tmp_path: Path):
    demo = open_demo(Profile(), tmp_path / "audit.jsonl")
    try:
        assert demo.session.is_demo
        assert demo.session.environment is Environment.DEMO
        # The same simulator reached by its URL typed with a trailing slash is still the demo.
        typed = signed_in(Profile(base_url=demo.sim.url + "/"))
        assert typed.environment is Environment.DEMO
        typed.close()
        # Another simulator on this machine, even in a profile that calls itself demo, is not.
        elsewhere = signed_in(Profile(base_url=other_sim.url, environment=Environment.DEMO))
        assert not elsewhere.is_demo
        assert elsewhere.environment is Environment.PRODUCTION
        elsewhere.close()
        staged = signed_in(Profile(base_url=other_sim.url, environment=Environment.STAGING))
        assert staged.environment is Environment.STAGING
        staged.close()
    finally:
        demo.close()
    # A stopped simulator is nobody's demo: a server that takes its port later is not one either.
    assert not embedded.is_embedded(demo.sim.url)


def test_the_audit_record_names_where_the_request_went(other_sim: SimServer, tmp_path: Path):
    audit = tmp_path / "audit.jsonl"
    request = valid_request()
    demo = open_demo(Profile(), audit)
    try:
        assert demo.session.act(request).ok
        elsewhere = signed_in(Profile(base_url=other_sim.url, environment=Environment.DEMO), audit)
        assert elsewhere.act(request).ok
        elsewhere.close()
    finally:
        demo.close()
    records = [record for record in read_audit(audit).records if record.get("outcome") == "ok"]
    assert [(r["profile"], r["environment"], r["host"]) for r in records] == [
        ("demo", "demo", f"127.0.0.1:{demo.sim.port}"),
        ("default", "production", f"127.0.0.1:{other_sim.port}"),
    ]


def test_a_config_profile_cannot_call_itself_the_demo(tmp_path: Path):
    path = tmp_path / "config.toml"
    path.write_text('[profiles.room]\nbase_url = "http://127.0.0.1:8765/api/v2"\nenvironment = "demo"\n')
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    message = str(refused.value)
    assert "profiles.room.environment" in message
    assert "built-in simulator's alone" in message
    assert "training" in message
    path.write_text('[profiles.room]\nbase_url = "http://127.0.0.1:8765/api/v2"\nenvironment = "training"\n')
    assert load_config(path).settings.profiles["room"].environment is Environment.TRAINING


@pytest.mark.parametrize("name", ["demo", "Demo", " demo"])
def test_no_config_profile_takes_the_demos_name_its_audit_records_carry(tmp_path: Path, name: str):
    # A profile named demo pointing at a real server would write records that read as the simulator's.
    path = tmp_path / "config.toml"
    path.write_text(f'[profiles."{name}"]\nbase_url = "http://127.0.0.1:8765/api/v2"\n')
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    message = str(refused.value)
    assert "built-in simulator's name" in message
    assert "training" in message


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{other}/api/v2",
        "http://localhost:{port}/api/v2",  # the demo's own port, by another name: still another URL
        "http://127.0.0.1:{port}/api/v3",
        "https://127.0.0.1:{port}/api/v2",
        "https://v4-api.deepcall.com/api/v2",
        "http://[::1]:{port}/api/v2",
    ],
)
def test_a_locked_process_opens_no_session_but_to_its_simulator(url: str, other_sim: SimServer, tmp_path: Path):
    demo = open_demo(Profile(), tmp_path / "audit.jsonl", locked=True)
    try:
        with pytest.raises(SessionRefused) as refused:
            signed_in(Profile(base_url=url.format(other=other_sim.port, port=demo.sim.port), allow_insecure_http=True))
        assert refused.value.label == "Base URL"
        assert "its own simulator only" in refused.value.message
        assert other_sim.request_count == other_sim.list_request_count == 0
        again = signed_in(Profile(base_url=demo.sim.url))  # its own simulator: still fine
        again.close()
    finally:
        demo.close()


def test_a_locked_process_starts_no_live_call_program(tmp_path: Path):
    demo = open_demo(Profile(), tmp_path / "audit.jsonl", locked=True)
    try:
        marker = tmp_path / "ran"
        profile = Profile(
            base_url=demo.sim.url,
            live_calls=LiveCallsConfig(source="command", command=["/bin/sh", "-c", f"touch {marker}"]),
        )
        session = signed_in(profile)
        assert session.floor_source() is None
        assert not session.watch_floor(lambda *_: None)
        session.close()
        assert not marker.exists()
    finally:
        demo.close()


WALLED = """
import socket, subprocess, sys
from queuetui.core import embedded
from queuetui.core.demo import open_demo
from queuetui.core.config.settings import Profile

embedded.wall_the_process()
demo = open_demo(Profile(), None, locked=True)
tried = {
    "its simulator": lambda: socket.create_connection((demo.sim.host, demo.sim.port), timeout=5).close(),
    "another port": lambda: socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5).close(),
    "a name": lambda: socket.getaddrinfo("localhost", 80),
    "a program": lambda: subprocess.run(["true"], check=False),
}
for what, attempt in tried.items():
    try:
        attempt()
        print(what, "allowed")
    except PermissionError:
        print(what, "refused")
demo.close()
"""


def test_a_walled_process_connects_to_its_simulator_alone(other_sim: SimServer):
    done = subprocess.run(
        [sys.executable, "-c", WALLED, str(other_sim.port)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "its simulator allowed",
        "another port refused",
        "a name refused",
        "a program refused",
    ]
    assert other_sim.request_count == other_sim.list_request_count == 0
