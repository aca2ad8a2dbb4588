"""One row of the sessions list: an action of this shift and how it ended. In a module of its own: the console
imports it for its first frame, and the table that shows the rows loads later (see `ConsoleScreen.show_sessions`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from queuetui.core.outcome import outcome_words

if TYPE_CHECKING:
    from queuetui.api.models import BargeRequest
    from queuetui.core.outcome import Outcome


@dataclass(frozen=True)
class SessionEntry:
    when: datetime
    request: BargeRequest
    outcome: Outcome

    @property
    def result(self) -> str:
        if self.outcome.ok:
            return "\u2713 ok"
        if self.outcome.code is not None:
            return f"\u2717 {self.outcome.code}"
        if self.outcome.kind.value == "unanswered":  # sent, and how it ended was never recorded
            return "? sent"
        return f"\u2717 {outcome_words(self.outcome.kind.value)}"
