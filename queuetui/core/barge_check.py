"""The check just before an audible barge leaves: what the supervisor said yes to is still what is on the floor.

The question named a call, its agent and the mode. Between the question and the yes the call may have ended or
moved to another agent: the barge goes only when a list no older than the refresh period still shows that call
with that agent. The check has its own deadline, counted from the confirming key, so a live list that hangs
refuses the barge rather than letting it go out late.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from queuetui.api.fields import FieldErrors
from queuetui.api.models import BargeRequest, parse_request
from queuetui.api.modes import SnoopType

if TYPE_CHECKING:
    from queuetui.core.floor.poller import CallPoller, FloorSnapshot


@dataclass(frozen=True)
class Confirmed:
    """A yes to the barge question: what the question named, and when the key was pressed (monotonic seconds)."""

    call_id: str
    target_type: str
    target: str
    mode: SnoopType
    at: float

    @classmethod
    def of(cls, request: BargeRequest, at: float | None = None) -> Confirmed:
        return cls(
            request.call_id,
            request.target_entity_type,
            request.target_entity_val,
            request.snoop_type,
            time.monotonic() if at is None else at,
        )

    def covers(self, request: BargeRequest) -> bool:
        """Whether `request` is what the question named: same call, same target, same mode."""
        return (self.call_id, self.target_type, self.target, self.mode) == (
            request.call_id,
            request.target_entity_type,
            request.target_entity_val,
            request.snoop_type,
        )


@dataclass(frozen=True)
class Recheck:
    """`problem` is why the barge must not go ("" when it may). `ask_again` is the request with the floor's new
    facts (the call's agent now), when the question should be asked again with them."""

    problem: str = ""
    ask_again: BargeRequest | None = None


def recheck(
    floor: CallPoller | None,
    confirmed: Confirmed,
    request: BargeRequest,
    *,
    max_age_s: float,
    deadline_s: float,
    now: Callable[[], float] = time.monotonic,
) -> Recheck:
    """Blocking, at most until `deadline_s` after the confirming key: run it off the UI thread."""
    call_id = request.call_id
    if not confirmed.covers(request):
        return Recheck(f"Barge on {call_id} not sent: it is not what you confirmed")
    late = Recheck(
        f"Barge on {call_id} not sent: the live list did not answer within {deadline_s:g} s of your yes "
        "(barge_check_s); nothing sent"
    )
    if floor is None:
        return late if now() > confirmed.at + deadline_s else Recheck()
    snapshot = _fresh_within(floor, max_age_s, confirmed.at + deadline_s - now())
    if snapshot is None or now() > confirmed.at + deadline_s:
        return late
    if snapshot.error is not None:
        return Recheck(f"Barge not sent: the live list could not be refreshed to check {call_id} ({snapshot.error})")
    call = snapshot.find(call_id)
    if call is None or call.ended:
        return Recheck(f"Barge not sent: {call_id} is not live in the list just refreshed (it may have ended)")
    if request.target_entity_type == "agent" and call.agent is not None and call.agent != request.target_entity_val:
        moved = f"Barge not sent: {call_id} is now with agent {call.agent}, not {request.target_entity_val}"
        try:
            again = parse_request({**request.wire_fields(), "targetEntityVal": call.agent})
        except FieldErrors:
            return Recheck(f"{moved}; the list's agent id cannot be sent: use the form")
        return Recheck(f"{moved}; asked again", again)
    return Recheck()


def _fresh_within(floor: CallPoller, max_age_s: float, wait_s: float) -> FloorSnapshot | None:
    """A fresh list, or None when none came within `wait_s`. The fetch runs on a thread of its own: a source that
    hangs holds that thread (until its own timeout) and never the barge."""
    if wait_s <= 0:
        return None
    got: list[FloorSnapshot] = []
    done = threading.Event()

    def fetch() -> None:
        got.append(floor.fresh(max_age_s))
        done.set()

    threading.Thread(target=fetch, name="barge-check", daemon=True).start()
    return got[0] if done.wait(wait_s) else None
