"""The floor: live calls in a table, and keys that act on the highlighted call.

A line-API widget: each row is formatted once per refresh into one string, and painting a line is one strip
from it. A floor of thousands of calls refreshing every second stays cheap to draw, where a cell-by-cell table
re-renders every cell on every refresh. At most MAX_ROWS calls are listed; the filter narrows a bigger floor.
The cursor follows the call, not the row number, across refreshes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from queuetui.api.modes import SnoopType

if TYPE_CHECKING:
    from queuetui.core.call_poller import FloorSnapshot
    from queuetui.core.live_calls import LiveCall

MAX_ROWS = 500
# Widths with a trailing space each, the last excepted; 43 cells plus the scrollbar fit the 44 at 80x24.
COLUMNS = (("", 2), ("Call", 8), ("Agent", 9), ("Cust", 5), ("Queue", 8), ("State", 6), ("Dur", 5))
WIDTH = sum(width for _, width in COLUMNS)
# By the state's value: the live-call model loads after the first paint.
_STATE_WORDS = {"ringing": "ring", "talking": "talk", "on hold": "hold", "ended": "ended"}
_HEADER = Style(bold=True, underline=True)
_CURSOR = Style(reverse=True)
_ENDED = Style(dim=True, strike=True)


def cut(text: str | None, width: int) -> str:
    """`text` in `width - 1` cells (an ellipsis when cut) and a space, so columns never run together."""
    text = text or "-"
    if len(text) >= width:
        text = text[: width - 2] + "\u2026"
    return text.ljust(width)


def duration(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02}" if minutes < 100 else f"{minutes // 60}h"


def row_text(call: LiveCall, now: float, live: bool) -> str:
    marker = "\u25cf " if live else ("\u00d7 " if call.ended else "  ")
    agent = " ".join(part for part in (call.agent, call.agent_name) if part)
    state = _STATE_WORDS.get(call.state.value, "-") if call.state else "-"
    cells = (agent, call.customer_digits, call.queue, state)
    return (
        marker
        + cut(call.call_id, 8)
        + "".join(cut(text, width) for text, (_, width) in zip(cells, COLUMNS[2:6], strict=True))
        + duration(call.duration_s(now)).ljust(COLUMNS[6][1])
    )


class LiveCallsTable(ScrollView, can_focus=True):
    DEFAULT_CSS = "LiveCallsTable { overflow-x: hidden; }"
    # Priority, all of them: they act as they arrive, in the order typed, while the table has the focus. Routed
    # to the table instead, a key is matched to its binding only after the app has handled the keys behind it: a
    # Tab typed at once would have moved the focus by then, and `s Tab` sent nothing.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False, priority=True, id="floor.up"),
        Binding("down", "cursor(1)", "Down", show=False, priority=True, id="floor.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, priority=True, id="floor.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, priority=True, id="floor.page_down"),
        Binding("home", "cursor_to(0)", "First", show=False, priority=True, id="floor.first"),
        Binding("end", "cursor_to(-1)", "Last", show=False, priority=True, id="floor.last"),
        Binding(
            "s", "act('spy')", "Spy", show=False, priority=True, id="floor.spy", tooltip="Spy on the highlighted call"
        ),
        Binding(
            "w",
            "act('whisper')",
            "Whisper",
            show=False,
            priority=True,
            id="floor.whisper",
            tooltip="Whisper on the highlighted call",
        ),
        Binding(
            "b",
            "act('barge')",
            "Barge",
            show=False,
            priority=True,
            id="floor.barge",
            tooltip="Barge into the highlighted call (asks to confirm)",
        ),
        Binding(
            "enter,ctrl+j",
            "copy",
            "To form",
            show=False,
            priority=True,
            id="floor.copy",
            tooltip="Copy the highlighted call into the form",
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

    class NoCall(Message):
        """A key that acts on the highlighted call found none: nothing was sent."""

        def __init__(self, mode: SnoopType, why: str) -> None:
            super().__init__()
            self.mode = mode
            self.why = why

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.snapshot: FloorSnapshot | None = None
        self.filter_text = ""
        self.live_call_id: str | None = None
        self.shown: list[LiveCall] = []
        self.lines: list[str] = []
        self.matches = 0
        self.cursor_row = 0
        self._header = "".join(label.ljust(width) for label, width in COLUMNS)

    def show(self, snapshot: FloorSnapshot | None = None, filter_text: str | None = None) -> None:
        """Show a new refresh and/or a new filter, keeping the cursor on the call it was on."""
        from queuetui.core.live_calls import filter_calls

        if snapshot is not None:
            self.snapshot = snapshot
        if filter_text is not None:
            self.filter_text = filter_text
        if self.snapshot is None:
            return
        following = self.highlighted.call_id if self.highlighted else None
        found = filter_calls(self.snapshot.calls, self.filter_text)
        self.matches = len(found)
        self.shown = found[:MAX_ROWS]
        now = self.snapshot.fetched_at or 0.0
        self.lines = [row_text(call, now, call.call_id == self.live_call_id) for call in self.shown]
        rows = {call.call_id: index for index, call in enumerate(self.shown)}
        self.cursor_row = rows.get(following or "", min(self.cursor_row, max(0, len(self.shown) - 1)))
        self.virtual_size = Size(WIDTH, len(self.lines) + 1)
        self._keep_cursor_visible()
        self.refresh()

    def mark_live(self, call_id: str | None) -> None:
        if call_id != self.live_call_id:
            self.live_call_id = call_id
            self.show()

    @property
    def highlighted(self) -> LiveCall | None:
        return self.shown[self.cursor_row] if 0 <= self.cursor_row < len(self.shown) else None

    def first_match(self) -> None:
        self.action_cursor_to(0)

    def cell_text(self, row: int, column: int) -> str:
        start = sum(width for _, width in COLUMNS[:column])
        return self.lines[row][start : start + COLUMNS[column][1]].strip()

    # ----- drawing ----------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:  # the column titles stay put while the rows scroll under them
            return Strip([Segment(self._header[:width].ljust(width), _HEADER)])
        row = int(self.scroll_offset.y) + y - 1
        if row >= len(self.lines):
            return Strip.blank(width, self.rich_style)  # a style of its own: NO_COLOR's filter needs one
        text = self.lines[row][:width].ljust(width)
        call = self.shown[row]
        style = _ENDED if call.ended else Style()
        if row == self.cursor_row and self.has_focus:
            style = style + _CURSOR
        elif row == self.cursor_row:
            style = style + Style(underline=True)
        return Strip([Segment(text, style)])

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # ----- the cursor -------------------------------------------------------------------------------

    def _keep_cursor_visible(self) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_offset.y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)

    def action_cursor(self, delta: int) -> None:
        self.action_cursor_to(max(0, min(len(self.shown) - 1, self.cursor_row + delta)))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.scrollable_content_region.height - 1))

    def action_cursor_to(self, row: int) -> None:
        if not self.shown:
            return
        self.cursor_row = row % len(self.shown)
        self._keep_cursor_visible()
        self.refresh()

    def action_act(self, mode: str) -> None:
        call = self.highlighted
        if call is not None:
            self.post_message(self.Act(call, SnoopType(mode)))
        elif self.snapshot is None:
            self.post_message(self.NoCall(SnoopType(mode), "the live list has not loaded yet"))
        else:
            self.post_message(self.NoCall(SnoopType(mode), "no call is highlighted in the live list"))

    def action_copy(self) -> None:
        call = self.highlighted
        if call is not None:
            self.post_message(self.Copy(call))
