"""Triage of the live list: the orders a supervisor may lay its rows out in, and finding the next call past a level.

An order is applied when the supervisor asks for it (a key, a tidy), never by a refresh: the rows then keep their
places as the layout promises (see `layout.py`), and a new call joins at the end until the list is laid out again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Sequence

from queuetui.core.floor.calls import CallState, LiveCall

SORTS = ("arrival", "duration", "state", "agent", "queue")
# What the list's state line says of each order: short, it shares the frame's bottom line at 80 columns.
SORT_WORDS = {"arrival": "", "duration": "longest", "state": "by state", "agent": "by agent", "queue": "by queue"}
_STATE_ORDER = {CallState.RINGING: 0, CallState.ON_HOLD: 1, CallState.TALKING: 2, None: 3, CallState.ENDED: 4}
_NUMBER = re.compile(r"(\d+)")


def next_sort(sort: str) -> str:
    return SORTS[(SORTS.index(sort) + 1) % len(SORTS)] if sort in SORTS else SORTS[1]


def _natural(text: str | None) -> tuple[int, tuple[tuple[int, str], ...]]:
    """Text with its numbers compared as numbers (agent 9 before agent 13); a missing value last."""
    if text is None:
        return (1, ())
    parts = _NUMBER.split(text.lower())
    return (0, tuple((1, part) if index % 2 == 0 else (0, f"{int(part):020d}") for index, part in enumerate(parts)))


def sort_key(sort: str, now: float) -> Callable[[LiveCall], object] | None:
    """How `sort` orders calls (None: as they came, which the layout keeps itself). Python's sort is stable: calls
    that tie keep the order they had."""
    if sort == "duration":
        return lambda call: -(call.duration_s(now) or -1)
    if sort == "state":
        return lambda call: _STATE_ORDER.get(call.state, 3)
    if sort == "agent":
        return lambda call: _natural(call.agent_name or call.agent)
    if sort == "queue":
        return lambda call: _natural(call.queue)
    return None


def next_marked(rows: Sequence[str], cursor: int, marked: Container[str], step: int) -> int | None:
    """The index of the next row (`step` 1) or the previous one (-1) from `cursor` whose call id is in `marked`,
    going round the end; None when no row is."""
    count = len(rows)
    for offset in range(1, count + 1):
        index = (cursor + step * offset) % count
        if rows[index] in marked:
            return index
    return None
