"""A server that echoes the credentials back in its error never gets them shown, logged or audited."""

from __future__ import annotations

from queuetui.api.models import parse_request
from queuetui.core.service import OutcomeKind
from queuetui.sim import DEMO_SSID


def test_a_secret_echoed_by_the_server_is_masked_everywhere(service, sim, audit_path):
    sim.faults.error_message = f"session {DEMO_SSID} is not allowed here"
    outcome = service.send(
        parse_request(
            {
                "callId": "C-10023",
                "snoopType": "spy",
                "targetEntityType": "agent",
                "targetEntityVal": "13",
                "snooperNumber": "9876543210",
            }
        )
    )
    assert outcome.kind is OutcomeKind.API_ERROR
    assert "is not allowed here" in outcome.message
    assert DEMO_SSID not in outcome.message
    assert DEMO_SSID[-4:] in outcome.message  # masked, not dropped: the user can still tell which
    assert DEMO_SSID not in audit_path.read_text()
