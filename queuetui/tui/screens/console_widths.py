"""The console's width classes: wider terminals get a wider form and sessions list (see app.tcss); 80 columns is the
design size. Textual's resize gives the console its class (`HORIZONTAL_BREAKPOINTS`); start-up gives it the same one
before the first layout (`startup.console_classes`), so that first resize changes no class and restyles nothing."""

from __future__ import annotations

WIDTH_CLASSES = [(0, "-narrow"), (110, "-wide")]


def width_class(width: int) -> str:
    """The class Textual's resize gives the console at `width` columns."""
    return next(name for minimum, name in sorted(WIDTH_CLASSES, reverse=True) if width >= minimum)
