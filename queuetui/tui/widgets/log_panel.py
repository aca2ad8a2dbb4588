"""The log panel: timestamped lines with symbols that read without colour, wrapped, bounded, exportable."""

from __future__ import annotations

import os
from collections import deque
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual.widgets import RichLog

from queuetui.api.text import printable

MAX_LINES = 5000

SYMBOLS = {"request": "\u2192", "ok": "\u2713", "error": "\u2717", "warning": "!", "info": "\u00b7"}
_STYLES = {"request": "", "ok": "green", "error": "bold red", "warning": "yellow", "info": "dim"}


class LogPanel(RichLog):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(max_lines=MAX_LINES, wrap=True, markup=False, highlight=False, id=id)
        self.history: deque[str] = deque(maxlen=MAX_LINES)

    def add(self, kind: str, message: str, when: datetime) -> str:
        """Write one line and return it. The message is cleaned: nothing from outside reaches the terminal raw."""
        stamp = when.strftime("%H:%M:%S")
        line = f"{stamp} {SYMBOLS[kind]} {printable(message, 1000)}"
        self.history.append(line)
        self.write(Text(line, style=_STYLES[kind]))
        return line

    def clear(self) -> LogPanel:
        self.history.clear()
        super().clear()
        return self

    def export(self, path: Path) -> int:
        """Write the history to `path` (mode 0600) and return the number of lines written."""
        lines = list(self.history)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("".join(f"{line}\n" for line in lines))
        return len(lines)
