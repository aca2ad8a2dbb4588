"""The core Session built the way every front end builds it, with its seams filled by the test: a fake DeepCall
(httpx.MockTransport) instead of the network and a clock the test moves by hand. Nothing is patched: what the
session sends, records and remembers as live is read from the fake server, the audit file and `session.monitoring`."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import certifi
import httpx
import pytest
from helpers import FAST_RETRY, FIXED_NOW, VALID_FIELDS

from queuetui.api.credentials import parse_credentials
from queuetui.api.fields import FieldErrors
from queuetui.api.modes import SnoopType
from queuetui.core.audit.log import read_audit
from queuetui.core.barge_check import Confirmed
from queuetui.core.config.settings import Profile
from queuetui.core.monitoring import Change
from queuetui.core.outcome import OutcomeKind, RetryNotice
from queuetui.core.session import Seams, Session, SessionRefused
from queuetui.sim import DEMO_SSID

BASE_URL = "https://deepcall.test/api/v2"  # never resolved: every request ends in the fake transport
SUCCESS = "sucessfully BARGINGCall"
AGENTS = {"C-10023": "13", "C-10017": "7"}


class Clock:
    """The session's clock, moved by the test."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


class FakeDeepCall:
    """Answers bargingCall as DeepCall does: success text for a live call and its agent, an error object
    otherwise; `busy[call_id]` answers 1501 that many times first. Every request is kept."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.busy: dict[str, int] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        body = json.loads(request.content)
        call = body.get("callId")
        if self.busy.get(call, 0) > 0:
            self.busy[call] -= 1
            return self.error(1501, "Data already in processing")
        if AGENTS.get(call) != body.get("targetEntityVal"):
            return self.error(1502, "Invalid value")
        return httpx.Response(200, text=SUCCESS, headers={"Content-Type": "text/html"})

    @staticmethod
    def error(code: int, message: str) -> httpx.Response:
        return httpx.Response(200, json={"status": "error", "message": message, "code": code})

    @property
    def bodies(self) -> list[dict[str, object]]:
        return [json.loads(request.content) for request in self.requests]


OpenSession = Callable[..., Session]


@pytest.fixture
def server() -> FakeDeepCall:
    return FakeDeepCall()


@pytest.fixture
def clock() -> Clock:
    return Clock(FIXED_NOW)


@pytest.fixture
def open_session(request, server: FakeDeepCall, clock: Clock, audit_path: Path) -> OpenSession:
    """Sessions on the fake server and the test's clock, closed after the test; keyword arguments are profile
    fields."""

    def make(**profile: object) -> Session:
        seams = Seams(transport=httpx.MockTransport(server), clock=clock, retry=FAST_RETRY, rng=random.Random(5))
        session = Session.open(
            "main",
            Profile(**{"base_url": BASE_URL, **profile}),
            parse_credentials(ssid=DEMO_SSID),
            audit_path,
            seams=seams,
        )
        request.addfinalizer(session.close)
        return session

    return make


def fields(call_id: str = "C-10023", mode: str = "spy") -> dict[str, str]:
    return {**VALID_FIELDS, "callId": call_id, "snoopType": mode, "targetEntityVal": AGENTS.get(call_id, "99")}


def test_the_form_as_prepared_is_what_reaches_the_server(open_session, server):
    session = open_session()
    outcome = session.act(session.prepare(fields()))
    assert outcome.ok, outcome.message
    assert outcome.server_text == SUCCESS
    [sent] = server.requests
    assert (sent.method, sent.url.path) == ("POST", "/api/v2/queue/bargingCall")
    assert server.bodies == [{**fields(), "ssid": DEMO_SSID}]


def test_the_audit_record_carries_the_sessions_clock(open_session, clock, audit_path):
    session = open_session()
    clock.advance(90)
    session.act(session.prepare(fields()))
    [attempt, record] = read_audit(audit_path).records
    assert attempt["time"] == record["time"] == "2026-01-05T10:42:32.000+00:00"
    assert (record["call_id"], record["mode"], record["outcome"], record["profile"]) == ("C-10023", "spy", "ok", "main")


def test_the_live_state_follows_each_success_by_the_sessions_clock(open_session, clock):
    session = open_session()
    assert session.monitoring.current is None
    started = clock.now

    spy = session.act(session.prepare(fields()))
    assert spy.change is not None and spy.change.kind is Change.STARTED
    live = session.monitoring.current
    assert live is not None
    assert (live.call_id, live.agent, live.mode, live.phone) == ("C-10023", "13", SnoopType.SPY, "9876543210")
    assert live.since == live.mode_since == started

    switched_at = clock.advance(42)
    whisper = session.act(session.prepare(fields(mode="whisper")))
    assert whisper.change is not None and whisper.change.kind is Change.SWITCHED
    live = session.monitoring.current
    assert live is not None
    assert (live.mode, live.since, live.mode_since) == (SnoopType.WHISPER, started, switched_at)

    moved_at = clock.advance(60)
    other = session.act(session.prepare(fields("C-10017")))
    assert other.change is not None and other.change.kind is Change.REPLACED
    assert other.change.before == live  # the earlier leg, left to the phone
    live = session.monitoring.current
    assert live is not None
    assert (live.call_id, live.since, live.mode_since) == ("C-10017", moved_at, moved_at)

    # The whisper on C-10023 was left to the phone, not ended: it may still be connected.
    assert session.monitoring.left == (other.change.before,)
    assert session.monitoring.legs == (live, other.change.before)

    assert session.hung_up("C-10017").ended == (live,)
    assert session.monitoring.current is None
    assert session.monitoring.legs == (other.change.before,)
    assert session.hung_up().ended == (other.change.before,)
    assert session.hung_up().ended == ()  # nothing left to end


def test_i_hung_up_is_an_audit_record_with_the_legs_mode_and_how_long_it_lasted(open_session, clock, audit_path):
    session = open_session()
    confirmed_barge = session.prepare(fields(mode="barge"))
    session.act(confirmed_barge, confirmed=Confirmed.of(confirmed_barge))
    clock.advance(30)
    session.act(session.prepare(fields("C-10017")))  # a spy on another call: the barge is left to the phone
    clock.advance(95)
    assert [leg.call_id for leg in session.hung_up().ended] == ["C-10017", "C-10023"]
    *_, spy_ended, barge_ended = read_audit(audit_path).records
    assert (barge_ended["call_id"], barge_ended["mode"], barge_ended["outcome"]) == ("C-10023", "barge", "hung_up")
    assert barge_ended["duration_s"] == 125.0
    assert (spy_ended["call_id"], spy_ended["mode"], spy_ended["duration_s"]) == ("C-10017", "spy", 95.0)
    assert barge_ended["identity"] == session.credentials.identity
    assert "ssid" not in barge_ended


def test_answers_that_come_back_out_of_order_leave_live_the_action_asked_for_last(open_session, clock):
    # `s Down w` on the live list: a spy on one call, then a whisper on another, both on their way at once; the
    # spy's answer comes back last. The whisper was the supervisor's last word: it stays live.
    session = open_session()
    spy, whisper = session.prepare(fields("C-10023")), session.prepare(fields("C-10017", mode="whisper"))
    assert session.admit(spy) is None
    assert session.admit(whisper) is None

    first = session.perform(whisper)
    assert first.change is not None and first.change.kind is Change.STARTED
    late_at = clock.advance(2)
    late = session.perform(spy)
    assert late.ok
    assert late.change is not None and late.change.kind is Change.OVERTAKEN
    live = session.monitoring.current
    assert live is not None and (live.call_id, live.mode) == ("C-10017", SnoopType.WHISPER)
    assert late.change.now == live
    assert late.change.before is not None
    assert (late.change.before.call_id, late.change.before.mode, late.change.before.since) == (
        "C-10023",
        SnoopType.SPY,
        late_at,
    )

    # Asked for again now, the first call is the latest word and takes over.
    again = session.act(session.prepare(fields("C-10023")))
    assert again.change is not None and again.change.kind is Change.REPLACED
    live = session.monitoring.current
    assert live is not None and live.call_id == "C-10023"


def test_answers_that_come_back_in_order_move_the_live_state_each_time(open_session):
    session = open_session()
    spy, whisper = session.prepare(fields("C-10023")), session.prepare(fields("C-10017", mode="whisper"))
    session.admit(spy)
    session.admit(whisper)
    assert session.perform(spy).change.kind is Change.STARTED
    assert session.perform(whisper).change.kind is Change.REPLACED
    live = session.monitoring.current
    assert live is not None and live.call_id == "C-10017"


def test_a_failure_leaves_the_live_state_as_it_was(open_session, server):
    session = open_session()
    session.act(session.prepare(fields()))
    before = session.monitoring.current
    wrong_agent = session.act(session.prepare({**fields("C-10017"), "targetEntityVal": "8"}))
    assert (wrong_agent.kind, wrong_agent.code, wrong_agent.change) == (OutcomeKind.API_ERROR, 1502, None)
    assert session.monitoring.current == before
    assert len(server.requests) == 2


def test_1501_is_retried_through_the_fake_server_then_goes_live(open_session, server, clock):
    server.busy["C-10023"] = 2
    session = open_session()
    notices: list[RetryNotice] = []
    outcome = session.act(session.prepare(fields()), on_retry=notices.append)
    assert (outcome.ok, outcome.attempts) == (True, 3)
    assert [(n.attempt, n.max_attempts) for n in notices] == [(2, 3), (3, 3)]
    assert len(server.requests) == 3
    live = session.monitoring.current
    assert live is not None and live.since == clock.now


def test_a_retry_due_after_the_session_is_closed_is_not_sent(open_session, server):
    # Signed out while a 1501 retry waits out its back-off: the retry must not go out under the old credentials.
    server.busy["C-10023"] = 2
    session = open_session()
    outcome = session.act(session.prepare(fields()), on_retry=lambda notice: session.close())
    assert not outcome.ok
    assert "not sent, the session was closed (signed out)" in outcome.message
    assert len(server.requests) == 1


def test_a_mode_the_profile_does_not_allow_is_refused_before_anything_is_sent(open_session, server, audit_path):
    session = open_session(allowed_modes=["spy"])
    with pytest.raises(FieldErrors) as refused:
        session.prepare(fields(mode="barge"))
    [problem] = refused.value.problems
    assert (problem.field, problem.message) == ("snoopType", "barge is not allowed for this profile (allowed: spy)")
    assert server.requests == []
    assert read_audit(audit_path).records == []  # refused while reading the form: not an action


def test_every_field_problem_is_named_at_once(open_session, server):
    session = open_session()
    with pytest.raises(FieldErrors) as refused:
        session.prepare({**fields(), "callId": "C 1;rm", "snooperNumber": "98-76-ab", "targetEntityVal": ""})
    assert [p.field for p in refused.value.problems] == ["callId", "targetEntityVal", "snooperNumber"]
    assert refused.value.first_field == "callId"
    assert server.requests == []


def test_a_disallowed_mode_is_named_with_the_other_problems(open_session):
    session = open_session(allowed_modes=["spy"])
    with pytest.raises(FieldErrors) as refused:
        session.prepare({**fields(mode="barge"), "callId": "C 1;rm"})
    assert [p.field for p in refused.value.problems] == ["callId", "snoopType"]


@pytest.mark.parametrize(
    ("profile", "label"),
    [
        ({"base_url": "http://deepcall.test/api/v2"}, "Base URL"),  # plain http to another host
        ({"base_url": "ftp://deepcall.test/api/v2"}, "Base URL"),
        ({"ca_bundle": "/nonexistent/ca.pem"}, "CA bundle (ca_bundle)"),
    ],
    ids=["plain-http", "ftp", "ca-bundle"],
)
def test_a_session_that_cannot_be_used_does_not_open(open_session, server, profile, label):
    with pytest.raises(SessionRefused) as refused:
        open_session(**profile)
    assert refused.value.label == label
    assert server.requests == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [(None, "cannot be read (No such file or directory)"), ("not a certificate\n", "holds no usable PEM certificate")],
    ids=["missing", "not-pem"],
)
def test_certificates_the_environment_names_but_cannot_be_loaded_keep_the_session_shut(
    open_session, server, certificates_named, tmp_path, content, problem
):
    named = tmp_path / "certs.pem"
    if content is not None:
        named.write_text(content)
    certificates_named(named)
    with pytest.raises(SessionRefused) as refused:
        open_session()
    assert refused.value.label == "Certificates"
    assert refused.value.message.startswith(f"SSL_CERT_FILE={named} {problem}; fix or unset it")
    assert server.requests == []


def test_the_profiles_ca_bundle_stands_in_for_certificates_the_environment_cannot_load(
    open_session, server, certificates_named, tmp_path
):
    certificates_named(tmp_path / "missing.pem")
    session = open_session(ca_bundle=certifi.where())
    outcome = session.act(session.prepare(fields()))
    assert outcome.ok, outcome.message
    assert len(server.requests) == 1


def test_an_audit_trail_that_cannot_be_written_keeps_the_session_shut(server, clock, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    seams = Seams(transport=httpx.MockTransport(server), clock=clock)
    with pytest.raises(SessionRefused) as refused:
        Session.open(
            "main", Profile(base_url=BASE_URL), parse_credentials(ssid=DEMO_SSID), blocker / "a.jsonl", seams=seams
        )
    assert refused.value.label == "Audit file"
    assert "cannot write" in refused.value.message
    assert server.requests == []
