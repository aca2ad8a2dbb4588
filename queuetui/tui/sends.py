"""The console's actions on their way: each send runs on a thread worker through the session, so the UI never
waits on the network. This keeps which calls are being sent (since when, which retry), and which barges wait for
the supervisor's yes, for the Send button and the status line; the worker's retries and outcome reach the screen
as messages (`RetryScheduled`, `SendFinished`)."""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from queuetui.tui.messages import RetryScheduled, SendFinished

if TYPE_CHECKING:
    from queuetui.api.models import BargeRequest
    from queuetui.core.barge_check import Confirmed
    from queuetui.core.floor.stale_list import StaleList
    from queuetui.core.outcome import RetryNotice
    from queuetui.core.session import Session

_SPINNER = "\u280b\u2819\u2839\u2838\u283c\u2834\u2826\u2827\u2807\u280f"


class Sends:
    def __init__(self, screen: Screen[None]) -> None:
        self._screen = screen
        self.started: dict[str, float] = {}  # call id -> when its send started, for the spinner
        self.retrying: dict[str, str] = {}  # call id -> which retry it is on, for the status line
        self.retry_notices: dict[str, str] = {}  # call id -> its latest retry's notice, for the next to replace
        self.confirming: dict[str, str] = {}  # call id -> the action ("Barge", "Whisper") waiting for a yes
        self._workers: dict[Worker[None], BargeRequest] = {}

    @property
    def busy(self) -> set[str]:
        """The calls Send is off for: being sent, or waiting for a yes."""
        return set(self.started) | set(self.confirming)

    def start(
        self,
        session: Session,
        request: BargeRequest,
        confirmed: Confirmed | None,
        stale: StaleList | None,
        follow: bool = False,
    ) -> None:
        """Send `request`, which `session` has admitted, on a worker."""
        self.started[request.call_id] = time.monotonic()
        send = partial(self._send, session, request, confirmed, stale, follow)
        worker = self._screen.run_worker(send, name="send", group="send", thread=True, exit_on_error=False)
        self._workers[worker] = request

    def _send(
        self,
        session: Session,
        request: BargeRequest,
        confirmed: Confirmed | None,
        stale: StaleList | None,
        follow: bool,
    ) -> None:
        cancel = get_current_worker().cancelled_event

        def on_retry(notice: RetryNotice) -> None:
            self._screen.post_message(RetryScheduled(notice))

        outcome = session.perform(
            request, on_retry=on_retry, cancel=cancel, confirmed=confirmed, stale=stale, follow=follow
        )
        self._screen.post_message(SendFinished(request, outcome))

    def failed(self, event: Worker.StateChanged) -> BargeRequest | None:
        """The request whose send ended in a bug (not a server answer), its call freed; None for any other change."""
        request = self._workers.get(event.worker)
        if request is None or event.state not in (WorkerState.ERROR, WorkerState.SUCCESS, WorkerState.CANCELLED):
            return None
        del self._workers[event.worker]
        if event.state is not WorkerState.ERROR:
            return None
        self.started.pop(request.call_id, None)
        return request

    def finished(self, call_id: str) -> None:
        # Only a send that ran frees its call: a refusal to repeat it (already in flight) leaves it sending.
        self.started.pop(call_id, None)
        self.retrying.pop(call_id, None)
        self.retry_notices.pop(call_id, None)

    def status(self, tick: int, still: bool) -> str:
        """The status line under Send: each call on its way, how long it has been, which retry."""
        if not self.started:
            return ""
        if still:
            return f"\u2026 sending {', '.join(self.started)}"
        now = time.monotonic()
        spin = _SPINNER[tick % len(_SPINNER)]
        parts = [
            f"{call} {now - started:.1f}s {self.retrying.get(call, '')}".rstrip()
            for call, started in self.started.items()
        ]
        return f"{spin} sending {', '.join(parts)}"
