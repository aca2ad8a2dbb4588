"""From what the supervisor asked for to a send on its way: the form's fields or a row of the floor made into a
request by the session, the barge question (and the warning that others on the call will hear you) asked first
when the session or the floor's presence says so, then the send on a worker (`Sends`). A barge waiting for its
answer holds its call: Enter again behind the question opens no second one. Each outcome is recorded in the sessions
list and reported (`outcome_report`), and what its report asks for next comes back to `follow_up`."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from textual.screen import Screen

from queuetui.api.modes import SnoopType
from queuetui.tui.messages import LoginRequired, SnooperUsed
from queuetui.tui.outcome_report import record_outcome, report_outcome
from queuetui.tui.sends import Sends
from queuetui.tui.tour import Happened

if TYPE_CHECKING:
    from textual.worker import Worker

    from queuetui.api.models import BargeRequest
    from queuetui.core.barge_check import Confirmed
    from queuetui.core.floor.calls import LiveCall
    from queuetui.core.floor.stale_list import StaleList
    from queuetui.core.outcome import Outcome
    from queuetui.core.presence.entry import Presence, PresenceView
    from queuetui.core.session import Session
    from queuetui.tui.messages import RetryScheduled, SendFinished
    from queuetui.tui.outcome_report import FollowUp
    from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen
    from queuetui.tui.voice import Voice
    from queuetui.tui.widgets.call_form import CallForm
    from queuetui.tui.widgets.sessions_table import SessionsTable


@dataclass(eq=False, kw_only=True)
class SendFlow:
    screen: Screen[None]
    session: Callable[[], Session | None]
    form: Callable[[], CallForm]
    presence: Callable[[], PresenceView | None]
    clock: Callable[[], datetime]
    voice: Voice
    saw: Callable[[Happened], None]
    answered: Callable[[], None]  # a question closed: held notices may show
    sessions: Callable[[], SessionsTable]  # where each outcome is recorded
    monitoring_changed: Callable[[], None]  # an outcome may change the call the supervisor is on
    sends: Sends = field(init=False)

    def __post_init__(self) -> None:
        self.sends = Sends(self.screen)

    def update_button(self) -> None:
        self.form().show_busy(self.sends.busy)

    def show_sending(self, tick: int, quiet: bool) -> None:
        """The line under Send: what is on its way, at the console's status tick (`status_tick`)."""
        self.form().show_sending(self.sends.status(tick, quiet))

    def send_form(self, started_up: bool) -> None:
        """Enter in the form: its fields as they are now. Not before start-up is over (a click: keys typed this early
        are held until it is)."""
        if not started_up:
            self.voice.report("error", "Still starting: nothing sent")
            return
        form = self.form()
        refused = form.modes.take_refused()
        if refused is not None:
            # A mode key the profile refused, then Enter: the form still shows the mode before it, which is not
            # the one the supervisor asked for.
            self.voice.report("error", f"{refused.value.upper()} is not allowed in this profile: nothing sent")
            return
        self.send_fields(form.fields())

    def send_fields(self, fields: Mapping[str, object]) -> None:
        """Send the form's fields, or mark what is wrong with them."""
        from queuetui.api.fields import FieldErrors

        session = self.session()
        if session is None:
            return
        form = self.form()
        try:
            request = session.prepare(fields)
        except FieldErrors as errors:
            form.show_errors(errors)
            self.voice.log("error", f"Not sent: {errors}")
            return
        form.clear_errors()
        form.show_as_sent(request)
        self.request_send(request)

    def act_on(self, call: LiveCall, mode: SnoopType, *, follow: bool = False) -> None:
        """Act on a row of the floor, with the form's snooper number."""
        from queuetui.api.fields import FieldErrors

        session = self.session()
        if session is None:
            return
        if call.agent is None:
            self.voice.report("error", f"The live list does not say which agent is on {call.call_id}: use the form")
            return
        form = self.form()
        fields = {
            "callId": call.call_id,
            "snoopType": mode.value,
            "targetEntityType": "agent",
            "targetEntityVal": call.agent,
            "snooperNumber": form.field("#snooper").value,
        }
        try:
            request = session.prepare(fields)
        except FieldErrors as errors:
            # The list keeps the focus: the keys typed behind this one are meant for it, not for a form field. The
            # form's own field (the snooper number) is marked; the rest came from the list, not the form.
            self.voice.report("warning", f"{mode.value.upper()} on {call.call_id} not sent: {errors}")
            if any(problem.field == "snooperNumber" for problem in errors.problems):
                form.mark_invalid("snooperNumber")
            return
        form.show_as_sent(request, ("snooperNumber",))  # the rest came from the list, not the form
        stale = session.stale_list(mode)
        if stale is not None:
            self.voice.report("warning", stale.caution(mode.value, call.call_id))
        self.request_send(request, stale, follow=follow)

    def request_send(self, request: BargeRequest, stale: StaleList | None = None, *, follow: bool = False) -> None:
        """Send after the checks a supervisor relies on: barge only when confirmed, never twice at once. `stale`:
        the stale live list the request was picked from, which its audit records name; `follow`: a spy on a followed
        agent's new call, which its records say."""
        session = self.session()
        if session is None:
            self.screen.post_message(LoginRequired("Sign in first"))
            return
        asked = self.sends.confirming.get(request.call_id)  # a whisper asks too, when others are on the call
        if asked is not None:
            waiting = f"{asked} on call {request.call_id} is waiting for your answer"
            self.voice.report("warning", f"{waiting}; not sent again")
            return
        from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen

        others = self._others_on(request)
        if others or session.needs_confirmation(request):
            self._ask(ConfirmBargeScreen(request, others, self.clock().timestamp()), session, request, stale)
            return
        self._dispatch(request, stale=stale, follow=follow)

    def _ask(
        self, question: ConfirmBargeScreen, session: Session, request: BargeRequest, stale: StaleList | None
    ) -> None:
        # Reserve the call now: Enter pressed again behind the dialog must not open a second one.
        what = request.snoop_type.value.capitalize()
        self.sends.confirming[request.call_id] = what
        self.update_button()

        def answered(confirmed: bool | None) -> None:
            self.sends.confirming.pop(request.call_id, None)
            self.answered()
            if confirmed and self.session() is not session:
                # Signed out (and perhaps in as someone else) from the palette while the question was open: the
                # action was asked for under the session that is gone.
                self.voice.report("warning", f"{what} on call {request.call_id} not sent: you signed out meanwhile")
                self.form().step_down_from_barge()
                self.update_button()
            elif confirmed and request.snoop_type is SnoopType.BARGE:
                from queuetui.core.barge_check import Confirmed

                self._dispatch(request, Confirmed.of(request, time.monotonic()))
            elif confirmed:
                self._dispatch(request, stale=stale)
            else:
                self.voice.report("info", f"{what} on call {request.call_id} cancelled; nothing sent")
                self.saw(Happened("barge-cancelled"))
                self.form().step_down_from_barge()
                self.update_button()

        self.screen.app.push_screen(question, answered)

    def _others_on(self, request: BargeRequest) -> tuple[Presence, ...]:
        """The other supervisors on the request's call, when it is one the supervisor will be heard on."""
        presence = self.presence()
        if presence is None or request.snoop_type is SnoopType.SPY:
            return ()
        return presence.others_on(request.call_id)

    def _dispatch(
        self,
        request: BargeRequest,
        confirmed: Confirmed | None = None,
        stale: StaleList | None = None,
        *,
        follow: bool = False,
    ) -> None:
        session = self.session()
        if session is None:
            return
        refused = session.admit(request)
        if refused is not None:
            self._outcome(request, refused)
            return
        self.sends.start(session, request, confirmed, stale, follow)
        self.update_button()
        self.voice.log("request", request.describe())
        if request.snoop_type is SnoopType.BARGE:
            self.form().step_down_from_barge()

    def worker_changed(self, event: Worker.StateChanged) -> None:
        request = self.sends.failed(event)
        if request is not None:
            # A bug, not a server answer: say so plainly and free the call; the app keeps running.
            self.update_button()
            error = event.worker.error
            self.voice.report("error", f"Internal error while sending {request.call_id}: {type(error).__name__}")

    def retry_scheduled(self, message: RetryScheduled) -> None:
        """One notice for a call's retries, saying the latest: each retry's takes the place of the one before, which
        would otherwise cover the log's line for this retry with an older number. Every retry goes to the log and the
        status line."""
        notice = message.notice
        call_id = notice.request.call_id
        which = f"retry {notice.attempt - 1} of {notice.max_attempts - 1}"
        text = f"Call {call_id} is still being processed (1501): {which} in {notice.delay_s:.1f} s"
        self.sends.retrying[call_id] = which
        self.voice.report_instead("warning", text, self.sends.retry_notices.get(call_id, ""))
        self.sends.retry_notices[call_id] = text

    def finished(self, message: SendFinished) -> None:
        self.sends.finished(message.request.call_id)
        self._outcome(message.request, message.outcome)

    def _outcome(self, request: BargeRequest, outcome: Outcome) -> None:
        """An outcome: the Send button, the sessions list, the log and a notice, the tour, the call marked."""
        self.update_button()
        record_outcome(self.sessions(), self.clock(), request, outcome)
        report_outcome(outcome, self.session(), self.voice, self.follow_up)
        self.saw(Happened("outcome", outcome))
        self.monitoring_changed()

    def follow_up(self, follow_up: FollowUp) -> None:
        """What the report of an outcome asks for next (`outcome_report`)."""
        if follow_up.snooper_used is not None:
            self.screen.post_message(SnooperUsed(follow_up.snooper_used))
        if follow_up.ask_again is not None:
            self.request_send(follow_up.ask_again)
        if follow_up.sign_in_again:
            self.screen.post_message(LoginRequired("Sign in again: the server refused the credentials", refused=True))
        if follow_up.mark_field is not None:
            self.form().focus_field(follow_up.mark_field, follow_up.sent)
