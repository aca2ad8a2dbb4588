"""This shift's actions, newest last, with keys to run one again or in another mode."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from queuetui.api.modes import SnoopType

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
        return f"\u2717 {self.outcome.kind.value.replace('_error', '')}"


MAX_SESSIONS = 500


class SessionsTable(DataTable[str]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "rerun", "Re-run", id="session.rerun", tooltip="Send the selected action again"),
        Binding("s", "rerun_as('spy')", "As spy", id="session.spy", tooltip="Same call, mode spy"),
        Binding("w", "rerun_as('whisper')", "As whisper", id="session.whisper", tooltip="Same call, mode whisper"),
        Binding(
            "b", "rerun_as('barge')", "As barge", id="session.barge", tooltip="Same call, mode barge (asks to confirm)"
        ),
    ]

    class Rerun(Message):
        def __init__(self, request: BargeRequest) -> None:
            super().__init__()
            self.request = request

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, cell_padding=0)
        self._entries: dict[str, SessionEntry] = {}
        self._added = 0

    def on_mount(self) -> None:
        # Fixed widths (a trailing space each, the last excepted): five columns fit 32 cells at 80x24.
        for label, width in (("Time", 6), ("Call", 8), ("Agt", 4), ("Mode", 8), ("Result", 6)):
            self.add_column(label, width=width, key=label.lower())

    def record(self, entry: SessionEntry) -> None:
        """Add a row and select it; past MAX_SESSIONS the oldest row goes, so a long shift stays light."""
        key = str(self._added)
        self._added += 1
        self._entries[key] = entry
        if len(self._entries) > MAX_SESSIONS:
            oldest = next(iter(self._entries))
            del self._entries[oldest]
            self.remove_row(oldest)
        request = entry.request
        self.add_row(
            entry.when.strftime("%H:%M"),
            request.call_id,
            request.target_entity_val
            if request.target_entity_type == "agent"
            else f"{request.target_entity_type}:{request.target_entity_val}",
            request.snoop_type.value.upper(),
            entry.result,
            key=key,
        )
        if not self.has_focus:  # never move the row a supervisor is about to re-run
            self.move_cursor(row=self.row_count - 1)

    def _selected(self) -> SessionEntry | None:
        if not self._entries or self.cursor_row < 0:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return self._entries.get(key) if key is not None else None

    def action_rerun(self) -> None:
        entry = self._selected()
        if entry is not None:
            self.post_message(self.Rerun(entry.request))

    def action_rerun_as(self, mode: str) -> None:
        entry = self._selected()
        if entry is not None:
            self.post_message(self.Rerun(entry.request.with_mode(SnoopType(mode))))

    @property
    def entries(self) -> list[SessionEntry]:
        return list(self._entries.values())
