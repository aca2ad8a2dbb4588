"""Shortening text to a number of terminal cells without making it ambiguous."""

from __future__ import annotations

import re

from rich.cells import cell_len, set_cell_size

ELLIPSIS = "\u2026"


def in_the_middle(text: str, cells: int) -> str:
    """`text` in at most `cells` terminal cells: whole when it fits, else its head and its tail around an ellipsis.
    Ids that share a prefix (timestamps, counters) differ at the tail, so the tail gets the odd cell."""
    if cell_len(text) <= cells:
        return text
    room = max(0, cells - 1)
    tail = (room + 1) // 2
    return set_cell_size(text, room - tail) + ELLIPSIS + set_cell_size(text[::-1], tail)[::-1]


def at_the_end(text: str, cells: int) -> str:
    """`text` in at most `cells` terminal cells: whole when it fits, else its head and an ellipsis."""
    if cell_len(text) <= cells:
        return text
    return set_cell_size(text, max(0, cells - 1)) + ELLIPSIS


def long_words(text: str, cells: int) -> str:
    """`text` with each word longer than `cells` (an id of a hundred characters) shortened in the middle to that. A
    file's path stays whole: it may have to be typed."""

    def shortened(found: re.Match[str]) -> str:
        word = found[0]
        return word if "/" in word else in_the_middle(word, cells)

    return re.sub(rf"\S{{{cells + 1},}}", shortened, text)
