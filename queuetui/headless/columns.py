"""Rows of text as aligned columns, measured in terminal cells (wide characters take two)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from queuetui.core.floor.calls import text_cells


def print_columns(rows: Sequence[Sequence[str]], out: TextIO) -> None:
    widths = [max(text_cells(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        cells = (cell + " " * (width - text_cells(cell)) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip(), file=out)
