"""The log panel: timestamped lines with symbols that read without colour, wrapped to the visible width,
bounded, exportable."""

from __future__ import annotations

import os
from collections import deque
from datetime import datetime
from pathlib import Path
from typing import Literal

from rich.text import Text
from textual import events
from textual.widgets import RichLog

from queuetui.api.text import printable

MAX_LINES = 5000
ReportKind = Literal["ok", "info", "warning", "error"]

SYMBOLS = {"request": "\u2192", "ok": "\u2713", "error": "\u2717", "warning": "!", "info": "\u00b7"}
_STYLES = {"request": "", "ok": "green", "error": "bold red", "warning": "yellow", "info": "dim"}


class LogPanel(RichLog):
    # The vertical scrollbar is always there, so the width lines wrap to never changes under them.
    DEFAULT_CSS = "LogPanel { overflow-y: scroll; overflow-x: hidden; }"

    def __init__(self, *, id: str | None = None, classes: str = "") -> None:
        # min_width=1: RichLog renders every line at least 78 cells wide by default, cropping it in a narrower panel.
        super().__init__(
            max_lines=MAX_LINES, min_width=1, wrap=True, markup=False, highlight=False, id=id, classes=classes
        )
        self.history: deque[tuple[str, str]] = deque(maxlen=MAX_LINES)  # (kind, line)
        self._wrapped_at = 0

    def add(self, kind: str, message: str, when: datetime) -> str:
        """Write one line and return it. The message is cleaned: nothing from outside reaches the terminal raw."""
        line = f"{when:%H:%M:%S} {SYMBOLS[kind]} {printable(message, 1000)}"
        self.history.append((kind, line))
        self.write(Text(line, style=_STYLES[kind]))
        return line

    def on_resize(self, event: events.Resize) -> None:
        # RichLog wraps a line once, when it is written: written again at the new width, it fits again.
        width = self.scrollable_content_region.width
        if width == self._wrapped_at or not self.history:
            self._wrapped_at = width
            return
        self._wrapped_at = width
        super().clear()
        for kind, line in self.history:
            self.write(Text(line, style=_STYLES[kind]), scroll_end=False)
        self.scroll_end(animate=False)

    @property
    def lines_text(self) -> list[str]:
        return [line for _, line in self.history]

    def clear(self) -> LogPanel:
        self.history.clear()
        super().clear()
        return self

    def export(self, path: Path) -> int:
        """Write the history to `path` (mode 0600) and return the number of lines written."""
        lines = self.lines_text
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("".join(f"{line}\n" for line in lines))
        return len(lines)
