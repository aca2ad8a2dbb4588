"""The floor's health on one line under the top line: figures a supervisor reads at a glance, what is past a level
marked by a glyph and a word (see `core/floor/health_line.py`) and coloured too. Redrawn in the cells that changed,
and not at all when a refresh changes no figure: over an SSH link every cell counts."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from queuetui.tui.widgets.one_line import OneLine

if TYPE_CHECKING:
    from queuetui.core.floor.assess import FloorView

SLOW_LINK_EVERY_S = 60.0
_ALARM = Style(bold=True, color="red")
_WARN = Style(color="yellow")


class HealthLine(OneLine):
    DEFAULT_CSS = """
    HealthLine { height: 1; display: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: FloorView | None = None
        self.acknowledged = 0  # alarms now on that the supervisor has acknowledged
        self.text = ""
        self.slow_link = False  # figures at most once a minute: see `show`
        self._shown_at = 0.0  # when the figures were last shown (monotonic)

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

    def line(self) -> Text:
        if self.view is None:
            self.text = ""
            return Text("")
        # Loaded with the first view, after the first frame: the core is not for start-up.
        from queuetui.core.floor.health_line import health_line

        self.text = health_line(self.view, max(1, self.size.width), acknowledged=self.acknowledged)
        alarms, warnings = self.view.counts
        style = _ALARM if alarms > self.acknowledged else _WARN if alarms or warnings else Style()
        return Text(self.text, style=style, no_wrap=True, overflow="crop")
