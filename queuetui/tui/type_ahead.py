"""Keys typed ahead, as a burst over a slow link delivers them, must act on the form as it stood at each key."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from textual.widget import Widget


async def keys_handled(widgets: Iterable[Widget]) -> None:
    """Wait until each focusable widget has handled the keys already routed to it. Awaited in a priority
    binding, while the app routes no further key, it lets a form be read as it stood at that binding's key."""
    done: list[asyncio.Event] = []
    for widget in widgets:
        if widget.can_focus:
            event = asyncio.Event()
            if widget.call_later(event.set):
                done.append(event)
    await asyncio.gather(*(event.wait() for event in done))
