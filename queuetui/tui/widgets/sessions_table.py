"""This shift's actions, newest last, with keys to run one again or in another mode. The row of the call you
are on reads LIVE; a row left for another call, or ended by "I hung up", says so."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable

from queuetui.api.modes import SnoopType
from queuetui.tui.shorten import at_the_end, in_the_middle
from queuetui.tui.widgets.session_entry import SessionEntry

if TYPE_CHECKING:
    from queuetui.api.models import BargeRequest

MAX_SESSIONS = 500
LIVE = "\u25cf LIVE"
LEFT = "\u21b7 left"
ENDED = "\u25a0 end"
# Column widths, a trailing space each but the last: they add up to the 35 cells left at 80x24 once the
# vertical scrollbar takes its column, so the result never hides under it. A floor's agents reach three digits,
# and a result is a word ("\u2717 refused"), never its first letters.
COLUMNS = (("Time", 6), ("Call", 8), ("Ag", 4), ("Mode", 8), ("Result", 9))
_STYLES = {"\u2713": "green", "\u2717": "bold red", LIVE[0]: "bold reverse", LEFT[0]: "dim", ENDED[0]: "dim"}


def fit(text: str, width: int) -> str:
    """`text` in `width - 1` terminal cells with an ellipsis when cut, so neighbouring columns never run together."""
    return at_the_end(text, width - 1)


class SessionsTable(DataTable[Text]):
    # Its keys stay out of the footer, which keeps the modes, Quit and Help whatever has the focus; F1 lists them.
    # Priority, with the cursor keys they act after: as the live list's, they act as they arrive, in the order
    # typed, and a Tab typed right behind one cannot move the focus away before it is matched.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", show=False, priority=True),
        Binding("down", "cursor_down", show=False, priority=True),
        Binding("pageup", "page_up", show=False, priority=True),
        Binding("pagedown", "page_down", show=False, priority=True),
        Binding(
            "r",
            "rerun",
            "Re-run",
            show=False,
            priority=True,
            id="session.rerun",
            tooltip="Send the selected action again",
        ),
        Binding(
            "s", "rerun_as('spy')", "As spy", show=False, priority=True, id="session.spy", tooltip="Same call, mode spy"
        ),
        Binding(
            "w",
            "rerun_as('whisper')",
            "As whisper",
            show=False,
            priority=True,
            id="session.whisper",
            tooltip="Same call, mode whisper",
        ),
        Binding(
            "b",
            "rerun_as('barge')",
            "As barge",
            show=False,
            priority=True,
            id="session.barge",
            tooltip="Same call, mode barge (asks to confirm)",
        ),
    ]

    class Rerun(Message):
        def __init__(self, request: BargeRequest) -> None:
            super().__init__()
            self.request = request

    def __init__(self, *, id: str | None = None, classes: str = "") -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=False, cell_padding=0)
        self._entries: dict[str, SessionEntry] = {}
        self._added = 0
        self._live_key: str | None = None

    def on_mount(self) -> None:
        for label, width in COLUMNS:
            self.add_column(label, width=width, key=label.lower())

    def record(self, entry: SessionEntry, live: bool = False, left: bool = False, overtaken: bool = False) -> None:
        """Add a row and select it; `live` marks it as the call you are on now (the row marked before turns to
        `left` when you moved to another call, else back to ok). An `overtaken` success, answered after an action
        asked for later, is left to the phone at once. Past MAX_SESSIONS the oldest row goes."""
        if live:
            self._unmark(LEFT if left else None)
        key = str(self._added)
        self._added += 1
        self._entries[key] = entry
        if len(self._entries) > MAX_SESSIONS:
            oldest = next(iter(self._entries))
            del self._entries[oldest]
            self.remove_row(oldest)
            if oldest == self._live_key:
                self._live_key = None
        request = entry.request
        agent = request.target_entity_val if request.target_entity_type == "agent" else request.target_entity_type
        self.add_row(
            Text(entry.when.strftime("%H:%M")),
            # In the middle: ids that share a prefix (timestamps, counters) differ at the tail.
            Text(in_the_middle(request.call_id, COLUMNS[1][1] - 1)),
            Text(fit(agent, COLUMNS[2][1])),
            Text(request.snoop_type.value.upper()),
            self._result_cell(LIVE if live else LEFT if overtaken else entry.result),
            key=key,
        )
        if live:
            self._live_key = key
        if not self.has_focus:  # never move the row a supervisor is about to re-run
            self.move_cursor(row=self.row_count - 1)

    def end_live(self) -> None:
        """The live call ended ("I hung up", or it left the live list)."""
        self._unmark(ENDED)

    def _unmark(self, result: str | None) -> None:
        key, self._live_key = self._live_key, None
        if key is not None and key in self._entries:
            self.update_cell(key, "result", self._result_cell(result or self._entries[key].result))

    @staticmethod
    def _result_cell(result: str) -> Text:
        return Text(result, style=_STYLES.get(result[0], ""))

    def cell_text(self, row: int, column: str) -> str:
        return self.get_cell_at(Coordinate(row, [c[0].lower() for c in COLUMNS].index(column))).plain

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

    def clear_entries(self) -> None:
        self.clear()
        self._entries.clear()
        self._live_key = None

    @property
    def entries(self) -> list[SessionEntry]:
        return list(self._entries.values())
