"""Redrawing a one-line widget (the top line, the key bar) in the cells that changed, and not at all when none did.

Textual redraws a widget whole when it is refreshed, and over an SSH link that is every cell of the line sent
again: for a clock that ticks once a second, the whole top line every second."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Region
from textual.widget import Widget

WHOLE = Region(0, 0, 0, 0)  # a stand-in for "the whole line": the changed part could not be told apart


def changed_cells(before: Text | None, after: Text) -> Region | None:
    """The cells of `after` that differ from `before` (WHOLE when they cannot be told apart), or None when the two
    draw the same. Only text under the same styles in the same places is compared cell by cell."""
    if before is None or before.spans != after.spans or before.style != after.style:
        return WHOLE
    old, new = before.plain, after.plain
    if old == new:
        return None
    if len(old) != len(new):
        return WHOLE
    first = next(index for index, (a, b) in enumerate(zip(old, new, strict=True)) if a != b)
    last = len(new) - next(index for index, (a, b) in enumerate(zip(old[::-1], new[::-1], strict=True)) if a != b)
    if cell_len(old[first:last]) != cell_len(new[first:last]):
        return WHOLE  # a wide character for a narrow one: the cells after it move
    start = cell_len(new[:first])
    return Region(start, 0, cell_len(new[first:last]), 1)


class OneLine(Widget):
    """A one-line widget that draws `line()` and is redrawn only where that changes (see `redraw`)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._drawn: tuple[int, Text] | None = None  # the width and the line last asked for

    def line(self) -> Text:
        raise NotImplementedError

    def render(self) -> Text:
        drawn = self.line()
        self._drawn = (self.size.width, drawn)
        return drawn

    def redraw(self) -> None:
        """Refresh the cells whose text changed since the line was last drawn or redrawn."""
        before = self._drawn[1] if self._drawn is not None and self._drawn[0] == self.size.width else None
        after = self.line()
        self._drawn = (self.size.width, after)
        region = changed_cells(before, after)
        if region is WHOLE:
            self.refresh()
        elif region is not None:
            self.refresh(region)
