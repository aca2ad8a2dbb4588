"""How the console's helpers speak: `report` puts a line in the log and a notice on screen, `log` the line alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from queuetui.tui.widgets.log_panel import ReportKind


@dataclass(frozen=True)
class Voice:
    report: Callable[[ReportKind, str], None]
    log: Callable[[str, str], None]  # a ReportKind, or "request" for what goes out
