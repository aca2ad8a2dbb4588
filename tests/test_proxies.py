"""Proxy settings from the environment: used for DeepCall, never for this machine, and a clear refusal when
they cannot be used."""

from __future__ import annotations

import pytest

from queuetui.api.client import BadProxy, ClientSettings, DeepCallClient
from queuetui.api.models import parse_request

REQUEST = parse_request(
    {
        "callId": "C-10023",
        "snoopType": "spy",
        "targetEntityType": "agent",
        "targetEntityVal": "13",
        "snooperNumber": "9876543210",
    }
)


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "ALL_PROXY", "http_proxy"])
def test_a_proxy_is_never_used_for_this_machine(sim, session_auth, monkeypatch, variable):
    monkeypatch.setenv(variable, "http://127.0.0.1:9")  # a proxy that refuses every connection
    with DeepCallClient(ClientSettings(base_url=sim.url)) as client:
        assert client.barging_call(REQUEST, session_auth).text == "sucessfully BARGINGCall"
    assert sim.request_count == 1


def test_an_unusable_proxy_is_refused_before_anything_is_sent(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "socks5://127.0.0.1:1080")  # needs an extra package queuetui lacks
    with pytest.raises(BadProxy) as refused:
        DeepCallClient(ClientSettings(base_url="https://deepcall.example/api/v2"))
    assert refused.value.label == "Proxy"
    assert "proxy settings" in str(refused.value)
