"""The service's guards hold when many threads press at once: one request per call in flight, bounded 1501
retries, and a rate limit that lets exactly its quota through."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from helpers import outcome_records, valid_request

from queuetui.api.models import BargeRequest
from queuetui.core.service import BargeService, Outcome, OutcomeKind, RateGuard


def request_for(call_id: str) -> BargeRequest:
    return valid_request(callId=call_id)


def all_at_once(service: BargeService, requests: list[BargeRequest]) -> list[Outcome]:
    """Send every request from its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(requests))

    def send(request: BargeRequest) -> Outcome:
        barrier.wait(timeout=10)
        return service.send(request)

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(send, requests))


def test_fifty_triggers_for_one_call_send_one_request(service, sim, audit_path):
    sim.faults.latency_s = 0.5  # the first request is still in flight when the other 49 arrive
    outcomes = all_at_once(service, [request_for("C-10023")] * 50)
    kinds = Counter(outcome.kind for outcome in outcomes)
    assert kinds == {OutcomeKind.OK: 1, OutcomeKind.REFUSED: 49}
    assert sim.request_count == 1
    for outcome in outcomes:
        if outcome.kind is OutcomeKind.REFUSED:
            assert outcome.message == "A request for call C-10023 is already in flight; not sent again"
            assert not outcome.sent
    records = outcome_records(audit_path)
    assert Counter(record["outcome"] for record in records) == {"ok": 1, "refused": 49}


def test_1501_retries_stay_bounded_for_many_calls_at_once(service_at, sim, live_calls):
    calls = live_calls[:40]
    sim.faults.fail_next = 1_000_000  # every answer is "still processing"
    started = time.monotonic()
    outcomes = all_at_once(service_at(sim.url), [request_for(call) for call in calls])
    elapsed = time.monotonic() - started
    max_attempts = 3
    assert sim.request_count == len(calls) * max_attempts  # exactly: not one extra try under contention
    for outcome in outcomes:
        assert outcome.kind is OutcomeKind.API_ERROR
        assert outcome.code == 1501
        assert outcome.attempts == max_attempts
        assert f"Gave up after {max_attempts} tries" in outcome.message
    assert elapsed < 5.0


def test_1501_retries_mixed_with_successes(service_at, sim, live_calls):
    calls = live_calls[:40]
    busy_answers = 50  # fewer than 2 per call: most calls get through on a retry, some may exhaust theirs
    sim.faults.fail_next = busy_answers
    outcomes = all_at_once(service_at(sim.url), [request_for(call) for call in calls])
    assert sim.faults.fail_next == 0
    ok = [outcome for outcome in outcomes if outcome.ok]
    gave_up = [outcome for outcome in outcomes if not outcome.ok]
    assert all(outcome.code == 1501 and outcome.attempts == 3 for outcome in gave_up)
    assert all(1 <= outcome.attempts <= 3 for outcome in ok)
    # Every request the simulator saw is accounted for by one attempt, and every 1501 by one request.
    assert sim.request_count == sum(outcome.attempts for outcome in outcomes)
    assert sim.request_count == len(ok) + busy_answers


def test_rate_guard_holds_under_a_burst_from_many_threads(service_at, sim, live_calls, audit_path):
    service = service_at(sim.url, rate=RateGuard(max_actions=20, window_s=60.0))
    outcomes = all_at_once(service, [request_for(call) for call in live_calls[:100]])
    assert sim.request_count == 20
    by_kind: dict[OutcomeKind, list[Outcome]] = {}
    for outcome in outcomes:
        by_kind.setdefault(outcome.kind, []).append(outcome)
    assert {kind: len(items) for kind, items in by_kind.items()} == {OutcomeKind.OK: 20, OutcomeKind.REFUSED: 80}
    for refused in by_kind[OutcomeKind.REFUSED]:
        assert refused.message.startswith("Too many requests: try again in ")
        assert refused.message.endswith(" s (client-side limit)")
        assert not refused.sent
    sent_calls = {outcome.request.call_id for outcome in by_kind[OutcomeKind.OK] if outcome.request}
    assert {received.parsed["callId"] for received in sim.received} == sent_calls
    assert Counter(record["outcome"] for record in outcome_records(audit_path)) == {"ok": 20, "refused": 80}
