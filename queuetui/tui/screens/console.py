"""The console: the call-entry form, this shift's sessions and the log.

Every send runs in a thread worker through the shared service, so the UI never waits on the network.
A call already in flight cannot be sent again from here (and the service refuses it as well).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static
from textual.worker import Worker, WorkerState, get_current_worker

from queuetui.api.errors import Category
from queuetui.api.modes import SnoopType
from queuetui.core.outcome import Outcome, OutcomeKind
from queuetui.tui.messages import RetryScheduled, SendFinished
from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen
from queuetui.tui.widgets.log_panel import LogPanel
from queuetui.tui.widgets.mode_selector import ModeSelector
from queuetui.tui.widgets.sessions_table import SessionEntry, SessionsTable
from queuetui.tui.widgets.status_header import StatusHeader

if TYPE_CHECKING:
    from queuetui.api.models import BargeRequest, FieldErrors
    from queuetui.core.outcome import RetryNotice
    from queuetui.tui.app import QueueApp

# Form widgets by the wire name of the field they hold, so server and validation errors can focus them.
FIELD_WIDGETS = {
    "callId": "#call-id",
    "snoopType": "#mode",
    "targetEntityType": "#target-type",
    "targetEntityVal": "#target-value",
    "snooperNumber": "#snooper",
}
_SPINNER = "\u280b\u2819\u2839\u2838\u283c\u2834\u2826\u2827\u2807\u280f"


class ConsoleScreen(Screen[None]):
    # Not priority: a priority binding runs before the keys typed ahead of it reach their field, so Send
    # or a mode switch would act on a half-typed form.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "send",
            "Send",
            id="console.send",
            tooltip="Send the form (Enter in any field does the same)",
        ),
        Binding("f2", "mode('spy')", "Spy", id="console.spy", tooltip="Mode spy: listen, nobody hears you"),
        Binding(
            "f3",
            "mode('whisper')",
            "Whisper",
            id="console.whisper",
            tooltip="Mode whisper: the agent hears you, the customer does not",
        ),
        Binding(
            "f4",
            "mode('barge')",
            "Barge",
            id="console.barge",
            tooltip="Mode barge: agent and customer hear you (asks to confirm)",
        ),
        Binding("ctrl+l", "clear_log", "Clear", id="console.clear_log", tooltip="Clear the log panel"),
        # Priority, unlike the rest: Input binds ctrl+e to "end", which would swallow it in every field.
        # Export does not read the form, so it cannot act on a half-typed one.
        Binding(
            "ctrl+e",
            "export_log",
            "Export",
            id="console.export_log",
            show=False,
            priority=True,
            tooltip="Export the log panel to a file",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._in_flight: dict[str, float] = {}  # call id -> start time
        self._confirming: set[str] = set()  # barges waiting for the supervisor's answer
        self._workers: dict[Worker[None], BargeRequest] = {}
        self._tick = 0

    @property
    def queue_app(self) -> QueueApp:
        return cast("QueueApp", self.app)

    def compose(self) -> ComposeResult:
        # The profile is not known yet (it loads after the first paint): `apply_profile` fills it in.
        yield StatusHeader(id="status")
        with Horizontal(id="top"):
            with Vertical(id="form"):
                with Horizontal(classes="row"):
                    yield Label("Call ID", classes="label")
                    yield Input(placeholder="e.g. C-10023", id="call-id", compact=True, max_length=64)
                with Horizontal(classes="row"):
                    yield Label("Mode", classes="label")
                    yield ModeSelector(frozenset(SnoopType), id="mode")
                yield Static("", id="mode-help")
                with Horizontal(classes="row"):
                    yield Label("Target", classes="label")
                    yield Input("agent", id="target-type", compact=True, max_length=32)
                    yield Input(placeholder="agent id", id="target-value", compact=True, max_length=64)
                with Horizontal(classes="row"):
                    yield Label("Snooper no.", classes="label")
                    yield Input(placeholder="your phone", id="snooper", compact=True, max_length=24)
                with Horizontal(classes="row"):
                    yield Button("Send", id="send", compact=True, variant="primary")
                    yield Static("", id="send-status")
                yield Static("", id="form-error")
            yield SessionsTable(id="sessions")
        yield LogPanel(id="log")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#form").border_title = "Monitor a call"
        self.query_one("#sessions").border_title = "Sessions this shift"
        self.query_one("#log").border_title = "Log"
        for field in self.query(Input):
            field.cursor_blink = not self.queue_app.still
        self.watch(self.query_one(ModeSelector), "mode", self._show_mode)
        self.refresh_header()
        self.set_interval(0.1, self._tick_status, pause=False)
        self.query_one("#call-id", Input).focus()

    # ----- header, mode and status line -------------------------------------------------------------

    def apply_profile(self) -> None:
        """After sign-in: the profile's allowed modes, and its snooper and target type where the form is empty."""
        profile = self.queue_app.profile
        self.query_one(ModeSelector).set_allowed(frozenset(profile.allowed_modes))
        for selector, value in (("#snooper", profile.snooper_number), ("#target-type", profile.target_type)):
            field = self.query_one(selector, Input)
            if not field.value.strip():
                field.value = value
        self.refresh_header()

    def refresh_header(self) -> None:
        app = self.queue_app
        if not self.is_mounted:
            return
        if not app.ready.is_set():
            self.query_one(StatusHeader).starting()
            return
        service = app.service
        for env in type(app.profile.environment):
            self.set_class(env is app.profile.environment, f"-env-{env.value}")
        self.query_one(StatusHeader).show(
            app.profile.environment,
            f"{app.profile_name}@{service.host}" if service else "",
            service.credentials.identity if service else "",
            app.masked_snooper(self.query_one("#snooper", Input).value),
        )

    def _show_mode(self, mode: SnoopType) -> None:
        help_line = self.query_one("#mode-help", Static)
        help_line.update(mode.heard_by[:1].upper() + mode.heard_by[1:])  # keeps the capitals of AND
        help_line.set_class(mode is SnoopType.BARGE, "-barge")
        self.query_one("#form").set_class(mode is SnoopType.BARGE, "-barge")
        self.query_one("#send", Button).label = "Send BARGE" if mode is SnoopType.BARGE else "Send"
        self.query_one("#send", Button).variant = "error" if mode is SnoopType.BARGE else "primary"

    def _tick_status(self) -> None:
        self._tick += 1
        status = self.query_one("#send-status", Static)
        if not self._in_flight:
            if str(status.render()):
                status.update("")
            return
        if self.queue_app.still:
            status.update(f"\u2026 sending {', '.join(self._in_flight)}")
            return
        now = time.monotonic()
        spin = _SPINNER[self._tick % len(_SPINNER)]
        parts = [f"{call} {now - started:.1f}s" for call, started in self._in_flight.items()]
        status.update(f"{spin} sending {', '.join(parts)}")

    def _update_send_button(self) -> None:
        call_id = self.query_one("#call-id", Input).value.strip()
        self.query_one("#send", Button).disabled = call_id in self._in_flight or call_id in self._confirming

    # ----- sending ----------------------------------------------------------------------------------

    def _form_fields(self) -> dict[str, object]:
        return {
            "callId": self.query_one("#call-id", Input).value,
            "snoopType": self.query_one(ModeSelector).mode.value,
            "targetEntityType": self.query_one("#target-type", Input).value,
            "targetEntityVal": self.query_one("#target-value", Input).value,
            "snooperNumber": self.query_one("#snooper", Input).value,
        }

    def action_send(self) -> None:
        from queuetui.api.models import FieldErrors, parse_request

        if not self.queue_app.ready.is_set():
            return
        try:
            request = parse_request(self._form_fields())
        except FieldErrors as errors:
            self._show_field_errors(errors)
            return
        self._clear_field_errors()
        self.request_send(request)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_send()

    @on(Button.Pressed, "#send")
    def _send_pressed(self) -> None:
        self.action_send()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.input.id == "call-id":
            self._update_send_button()
        elif event.input.id == "snooper":
            self.refresh_header()
        event.input.remove_class("-invalid")

    def request_send(self, request: BargeRequest) -> None:
        """Send after the checks a supervisor relies on: not twice for one call, barge only when confirmed."""
        app = self.queue_app
        if app.service is None:
            app.require_login("Sign in first")
            return
        if request.call_id in self._in_flight or request.call_id in self._confirming:
            app.report("warning", f"Call {request.call_id} is already being sent; wait for its answer")
            return
        if request.snoop_type not in app.service.allowed_modes:
            app.report("error", f"{request.snoop_type.value} is not allowed for profile {app.profile_name}")
            return
        if request.snoop_type is SnoopType.BARGE and app.profile.confirm_barge:
            # Reserve the call now: Enter pressed again behind the dialog must not open a second one.
            self._confirming.add(request.call_id)
            self._update_send_button()

            def answered(confirmed: bool | None) -> None:
                self._confirming.discard(request.call_id)
                if confirmed:
                    self._dispatch(request)
                else:
                    app.report("info", f"Barge on call {request.call_id} cancelled; nothing sent")
                    self._update_send_button()

            self.app.push_screen(ConfirmBargeScreen(request), answered)
            return
        self._dispatch(request)

    def _dispatch(self, request: BargeRequest) -> None:
        self._in_flight[request.call_id] = time.monotonic()
        self._update_send_button()
        self.queue_app.log_line("request", request.describe())
        worker = self._send_in_thread(request)
        self._workers[worker] = request

    @work(thread=True, group="send", exit_on_error=False)
    def _send_in_thread(self, request: BargeRequest) -> None:
        service = self.queue_app.service
        if service is None:  # signed out between Send and this thread starting: free the call
            self.post_message(SendFinished(request, Outcome(OutcomeKind.REFUSED, "Not sent: signed out", request)))
            return
        worker = get_current_worker()

        def on_retry(notice: RetryNotice) -> None:
            self.post_message(RetryScheduled(notice))

        outcome = service.send(request, on_retry=on_retry, cancel=worker.cancelled_event)
        self.post_message(SendFinished(request, outcome))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        request = self._workers.get(event.worker)
        if request is None or event.state not in (WorkerState.ERROR, WorkerState.SUCCESS, WorkerState.CANCELLED):
            return
        del self._workers[event.worker]
        if event.state is WorkerState.ERROR:
            # A bug, not a server answer: say so plainly and free the call; the app keeps running.
            self._in_flight.pop(request.call_id, None)
            self._update_send_button()
            error = event.worker.error
            self.queue_app.report("error", f"Internal error while sending {request.call_id}: {type(error).__name__}")

    def on_retry_scheduled(self, message: RetryScheduled) -> None:
        notice = message.notice
        self.queue_app.report(
            "warning",
            f"Call {notice.request.call_id} is still being processed (1501): "
            f"retry {notice.attempt} of {notice.max_attempts} in {notice.delay_s:.1f} s",
        )

    def on_send_finished(self, message: SendFinished) -> None:
        request, outcome = message.request, message.outcome
        self._in_flight.pop(request.call_id, None)
        self._update_send_button()
        self.query_one(SessionsTable).record(SessionEntry(self.queue_app.clock(), request, outcome))
        self._report_outcome(outcome)

    def _report_outcome(self, outcome: Outcome) -> None:
        app = self.queue_app
        if outcome.audit_problem:
            app.report("error", f"NOT recorded in the audit trail: {outcome.audit_problem}")
        if outcome.ok:
            app.log_line("ok", f"200 {outcome.server_text}  {outcome.latency_ms:.0f} ms  (tries {outcome.attempts})")
            app.report("ok", outcome.message)
            app.remember_snooper(outcome.request.snooper_number if outcome.request else "")
            return
        if outcome.kind is OutcomeKind.REFUSED:
            app.report("warning", outcome.message)
            return
        if outcome.category is Category.AUTH:
            app.report("error", outcome.message)
            app.require_login("Sign in again: the server refused the credentials")
            return
        app.report("error", outcome.message)
        if outcome.field:
            self._focus_field(outcome.field)

    # ----- inline errors ----------------------------------------------------------------------------

    def _show_field_errors(self, errors: FieldErrors) -> None:
        self._clear_field_errors()
        for problem in errors.problems:
            selector = FIELD_WIDGETS.get(problem.field)
            if selector:
                self.query_one(selector).add_class("-invalid")
        self.query_one("#form-error", Static).update(f"\u2717 {errors}")
        self.queue_app.log_line("error", f"Not sent: {errors}")
        self._focus_field(errors.first_field)

    def _clear_field_errors(self) -> None:
        self.query_one("#form-error", Static).update("")
        for selector in FIELD_WIDGETS.values():
            self.query_one(selector).remove_class("-invalid")

    def _focus_field(self, field: str) -> None:
        selector = FIELD_WIDGETS.get(field)
        if selector:
            widget = self.query_one(selector)
            widget.add_class("-invalid")
            widget.focus()

    # ----- other actions ----------------------------------------------------------------------------

    def action_mode(self, mode: str) -> None:
        self.query_one(ModeSelector).choose(SnoopType(mode))

    def on_mode_selector_refused(self, message: ModeSelector.Refused) -> None:
        self.queue_app.report(
            "warning", f"{message.mode.value} is not allowed for profile {self.queue_app.profile_name}"
        )

    def on_sessions_table_rerun(self, message: SessionsTable.Rerun) -> None:
        self.request_send(message.request)

    def action_clear_log(self) -> None:
        self.query_one(LogPanel).clear()

    def action_export_log(self) -> None:
        self.queue_app.export_log()

    @property
    def in_flight(self) -> frozenset[str]:
        return frozenset(self._in_flight)
