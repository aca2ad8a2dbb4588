"""How the console speaks: `report` puts a line in the log and a notice on screen (`report_instead` in place of an
earlier one), `log` the line alone. Its helpers and the app speak through the console's `Voice` (`console_voice`), so
every word reaches the log panel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from queuetui.tui.notices import Notices
    from queuetui.tui.widgets.log_panel import LogPanel, ReportKind


@dataclass(frozen=True)
class Voice:
    report: Callable[[ReportKind, str], None]
    log: Callable[[str, str], None]  # a ReportKind, or "request" for what goes out
    # A report whose notice takes the place of an earlier report's (given by its message): a retry's, say.
    report_instead: Callable[[ReportKind, str, str], None]


def console_voice(log_panel: Callable[[], LogPanel], clock: Callable[[], datetime], notices: Notices) -> Voice:
    """The console's voice: each line in its log panel at the console's time; a report is a notice too (held while
    a dialog is open: see `Notices`)."""

    def log(kind: str, message: str) -> None:
        log_panel().add(kind, message, clock())

    def report(kind: ReportKind, message: str) -> None:
        log(kind, message)
        notices.say(kind, message)

    def report_instead(kind: ReportKind, message: str, earlier: str) -> None:
        log(kind, message)
        notices.say(kind, message, instead_of=earlier)

    return Voice(report, log, report_instead)
