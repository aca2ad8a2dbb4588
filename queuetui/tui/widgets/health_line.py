"""The floor's health under the top line, on one line where the console is wide and on two where it is narrow:
figures a supervisor reads at a glance, what is past a level marked by a glyph and a word (see
`core/floor/health_line.py`) and coloured too. Redrawn in the cells that changed, and not at all when a refresh
changes no figure: over an SSH link every cell counts."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.geometry import Offset, Region, Size
from textual.widget import Widget

from queuetui.tui.widgets.one_line import WHOLE, changed_cells

if TYPE_CHECKING:
    from queuetui.core.floor.assess import FloorView
    from queuetui.core.floor.health_line import Part

SLOW_LINK_EVERY_S = 60.0
_ALARM = Style(bold=True, color="red")
_WARN = Style(color="yellow")


class HealthLine(Widget):
    # Unscoped, for the console's width class: two lines where the console is narrow, one where it is wide.
    SCOPED_CSS = False
    DEFAULT_CSS = """
    HealthLine { height: 1; display: none; }
    ConsoleScreen.-narrow HealthLine { height: 2; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: FloorView | None = None
        self.acknowledged = 0  # alarms now on that the supervisor has acknowledged
        self.text = ""  # the lines as plain text, one a line
        self.slow_link = False  # figures at most once a minute: see `show`
        self._shown_at = 0.0  # when the figures were last shown (monotonic)
        self._drawn: tuple[Size, list[Text]] | None = None  # the size and the lines last asked for

    def show(self, view: FloorView | None, acknowledged: int) -> None:
        """Show a refresh's figures. Over a slow link the figures wait out a minute since they were last shown (the
        longest wait alone would change every refresh), unless what is past a level or acknowledged changed."""
        now = time.monotonic()
        if self.slow_link and view is not None and self.view is not None:
            same_alarms = (len(view.alarms), view.floor.keys()) == (len(self.view.alarms), self.view.floor.keys())
            if same_alarms and acknowledged == self.acknowledged and now - self._shown_at < SLOW_LINK_EVERY_S:
                return
        self.view, self.acknowledged, self._shown_at = view, acknowledged, now
        self.redraw()

    def render(self) -> Text:
        lines = self.lines()
        self._drawn = (self.size, lines)
        return Text("\n").join(lines)

    def redraw(self) -> None:
        """Refresh the cells whose text changed since the lines were last drawn, and nothing when none did: over an
        SSH link every cell counts, and the longest wait changes alone on most refreshes."""
        before = self._drawn[1] if self._drawn is not None and self._drawn[0] == self.size else None
        after = self.lines()
        self._drawn = (self.size, after)
        if before is None or len(before) != len(after):
            self.refresh()
            return
        for row, (old, new) in enumerate(zip(before, after, strict=True)):
            region = changed_cells(old, new)
            if region is WHOLE:
                self.refresh(Region(0, row, self.size.width, 1))
            elif region is not None:
                self.refresh(region.translate(Offset(0, row)))

    def lines(self) -> list[Text]:
        if self.view is None:
            self.text = ""
            return [Text("")]
        # Loaded with the first view, after the first frame: the core is not for start-up.
        from queuetui.core.floor.health_line import health_lines

        count = max(1, self.size.height)
        lines = health_lines(self.view, max(1, self.size.width), lines=count, acknowledged=self.acknowledged)
        drawn = [_styled(parts) for parts in lines]
        self.text = "\n".join(line.plain for line in drawn)
        return drawn


def _styled(parts: list[Part]) -> Text:
    """A line's words, each word past a level in its level's colour."""
    from queuetui.core.floor.alerts import Level
    from queuetui.core.floor.health_line import SEPARATOR

    line = Text(no_wrap=True, overflow="crop")
    for index, part in enumerate(parts):
        if index:
            line.append(SEPARATOR)
        for place, word in enumerate(part):
            if place:
                line.append(" ")
            style = _ALARM if word.level is Level.ALARM else _WARN if word.level is Level.WARN else None
            line.append(word.text, style=style)
    return line
