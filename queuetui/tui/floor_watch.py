"""The floor as the console watches it: each refresh of the live list (its rows, the health line and its alarms, a
failed refresh, the followed agent's new call, the calls the supervisor was on that left the list) and who else is
on which call. Refreshes come from the poller's thread and presence from its own: each is handed to the UI thread as
a message, which the screen routes back here.

Alarms: a new one is said in the log and to syslog (on a worker), the bell rings for it as the profile says, and `a`
acknowledges every alarm on (`floor_alarms.py`). Following an agent (`following.py`): their next call is said and
marked, and spied on at once when the profile says so, else by `F`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Protocol

from textual.screen import Screen

from queuetui.api.modes import SnoopType
from queuetui.tui.floor_alarms import FloorAlarms
from queuetui.tui.floor_report import report_floor_failure, report_presence
from queuetui.tui.following import Following
from queuetui.tui.messages import FloorUpdated, LoginRequired, PresenceUpdated

if TYPE_CHECKING:
    from queuetui.core.floor.calls import LiveCall
    from queuetui.core.floor.poller import FloorSnapshot
    from queuetui.core.monitoring import Monitoring
    from queuetui.core.presence.entry import PresenceView
    from queuetui.core.session import Session
    from queuetui.tui.voice import Voice
    from queuetui.tui.widgets.floor_panel import FloorPanel
    from queuetui.tui.widgets.health_line import HealthLine


class ActOn(Protocol):
    def __call__(self, call: LiveCall, mode: SnoopType, *, follow: bool = False) -> None: ...


@dataclass(eq=False, kw_only=True)
class FloorWatch:
    screen: Screen[None]
    session: Callable[[], Session | None]
    panel: Callable[[], FloorPanel]
    health: Callable[[], HealthLine]
    voice: Voice
    act_on: ActOn
    legs_ended: Callable[[], None]  # a call the supervisor was on left the list: the console shows what is left
    top_line_changed: Callable[[], None]  # whom the console follows, or who else is on the call, changed
    following: Following = field(init=False, default_factory=Following)
    presence: PresenceView | None = field(init=False, default=None)  # once the session's presence says
    alarms: FloorAlarms = field(init=False)

    def __post_init__(self) -> None:
        self.alarms = FloorAlarms(self.health, self.voice.log, self._ring_bell, self._to_syslog)

    def attach(self, session: Session | None) -> bool:
        """Watch a newly attached session's floor and presence (None: signed out); whether it has a live list."""
        watched = session is not None and session.watch_floor(self._refreshed_on_poller)
        floor = session.floor if session is not None else None
        panel = self.panel()
        panel.follow(floor)
        self.presence = None
        if session is not None:
            session.watch_presence(self._presence_on_its_thread)
        self.following.stop()
        self.alarms.attach(session.profile.alerts if session is not None else None, floor)
        if session is not None:
            panel.table.sort = session.profile.floor_sort
            panel.table.only_marked = session.profile.floor_only_marked
        return watched

    # ----- the live list's refreshes ----------------------------------------------------------------

    def _refreshed_on_poller(self, snapshot: FloorSnapshot, ended: tuple[Monitoring, ...]) -> None:
        self.screen.post_message(FloorUpdated(snapshot, ended))

    def refreshed(self, message: FloorUpdated) -> None:
        self.alarms.show(message.snapshot.view)
        for call_id in self.panel().show(message.snapshot):
            self.voice.report("warning", f"The live list names {call_id} more than once: the first one is shown")
        session = self.session()
        if session is not None and report_floor_failure(message.snapshot, session, self.voice):
            refused = "Sign in again: the live list's server refused the credentials"
            self.screen.post_message(LoginRequired(refused, refused=True))
        self._followed_call_started(message.snapshot)
        for ended in message.ended:
            self.voice.report(
                "info", f"{ended.call_id} left the live list: you are off it ({ended.mode.value.upper()} ended)"
            )
        if message.ended:
            self.legs_ended()

    def _ring_bell(self) -> None:
        self.screen.app.bell()

    def _to_syslog(self, alarms: list[dict[str, object]]) -> None:
        copy = partial(self._copy_to_syslog, alarms)
        self.screen.run_worker(copy, group="alarm-syslog", thread=True, exit_on_error=False)

    def _copy_to_syslog(self, alarms: list[dict[str, object]]) -> None:
        session = self.session()
        if session is not None:
            for fields in alarms:
                session.alarm_to_syslog(fields)

    def acknowledge(self) -> bool:
        """`a`: every alarm on acknowledged, said in the log; False when the floor has not been judged yet."""
        if self.alarms.view is None:
            return False
        count = self.alarms.acknowledge()
        self.voice.log("info", f"Acknowledged {count} alarm{'' if count == 1 else 's'}: no more bells for them")
        return True

    # ----- following an agent -----------------------------------------------------------------------

    def follow(self, agent: str) -> None:
        """Follow `agent` (again on the one followed: stop)."""
        session = self.session()
        if session is None:
            return
        self.voice.report("info", self.following.start(agent, session.profile.follow_spies))
        self.top_line_changed()

    def spy_followed(self) -> bool:
        """`F`: spy on the followed agent's new call; False when there is none."""
        call = self.following.new_call
        if call is None:
            return False
        self.act_on(call, SnoopType.SPY)
        return True

    def _followed_call_started(self, snapshot: FloorSnapshot) -> None:
        """A followed agent's new call: said, marked (a new row), and spied on when the profile says so."""
        call = self.following.took(snapshot, self.panel().table.added)
        if call is None:
            return
        if self.following.spies:
            self.voice.report("info", f"Agent {call.agent} took {call.call_id}: spying on it (following)")
            self.act_on(call, SnoopType.SPY, follow=True)
        else:
            self.voice.report("info", f"Agent {call.agent} took {call.call_id} (marked *): F spies on it")

    # ----- presence: who else is on which call ------------------------------------------------------

    def _presence_on_its_thread(self, view: PresenceView) -> None:
        self.screen.post_message(PresenceUpdated(view))

    def presence_updated(self, message: PresenceUpdated) -> None:
        session = self.session()
        if session is None or session.presence is None:
            return  # a view from a session signed out of since
        report_presence(self.presence, message.view, self.voice)
        self.presence = message.view
        self.panel().table.mark_others(message.view.calls_with_others())
        self.top_line_changed()
