"""Malformed input on every way in: the form fields (Session.prepare), credentials, every `barge` flag, the
config file and the environment. Each is refused with a message naming the field, the simulator receives
nothing, and nothing crashes (the CLI exits 2 with one clean line, no traceback)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from helpers import HOSTILE_TEXT, VALID_FIELDS, unsafe_chars
from run_cli import barge_args, run_queuetui

from queuetui.api.credentials import parse_credentials
from queuetui.api.fields import FIELD_LABELS, FieldErrors
from queuetui.core.audit.log import read_audit
from queuetui.core.session import Session
from queuetui.sim import DEMO_SSID, DEMO_TOKEN, DEMO_USER_ID, SimServer

HOSTILE_MODE: dict[str, object] = {
    "empty": "",
    "whitespace": "  ",
    "unknown": "listen",
    "10kB": "s" * 10_240,
    "ansi": "spy\x1b[0m",
    "shell": "spy;ls",
    "fullwidth": "ｓｐｙ",
    "int": 1,
    "list": ["spy"],
    "none": None,
}
FORM_CASES = [
    pytest.param(field, value, id=f"{field}-{name}")
    for field in ("callId", "targetEntityType", "targetEntityVal", "snooperNumber")
    for name, value in HOSTILE_TEXT.items()
] + [pytest.param("snoopType", value, id=f"snoopType-{name}") for name, value in HOSTILE_MODE.items()]


def assert_form_refused(session: Session, sim: SimServer, fields: dict[str, object], field: str) -> None:
    with pytest.raises(FieldErrors) as refused:
        session.prepare(fields)
    assert refused.value.first_field == field
    message = str(refused.value)
    assert FIELD_LABELS[field] in message
    assert not unsafe_chars(message)
    assert len(message) < 500  # the offending value is never echoed back
    assert sim.request_count == 0


@pytest.mark.parametrize(("field", "value"), FORM_CASES)
def test_form_field_refused(session, sim, audit_path: Path, field, value):
    assert_form_refused(session, sim, {**VALID_FIELDS, field: value}, field)
    assert read_audit(audit_path).records == []  # a form that never made a request is not an action


@pytest.mark.parametrize("field", list(VALID_FIELDS))
def test_form_field_missing(session, sim, field):
    fields = {name: value for name, value in VALID_FIELDS.items() if name != field}
    assert_form_refused(session, sim, fields, field)


def test_valid_form_reaches_the_simulator(session, sim):
    """The control for the cases above: the same form, unspoilt, is sent."""
    assert session.act(session.prepare(VALID_FIELDS)).ok
    assert sim.request_count == 1


HOSTILE_SECRET: dict[str, object] = {
    "10kB": "s" * 10_240,
    "nul": "secret\x00value",
    "ansi": "secret\x1b[2Jvalue",
    "osc-clipboard": "\x1b]52;c;ZWNobw==\x07",
    "c1": "secret\x9dvalue",
    "inner-space": "secret value",
    "non-ascii": "sëcret-välue",
    "fullwidth": "ｓｅｃｒｅｔ",
    "int": 123456789012,
    "list": ["secret"],
    "dict": {"a": 1},
    "bool": True,
}
CREDENTIAL_CASES = (
    [pytest.param({"ssid": v}, "ssid", id=f"ssid-{k}") for k, v in HOSTILE_SECRET.items()]
    + [pytest.param({"user_id": DEMO_USER_ID, "token": v}, "token", id=f"token-{k}") for k, v in HOSTILE_SECRET.items()]
    + [
        pytest.param({"user_id": v, "token": DEMO_TOKEN}, "userId", id=f"userId-{k}")
        for k, v in {**HOSTILE_TEXT, "10kB": "u" * 10_240}.items()
        if k not in ("empty", "whitespace", "none")  # those mean "no user id": covered below
    ]
    + [
        pytest.param({}, "ssid", id="none-at-all"),
        pytest.param({"ssid": "   "}, "ssid", id="ssid-whitespace"),
        pytest.param({"ssid": DEMO_SSID, "token": DEMO_TOKEN}, "ssid", id="ssid-and-token"),
        pytest.param({"user_id": DEMO_USER_ID}, "token", id="user-without-token"),
        pytest.param({"token": DEMO_TOKEN}, "userId", id="token-without-user"),
        pytest.param({"user_id": " ", "token": DEMO_TOKEN}, "userId", id="userId-whitespace"),
    ]
)


@pytest.mark.parametrize(("given", "field"), CREDENTIAL_CASES)
def test_credentials_refused(given, field):
    with pytest.raises(FieldErrors) as caught:
        parse_credentials(**given)
    assert field in [problem.field for problem in caught.value.problems]
    message = str(caught.value)
    assert FIELD_LABELS[field] in message
    assert not unsafe_chars(message)
    for secret in (given.get("ssid"), given.get("token")):
        if isinstance(secret, str) and len(secret) > 4:
            assert secret not in message


def assert_cli_refused(
    result: subprocess.CompletedProcess[str], sim: SimServer, *words: str, exit_code: int = 2
) -> None:
    assert result.returncode == exit_code, result
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    assert result.stdout == ""
    assert not unsafe_chars(result.stderr)
    assert len(result.stderr) < 1000  # one clean line or two, never the 10 kB value
    assert sim.request_count == 0


CLI_FIELD_FLAGS = {
    "call_id": ("--call-id", "Call ID"),
    "mode": ("--mode", "Mode"),
    "target": ("--target", "Target"),
    "target_type": ("--target-type", "Target kind"),
    "snooper": ("--snooper", "Snooper number"),
}
# argv strings cannot hold NUL, and only text arrives from a command line.
CLI_TEXT = {name: v for name, v in HOSTILE_TEXT.items() if isinstance(v, str) and "\x00" not in v}
CLI_FIELD_CASES = [
    pytest.param(flag_name, value, id=f"{flag_name}-{name}")
    for flag_name in CLI_FIELD_FLAGS
    for name, value in (CLI_TEXT if flag_name != "mode" else {"unknown": "listen", **CLI_TEXT}).items()
]


@pytest.mark.parametrize(("flag_name", "value"), CLI_FIELD_CASES)
def test_cli_field_flag_refused(sim, flag_name, value):
    flag, label = CLI_FIELD_FLAGS[flag_name]
    result = run_queuetui(*barge_args(sim.url, "--ssid", DEMO_SSID, **{flag_name: value}), in_process=True)
    assert_cli_refused(result, sim, label, flag)


CLI_CREDENTIAL_CASES = [
    pytest.param(["--ssid", "secret\x1b[31mvalue"], ("Session ID", "--ssid"), id="ssid-ansi"),
    pytest.param(["--ssid", "s" * 10_240], ("Session ID", "--ssid", "too long"), id="ssid-10kB"),
    pytest.param(["--ssid", "secret value"], ("Session ID",), id="ssid-space"),
    pytest.param(["--ssid", "ｓｅｃｒｅｔ-value"], ("Session ID",), id="ssid-fullwidth"),
    pytest.param(["--ssid", " "], ("Session ID", "required"), id="ssid-whitespace"),
    pytest.param(["--ssid", DEMO_SSID, "--token", DEMO_TOKEN], ("not both",), id="ssid-and-token"),
    pytest.param(["--user-id", "demo;reboot", "--token", DEMO_TOKEN], ("User ID", "--user-id"), id="user-shell"),
    pytest.param(["--user-id", "١٢٣", "--token", DEMO_TOKEN], ("User ID",), id="user-arabic-digits"),
    pytest.param(["--user-id", DEMO_USER_ID], ("Token", "--token", "required"), id="user-without-token"),
    pytest.param(["--token", DEMO_TOKEN], ("User ID", "required"), id="token-without-user"),
    pytest.param(["--user-id", DEMO_USER_ID, "--token", "\x1b]0;x\x07"], ("Token", "--token"), id="token-osc"),
    pytest.param(["--user-id", DEMO_USER_ID, "--token", "t" * 10_240], ("Token", "too long"), id="token-10kB"),
    pytest.param([], ("Session ID", "required"), id="no-credentials"),
]


@pytest.mark.parametrize(("flags", "words"), CLI_CREDENTIAL_CASES)
def test_cli_credential_flag_refused(sim, flags, words):
    assert_cli_refused(run_queuetui(*barge_args(sim.url, *flags), in_process=True), sim, *words)


def test_cli_credential_values_are_never_echoed(sim):
    secret = "never-show-this-1a2b3c4d\x1b[31m"
    result = run_queuetui(*barge_args(sim.url, "--ssid", secret), in_process=True)
    assert_cli_refused(result, sim, "Session ID")
    assert "never-show-this" not in result.stderr


BAD_BASE_URLS = {
    "empty": "",
    "whitespace": "   ",
    "ftp": "ftp://127.0.0.1/api/v2",
    "no-scheme": "127.0.0.1/api/v2",
    "insecure-remote": "http://example.invalid/api/v2",
    "user-info": "https://user:pw@example.invalid/api/v2",
    "query": "https://example.invalid/api/v2?x=1",
    "bad-port": "http://127.0.0.1:abc/api/v2",
    "port-out-of-range": "http://127.0.0.1:99999/api/v2",
    "empty-label": "https://a..b.invalid/api/v2",
    "bad-idna": "https://xn--zz.invalid/api/v2",
    "unclosed-ipv6": "http://[::1/api/v2",
    "ansi": "https://\x1b[31m.invalid/api/v2",
    "space": "https://a b.invalid/api/v2",
    "10kB": "https://" + "a" * 10_240 + ".invalid/api/v2",
}


@pytest.mark.parametrize("url", BAD_BASE_URLS.values(), ids=BAD_BASE_URLS.keys())
def test_cli_base_url_refused(sim, url):
    assert_cli_refused(run_queuetui(*barge_args(url, "--ssid", DEMO_SSID), in_process=True), sim, "Base URL")


def test_cli_barge_without_yes_refused(sim):
    result = run_queuetui(*barge_args(sim.url, "--ssid", DEMO_SSID, mode="barge"), in_process=True)
    assert_cli_refused(result, sim, "Mode", "--yes")


def test_cli_profile_flag_unknown_refused(sim):
    result = run_queuetui(*barge_args(sim.url, "--ssid", DEMO_SSID, "--profile", "nope\x1b[31m"), in_process=True)
    assert_cli_refused(result, sim, "no profile named")


@pytest.mark.parametrize("where", ["directory", "under-a-file"])
def test_cli_audit_file_unwritable_refused(sim, tmp_path, where):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a directory")
    target = tmp_path if where == "directory" else blocker / "audit.jsonl"
    result = run_queuetui(*barge_args(sim.url, "--ssid", DEMO_SSID, "--audit-file", str(target)), in_process=True)
    assert_cli_refused(result, sim, "Audit file", "cannot write", exit_code=6)  # 6: the trail cannot be written


def test_cli_json_refusal_names_the_field(sim):
    result = run_queuetui(*barge_args(sim.url, "--ssid", DEMO_SSID, "--json", call_id="C-1;reboot"), in_process=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    answer = json.loads(result.stdout)
    assert answer["outcome"] == "invalid"
    assert answer["field"] == "callId"
    assert "Call ID" in answer["message"]
    assert sim.request_count == 0


@pytest.mark.parametrize(
    ("argv_tail", "word"),
    [
        pytest.param(["--mode", "spy", "--target", "13"], "--call-id", id="missing-call-id"),
        pytest.param(["--call-id", "C-10023", "--target", "13"], "--mode", id="missing-mode"),
        pytest.param(["--call-id", "C-10023", "--mode", "spy"], "--target", id="missing-target"),
        pytest.param(["--call-id", "C-10023", "--mode", "spy", "--target", "13", "--bogus"], "--bogus", id="unknown"),
        pytest.param(["--call-id", "C-10023", "--mode", "spy", "--target"], "--target", id="flag-without-value"),
    ],
)
def test_cli_usage_errors(sim, argv_tail, word):
    assert_cli_refused(
        run_queuetui("barge", "--base-url", sim.url, "--ssid", DEMO_SSID, *argv_tail, in_process=True), sim, word
    )


def profile_toml(base_url: str, line: str) -> str:
    return f'[profiles.main]\nbase_url = "{base_url}"\nsnooper_number = "9876543210"\n{line}\n'


def profile_args(mode: str = "spy", credentials: tuple[str, ...] = ("--ssid", DEMO_SSID)) -> list[str]:
    """A barge command that takes its base URL and snooper number from the profile."""
    return ["barge", "--call-id", "C-10023", "--mode", mode, "--target", "13", *credentials]


CONFIG_VALUE_CASES = {
    "read-timeout-negative": ("read_timeout = -1", "read_timeout"),
    "read-timeout-zero": ("read_timeout = 0", "read_timeout"),
    "read-timeout-nan": ("read_timeout = nan", "read_timeout"),
    "read-timeout-inf": ("read_timeout = inf", "read_timeout"),
    "connect-timeout-text": ('connect_timeout = "fast"', "connect_timeout"),
    "connect-timeout-huge": ("connect_timeout = 1e9", "connect_timeout"),
    "allowed-modes-empty": ("allowed_modes = []", "allowed_modes"),
    "allowed-modes-unknown": ('allowed_modes = ["listen"]', "allowed_modes"),
    "allowed-modes-not-a-list": ('allowed_modes = "spy"', "allowed_modes"),
    "environment-unknown": ('environment = "prod"', "environment"),
    "auth-unknown": ('auth = "password"', "auth"),
    "confirm-barge-not-bool": ('confirm_barge = "sometimes"', "confirm_barge"),
    "insecure-http-list": ("allow_insecure_http = []", "allow_insecure_http"),
    "snooper-arabic-digits": ('snooper_number = "٩٨٧٦٥٤٣٢١٠"', "Snooper number"),
    "snooper-ansi": ('snooper_number = "98765\\u001b[31m43210"', "Snooper number"),
    "target-type-sql": ('target_type = "agent; DROP TABLE calls"', "Target kind"),
    "ca-bundle-missing": ('ca_bundle = "/nonexistent/ca.pem"', "ca_bundle"),
}


@pytest.mark.parametrize(("line", "word"), CONFIG_VALUE_CASES.values(), ids=CONFIG_VALUE_CASES.keys())
def test_config_value_refused(sim, write_config, line, word):
    # TOML refuses a key given twice: a case that sets snooper_number takes the place of the default line.
    text = profile_toml(sim.url, line)
    if line.startswith("snooper_number"):
        text = text.replace('snooper_number = "9876543210"\n', "")
    write_config(text)
    assert_cli_refused(run_queuetui(*profile_args(), in_process=True), sim, word)


CONFIG_URL_CASES = {
    "ftp": "ftp://x",
    "insecure-remote": "http://example.invalid/api/v2",
    "empty": "",
}


@pytest.mark.parametrize("url", CONFIG_URL_CASES.values(), ids=CONFIG_URL_CASES.keys())
def test_config_base_url_refused(sim, write_config, url):
    write_config(profile_toml(url, ""))
    assert_cli_refused(run_queuetui(*profile_args(), in_process=True), sim, "Base URL")


def test_config_ca_bundle_not_pem_refused(sim, write_config, tmp_path):
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    write_config(profile_toml(sim.url, f'ca_bundle = "{junk}"'))
    assert_cli_refused(run_queuetui(*profile_args(), in_process=True), sim, "ca_bundle", "no usable PEM")


def test_config_mode_not_allowed_refused(sim, write_config):
    write_config(profile_toml(sim.url, 'allowed_modes = ["spy"]'))
    assert_cli_refused(run_queuetui(*profile_args("whisper"), in_process=True), sim, "whisper is not allowed")


def test_config_remembered_secret_with_escape_refused(sim, write_config):
    write_config(profile_toml(sim.url, 'remember_secret = true\nssid = "demo\\u001b]0;x\\u0007ssid"'))
    # No credentials on the command line: the profile's remembered ssid is the one used.
    assert_cli_refused(run_queuetui(*profile_args(credentials=()), in_process=True), sim, "Session ID")


@pytest.mark.parametrize(
    ("content", "word"),
    [
        pytest.param(b"[profiles.main\n", "not valid TOML", id="not-toml"),
        pytest.param(b'default_profile = "\xff\xfe"\n', "not UTF-8", id="not-utf8"),
        pytest.param(b'default_profile = "missing"\n', "no profile named", id="default-profile-missing"),
        pytest.param(b"profiles = 5\n", "profiles", id="profiles-not-a-table"),
    ],
)
def test_config_file_refused(sim, write_config, content, word):
    write_config("").write_bytes(content)
    assert_cli_refused(run_queuetui(*barge_args(sim.url, "--ssid", DEMO_SSID), in_process=True), sim, word)


ENV_CASES = {
    "ssid-ansi": ({"QUEUETUI_SSID": "demo\x1b[31mssid"}, "Session ID"),
    "ssid-bell": ({"QUEUETUI_SSID": "demo-ssid\x07"}, "Session ID"),
    "ssid-c1": ({"QUEUETUI_SSID": "demo\x9bssid"}, "Session ID"),
    "ssid-10kB": ({"QUEUETUI_SSID": "s" * 10_240}, "Session ID"),
    "ssid-space": ({"QUEUETUI_SSID": "demo ssid"}, "Session ID"),
    "ssid-and-token": ({"QUEUETUI_SSID": DEMO_SSID, "QUEUETUI_TOKEN": DEMO_TOKEN}, "not both"),
    "user-id-shell": ({"QUEUETUI_USER_ID": "$(id)", "QUEUETUI_TOKEN": DEMO_TOKEN}, "User ID"),
    "user-id-fullwidth": ({"QUEUETUI_USER_ID": "ｄｅｍｏ", "QUEUETUI_TOKEN": DEMO_TOKEN}, "User ID"),
    "token-osc": ({"QUEUETUI_USER_ID": DEMO_USER_ID, "QUEUETUI_TOKEN": "\x1b]52;c;eA==\x07"}, "Token"),
    "token-without-user": ({"QUEUETUI_TOKEN": DEMO_TOKEN}, "User ID"),
    "profile-unknown": ({"QUEUETUI_SSID": DEMO_SSID, "QUEUETUI_PROFILE": "nope"}, "no profile named"),
    "profile-ansi": ({"QUEUETUI_SSID": DEMO_SSID, "QUEUETUI_PROFILE": "\x1b[2Jnope"}, "no profile named"),
}


@pytest.mark.parametrize(("env", "word"), ENV_CASES.values(), ids=ENV_CASES.keys())
def test_env_value_refused(sim, monkeypatch, env, word):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert_cli_refused(run_queuetui(*barge_args(sim.url), in_process=True), sim, word)


@pytest.mark.parametrize("kind", ["directory", "bad-toml"])
def test_env_config_path_refused(sim, monkeypatch, tmp_path, kind):
    target = tmp_path
    if kind == "bad-toml":
        target = tmp_path / "elsewhere.toml"
        target.write_text("read_timeout = = 3\n")
    monkeypatch.setenv("QUEUETUI_CONFIG", str(target))
    result = run_queuetui(*barge_args(sim.url, "--ssid", DEMO_SSID), in_process=True)
    assert_cli_refused(result, sim, "cannot be read" if kind == "directory" else "not valid TOML")


@pytest.mark.parametrize(
    ("argv_for", "env", "words"),
    [
        pytest.param(
            lambda url: barge_args(url, "--ssid", DEMO_SSID, call_id="C-1\x1b[31m"), {}, ("Call ID",), id="call-id"
        ),
        pytest.param(lambda url: barge_args(url), {"QUEUETUI_SSID": "demo\x1b]0;x\x07"}, ("Session ID",), id="env"),
        pytest.param(lambda url: barge_args("ftp://x", "--ssid", DEMO_SSID), {}, ("Base URL",), id="base-url"),
        pytest.param(
            lambda url: barge_args(url, "--ssid", DEMO_SSID, snooper="٩٨٧٦٥٤٣٢١٠"), {}, ("Snooper",), id="snooper"
        ),
    ],
)
def test_refused_in_a_real_process(sim, argv_for, env, words):
    assert_cli_refused(run_queuetui(*argv_for(sim.url), env=env), sim, *words)


def test_config_refused_in_a_real_process(sim, write_config):
    write_config(profile_toml(sim.url, "read_timeout = -1"))
    assert_cli_refused(run_queuetui(*profile_args()), sim, "read_timeout")
