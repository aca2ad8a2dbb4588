"""Where the console marks the call the supervisor is monitoring (`core/monitoring.py`): its row on the floor, its
entry in the sessions list and the top line. Each is told after whatever may have changed it: an outcome, a leg
that ended (hung up, or its call left the floor), a reset of the demo. Signing out does not hang up the phone
(DeepCall has no call for that), so the legs a session leaves on it are said as it goes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from queuetui.tui.outcome_words import left_words

if TYPE_CHECKING:
    from queuetui.core.session import Session
    from queuetui.tui.voice import Voice
    from queuetui.tui.widgets.floor_panel import FloorPanel
    from queuetui.tui.widgets.sessions_table import SessionsTable


@dataclass(eq=False, kw_only=True)
class MonitoringMarks:
    session: Callable[[], Session | None]
    floor: Callable[[], FloorPanel]
    sessions: Callable[[], SessionsTable]
    voice: Voice
    top_line: Callable[[], None]  # the top line again: it names the call and its mode

    def changed(self) -> None:
        """The floor's marker and the top line on the call the supervisor is on now."""
        session = self.session()
        current = session.monitoring.current if session is not None else None
        self.floor().table.mark_live(current.call_id if current else None)
        self.top_line()

    def legs_ended(self) -> None:
        """After a leg ended: the sessions list, the floor's marker and the top line show what is left."""
        session = self.session()
        if session is None or session.monitoring.current is None:
            self.sessions().end_live()
        self.changed()

    def forgotten(self) -> None:
        """A reset of the demo: the training starts again with nothing monitored."""
        session = self.session()
        if session is not None:
            session.monitoring.end()
        self.changed()

    def replaced(self, before: Session | None, after: Session | None) -> None:
        """A session gives way to another (or to none, at a sign-out): each leg it left on the phone is said."""
        if before is None or before is after:
            return
        for leg in before.monitoring.legs:
            self.voice.report("warning", left_words(leg))
