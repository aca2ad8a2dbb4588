"""`queuetui barge` with credentials from the environment, the exit code and the output checked, and the
simulator's request count proving whether anything was sent. The cases run the command's entry point in this
process (a child process per case would add a second and nothing else); the success and a usage error run it
as the user does, as a child process."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
from collections.abc import Callable

import httpx
import pytest
from rawserver import RawServer, answer
from run_cli import run_queuetui

from queuetui.api.client import ClientSettings, DeepCallClient
from queuetui.core.audit.log import read_audit
from queuetui.core.config import paths
from queuetui.core.config.settings import Profile, load_config
from queuetui.core.outcome import Interrupted
from queuetui.sim import DEMO_SSID, DEMO_TOKEN, DEMO_USER_ID, SimServer
from queuetui.sim.scenario import RESTRICTED_SSID

WRONG_SSID = "expired-session-0f1e2d3c"
SECRETS = (DEMO_SSID, DEMO_TOKEN, WRONG_SSID, RESTRICTED_SSID)
SESSION_ENV = {"QUEUETUI_SSID": DEMO_SSID}
TOKEN_ENV = {"QUEUETUI_USER_ID": DEMO_USER_ID, "QUEUETUI_TOKEN": DEMO_TOKEN}
CREDENTIAL_VARIABLES = ("QUEUETUI_SSID", "QUEUETUI_USER_ID", "QUEUETUI_TOKEN")

Barge = Callable[..., subprocess.CompletedProcess[str]]


def flags(sim_url: str, /, **changes: str | None) -> list[str]:
    """The barge flags for a good spy request; a None value leaves that flag out."""
    values: dict[str, str | None] = {
        "--call-id": "C-10023",
        "--mode": "spy",
        "--target": "13",
        "--snooper": "9876543210",
        "--base-url": sim_url,
        **{f"--{name.replace('_', '-')}": value for name, value in changes.items()},
    }
    return [part for flag, value in values.items() if value is not None for part in (flag, value)]


@pytest.fixture
def barge(sim: SimServer, monkeypatch: pytest.MonkeyPatch) -> Barge:
    """Runs `queuetui barge` against the simulator with `env`'s credentials (the session id by default) and
    checks that no secret reached the terminal."""

    def run(*extra: str, env: dict[str, str] | None = None, **changes: str | None) -> subprocess.CompletedProcess[str]:
        for name in CREDENTIAL_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in (SESSION_ENV if env is None else env).items():
            monkeypatch.setenv(name, value)
        done = run_queuetui("barge", *flags(sim.url, **changes), *extra, in_process=True)
        for secret in SECRETS:
            assert secret not in done.stdout
            assert secret not in done.stderr
        return done

    return run


def assert_refused(done: subprocess.CompletedProcess[str], sim: SimServer, fragment: str) -> None:
    """A usage error (exit 2) that says `fragment` on stderr, and nothing reached the server."""
    assert done.returncode == 2
    assert fragment in done.stderr
    assert sim.request_count == 0


def test_success(barge, sim):
    done = barge()
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: Spy started on call C-10023")
    assert "[sucessfully BARGINGCall]" in done.stdout
    assert sim.request_count == 1


def test_success_as_a_child_process(sim):
    done = run_queuetui("barge", *flags(sim.url), env=SESSION_ENV)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: Spy started on call C-10023")
    assert DEMO_SSID not in done.stdout + done.stderr
    assert sim.request_count == 1
    assert sim.received[0].parsed["ssid"] == DEMO_SSID


def test_success_json(barge, sim):
    done = barge("--json", mode="whisper")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["ok"] is True
    assert (result["outcome"], result["exit_code"], result["code"]) == ("ok", 0, None)
    assert (result["call_id"], result["mode"], result["attempts"]) == ("C-10023", "whisper", 1)
    assert result["server_text"] == "sucessfully BARGINGCall"
    assert sim.received[0].parsed["snoopType"] == "whisper"


def test_success_is_audited_in_the_state_directory(barge):
    assert barge().returncode == 0
    attempt, record = read_audit(paths.audit_file()).records
    assert (attempt["event"], attempt["call_id"], record["attempt"]) == ("attempt", "C-10023", attempt["attempt"])
    assert (record["call_id"], record["mode"], record["outcome"]) == ("C-10023", "spy", "ok")


def test_a_successful_barge_remembers_its_snooper_number_as_the_console_does(barge, write_config):
    path = write_config('[profiles.floor]\nsnooper_number = "9000000001"\n')
    done = barge(snooper="+91 98765 43210")
    assert done.returncode == 0, done.stderr
    remembered = load_config(path).settings.profiles["floor"]
    assert remembered.snooper_number == "+919876543210"
    # The file's own base URL, not the one-off --base-url.
    assert remembered.base_url == Profile().base_url


def test_a_barge_with_the_remembered_number_leaves_the_config_as_it_was(barge, write_config):
    path = write_config('[profiles.floor]\nsnooper_number = "9876543210"\n')
    before = path.read_bytes()
    assert barge().returncode == 0
    assert path.read_bytes() == before


def test_a_failed_barge_remembers_nothing(barge, write_config):
    path = write_config('[profiles.floor]\nsnooper_number = "9000000001"\n')
    before = path.read_bytes()
    done = barge(call_id="C-99999", snooper="9123456789")
    assert done.returncode == 4
    assert path.read_bytes() == before


def test_a_config_that_cannot_be_written_is_a_warning_not_a_failure(barge, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    path = paths.config_file()
    path.parent.mkdir(parents=True)
    path.symlink_to(blocker / "config.toml")  # written where it points: inside a file, which no one can do
    done = barge()
    assert done.returncode == 0
    assert done.stdout.startswith("ok: ")
    assert "warning: the snooper number was not remembered" in done.stderr
    assert blocker.read_text() == ""


def test_token_auth_from_the_environment(barge, sim):
    assert barge(env=TOKEN_ENV).returncode == 0
    assert {"userId", "token"} <= set(sim.received[0].parsed)
    assert "ssid" not in sim.received[0].parsed


def test_secret_given_as_a_flag_is_not_echoed(barge, sim):
    done = barge("--ssid", WRONG_SSID, env={})
    assert done.returncode == 3
    assert sim.received[0].parsed["ssid"] == WRONG_SSID


@pytest.mark.parametrize(
    ("changes", "label", "flag"),
    [
        ({"call_id": "C-1;rm -rf ~"}, "Call ID", "--call-id"),
        ({"call_id": "C-\x1b[2J1"}, "Call ID", "--call-id"),
        ({"snooper": "98765abc"}, "Snooper number", "--snooper"),
        ({"snooper": "\uff19\uff18\uff17\uff16\uff15\uff14\uff13\uff12"}, "Snooper number", "--snooper"),
        ({"snooper": None}, "Snooper number", "--snooper"),
        ({"mode": "listen"}, "Mode", "--mode"),
        ({"target": "13 OR 1=1"}, "Target", "--target"),
        ({"target_type": "agent;ls"}, "Target kind", "--target-type"),
    ],
    ids=["call-id-shell", "call-id-escape", "phone-letters", "phone-fullwidth", "no-snooper", "mode", "target", "type"],
)
def test_invalid_input_sends_nothing(barge, sim, changes, label, flag):
    done = barge(**changes)
    assert_refused(done, sim, f"{label}: ")
    assert done.stdout == ""
    assert f"({flag})" in done.stderr
    assert "\x1b" not in done.stderr


def test_invalid_input_json_names_the_field(barge, sim):
    done = barge("--json", snooper="12")
    assert done.returncode == 2
    result = json.loads(done.stdout)
    assert (result["ok"], result["outcome"], result["field"], result["attempts"]) == (
        False, "invalid", "snooperNumber", 0,
    )  # fmt: skip
    assert sim.request_count == 0


def test_barge_needs_yes(barge, sim):
    assert_refused(barge(mode="barge"), sim, "--yes")


def test_each_refusal_names_its_flag_once(barge, sim):
    bad_call = barge(call_id="C-1;rm")
    assert_refused(bad_call, sim, "may only contain letters, digits and . _ : - (--call-id)")
    assert bad_call.stderr.count("(--call-id)") == 1
    assert_refused(barge(base_url="http://example.com/api/v2"), sim, "(--base-url)")


def test_a_barge_without_yes_in_json_still_says_which_call_and_mode(barge, sim):
    done = barge("--json", mode="barge")
    result = json.loads(done.stdout)
    assert (result["outcome"], result["call_id"], result["mode"]) == ("invalid", "C-10023", "barge")
    assert sim.request_count == 0


def test_barge_with_yes_is_sent(barge, sim):
    assert barge("--yes", mode="barge").returncode == 0
    assert sim.received[0].parsed["snoopType"] == "barge"


@pytest.mark.parametrize(
    ("env", "fragment"),
    [({**SESSION_ENV, **TOKEN_ENV}, "not both"), ({}, "is required"), ({"QUEUETUI_TOKEN": DEMO_TOKEN}, "User ID")],
    ids=["both", "none", "token-without-user"],
)
def test_credential_problems_send_nothing(barge, sim, env, fragment):
    assert_refused(barge(env=env), sim, fragment)


def test_unsafe_base_url_sends_nothing(barge, sim):
    assert_refused(barge(base_url="http://deepcall.invalid/api/v2"), sim, "Base URL")


def test_certificates_the_environment_names_but_cannot_be_loaded_send_nothing(barge, sim, certificates_named, tmp_path):
    certificates_named(tmp_path / "missing.pem")
    done = barge(base_url="https://deepcall.invalid/api/v2")
    assert_refused(done, sim, f"Certificates: SSL_CERT_FILE={tmp_path / 'missing.pem'} cannot be read")
    assert "Traceback" not in done.stderr


def test_missing_required_flag_is_a_usage_error(sim):
    done = run_queuetui("barge", "--mode", "spy", "--target", "13", env=SESSION_ENV)
    assert_refused(done, sim, "--call-id")


def test_bad_credentials_exit_3(barge, sim):
    done = barge(env={"QUEUETUI_SSID": WRONG_SSID})
    assert done.returncode == 3
    assert "Sign in again" in done.stderr
    assert sim.request_count == 1


@pytest.mark.parametrize("code", [1011, 1013, 1044])
def test_every_sign_in_again_code_exits_3(barge, code):
    body = json.dumps({"status": "error", "message": "refused", "code": code}).encode()
    server = RawServer(answer(200, body, content_type="application/json")).start()
    try:
        done = barge(base_url=server.url)
    finally:
        server.stop()
    assert done.returncode == 3, done.stderr
    assert "Sign in again" in done.stderr
    assert f"(code {code})" in done.stderr


def test_permission_denied_is_an_api_error(barge):
    done = barge(env={"QUEUETUI_SSID": RESTRICTED_SSID})
    assert done.returncode == 4
    assert "Permission denied" in done.stderr
    assert "1015" in done.stderr


def test_unknown_call_exit_4_with_the_code(barge, sim):
    done = barge(call_id="C-99999")
    assert done.returncode == 4
    assert "(code 1012)" in done.stderr
    assert sim.request_count == 1


def test_a_wrong_agent_names_the_flag_to_correct(barge, sim):
    done = barge(target="99")
    assert done.returncode == 4
    assert done.stderr.splitlines() == [
        "error: Agent 99 is not on C-10023: check the target agent (--target)",
        "DeepCall said: Invalid filter value: targetEntityVal does not match the agent on C-10023 (code 1502)",
    ]
    assert "highlighted" not in done.stderr


def test_unknown_call_json_carries_the_code(barge):
    done = barge("--json", call_id="C-99999")
    result = json.loads(done.stdout)
    assert (done.returncode, result["exit_code"], result["code"], result["field"]) == (4, 4, 1012, "callId")


def test_connection_refused_exit_5(barge):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = barge(base_url=f"http://127.0.0.1:{port}/api/v2")
    assert done.returncode == 5
    assert "connection refused" in done.stderr


def test_proxy_error_page_exit_5(barge, sim):
    sim.faults.html_502 = True
    done = barge()
    assert done.returncode == 5
    assert "HTTP 502" in done.stderr


def test_environment_is_not_the_parents():
    # The isolation fixture must hold for the child processes too, or these tests would touch a real home.
    assert paths.audit_file().is_relative_to(os.environ["HOME"])
    assert "QUEUETUI_SSID" not in os.environ


class StopInsideTheLibrary(httpx.BaseTransport):
    """A stop signal landing inside the HTTP library at its worst moment: a lock taken, then the handler's
    exception raised before the block that frees it begins. Closing the connections needs that lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.close_waited = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.lock.acquire()
        raise Interrupted(signal.SIGTERM)

    def close(self) -> None:
        # Forever in the real library; here a while, so that the test reports the wait instead of hanging.
        if not self.lock.acquire(timeout=2):
            self.close_waited = True


def test_a_stop_inside_the_http_library_ends_the_barge_recorded_and_never_waits_on_its_locks(barge, monkeypatch):
    stuck = StopInsideTheLibrary()
    opened = DeepCallClient.__init__

    def with_the_transport(self: DeepCallClient, settings: ClientSettings, transport: object = None) -> None:
        opened(self, settings, stuck)

    monkeypatch.setattr(DeepCallClient, "__init__", with_the_transport)
    done = barge()
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert "stopped by SIGTERM" in done.stderr
    assert not stuck.close_waited, "the stopped barge waited for a lock the stop left taken"
    attempt, record = read_audit(paths.audit_file()).records
    assert (attempt["event"], record["attempt"], record["outcome"]) == ("attempt", attempt["attempt"], "interrupted")
