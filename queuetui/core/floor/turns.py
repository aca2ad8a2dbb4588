"""Long loops of the poller's thread that let the console's threads in.

Only one thread runs Python at a time. A thread that wants to run while another is busy in a long loop waits
until the interpreter makes the busy one let go, and the console's threads ask many times for each key they show (a
read, a redraw, a write): each wait is added to the key's echo. A loop over thousands of calls lets go of its own
every few hundred of them, so a thread that is waiting runs at once.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

Item = TypeVar("Item")

EVERY = 200  # items between two turns: short enough to be let in at once, long enough to cost nothing


def taking_turns(items: Iterable[Item], every: int = EVERY) -> Iterator[Item]:
    """`items`, one by one, letting any other thread that is waiting to run do so after each `every` of them."""
    for count, item in enumerate(items, 1):
        yield item
        if count % every == 0:
            time.sleep(0)  # lets go of the interpreter: a waiting thread takes it now
