"""The floor's health on one line, as the console's health line and `queuetui calls --watch` say it:

    !!2 ALARM !1 warn | wait 5!!ALARM max 1:20 | talk 20 ring 2 hold 1 | free 18 busy 23 wrap 2 brk 4 off 1 | SL 98%

Parts go in the order a supervisor needs them, so a narrow terminal drops the last first. A figure past a level
carries its mark (a glyph and a word), so the line reads the same without colour; "?" is a figure no source gives.
"""

from __future__ import annotations

from queuetui.core.floor.alerts import Level
from queuetui.core.floor.assess import FloorView
from queuetui.core.floor.feeds_config import AgentState
from queuetui.core.floor.health import UNKNOWN, clock_text, count_text

SEPARATOR = " | "
_AGENT_WORDS = (
    (AgentState.AVAILABLE, "free"),
    (AgentState.ON_CALL, "busy"),
    (AgentState.WRAP_UP, "wrap"),
    (AgentState.BREAK, "brk"),
    (AgentState.OFFLINE, "off"),
)


def _floor_mark(view: FloorView, limit: str) -> str:
    breach = view.floor.get(limit)
    return breach.level.mark if breach is not None else ""


def health_parts(view: FloorView, acknowledged: int = 0) -> list[str]:
    """The line's parts; `acknowledged`: how many of the alarms the supervisor has acknowledged."""
    health = view.health
    parts: list[str] = []
    alarms, warnings = view.counts
    summary = []
    if alarms:
        acked = f" ({acknowledged} ack)" if acknowledged else ""
        summary.append(f"{Level.ALARM.glyph}{alarms} {Level.ALARM.words}{acked}")
    if warnings:
        summary.append(f"{Level.WARN.glyph}{warnings} {Level.WARN.words}")
    if summary:
        parts.append(" ".join(summary))
    wait = f"wait {count_text(health.waiting)}{_floor_mark(view, 'callers_waiting')}"
    parts.append(f"{wait} max {clock_text(health.longest_wait_s)}{_floor_mark(view, 'longest_wait')}")
    parts.append(
        f"talk {count_text(health.talking)} ring {count_text(health.ringing)} hold {count_text(health.on_hold)}"
    )
    parts.append(" ".join(f"{word} {count_text(health.agents.get(state))}" for state, word in _AGENT_WORDS))
    level = health.service_level
    parts.append(f"SL {UNKNOWN if level is None else f'{level:.0f}%'}")
    return parts


def health_line(view: FloorView, width: int | None = None, *, acknowledged: int = 0) -> str:
    """The parts that fit in `width` cells (all of them when None), whole parts only."""
    parts = health_parts(view, acknowledged)
    line = parts[0]
    for part in parts[1:]:
        longer = line + SEPARATOR + part
        if width is not None and len(longer) > width:
            break
        line = longer
    return line
