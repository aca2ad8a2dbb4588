"""The console's status tick, ten a second: what on screen changes with time alone. The sending line moves on each
tick (its spinner, how long each send has taken); once a second the live time on the top line and the floor's state
line (how fresh the list is). One timer for all of them, so what changes in a second goes out in one frame: over an
SSH link each frame costs bytes of its own. The tick also starts a session's read-back when the call after its
frame was lost (`shift_readback`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from queuetui.core.session import Session
    from queuetui.tui.shift_readback import ShiftReadBack
    from queuetui.tui.widgets.floor_panel import FloorPanel

TICKS_A_SECOND = 10


@dataclass(eq=False, kw_only=True)
class StatusTick:
    session: Callable[[], Session | None]
    shift: ShiftReadBack
    top_line: Callable[[], None]
    floor: Callable[[], FloorPanel]
    sending: Callable[[int, bool], None]  # the sending line at this tick; quiet: no spinner, no times
    quiet: Callable[[], bool]  # still (for pictures), or at the far end of a slow link
    count: int = 0

    def tick(self) -> None:
        self.count += 1
        self.shift.tick()
        session = self.session()
        if self.count % TICKS_A_SECOND == 0 and session is not None:
            if session.monitoring.current is not None:
                self.top_line()  # the live time
            self.floor().show_state()
        self.sending(self.count, self.quiet())
