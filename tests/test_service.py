"""The shared service: retries of 1501, the guards that keep a request from being sent, and the audit."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from helpers import VALID_FIELDS, attempt_records, outcome_records

from queuetui.api.client import ClientSettings, DeepCallClient
from queuetui.api.credentials import parse_credentials
from queuetui.api.errors import Category
from queuetui.api.models import BargeRequest, parse_request
from queuetui.api.modes import SnoopType
from queuetui.core.audit.access import AuditWriteError
from queuetui.core.audit.log import AuditLog, read_audit
from queuetui.core.service import BargeService, OutcomeKind, RateGuard, RetryNotice, RetryPolicy
from queuetui.sim import DEMO_SSID, DEMO_TOKEN, DEMO_USER_ID

AGENTS = {"C-10023": "13", "C-10017": "7", "C-10031": "21", "C-10042": "4", "C-10050": "9", "C-10066": "30"}
AUDIT_FIELDS = {
    "time", "profile", "host", "auth", "identity", "call_id", "mode", "target", "snooper",
    "outcome", "code", "latency_ms", "attempts", "retries",
}  # fmt: skip


def fields_for(call_id: str = "C-10023", mode: str = "spy", **changes: str) -> dict[str, str]:
    return {
        **VALID_FIELDS,
        "callId": call_id,
        "snoopType": mode,
        "targetEntityVal": AGENTS.get(call_id, "13"),
        **changes,
    }


def request_for(call_id: str = "C-10023", mode: str = "spy") -> BargeRequest:
    return parse_request(fields_for(call_id, mode))


MakeService = Callable[..., BargeService]


@pytest.fixture
def make_service(request, sim, session_auth, audit_path) -> MakeService:
    """Services on the simulator with their own policies, closed after the test."""

    def build(credentials=session_auth, **options: object) -> BargeService:
        client = DeepCallClient(ClientSettings(base_url=sim.url, read_timeout=5.0))
        options = {"audit": AuditLog(audit_path), "rng": random.Random(3), **options}
        svc = BargeService(client, credentials, profile="test", **options)
        request.addfinalizer(svc.close)
        return svc

    return build


# --- success and failure outcomes ---------------------------------------------------------------------


def test_an_audit_that_cannot_be_written_sends_nothing_and_says_so(make_service, sim, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")  # the audit's folder is a file: every write fails with an OSError
    outcome = make_service(audit=AuditLog(blocker / "audit.jsonl")).send(request_for())
    assert outcome.kind is OutcomeKind.UNRECORDED
    assert sim.request_count == 0
    assert outcome.message.startswith(f"Not sent: the audit trail cannot be written ({blocker / 'audit.jsonl'}: ")


def test_an_outcome_that_cannot_be_written_is_said_and_the_answer_still_arrives(make_service, sim, audit_path):
    svc = make_service()
    audit = svc.audit
    assert audit is not None
    real_append = audit.append

    def attempt_only(record):  # the disk fills between the attempt record and the outcome's
        if record.get("event") == "outcome":
            raise AuditWriteError(audit.path, "No space left on device")
        return real_append(record)

    audit.append = attempt_only  # type: ignore[method-assign]
    outcome = svc.send(request_for())
    assert outcome.kind is OutcomeKind.OK
    assert sim.request_count == 1
    assert outcome.audit_problem == f"{audit_path}: No space left on device"
    (attempt,) = attempt_records(audit_path)
    assert outcome_records(audit_path) == []
    assert attempt["call_id"] == "C-10023"


def test_the_attempt_is_in_the_file_before_the_request_leaves(make_service, sim, audit_path):
    svc = make_service()
    seen_when_sent: list[list[dict[str, object]]] = []
    real_send = svc.client.barging_call

    def send(request, credentials):
        seen_when_sent.append(attempt_records(audit_path))
        return real_send(request, credentials)

    svc.client.barging_call = send  # type: ignore[method-assign]
    assert svc.send(request_for()).ok
    [[attempt]] = seen_when_sent
    (outcome,) = outcome_records(audit_path)
    assert (attempt["event"], attempt["call_id"], attempt["mode"]) == ("attempt", "C-10023", "spy")
    assert "outcome" not in attempt
    assert (outcome["event"], outcome["attempt"], outcome["outcome"]) == ("outcome", attempt["attempt"], "ok")


def test_an_interrupt_while_waiting_records_interrupted_and_goes_on(make_service, sim, audit_path):
    svc = make_service()
    real_send = svc.client.barging_call

    def send_then_ctrl_c(request, credentials):
        real_send(request, credentials)
        raise KeyboardInterrupt

    svc.client.barging_call = send_then_ctrl_c  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        svc.send(request_for())
    (attempt,) = attempt_records(audit_path)
    (outcome,) = outcome_records(audit_path)
    assert (outcome["outcome"], outcome["attempt"]) == ("interrupted", attempt["attempt"])
    assert outcome["message"].startswith("Interrupted (Ctrl+C) before DeepCall answered")
    assert svc.in_flight == frozenset()


def test_success_outcome(service, sim):
    outcome = service.send(request_for())
    assert outcome.kind is OutcomeKind.OK
    assert outcome.server_text == "sucessfully BARGINGCall"
    assert (outcome.attempts, outcome.retries) == (1, 0)
    assert outcome.latency_ms > 0
    assert "nobody hears you" in outcome.message
    assert sim.request_count == 1
    assert sim.received[0].parsed["snoopType"] == "spy"


def test_api_error_outcome_carries_code_field_and_action(service):
    outcome = service.send(request_for("C-99999"))
    assert outcome.kind is OutcomeKind.API_ERROR
    assert (outcome.code, outcome.field, outcome.category) == (1012, "callId", Category.INPUT)
    assert outcome.message == "C-99999 is not a live call (it may have ended): check the call id"
    # DeepCall's own words and code are kept, for the log and the audit record.
    assert outcome.server_text.endswith("(code 1012)") and outcome.server_text != outcome.message


def test_a_wrong_agent_is_told_in_floor_words_and_the_record_keeps_deepcalls(service, audit_path):
    wrong_agent = service.send(parse_request(fields_for("C-10023", targetEntityVal="14")))
    assert wrong_agent.message == "Agent 14 is not on C-10023: check the target agent"
    deepcall_said = "Invalid filter value: targetEntityVal does not match the agent on C-10023 (code 1502)"
    assert wrong_agent.server_text == deepcall_said
    (record,) = outcome_records(audit_path)
    assert (record["message"], record["server_text"], record["code"]) == (
        wrong_agent.message,
        wrong_agent.server_text,
        1502,
    )


def test_auth_error_is_not_retried(make_service, sim):
    svc = make_service(credentials=parse_credentials(ssid="expired-session-0000"), retry=RetryPolicy(max_attempts=5))
    outcome = svc.send(request_for())
    assert (outcome.code, outcome.category, outcome.attempts) == (1014, Category.AUTH, 1)
    assert sim.request_count == 1


def test_network_error_is_not_retried(session_auth):
    tries: list[httpx.Request] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        tries.append(request)
        raise httpx.ConnectError("connection refused", request=request)

    client = DeepCallClient(ClientSettings(base_url="https://deepcall.test/api/v2"), httpx.MockTransport(refuse))
    svc = BargeService(client, session_auth, retry=RetryPolicy(max_attempts=5, base_delay_s=0.01))
    try:
        outcome = svc.send(request_for())
    finally:
        svc.close()
    assert outcome.kind is OutcomeKind.NETWORK_ERROR
    assert outcome.attempts == 1
    assert len(tries) == 1


def test_protocol_error_outcome(service, sim):
    sim.faults.html_502 = True
    outcome = service.send(request_for())
    assert outcome.kind is OutcomeKind.PROTOCOL_ERROR
    assert outcome.category is Category.SERVER
    assert outcome.attempts == 1


# --- 1501 retries -------------------------------------------------------------------------------------


def test_1501_is_retried_until_the_call_accepts(service, sim):
    notices: list[RetryNotice] = []
    outcome = service.send(request_for("C-10050"), on_retry=notices.append)
    assert outcome.kind is OutcomeKind.OK
    assert (outcome.attempts, outcome.retries) == (3, 2)
    assert sim.request_count == 3
    assert [n.attempt for n in notices] == [2, 3]
    assert all(n.max_attempts == 3 and n.request.call_id == "C-10050" for n in notices)


@pytest.mark.parametrize("max_attempts", [1, 3, 5])
def test_1501_retries_are_bounded_by_max_attempts(make_service, sim, max_attempts):
    policy = RetryPolicy(max_attempts=max_attempts, base_delay_s=0.005, max_delay_s=0.02, budget_s=5.0)
    outcome = make_service(retry=policy).send(request_for("C-10066"))
    assert outcome.kind is OutcomeKind.API_ERROR
    assert outcome.code == 1501
    assert outcome.attempts == max_attempts
    assert sim.request_count == max_attempts
    tries = "1 try" if max_attempts == 1 else f"{max_attempts} tries"
    assert f"Gave up after {tries}:" in outcome.message


def test_1501_retries_are_bounded_by_the_wait_budget(make_service, sim):
    policy = RetryPolicy(max_attempts=50, base_delay_s=0.05, max_delay_s=0.05, budget_s=0.12)
    outcome = make_service(retry=policy).send(request_for("C-10066"))
    # Each wait is 0.05 to 0.075 s and a retry starts only while under 0.12 s was waited: 3 or 4 tries, not 50.
    assert 3 <= sim.request_count <= 4
    assert outcome.attempts == sim.request_count


def test_backoff_delays_grow_with_jitter_inside_bounds():
    policy = RetryPolicy(base_delay_s=0.5, max_delay_s=4.0)
    rng = random.Random(1234)
    delays = [policy.delay(n, rng) for n in range(1, 7)]
    for n, delay in enumerate(delays, start=1):
        backoff = min(4.0, 0.5 * 2 ** (n - 1))
        assert backoff <= delay <= min(4.0, backoff * 1.5)
    assert delays[0] < delays[1] < delays[2] < delays[3]
    assert max(delays) == 4.0  # the cap holds, jitter included


def test_jitter_differs_between_consoles():
    policy = RetryPolicy()
    assert policy.delay(2, random.Random(1)) != policy.delay(2, random.Random(2))


def test_service_waits_the_growing_delays(make_service, sim):
    notices: list[RetryNotice] = []
    policy = RetryPolicy(max_attempts=4, base_delay_s=0.02, max_delay_s=1.0, budget_s=5.0)
    started = time.monotonic()
    make_service(retry=policy).send(request_for("C-10066"), on_retry=notices.append)
    elapsed = time.monotonic() - started
    delays = [n.delay_s for n in notices]
    assert len(delays) == 3
    assert delays[0] < delays[1] < delays[2]
    assert elapsed >= sum(delays)


def test_cancel_stops_a_waiting_retry(make_service, sim):
    cancel = threading.Event()
    policy = RetryPolicy(max_attempts=3, base_delay_s=5.0, max_delay_s=5.0, budget_s=60.0)
    threading.Timer(0.1, cancel.set).start()
    started = time.monotonic()
    outcome = make_service(retry=policy).send(request_for("C-10066"), cancel=cancel)
    assert time.monotonic() - started < 2.0
    assert sim.request_count == 1
    assert outcome.code == 1501
    assert "retry cancelled" in outcome.message


def test_cancel_set_before_the_first_retry(service, sim):
    cancel = threading.Event()
    outcome = service.send(request_for("C-10066"), on_retry=lambda notice: cancel.set(), cancel=cancel)
    assert sim.request_count == 1
    assert outcome.attempts == 1
    assert "retry cancelled" in outcome.message


# --- guards -------------------------------------------------------------------------------------------


def run_together(count: int, action: Callable[[int], object]) -> list[object]:
    """Run `action(i)` in `count` threads released at the same moment; results in thread order."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def worker(index: int) -> None:
        barrier.wait()
        results[index] = action(index)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    return results


def test_same_call_at_once_goes_out_only_once(service, sim):
    sim.faults.latency_s = 0.3
    outcomes = run_together(10, lambda i: service.send(request_for("C-10023")))
    kinds = [o.kind for o in outcomes]
    assert kinds.count(OutcomeKind.OK) == 1
    assert kinds.count(OutcomeKind.REFUSED) == 9
    assert sim.request_count == 1
    refused = next(o for o in outcomes if o.kind is OutcomeKind.REFUSED)
    assert "already in flight" in refused.message
    assert not refused.sent


def test_another_mode_on_a_call_in_flight_is_refused_as_a_switch_not_a_repeat(service, sim):
    sim.faults.latency_s = 0.3
    outcomes = run_together(2, lambda i: service.send(request_for("C-10023", mode=("spy", "whisper")[i])))
    refused = [o for o in outcomes if o.kind is OutcomeKind.REFUSED]
    assert sim.request_count == 1 and len(refused) == 1
    sent_mode, other = ("SPY", "WHISPER") if outcomes[1] is refused[0] else ("WHISPER", "SPY")
    assert refused[0].message == (
        f"{other} on call C-10023 not sent: {sent_mode} on it is still on its way; send it again once that is answered"
    )


def test_same_call_may_go_again_once_the_first_is_done(service, sim):
    assert service.send(request_for()).ok
    assert service.send(request_for(mode="whisper")).ok
    assert sim.request_count == 2


def test_different_calls_in_parallel_all_go_through(service, sim):
    sim.faults.latency_s = 0.2
    calls = ["C-10023", "C-10017", "C-10031", "C-10042"]
    outcomes = run_together(len(calls), lambda i: service.send(request_for(calls[i])))
    assert all(o.ok for o in outcomes), [o.message for o in outcomes]
    assert sorted(r.parsed["callId"] for r in sim.received) == sorted(calls)


def test_rate_guard_refuses_past_its_limit(make_service, sim):
    svc = make_service(rate=RateGuard(max_actions=2, window_s=60.0))
    results = [svc.send(request_for(call)) for call in ("C-10023", "C-10017", "C-10031")]
    assert [r.kind for r in results] == [OutcomeKind.OK, OutcomeKind.OK, OutcomeKind.REFUSED]
    assert "Too many requests" in results[2].message
    assert sim.request_count == 2


def test_rate_guard_window_slides():
    guard = RateGuard(max_actions=2, window_s=10.0)
    assert guard.try_take(100.0) == 0
    assert guard.try_take(101.0) == 0
    assert guard.try_take(105.0) == pytest.approx(5.0)
    assert guard.try_take(110.0) == 0  # the first has left the window
    assert guard.try_take(110.5) == pytest.approx(0.5)


def test_disallowed_mode_sends_nothing(make_service, sim, audit_path):
    svc = make_service(allowed_modes=frozenset({SnoopType.SPY}))
    outcome = svc.send(request_for(mode="barge"))
    assert outcome.kind is OutcomeKind.REFUSED
    assert outcome.field == "snoopType"
    assert "allowed: spy" in outcome.message
    assert sim.request_count == 0
    (record,) = read_audit(audit_path).records  # a refusal has no attempt record: nothing was about to leave
    assert (record["outcome"], record["attempts"]) == ("refused", 0)


def test_refusals_do_not_use_up_the_rate_limit(make_service, sim):
    svc = make_service(rate=RateGuard(max_actions=1), allowed_modes=frozenset({SnoopType.SPY}))
    svc.send(request_for(mode="barge"))
    assert svc.send(request_for()).ok


# --- audit --------------------------------------------------------------------------------------------


def test_one_audit_record_per_action_with_every_field(make_service, sim, audit_path):
    svc = make_service(retry=RetryPolicy(max_attempts=3, base_delay_s=0.005), allowed_modes=frozenset({SnoopType.SPY}))
    svc.send(request_for("C-10050"))
    svc.send(request_for("C-99999"))
    svc.send(request_for(mode="barge"))
    contents = read_audit(audit_path)
    assert contents.bad_lines == []
    records = outcome_records(audit_path)
    assert len(records) == 3
    assert len(attempt_records(audit_path)) == 2  # the refusal sent nothing
    for record in records:
        assert set(record) >= AUDIT_FIELDS
        assert record["profile"] == "test"
        assert record["host"] == svc.host
        assert record["auth"] == "session"
        assert record["snooper"] == "9876543210"
    ok, error, refused = records
    assert (ok["call_id"], ok["outcome"], ok["attempts"], ok["retries"], ok["code"]) == ("C-10050", "ok", 3, 2, None)
    assert (error["outcome"], error["code"], error["mode"], error["target"]) == ("api_error", 1012, "spy", "13")
    assert (refused["outcome"], refused["mode"]) == ("refused", "barge")
    assert ok["identity"] == "ssid ••••" + DEMO_SSID[-4:]


@pytest.mark.parametrize(
    ("credentials", "secret"),
    [
        (parse_credentials(ssid=DEMO_SSID), DEMO_SSID),
        (parse_credentials(user_id=DEMO_USER_ID, token=DEMO_TOKEN), DEMO_TOKEN),
    ],
)
def test_audit_never_holds_the_secret(make_service, sim, audit_path: Path, credentials, secret):
    svc = make_service(credentials=credentials, retry=RetryPolicy(max_attempts=2, base_delay_s=0.005))
    svc.send(request_for())
    svc.send(request_for("C-10066"))
    sim.faults.html_502 = True
    svc.send(request_for("C-10017"))
    raw = audit_path.read_bytes()
    assert len(outcome_records(audit_path)) == 3
    assert secret.encode() not in raw
