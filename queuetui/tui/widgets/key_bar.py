"""The bottom line: the keys that act where the focus is, e.g. `f2 Spy f3 Whisper ^q Quit`.

Textual's Footer builds a widget per key and rebuilds them all whenever the focus moves; on a console whose
focus moves with every Tab that was the largest cost of a frame. This is one widget drawing one line of text,
redrawn (never rebuilt) when the bindings change. A click on a key presses it, as the Footer's would.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class KeySpan:
    start: int
    end: int
    key: str
    enabled: bool


class KeyBar(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        text-wrap: nowrap;
        text-overflow: clip;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.spans: list[KeySpan] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        line = Text(no_wrap=True, overflow="crop")
        spans: list[KeySpan] = []
        shown_actions: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            # One entry per action, as the Footer does: a key and its Ctrl twin share one.
            if not binding.show or binding.action in shown_actions:
                continue
            shown_actions.add(binding.action)
            if line:
                line.append(" ")
            start = line.cell_len
            dim = Style(dim=not active.enabled)
            line.append(self.app.get_key_display(binding), key_style + dim)
            line.append(f" {binding.description}", description_style + dim)
            spans.append(KeySpan(start, line.cell_len, binding.key, active.enabled))
        self.spans = spans
        return line

    def key_at(self, x: int) -> KeySpan | None:
        return next((span for span in self.spans if span.start <= x < span.end), None)

    def on_click(self, event: events.Click) -> None:
        span = self.key_at(event.x)
        if span is None:
            return
        if span.enabled:
            self.app.simulate_key(span.key)
        else:
            self.app.bell()
