"""What one monitoring action came to: the service's answer to every front end."""

from __future__ import annotations

import signal
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from queuetui.api.errors import Category

# The outcome recorded for a leg the supervisor hung up: the end of an action, not an action of its own. Nothing
# is sent for it (DeepCall has no call to end a barge).
HUNG_UP = "hung_up"

if TYPE_CHECKING:
    from queuetui.api.models import BargeRequest
    from queuetui.core.monitoring import MonitoringChange


class OutcomeKind(str, Enum):
    OK = "ok"
    INVALID = "invalid"  # refused by validation; nothing sent
    REFUSED = "refused"  # refused by a client-side guard; nothing sent
    API_ERROR = "api_error"
    NETWORK_ERROR = "network_error"
    PROTOCOL_ERROR = "protocol_error"
    UNRECORDED = "unrecorded"  # not sent: its attempt could not be written to the audit trail
    INTERRUPTED = "interrupted"  # the process was stopped between the attempt record and the answer
    UNANSWERED = "unanswered"  # read back from the trail: an attempt whose answer was never recorded


# How each outcome is named where a supervisor reads it (the sessions list, the shift summary): a word or two, no
# longer than the sessions list's result column; the audit trail keeps the kind's own value.
_WORDS = {
    OutcomeKind.OK: "ok",
    OutcomeKind.INVALID: "form",
    OutcomeKind.REFUSED: "refused",
    OutcomeKind.API_ERROR: "denied",
    OutcomeKind.NETWORK_ERROR: "network",
    OutcomeKind.PROTOCOL_ERROR: "garbled",
    OutcomeKind.UNRECORDED: "unsent",
    OutcomeKind.INTERRUPTED: "stopped",
    OutcomeKind.UNANSWERED: "sent?",
}


def outcome_words(kind: str) -> str:
    """An outcome kind (its audit value, "api_error") in a supervisor's words ("denied")."""
    try:
        return _WORDS[OutcomeKind(kind)]
    except ValueError:
        return kind.replace("_", " ")


@dataclass(frozen=True)
class Outcome:
    kind: OutcomeKind
    message: str
    request: BargeRequest | None = None
    code: int | None = None
    category: Category | None = None
    field: str | None = None  # wire name of the form field to fix, when known
    latency_ms: float = 0.0
    attempts: int = 0
    server_text: str = ""
    audit_problem: str = ""  # why the outcome's record could not be written; the attempt's record was
    change: MonitoringChange | None = None  # how a success moved the monitoring state (set by the session)
    ask_again: BargeRequest | None = None  # a barge refused because its call changed: the question with the new facts

    @property
    def ok(self) -> bool:
        return self.kind is OutcomeKind.OK

    @property
    def sent(self) -> bool:
        return self.attempts > 0

    @property
    def retries(self) -> int:
        return max(0, self.attempts - 1)


class Interrupted(BaseException):
    """What a front end's handler for SIGTERM or SIGHUP raises on the main thread, as Ctrl+C raises
    KeyboardInterrupt: an action under way records that it was interrupted, and the process leaves."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def stop_name(stop: BaseException) -> str:
    """How an interrupt is told to the supervisor and in the trail."""
    if isinstance(stop, KeyboardInterrupt):
        return "Ctrl+C"
    if isinstance(stop, Interrupted):
        return str(stop)
    return type(stop).__name__


@dataclass(frozen=True)
class RetryNotice:
    """Told to the caller before each 1501 retry, so a front end can show progress."""

    request: BargeRequest
    attempt: int  # the attempt that is about to start (2, 3, ...)
    max_attempts: int
    delay_s: float
