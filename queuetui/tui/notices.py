"""The console's notices (toasts): at most two at once, none drawn over an open dialog. While a dialog is open (the
barge question, help, the palette, the shift), a notice waits for it to close: drawn over the box on a small
terminal, it would hide what the dialog says, such as who will hear you and the Barge button. The log panel has
every word at once either way."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import App

from queuetui.tui.textual_private import keep_newest_notification

if TYPE_CHECKING:
    from queuetui.tui.widgets.log_panel import ReportKind

_SEVERITY = {"ok": "information", "info": "information", "warning": "warning", "error": "error"}


class Notices:
    def __init__(self, app: Callable[[], App[object]], dialog_open: Callable[[], bool]) -> None:
        self._app = app
        self._dialog_open = dialog_open
        self._held: list[tuple[ReportKind, str]] = []

    def say(self, kind: ReportKind, message: str) -> None:
        if self._dialog_open():
            self._held.append((kind, message))
        else:
            self._notify(kind, message)

    def show_held(self) -> None:
        """The notices held back, once no dialog is open any more."""
        while self._held and not self._dialog_open():
            self._notify(*self._held.pop(0))

    def _notify(self, kind: ReportKind, message: str) -> None:
        app = self._app()
        # At most two notices at once: stacked from the bottom, more would cover the top line at 80x24. The older
        # ones go (the log keeps every word); Textual offers no public way to take one notice down.
        keep_newest_notification(app)
        # Markup is off: server text must never be read as styling.
        app.notify(message, severity=_SEVERITY[kind], markup=False, timeout=8 if kind == "error" else 5)  # type: ignore[arg-type]
