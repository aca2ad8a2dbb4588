"""The floor: live calls in a table, and keys that act on the highlighted call.

A line-API widget: a row is formatted into one string when it is first drawn, and again only when what it shows
has changed; painting a line is one strip from it. Only the rows on screen are formatted and compared, so a floor
of thousands of calls refreshing every second, or a keystroke in the filter, costs the console's thread the few
rows the supervisor sees, where a cell-by-cell table re-renders every cell on every refresh. At most MAX_ROWS calls
are listed; the filter narrows a bigger floor.

The rows keep their places across refreshes (see `FloorLayout`): a new call joins at the end, an ended one is
marked where it is until the supervisor tidies the list (`r`), and the cursor stays on its call. Only a key of
the supervisor's moves the cursor to another call, and a key acts on the call under it, never on a neighbour.
Every cell is measured in terminal cells, so wide characters and emoji stay inside the border; an id too long
for its column is shortened in the middle: its tail, where ids that share a prefix (timestamps, counters) differ, stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from queuetui.api.modes import SnoopType
from queuetui.tui.key_time import typed_at
from queuetui.tui.shorten import at_the_end, in_the_middle
from queuetui.tui.textual_private import event_time
from queuetui.tui.widgets.floor_intents import ActOn, CopyToForm, Follow, NotActed
from queuetui.tui.widgets.steady_scroll import SteadyScrollView

if TYPE_CHECKING:
    from queuetui.core.floor.calls import LiveCall
    from queuetui.core.floor.layout import FloorLayout
    from queuetui.core.floor.poller import FloorSnapshot

MAX_ROWS = 500
# A row a refresh adds is reached by a key only if the key was typed at least this long after the frame that
# first showed it: a key typed sooner was typed before the supervisor could have seen the row, in the instant the
# terminal (over SSH, half a round trip away) had yet to show it, or before a person can react to what it shows.
REACTION_S = 0.3
_UNSEEN = float("inf")  # a row not yet on screen: reachable from no time yet
_KEYED = float("-inf")  # a row a key laid out: reachable by the keys behind it
# Widths with a trailing space each, the last excepted; 43 cells plus the scrollbar fit the 44 at 80x24.
COLUMNS = (("", 2), ("Call", 8), ("Agent", 9), ("Cust", 5), ("Queue", 8), ("State", 6), ("Dur", 5))
WIDTH = sum(width for _, width in COLUMNS)
# By the state's value: the live-call model loads after the first paint.
_STATE_WORDS = {"ringing": "ring", "talking": "talk", "on hold": "hold", "ended": "ended"}
_HEADER = Style(bold=True, underline=True)
_CURSOR = Style(reverse=True)
_ENDED = Style(dim=True, strike=True)
_DIM = Style(dim=True)


def cut(text: str | None, width: int, *, middle: bool = False) -> str:
    """`text` in `width - 1` terminal cells and a space, so columns never run together. Too long, it is cut with
    an ellipsis: at the end, or in the middle, keeping its head and its tail."""
    text = text or "-"
    room = width - 1
    return set_cell_size(in_the_middle(text, room) if middle else at_the_end(text, room), width)


def duration(seconds: int | None, step: int = 1) -> str:
    """How long a call has lasted, in whole minutes counted `step` at a time: "<1m", "4m", "1h05", "12h" (with a step
    of 5: "<5m", "5m", "1h05"). A count of seconds would change every row on every refresh, and over an SSH link each
    changed row is sent again; the top line keeps the live call's seconds."""
    if seconds is None:
        return "-"
    minutes = seconds // 60 // step * step
    if minutes < 1:
        return f"<{step}m"
    hours, minutes = divmod(minutes, 60)
    if hours >= 10:  # whole hours: "10h05" would reach the scrollbar
        return f"{hours}h"
    return f"{hours}h{minutes:02}" if hours else f"{minutes}m"


# Over a slow link a call's duration is shown in steps of this many minutes: fewer rows change per refresh.
COARSE_MINUTES = 5
# How a row is marked: the word of the level it is past ("" for none), and whether its call is new this refresh.
RowMark = tuple[str, bool]
NO_MARK: RowMark = ("", False)
_LEVEL_STYLES = {"ALARM": Style(bold=True, color="red"), "warn": Style(color="yellow")}


def row_cells(
    call: LiveCall, now: float, live: bool, step: int = 1, others: bool = False, mark: RowMark = NO_MARK
) -> tuple[str, ...]:
    """The row's cells, each exactly its column's width in terminal cells. `others`: another supervisor is on
    the call (presence), marked `+` beside the live or ended mark. `mark`: a call past a level has `!` there
    instead and its level's word ("ALARM", "warn") for its state; a call new since the last refresh, `*`."""
    level, new = mark
    first = "\u25cf" if live else ("\u00d7" if call.ended else ("*" if new else " "))
    marker = first + ("!" if level else "+" if others else " ")
    agent = " ".join(part for part in (call.agent, call.agent_name) if part)
    state = _STATE_WORDS.get(call.state.value, "-") if call.state else "-"
    if level:
        state = level
    cells = (agent, call.customer_digits, call.queue, state)
    return (
        marker,
        cut(call.call_id, COLUMNS[1][1], middle=True),
        *(cut(text, width) for text, (_, width) in zip(cells, COLUMNS[2:6], strict=True)),
        set_cell_size(duration(call.duration_s(now), step), COLUMNS[6][1]),
    )


class LiveCallsTable(SteadyScrollView, can_focus=True):
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
        Binding(
            "o",
            "sort",
            "Sort",
            priority=True,
            id="floor.sort",
            tooltip="Sort: longest first, by state, by agent, by queue, as they came (a refresh keeps the rows still)",
        ),
        Binding(
            "n",
            "next_marked(1)",
            "Next !",
            show=False,
            priority=True,
            id="floor.next_marked",
            tooltip="To the next call past a level (! on its row)",
        ),
        Binding(
            "N",
            "next_marked(-1)",
            "Previous !",
            show=False,
            priority=True,
            id="floor.previous_marked",
            tooltip="To the previous call past a level",
        ),
        Binding(
            "exclamation_mark",
            "only_marked",
            "Only !",
            show=False,
            priority=True,
            id="floor.only_marked",
            tooltip="Show only the calls past a level, or every call again",
        ),
        Binding(
            "f", "follow", "Follow", show=False, priority=True, id="floor.follow", tooltip="Follow the call's agent"
        ),
        Binding("v", "agents", "Agents", show=False, priority=True, id="floor.agents", tooltip="The agents view"),
        Binding(
            "r",
            "tidy",
            "Tidy",
            show=False,
            priority=True,
            id="floor.tidy",
            tooltip="Tidy the live list: ended calls go (the highlighted one stays until you move)",
        ),
    ]

    class Highlighted(Message):
        """The cursor is on another call (or on none). `shortened`: its id does not fit its cell, so the cell
        shows it shortened and the whole of it belongs where it can be read."""

        def __init__(self, call_id: str | None, shortened: bool) -> None:
            super().__init__()
            self.call_id = call_id
            self.shortened = shortened

    class ShowAgents(Message):
        """The agents view instead of the calls."""

    class TriageChanged(Message):
        """The supervisor chose another order or filter of the list: the profile remembers them."""

        def __init__(self, sort: str, only_marked: bool) -> None:
            super().__init__()
            self.sort = sort
            self.only_marked = only_marked

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.snapshot: FloorSnapshot | None = None
        self.rows: FloorLayout | None = None  # from the first list: the live-call model loads after the first paint
        self.filter_text = ""
        self.live_call_id: str | None = None
        self.others_on: frozenset[str] = frozenset()  # calls another supervisor is on (presence)
        self.shown: list[LiveCall] = []
        self._now = 0.0  # the epoch time durations are counted to: the shown list's
        self._drawn: dict[int, str | None] = {}  # by row, the lines on screen as the last `show` left them
        self.matches = 0
        self.cursor_row = 0
        self.cursor_call: str | None = None  # the call the cursor is on: it stays there whatever a refresh does
        self.stale = False
        # By call id, for rows formatted since the cache was last trimmed: what the row showed (the call, live or
        # not, others on it or not, its duration's words, its mark), its cells and its line.
        self._formatted: dict[str, tuple[tuple[LiveCall, bool, bool, str, RowMark], tuple[str, ...], str]] = {}
        self.added: frozenset[str] = frozenset()  # calls the last refresh added (not its first)
        self.new_calls: frozenset[str] = frozenset()  # those marked new for that refresh
        self.sort = "arrival"  # the order asked for last (see `core/floor/triage.py`)
        self.only_marked = False  # only the calls past a level
        self._from_top = False  # the cursor is on the first row of an order just laid out
        self.coarse = False  # durations in steps of COARSE_MINUTES, for a slow link
        self._repeated: dict[str, None] = {}  # repeated ids seen since the last `take_repeated`, in order
        self._told: set[str] = set()
        self._told_highlighted: str | None = None
        # By call id, for the rows shown: when a key typed from then on may move onto its row (see `_reach`).
        self._reachable_from: dict[str, float] = {}
        self._unseen: list[str] = []  # rows a refresh added that no frame has drawn yet
        self._header = "".join(label.ljust(width) for label, width in COLUMNS)

    def show(self, snapshot: FloorSnapshot | None = None, filter_text: str | None = None) -> None:
        """Show a new refresh and/or a new filter, keeping the cursor on the call it was on."""
        refreshed = snapshot is not None and snapshot is not self.snapshot
        if snapshot is not None and snapshot is not self.snapshot:
            first = self.snapshot is None or not self.snapshot.loaded
            self.snapshot = snapshot
            if snapshot.loaded:
                layout = self._rows()
                layout.follow(snapshot)
                self.added = frozenset() if first else frozenset(layout.added)
                # Over a slow link a new row is not marked: the mark and its going would redraw it twice more.
                self.new_calls = frozenset() if self.coarse else self.added
                if first and self.sort != layout.sort:  # the order the profile remembers
                    layout.order(self.sort, snapshot.fetched_at or 0.0)
            self._repeated.update(dict.fromkeys(snapshot.repeated))
        if filter_text is not None:
            self.filter_text = filter_text
        if self.snapshot is None:
            return
        drawn, drawn_cursor = self._drawn, self.cursor_row
        found = self._rows().view(self.filter_text)
        if self.only_marked:
            worst = self.snapshot.view.worst if self.snapshot.view is not None else {}
            found = [call for call in found if call.call_id in worst or call.call_id == self.cursor_call]
        self.matches = len(found)
        self.shown = found[:MAX_ROWS]
        if len(found) > MAX_ROWS and all(call.call_id != self.cursor_call for call in self.shown):
            following = next((call for call in found[MAX_ROWS:] if call.call_id == self.cursor_call), None)
            if following is not None:  # the cursor's call is always in the table, whatever the cap
                self.shown[-1] = following
        self._now = self.snapshot.fetched_at or 0.0
        if len(self._formatted) > 2 * MAX_ROWS:  # rows no longer shown, or shown long ago: formatted again if need be
            self._formatted = {}
        rows = {call.call_id: index for index, call in enumerate(self.shown)}
        if self.cursor_call in rows:
            self.cursor_row = rows[self.cursor_call]
        else:  # a filter typed since hides it, or nothing was highlighted yet
            self.cursor_row = min(self.cursor_row, max(0, len(self.shown) - 1))
            self._follow()
        # Rows a refresh adds become reachable a reaction time after the frame that shows them; rows a key lays out
        # (a filter, a tidy) are reachable by the keys behind it.
        known, new = self._reachable_from, _UNSEEN if refreshed else _KEYED
        self._reachable_from = {call.call_id: known.get(call.call_id, new) for call in self.shown}
        self._unseen = [call_id for call_id, since in self._reachable_from.items() if since == _UNSEEN]
        size = Size(WIDTH, len(self.shown) + 1)
        if size != self.virtual_size:
            # Only the scrollbar follows the number of rows: the rows on screen are redrawn below, if they changed.
            self.set_reactive(LiveCallsTable.virtual_size, size)
            self.refresh(repaint=False, layout=True)
        self._drawn = self._lines_on_screen()
        changed = {row for row, line in self._drawn.items() if row not in drawn or drawn[row] != line}
        if drawn_cursor != self.cursor_row:
            changed.update((drawn_cursor, self.cursor_row))
        if self._unseen:
            # Added rows are timed by the frame that draws them (see `render_lines`): one there must be, even when
            # they are below the rows on screen. The column titles are always on screen: one cell of them will do.
            self.refresh(Region(0, 0, 1, 1))
        self._keep_cursor_visible()
        self._tell_highlighted()
        self._refresh_rows(changed)

    def _lines_on_screen(self) -> dict[int, str | None]:
        """The rows the table's height has room for at its scroll position, and their lines (None: no row)."""
        top = int(self.scroll_offset.y)
        return {row: self.line(row) for row in range(top, top + max(0, self.size.height - 1))}

    def _formatted_row(self, call: LiveCall) -> tuple[tuple[str, ...], str]:
        """The row's cells and line, formatted again only when what it shows has changed."""
        step = COARSE_MINUTES if self.coarse else 1
        live, others = call.call_id == self.live_call_id, call.call_id in self.others_on
        mark = self.mark_of(call.call_id)
        key = (call, live, others, duration(call.duration_s(self._now), step), mark)
        known = self._formatted.get(call.call_id)
        if known is None or known[0] != key:
            cells = row_cells(call, self._now, live, step, others, mark)
            known = (key, cells, "".join(cells))
            self._formatted[call.call_id] = known
        return known[1], known[2]

    def line(self, row: int) -> str | None:
        """The text of row `row` (from 0, under the column titles); None past the last."""
        return self._formatted_row(self.shown[row])[1] if 0 <= row < len(self.shown) else None

    def cells(self, row: int) -> tuple[str, ...]:
        """Row `row`'s cells, each exactly its column's width."""
        return self._formatted_row(self.shown[row])[0]

    def mark_of(self, call_id: str) -> RowMark:
        view = self.snapshot.view if self.snapshot is not None else None
        breach = view.worst.get(call_id) if view is not None else None
        return (breach.level.words if breach is not None else "", call_id in self.new_calls)

    def take_repeated(self) -> list[str]:
        """Call ids the list has named more than once in one answer, each once a session: to be reported."""
        new = [call_id for call_id in self._repeated if call_id not in self._told]
        self._told.update(new)
        self._repeated.clear()
        return new

    def _rows(self) -> FloorLayout:
        if self.rows is None:
            from queuetui.core.floor.layout import FloorLayout

            self.rows = FloorLayout()
        return self.rows

    def restart(self) -> None:
        """Another session: its own floor, laid out from its first list."""
        self.snapshot = None
        self.rows = None
        self._reachable_from, self._unseen = {}, []
        self._repeated.clear()
        self._told.clear()
        self.shown, self._formatted, self._drawn = [], {}, {}
        self.cursor_row, self.cursor_call, self.matches, self.live_call_id = 0, None, 0, None
        self.others_on = frozenset()
        self.virtual_size = Size(WIDTH, 1)
        self._tell_highlighted()
        self.refresh()

    def mark_stale(self, stale: bool) -> None:
        """Dim every row while the list is stale: what they say may no longer be so (the panel says how old)."""
        if stale != self.stale:
            self.stale = stale
            self.refresh()

    def mark_live(self, call_id: str | None) -> None:
        if call_id != self.live_call_id:
            self.live_call_id = call_id
            self.show()

    def mark_others(self, call_ids: frozenset[str]) -> None:
        if call_ids != self.others_on:
            self.others_on = call_ids
            self.show()

    @property
    def highlighted(self) -> LiveCall | None:
        return self.shown[self.cursor_row] if 0 <= self.cursor_row < len(self.shown) else None

    def first_match(self) -> None:
        self.action_cursor_to(0)

    def cell_text(self, row: int, column: int) -> str:
        return self.cells(row)[column].strip()

    # ----- drawing ----------------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # The frame being drawn is the one that first shows the rows a refresh added: timed here, as it is drawn, not
        # by a callback after it, which a busy console may run only after keys typed well after the frame went out.
        if self._unseen:
            reachable_from = event_time() + REACTION_S
            for call_id in self._unseen:
                self._reachable_from[call_id] = reachable_from
            self._unseen = []
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        # The rows carry the panel's own colours: without them a dialog drawn over the console, which gives its
        # colours to every cell that has none, changed each row's cells on opening and again on closing.
        base = self.rich_style
        if y == 0:  # the column titles stay put while the rows scroll under them
            return Strip([Segment(self._header[:width].ljust(width), base + _HEADER)])
        row = int(self.scroll_offset.y) + y - 1
        line = self.line(row)
        if line is None:
            return Strip.blank(width, self.rich_style)  # a style of its own: NO_COLOR's filter needs one
        call = self.shown[row]
        level = _LEVEL_STYLES.get(self.mark_of(call.call_id)[0]) if not call.ended else None
        style = base + (_ENDED if call.ended else (_DIM if self.stale else level or Style()))
        if row == self.cursor_row and self.has_focus:
            style = style + _CURSOR
        elif row == self.cursor_row:
            style = style + Style(underline=True)
        return Strip([Segment(line, style)]).adjust_cell_length(width, style)

    def _refresh_rows(self, rows: set[int]) -> None:
        """Redraw these rows where they are on screen, and nothing else: a refresh that changes no row sends
        nothing to the terminal."""
        top = int(self.scroll_offset.y)
        width = self.size.width
        for row in rows:
            y = row - top + 1
            if 1 <= y < self.size.height:
                self.refresh(Region(0, y, width, 1))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # ----- the cursor -------------------------------------------------------------------------------

    def _follow(self) -> None:
        call = self.highlighted
        self.cursor_call = call.call_id if call is not None else None

    def _tell_highlighted(self) -> None:
        if self.cursor_call != self._told_highlighted:
            self._told_highlighted = self.cursor_call
            shortened = self.cursor_call is not None and cell_len(self.cursor_call) > COLUMNS[1][1] - 1
            self.post_message(self.Highlighted(self.cursor_call, shortened))

    def on_resize(self) -> None:
        # The panel's detail line comes and goes with the highlighted call: the cursor's row stays in view.
        self._keep_cursor_visible()

    def _keep_cursor_visible(self) -> None:
        self.scroll_row_into_view(self.cursor_row)

    def all_reachable_from(self) -> float:
        """From when a key typed may move onto any row shown (on Textual's clock)."""
        return max(self._reachable_from.values(), default=_KEYED)

    def _reach(self, target: int) -> int:
        """The row a key aimed at `target` moves to: the nearest to it, on the way from the cursor, whose row the
        supervisor could have seen when the key was typed. End, Page Down or Down on the last row typed against a
        screen without the rows a refresh has just added stay on the last row it showed."""
        typed = typed_at()
        step = 1 if target > self.cursor_row else -1
        while target != self.cursor_row and self._reachable_from.get(self.shown[target].call_id, 0.0) > typed:
            target -= step
        return target

    def action_cursor(self, delta: int) -> None:
        self.action_cursor_to(max(0, self.cursor_row + delta))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.scrollable_content_region.height - 1))

    def action_cursor_to(self, row: int) -> None:
        if not self.shown:
            return
        last = len(self.shown) - 1
        self._from_top = False
        self.cursor_row = self._reach(last if row < 0 else min(row, last))
        self._follow()
        self._keep_cursor_visible()
        self._tell_highlighted()
        self.refresh()

    def action_tidy(self) -> None:
        now = self.snapshot.fetched_at if self.snapshot is not None else None
        if self.rows is not None and self.rows.tidy(keep=self.cursor_call, now=now):
            self.show()

    def order(self, sort: str) -> None:
        """Lay the rows out in `sort` order now (a remembered one, or the next one `o` asks for)."""
        self.sort = sort
        if self.rows is not None and self.snapshot is not None:
            self.rows.order(sort, self.snapshot.fetched_at or 0.0)
            self._reachable_from = {call_id: min(since, _KEYED) for call_id, since in self._reachable_from.items()}
            self.show()

    def action_sort(self) -> None:
        from queuetui.core.floor.triage import next_sort

        self.order(next_sort(self.sort))
        # A new order is read from the top: the cursor goes there, and `n` counts its first row too.
        self.action_cursor_to(0)
        self._from_top = True
        self.post_message(self.TriageChanged(self.sort, self.only_marked))

    def action_only_marked(self) -> None:
        self.only_marked = not self.only_marked
        self.show()
        self.post_message(self.TriageChanged(self.sort, self.only_marked))

    def action_next_marked(self, step: int) -> None:
        from queuetui.core.floor.triage import next_marked

        view = self.snapshot.view if self.snapshot is not None else None
        if view is None or not self.shown:
            return
        start = -1 if self._from_top and step > 0 else self.cursor_row
        target = next_marked([call.call_id for call in self.shown], start, view.worst, step)
        if target is not None:
            self.action_cursor_to(target)

    def action_act(self, mode: str) -> None:
        call = self.highlighted
        if call is not None and call.ended:
            self.post_message(NotActed(SnoopType(mode), f"{call.call_id} has ended"))
        elif call is not None:
            self.post_message(ActOn(call, SnoopType(mode)))
        elif self.snapshot is None:
            self.post_message(NotActed(SnoopType(mode), "the live list has not loaded yet"))
        else:
            self.post_message(NotActed(SnoopType(mode), "no call is highlighted in the live list"))

    def action_follow(self) -> None:
        call = self.highlighted
        if call is not None and call.agent is not None:
            self.post_message(Follow(call.agent))

    def action_agents(self) -> None:
        self.post_message(self.ShowAgents())

    def action_copy(self) -> None:
        call = self.highlighted
        if call is not None:
            self.post_message(CopyToForm(call))
