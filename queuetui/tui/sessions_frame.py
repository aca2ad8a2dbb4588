"""The sessions list's frame on the console. Its table is Textual's DataTable, which the first frame would wait for
(its module, its styles, its layout): that frame shows an empty frame, and the table takes its place once start-up's
worker has loaded it. No action can be recorded before then: none is sent before a session opens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from queuetui.tui.widgets.sessions_table import SessionsTable


class SessionsFrame:
    def __init__(self, screen: Screen[None], waiting: str) -> None:
        self._screen = screen
        self._waiting = waiting  # the empty frame's selector

    def fill(self) -> None:
        """Put the table in place of the empty frame, with its classes and title."""
        from queuetui.tui.widgets.sessions_table import SessionsTable  # loaded by `boot`, off the UI thread

        waiting = self._screen.query_one(self._waiting)
        table = SessionsTable(id="sessions", classes=" ".join(waiting.classes))
        table.border_title = waiting.border_title
        self._screen.mount(table, before=waiting)
        waiting.remove()

    def table(self) -> SessionsTable:
        from queuetui.tui.widgets.sessions_table import SessionsTable

        return self._screen.query_one(SessionsTable)
