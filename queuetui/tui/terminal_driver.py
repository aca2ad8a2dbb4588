"""The driver for a terminal: one that writes only the cells that change (`lean_output`), with keys and glyphs in
plain ASCII where the terminal takes no UTF-8 (`ascii_terminal`). A browser (`queuetui serve`) keeps Textual's
driver: it reads UTF-8 whatever the console's locale, and its bytes do not cross the SSH link."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from textual.drivers.linux_driver import LinuxDriver

from queuetui.tui.ascii_terminal import ascii_driver, wants_ascii
from queuetui.tui.lean_output import lean_driver

if TYPE_CHECKING:
    from textual.driver import Driver


def terminal_driver(driver: type[Driver]) -> tuple[type[Driver], bool]:
    """The driver to run instead of Textual's `driver`, and whether the terminal gets plain ASCII."""
    if not issubclass(driver, LinuxDriver):
        return driver, False
    if wants_ascii(os.environ):
        return lean_driver(ascii_driver(driver)), True
    return lean_driver(driver), False
