"""The log panel: timestamped lines with symbols that read without colour, wrapped to the visible width,
bounded, exportable.

It draws its own lines (Textual's line API) rather than being a RichLog: the console paints its first frame
sooner without RichLog's imports, and rewrapping on a resize is the same code as writing a line."""

from __future__ import annotations

import os
from collections import deque
from datetime import datetime
from pathlib import Path
from typing import Literal

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.strip import Strip

from queuetui.api.text import printable
from queuetui.tui.widgets.steady_scroll import SteadyScrollView

MAX_LINES = 5000
ReportKind = Literal["ok", "info", "warning", "error"]

SYMBOLS = {"request": "\u2192", "ok": "\u2713", "error": "\u2717", "warning": "!", "info": "\u00b7"}
_STYLES = {"request": "", "ok": "green", "error": "bold red", "warning": "yellow", "info": "dim"}


class LogPanel(SteadyScrollView, can_focus=True):
    # The vertical scrollbar is always there, so the width lines wrap to never changes under them.
    DEFAULT_CSS = """
    LogPanel {
        background: $surface;
        color: $foreground;
        overflow-y: scroll;
        overflow-x: hidden;
        &:focus {
            background-tint: $foreground 5%;
        }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str = "") -> None:
        super().__init__(id=id, classes=classes)
        self.history: deque[tuple[str, str]] = deque(maxlen=MAX_LINES)  # (kind, line)
        self.rows: list[Strip] = []  # the history wrapped to `_wrapped_at` cells
        self._rows_per_line: deque[int] = deque()  # so the oldest line's rows go with it
        self._wrapped_at = 0

    def add(self, kind: str, message: str, when: datetime) -> str:
        """Write one line and return it. The message is cleaned: nothing from outside reaches the terminal raw."""
        line = f"{when:%H:%M:%S} {SYMBOLS[kind]} {printable(message, 1000)}"
        if len(self.history) == MAX_LINES and self._rows_per_line:
            del self.rows[: self._rows_per_line.popleft()]
        self.history.append((kind, line))
        if self._wrapped_at:  # else the first resize wraps it, once the width is known
            self._append_rows(kind, line)
            self._rows_changed()
        return line

    def _append_rows(self, kind: str, line: str) -> None:
        console = self.app.console
        options = console.options.update_width(self._wrapped_at)
        wrapped = Strip.from_lines(list(Segment.split_lines(console.render(Text(line, style=_STYLES[kind]), options))))
        self._rows_per_line.append(len(wrapped))
        self.rows.extend(wrapped)

    def _rows_changed(self) -> None:
        self.virtual_size = Size(self._wrapped_at, len(self.rows))
        # At once: scrolled after the next frame, that frame drew every row where it was, for nothing.
        self.scroll_end(animate=False, immediate=True)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        # Each line is wrapped once, when it is written: at a new width, all are wrapped again.
        width = self.scrollable_content_region.width
        if width == self._wrapped_at or width <= 0:  # no width (hidden): keep the rows for when it is back
            return
        self._wrapped_at = width
        self.rows.clear()
        self._rows_per_line.clear()
        for kind, line in self.history:
            self._append_rows(kind, line)
        self._rows_changed()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = int(self.scroll_offset.y) + y
        if row >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        return self.rows[row].crop_extend(0, width, self.rich_style).apply_style(self.rich_style)

    @property
    def lines_text(self) -> list[str]:
        return [line for _, line in self.history]

    def clear(self) -> None:
        self.history.clear()
        self.rows.clear()
        self._rows_per_line.clear()
        self._rows_changed()

    def export(self, path: Path) -> int:
        """Write the history to `path` (mode 0600) and return the number of lines written."""
        lines = self.lines_text
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("".join(f"{line}\n" for line in lines))
        return len(lines)
