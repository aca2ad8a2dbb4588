"""A modal question that takes no answer typed before it was drawn.

Keys typed ahead (in one burst over a slow link, or with the command while the console starts) reach a question as
soon as it is pushed, before its first frame: an answer among them would answer a question nobody has seen. Keys
are judged by when they were typed, not when they are handled.
"""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.screen import ModalScreen

from queuetui.tui.key_time import typed_at
from queuetui.tui.textual_private import event_time

Answer = TypeVar("Answer")


class Question(ModalScreen[Answer]):
    def __init__(self) -> None:
        super().__init__()
        self._shown_at: float | None = None  # when the question was drawn: a key typed after that answers

    @property
    def shown(self) -> bool:
        return self._shown_at is not None

    def on_screen_resume(self) -> None:
        # On each resume, not once: Textual drops this call if another screen covers this one before its refresh
        # (the palette, say).
        self.call_after_refresh(self._question_shown)

    def _question_shown(self) -> None:
        if self._shown_at is None:
            self._shown_at = event_time()

    def typed_before_shown(self, event: events.Key) -> bool:
        return self._shown_at is None or event.time <= self._shown_at

    def answered_before_shown(self) -> bool:
        """Whether the key that runs the action being handled was typed before the question was drawn.

        For the answers bound with priority: they act as the key is read, so that the keys typed behind them reach
        the screen below, and their action never sees the key event."""
        return self._shown_at is None or typed_at() <= self._shown_at
