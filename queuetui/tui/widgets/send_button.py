"""The form's Send: one line that a click presses (the console's Enter sends from anywhere in the form).

Textual's Button would do the job, but its stylesheet covers every variant, size and style a button can have:
parsing it was the largest single cost of the console's first frame (about 9 ms). This draws the one button
the form has, in the colours of a compact primary Button, and red while the mode is barge.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class SendButton(Widget, can_focus=True):
    # The console's Enter (priority) sends from anywhere in the form; this one serves a keymap that moves it.
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "press", show=False)]
    ALLOW_SELECT = False
    DEFAULT_CSS = """
    SendButton {
        width: auto;
        min-width: 16;
        height: 1;
        line-pad: 1;
        text-align: center;
        content-align: center middle;
        text-style: bold;
        color: $button-color-foreground;
        background: $primary;
        &:hover { background: $primary-darken-2; }
        &:focus {
            text-style: $button-focus-text-style;
            background-tint: $foreground 5%;
        }
        &.-barge {
            background: $error;
            &:hover { background: $error-darken-1; }
        }
        &:disabled { text-opacity: 0.6; }
        &:ansi {
            color: $primary;
            background: ansi_default;
            &.-barge { color: $error; }
        }
    }
    """

    label: reactive[str] = reactive("Send", layout=True)

    class Pressed(Message):
        def __init__(self, button: SendButton) -> None:
            super().__init__()
            self.button = button

        @property
        def control(self) -> SendButton:
            return self.button

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(SendButton.label, label)

    def render(self) -> Content:
        return Content(self.label)

    def action_press(self) -> None:
        self.post_message(self.Pressed(self))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        if event.chain == 1:  # a double click is one press, as on Textual's Button
            self.action_press()
