"""The shift read back: once per session, its live list is started and today's earlier actions are read from the
audit trail on a worker, into the sessions list; F6 sums the shift up, also read on a worker. A read-back that
arrives after a sign-out (or a sign-in as someone else) is dropped: that shift is not this one.

Both start after the frame that shows the session: begun at once, the first fetch of the live list (and the HTTP
client it imports) and the read of the audit trail would hold that frame up. Textual runs a call after a frame on
the screen on top at the time, which may close first (help opened and shut at once): the console's status tick
starts them too, a second on. Not sooner: the next tick may be due at once (it waited out the start-up), and on a
loaded machine the frame may take longer than a tick."""

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


# Status ticks from a session's attach to the start of its read-back, if the call after its frame was lost.
TICKS_TO_START = 10


class ShiftReadBack:
    def __init__(
        self,
        screen: Screen[None],
        session: Callable[[], Session | None],
        record: Callable[[SessionEntry], None],
        voice: Voice,
    ) -> None:
        self._screen = screen
        self._session = session
        self._record = record
        self._voice = voice
        self._reading: Session | None = None  # the session whose live list and read-back have started
        self._ticks_since_attach = 0

    def attached(self) -> None:
        """A session was attached: start it after the frame that shows it."""
        self._ticks_since_attach = 0
        self._screen.call_after_refresh(self._start_reading)

    def tick(self) -> None:
        """The console's status tick: start the session in force if the call after its frame was lost."""
        self._ticks_since_attach += 1
        if self._ticks_since_attach >= TICKS_TO_START:
            self._start_reading()

    def _start_reading(self) -> None:
        """Start the live list and the read-back of the session in force, once per session."""
        session = self._session()
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

    def loaded(self, message: ShiftLoaded) -> None:
        if message.session is not self._session() or not message.actions:
            return
        for action in message.actions:
            self._record(SessionEntry(action.when, action.request, action.outcome))
        count = len(message.actions)
        actions = "1 action" if count == 1 else f"{count} actions"
        self._voice.log("info", f"This shift so far: {actions}, read back from the audit trail")
        for action in message.actions:
            if action.unanswered:
                self._voice.report("warning", f"{action.unanswered}: check your phone and the call")

    def open_summary(self) -> None:
        """The shift summary (F6), read on a worker."""
        session = self._session()
        if session is None:
            return
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
