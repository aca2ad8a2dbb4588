"""This shift's past actions, read back from the audit trail, so a console restarted mid-shift shows them
again. Only the records of the same OS user, profile and signed-in identity, from today, count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from queuetui.api.fields import FieldErrors
from queuetui.api.models import BargeRequest, parse_request
from queuetui.core.audit.trail import ShiftSummary, record_time, shift_records, shift_summary
from queuetui.core.outcome import Outcome, OutcomeKind


@dataclass(frozen=True)
class PastAction:
    when: datetime
    request: BargeRequest
    outcome: Outcome

    @property
    def unanswered(self) -> str:
        """What to tell the supervisor of a request sent whose answer never reached the trail; "" otherwise."""
        if self.outcome.kind is not OutcomeKind.UNANSWERED:
            return ""
        mode = self.request.snoop_type.value
        return f"Your {mode} on {self.request.call_id} at {self.when:%H:%M} was sent; its answer was never recorded"


def _past_action(record: dict[str, object]) -> PastAction | None:
    """A record as the action it was, or None when it no longer reads as one (an older or damaged record)."""
    moment = record_time(record)
    try:
        request = parse_request(
            {
                "callId": record.get("call_id"),
                "snoopType": record.get("mode"),
                "targetEntityType": record.get("target_type"),
                "targetEntityVal": record.get("target"),
                "snooperNumber": record.get("snooper"),
            }
        )
        kind = OutcomeKind(record.get("outcome"))
    except (FieldErrors, ValueError):
        return None
    if moment is None:
        return None
    code = record.get("code")
    attempts = record.get("attempts")
    outcome = Outcome(
        kind,
        str(record.get("message", "")),
        request,
        code=code if isinstance(code, int) else None,
        attempts=attempts if isinstance(attempts, int) else 0,
    )
    return PastAction(moment.astimezone(), request, outcome)


def past_actions(
    audit_path: Path, os_user: str, profile: str, identity: str, today: datetime
) -> tuple[list[PastAction], ShiftSummary]:
    records = shift_records(audit_path, os_user, profile, identity, today.date())
    actions = [action for action in map(_past_action, records) if action is not None]
    return actions, shift_summary(records)
