from queuetui.api.models import SnoopType, parse_request
from queuetui.service import OutcomeKind


def test_spy_round_trip(service, sim):
    request = parse_request(
        {"callId": "C-10023", "snoopType": "spy", "targetEntityType": "agent", "targetEntityVal": "13",
         "snooperNumber": "9876543210"}
    )
    outcome = service.send(request)
    assert outcome.kind is OutcomeKind.OK, outcome.message
    assert outcome.server_text == "sucessfully BARGINGCall"
    assert sim.request_count == 1
    assert sim.received[0].parsed["snoopType"] == SnoopType.SPY.value
