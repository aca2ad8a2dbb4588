"""The floor's health in words, as the console's health line and `queuetui calls --watch` say it. On one line:

    !!ALARM 2 (1 ack) !warn 5 | wait 5 !warn max 0:40 | SL 98% | calls: talk 20 ring 2 hold 1 | agents: free 18 ...

and on two where the console is narrow: what needs the supervisor first (the alarms, the callers waiting, the
service level), then what the floor is doing (the calls and the agents).

A figure past a level is followed by its mark, a glyph and a word ("!warn", "!!ALARM") set apart by a space, so the
line reads the same without colour; "?" is a figure no source gives. Where a line does not fit, its least important
words go first, by `Word.rank`: the group labels, then offline, wrap-up, ringing, break, hold, the service level,
agents on a call, available, talking. The alarms, the callers waiting and the longest wait, and any word carrying a
mark, always stay.
"""

from __future__ import annotations

from dataclasses import dataclass

from queuetui.core.floor.alerts import Level
from queuetui.core.floor.assess import FloorView
from queuetui.core.floor.feeds_config import AgentState
from queuetui.core.floor.health import UNKNOWN, clock_text, count_text

SEPARATOR = " | "
KEPT = 1_000  # the rank of a word that is never dropped

_AGENT_WORDS = (
    (AgentState.AVAILABLE, "free"),
    (AgentState.ON_CALL, "call"),
    (AgentState.WRAP_UP, "wrap"),
    (AgentState.BREAK, "brk"),
    (AgentState.OFFLINE, "off"),
)
# What a line too long drops, lowest first (the same rank together), by the word's label; what is not here stays.
_RANKS = {
    "calls:": 0,
    "agents:": 0,
    "off": 1,
    "wrap": 2,
    "ring": 3,
    "brk": 4,
    "hold": 5,
    "SL": 6,
    "call": 7,
    "free": 8,
    "talk": 9,
}


@dataclass(frozen=True)
class Word:
    """A figure with its label (and its mark when past a level), or a group's label: what goes or stays whole.
    `level` is what the figure is past, for the colour; `rank` orders the dropping, lowest first."""

    text: str
    rank: int = KEPT
    level: Level | None = None
    label: bool = False  # a group's label, said only with a figure of its group

    @property
    def kept(self) -> bool:
        return self.rank >= KEPT or self.level is not None


Part = tuple[Word, ...]  # words said together, set apart from the next part by SEPARATOR


def _word(label: str, figure: str) -> Word:
    return Word(f"{label} {figure}", _RANKS[label])


def _marked(text: str, view: FloorView, limit: str) -> Word:
    breach = view.floor.get(limit)
    if breach is None:
        return Word(text)
    return Word(f"{text} {breach.level.mark}", level=breach.level)


def _alarms(view: FloorView, acknowledged: int) -> Part:
    alarms, warnings = view.counts
    words = []
    if alarms:
        acked = f" ({acknowledged} ack)" if acknowledged else ""
        level = Level.ALARM if alarms > acknowledged else Level.WARN
        words.append(Word(f"{Level.ALARM.mark} {alarms}{acked}", level=level))
    if warnings:
        words.append(Word(f"{Level.WARN.mark} {warnings}", level=Level.WARN))
    return tuple(words)


def health_parts(view: FloorView, acknowledged: int = 0) -> tuple[list[Part], list[Part]]:
    """The parts of the first line and of the second; `acknowledged`: how many of the alarms the supervisor has
    acknowledged."""
    health = view.health
    callers = (
        _marked(f"wait {count_text(health.waiting)}", view, "callers_waiting"),
        _marked(f"max {clock_text(health.longest_wait_s)}", view, "longest_wait"),
    )
    level = health.service_level
    service = (_word("SL", UNKNOWN if level is None else f"{level:.0f}%"),)
    calls = (
        Word("calls:", _RANKS["calls:"], label=True),
        _word("talk", count_text(health.talking)),
        _word("ring", count_text(health.ringing)),
        _word("hold", count_text(health.on_hold)),
    )
    agents = (
        Word("agents:", _RANKS["agents:"], label=True),
        *(_word(label, count_text(health.agents.get(state))) for state, label in _AGENT_WORDS),
    )
    first = [part for part in (_alarms(view, acknowledged), callers, service) if part]
    return first, [calls, agents]


def said(parts: list[Part]) -> str:
    """A line's words as plain text."""
    return SEPARATOR.join(" ".join(word.text for word in part) for part in parts)


def fitted(parts: list[Part], width: int | None) -> list[Part]:
    """The parts with their least important words dropped until they fit in `width` cells (all when None). What
    cannot be dropped stays, and the widget crops it."""
    while width is not None and len(said(parts)) > width:
        droppable = [word for part in parts for word in part if not word.kept]
        if not droppable:
            break
        least = min(word.rank for word in droppable)
        parts = [tuple(word for word in part if word.kept or word.rank != least) for part in parts]
        parts = [part for part in parts if any(not word.label for word in part)]
    return parts


def health_lines(
    view: FloorView, width: int | None = None, *, lines: int = 1, acknowledged: int = 0
) -> list[list[Part]]:
    """The health in `lines` lines (one or two) of `width` cells, each line its parts."""
    first, second = health_parts(view, acknowledged)
    if lines == 1:
        return [fitted(first + second, width)]
    return [fitted(first, width), fitted(second, width)]


def health_line(view: FloorView, width: int | None = None, *, acknowledged: int = 0) -> str:
    """The health on one line, as `calls --watch` prints it."""
    return said(health_lines(view, width, acknowledged=acknowledged)[0])
