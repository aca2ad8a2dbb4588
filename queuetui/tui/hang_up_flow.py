""" "I hung up": the supervisor's phone is down, so the leg on it ends. With one leg that may still be on the phone
it ends at once; with more, the supervisor picks which one (or all). An answer that comes after a sign-out ends
nothing: the legs were another session's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from textual.screen import Screen

from queuetui.tui.outcome_words import elapsed
from queuetui.tui.tour import Happened

if TYPE_CHECKING:
    from queuetui.core.session import Session
    from queuetui.tui.voice import Voice


@dataclass(eq=False, kw_only=True)
class HangUpFlow:
    voice: Voice
    session: Callable[[], Session | None]
    ended: Callable[[], None]  # legs ended: the console shows what is left
    saw: Callable[[Happened], None]
    clock: Callable[[], datetime]
    screen: Screen[None]

    def hung_up(self) -> None:
        session = self.session()
        legs = session.monitoring.legs if session is not None else ()
        if session is None or not legs:
            self.voice.report("info", "Not on a call: nothing to end")
            return
        if len(legs) == 1:
            self._end(session, legs[0].call_id)
            return
        from queuetui.tui.screens.hang_up import ALL, HangUpScreen

        def answered(call_id: str | None) -> None:
            if call_id is not None and self.session() is session:
                self._end(session, None if call_id == ALL else call_id)

        self.screen.app.push_screen(HangUpScreen(legs, session.monitoring.current, self.clock()), answered)

    def _end(self, session: Session, call_id: str | None) -> None:
        result = session.hung_up(call_id)
        self.saw(Happened("hung-up"))
        for ended in result.ended:
            lasted = elapsed((self.clock() - ended.since).total_seconds())
            self.voice.report(
                "ok", f"Off {ended.call_id}: you hung up ({ended.mode.value.upper()} ended after {lasted})"
            )
        if result.audit_problem:
            self.voice.report("error", f"NOT recorded in the audit trail: {result.audit_problem}")
        self.ended()
