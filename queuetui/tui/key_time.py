"""When the key being handled was typed.

A priority binding runs its action without the key event, and some actions judge a key by when it was typed, not
when it is handled: over a slow link a burst is handled after the screen has changed under it. The app marks the
time of each key while it handles it; an action run by no key (a click, the code itself) reads the present moment.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from queuetui.tui.textual_private import event_time

_typed_at: ContextVar[float | None] = ContextVar("typed_at", default=None)


def typed_at() -> float:
    """When the key being handled was typed, or now when no key is being handled."""
    typed = _typed_at.get()
    return event_time() if typed is None else typed


@contextmanager
def key_typed_at(time: float) -> Iterator[None]:
    token = _typed_at.set(time)
    try:
        yield
    finally:
        _typed_at.reset(token)
