"""The API documentation's own example requests, sent the way its snippets send them, get its documented answer.

The documented answer: HTTP 200, `text/html; charset=utf-8`, the 23-byte body `sucessfully BARGINGCall`, an
ETag and permissive CORS headers. The snippets send the JSON with an empty `Content-Length:` header, as curl's
default form type, as text/plain, or with no type at all.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import httpx
import pytest

from queuetui.sim import DEMO_SSID

CALL_ID = "C-10023"
AGENT = "13"
SEED_SNOOPER = "7976522803"

# The documentation's payloads with its placeholders; filled in by `seed_payload`.
COMPACT_TEMPLATE = (
    '{"ssid":"{{ssid}}","callId":"{{callid}}","snoopType":"spy","targetEntityType":"agent",'
    '"targetEntityVal":"targetEntityVal","snooperNumber":"7976522803"}'
)
PRETTY_TEMPLATE = """{
    "ssid":"{{ssid}}",
    "callId":"{{callid}}",
    "snoopType":"spy",
    "targetEntityType":"agent",
    "targetEntityVal":"targetEntityVal",
    "snooperNumber":"7976522803"
}"""

SEED_ALLOW_HEADERS = [
    "session-token", "Authorization", "Origin", "Accept", "Content-Type", "DNT", "Authorization", "Keep-Alive",
    "User-Agent", "X-Requested-With", "If-Modified-Since", "Cache-Control", "Content-Type", "Content-Range", "Range",
]  # fmt: skip
EXPECTED_PARSED = {
    "ssid": DEMO_SSID,
    "callId": CALL_ID,
    "snoopType": "spy",
    "targetEntityType": "agent",
    "targetEntityVal": AGENT,
    "snooperNumber": SEED_SNOOPER,
}


def seed_payload(template: str) -> str:
    return (
        template.replace("{{ssid}}", DEMO_SSID)
        .replace("{{callid}}", CALL_ID)
        .replace('"targetEntityVal":"targetEntityVal"', f'"targetEntityVal":"{AGENT}"')
    )


def assert_seed_answer(status: int, headers: Mapping[str, str], body: bytes) -> None:
    """`headers` with lower-case names."""
    assert status == 200
    assert body == b"sucessfully BARGINGCall"
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["content-length"] == "23"
    assert headers["etag"] == 'W/"17-97dRo/YUuBogLdvt8esZQqzxmZs"'
    assert headers["access-control-allow-origin"] == "*"
    assert [m.strip() for m in headers["access-control-allow-methods"].split(",")] == [
        "GET", "PUT", "POST", "DELETE", "OPTIONS",
    ]  # fmt: skip
    assert headers["access-control-allow-headers"].split(",") == SEED_ALLOW_HEADERS
    assert headers["access-control-allow-credentials"] == "true"
    assert headers["access-control-max-age"] == "1728000"
    assert headers["vary"] == "Origin"
    assert headers["strict-transport-security"] == "max-age=15724800; includeSubDomains"


def lower_keys(pairs: Iterable[Sequence[str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in pairs}


def no_proxy_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}


def test_python_http_client_snippet(sim):
    payload = seed_payload(COMPACT_TEMPLATE)
    conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)
    try:
        headers = {"Content-Length": ""}
        conn.request("POST", "/api/v2/queue/bargingCall", payload, headers)
        res = conn.getresponse()
        data = res.read()
    finally:
        conn.close()
    assert_seed_answer(res.status, lower_keys(res.getheaders()), data)
    (received,) = sim.received
    assert received.body == payload.encode()
    assert received.parsed == EXPECTED_PARSED
    assert received.content_type == ""


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_snippet(sim, tmp_path: Path):
    head, body = tmp_path / "head.txt", tmp_path / "body.bin"
    payload = seed_payload(PRETTY_TEMPLATE)
    command = ["curl", "--location", "-g", "--request", "POST", f"{sim.url}/queue/bargingCall", "--data-raw", payload]
    # Only where the answer goes is added, so headers and body can be read exactly.
    capture = ["--silent", "--show-error", "--max-time", "10", "--dump-header", str(head), "--output", str(body)]
    subprocess.run(command + capture, check=True, env=no_proxy_env(), timeout=20)
    status_line, *header_lines = head.read_text().strip().splitlines()
    headers = lower_keys(line.split(": ", 1) for line in header_lines)
    assert_seed_answer(int(status_line.split()[1]), headers, body.read_bytes())
    (received,) = sim.received
    assert received.content_type == "application/x-www-form-urlencoded"
    assert received.parsed == EXPECTED_PARSED


@pytest.mark.parametrize(
    ("content_type", "template"),
    [
        ("text/plain", PRETTY_TEMPLATE),
        (None, PRETTY_TEMPLATE),
        (None, COMPACT_TEMPLATE),
        ("application/json", PRETTY_TEMPLATE),
    ],
    ids=["text-plain", "no-type-pretty", "no-type-compact", "json"],
)
def test_httpx_with_the_snippets_content_types(sim, content_type, template):
    headers = {"Content-Type": content_type} if content_type else {}
    with httpx.Client(trust_env=False) as client:
        response = client.post(f"{sim.url}/queue/bargingCall", content=seed_payload(template), headers=headers)
    assert_seed_answer(response.status_code, lower_keys(response.headers.items()), response.content)
    (received,) = sim.received
    assert received.content_type == (content_type or "")
    assert received.parsed == EXPECTED_PARSED


def test_chunked_request_body(sim):
    payload = seed_payload(PRETTY_TEMPLATE).encode()
    with httpx.Client(trust_env=False) as client:
        response = client.post(f"{sim.url}/queue/bargingCall", content=iter([payload[:40], payload[40:]]))
    assert_seed_answer(response.status_code, lower_keys(response.headers.items()), response.content)
    assert sim.received[0].parsed == EXPECTED_PARSED


@pytest.mark.parametrize(
    "body",
    [seed_payload(COMPACT_TEMPLATE)[:-1], "", "ssid=x&callId=C-10023", "{'ssid': 'single quotes'}", "[1, 2]"],
    ids=["truncated", "empty", "form-encoded", "python-repr", "array"],
)
def test_malformed_json_gets_1047(sim, body):
    with httpx.Client(trust_env=False) as client:
        response = client.post(f"{sim.url}/queue/bargingCall", content=body)
    assert response.status_code == 200
    answer = json.loads(response.content)
    assert answer["status"] == "error"
    assert answer["code"] == 1047
