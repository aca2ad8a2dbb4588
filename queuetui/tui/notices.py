"""The console's notices (toasts): at most two at once, none drawn over an open dialog. While a dialog is open (the
barge question, help, the palette, the shift), a notice waits for it to close: drawn over the box on a small
terminal, it would hide what the dialog says, such as who will hear you and the Barge button. The log panel has
every word at once either way."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import App

from queuetui.tui.reading_time import seconds_to_read
from queuetui.tui.shorten import long_words
from queuetui.tui.textual_private import keep_newest_notification, take_down_notifications

if TYPE_CHECKING:
    from queuetui.tui.widgets.log_panel import ReportKind

_SEVERITY = {"ok": "information", "info": "information", "warning": "warning", "error": "error"}
# The longest word a notice shows whole, as long as the top line shows an id: a longer one (an id of up to 256
# characters) is shortened in the middle, so two notices stay within the log at 80x24.
NOTICE_WORD_CELLS = 24


class Notices:
    def __init__(
        self, app: Callable[[], App[object]], dialog_open: Callable[[], bool], in_tour: Callable[[], bool]
    ) -> None:
        self._app = app
        self._dialog_open = dialog_open
        self._in_tour = in_tour
        self._held: list[tuple[ReportKind, str]] = []

    def say(self, kind: ReportKind, message: str, instead_of: str = "") -> None:
        """Show `message`, or hold it while a dialog is open. `instead_of`, an earlier notice's message that this one
        brings up to date, is taken down (or no longer held): left up, it would cover the log's newer lines with
        what is no longer so."""
        if instead_of:
            self._held = [held for held in self._held if held[1] != instead_of]
            take_down_notifications(self._app(), long_words(instead_of, NOTICE_WORD_CELLS))
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
        # At most two notices at once, one during the tour (whose text takes the log's room): more would reach
        # out of the log at 80x24. The older ones go (the log keeps every word); Textual offers no public way to
        # take one notice down.
        if self._in_tour():
            app.clear_notifications()
        else:
            keep_newest_notification(app)
        timeout = seconds_to_read(message, at_least=8 if kind == "error" else 5)
        # A long id is shortened in the middle, as on the top line, so the notice stays within the log; the log
        # and the line under the live list have it whole.
        shown = long_words(message, NOTICE_WORD_CELLS)
        # Markup is off: server text must never be read as styling.
        app.notify(shown, severity=_SEVERITY[kind], markup=False, timeout=timeout)  # type: ignore[arg-type]
