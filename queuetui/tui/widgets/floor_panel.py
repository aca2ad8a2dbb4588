"""The floor panel: the live calls on the list, its filter, its state line (how many calls, how fresh the list is)
and, under it, the whole id of a highlighted call too long for its cell.

The panel keeps its own state; what the supervisor asks of a call reaches the screen as its intents (`ActOn`,
`CopyToForm`, `NotActed`, `Follow`, see `floor_intents`), which the screen hands to the session.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, TypeAlias

from rich.text import Text
from textual import events, on
from textual.containers import Horizontal, Vertical
from textual.geometry import Region
from textual.widgets import Input, Static

from queuetui.tui.widgets import floor_intents
from queuetui.tui.widgets.agents_table import AgentsTable
from queuetui.tui.widgets.form_input import FormInput
from queuetui.tui.widgets.live_calls import LiveCallsTable

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from typing_extensions import Self

    from queuetui.core.floor.poller import CallPoller, FloorSnapshot

# How long an Enter in the filter waits for the first live list to search; every later key waits behind it.
FLOOR_WAIT_S = 5.0


class FloorPanel(Vertical):
    ActOn: TypeAlias = floor_intents.ActOn
    CopyToForm: TypeAlias = floor_intents.CopyToForm
    NotActed: TypeAlias = floor_intents.NotActed
    Follow: TypeAlias = floor_intents.Follow

    def __init__(self, *, id: str | None = None, classes: str = "") -> None:
        super().__init__(id=id, classes=classes)
        self._subtitle_only = False
        self._floor: CallPoller | None = None  # the session's live list, when it has one
        self._arrived = asyncio.Event()  # its first refresh is shown
        self._filter_due: str | None = None  # typed into the filter, the list not yet filtered with it
        self._cursor_before_filter: str | None = None  # the call the cursor was on when the filter took the focus

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield FormInput(placeholder="/ filter: call, agent, customer, queue", id="filter", compact=True)
            yield Static("", id="floor-age")
        yield LiveCallsTable(id="calls")
        yield AgentsTable(id="agents")
        yield Static("", id="floor-detail")

    def on_mount(self) -> None:
        self.border_title = "Live calls"

    @property
    def table(self) -> LiveCallsTable:
        return self.query_one(LiveCallsTable)

    @property
    def agents(self) -> AgentsTable:
        return self.query_one(AgentsTable)

    def on_live_calls_table_show_agents(self, message: LiveCallsTable.ShowAgents) -> None:
        message.stop()
        self._show_view(agents=True)

    def on_agents_table_show_calls(self, message: AgentsTable.ShowCalls) -> None:
        message.stop()
        self._show_view(agents=False)

    def _show_view(self, *, agents: bool) -> None:
        """The agents instead of the calls, or back: the same frame, filter and state line."""
        self.table.display, self.agents.display = not agents, agents
        self.border_title = "Agents" if agents else "Live calls"
        self.agents.show(self._floor.snapshot if self._floor is not None else None)
        self.show_state()
        self.screen.set_focus(self.agents if agents else self.table)

    @property
    def filter_field(self) -> Input:
        return self.query_one("#filter", Input)

    def follow(self, floor: CallPoller | None) -> None:
        """Show the live list of a newly attached session (none: no list), from its first refresh."""
        self._floor = floor
        self._arrived.clear()
        self.table.restart()

    def show(self, snapshot: FloorSnapshot) -> list[str]:
        """Show a refresh of the list; the ids it names more than once (the first of each is shown)."""
        table = self.table
        typed, self._filter_due = self._filter_due, None
        table.show(snapshot, filter_text=typed)
        self.agents.show(snapshot, filter_text=typed)
        repeated = table.take_repeated()
        self._arrived.set()
        self.show_state()
        return repeated

    def show_state(self) -> None:
        """The state line, in the frame's bottom border, and the stale marking."""
        floor = self._floor
        if floor is None:
            return
        snapshot = floor.snapshot
        table = self.table
        if self.agents.display:  # the line counts what the frame shows
            total = len(snapshot.view.agent_rows) if snapshot.view is not None else 0
            filtered, matches, noun = bool(self.agents.filter_text.strip()), len(self.agents.rows), "agent"
        else:
            total = len(snapshot.calls)
            filtered, matches, noun = bool(table.filter_text or table.only_marked), table.matches, "call"
        count = f"{matches} of {total}" if filtered else f"{total}"
        noun = noun if total == 1 else f"{noun}s"
        stale = snapshot.stale(floor.now())
        from queuetui.core.floor.triage import SORT_WORDS

        triage = [SORT_WORDS.get(table.sort, ""), "only !" if table.only_marked else ""]
        shown = "".join(f"{words} \u00b7 " for words in triage if words)
        self._show_subtitle(f"{count} {noun} \u00b7 {shown}{snapshot.status_words(floor.now())}")
        self.set_class(stale, "-stale")
        table.mark_stale(stale)

    def use_slow_link(self, on: bool) -> None:
        """At the far end of a slow link the calls' durations change once a minute or more, and the list has no
        scrollbar to redraw as calls come and go (the state line gives the count)."""
        self.table.coarse = on
        self.table.set_class(on, "-slow-link")

    def clear_filter(self) -> None:
        self.filter_field.value = ""

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget is self.filter_field:
            self._cursor_before_filter = self.table.cursor_call

    def leave_filter(self) -> LiveCallsTable | AgentsTable:
        """Esc in the filter: empty it, the list whole again with the cursor on the call it was on before the filter
        (a call the filter hid moved the cursor): the call the supervisor had picked, not one the filter showed.
        Returns the view shown, for the focus."""
        if self._cursor_before_filter is not None:
            self.table.cursor_call = self._cursor_before_filter
        self.filter_field.value = ""
        self._filter_due = ""  # now, not after the frame: the keys behind the Esc meet the whole list
        self.settle_filter()
        return self.agents if self.agents.display else self.table

    async def to_first_match(self) -> LiveCallsTable | AgentsTable:
        """Filter with what the filter holds now and put the cursor on the first match, once the first list is in
        (or `FLOOR_WAIT_S` has passed); the list, for the focus."""
        self._filter_due = None  # filtered below, with what the field holds then
        if self._floor is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), FLOOR_WAIT_S)
        if self.agents.display:  # the agents view is the one shown: its first match
            self.agents.show(self._floor.snapshot if self._floor is not None else None, self.filter_field.value)
            self.agents.action_cursor_to(0)
            return self.agents
        table = self.table
        table.show(filter_text=self.filter_field.value)
        table.first_match()
        return table

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        # The key's echo goes out first and the list is filtered after that frame: over thousands of calls the
        # filter takes longer than the echo, and a supervisor typing wants to see each key at once.
        self._filter_due = event.value
        self.call_after_refresh(self.settle_filter)

    def settle_filter(self) -> None:
        """Filter the list with a key typed into the filter, if that is still to be done. The app calls this
        before it routes each key, so a key that moves on or acts on the list meets the list the filter lays out."""
        value, self._filter_due = self._filter_due, None
        if value is None:
            return
        self.table.show(filter_text=value)
        self.agents.show(self._floor.snapshot if self._floor is not None else None, filter_text=value)
        self.show_state()

    def on_live_calls_table_triage_changed(self) -> None:
        self.show_state()  # the message goes on up: the profile remembers the choice

    def on_live_calls_table_highlighted(self, message: LiveCallsTable.Highlighted) -> None:
        """An id too long for its cell is shown whole under the list while its row is highlighted: acting uses the
        whole id, so the supervisor must be able to read it, and tell it from ids that share its head or tail."""
        message.stop()
        detail = self.query_one("#floor-detail", Static)
        if message.shortened or detail.display:  # a hidden line stays as it is: an update would lay the panel out
            detail.update(Text(f"Call {message.call_id}") if message.shortened else "")
            detail.display = message.shortened

    def _show_subtitle(self, text: str) -> None:
        """Textual redraws the whole panel (its border, the filter, every row) for a new border subtitle, and over an
        SSH link that is the panel's every cell sent again; only the bottom border line carries it."""
        if self.border_subtitle == text:
            return
        self._subtitle_only = True
        try:
            self.border_subtitle = text
        finally:
            self._subtitle_only = False

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Self:
        if self._subtitle_only and not regions:
            # Regions are given inside the border: the bottom line is just below the content.
            bottom = Region(0, self.outer_size.height - 1, self.outer_size.width, 1)
            regions = (bottom.translate(-self.content_offset),)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
