"""Checkbox and radio button whose mark is there only when chosen. Textual draws the same mark either way and
tells them apart by colour alone, which a 16-colour or NO_COLOR terminal loses."""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class MarkedCheckbox(Checkbox):
    def watch_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()  # Textual's own: the -on class and the Changed message

    def on_mount(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "


class MarkedRadioButton(RadioButton):
    def watch_value(self) -> None:
        self.BUTTON_INNER = "\u25cf" if self.value else " "
        super().watch_value()

    def on_mount(self) -> None:
        self.BUTTON_INNER = "\u25cf" if self.value else " "
