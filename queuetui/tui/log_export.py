"""The log panel written to a file only the supervisor can read, in the state folder, named by the time it was
written; where it went, or why it could not, is said in the log and a notice."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from queuetui.tui.voice import Voice
    from queuetui.tui.widgets.log_panel import LogPanel


def export_log(log: LogPanel, now: datetime, voice: Voice) -> None:
    from queuetui.core.config import paths

    path = paths.state_dir() / "logs" / f"queuetui-log-{now:%Y%m%d-%H%M%S}.txt"
    try:
        count = log.export(path)
    except OSError as problem:
        voice.report("error", f"Could not export the log: {problem.strerror}")
        return
    voice.report("ok", f"Exported {count} log lines to {path}")
