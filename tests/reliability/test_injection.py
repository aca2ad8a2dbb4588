"""Text from the server never drives the terminal: escape sequences, BEL, C1 controls and bidi overrides in an
error message or a success body are neutralised before they reach Outcome.message, the CLI's output (plain
and --json) or the audit file. Each payload carries the word INJECT, which must survive: the message is
cleaned, not dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import unsafe_chars, valid_request
from rawserver import answer
from run_cli import barge_args, run_queuetui

from queuetui.core.audit.log import read_audit
from queuetui.core.service import OutcomeKind
from queuetui.sim import DEMO_SSID

PAYLOADS = {
    "csi-clear-and-colour": "\x1b[2J\x1b[31mINJECT\x1b[0m",
    "osc-window-title": "\x1b]0;owned\x07INJECT",
    "osc-52-clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07INJECT",
    "osc-8-hyperlink": "\x1b]8;;http://evil.invalid\x1b\\INJECT\x1b]8;;\x1b\\",
    "osc-unterminated": "INJECT\x1b]0;never ends",
    "dcs": "\x1bP1$r\x1b\\INJECT",
    "bell": "INJECT\x07\x07",
    "c1-csi": "\x9b31mINJECT",
    "c1-osc": "\x9d0;INJECT\x9c",
    "carriage-return-overwrite": "INJECT\rsucessfully BARGINGCall",
    "backspace-and-del": "INJECT\x08\x08\x7f",
    "bidi-override": "\u202eINJECT",
    "lone-escape": "INJECT\x1b",
    "lone-surrogate": "INJECT\ud800",
}
REQUEST = valid_request()


def strings_in(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings_in(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return []


def assert_audit_clean(path: Path, expected_records: int) -> None:
    raw = path.read_bytes()
    assert b"\x1b" not in raw
    assert not unsafe_chars(raw.decode("utf-8"))
    contents = read_audit(path)
    assert len([record for record in contents.records if record.get("event") != "attempt"]) == expected_records
    assert contents.bad_lines == []
    # Decoded, too: a JSON-escaped "\u001b" would come back raw through `jq -r`.
    for text in strings_in(contents.records):
        assert not unsafe_chars(text), text


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_service_cleans_the_servers_error_message(service, sim, audit_path, payload):
    sim.faults.error_message = payload
    outcome = service.send(REQUEST)
    assert outcome.kind is OutcomeKind.API_ERROR
    assert outcome.code == 1009
    assert "INJECT" in outcome.message
    assert not unsafe_chars(outcome.message)
    assert_audit_clean(audit_path, expected_records=1)


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_cli_output_and_audit_are_clean(sim, tmp_path, payload):
    sim.faults.error_message = payload
    audit = tmp_path / "audit.jsonl"
    plain = run_queuetui(*barge_args(sim.url, "--ssid", DEMO_SSID, "--audit-file", str(audit)), in_process=True)
    assert plain.returncode == 4
    assert "INJECT" in plain.stderr
    assert not unsafe_chars(plain.stdout + plain.stderr)

    as_json = run_queuetui(
        *barge_args(sim.url, "--ssid", DEMO_SSID, "--audit-file", str(audit), "--json"), in_process=True
    )
    assert as_json.returncode == 4
    assert "\x1b" not in as_json.stdout
    message = json.loads(as_json.stdout)["message"]
    assert "INJECT" in message
    assert not unsafe_chars(message)
    assert_audit_clean(audit, expected_records=2)


def test_a_real_process_writes_no_escape_bytes(sim, tmp_path):
    sim.faults.error_message = PAYLOADS["csi-clear-and-colour"] + PAYLOADS["c1-osc"] + PAYLOADS["bell"]
    done = run_queuetui(*barge_args(sim.url, "--ssid", DEMO_SSID, "--audit-file", str(tmp_path / "a.jsonl")))
    assert done.returncode == 4
    assert "INJECT" in done.stderr
    for byte_text in (done.stdout, done.stderr):
        raw = byte_text.encode("utf-8", "surrogateescape")
        assert b"\x1b" not in raw
        assert b"\x07" not in raw
        assert b"\xc2\x9b" not in raw  # C1 CSI in UTF-8
        assert b"\xc2\x9d" not in raw  # C1 OSC in UTF-8


# Raw bytes cannot carry a lone surrogate (only a JSON "\\ud800" escape can, covered above).
RAW_PAYLOADS = {name: text for name, text in PAYLOADS.items() if name != "lone-surrogate"}


def json_error_with_raw_text(text: str) -> bytes:
    """A DeepCall error object whose message holds the payload's control characters as raw bytes, not \\u
    escapes, as a careless server could send them (backslash and quote are still escaped: only that is off)."""
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    return b'{"status":"error","code":1009,"message":"' + quoted.encode() + b'"}'


@pytest.mark.parametrize("payload", RAW_PAYLOADS.values(), ids=RAW_PAYLOADS.keys())
@pytest.mark.parametrize(
    ("make_answer", "kind", "exit_code"),
    [
        pytest.param(lambda p: answer(200, p.encode()), OutcomeKind.OK, 0, id="success-body"),
        pytest.param(
            lambda p: answer(500, p.encode(), content_type="text/plain"),
            OutcomeKind.PROTOCOL_ERROR,
            5,
            id="http-500-text",
        ),
        pytest.param(
            lambda p: answer(200, json_error_with_raw_text(p), content_type="application/json"),
            OutcomeKind.API_ERROR,
            4,
            id="raw-json-error",
        ),
    ],
)
def test_raw_server_text_is_cleaned(raw_server, service_at, audit_path, payload, make_answer, kind, exit_code):
    server = raw_server(make_answer(payload))
    outcome = service_at(server.url, read_timeout=2.0).send(REQUEST)
    assert outcome.kind is kind, outcome.message
    shown = outcome.server_text if kind is OutcomeKind.OK else outcome.message
    assert "INJECT" in shown
    assert not unsafe_chars(outcome.message + outcome.server_text)
    assert_audit_clean(audit_path, expected_records=1)

    result = run_queuetui(
        *barge_args(server.url, "--ssid", DEMO_SSID, "--audit-file", str(audit_path)), in_process=True
    )
    assert result.returncode == exit_code
    assert "INJECT" in result.stdout + result.stderr
    assert not unsafe_chars(result.stdout + result.stderr)
    assert_audit_clean(audit_path, expected_records=2)
