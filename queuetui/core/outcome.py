"""What one monitoring action came to: the service's answer to every front end."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from queuetui.api.errors import Category

if TYPE_CHECKING:
    from queuetui.api.models import BargeRequest
    from queuetui.core.live import LiveChange


class OutcomeKind(str, Enum):
    OK = "ok"
    INVALID = "invalid"  # refused by validation; nothing sent
    REFUSED = "refused"  # refused by a client-side guard; nothing sent
    API_ERROR = "api_error"
    NETWORK_ERROR = "network_error"
    PROTOCOL_ERROR = "protocol_error"


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
    audit_problem: str = ""  # why the audit record could not be written; the action itself happened
    change: LiveChange | None = None  # how a success moved the live state (set by the session)
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


@dataclass(frozen=True)
class RetryNotice:
    """Told to the caller before each 1501 retry, so a front end can show progress."""

    request: BargeRequest
    attempt: int  # the attempt that is about to start (2, 3, ...)
    max_attempts: int
    delay_s: float
