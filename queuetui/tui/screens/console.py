"""The console: what is live on the top line, the floor panel, the call form, this shift's sessions and the log.

The screen routes what its panels ask for (`CallForm.Submitted`, the floor panel's `ActOn`) to the session, through
the flows beside it (`send_flow`, `hang_up_flow`, `floor_watch`, `shift_readback`), and shows what comes back
(`monitoring_marks`, `top_line`, `status_tick`). The request is read from the form at the moment Enter (or Ctrl+S) is
pressed, in key order: keys typed after it change only the next action. Keys typed while the console is still
starting are held by the app's key gate and typed in once it has its session, profile and keymap; an Enter in the
filter waits for the first live list. Sends run in thread workers through the core session, so the UI never waits on
the network; the session refuses a call already in flight.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import Worker

from queuetui.api.modes import SnoopType
from queuetui.tui.floor_watch import FloorWatch
from queuetui.tui.hang_up_flow import HangUpFlow
from queuetui.tui.keys_seen import KeysSeen
from queuetui.tui.log_export import export_log
from queuetui.tui.messages import FloorUpdated, PresenceUpdated, RetryScheduled, SendFinished, ShiftLoaded, TourEvent
from queuetui.tui.monitoring_marks import MonitoringMarks
from queuetui.tui.notices import Notices
from queuetui.tui.on_top import OnTop
from queuetui.tui.screens.console_bindings import CONSOLE_BINDINGS
from queuetui.tui.screens.console_widths import WIDTH_CLASSES
from queuetui.tui.send_flow import SendFlow
from queuetui.tui.sessions_frame import SessionsFrame
from queuetui.tui.shift_readback import ShiftReadBack
from queuetui.tui.status_tick import TICKS_A_SECOND, StatusTick
from queuetui.tui.top_line import top_line_facts
from queuetui.tui.tour_guide import TourGuide
from queuetui.tui.voice import console_voice
from queuetui.tui.widgets.call_form import CallForm
from queuetui.tui.widgets.floor_panel import FloorPanel
from queuetui.tui.widgets.form_input import FormInput
from queuetui.tui.widgets.health_line import HealthLine
from queuetui.tui.widgets.key_bar import KeyBar
from queuetui.tui.widgets.key_caster import KeyCaster
from queuetui.tui.widgets.log_panel import LogPanel
from queuetui.tui.widgets.mode_selector import ModeSelector
from queuetui.tui.widgets.status_header import StatusHeader

if TYPE_CHECKING:
    from textual.css.query import QueryType

    from queuetui.api.models import BargeRequest
    from queuetui.core.floor.stale_list import StaleList
    from queuetui.core.presence.entry import PresenceView
    from queuetui.core.session import Session
    from queuetui.tui.widgets.sessions_table import SessionsTable

SESSIONS_TITLE = "Sessions this shift"


class ConsoleScreen(Screen[None]):
    # Textual repaints the whole screen when the focus moves; over an SSH link that is every cell of the console
    # for a `/` or an Enter on a row. The widgets that lose and gain the focus redraw themselves, and so do those
    # whose styles depend on it: nothing else on screen changes.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    # Only the console has rules for the width classes. Set on the app, they went on every screen pushed (the
    # sign-in, the barge question, help) at its first resize, and that restyled each of its widgets again.
    HORIZONTAL_BREAKPOINTS = WIDTH_CLASSES
    BINDINGS: ClassVar[list[BindingType]] = CONSOLE_BINDINGS

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
        # The app and the palette start the tour and show the keys pressed through these two, not the screen.
        self.tour_guide = guide = TourGuide(self, "tour")
        self.keys_seen = KeysSeen(self, lambda: self.query_one(KeyCaster))
        self._notices = Notices(lambda: self.app, self._dialog_open, lambda: guide.tour is not None)
        self.voice = voice = console_voice(lambda: self.query_one(LogPanel), self.clock, self._notices)
        session = self._signed_in  # the helpers read the session in force when they act
        self._sessions = SessionsFrame(self, "#sessions-waiting")
        self._monitoring = MonitoringMarks(
            session=session,
            floor=lambda: self._floor,
            sessions=self._sessions.table,
            voice=voice,
            top_line=self.refresh_header,
        )
        self._flow = SendFlow(
            screen=self,
            session=session,
            form=lambda: self._form,
            presence=lambda: self.presence,
            clock=self.clock,
            voice=voice,
            saw=guide.saw,
            answered=self._notices.show_held,
            sessions=self._sessions.table,
            monitoring_changed=self._monitoring.changed,
        )
        self._hang_up = HangUpFlow(
            voice=voice,
            session=session,
            ended=self._monitoring.legs_ended,
            saw=guide.saw,
            clock=self.clock,
            screen=self,
        )
        self._watch = FloorWatch(
            screen=self,
            session=session,
            panel=lambda: self._floor,
            health=lambda: self.query_one(HealthLine),
            voice=voice,
            act_on=self._flow.act_on,
            legs_ended=self._monitoring.legs_ended,
            top_line_changed=self.refresh_header,
        )
        self._shift = ShiftReadBack(self, session, lambda entry: self._sessions.table().record(entry), voice)
        self._on_top = OnTop(self, session, self._notices.show_held)
        self._status_tick = StatusTick(
            session=session,
            shift=self._shift,
            top_line=self.refresh_header,
            floor=lambda: self._floor,
            sending=self._flow.show_sending,
            quiet=lambda: self.still or self.slow_link,
        )
        self._started_up = False  # start-up is over: signed in (a demo), or the sign-in screen is up

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
            # Its table comes with the rest of start-up: see `SessionsFrame`.
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
        self.set_interval(1 / TICKS_A_SECOND, self._status_tick.tick, pause=False)
        self.set_focus(self._form.field("#call-id"))

    def _signed_in(self) -> Session | None:
        return self.session

    def _dialog_open(self) -> bool:
        return bool(self._flow.sends.confirming) or isinstance(self.app.screen, ModalScreen)

    @property
    def _form(self) -> CallForm:
        return self.query_one(CallForm)

    @property
    def _floor(self) -> FloorPanel:
        return self.query_one(FloorPanel)

    @property
    def presence(self) -> PresenceView | None:
        """Who else is on which call, once the session's presence says."""
        return self._watch.presence

    # ----- the session ------------------------------------------------------------------------------

    def use_slow_link(self, on: bool) -> None:
        """At the far end of a slow link every byte counts: the live time changes once a minute, fields do not blink,
        the sending line does not spin or count, and the floor's panels send less (`FloorPanel.use_slow_link`, the
        health line's figures at most once a minute, its alarms at once)."""
        self.slow_link = on
        for field in self.query(Input):
            field.cursor_blink = not (self.still or on)
        self._floor.use_slow_link(on)
        self.query_one(HealthLine).slow_link = on
        self.refresh_header()

    def show_sessions(self) -> None:
        """Start-up's worker is done: the sessions list's table goes in its frame (see `SessionsFrame`)."""
        self._sessions.fill()

    def attach(self, session: Session | None) -> None:
        """Show a newly opened session (or none, after sign-out): its allowed modes, and its snooper and target
        type where the form is empty."""
        self._monitoring.replaced(self.session, session)
        self.session = session
        # Another supervisor may sign in next on a shared jump host: nothing of this one's shift stays.
        self._sessions.table().clear_entries()
        floor = self._watch.attach(session)
        self.query_one("#top").set_class(floor, "-floor")
        if self.keys_seen.focus_free_at_attach(signed_in=session is not None):
            # A session starts where the first one did: on the live list, else in the Call field.
            self.set_focus(self._floor.table if floor else self._form.field("#call-id"))
        if session is not None:
            self._shift.attached()  # its live list and the read-back of its shift start after the frame that shows it
            # On the framed panels, not the screen: a class on the screen would restyle every widget in it.
            for panel in self.query("#floor, #log, #sessions"):
                for env in type(session.environment):
                    panel.set_class(env is session.environment, f"-env-{env.value}")
            self._form.use_profile(session.profile)
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
            header.signed_out()
            return
        snooper = self._form.field("#snooper").value
        following = self._watch.following.words
        header.show(top_line_facts(session, self.presence, self.clock(), snooper, following, coarse=self.slow_link))

    # ----- the floor: its refreshes, presence, alarms, following ----------------------------------------

    def on_floor_updated(self, message: FloorUpdated) -> None:
        self._watch.refreshed(message)

    def on_presence_updated(self, message: PresenceUpdated) -> None:
        self._watch.presence_updated(message)

    def action_acknowledge(self) -> None:
        if not self._watch.acknowledge():
            raise SkipAction()

    def on_floor_panel_follow(self, message: FloorPanel.Follow) -> None:
        self._watch.follow(message.agent)

    def action_spy_followed(self) -> None:
        if not self._watch.spy_followed():
            raise SkipAction()

    # Focus moves with `set_focus`, at once: `Widget.focus()` waits its turn in the app's queue, behind keys
    # already typed, which would then land in the widget that had the focus before.
    def action_filter(self) -> None:
        if not self.query_one("#top").has_class("-floor"):
            raise SkipAction()
        self.set_focus(self._floor.filter_field)

    def action_leave_filter(self) -> None:
        if self.focused is not self._floor.filter_field:
            raise SkipAction()
        self.set_focus(self._floor.leave_filter())

    async def action_first_match(self) -> None:
        if self.focused is not self._floor.filter_field:
            raise SkipAction()
        await self._to_first_match()

    async def _to_first_match(self) -> None:
        self.set_focus(await self._floor.to_first_match())

    def on_floor_panel_act_on(self, message: FloorPanel.ActOn) -> None:
        self._flow.act_on(message.call, message.mode)

    def on_floor_panel_not_acted(self, message: FloorPanel.NotActed) -> None:
        self.voice.report("warning", f"{message.mode.value.upper()} not sent: {message.why}")

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
        self._on_top.covered()

    def on_resize(self, event: events.Resize) -> None:
        self._on_top.resized(event)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        self._on_top.back(event)

    def on_shift_loaded(self, message: ShiftLoaded) -> None:
        self._shift.loaded(message)

    def action_shift_summary(self) -> None:
        self._shift.open_summary()

    # ----- sending ----------------------------------------------------------------------------------

    async def action_send(self) -> None:
        focused = self.focused
        if focused is self._floor.filter_field:
            await self._to_first_match()
            return
        form = self._form
        if focused is not None and focused is not form and form not in focused.ancestors:
            raise SkipAction()  # Enter elsewhere (a list, a button outside the form) keeps its own meaning
        self._flow.send_form(self._started_up)

    def on_call_form_submitted(self, message: CallForm.Submitted) -> None:
        self._flow.send_fields(message.fields)

    @on(Input.Changed, "#snooper")
    def _snooper_changed(self) -> None:
        self.refresh_header()  # it shows the number, masked

    @on(FormInput.PasteRefused)
    def _paste_refused(self, event: FormInput.PasteRefused) -> None:
        self.voice.report("warning", f"Paste refused: {event.reason}; nothing was changed")

    def request_send(self, request: BargeRequest, stale: StaleList | None = None) -> None:
        self._flow.request_send(request, stale)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self._flow.worker_changed(event)

    def on_retry_scheduled(self, message: RetryScheduled) -> None:
        self._flow.retry_scheduled(message)

    def on_send_finished(self, message: SendFinished) -> None:
        self._flow.finished(message)

    # ----- other actions ----------------------------------------------------------------------------

    def action_mode(self, mode: str) -> None:
        self._form.modes.choose(SnoopType(mode))

    def on_mode_selector_refused(self, message: ModeSelector.Refused) -> None:
        if self.session is not None:
            self.voice.report("warning", self.session.mode_refusal(message.mode))

    def on_sessions_table_rerun(self, message: SessionsTable.Rerun) -> None:
        self.request_send(message.request)

    def action_hung_up(self) -> None:
        self._hang_up.hung_up()

    # ----- the tour and the room --------------------------------------------------------------------

    def action_leave_tour(self) -> None:
        if not self.tour_guide.leave():
            raise SkipAction()

    def on_tour_event(self, message: TourEvent) -> None:
        self.tour_guide.saw(message.happened)

    def settle_before_key(self) -> None:
        """Do what the last key left for after its frame (the live list filtered with it): the next key acts on
        what that key laid out."""
        self._floor.settle_filter()

    def reset(self) -> None:
        """Between two runs of a training: an empty log and sessions list, nothing monitored, the filter cleared."""
        self.query_one(LogPanel).clear()
        self._sessions.table().clear_entries()
        self._floor.clear_filter()
        self._form.clear_errors()
        self.tour_guide.restart()
        self._monitoring.forgotten()

    def action_clear_log(self) -> None:
        self.query_one(LogPanel).clear()

    def action_export_log(self) -> None:
        export_log(self.query_one(LogPanel), self.clock(), self.voice)

    @property
    def in_flight(self) -> frozenset[str]:
        return frozenset(self._flow.sends.started)
