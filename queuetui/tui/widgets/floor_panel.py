"""The live list's frame, whose subtitle says how many calls there are and how fresh the list is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Vertical
from textual.geometry import Region

if TYPE_CHECKING:
    from typing_extensions import Self


class FloorPanel(Vertical):
    def __init__(self, *, id: str | None = None, classes: str = "") -> None:
        super().__init__(id=id, classes=classes)
        self._subtitle_only = False

    def show_subtitle(self, text: str) -> None:
        """Textual redraws the whole panel (its border, the filter, every row) for a new border subtitle, and over an
        SSH link that is the panel's every cell sent again; only the bottom border line carries it."""
        if self.border_subtitle == text:
            return
        self._subtitle_only = True
        try:
            self.border_subtitle = text
        finally:
            self._subtitle_only = False

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Self:
        if self._subtitle_only and not regions:
            # Regions are given inside the border: the bottom line is just below the content.
            bottom = Region(0, self.outer_size.height - 1, self.outer_size.width, 1)
            regions = (bottom.translate(-self.content_offset),)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
