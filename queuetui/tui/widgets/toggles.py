"""The sign-in form's checkboxes and choice of sign-in kind.

Their marks are there only when chosen: Textual draws the same mark either way and tells them apart by colour
alone, which a 16-colour or NO_COLOR terminal loses.

Their keys are priority bindings, acted on as each key arrives. Textual matches a widget's own keys only once the
key has bubbled up to the app, after a Tab typed right behind it has moved the focus: `Tab Space Tab` typed fast
ticked the box after the one the Space was typed on. Enter is not a checkbox key: on the sign-in form it signs in.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Checkbox, RadioButton, RadioSet


class MarkedCheckbox(Checkbox, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_button", "Toggle", show=False, priority=True),
    ]

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


class ChoiceSet(RadioSet, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,right", "next_button", "Next option", show=False, priority=True),
        Binding("enter,space", "toggle_button", "Toggle", show=False, priority=True),
        Binding("up,left", "previous_button", "Previous option", show=False, priority=True),
    ]
