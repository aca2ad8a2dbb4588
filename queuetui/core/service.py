"""The one path every front end takes to monitor a call:
validate -> refuse a duplicate in flight -> rate guard -> attempt record -> send -> retry 1501 with backoff
-> outcome record -> outcome.

The attempt is written (and fsync'd) before anything is sent, and nothing is sent when it cannot be: a request
the trail does not know of never leaves. Its outcome record names the attempt; one cut off by an interrupt
says "interrupted" instead.

Sync and safe to call from several threads at once: the only shared state (calls in flight, the rate
window) sits behind one lock that is never held while the network is used.
"""

from __future__ import annotations

import dataclasses
import random
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from queuetui.api.client import DeepCallClient
from queuetui.api.credentials import SessionAuth, TokenAuth
from queuetui.api.errors import (
    CallFailed,
    Category,
    DeepCallError,
    RequestTimeout,
    TransportError,
    category_of,
)
from queuetui.api.fields import FIELD_LABELS
from queuetui.api.modes import SnoopType
from queuetui.api.text import without_secrets
from queuetui.core.audit.access import AuditWriteError
from queuetui.core.audit.log import AuditLog
from queuetui.core.audit.who import identity_fields
from queuetui.core.deepcall_words import floor_words
from queuetui.core.outcome import HUNG_UP, stop_name
from queuetui.core.outcome import Outcome as Outcome
from queuetui.core.outcome import OutcomeKind as OutcomeKind
from queuetui.core.outcome import RetryNotice as RetryNotice

if TYPE_CHECKING:
    from queuetui.api.models import BargeRequest
    from queuetui.core.monitoring import Monitoring


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 3
    base_delay_s: float = 0.5
    max_delay_s: float = 4.0
    budget_s: float = 10.0  # total time spent waiting between tries

    def delay(self, retry_number: int, rng: random.Random) -> float:
        # Exponential backoff plus up to 50% jitter, so consoles retrying the same call spread out; the cap
        # applies last, so max_delay_s is a promise.
        backoff = self.base_delay_s * 2.0 ** (retry_number - 1)
        return min(self.max_delay_s, backoff * (1 + rng.random() * 0.5))


@dataclass
class RateGuard:
    """At most `max_actions` sent in any `window_s` seconds, across every thread of this process."""

    max_actions: int = 20
    window_s: float = 60.0
    _sent: deque[float] = field(default_factory=deque)

    def try_take(self, now: float) -> float:
        """0 when an action may go now (and counts it); otherwise seconds until one may."""
        while self._sent and now - self._sent[0] >= self.window_s:
            self._sent.popleft()
        if len(self._sent) >= self.max_actions:
            return self.window_s - (now - self._sent[0])
        self._sent.append(now)
        return 0.0


@dataclass
class _Progress:
    """How far an attempt has gone, for its record should the process stop before it ends: the requests handed
    to the client (counted before each leaves, so never fewer than reached the server), how many of them were
    answered (each a refusal to retry) and the last answer."""

    sent: int = 0
    answered: int = 0
    last_answer: DeepCallError | None = None


def _failure_kind(error: CallFailed) -> OutcomeKind:
    if isinstance(error, DeepCallError):
        return OutcomeKind.API_ERROR
    if isinstance(error, TransportError):
        return OutcomeKind.NETWORK_ERROR
    return OutcomeKind.PROTOCOL_ERROR


class BargeService:
    def __init__(
        self,
        client: DeepCallClient,
        credentials: SessionAuth | TokenAuth,
        *,
        profile: str = "default",
        environment: str = "production",
        audit: AuditLog | None = None,
        retry: RetryPolicy | None = None,
        rate: RateGuard | None = None,
        allowed_modes: frozenset[SnoopType] = frozenset(SnoopType),
        rng: random.Random | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.client = client
        self.credentials = credentials
        self.profile = profile
        self.environment = environment
        self.audit = audit
        self.retry = retry or RetryPolicy()
        self.rate = rate or RateGuard()
        self.allowed_modes = allowed_modes
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        # Reentrant: a signal handler on the main thread (see `interrupt`) may run while the main thread holds it.
        self._lock = threading.RLock()
        self._in_flight: dict[str, SnoopType] = {}  # call id: the mode on its way
        # Attempt id: a request recorded as sent, its outcome not yet, the details its records carry and how far
        # it has gone.
        self._open: dict[str, tuple[BargeRequest, Mapping[str, object], _Progress]] = {}
        self._closing = False

    @property
    def host(self) -> str:
        return self.client.host

    def send(
        self,
        request: BargeRequest,
        on_retry: Callable[[RetryNotice], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> Outcome:
        """Admit, then perform: the whole path for a caller that does not need to hold a call in between."""
        refused = self.admit(request)
        if refused is not None:
            return refused
        return self.perform(request, on_retry, cancel)

    def admit(self, request: BargeRequest) -> Outcome | None:
        """Reserve the call for `perform`, or return the (recorded) refusal: a mode the profile does not allow,
        the same call already in flight, or the client-side rate limit. Nothing is sent here."""
        if request.snoop_type not in self.allowed_modes:
            return self._refuse(request, self.mode_refusal(request.snoop_type), field="snoopType")
        with self._lock:
            on_its_way = self._in_flight.get(request.call_id)
            if on_its_way is request.snoop_type:
                refusal = f"A request for call {request.call_id} is already in flight; not sent again"
            elif on_its_way is not None:
                # Another mode: the supervisor asked for a switch, which must not pass for a repeat.
                refusal = (
                    f"{request.snoop_type.value.upper()} on call {request.call_id} not sent: "
                    f"{on_its_way.value.upper()} on it is still on its way; send it again once that is answered"
                )
            else:
                wait = self.rate.try_take(time.monotonic())
                if wait:
                    refusal = f"Too many requests: try again in {wait:.0f} s (client-side limit)"
                else:
                    refusal = ""
                    self._in_flight[request.call_id] = request.snoop_type
        if refusal:
            return self._refuse(request, refusal)
        return None

    def perform(
        self,
        request: BargeRequest,
        on_retry: Callable[[RetryNotice], None] | None = None,
        cancel: threading.Event | None = None,
        details: Mapping[str, object] | None = None,
    ) -> Outcome:
        """Send a call that `admit` reserved, retrying 1501; frees the call. Nothing is sent unless its attempt is
        recorded first; its outcome is recorded after, or "interrupted" when an exception (Ctrl+C, `Interrupted`)
        cuts the wait short, which is raised again. Both records carry `details` (what the action was picked
        from, say)."""
        details = details or {}
        progress = _Progress()
        attempt = self._open_attempt(request, details, progress)
        try:
            try:
                self._write_ahead(request, attempt, details)
                outcome = self._send_with_retries(request, on_retry, cancel or threading.Event(), progress)
            except AuditWriteError as problem:
                self._forget(attempt)
                message = f"Not sent: the audit trail cannot be written ({problem})"
                return Outcome(OutcomeKind.UNRECORDED, message, request)
            except BaseException as stop:
                # An interrupt comes as soon as the attempt's record is whole (see AuditLog.append), so the trail
                # may hold an attempt from the moment it was opened: its outcome says what became of it.
                self._close(attempt, self._interrupted(request, stop_name(stop), progress), details)
                raise
            return self._close(attempt, outcome, details)
        finally:
            self._done(request.call_id)

    def interrupt(self, why: str) -> int:
        """Record every request on its way as interrupted by `why` (a signal's name), now, from any thread: the
        process is about to end without waiting for their answers. Returns how many there were."""
        self.client.stop_sending()  # what has not left yet never will: the process is ending
        with self._lock:
            cut = dict(self._open)
            self._open.clear()
        for attempt, (request, details, progress) in cut.items():
            self._record(self._interrupted(request, why, progress), attempt, details)
        return len(cut)

    def record_event(self, event: str, details: dict[str, object]) -> str:
        """Append a record of kind `event` (e.g. "hung_up") by this supervisor, with `details`; returns why it
        could not be written, or "" once it is in the trail. No trail: nothing to do."""
        if self.audit is None:
            return ""
        try:
            self.audit.append({**self._who(), "event": event, **details})
        except AuditWriteError as problem:
            return str(problem)
        return ""

    def mode_refusal(self, mode: SnoopType) -> str:
        allowed = ", ".join(m.value for m in SnoopType if m in self.allowed_modes) or "none"
        return f"{mode.value} is not allowed for this profile (allowed: {allowed})"

    @property
    def in_flight(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._in_flight)

    def _send_with_retries(
        self,
        request: BargeRequest,
        on_retry: Callable[[RetryNotice], None] | None,
        cancel: threading.Event,
        progress: _Progress,
    ) -> Outcome:
        started = time.monotonic()
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            progress.sent = attempt
            try:
                success = self.client.barging_call(request, self.credentials)
            except CallFailed as error:
                if isinstance(error, DeepCallError):
                    progress.answered, progress.last_answer = attempt, error
                if self._should_retry(error, attempt, waited):
                    delay = self.retry.delay(attempt, self._rng)
                    if on_retry is not None:
                        on_retry(RetryNotice(request, attempt + 1, self.retry.max_attempts, delay))
                    if cancel.wait(delay):
                        return self._failed(request, error, started, attempt, " (retry cancelled)")
                    waited += delay
                    continue
                return self._failed(request, error, started, attempt, "")
            return Outcome(
                OutcomeKind.OK,
                f"{request.snoop_type.value.capitalize()} started on call {request.call_id} "
                f"({request.snoop_type.heard_by})",
                request,
                latency_ms=(time.monotonic() - started) * 1000,
                attempts=attempt,
                server_text=self._without_secrets(success.text),
            )

    def _should_retry(self, error: CallFailed, attempt: int, waited: float) -> bool:
        return (
            isinstance(error, DeepCallError)
            and error.info.category is Category.RETRYABLE
            and attempt < self.retry.max_attempts
            and waited < self.retry.budget_s
        )

    def _failed(self, request: BargeRequest, error: CallFailed, started: float, attempts: int, note: str) -> Outcome:
        code = error.code if isinstance(error, DeepCallError) else None
        field_name = error.field if isinstance(error, DeepCallError) else None
        message = self._without_secrets(error.message) + note
        server_text = ""
        if isinstance(error, DeepCallError) and (said := floor_words(error, request)) is not None:
            # The floor's words for the supervisor; DeepCall's own, with its code, for the log and the record.
            own = f"{error.server_message or error.info.title} (code {error.code})"
            message, server_text = self._without_secrets(said) + note, self._without_secrets(own)
        elif isinstance(error, DeepCallError) and error.info.category is Category.RETRYABLE:
            tries = "1 try" if attempts == 1 else f"{attempts} tries"
            message += f". Gave up after {tries}: wait a moment, then send again."
        elif isinstance(error, DeepCallError) and error.info.action:
            named = f"the {FIELD_LABELS.get(field_name, field_name)} field" if field_name else None
            message += f". {error.advice(named)}"
        elif isinstance(error, RequestTimeout):
            message += f" after {self.client.settings.read_timeout:g} s"
            if request.snoop_type is not SnoopType.SPY:
                message += (
                    f". The {request.snoop_type.value} may have connected anyway: check your phone before sending again"
                )
        return Outcome(
            _failure_kind(error),
            message,
            request,
            code=code,
            category=category_of(error),
            field=field_name,
            latency_ms=(time.monotonic() - started) * 1000,
            attempts=attempts,
            server_text=server_text,
        )

    def _without_secrets(self, text: str) -> str:
        return without_secrets(text, self.credentials.secrets())

    def release(self, request: BargeRequest, message: str) -> Outcome:
        """Give back a call `admit` reserved without sending it, and record why."""
        try:
            return self._refuse(request, message)
        finally:
            self._done(request.call_id)

    def _done(self, call_id: str) -> None:
        """The call is free again; the last one out lets go of what `close` was asked to close."""
        with self._lock:
            self._in_flight.pop(call_id, None)
            last = self._closing and not self._in_flight
        if last:
            self._let_go()

    def _refuse(self, request: BargeRequest, message: str, field: str | None = None) -> Outcome:
        return self._record(Outcome(OutcomeKind.REFUSED, message, request, field=field))

    def _record(
        self, outcome: Outcome, attempt: str | None = None, details: Mapping[str, object] | None = None
    ) -> Outcome:
        """Append the outcome's record (naming its attempt, when one was written); `audit_problem` says why it
        could not be: the request has gone by then, so the answer must still reach the user, with that said."""
        if self.audit is None or outcome.request is None:
            return outcome
        linked = {"attempt": attempt} if attempt is not None else {}
        fields = self._request_fields(outcome.request)
        record = {**fields, **(details or {}), "event": "outcome", **linked, **_result(outcome)}
        try:
            self.audit.append(record)
        except AuditWriteError as problem:
            return dataclasses.replace(outcome, audit_problem=str(problem))
        return outcome

    def record_hang_up(self, leg: Monitoring, at: datetime) -> str:
        """Record that the supervisor hung up `leg` at `at` (no request goes out: DeepCall has no call for it), with
        its mode and how long it lasted. Returns why the record could not be written ("" when it was)."""
        return self.record_event(
            HUNG_UP,
            {
                "call_id": leg.call_id,
                "mode": leg.mode.value,
                "target_type": leg.target_type,
                "target": leg.target,
                "snooper": leg.phone,
                "outcome": HUNG_UP,
                "since": leg.since.astimezone(timezone.utc).isoformat(timespec="milliseconds"),
                "duration_s": round(max(0.0, (at - leg.since).total_seconds()), 1),
            },
        )

    def _open_attempt(self, request: BargeRequest, details: Mapping[str, object], progress: _Progress) -> str | None:
        """A new attempt id, open until its outcome is recorded; None without a trail."""
        if self.audit is None:
            return None
        attempt = uuid.uuid4().hex
        with self._lock:
            self._open[attempt] = (request, details, progress)
        return attempt

    def _write_ahead(self, request: BargeRequest, attempt: str | None, details: Mapping[str, object]) -> None:
        """Record that `request` is about to be sent. Raises AuditWriteError when the record is not in the file."""
        if self.audit is not None and attempt is not None:
            record = {**self._request_fields(request), **details, "event": "attempt", "attempt": attempt}
            self.audit.append(record)

    def _forget(self, attempt: str | None) -> bool:
        """Close the attempt; True when it was still open (`interrupt` has not answered it)."""
        with self._lock:
            return attempt is not None and self._open.pop(attempt, None) is not None

    def _close(self, attempt: str | None, outcome: Outcome, details: Mapping[str, object]) -> Outcome:
        """Record the outcome of an attempt still open."""
        return self._record(outcome, attempt, details) if self._forget(attempt) else outcome

    def _interrupted(self, request: BargeRequest, why: str, progress: _Progress) -> Outcome:
        """The outcome of an attempt cut short: how many requests had gone and what the last answer before the
        cut was, so the record never shows fewer than the server received."""
        action = f"the {request.snoop_type.value} on call {request.call_id}"
        sent, answer = progress.sent, progress.last_answer
        if answer is None:
            message = f"Interrupted ({why}) before DeepCall answered: {action} may have been sent; check your phone"
            return Outcome(OutcomeKind.INTERRUPTED, message, request, attempts=sent)
        said = self._without_secrets(f"{answer.server_message or answer.info.title} (code {answer.code})")
        if progress.answered == sent:  # waiting out the back-off: nothing was on its way
            message = f"Interrupted ({why}) before retrying {action}: request {sent} was answered: {said}"
        else:
            message = (
                f"Interrupted ({why}) before DeepCall answered request {sent}: {action} may have been sent; check your "
                f"phone. Request {progress.answered} was answered: {said}"
            )
        return Outcome(
            OutcomeKind.INTERRUPTED,
            message,
            request,
            code=answer.code,
            category=category_of(answer),
            attempts=sent,
            server_text=said,
        )

    def _who(self) -> dict[str, object]:
        return {
            "time": self._clock().astimezone(timezone.utc).isoformat(timespec="milliseconds"),
            "profile": self.profile,
            "environment": self.environment,
            "host": self.host,
            **identity_fields(),
            "auth": self.credentials.kind,
            "identity": self.credentials.identity,
        }

    def _request_fields(self, request: BargeRequest) -> dict[str, object]:
        return {
            **self._who(),
            "call_id": request.call_id,
            "mode": request.snoop_type.value,
            "target_type": request.target_entity_type,
            "target": request.target_entity_val,
            "snooper": request.snooper_number,
        }

    def close(self) -> None:
        """No request starts from now on (a retry waiting out its back-off, a worker not yet started: signed out,
        they would go out under the old credentials), and the connections and the syslog are let go of once no
        request is on its way. Closed under one, its answer would be cut off, and the trail would record as failed
        an action the server had received (quitting while a request is slow: the process finishes it, within its
        read timeout, after the terminal is given back)."""
        self.client.stop_sending()
        with self._lock:
            self._closing = True
            idle = not self._in_flight
        if idle:
            self._let_go()

    def _let_go(self) -> None:
        self.client.close()
        if self.audit is not None and self.audit.syslog is not None:
            self.audit.syslog.close()


def _result(outcome: Outcome) -> dict[str, object]:
    return {
        "outcome": outcome.kind.value,
        "code": outcome.code,
        "message": outcome.message,
        "server_text": outcome.server_text,  # the server's own words, e.g. its misspelt "sucessfully", or its refusal
        "latency_ms": round(outcome.latency_ms, 1),
        "attempts": outcome.attempts,
        "retries": outcome.retries,
    }
