"""The top line: what is live (call, mode, who hears you, for how long), then the environment badge, host,
masked identity and snooper. What is live never goes; the rest shrinks to fit, least useful words first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

from queuetui.api.modes import SnoopType
from queuetui.core.environment import Environment

if TYPE_CHECKING:
    from queuetui.core.live import Monitoring

# Each mode has its own glyph, so the line reads the same without colour.
GLYPHS = {SnoopType.SPY: "\u25cf", SnoopType.WHISPER: "\u25c6", SnoopType.BARGE: "\u25b2"}


@dataclass(frozen=True)
class HeaderFacts:
    environment: Environment
    host: str
    identity: str
    snooper: str
    live: Monitoring | None = None
    elapsed: str = ""
    phone: str = ""  # e.g. "☎ ringing"
    checked: bool = False  # the server has accepted these credentials at least once


def live_words(live: Monitoring | None, elapsed: str, phone: str = "", compact: bool = False) -> str:
    """`compact` drops the "ON" and the dots, for a terminal too narrow for them beside the environment badge."""
    if live is None:
        return "\u25cb not on a call"
    if phone:
        elapsed = f"{phone} \u00b7 {elapsed}"
    mode = live.mode
    if compact:
        return f"{GLYPHS[mode]} {live.call_id} {mode.value.upper()} {mode.heard_by} {elapsed}"
    return f"{GLYPHS[mode]} ON {live.call_id} \u00b7 {mode.value.upper()} \u00b7 {mode.heard_by} \u00b7 {elapsed}"


def top_line(facts: HeaderFacts, width: int) -> Text:
    """The longest variant that fits in `width` cells (the shortest, cut, when none does)."""
    line = Text()
    for line in _variants(facts):
        if line.cell_len <= width:
            return line
    return line


def _variants(facts: HeaderFacts) -> list[Text]:
    """Longest first. What is live, who hears you and for how long never go; the environment badge goes last
    of the rest (it is the only sign of production under NO_COLOR): the phone hint and the host first, then the
    "ON" and the dots of the live words."""
    live_style = "bold reverse" if facts.live is not None else ""
    with_phone = (f" {live_words(facts.live, facts.elapsed, facts.phone)} ", live_style)
    live = (f" {live_words(facts.live, facts.elapsed)} ", live_style)
    compact = (f" {live_words(facts.live, facts.elapsed, compact=True)} ", live_style)
    badge = (f" {facts.environment.value.upper()} ", "bold reverse")
    host = f" {facts.host}" if facts.host else " signed out"
    tick = " \u2713" if facts.checked else ""
    identity = f"  {facts.identity}{tick}" if facts.identity else ""
    snooper = f"  \u260e {facts.snooper}" if facts.snooper else ""
    return [
        Text.assemble(with_phone, " ", badge, host, identity, snooper),
        Text.assemble(with_phone, " ", badge, host, snooper),
        Text.assemble(with_phone, " ", badge, host),
        Text.assemble(with_phone, " ", badge),
        Text.assemble(live, " ", badge, host),
        Text.assemble(live, " ", badge),
        Text.assemble(compact, " ", badge),
        Text.assemble(live),
    ]


class StatusHeader(Widget):
    DEFAULT_CSS = "StatusHeader { height: 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.facts: HeaderFacts | None = None

    def starting(self) -> None:
        self.facts = None
        self.refresh()

    def show(self, facts: HeaderFacts) -> None:
        for env in Environment:
            self.set_class(env is facts.environment, f"-{env.value}")
        self.set_class(facts.live is not None and facts.live.mode is SnoopType.BARGE, "-barge")
        self.facts = facts
        self.refresh()

    def render(self) -> Text:
        if self.facts is None:
            return Text.assemble(("queuetui ", "bold"), " starting\u2026")
        return top_line(self.facts, self.size.width)
