"""The floor: live calls in a table, a filter over them, and keys that act on the highlighted call.

The table shows at most MAX_ROWS calls (the filter narrows a bigger floor), so a refresh of thousands of calls
costs the same as one of a few hundred. The cursor follows the call, not the row number, across refreshes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable

from queuetui.api.modes import SnoopType

if TYPE_CHECKING:
    from queuetui.core.call_poller import FloorSnapshot
    from queuetui.core.live_calls import LiveCall

MAX_ROWS = 200
# Widths with a trailing space each, the last excepted; 42 cells plus the scrollbar fit the 44 at 80x24.
COLUMNS = (("", 2), ("Call", 8), ("Agent", 9), ("Cust", 5), ("Queue", 8), ("State", 5), ("Dur", 5))
# By the state's value: the live-call model (and pydantic behind it) loads after the first paint.
_STATE_WORDS = {"ringing": "ring", "talking": "talk", "on hold": "hold", "ended": "ended"}


def cut(text: str | None, width: int) -> str:
    text = text or "-"
    return text if len(text) < width else text[: width - 2] + "\u2026"


def duration(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02}" if minutes < 100 else f"{minutes // 60}h"


class LiveCallsTable(DataTable[Text]):
    # Not priority: they act only while the table has the focus, and arrive after the keys that moved its cursor.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "act('spy')", "Spy", show=False, id="floor.spy", tooltip="Spy on the highlighted call"),
        Binding(
            "w", "act('whisper')", "Whisper", show=False, id="floor.whisper", tooltip="Whisper on the highlighted call"
        ),
        Binding(
            "b",
            "act('barge')",
            "Barge",
            show=False,
            id="floor.barge",
            tooltip="Barge into the highlighted call (asks to confirm)",
        ),
        Binding(
            "enter", "copy", "To form", show=False, id="floor.copy", tooltip="Copy the highlighted call into the form"
        ),
    ]

    class Act(Message):
        def __init__(self, call: LiveCall, mode: SnoopType) -> None:
            super().__init__()
            self.call = call
            self.mode = mode

    class Copy(Message):
        def __init__(self, call: LiveCall) -> None:
            super().__init__()
            self.call = call

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, cell_padding=0)
        self.snapshot: FloorSnapshot | None = None
        self.filter_text = ""
        self.live_call_id: str | None = None
        self.shown: list[LiveCall] = []
        self.matches = 0

    def on_mount(self) -> None:
        for label, width in COLUMNS:
            self.add_column(label, width=width, key=label.lower() or "marker")

    def show(self, snapshot: FloorSnapshot | None = None, filter_text: str | None = None) -> None:
        """Show a new refresh and/or a new filter, keeping the cursor on the call it was on."""
        if snapshot is not None:
            self.snapshot = snapshot
        if filter_text is not None:
            self.filter_text = filter_text
        if self.snapshot is None:
            return
        from queuetui.core.live_calls import filter_calls

        following = self.highlighted.call_id if self.highlighted else None
        found = filter_calls(self.snapshot.calls, self.filter_text)
        self.matches = len(found)
        self.shown = found[:MAX_ROWS]
        now = self.snapshot.fetched_at or 0.0
        self.clear()
        for call in self.shown:
            self.add_row(*self._cells(call, now), key=call.call_id)
        rows = {call.call_id: index for index, call in enumerate(self.shown)}
        if following in rows:
            self.move_cursor(row=rows[following], animate=False)

    def _cells(self, call: LiveCall, now: float) -> list[Text]:
        ended = call.ended
        style = "dim strike" if ended else ""
        marker = "\u25cf " if call.call_id == self.live_call_id else ("\u00d7 " if ended else "  ")
        agent = " ".join(part for part in (call.agent, call.agent_name) if part)
        state = _STATE_WORDS.get(call.state.value, "-") if call.state else "-"
        return [
            Text(marker, style="bold"),
            Text(cut(call.call_id, 8), style=style),
            Text(cut(agent, 9), style=style),
            Text(cut(call.customer_digits, 5), style=style),
            Text(cut(call.queue, 8), style=style),
            Text(cut(state, 5), style=style),
            Text(duration(call.duration_s(now))),
        ]

    def mark_live(self, call_id: str | None) -> None:
        if call_id != self.live_call_id:
            self.live_call_id = call_id
            self.show()

    @property
    def highlighted(self) -> LiveCall | None:
        if not self.shown or not 0 <= self.cursor_row < len(self.shown):
            return None
        return self.shown[self.cursor_row]

    def first_match(self) -> None:
        if self.shown:
            self.move_cursor(row=0, animate=False)

    def cell_text(self, row: int, column: int) -> str:
        return self.get_cell_at(Coordinate(row, column)).plain

    def action_act(self, mode: str) -> None:
        call = self.highlighted
        if call is not None:
            self.post_message(self.Act(call, SnoopType(mode)))

    def action_copy(self) -> None:
        call = self.highlighted
        if call is not None:
            self.post_message(self.Copy(call))
