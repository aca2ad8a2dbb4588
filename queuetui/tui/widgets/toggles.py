"""Checkbox and radio button whose mark is there only when chosen. Textual draws the same mark either way and
tells them apart by colour alone, which a 16-colour or NO_COLOR terminal loses."""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class MarkedCheckbox(Checkbox):
    def watch_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "

    def on_mount(self) -> None:
        self.watch_value()


class MarkedRadioButton(RadioButton):
    def watch_value(self) -> None:
        self.BUTTON_INNER = "\u25cf" if self.value else " "

    def on_mount(self) -> None:
        self.watch_value()
