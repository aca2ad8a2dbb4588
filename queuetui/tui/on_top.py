"""What the console does as a dialog or another screen covers it, and as it comes back on top: the live list's poller
pauses meanwhile and notices already up go (drawn over the dialog; the log keeps every word); back on top the poller
resumes and the notices held back show. Two of Textual's full redraws are skipped, which over an SSH link repaint
every cell of the console: the restyle of its first resume (its widgets were styled as they mounted a moment
before), and the terminal's size sent again, unchanged, after the first frames."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events
from textual.geometry import Size
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from queuetui.core.session import Session


class OnTop:
    def __init__(
        self, screen: Screen[None], session: Callable[[], Session | None], show_held_notices: Callable[[], None]
    ) -> None:
        self._screen = screen
        self._session = session
        self._show_held_notices = show_held_notices
        self._resumed = False
        self._resized_to: Size | None = None

    def covered(self) -> None:
        # A repeated size is known only while the console stays on top: below another screen it is resized without
        # being told.
        self._resized_to = None
        app = self._screen.app
        if isinstance(app.screen, ModalScreen):
            app.clear_notifications()
        session = self._session()
        if session is not None and session.floor is not None:
            session.floor.pause()

    def back(self, event: events.ScreenResume) -> None:
        if not self._resumed:
            event.refresh_styles = False
            self._resumed = True
        session = self._session()
        if session is not None and session.floor is not None:
            session.floor.resume()
        self._show_held_notices()

    def resized(self, event: events.Resize) -> None:
        if event.size == self._resized_to:
            event.prevent_default()
        self._resized_to = event.size
