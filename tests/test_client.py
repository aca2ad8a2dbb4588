"""The HTTP client against the running simulator over loopback, and against faults the simulator cannot make."""

from __future__ import annotations

import json
import socket
import time
import traceback
from collections.abc import Callable

import httpx
import pytest
from helpers import DrippingStream, valid_request

from queuetui.api.client import MAX_BODY_BYTES, ClientSettings, DeepCallClient, UnsafeUrl, check_base_url
from queuetui.api.credentials import SessionAuth, TokenAuth, parse_credentials
from queuetui.api.errors import (
    CallFailed,
    Category,
    ConnectFailed,
    DeepCallError,
    HttpStatusError,
    ProtocolError,
    RequestTimeout,
)
from queuetui.api.models import BargeRequest, parse_request
from queuetui.sim import DEMO_SSID, DEMO_TOKEN
from queuetui.sim.scenario import RESTRICTED_SSID

SEED_FIELDS = {"callId", "snoopType", "targetEntityType", "targetEntityVal", "snooperNumber"}
WRONG_SSID = "expired-session-0f1e2d3c"
SECRETS = (DEMO_SSID, DEMO_TOKEN, RESTRICTED_SSID, WRONG_SSID)

MakeClient = Callable[..., DeepCallClient]


def barge_request(call_id: str = "C-10023", agent: str = "13", mode: str = "spy") -> BargeRequest:
    return valid_request(callId=call_id, snoopType=mode, targetEntityVal=agent)


@pytest.fixture
def make_client(request: pytest.FixtureRequest) -> MakeClient:
    """Clients built with short timeouts and closed after the test."""

    def build(base_url: str, transport: httpx.BaseTransport | None = None, **settings: float) -> DeepCallClient:
        client = DeepCallClient(ClientSettings(base_url=base_url, **{"read_timeout": 3.0, **settings}), transport)
        request.addfinalizer(client.close)
        return client

    return build


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def assert_no_secret(error: BaseException) -> None:
    shown = [str(error), repr(error), "".join(traceback.format_exception(error)), *map(str, error.args)]
    for secret in SECRETS:
        assert not any(secret in text for text in shown), f"secret leaked in {type(error).__name__}"


def call_fails(client: DeepCallClient, credentials: SessionAuth | TokenAuth, request: BargeRequest) -> CallFailed:
    with pytest.raises(CallFailed) as caught:
        client.barging_call(request, credentials)
    assert_no_secret(caught.value)
    return caught.value


def mock_client(make_client: MakeClient, handler: Callable[[httpx.Request], httpx.Response]) -> DeepCallClient:
    return make_client("https://deepcall.test/api/v2", transport=httpx.MockTransport(handler))


# --- documented outcomes over loopback ----------------------------------------------------------------


def test_success_with_session_auth(sim, make_client, session_auth):
    result = make_client(sim.url).barging_call(barge_request(), session_auth)
    assert result.status == 200
    assert result.text == "sucessfully BARGINGCall"
    (received,) = sim.received
    assert received.content_type == "application/json"
    assert received.parsed == {"ssid": DEMO_SSID, **barge_request().wire_fields()}


def test_success_with_token_auth_sends_no_ssid(sim, make_client, token_auth):
    result = make_client(sim.url).barging_call(barge_request(mode="whisper"), token_auth)
    assert result.text == "sucessfully BARGINGCall"
    (received,) = sim.received
    assert set(received.parsed) == SEED_FIELDS | {"userId", "token"}
    assert received.parsed["snoopType"] == "whisper"


def test_trailing_slash_in_base_url_is_harmless(sim, make_client, session_auth):
    make_client(sim.url + "/").barging_call(barge_request(), session_auth)
    assert sim.request_count == 1


@pytest.mark.parametrize(
    ("request_", "credentials", "code", "category", "field"),
    [
        (barge_request(call_id="C-99999"), parse_credentials(ssid=DEMO_SSID), 1012, Category.INPUT, "callId"),
        (barge_request("C-10066", "30"), parse_credentials(ssid=DEMO_SSID), 1501, Category.RETRYABLE, None),
        (barge_request(agent="99"), parse_credentials(ssid=DEMO_SSID), 1502, Category.INPUT, "targetEntityVal"),
        (barge_request(), parse_credentials(ssid=WRONG_SSID), 1014, Category.AUTH, None),
        (barge_request(), parse_credentials(user_id="demo", token="wrong-token-123"), 1014, Category.AUTH, None),
        (barge_request(), parse_credentials(ssid=RESTRICTED_SSID), 1015, Category.PERMISSION, None),
    ],
    ids=["unknown-call", "still-processing", "bad-target", "bad-ssid", "bad-token", "restricted"],
)
def test_documented_api_errors(sim, make_client, request_, credentials, code, category, field):
    error = call_fails(make_client(sim.url), credentials, request_)
    assert isinstance(error, DeepCallError)
    assert error.code == code
    assert error.http_status == 200
    assert error.info.category is category
    assert error.field == field
    assert f"(code {code})" in error.message
    assert sim.request_count == 1  # the client itself never retries


def test_target_type_the_server_rejects_points_at_the_field(sim, make_client, session_auth):
    request = parse_request({**barge_request().wire_fields(), "targetEntityType": "queue"})
    error = call_fails(make_client(sim.url), session_auth, request)
    assert isinstance(error, DeepCallError)
    assert (error.code, error.field) == (1502, "targetEntityType")


class _BothSets:
    """Credentials that break the one-set rule, which the models never build: the server's answer is what
    is tested."""

    kind = "session"

    def wire(self) -> dict[str, str]:
        return {"ssid": DEMO_SSID, "userId": "demo", "token": DEMO_TOKEN}


def test_both_credential_sets_are_refused_by_the_server(sim, make_client):
    error = call_fails(make_client(sim.url), _BothSets(), barge_request())
    assert isinstance(error, DeepCallError)
    assert error.code == 1000
    assert "not both" in error.server_message


# --- faults -------------------------------------------------------------------------------------------


def test_timeout(sim, make_client, session_auth):
    sim.faults.latency_s = 0.6
    started = time.monotonic()
    error = call_fails(make_client(sim.url, read_timeout=0.1), session_auth, barge_request())
    assert isinstance(error, RequestTimeout)
    assert "timed out" in error.message
    assert time.monotonic() - started < 0.5


def test_a_client_for_this_machine_opens_its_pool_at_the_first_request(sim, make_client, session_auth):
    # Nothing from the environment applies to this machine, so nothing is checked by building it early: the demo
    # is usable before the HTTP modules behind the pool have loaded.
    client = make_client(sim.url)
    assert client._pool is None
    assert client.barging_call(barge_request(), session_auth).status == 200
    assert client._pool is not None


def test_a_client_for_another_host_opens_its_pool_at_once(make_client):
    # Its proxy settings come from the environment: read at sign-in, where a bad one refuses the session.
    assert make_client("https://deepcall.test/api/v2")._pool is not None


@pytest.mark.parametrize("used", [False, True], ids=["never-used", "used"])
def test_a_closed_client_sends_nothing(sim, make_client, session_auth, used):
    client = make_client(sim.url)
    if used:
        client.barging_call(barge_request(), session_auth)
    sent = sim.request_count
    client.close()
    error = call_fails(client, session_auth, barge_request())
    assert isinstance(error, ProtocolError)
    assert "the session was closed" in str(error)
    assert sim.request_count == sent
    assert client._pool is None or client._pool.is_closed


def test_connection_refused(make_client, session_auth, closed_port):
    error = call_fails(make_client(f"http://127.0.0.1:{closed_port}/api/v2"), session_auth, barge_request())
    assert isinstance(error, ConnectFailed)
    assert error.host == f"127.0.0.1:{closed_port}"
    assert "connection refused" in error.message


def test_unresolvable_host(make_client, session_auth):
    error = call_fails(
        make_client("https://deepcall.invalid/api/v2", connect_timeout=2.0), session_auth, barge_request()
    )
    assert isinstance(error, ConnectFailed)
    assert "deepcall.invalid" in error.message
    assert "could not be resolved" in error.message


def test_proxy_html_502(sim, make_client, session_auth):
    sim.faults.html_502 = True
    error = call_fails(make_client(sim.url), session_auth, barge_request())
    assert isinstance(error, HttpStatusError)
    assert error.status == 502
    assert "HTML page" in error.message


def test_json_error_with_http_500(sim, make_client, session_auth):
    sim.faults.error_status = 500
    error = call_fails(make_client(sim.url), session_auth, barge_request(call_id="C-99999"))
    assert isinstance(error, DeepCallError)
    assert (error.code, error.http_status) == (1012, 500)


def test_oversize_body_is_refused_from_its_declared_length(sim, make_client, session_auth):
    sim.faults.oversize_bytes = MAX_BODY_BYTES + 1
    error = call_fails(make_client(sim.url), session_auth, barge_request())
    assert isinstance(error, ProtocolError)
    assert "limit 1 MiB" in error.message


def test_dropped_connection(sim, make_client, session_auth):
    sim.faults.drop = True
    error = call_fails(make_client(sim.url), session_auth, barge_request())
    assert isinstance(error, ProtocolError)
    assert "dropped" in error.message
    assert sim.request_count == 1


@pytest.mark.parametrize(
    ("body", "fragment"),
    [(b"", "empty body"), (b"\x00\xff\xfe garbage \x80", "not UTF-8"), (b"<html>Log in to Wi-Fi</html>", "HTML")],
)
def test_unusable_success_bodies(make_client, session_auth, body, fragment):
    client = mock_client(make_client, lambda request: httpx.Response(200, content=body))
    error = call_fails(client, session_auth, barge_request())
    assert isinstance(error, ProtocolError)
    assert fragment in error.message


def test_oversize_body_without_a_declared_length_is_cut(make_client, session_auth):
    # 64 KiB chunks with no Content-Length: only the running count can stop it.
    client = mock_client(make_client, lambda request: httpx.Response(200, stream=DrippingStream(1000, 64 * 1024)))
    error = call_fails(client, session_auth, barge_request())
    assert isinstance(error, ProtocolError)
    assert "more than 1 MiB" in error.message


def test_dripping_body_hits_the_total_timeout(make_client, session_auth):
    client = make_client(
        "https://deepcall.test/api/v2",
        transport=httpx.MockTransport(lambda request: httpx.Response(200, stream=DrippingStream(50, 1, pause_s=0.02))),
        total_timeout=0.1,
    )
    error = call_fails(client, session_auth, barge_request())
    assert isinstance(error, RequestTimeout)
    assert "longer than 0.1 s" in error.message


def test_redirect_is_not_followed(make_client, session_auth):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(307, headers={"Location": "https://elsewhere.test/steal"})

    error = call_fails(mock_client(make_client, handler), session_auth, barge_request())
    assert isinstance(error, ProtocolError)
    assert "redirect" in error.message
    assert [str(r.url) for r in seen] == ["https://deepcall.test/api/v2/queue/bargingCall"]


def test_request_wire_format(make_client, token_auth):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text="sucessfully BARGINGCall")

    mock_client(make_client, handler).barging_call(barge_request(), token_auth)
    (request,) = seen
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["user-agent"].startswith("queuetui/")
    assert set(json.loads(request.content)) == SEED_FIELDS | {"userId", "token"}


def test_secret_is_absent_from_every_failure_of_token_auth(sim, make_client, token_auth):
    sim.faults.error_status = 500
    for fault in ("html_502", "drop"):
        setattr(sim.faults, fault, True)
        call_fails(make_client(sim.url), token_auth, barge_request(call_id="C-99999"))
        setattr(sim.faults, fault, False)


# --- base URL policy ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://v4-api.deepcall.com/api/v2", "https://"),
        ("http://10.0.0.8:8080/api/v2", "https://"),
        ("http://127.0.0.1.nip.io/api/v2", "https://"),
        ("https://user:hunter2@v4-api.deepcall.com/api/v2", "user name or password"),
        ("https://user@v4-api.deepcall.com/api/v2", "user name or password"),
        ("http://admin:hunter2@127.0.0.1/api/v2", "user name or password"),
        ("https://v4-api.deepcall.com/api/v2?ssid=abc", "query or fragment"),
        ("https://v4-api.deepcall.com/api/v2#x", "query or fragment"),
        ("ftp://v4-api.deepcall.com/api/v2", "https://host"),
        ("file:///etc/passwd", "https://host"),
        ("v4-api.deepcall.com/api/v2", "https://host"),
        ("https:///api/v2", "https://host"),
        ("", "https://host"),
        # Host names that urlsplit lets through and httpx would refuse only when sending.
        ("https://1.2.3.256/api/v2", "not a valid name or address: 1.2.3.256"),
        ("https://xn--bad-.deepcall.com/api/v2", "not a valid name or address: xn--bad-.deepcall.com"),
        # On this machine httpx is not loaded to check it; the length is checked for every host.
        pytest.param(
            "http://127.0.0.1:8765/" + "a" * 65_600 + "/api/v2", "at most 2048 characters", id="64KiB-on-loopback"
        ),
    ],
)
def test_unsafe_base_urls_are_refused(url, reason):
    with pytest.raises(UnsafeUrl) as caught:
        check_base_url(url)
    assert reason in str(caught.value)
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://v4-api.deepcall.com/api/v2/", "https://v4-api.deepcall.com/api/v2"),
        ("  http://127.0.0.1:8765/api/v2  ", "http://127.0.0.1:8765/api/v2"),
        ("http://127.8.9.10/api/v2", "http://127.8.9.10/api/v2"),
        ("http://[::1]:8765/api/v2", "http://[::1]:8765/api/v2"),
        ("http://localhost:8765/api/v2", "http://localhost:8765/api/v2"),
    ],
)
def test_safe_base_urls_are_kept(url, kept):
    assert check_base_url(url) == kept


def test_insecure_http_only_when_the_profile_allows_it():
    assert check_base_url("http://pbx.lan/api/v2", allow_insecure_http=True) == "http://pbx.lan/api/v2"
    with pytest.raises(UnsafeUrl):
        DeepCallClient(ClientSettings(base_url="http://pbx.lan/api/v2"))


def test_a_url_httpx_will_not_send_is_a_clear_failure_not_a_crash(make_client, session_auth):
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.InvalidURL("URL too long")

    client = make_client("https://deepcall.test/api/v2", transport=httpx.MockTransport(refuse))
    with pytest.raises(ProtocolError) as failed:
        client.barging_call(barge_request(), session_auth)
    assert "cannot be sent (InvalidURL)" in str(failed.value)
