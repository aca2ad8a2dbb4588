"""The snoop-type selector: one line, always showing which mode Send will use and who will hear you."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from queuetui.api.modes import SnoopType

_ORDER = (SnoopType.SPY, SnoopType.WHISPER, SnoopType.BARGE)


class ModeSelector(Widget, can_focus=True):
    """Left/right or s/w/b choose a mode; disallowed modes are shown struck out and cannot be chosen.

    Its keys are priority bindings (they apply only while it has the focus): they act the moment they arrive,
    in the order typed, so an Enter right behind them sends the mode they chose."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Previous mode", show=False, priority=True, id="mode.previous"),
        Binding("right", "step(1)", "Next mode", show=False, priority=True, id="mode.next"),
        Binding("s", "choose('spy')", "Spy", show=False, priority=True, id="mode.spy"),
        Binding("w", "choose('whisper')", "Whisper", show=False, priority=True, id="mode.whisper"),
        Binding(
            "b",
            "choose('barge')",
            "Barge",
            show=False,
            priority=True,
            id="mode.barge",
            tooltip="Barge (asks to confirm on send)",
        ),
    ]

    mode: reactive[SnoopType] = reactive(SnoopType.SPY)

    class Refused(Message):
        """A disallowed mode was asked for (the screen says why)."""

        def __init__(self, mode: SnoopType) -> None:
            super().__init__()
            self.mode = mode

    def __init__(self, allowed: frozenset[SnoopType], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.allowed = allowed
        self.set_reactive(ModeSelector.mode, next(m for m in _ORDER if m in allowed))
        self._refused: SnoopType | None = None  # asked for and refused since the mode was last chosen

    def set_allowed(self, allowed: frozenset[SnoopType]) -> None:
        self.allowed = allowed
        if self.mode not in allowed:
            self.mode = next(m for m in _ORDER if m in allowed)
        self.refresh()

    def choose(self, mode: SnoopType) -> bool:
        if mode not in self.allowed:
            self._refused = mode
            self.post_message(self.Refused(mode))
            return False
        self._refused = None
        self.mode = mode
        return True

    def take_refused(self) -> SnoopType | None:
        """The mode asked for and refused since a mode was last chosen, if any; asked once."""
        refused, self._refused = self._refused, None
        return refused

    def action_choose(self, value: str) -> None:
        self.choose(SnoopType(value))

    def action_step(self, delta: int) -> None:
        usable = [m for m in _ORDER if m in self.allowed]
        self._refused = None
        self.mode = usable[(usable.index(self.mode) + delta) % len(usable)]

    def watch_mode(self, mode: SnoopType) -> None:
        self.set_class(mode is SnoopType.BARGE, "-barge")

    def render(self) -> Text:
        # The chosen mode is marked three ways (dot, capitals, reverse video) so it reads without colour.
        text = Text()
        for mode in _ORDER:
            if mode is self.mode:
                text.append(f"(\u2022) {mode.value.upper()}", style="bold reverse")
            elif mode in self.allowed:
                text.append(f"( ) {mode.value}")
            else:
                text.append(f"(x) {mode.value}", style="dim strike")
            text.append(" ")
        return text
