"""Messages that carry results from the send workers back to the UI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from queuetui.api.models import BargeRequest
    from queuetui.core.outcome import Outcome, RetryNotice


class SendFinished(Message):
    def __init__(self, request: BargeRequest, outcome: Outcome) -> None:
        super().__init__()
        self.request = request
        self.outcome = outcome


class RetryScheduled(Message):
    def __init__(self, notice: RetryNotice) -> None:
        super().__init__()
        self.notice = notice
