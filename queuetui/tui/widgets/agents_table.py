"""The agents view: every agent with state, time in state, the call they are on and today's handled/missed counts,
an agent past a level marked `!` with the level's word for the state. `s`/`w`/`b` act on the agent's current call
through the same intents as the live list (so the same rules: the barge question, the check of a fresh list), `f`
follows the agent. A line-API widget: a thousand agents cost a string each per refresh."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from queuetui.api.modes import SnoopType
from queuetui.tui.widgets.floor_intents import ActOn, Follow, NotActed
from queuetui.tui.widgets.live_calls import cut, duration
from queuetui.tui.widgets.steady_scroll import SteadyScrollView

if TYPE_CHECKING:
    from queuetui.core.floor.agent_rows import AgentRow
    from queuetui.core.floor.poller import FloorSnapshot

COLUMNS = (("", 2), ("Agent", 11), ("State", 8), ("For", 5), ("Call", 9), ("H/M", 8))
WIDTH = sum(width for _, width in COLUMNS)
_STATE_WORDS = {"available": "free", "on a call": "on call", "wrap-up": "wrap-up", "break": "break", "offline": "off"}
_HEADER = Style(bold=True, underline=True)
_LEVEL_STYLES = {"ALARM": Style(bold=True, color="red"), "warn": Style(color="yellow")}


RowKey = tuple[object, ...]


def row_key(row: AgentRow) -> RowKey:
    """What a row shows: its line is formatted again only when this changes (time in state in whole minutes)."""
    call = row.call.call_id if row.call is not None else None
    return (row.agent, row.name, row.state, duration(row.in_state_s), call, row.handled, row.missed, row.level)


def agent_cells(row: AgentRow) -> tuple[str, ...]:
    state = _STATE_WORDS.get(row.state.value, "?") if row.state is not None else "?"
    counts = "/".join("?" if count is None else str(count) for count in (row.handled, row.missed))
    return (
        " !" if row.level else "  ",
        cut(" ".join(part for part in (row.agent, row.name) if part), COLUMNS[1][1]),
        cut(row.level or state, COLUMNS[2][1]),
        set_cell_size(duration(row.in_state_s), COLUMNS[3][1]),
        cut(row.call.call_id if row.call else None, COLUMNS[4][1], middle=True),
        set_cell_size(counts, COLUMNS[5][1]),
    )


class AgentsTable(SteadyScrollView, can_focus=True):
    DEFAULT_CSS = "AgentsTable { overflow-x: hidden; height: 1fr; display: none; }"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False, priority=True, id="agents.up"),
        Binding("down", "cursor(1)", "Down", show=False, priority=True, id="agents.down"),
        Binding("home", "cursor_to(0)", "First", show=False, priority=True, id="agents.first"),
        Binding("end", "cursor_to(-1)", "Last", show=False, priority=True, id="agents.last"),
        Binding(
            "s", "act('spy')", "Spy", show=False, priority=True, id="agents.spy", tooltip="Spy on the agent's call"
        ),
        Binding(
            "w",
            "act('whisper')",
            "Whisper",
            show=False,
            priority=True,
            id="agents.whisper",
            tooltip="Whisper on the agent's call",
        ),
        Binding(
            "b",
            "act('barge')",
            "Barge",
            show=False,
            priority=True,
            id="agents.barge",
            tooltip="Barge into the agent's call (asks to confirm)",
        ),
        Binding(
            "f", "follow", "Follow", priority=True, id="agents.follow", tooltip="Follow the agent: their next call"
        ),
        Binding("v", "calls", "Calls", priority=True, id="agents.calls", tooltip="Back to the live calls"),
    ]

    class ShowCalls(Message):
        """Back to the live calls."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: Sequence[AgentRow] = ()
        # Lines are formatted as they are drawn, each once while it shows the same: a thousand agents refreshing
        # every second would otherwise cost the UI thread a thousand lines of cell measuring per refresh.
        self._lines: dict[RowKey, str] = {}
        self.cursor_row = 0
        self.cursor_agent: str | None = None
        self.filter_text = ""
        self._header = "".join(label.ljust(width) for label, width in COLUMNS)

    def show(self, snapshot: FloorSnapshot | None, filter_text: str | None = None) -> None:
        """The agents of a refresh (and/or a new filter), the cursor kept on its agent."""
        if filter_text is not None:
            self.filter_text = filter_text
        if snapshot is None or not self.display:
            return
        from queuetui.core.floor.agent_rows import filter_agents

        every = snapshot.view.agent_rows if snapshot.view is not None else ()
        rows = tuple(filter_agents(every, self.filter_text)) if self.filter_text.strip() else every
        shown, cursor_was = self._shown(), self.cursor_row
        cursor = next((index for index, row in enumerate(rows) if row.agent == self.cursor_agent), None)
        self.cursor_row = cursor if cursor is not None else min(self.cursor_row, max(0, len(rows) - 1))
        self.rows = rows
        if len(self._lines) > 4 * len(rows) + 100:
            self._lines = {}  # what no row shows any more
        self.cursor_agent = rows[self.cursor_row].agent if rows else None
        size = Size(WIDTH, len(rows) + 1)
        if size != self.virtual_size:
            self.virtual_size = size
        # Redrawn only when a row on screen would read differently: times in state change every second, what
        # shows of them every minute, and each redraw costs the UI thread and sends the cursor's place again.
        if self._shown() != shown or self.cursor_row != cursor_was:
            self.refresh()

    def _shown(self) -> list[RowKey]:
        """What the rows on screen show."""
        top = int(self.scroll_offset.y)
        return [row_key(row) for row in self.rows[top : top + self.scrollable_content_region.height]]

    @property
    def highlighted(self) -> AgentRow | None:
        return self.rows[self.cursor_row] if 0 <= self.cursor_row < len(self.rows) else None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style  # the panel's colours, as the live calls' rows carry them
        if y == 0:
            return Strip([Segment(self._header[:width].ljust(width), base + _HEADER)])
        row = int(self.scroll_offset.y) + y - 1
        if row >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        key = row_key(self.rows[row])
        line = self._lines.get(key)
        if line is None:
            line = self._lines[key] = "".join(agent_cells(self.rows[row]))
        style = base + _LEVEL_STYLES.get(self.rows[row].level, Style())
        if row == self.cursor_row:
            style = style + (Style(reverse=True) if self.has_focus else Style(underline=True))
        return Strip([Segment(line, style)]).adjust_cell_length(width, style)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_cursor(self, delta: int) -> None:
        self.action_cursor_to(max(0, self.cursor_row + delta))

    def action_cursor_to(self, row: int) -> None:
        if not self.rows:
            return
        last = len(self.rows) - 1
        self.cursor_row = last if row < 0 else min(row, last)
        self.cursor_agent = self.rows[self.cursor_row].agent
        self.scroll_row_into_view(self.cursor_row)
        self.refresh()

    def action_act(self, mode: str) -> None:
        row = self.highlighted
        if row is None:
            self.post_message(NotActed(SnoopType(mode), "no agent is highlighted"))
        elif row.call is None:
            self.post_message(NotActed(SnoopType(mode), f"agent {row.agent} is not on a call the live list shows"))
        else:
            self.post_message(ActOn(row.call, SnoopType(mode)))

    def action_follow(self) -> None:
        row = self.highlighted
        if row is not None:
            self.post_message(Follow(row.agent))

    def action_calls(self) -> None:
        self.post_message(self.ShowCalls())
