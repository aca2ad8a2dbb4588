"""The shift read back: once per session, its live list is started and today's earlier actions are read from the
audit trail on a worker, into the sessions list; F6 sums the shift up, also read on a worker. A read-back that
arrives after a sign-out (or a sign-in as someone else) is dropped: that shift is not this one."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.screen import Screen

from queuetui.tui.messages import ShiftLoaded, TourEvent
from queuetui.tui.tour import Happened
from queuetui.tui.widgets.session_entry import SessionEntry

if TYPE_CHECKING:
    from queuetui.core.session import Session
    from queuetui.tui.voice import Voice


class ShiftReadBack:
    def __init__(self, screen: Screen[None], record: Callable[[SessionEntry], None], voice: Voice) -> None:
        self._screen = screen
        self._record = record
        self._voice = voice
        self._reading: Session | None = None  # the session whose live list and read-back have started

    def start(self, session: Session | None) -> None:
        """Start `session`'s live list and the read-back of its shift, once per session."""
        if session is None or session is self._reading:
            return
        self._reading = session
        if session.floor is not None:
            session.floor.start()
        load = partial(self._load, session)
        self._screen.run_worker(load, name="shift", group="shift", thread=True, exclusive=True, exit_on_error=False)

    def _load(self, session: Session) -> None:
        actions, _ = session.shift()
        self._screen.post_message(ShiftLoaded(session, actions))

    def loaded(self, message: ShiftLoaded, current: Session | None) -> None:
        if message.session is not current or not message.actions:
            return
        for action in message.actions:
            self._record(SessionEntry(action.when, action.request, action.outcome))
        count = len(message.actions)
        actions = "1 action" if count == 1 else f"{count} actions"
        self._voice.log("info", f"This shift so far: {actions}, read back from the audit trail")
        for action in message.actions:
            if action.unanswered:
                self._voice.report("warning", f"{action.unanswered}: check your phone and the call")

    def open_summary(self, session: Session) -> None:
        """The shift summary (F6), read on a worker."""
        show = partial(self._summary, session)
        self._screen.run_worker(
            show, name="shift-summary", group="shift-summary", thread=True, exclusive=True, exit_on_error=False
        )

    def _summary(self, session: Session) -> None:
        from queuetui.tui.screens.shift_summary import ShiftSummaryScreen

        _, summary = session.shift()
        app = self._screen.app
        app.call_from_thread(app.push_screen, ShiftSummaryScreen(summary))
        self._screen.post_message(TourEvent(Happened("shift-summary")))
