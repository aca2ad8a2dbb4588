"""The bottom line: the keys that act where the focus is, e.g. `f2 ^o Spy f3 ^t Whisper ^q Quit`.

Textual's Footer builds a widget per key and rebuilds them all whenever the focus moves; on a console whose
focus moves with every Tab that was the largest cost of a frame. This is one widget drawing one line of text,
redrawn (never rebuilt) where its text changed when the bindings change. A click on a key presses it, as the
Footer's would.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import ActiveBinding, Binding
from textual.dom import DOMNode
from textual.screen import Screen

from queuetui.tui.widgets.one_line import OneLine

# Keys a desktop browser keeps for itself, and what it does with them: a console in a page never gets them, so its
# key bar does not offer them. Every action they do has an F-key or a letter too.
BROWSER_KEEPS = {"ctrl+t": "new tab", "ctrl+w": "close tab", "ctrl+n": "new window"}


def browser_words() -> str:
    kept = ", ".join(f"Ctrl+{key[-1].upper()} ({what})" for key, what in BROWSER_KEEPS.items())
    return f"In a browser, {kept} stay with the browser: use the F-keys or letters instead."


@dataclass(frozen=True)
class KeySpan:
    start: int
    end: int
    key: str
    enabled: bool


@cache
def _declared_ids(node_type: type[DOMNode]) -> list[str | None]:
    return [binding.id for binding in node_type.BINDINGS if isinstance(binding, Binding)]


def _as_declared(bindings: Iterable[ActiveBinding]) -> list[ActiveBinding]:
    """The focused widget's bindings first and the app's last (the nodes are all on one path from the focus up, so
    the deeper comes first), each node's in the order its class declares them. Textual puts the keys a keymap
    moved after the others: remapping Spy would take it from the front of the line to the end."""

    def place(active: ActiveBinding) -> tuple[int, int]:
        declared = _declared_ids(type(active.node))
        binding_id = active.binding.id
        return -len(active.node.ancestors), declared.index(binding_id) if binding_id in declared else len(declared)

    return sorted(bindings, key=place)


class KeyBar(OneLine, can_focus=False):
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
            self.redraw()  # the focus moved, or a key was typed: the keys on offer are often the same

    def line(self) -> Text:
        # One entry per action, as the Footer does, naming every key it has (F2 and its Ctrl twin, or what the
        # keymap gave it): a terminal that sends no F-keys still has a key to read here. Too long for the
        # width, each entry names its first key only; still too long, the entries before the app's own give
        # way from the end, so that Quit and Help (whose list names every key) stay in sight.
        entries: dict[str, list[ActiveBinding]] = {}
        in_browser = self.app.is_web
        for active in _as_declared(self.screen.active_bindings.values()):
            if active.binding.show and not (in_browser and active.binding.key in BROWSER_KEEPS):
                entries.setdefault(active.binding.action, []).append(active)
        line, spans = self._line(entries, every_key=True)
        if line.cell_len > self.size.width:
            line, spans = self._line(entries, every_key=False)
        droppable = [action for action, actives in entries.items() if actives[0].node is not self.app]
        while line.cell_len > self.size.width and droppable:
            del entries[droppable.pop()]
            line, spans = self._line(entries, every_key=False)
        self.spans = spans
        return line

    def _line(self, entries: dict[str, list[ActiveBinding]], every_key: bool) -> tuple[Text, list[KeySpan]]:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        line = Text(no_wrap=True, overflow="crop")
        spans: list[KeySpan] = []
        for actives in entries.values():
            first = actives[0]
            if line:
                line.append(" ")
            start = line.cell_len
            dim = Style(dim=not first.enabled)
            keys = actives if every_key else actives[:1]
            line.append(" ".join(self.app.get_key_display(active.binding) for active in keys), key_style + dim)
            line.append(f" {first.binding.description}", description_style + dim)
            spans.append(KeySpan(start, line.cell_len, first.binding.key, first.enabled))
        return line, spans

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
