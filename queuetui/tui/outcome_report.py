"""What the console says when an action's outcome comes back, and what it does next: the log and a notice for every
outcome, the sign-in accepted the first time it works, the leg it left, what DeepCall said of a failure. The
follow-ups (ask again, sign in again, mark a field, remember the snooper) are handed to the send flow to carry out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from queuetui.api.errors import Category
from queuetui.core.deepcall_words import took_it as deepcall_took_it
from queuetui.core.monitoring import Change
from queuetui.core.outcome import OutcomeKind
from queuetui.tui.outcome_words import left_words, success_words

if TYPE_CHECKING:
    from datetime import datetime

    from queuetui.api.models import BargeRequest
    from queuetui.core.outcome import Outcome
    from queuetui.core.session import Session
    from queuetui.tui.voice import Voice
    from queuetui.tui.widgets.sessions_table import SessionsTable


@dataclass(frozen=True)
class FollowUp:
    snooper_used: str | None = None  # worked: the profile may remember it
    ask_again: BargeRequest | None = None  # the server wants the supervisor's yes before it goes
    sign_in_again: bool = False  # the server refused the credentials
    mark_field: str | None = None  # the field the server's refusal names
    sent: BargeRequest | None = None  # what was sent, to tell whether the form still holds it


def record_outcome(table: SessionsTable, when: datetime, request: BargeRequest, outcome: Outcome) -> None:
    """A row in the sessions list: marked live, left or overtaken by what the outcome did to the monitoring."""
    from queuetui.tui.widgets.session_entry import SessionEntry

    kind = outcome.change.kind if outcome.change is not None else None
    table.record(
        SessionEntry(when, request, outcome),
        live=kind is not None and kind is not Change.OVERTAKEN,
        left=kind is Change.REPLACED,
        overtaken=kind is Change.OVERTAKEN,
    )


def report_outcome(outcome: Outcome, session: Session | None, voice: Voice, follow: Callable[[FollowUp], None]) -> None:
    """Say what `outcome` means, `follow` it up, then say what else the session found wrong meanwhile: after the
    follow-up, so a question it opens holds those notices back too."""
    if outcome.audit_problem:
        voice.report("error", f"Answer NOT recorded in the audit trail (its attempt is): {outcome.audit_problem}")
    follow(_said(outcome, session, voice))
    if session is not None:
        for problem in session.take_problems():
            voice.report("warning", problem)


def _said(outcome: Outcome, session: Session | None, voice: Voice) -> FollowUp:
    if outcome.ok:
        if session is not None and session.credentials_accepted():
            voice.log("ok", "DeepCall accepted your sign-in")
        voice.log("ok", deepcall_took_it(outcome))
        voice.report("ok", success_words(outcome))
        change = outcome.change
        if change is not None and change.before is not None and change.kind in (Change.REPLACED, Change.OVERTAKEN):
            voice.log("info", left_words(change.before))
        return FollowUp(snooper_used=outcome.request.snooper_number if outcome.request is not None else None)
    if outcome.kind is OutcomeKind.REFUSED:
        voice.report("warning", outcome.message)
        return FollowUp(ask_again=outcome.ask_again)
    voice.report("error", outcome.message)
    if outcome.category is Category.AUTH:
        return FollowUp(sign_in_again=True)
    if outcome.server_text:
        voice.log("info", f"DeepCall said: {outcome.server_text}")
    return FollowUp(mark_field=outcome.field or None, sent=outcome.request)
