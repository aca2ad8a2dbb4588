"""The console: what is live on the top line, the floor panel, the call form, this shift's sessions and the log.

The screen routes what its panels ask for (`CallForm.Submitted`, the floor panel's `ActOn`) to the session and shows
what comes back. The request is read from the form at the moment Enter (or Ctrl+S) is pressed, in key order: keys
typed after it change only the next action. Keys typed while the console is still starting are held by the app's
key gate and typed in once it has its session, profile and keymap; an Enter in the filter waits for the first live
list. Sends run in thread workers through the core session, so the UI never waits on the network; the session
refuses a call already in flight.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.geometry import Size
from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import Worker

from queuetui.api.errors import Category
from queuetui.api.modes import SnoopType
from queuetui.api.text import mask_phone
from queuetui.core.deepcall_words import took_it as deepcall_took_it
from queuetui.core.monitoring import Change
from queuetui.core.outcome import Outcome, OutcomeKind
from queuetui.tui.floor_alarms import FloorAlarms
from queuetui.tui.following import Following
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
from queuetui.tui.notices import Notices
from queuetui.tui.outcome_words import elapsed, left_words, success_words
from queuetui.tui.screens.console_bindings import CONSOLE_BINDINGS
from queuetui.tui.sends import Sends
from queuetui.tui.tour import Happened, KeysOf, Tour
from queuetui.tui.widgets.agents_table import AgentsTable
from queuetui.tui.widgets.call_form import CallForm
from queuetui.tui.widgets.floor_panel import FloorPanel
from queuetui.tui.widgets.form_input import FormInput
from queuetui.tui.widgets.health_line import HealthLine
from queuetui.tui.widgets.key_bar import KeyBar
from queuetui.tui.widgets.key_caster import KeyCaster
from queuetui.tui.widgets.live_calls import LiveCallsTable, duration
from queuetui.tui.widgets.log_panel import LogPanel, ReportKind
from queuetui.tui.widgets.mode_selector import ModeSelector
from queuetui.tui.widgets.session_entry import SessionEntry
from queuetui.tui.widgets.status_header import HeaderFacts, StatusHeader

if TYPE_CHECKING:
    from textual.css.query import QueryType

    from queuetui.api.models import BargeRequest
    from queuetui.core.barge_check import Confirmed
    from queuetui.core.floor.calls import LiveCall
    from queuetui.core.floor.poller import FloorSnapshot
    from queuetui.core.floor.stale_list import StaleList
    from queuetui.core.monitoring import Monitoring
    from queuetui.core.presence.entry import Presence, PresenceView
    from queuetui.core.session import Session
    from queuetui.tui.widgets.sessions_table import SessionsTable

SESSIONS_TITLE = "Sessions this shift"


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
    BINDINGS: ClassVar[list[BindingType]] = CONSOLE_BINDINGS

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
        self.slow_link = False  # see `use_slow_link`
        self.clock = clock or (lambda: datetime.now().astimezone())
        self.session: Session | None = None
        self._sends = Sends(self)
        self._notices = Notices(lambda: self.app, self._dialog_open, lambda: self.tour is not None)
        self._tick = 0
        self.tour: Tour | None = None
        self._resumed = False
        self._started_up = False  # start-up is over: signed in (a demo), or the sign-in screen is up
        self._typed = False  # a key has come in while this screen was on top
        self._reading: Session | None = None  # the session whose live list and shift read-back have started
        self._attached_tick = 0  # the status tick at which the session was attached
        self._resized_to: Size | None = None
        self.presence: PresenceView | None = None  # who else is on which call, once the session's presence says
        self._following = Following()
        self._alarms = FloorAlarms(lambda: self.query_one(HealthLine), self.log_line, self._ring_bell, self._to_syslog)

    def compose(self) -> ComposeResult:
        # The profile is not known yet (it loads after the first paint): `attach` fills it in.
        framed = "-env-demo" if self._demo_layout else ""
        yield StatusHeader(id="status")
        yield HealthLine(id="health")
        with Horizontal(id="top", classes="-floor" if self._demo_layout else ""):
            yield FloorPanel(id="floor", classes=framed)
            yield CallForm(id="form")
        with Horizontal(id="bottom"):
            yield LogPanel(id="log", classes=framed)
            # Its table comes with the rest of start-up: see `show_sessions`.
            yield Static(id="sessions-waiting", classes=framed)
        yield Static("", id="tour")
        yield KeyCaster(id="keys")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#sessions-waiting").border_title = SESSIONS_TITLE
        self.query_one("#log").border_title = "Log"
        for field in self.query(Input):
            field.cursor_blink = not self.still
        self.refresh_header()
        self.set_interval(0.1, self._tick_status, pause=False)
        self.set_focus(self._form.field("#call-id"))

    @property
    def _form(self) -> CallForm:
        return self.query_one(CallForm)

    @property
    def _floor(self) -> FloorPanel:
        return self.query_one(FloorPanel)

    # ----- the session ------------------------------------------------------------------------------

    def use_slow_link(self, on: bool) -> None:
        """At the far end of a slow link every byte counts: the live time and the calls' durations change once a
        minute or more, fields do not blink, the sending line does not spin or count, and the live list has no
        scrollbar to redraw as calls come and go (its title gives the count), and the health line's figures change
        at most once a minute (its alarms at once)."""
        self.slow_link = on
        for field in self.query(Input):
            field.cursor_blink = not (self.still or on)
        table = self._floor.table
        table.coarse = on
        table.set_class(on, "-slow-link")
        self.query_one(HealthLine).slow_link = on
        self.refresh_header()

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
            self.report("warning", left_words(live))
        self.session = session
        # Another supervisor may sign in next on a shared jump host: nothing of this one's shift stays.
        self._sessions().clear_entries()
        floor = session is not None and session.watch_floor(self._floor_updated)
        self._floor.follow(session.floor if session is not None else None)
        self.presence = None
        if session is not None:
            session.watch_presence(self._presence_updated)
        self.query_one("#top").set_class(floor, "-floor")
        self._following.stop()
        self._alarms.attach(session.profile.alerts if session is not None else None, session.floor if session else None)
        if session is not None:
            self._floor.table.sort = session.profile.floor_sort
            self._floor.table.only_marked = session.profile.floor_only_marked
        # A session starts where the first one did: on the live list, else in the Call field. Only while no key
        # has come in since the last sign-out: a burst typed at launch keeps going where it was aimed. Counted as
        # keys arrive, not as fields change: a key on its way to a field has not changed it yet.
        if session is None:
            self._typed = False
        elif not self._typed:
            self.set_focus(self._floor.table if floor else self._form.field("#call-id"))
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
            self._form.modes.set_allowed(frozenset(profile.allowed_modes))
            self._form.fill_empty(profile.snooper_number, profile.target_type)
        self.refresh_header()

    def start_up_done(self) -> None:
        """Start-up is over (the app has attached the demo's session, or put up the sign-in screen)."""
        self._started_up = True

    def refresh_header(self) -> None:
        if not self.is_mounted:
            return
        header = self.query_one(StatusHeader)
        session = self.session
        live = session.monitoring.current if session is not None else None
        self._form.show_live_mode(live.mode if live is not None else None)
        if session is None:
            if header.facts is None:
                return  # still starting: nothing to say yet
            header.show(HeaderFacts(header.facts.environment, "", "", ""))
            return
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
                elapsed=duration(int(since)) if self.slow_link else elapsed(since),
                phone=phone,
                checked=session.credentials_checked,
                left=session.monitoring.left,
                others=self.presence.top_line_words(live.call_id if live else None, now.timestamp())
                if self.presence is not None
                else ("",),
                following=self._following.words,
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
        self._floor.table.mark_others(message.view.calls_with_others())
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
        self._alarms.show(message.snapshot.view)
        for call_id in self._floor.show(message.snapshot):
            self.report("warning", f"The live list names {call_id} more than once: the first one is shown")
        self._floor_failed(message.snapshot)
        self._followed_call_started(message.snapshot)
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

    def _ring_bell(self) -> None:
        self.app.bell()

    @work(thread=True, group="alarm-syslog", exit_on_error=False)
    def _to_syslog(self, alarms: list[dict[str, object]]) -> None:
        if self.session is not None:
            for fields in alarms:
                self.session.alarm_to_syslog(fields)

    def action_acknowledge(self) -> None:
        if self._alarms.view is None:
            raise SkipAction()
        count = self._alarms.acknowledge()
        self.log_line("info", f"Acknowledged {count} alarm{'' if count == 1 else 's'}: no more bells for them")

    # Focus moves with `set_focus`, at once: `Widget.focus()` waits its turn in the app's queue, behind keys
    # already typed, which would then land in the widget that had the focus before.
    def action_filter(self) -> None:
        if not self.query_one("#top").has_class("-floor"):
            raise SkipAction()
        self.set_focus(self._floor.filter_field)

    async def action_first_match(self) -> None:
        if self.focused is not self._floor.filter_field:
            raise SkipAction()
        await self._to_first_match()

    async def _to_first_match(self) -> None:
        self.set_focus(await self._floor.to_first_match())

    def on_floor_panel_act_on(self, message: FloorPanel.ActOn) -> None:
        self._act_on(message.call, message.mode)

    def _act_on(self, call: LiveCall, mode: SnoopType, *, follow: bool = False) -> None:
        """Act on a call picked from the floor (a row of the list or the agents, or a followed agent's new call)."""
        from queuetui.api.fields import FieldErrors

        if self.session is None:
            return
        if call.agent is None:
            self.report("error", f"The live list does not say which agent is on {call.call_id}: use the form")
            return
        fields = {
            "callId": call.call_id,
            "snoopType": mode.value,
            "targetEntityType": "agent",
            "targetEntityVal": call.agent,
            "snooperNumber": self._form.field("#snooper").value,
        }
        try:
            request = self.session.prepare(fields)
        except FieldErrors as errors:
            # The list keeps the focus: the keys typed behind this one are meant for it, not for a form field. The
            # form's own field (the snooper number) is marked; the rest came from the list, not the form.
            self.report("warning", f"{mode.value.upper()} on {call.call_id} not sent: {errors}")
            if any(problem.field == "snooperNumber" for problem in errors.problems):
                self._form.mark_invalid("snooperNumber")
            return
        stale = self.session.stale_list(mode)
        if stale is not None:
            self.report("warning", stale.caution(mode.value, call.call_id))
        self.request_send(request, stale, follow=follow)

    # ----- following an agent -----------------------------------------------------------------------

    def on_agents_table_follow(self, message: AgentsTable.Follow) -> None:
        self._follow(message.agent)

    def on_live_calls_table_follow(self, message: LiveCallsTable.Follow) -> None:
        self._follow(message.agent)

    def _follow(self, agent: str) -> None:
        if self.session is None:
            return
        spies = self.session.profile.follow_spies
        self.report("info", self._following.start(agent, spies))
        self.refresh_header()

    def action_spy_followed(self) -> None:
        call = self._following.new_call
        if call is None:
            raise SkipAction()
        self._act_on(call, SnoopType.SPY)

    def _followed_call_started(self, snapshot: FloorSnapshot) -> None:
        """A followed agent's new call: said, marked (a new row), and spied on when the profile says so."""
        call = self._following.took(snapshot, self._floor.table.added)
        if call is None:
            return
        if self._following.spies:
            self.report("info", f"Agent {call.agent} took {call.call_id}: spying on it (following)")
            self._act_on(call, SnoopType.SPY, follow=True)
        else:
            self.report("info", f"Agent {call.agent} took {call.call_id} (marked *): F spies on it")

    def on_floor_panel_not_acted(self, message: FloorPanel.NotActed) -> None:
        self.report("warning", f"{message.mode.value.upper()} not sent: {message.why}")

    def on_floor_panel_copy_to_form(self, message: FloorPanel.CopyToForm) -> None:
        """Copy a call into the form, keeping the focus on the list: there Enter copies again and never sends, so a
        second Enter typed behind the first (a slow link shows the copy late) sends nothing. Tab goes on to the
        form (see `focus_next`), F2-F4 choose the mode, and Enter in the form sends."""
        self._form.copy_call(message.call.call_id, message.call.agent)

    def focus_next(self, selector: str | type[QueryType] = "*") -> Widget | None:
        """Tab from the live list goes to what is left to fill in the form: its first empty field (the phone,
        after a copy), or Call when none is, to read the form through from the top."""
        if self.focused is not self._floor.table or selector != "*":
            return super().focus_next(selector)
        target = self._form.first_to_fill()
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
        self._notices.show_held()

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
        count = len(message.actions)
        actions = "1 action" if count == 1 else f"{count} actions"
        self.log_line("info", f"This shift so far: {actions}, read back from the audit trail")
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
        digits = self._form.field("#snooper").value.replace(" ", "").replace("-", "")
        return mask_phone(digits) if digits else ""

    # ----- reporting --------------------------------------------------------------------------------

    def log_line(self, kind: ReportKind | str, message: str) -> None:
        self.query_one(LogPanel).add(kind, message, self.clock())

    def report(self, kind: ReportKind, message: str) -> None:
        """A log line and a notice (held while a dialog is open: see `Notices`)."""
        self.log_line(kind, message)
        self._notices.say(kind, message)

    def _dialog_open(self) -> bool:
        return bool(self._sends.confirming) or isinstance(self.app.screen, ModalScreen)

    # ----- mode and status line ---------------------------------------------------------------------

    def _tick_status(self) -> None:
        self._tick += 1
        if self._tick - self._attached_tick >= 10:
            self._start_reading()
        if self._tick % 10 == 0 and self.session is not None:
            if self.session.monitoring.current is not None:
                self.refresh_header()  # the live time, once a second
            self._floor.show_state()
        self._form.show_sending(self._sends.status(self._tick, self.still or self.slow_link))

    def _update_send_button(self) -> None:
        self._form.show_busy(self._sends.busy)

    # ----- sending ----------------------------------------------------------------------------------

    async def action_send(self) -> None:
        focused = self.focused
        if focused is self._floor.filter_field:
            await self._to_first_match()
            return
        form = self._form
        if focused is not None and focused is not form and form not in focused.ancestors:
            raise SkipAction()  # Enter elsewhere (a list, a button outside the form) keeps its own meaning
        if not self._started_up:  # a click: keys typed this early are held until start-up is over
            self.report("error", "Still starting: nothing sent")
            return
        refused = form.modes.take_refused()
        if refused is not None:
            # A mode key the profile refused, then Enter: the form still shows the mode before it, which is not
            # the one the supervisor asked for.
            self.report("error", f"{refused.value.upper()} is not allowed in this profile: nothing sent")
            return
        self._send_fields(form.fields())

    def on_call_form_submitted(self, message: CallForm.Submitted) -> None:
        self._send_fields(message.fields)

    def _send_fields(self, fields: dict[str, object]) -> None:
        from queuetui.api.fields import FieldErrors

        if self.session is None:
            return
        try:
            request = self.session.prepare(fields)
        except FieldErrors as errors:
            self._form.show_errors(errors)
            self.log_line("error", f"Not sent: {errors}")
            return
        self._form.clear_errors()
        self.request_send(request)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()  # Enter is the priority binding's; a submit that reaches here came from elsewhere

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.input.id == "call-id":
            self._update_send_button()
        elif event.input.id == "snooper":
            self.refresh_header()
        event.input.remove_class("-invalid")

    @on(FormInput.PasteRefused)
    def _paste_refused(self, event: FormInput.PasteRefused) -> None:
        self.report("warning", f"Paste refused: {event.reason}; nothing was changed")

    def request_send(self, request: BargeRequest, stale: StaleList | None = None, *, follow: bool = False) -> None:
        """Send after the checks a supervisor relies on: barge only when confirmed, never twice at once. `stale`:
        the stale live list the request was picked from, which its audit records name."""
        session = self.session
        if session is None:
            self.post_message(LoginRequired("Sign in first"))
            return
        if request.call_id in self._sends.confirming:
            self.report("warning", f"Barge on call {request.call_id} is waiting for your answer; not sent again")
            return
        from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen

        others = self._others_on(request)
        if others or session.needs_confirmation(request):
            # Reserve the call now: Enter pressed again behind the dialog must not open a second one.
            self._sends.confirming.add(request.call_id)
            self._update_send_button()
            what = request.snoop_type.value.capitalize()

            def answered(confirmed: bool | None) -> None:
                self._sends.confirming.discard(request.call_id)
                self._notices.show_held()
                if confirmed and self.session is not session:
                    # Signed out (and perhaps in as someone else) from the palette while the question was open:
                    # the action was asked for under the session that is gone.
                    self.report("warning", f"{what} on call {request.call_id} not sent: you signed out meanwhile")
                    self._form.step_down_from_barge()
                    self._update_send_button()
                elif confirmed and request.snoop_type is SnoopType.BARGE:
                    from queuetui.core.barge_check import Confirmed

                    self._dispatch(request, Confirmed.of(request, time.monotonic()))
                elif confirmed:
                    self._dispatch(request, stale=stale)
                else:
                    self.report("info", f"{what} on call {request.call_id} cancelled; nothing sent")
                    self._saw(Happened("barge-cancelled"))
                    self._form.step_down_from_barge()
                    self._update_send_button()

            self.app.push_screen(ConfirmBargeScreen(request, others, self.clock().timestamp()), answered)
            return
        self._dispatch(request, stale=stale, follow=follow)

    def _dispatch(
        self,
        request: BargeRequest,
        confirmed: Confirmed | None = None,
        stale: StaleList | None = None,
        *,
        follow: bool = False,
    ) -> None:
        session = self.session
        if session is None:
            return
        refused = session.admit(request)
        if refused is not None:
            self._finish(request, refused)
            return
        self._sends.start(session, request, confirmed, stale, follow)
        self._update_send_button()
        self.log_line("request", request.describe())
        if request.snoop_type is SnoopType.BARGE:
            self._form.step_down_from_barge()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        request = self._sends.failed(event)
        if request is not None:
            # A bug, not a server answer: say so plainly and free the call; the app keeps running.
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
        self._sends.retrying[notice.request.call_id] = f"retry {retry} of {notice.max_attempts - 1}"
        if retry == 1:
            self.report("warning", text)
        else:
            self.log_line("warning", text)

    def on_send_finished(self, message: SendFinished) -> None:
        self._sends.finished(message.request.call_id)
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
        self._floor.table.mark_live(live.call_id if live else None)
        self.refresh_header()

    def _report_outcome(self, outcome: Outcome) -> None:
        if outcome.audit_problem:
            self.report("error", f"Answer NOT recorded in the audit trail (its attempt is): {outcome.audit_problem}")
        if outcome.ok:
            if self.session is not None and self.session.credentials_accepted():
                self.log_line("ok", "DeepCall accepted your sign-in")
            self.log_line("ok", deepcall_took_it(outcome))
            self.report("ok", success_words(outcome))
            change = outcome.change
            if change is not None and change.before is not None and change.kind in (Change.REPLACED, Change.OVERTAKEN):
                self.log_line("info", left_words(change.before))
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
        if outcome.server_text:
            self.log_line("info", f"DeepCall said: {outcome.server_text}")
        if outcome.field:
            self._form.focus_field(outcome.field, outcome.request)

    # ----- other actions ----------------------------------------------------------------------------

    def action_mode(self, mode: str) -> None:
        self._form.modes.choose(SnoopType(mode))

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
        self._floor.table.mark_live(live.call_id if live else None)
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
        # The step's text sits above the key bar: during the tour, notices stack up from above it.
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
        self._floor.table.mark_live(None)
        self._floor.clear_filter()
        if self.session is not None:
            self.session.monitoring.end()
        self._form.clear_errors()
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
        return frozenset(self._sends.started)
