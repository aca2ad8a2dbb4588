"""The console: what is live on the top line, the call-entry form, this shift's sessions and the log.

The request is read from the form at the moment Enter (or Ctrl+S) is pressed, in key order: keys typed after it
change only the next action. Keys typed while the console is still starting are held by the app and typed in
once it has its session, profile and keymap; an Enter in the filter waits for the first live list. Sends run in
thread workers through the core session, so the UI never waits on the network; the session refuses a call
already in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Input, Label, Static
from textual.worker import Worker, WorkerState, get_current_worker

from queuetui.api.errors import Category
from queuetui.api.fields import CALL_ID_MAX
from queuetui.api.modes import SnoopType
from queuetui.api.text import mask_phone
from queuetui.core.monitoring import Change
from queuetui.core.outcome import Outcome, OutcomeKind
from queuetui.tui.messages import (
    FloorUpdated,
    LoginRequired,
    PresenceUpdated,
    RetryScheduled,
    SendFinished,
    ShiftLoaded,
    SnooperUsed,
    TourEvent,
)
from queuetui.tui.textual_private import keep_newest_notification
from queuetui.tui.tour import Happened, KeysOf, Tour
from queuetui.tui.widgets.floor_panel import FloorPanel
from queuetui.tui.widgets.form_input import FormInput
from queuetui.tui.widgets.key_bar import KeyBar
from queuetui.tui.widgets.key_caster import KeyCaster
from queuetui.tui.widgets.live_calls import LiveCallsTable
from queuetui.tui.widgets.log_panel import LogPanel, ReportKind
from queuetui.tui.widgets.mode_selector import ModeSelector
from queuetui.tui.widgets.send_button import SendButton
from queuetui.tui.widgets.session_entry import SessionEntry
from queuetui.tui.widgets.status_header import HeaderFacts, StatusHeader

if TYPE_CHECKING:
    from textual.css.query import QueryType

    from queuetui.api.fields import FieldErrors
    from queuetui.api.models import BargeRequest
    from queuetui.core.barge_check import Confirmed
    from queuetui.core.floor.calls import LiveCall
    from queuetui.core.floor.poller import FloorSnapshot
    from queuetui.core.floor.stale_list import StaleList
    from queuetui.core.monitoring import Monitoring, MonitoringChange
    from queuetui.core.outcome import RetryNotice
    from queuetui.core.presence.entry import Presence, PresenceView
    from queuetui.core.session import Session
    from queuetui.tui.widgets.sessions_table import SessionsTable

SESSIONS_TITLE = "Sessions this shift"

# Form widgets by the wire name of the field they hold, so server and validation errors can focus them.
FIELD_WIDGETS = {
    "callId": "#call-id",
    "snoopType": "#mode",
    "targetEntityType": "#target-type",
    "targetEntityVal": "#target-value",
    "snooperNumber": "#snooper",
}
# The form's fields in Tab order.
FORM_ORDER = ("#call-id", "#target-type", "#target-value", "#snooper")
_SPINNER = "\u280b\u2819\u2839\u2838\u283c\u2834\u2826\u2827\u2807\u280f"
_SEVERITY = {"ok": "information", "info": "information", "warning": "warning", "error": "error"}
# How long an Enter in the filter waits for the first live list to search; every later key waits behind it.
FLOOR_WAIT_S = 5.0


def elapsed(seconds: float) -> str:
    minutes, secs = divmod(max(0, int(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes:02}:{secs:02}"


# Wider terminals get a wider form and sessions list (see app.tcss); 80 columns is the design size.
WIDTH_CLASSES = [(0, "-narrow"), (110, "-wide")]


class ConsoleScreen(Screen[None]):
    # Textual repaints the whole screen when the focus moves; over an SSH link that is every cell of the console
    # for a `/` or an Enter on a row. The widgets that lose and gain the focus redraw themselves, and so do those
    # whose styles depend on it: nothing else on screen changes.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    # Only the console has rules for the width classes. Set on the app, they went on every screen pushed (the
    # sign-in, the barge question, help) at its first resize, and that restyled each of its widgets again.
    HORIZONTAL_BREAKPOINTS = WIDTH_CLASSES
    # Send and the mode keys are priority bindings: the app runs them the moment the key arrives, in the order
    # typed. Send then waits for the form's fields to finish the keys typed before it, and reads the form
    # before any later key is handled. Ctrl+J is an Enter typed before the app had the terminal (a burst typed
    # with the command): the terminal turns it into a line feed.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter,ctrl+j,ctrl+s",
            "send",
            "Send",
            show=False,
            priority=True,
            id="console.send",
            tooltip="Send the form as it reads now (Enter in the form, or Ctrl+S)",
        ),
        # Each F-key has a Ctrl twin for terminals and SSH clients that do not send F-keys; the key bar names both.
        # No twin is the prefix key of a terminal multiplexer (Ctrl+B for tmux, Ctrl+A for screen): never delivered.
        Binding(
            "f2,ctrl+o",
            "mode('spy')",
            "Spy",
            priority=True,
            id="console.spy",
            tooltip="Mode spy: nobody hears you",
        ),
        Binding(
            "f3,ctrl+t",
            "mode('whisper')",
            "Whisper",
            priority=True,
            id="console.whisper",
            tooltip="Mode whisper: the agent hears you, the customer does not",
        ),
        Binding(
            "f4,ctrl+r",
            "mode('barge')",
            "Barge",
            priority=True,
            id="console.barge",
            tooltip="Mode barge: agent and customer hear you (asks to confirm)",
        ),
        # Priority too: handled after the keys typed behind it (`F5 Enter` in one burst), it let that Enter send
        # the form before the question of which call was hung up was asked.
        Binding(
            "f5,ctrl+g",
            "hung_up",
            "Hung up",
            priority=True,
            id="console.hung_up",
            tooltip="I hung up my phone: the live call is over for me",
        ),
        Binding(
            "f6,ctrl+y",
            "shift_summary",
            "Shift",
            show=False,
            id="console.shift",
            tooltip="This shift: actions by mode and outcome, time on shift",
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            show=False,
            priority=True,
            id="console.filter",
            tooltip="Filter the live calls",
        ),
        # Down in the filter goes to the first match; elsewhere it keeps its own meaning.
        Binding(
            "down",
            "first_match",
            "First match",
            show=False,
            priority=True,
            id="console.first_match",
            tooltip="In the filter: go to the first match (Enter does too)",
        ),
        Binding("escape", "leave_tour", "Leave tour", show=False, id="console.leave_tour", tooltip="Leave the tour"),
        Binding("ctrl+l", "clear_log", "Clear", show=False, id="console.clear_log", tooltip="Clear the log panel"),
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

    @staticmethod
    def width_class(width: int) -> str:
        """The class Textual's resize gives this screen at `width` columns."""
        return next(name for minimum, name in sorted(WIDTH_CLASSES, reverse=True) if width >= minimum)

    def __init__(
        self,
        *,
        still: bool = False,
        clock: Callable[[], datetime] | None = None,
        demo: bool = False,
        classes: str = "",
    ) -> None:
        super().__init__(classes=classes)
        # A demo is known to be one from the command line: its classes are set before the first paint, so
        # signing in to it changes no class and restyles nothing.
        self._demo_layout = demo
        self.still = still
        self.clock = clock or (lambda: datetime.now().astimezone())
        self.session: Session | None = None
        self._started: dict[str, float] = {}  # call id -> when its send started, for the spinner
        self._confirming: set[str] = set()  # barges waiting for the supervisor's answer
        self._held_notices: list[tuple[ReportKind, str]] = []  # toasts held back while a dialog is open
        self._workers: dict[Worker[None], BargeRequest] = {}
        self._retrying: dict[str, str] = {}  # call id -> which retry it is on, for the status line
        self._tick = 0
        self._checked = False  # the server accepted these credentials at least once
        self.tour: Tour | None = None
        self._resumed = False
        self._start_over = False  # signed in (a demo), or the sign-in screen is up
        self._typed = False  # a key has come in while this screen was on top
        self._floor_arrived = asyncio.Event()  # the session's first live list is shown
        self._reading: Session | None = None  # the session whose live list and shift read-back have started
        self._attached_tick = 0  # the status tick at which the session was attached
        self._resized_to: Size | None = None
        self.presence: PresenceView | None = None  # who else is on which call, once the session's presence says

    def compose(self) -> ComposeResult:
        # The profile is not known yet (it loads after the first paint): `attach` fills it in.
        framed = "-env-demo" if self._demo_layout else ""
        yield StatusHeader(id="status")
        with Horizontal(id="top", classes="-floor" if self._demo_layout else ""):
            with FloorPanel(id="floor", classes=framed):
                with Horizontal(classes="row"):
                    yield FormInput(placeholder="/ filter: call, agent, customer, queue", id="filter", compact=True)
                    yield Static("", id="floor-age")
                yield LiveCallsTable(id="calls")
                yield Static("", id="floor-detail")
            with Vertical(id="form"):
                with Horizontal(classes="row"):
                    yield Label("Call", classes="label")
                    yield FormInput(placeholder="e.g. C-10023", id="call-id", compact=True, paste_limit=CALL_ID_MAX)
                yield ModeSelector(frozenset(SnoopType), id="mode")
                yield Static("", id="mode-help")
                with Horizontal(classes="row"):
                    yield Label("Target", classes="label")
                    yield FormInput("agent", id="target-type", compact=True, paste_limit=32)
                    yield FormInput(placeholder="agent id", id="target-value", compact=True, paste_limit=64)
                with Horizontal(classes="row"):
                    yield Label("Phone", classes="label")
                    yield FormInput(
                        placeholder="yours, rung to connect you", id="snooper", compact=True, paste_limit=24
                    )
                with Horizontal(classes="row"):
                    yield SendButton("Send", id="send")
                    yield Static("", id="send-status")
                yield Static("", id="form-error")
        with Horizontal(id="bottom"):
            yield LogPanel(id="log", classes=framed)
            # Its table comes with the rest of start-up: see `show_sessions`.
            yield Static(id="sessions-waiting", classes=framed)
        yield Static("", id="tour")
        yield KeyCaster(id="keys")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#form").border_title = "Monitor a call"
        self.query_one("#sessions-waiting").border_title = SESSIONS_TITLE
        self.query_one("#log").border_title = "Log"
        self.query_one("#floor").border_title = "Live calls"
        for field in self.query(Input):
            field.cursor_blink = not self.still
        self.watch(self.query_one(ModeSelector), "mode", self._show_mode)
        self.refresh_header()
        self.set_interval(0.1, self._tick_status, pause=False)
        self.set_focus(self.query_one("#call-id", Input))

    # ----- the session ------------------------------------------------------------------------------

    def show_sessions(self) -> None:
        """Put the sessions list's table in its frame, as start-up's worker is done. It is Textual's DataTable, which
        the first frame would wait about 10 ms for (its module, its styles, its layout); the frame shows the list
        empty until then, and no action can be recorded before a session opens."""
        from queuetui.tui.widgets.sessions_table import SessionsTable  # loaded by `boot`, off this thread

        waiting = self.query_one("#sessions-waiting")
        table = SessionsTable(id="sessions", classes=" ".join(waiting.classes))
        table.border_title = SESSIONS_TITLE
        self.query_one("#bottom").mount(table, before=waiting)
        waiting.remove()

    def _sessions(self) -> SessionsTable:
        from queuetui.tui.widgets.sessions_table import SessionsTable

        return self.query_one(SessionsTable)

    def attach(self, session: Session | None) -> None:
        """Show a newly opened session (or none, after sign-out): its allowed modes, and its snooper and target
        type where the form is empty."""
        legs = self.session.monitoring.legs if self.session is not None and self.session is not session else ()
        for live in legs:
            # Signing out does not hang up the phone: DeepCall has no call for that.
            self.report("warning", self._left_words(live))
        self.session = session
        self._checked = False
        self.query_one(LiveCallsTable).restart()
        # Another supervisor may sign in next on a shared jump host: nothing of this one's shift stays.
        self._sessions().clear_entries()
        self._floor_arrived.clear()
        floor = session is not None and session.watch_floor(self._floor_updated)
        self.presence = None
        if session is not None:
            session.watch_presence(self._presence_updated)
        self.query_one("#top").set_class(floor, "-floor")
        # A session starts where the first one did: on the live list, else in the Call field. Only while no key
        # has come in since the last sign-out: a burst typed at launch keeps going where it was aimed. Counted as
        # keys arrive, not as fields change: a key on its way to a field has not changed it yet.
        if session is None:
            self._typed = False
        elif not self._typed:
            self.set_focus(self.query_one(LiveCallsTable) if floor else self.query_one("#call-id", Input))
        if session is not None:
            # After the frame that shows the session: begun now, the first fetch of the live list (and the HTTP
            # client it imports) and the read of the audit trail hold that frame up by about 14 ms. Textual runs
            # this on the screen on top at the time, which may close first (help opened and shut at once): the
            # status tick starts them too, a second on. Not sooner: the next tick may be due at once (it waited out
            # the start-up), and on a loaded machine the frame may take longer than a tick.
            self._attached_tick = self._tick
            self.call_after_refresh(self._start_reading)
            profile = session.profile
            # On the framed panels, not the screen: a class on the screen would restyle every widget in it.
            for panel in self.query("#floor, #log, #sessions"):
                for env in type(session.environment):
                    panel.set_class(env is session.environment, f"-env-{env.value}")
            self.query_one(ModeSelector).set_allowed(frozenset(profile.allowed_modes))
            for selector, value in (("#snooper", profile.snooper_number), ("#target-type", profile.target_type)):
                field = self.query_one(selector, Input)
                if not field.value.strip():
                    field.value = value
        self.refresh_header()

    def credentials_accepted(self) -> None:
        """The server has accepted the session's credentials (its live list did, as it opened)."""
        self._checked = True
        self.refresh_header()

    def start_finished(self) -> None:
        """Start-up is over (the app has attached the demo's session, or put up the sign-in screen)."""
        self._start_over = True

    def refresh_header(self) -> None:
        if not self.is_mounted:
            return
        header = self.query_one(StatusHeader)
        session = self.session
        self._show_mode_help()
        if session is None:
            if header.facts is None:
                return  # still starting: nothing to say yet
            header.show(HeaderFacts(header.facts.environment, "", "", ""))
            return
        live = session.monitoring.current
        now = self.clock()
        since = (now - live.mode_since).total_seconds() if live else 0.0
        phone = live.phone_words(now, session.is_demo) if live else ""
        header.show(
            HeaderFacts(
                session.environment,
                f"{session.name}@{session.host}",
                session.credentials.identity,
                self._masked_snooper(),
                live=live,
                elapsed=elapsed(since),
                phone=phone,
                checked=self._checked,
                left=session.monitoring.left,
                others=self.presence.top_line_words(live.call_id if live else None, now.timestamp())
                if self.presence is not None
                else ("",),
            )
        )

    # ----- presence: who else is on which call -------------------------------------------------------

    def _presence_updated(self, view: PresenceView) -> None:
        """On the presence thread: hand the view to the UI thread."""
        self.post_message(PresenceUpdated(view))

    def on_presence_updated(self, message: PresenceUpdated) -> None:
        if self.session is None or self.session.presence is None:
            return  # a view from a session signed out of since
        came_back = self.presence is not None and not self.presence.available and message.view.available
        if message.view.problem and (self.presence is None or not self.presence.problem):
            self.log_line("warning", f"Presence unavailable (actions still go out): {message.view.problem}")
        elif came_back:
            self.log_line("info", "Presence is back")
        self.presence = message.view
        self.query_one(LiveCallsTable).mark_others(message.view.calls_with_others())
        self.refresh_header()

    def _others_on(self, request: BargeRequest) -> tuple[Presence, ...]:
        """The other supervisors on the request's call, when it is one the supervisor will be heard on."""
        if self.presence is None or request.snoop_type is SnoopType.SPY:
            return ()
        return self.presence.others_on(request.call_id)

    # ----- the floor --------------------------------------------------------------------------------

    def _floor_updated(self, snapshot: FloorSnapshot, ended: tuple[Monitoring, ...]) -> None:
        """On the poller's thread: hand the refresh to the UI thread."""
        self.post_message(FloorUpdated(snapshot, ended))

    def on_floor_updated(self, message: FloorUpdated) -> None:
        table = self.query_one(LiveCallsTable)
        table.show(message.snapshot)
        for call_id in table.take_repeated():
            self.report("warning", f"The live list names {call_id} more than once: the first one is shown")
        self._floor_arrived.set()
        self._show_floor_age()
        self._floor_failed(message.snapshot)
        for ended in message.ended:
            self.report(
                "info", f"{ended.call_id} left the live list: you are off it ({ended.mode.value.upper()} ended)"
            )
        if message.ended:
            self._show_live()

    def _floor_failed(self, snapshot: FloorSnapshot) -> None:
        """A failed refresh goes to the log whole, as an action's failure does; a refusal of the credentials
        sends the supervisor back to sign in, the console kept as it is under the sign-in screen."""
        error = snapshot.error
        if error is None or self.session is None:
            return
        from queuetui.api.errors import category_of
        from queuetui.api.text import without_secrets

        text = f"Live list: {without_secrets(error.message, self.session.credentials.secrets())}"
        if category_of(error) is not Category.AUTH:
            self.log_line("error", f"{text} ({snapshot.failures} in a row)")
            return
        self.report("error", text)
        self.post_message(LoginRequired("Sign in again: the live list's server refused the credentials", refused=True))

    def _show_floor_age(self) -> None:
        session = self.session
        floor = session.floor if session is not None else None
        if floor is None:
            return
        snapshot = floor.snapshot
        table = self.query_one(LiveCallsTable)
        total = len(snapshot.calls)
        count = f"{table.matches} of {total}" if table.filter_text else f"{total}"
        noun = "call" if total == 1 else "calls"
        stale = snapshot.stale(floor.now())
        panel = self.query_one("#floor", FloorPanel)
        panel.show_subtitle(f"{count} {noun} \u00b7 {snapshot.status_words(floor.now())}")
        panel.set_class(stale, "-stale")
        table.mark_stale(stale)

    # Focus moves with `set_focus`, at once: `Widget.focus()` waits its turn in the app's queue, behind keys
    # already typed, which would then land in the widget that had the focus before.
    def action_filter(self) -> None:
        if not self.query_one("#top").has_class("-floor"):
            raise SkipAction()
        self.set_focus(self.query_one("#filter", Input))

    async def action_first_match(self) -> None:
        if self.focused is not self.query_one("#filter"):
            raise SkipAction()
        await self._to_first_match()

    async def _to_first_match(self) -> None:
        if self.session is not None and self.session.floor is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._floor_arrived.wait(), FLOOR_WAIT_S)
        table = self.query_one(LiveCallsTable)
        table.show(filter_text=self.query_one("#filter", Input).value)
        table.first_match()
        self.set_focus(table)

    def on_live_calls_table_act(self, message: LiveCallsTable.Act) -> None:
        from queuetui.api.fields import FieldErrors

        call = message.call
        if self.session is None:
            return
        if call.agent is None:
            self.report("error", f"The live list does not say which agent is on {call.call_id}: use the form")
            return
        fields = {
            "callId": call.call_id,
            "snoopType": message.mode.value,
            "targetEntityType": "agent",
            "targetEntityVal": call.agent,
            "snooperNumber": self.query_one("#snooper", Input).value,
        }
        try:
            request = self.session.prepare(fields)
        except FieldErrors as errors:
            # The list keeps the focus: the keys typed behind this one are meant for it, not for a form field. The
            # form's own field (the snooper number) is marked; the rest came from the list, not the form.
            self.report("warning", f"{message.mode.value.upper()} on {call.call_id} not sent: {errors}")
            for problem in errors.problems:
                if problem.field == "snooperNumber":
                    self.query_one(FIELD_WIDGETS[problem.field]).add_class("-invalid")
            return
        stale = self.session.stale_list(message.mode)
        if stale is not None:
            self.report("warning", stale.caution(message.mode.value, call.call_id))
        self.request_send(request, stale)

    def on_live_calls_table_highlighted(self, message: LiveCallsTable.Highlighted) -> None:
        """An id too long for its cell is shown whole under the list while its row is highlighted: acting uses the
        whole id, so the supervisor must be able to read it, and tell it from ids that share its head or tail."""
        detail = self.query_one("#floor-detail", Static)
        if message.shortened or detail.display:  # a hidden line stays as it is: an update would lay the panel out
            detail.update(Text(f"Call {message.call_id}") if message.shortened else "")
            detail.display = message.shortened

    def on_live_calls_table_no_call(self, message: LiveCallsTable.NoCall) -> None:
        self.report("warning", f"{message.mode.value.upper()} not sent: {message.why}")

    def on_live_calls_table_copy(self, message: LiveCallsTable.Copy) -> None:
        self._copy_to_form(message.call)

    def _copy_to_form(self, call: LiveCall) -> None:
        """Copy a call into the form, keeping the focus on the list: there Enter copies again and never sends, so a
        second Enter typed behind the first (a slow link shows the copy late) sends nothing. Tab goes on to the
        form (see `focus_next`), F2-F4 choose the mode, and Enter in the form sends."""
        self.query_one("#call-id", Input).value = call.call_id
        self.query_one("#target-type", Input).value = "agent"
        self.query_one("#target-value", Input).value = call.agent or ""

    def focus_next(self, selector: str | type[QueryType] = "*") -> Widget | None:
        """Tab from the live list goes to what is left to fill in the form: its first empty field (the phone,
        after a copy), or Call when none is, to read the form through from the top."""
        if self.focused is not self.query_one(LiveCallsTable) or selector != "*":
            return super().focus_next(selector)
        fields = [self.query_one(field_id, Input) for field_id in FORM_ORDER]
        target = next((field for field in fields if not field.value.strip()), fields[0])
        self.set_focus(target)
        return target

    def on_screen_suspend(self) -> None:
        self._resized_to = None
        if isinstance(self.app.screen, ModalScreen):
            # Notices already up would be drawn over the dialog that has just opened; the log keeps every word.
            self.app.clear_notifications()
        if self.session is not None and self.session.floor is not None:
            self.session.floor.pause()

    def on_resize(self, event: events.Resize) -> None:
        # Textual sends the terminal's size once more after the first frames, unchanged, and lays out and
        # repaints the whole console for it: about 15 ms while the session is being opened. A repeat is known
        # only while this screen stays on top: below another one it is resized without being told.
        if event.size == self._resized_to:
            event.prevent_default()
        self._resized_to = event.size

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles every widget of a screen that resumes. The first time, they were styled as they
        # mounted a moment before, with nothing changed since: skipping it is about 15 ms of the first paint.
        if not self._resumed:
            event.refresh_styles = False
            self._resumed = True
        if self.session is not None and self.session.floor is not None:
            self.session.floor.resume()
        self._show_held_notices()

    def _start_reading(self) -> None:
        """Start the attached session's live list and the read-back of its shift, once per session."""
        session = self.session
        if session is None or session is self._reading:
            return
        self._reading = session
        if session.floor is not None:
            session.floor.start()
        self._load_shift(session)

    @work(thread=True, group="shift", exclusive=True, exit_on_error=False)
    def _load_shift(self, session: Session) -> None:
        actions, _ = session.shift()
        self.post_message(ShiftLoaded(session, actions))

    def on_shift_loaded(self, message: ShiftLoaded) -> None:
        if message.session is not self.session or not message.actions:
            return  # signed out or in again meanwhile: that shift is not this one
        table = self._sessions()
        for action in message.actions:
            table.record(SessionEntry(action.when, action.request, action.outcome))
        self.log_line("info", f"This shift so far: {len(message.actions)} action(s) read back from the audit trail")
        for action in message.actions:
            if action.unanswered:
                self.report("warning", f"{action.unanswered}: check your phone and the call")

    def action_shift_summary(self) -> None:
        session = self.session
        if session is None:
            return
        self._open_summary(session)

    @work(thread=True, group="shift-summary", exclusive=True, exit_on_error=False)
    def _open_summary(self, session: Session) -> None:
        from queuetui.tui.screens.shift_summary import ShiftSummaryScreen

        _, summary = session.shift()
        self.app.call_from_thread(self.app.push_screen, ShiftSummaryScreen(summary))
        self.post_message(TourEvent(Happened("shift-summary")))

    def _masked_snooper(self) -> str:
        digits = self.query_one("#snooper", Input).value.replace(" ", "").replace("-", "")
        return mask_phone(digits) if digits else ""

    # ----- reporting --------------------------------------------------------------------------------

    def log_line(self, kind: ReportKind | str, message: str) -> None:
        self.query_one(LogPanel).add(kind, message, self.clock())

    def report(self, kind: ReportKind, message: str) -> None:
        """A toast and a log line. While a dialog is open (the barge question, help, the palette, the shift), the
        toast waits for it to close: drawn over the box on a small terminal, it would hide what the dialog says,
        such as who will hear you and the Barge button (the log has it at once)."""
        self.log_line(kind, message)
        if self._dialog_open():
            self._held_notices.append((kind, message))
        else:
            self._notify(kind, message)

    def _dialog_open(self) -> bool:
        return bool(self._confirming) or isinstance(self.app.screen, ModalScreen)

    def _notify(self, kind: ReportKind, message: str) -> None:
        # At most two notices at once: stacked from the bottom, more would cover the top line at 80x24. The older
        # ones go (the log keeps every word); Textual offers no public way to take one notice down.
        keep_newest_notification(self.app)
        # Markup is off: server text must never be read as styling.
        self.app.notify(message, severity=_SEVERITY[kind], markup=False, timeout=8 if kind == "error" else 5)  # type: ignore[arg-type]

    def _show_held_notices(self) -> None:
        while self._held_notices and not self._dialog_open():
            self._notify(*self._held_notices.pop(0))

    # ----- mode and status line ---------------------------------------------------------------------

    def _show_mode(self, mode: SnoopType) -> None:
        self._show_mode_help()
        self.query_one("#form").set_class(mode is SnoopType.BARGE, "-barge")
        send = self.query_one("#send", SendButton)
        send.label = "Send BARGE" if mode is SnoopType.BARGE else "Send"
        send.set_class(mode is SnoopType.BARGE, "-barge")

    def _show_mode_help(self) -> None:
        """Under the modes, who hears you in the one chosen. While a call is live in another mode, that would read
        as the state of the live call, which the top line gives: the line says the choice is not live yet."""
        mode = self.query_one(ModeSelector).mode
        live = self.session.monitoring.current if self.session is not None else None
        if live is not None and live.mode is not mode:
            text = f"Not live: Enter sends {mode.value}"
        else:
            text = mode.heard_by[:1].upper() + mode.heard_by[1:]  # keeps the capitals of AND
        help_line = self.query_one("#mode-help", Static)
        if str(help_line.render()) != text:  # refreshed each second while live: no layout when nothing changed
            help_line.update(text)
        help_line.set_class(mode is SnoopType.BARGE, "-barge")

    def _tick_status(self) -> None:
        self._tick += 1
        if self._tick - self._attached_tick >= 10:
            self._start_reading()
        if self._tick % 10 == 0 and self.session is not None:
            if self.session.monitoring.current is not None:
                self.refresh_header()  # the live time, once a second
            self._show_floor_age()
        status = self.query_one("#send-status", Static)
        if not self._started:
            if str(status.render()):
                status.update("")
            return
        if self.still:
            status.update(f"\u2026 sending {', '.join(self._started)}")
            return
        now = time.monotonic()
        spin = _SPINNER[self._tick % len(_SPINNER)]
        parts = [
            f"{call} {now - started:.1f}s {self._retrying.get(call, '')}".rstrip()
            for call, started in self._started.items()
        ]
        status.update(f"{spin} sending {', '.join(parts)}")

    def _update_send_button(self) -> None:
        call_id = self.query_one("#call-id", Input).value.strip()
        self.query_one("#send", SendButton).disabled = call_id in self._started or call_id in self._confirming

    # ----- sending ----------------------------------------------------------------------------------

    def _form_fields(self) -> dict[str, object]:
        return {
            "callId": self.query_one("#call-id", Input).value,
            "snoopType": self.query_one(ModeSelector).mode.value,
            "targetEntityType": self.query_one("#target-type", Input).value,
            "targetEntityVal": self.query_one("#target-value", Input).value,
            "snooperNumber": self.query_one("#snooper", Input).value,
        }

    async def action_send(self) -> None:
        focused = self.focused
        if focused is self.query_one("#filter"):
            await self._to_first_match()
            return
        form = self.query_one("#form")
        if focused is not None and focused is not form and form not in focused.ancestors:
            raise SkipAction()  # Enter elsewhere (a list, a button outside the form) keeps its own meaning
        if not self._start_over:  # a click: keys typed this early are held until start-up is over
            self.report("error", "Still starting: nothing sent")
            return
        refused = self.query_one(ModeSelector).take_refused()
        if refused is not None:
            # A mode key the profile refused, then Enter: the form still shows the mode before it, which is not
            # the one the supervisor asked for.
            self.report("error", f"{refused.value.upper()} is not allowed in this profile: nothing sent")
            return
        self.send_form()

    def send_form(self) -> None:
        from queuetui.api.fields import FieldErrors

        if self.session is None:
            return
        try:
            request = self.session.prepare(self._form_fields())
        except FieldErrors as errors:
            self._show_field_errors(errors)
            return
        self._clear_field_errors()
        self.request_send(request)

    @on(SendButton.Pressed, "#send")
    def _send_pressed(self) -> None:
        self.send_form()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()  # Enter is the priority binding's; a submit that reaches here came from elsewhere

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.query_one(LiveCallsTable).show(filter_text=event.value)
            self._show_floor_age()
        elif event.input.id == "call-id":
            self._update_send_button()
        elif event.input.id == "snooper":
            self.refresh_header()
        event.input.remove_class("-invalid")

    @on(FormInput.PasteRefused)
    def _paste_refused(self, event: FormInput.PasteRefused) -> None:
        self.report("warning", f"Paste refused: {event.reason}; nothing was changed")

    def request_send(self, request: BargeRequest, stale: StaleList | None = None) -> None:
        """Send after the checks a supervisor relies on: barge only when confirmed, never twice at once. `stale`:
        the stale live list the request was picked from, which its audit records name."""
        session = self.session
        if session is None:
            self.post_message(LoginRequired("Sign in first"))
            return
        if request.call_id in self._confirming:
            self.report("warning", f"Barge on call {request.call_id} is waiting for your answer; not sent again")
            return
        from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen

        others = self._others_on(request)
        if others or session.asks_before(request):
            # Reserve the call now: Enter pressed again behind the dialog must not open a second one.
            self._confirming.add(request.call_id)
            self._update_send_button()
            what = request.snoop_type.value.capitalize()

            def answered(confirmed: bool | None) -> None:
                self._confirming.discard(request.call_id)
                self._show_held_notices()
                if confirmed and self.session is not session:
                    # Signed out (and perhaps in as someone else) from the palette while the question was open:
                    # the action was asked for under the session that is gone.
                    self.report("warning", f"{what} on call {request.call_id} not sent: you signed out meanwhile")
                    self._step_down_from_barge()
                    self._update_send_button()
                elif confirmed and request.snoop_type is SnoopType.BARGE:
                    from queuetui.core.barge_check import Confirmed

                    self._dispatch(request, Confirmed.of(request, time.monotonic()))
                elif confirmed:
                    self._dispatch(request, stale=stale)
                else:
                    self.report("info", f"{what} on call {request.call_id} cancelled; nothing sent")
                    self._saw(Happened("barge-cancelled"))
                    self._step_down_from_barge()
                    self._update_send_button()

            self.app.push_screen(ConfirmBargeScreen(request, others, self.clock().timestamp()), answered)
            return
        self._dispatch(request, stale=stale)

    def _dispatch(
        self, request: BargeRequest, confirmed: Confirmed | None = None, stale: StaleList | None = None
    ) -> None:
        session = self.session
        if session is None:
            return
        refused = session.admit(request)
        if refused is not None:
            self._finish(request, refused)
            return
        self._started[request.call_id] = time.monotonic()
        self._update_send_button()
        self.log_line("request", request.describe())
        worker = self._send_in_thread(session, request, confirmed, stale)
        self._workers[worker] = request
        if request.snoop_type is SnoopType.BARGE:
            self._step_down_from_barge()

    def _step_down_from_barge(self) -> None:
        """Barge is never the form's resting mode: once a barge is sent or cancelled, the form is back in spy."""
        selector = self.query_one(ModeSelector)
        if selector.mode is SnoopType.BARGE:
            selector.choose(SnoopType.SPY)

    @work(thread=True, group="send", exit_on_error=False)
    def _send_in_thread(
        self, session: Session, request: BargeRequest, confirmed: Confirmed | None, stale: StaleList | None
    ) -> None:
        worker = get_current_worker()

        def on_retry(notice: RetryNotice) -> None:
            self.post_message(RetryScheduled(notice))

        cancel = worker.cancelled_event
        outcome = session.perform(request, on_retry=on_retry, cancel=cancel, confirmed=confirmed, stale=stale)
        self.post_message(SendFinished(request, outcome))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        request = self._workers.get(event.worker)
        if request is None or event.state not in (WorkerState.ERROR, WorkerState.SUCCESS, WorkerState.CANCELLED):
            return
        del self._workers[event.worker]
        if event.state is WorkerState.ERROR:
            # A bug, not a server answer: say so plainly and free the call; the app keeps running.
            self._started.pop(request.call_id, None)
            self._update_send_button()
            error = event.worker.error
            self.report("error", f"Internal error while sending {request.call_id}: {type(error).__name__}")

    def on_retry_scheduled(self, message: RetryScheduled) -> None:
        """One toast for a call's retries (at the first); every retry goes to the log and the status line."""
        notice = message.notice
        retry = notice.attempt - 1
        text = (
            f"Call {notice.request.call_id} is still being processed (1501): "
            f"retry {retry} of {notice.max_attempts - 1} in {notice.delay_s:.1f} s"
        )
        self._retrying[notice.request.call_id] = f"retry {retry} of {notice.max_attempts - 1}"
        if retry == 1:
            self.report("warning", text)
        else:
            self.log_line("warning", text)

    def on_send_finished(self, message: SendFinished) -> None:
        # Only a send that ran frees its call: a refusal to repeat it (already in flight) leaves it sending.
        self._started.pop(message.request.call_id, None)
        self._retrying.pop(message.request.call_id, None)
        self._finish(message.request, message.outcome)

    def _finish(self, request: BargeRequest, outcome: Outcome) -> None:
        self._update_send_button()
        kind = outcome.change.kind if outcome.change is not None else None
        self._sessions().record(
            SessionEntry(self.clock(), request, outcome),
            live=kind is not None and kind is not Change.OVERTAKEN,
            left=kind is Change.REPLACED,
            overtaken=kind is Change.OVERTAKEN,
        )
        self._report_outcome(outcome)
        if self.session is not None:
            for problem in self.session.take_problems():
                self.report("warning", problem)
        self._saw(Happened("outcome", outcome))
        live = self.session.monitoring.current if self.session is not None else None
        self.query_one(LiveCallsTable).mark_live(live.call_id if live else None)
        self.refresh_header()

    def _report_outcome(self, outcome: Outcome) -> None:
        if outcome.audit_problem:
            self.report("error", f"Answer NOT recorded in the audit trail (its attempt is): {outcome.audit_problem}")
        if outcome.ok:
            if not self._checked:
                self._checked = True
                self.log_line("ok", "The server accepted these credentials")
            tries = f"{outcome.attempts} tries" if outcome.attempts > 1 else "1 try"
            self.log_line("ok", f"server: 200 {outcome.server_text}  {outcome.latency_ms:.0f} ms  ({tries})")
            self.report("ok", self._success_words(outcome))
            change = outcome.change
            if change is not None and change.before is not None and change.kind in (Change.REPLACED, Change.OVERTAKEN):
                self.log_line("info", self._left_words(change.before))
            if outcome.request is not None:
                self.post_message(SnooperUsed(outcome.request.snooper_number))
            return
        if outcome.kind is OutcomeKind.REFUSED:
            self.report("warning", outcome.message)
            if outcome.ask_again is not None:
                self.request_send(outcome.ask_again)
            return
        if outcome.category is Category.AUTH:
            self.report("error", outcome.message)
            self.post_message(LoginRequired("Sign in again: the server refused the credentials", refused=True))
            return
        self.report("error", outcome.message)
        if outcome.field:
            self._focus_field(outcome.field, outcome.request)

    @staticmethod
    def _left_words(left: Monitoring) -> str:
        return f"{left.call_id} ({left.mode.value.upper()}) is left to your phone: hang up there if you are still on it"

    @staticmethod
    def _success_words(outcome: Outcome) -> str:
        change: MonitoringChange | None = outcome.change
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

    # ----- inline errors ----------------------------------------------------------------------------

    def _show_field_errors(self, errors: FieldErrors) -> None:
        self._clear_field_errors()
        for problem in errors.problems:
            selector = FIELD_WIDGETS.get(problem.field)
            if selector:
                self.query_one(selector).add_class("-invalid")
        first, more = errors.problems[0], len(errors.problems) - 1
        # The count goes first: in a narrow form a long message would push it out of sight.
        shown = f"{first.label} (and {more} more): {first.message}" if more else str(first)
        self.query_one("#form-error", Static).update(f"\u2717 {shown}")
        self.log_line("error", f"Not sent: {errors}")
        self._focus_field(errors.first_field)

    def _clear_field_errors(self) -> None:
        self.query_one("#form-error", Static).update("")
        for selector in FIELD_WIDGETS.values():
            self.query_one(selector).remove_class("-invalid")

    def _focus_field(self, field: str, sent: BargeRequest | None = None) -> None:
        """Mark and focus the field a problem is about. A field the server refused (`sent`) is also selected while
        it still holds what was sent, so the corrected value replaces it, as after a Tab; one typed into since the
        request went out is left as the supervisor has it."""
        selector = FIELD_WIDGETS.get(field)
        if not selector:
            return
        widget = self.query_one(selector)
        widget.add_class("-invalid")
        self.set_focus(widget)
        if sent is not None and isinstance(widget, Input):
            as_sent = str(sent.wire_fields().get(field, ""))
            if widget.value.strip() == as_sent:
                widget.select_all()

    # ----- other actions ----------------------------------------------------------------------------

    def action_mode(self, mode: str) -> None:
        self.query_one(ModeSelector).choose(SnoopType(mode))

    def on_mode_selector_refused(self, message: ModeSelector.Refused) -> None:
        if self.session is not None:
            self.report("warning", self.session.mode_refusal(message.mode))

    def on_sessions_table_rerun(self, message: SessionsTable.Rerun) -> None:
        self.request_send(message.request)

    def action_hung_up(self) -> None:
        """End the leg the supervisor hung up: the only one there is, or the one (or all) they pick when more than
        one may still be on the phone."""
        session = self.session
        legs = session.monitoring.legs if session is not None else ()
        if session is None or not legs:
            self.report("info", "Not on a call: nothing to end")
            return
        if len(legs) == 1:
            self._hung_up(session, legs[0].call_id)
            return
        from queuetui.tui.screens.hang_up import ALL, HangUpScreen

        def answered(call_id: str | None) -> None:
            if call_id is not None and self.session is session:
                self._hung_up(session, None if call_id == ALL else call_id)

        self.app.push_screen(HangUpScreen(legs, session.monitoring.current, self.clock()), answered)

    def _hung_up(self, session: Session, call_id: str | None) -> None:
        result = session.hung_up(call_id)
        self._saw(Happened("hung-up"))
        for ended in result.ended:
            lasted = elapsed((self.clock() - ended.since).total_seconds())
            self.report("ok", f"Off {ended.call_id}: you hung up ({ended.mode.value.upper()} ended after {lasted})")
        if result.audit_problem:
            self.report("error", f"NOT recorded in the audit trail: {result.audit_problem}")
        self._show_live()

    def _show_live(self) -> None:
        """After a leg ended: the sessions list, the live list's marker and the top line show what is left."""
        live = self.session.monitoring.current if self.session is not None else None
        if live is None:
            self._sessions().end_live()
        self.query_one(LiveCallsTable).mark_live(live.call_id if live else None)
        self.refresh_header()

    # ----- the tour and the room --------------------------------------------------------------------

    def start_tour(self, keys_of: KeysOf) -> None:
        self.tour = Tour(keys_of)
        self._show_tour()

    def action_leave_tour(self) -> None:
        if self.tour is None:
            raise SkipAction()
        self.tour = None
        self._show_tour()

    def on_tour_event(self, message: TourEvent) -> None:
        self._saw(message.happened)

    def _saw(self, happened: Happened) -> None:
        if self.tour is not None and self.tour.saw(happened):
            self._show_tour()

    def _show_tour(self) -> None:
        panel = self.query_one("#tour", Static)
        panel.display = self.tour is not None
        # Notices stack up from the bottom, where the step's text is: during the tour they come down from the top.
        for rack in self.query("#textual-toastrack"):
            rack.set_class(self.tour is not None, "-above-tour")
        if self.tour is not None:
            panel.update(f"Tour {self.tour.progress}  {self.tour.text}  (Esc leaves)")

    def show_keys(self, on: bool) -> None:
        if self.is_mounted:  # not while the app is closing down
            self.query_one(KeyCaster).set_class(on, "-on")

    @property
    def showing_keys(self) -> bool:
        return self.query_one(KeyCaster).has_class("-on")

    def keys_held_for_it(self) -> None:
        """Keys typed before start-up was over will be typed in once the session is attached: they count as keys
        come in, so attaching it leaves the focus where they are going."""
        self._typed = True

    def key_pressed(self, key: str, character: str | None, secret: bool) -> None:
        """Every key as the app receives it, before it is routed."""
        if not self.is_mounted:
            return
        if self.app.screen is self:  # not `is_current`: that is true below a sign-in screen too
            self._typed = True
        caster = self.query_one(KeyCaster)
        if caster.has_class("-on"):
            caster.add(key, character, secret)

    def reset(self) -> None:
        """Between two runs of a training: an empty log and sessions list, nothing live, the filter cleared."""
        self.query_one(LogPanel).clear()
        self._sessions().clear_entries()
        self.query_one(LiveCallsTable).mark_live(None)
        self.query_one("#filter", Input).value = ""
        if self.session is not None:
            self.session.monitoring.end()
        self._clear_field_errors()
        if self.tour is not None:
            self.start_tour(self.tour.keys_of)
        self.refresh_header()

    def action_clear_log(self) -> None:
        self.query_one(LogPanel).clear()

    def action_export_log(self) -> None:
        from queuetui.core.config import paths

        path = paths.state_dir() / "logs" / f"queuetui-log-{self.clock():%Y%m%d-%H%M%S}.txt"
        try:
            count = self.query_one(LogPanel).export(path)
        except OSError as problem:
            self.report("error", f"Could not export the log: {problem.strerror}")
            return
        self.report("ok", f"Exported {count} log lines to {path}")

    @property
    def in_flight(self) -> frozenset[str]:
        return frozenset(self._started)
