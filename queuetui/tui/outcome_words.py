"""What the console says of an action's outcome and of the calls it leaves: the words of its notices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from queuetui.api.text import mask_phone
from queuetui.core.monitoring import Change

if TYPE_CHECKING:
    from queuetui.core.monitoring import Monitoring
    from queuetui.core.outcome import Outcome


def elapsed(seconds: float) -> str:
    minutes, secs = divmod(max(0, int(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes:02}:{secs:02}"


def left_words(left: Monitoring) -> str:
    return f"{left.call_id} ({left.mode.value.upper()}) is left to your phone: hang up there if you are still on it"


def success_words(outcome: Outcome) -> str:
    change = outcome.change
    request = outcome.request
    if request is None:
        return outcome.message
    mode = request.snoop_type.value.upper()
    heard = request.snoop_type.heard_by
    if change is not None and change.kind is Change.SWITCHED:
        return f"{request.call_id} is now {mode}: {heard}."
    if change is not None and change.kind is Change.OVERTAKEN:
        later = change.now
        return (
            f"{mode} on {request.call_id} was answered after {later.mode.value.upper()} on {later.call_id}, "
            f"which you asked for later: you stay on {later.call_id}. DeepCall may ring "
            f"{mask_phone(request.snooper_number)} for both."
        )
    return (
        f"{mode} on {request.call_id} (agent {request.target_entity_val}): DeepCall is ringing "
        f"{mask_phone(request.snooper_number)}. Answer to start, hang up to stop; {heard}."
    )
