"""The tour on the console: its step's text above the key bar, moved on by what the console reports happened
(see `tour.py` for the steps). During the tour, notices stack up from above that text. The app (`--tour`) and the
palette start it, as `console.tour_guide`."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Static

from queuetui.tui.tour import Happened, KeysOf, Tour


class TourGuide:
    def __init__(self, screen: Screen[None], panel_id: str) -> None:
        self._screen = screen
        self._panel_id = panel_id
        self.tour: Tour | None = None

    def start(self, keys_of: KeysOf) -> None:
        self.tour = Tour(keys_of)
        self._show()

    def restart(self) -> None:
        """From the first step again, if a tour is on (a reset of the demo)."""
        if self.tour is not None:
            self.start(self.tour.keys_of)

    def leave(self) -> bool:
        """Close the tour; False when none was on."""
        if self.tour is None:
            return False
        self.tour = None
        self._show()
        return True

    def saw(self, happened: Happened) -> None:
        if self.tour is not None and self.tour.saw(happened):
            self._show()

    def _show(self) -> None:
        panel = self._screen.query_one(f"#{self._panel_id}", Static)
        panel.display = self.tour is not None
        for rack in self._screen.query("#textual-toastrack"):
            rack.set_class(self.tour is not None, "-above-tour")
        if self.tour is not None:
            panel.update(f"Tour {self.tour.progress}  {self.tour.text}  (Esc leaves)")
