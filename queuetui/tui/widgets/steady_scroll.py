"""A scroll view whose scrollbar is redrawn when what it shows changes, not at every layout of the screen; and
keeping a row of a table under one line of column titles on screen.

Textual's layout hands a scroll view its window's size as its virtual size, which never equals the size the view
sets itself from its rows: every layout anywhere on the screen (a notice appearing, a panel's title changing)
counted as a new size and redrew the view's scrollbar. Over an SSH link that is bytes for nothing."""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView


# `_size_updated` is a private hook of Textual: listed, with why, in queuetui/tui/textual_private.py.
class SteadyScrollView(ScrollView):
    _laid_out: tuple[Size, Size, Size] | None = None  # size, own virtual size, container size: as last laid out

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        laid_out = (size, self.virtual_size, container_size)
        if laid_out == self._laid_out:
            return False  # nothing of this view changed: no resize, no scrollbar to redraw
        self._laid_out = laid_out
        return super()._size_updated(size, virtual_size, container_size, layout)

    def scroll_row_into_view(self, row: int) -> None:
        """Scroll so that `row` (of the rows under the one line of column titles) is on screen."""
        visible = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_offset.y)
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + visible:
            self.scroll_to(y=row - visible + 1, animate=False)
