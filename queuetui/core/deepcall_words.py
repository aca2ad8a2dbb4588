"""DeepCall's refusals said in a supervisor's terms: what happened on the floor and what to do, with the call, the
agent and the phone named. DeepCall's own text and code are not lost: the outcome keeps them for the log, the audit
record and `barge --json` (see `Service._failed`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from queuetui.api.text import mask_phone

if TYPE_CHECKING:
    from queuetui.api.errors import DeepCallError
    from queuetui.api.models import BargeRequest
    from queuetui.core.outcome import Outcome


def floor_words(error: DeepCallError, request: BargeRequest) -> str | None:
    """What DeepCall's refusal of `request` means on the floor, ending with what to do; None for a refusal this
    does not know, which is then told as DeepCall's title and its advice."""
    call, agent = request.call_id, request.target_entity_val
    field = error.field
    if error.code == 1012:
        return f"{call} is not a live call (it may have ended): check the call id"
    if error.code == 1003:
        return f"DeepCall knows no agent {agent}: check the target agent"
    if error.code == 1043:
        return f"Agent {agent} is not logged in: pick the agent on {call} from the live list"
    if error.code == 1005:
        return f"DeepCall cannot ring {mask_phone(request.snooper_number)}: check your phone number"
    if error.code == 1502 and field == "targetEntityVal":
        return f"Agent {agent} is not on {call}: check the target agent"
    if error.code == 1502 and field == "snoopType":
        return f"DeepCall does not take the mode {request.snoop_type.value} for {call}: pick another mode"
    if error.code == 1502 and field == "targetEntityType":
        return f"DeepCall does not take {request.target_entity_type} as a target: use agent"
    return None


def list_shows(message: str, listed_agent: str) -> str:
    """`message` (an agent refused on a call) told with the agent the live list shows on that call, before the
    advice: "Agent 13 is not on C-10017: the list shows agent 21; send again with agent 21"."""
    said = message.partition(": check ")[0]
    return f"{said}: the list shows agent {listed_agent}; send again with agent {listed_agent}"


def took_it(outcome: Outcome) -> str:
    """A success as the log keeps it: how long DeepCall took, and its own answer word for word."""
    tries = f"{outcome.attempts} tries" if outcome.attempts > 1 else "1 try"
    what = outcome.request.snoop_type.value if outcome.request is not None else "request"
    return f"DeepCall took the {what} in {outcome.latency_ms:.0f} ms ({tries}); it said: {outcome.server_text}"
