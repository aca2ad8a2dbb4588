"""The top line: what is live (call, mode, who hears you, for how long), then the environment badge, host,
masked identity and snooper. What is live never goes; the rest shrinks to fit, least useful words first."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from queuetui.api.modes import SnoopType
from queuetui.core.config.environment import Environment
from queuetui.tui.shorten import in_the_middle
from queuetui.tui.widgets.one_line import OneLine

if TYPE_CHECKING:
    from queuetui.core.monitoring import Monitoring

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
    left: tuple[Monitoring, ...] = ()  # legs left to the phone that may still be connected, newest first
    others: tuple[str, ...] = ("",)  # who else is on this call (presence), in words longest first
    following: tuple[str, ...] = ("",)  # whom the supervisor follows ("following agent 13"), in words longest first


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


# Who hears you, in the fewest words, for a leg left to the phone on a narrow line.
_HEARD_SHORT = {SnoopType.SPY: "silent", SnoopType.WHISPER: "agent hears you", SnoopType.BARGE: "customer hears you"}


def left_words(left: tuple[Monitoring, ...], size: int = 0) -> str:
    """The legs left to the phone that may still be connected, in words of `size` 0 (full), 1, 2 or 3 (shortest):
    "+1 leg still on your phone: C-10023 BARGE — agent AND customer hear you", "+1 leg: C-10023 BARGE, customer
    hears you", "+1: C-10023 BARGE, customer hears you", "+1: C-10023 BARGE" (the mode in capitals says who
    hears you, where the words would be cut at 80 columns)."""
    if not left:
        return ""
    if size == 3:
        return f"+{len(left)}: " + "; ".join(f"{leg.call_id} {leg.mode.value.upper()}" for leg in left)
    if size == 0:
        legs = "; ".join(f"{leg.call_id} {leg.mode.value.upper()} \u2014 {leg.mode.heard_by}" for leg in left)
        return f"+{len(left)} leg{'s' if len(left) > 1 else ''} still on your phone: {legs}"
    legs = "; ".join(f"{leg.call_id} {leg.mode.value.upper()}, {_HEARD_SHORT[leg.mode]}" for leg in left)
    return f"+{len(left)} leg{'s' if len(left) > 1 else ''}: {legs}" if size == 1 else f"+{len(left)}: {legs}"


LEFT_WORD_SIZES = (0, 1, 2)
# Legs named by call and mode alone: only when no other line fits, as they would otherwise be cut.
_BARE_LEGS = 3


def top_line(facts: HeaderFacts, width: int) -> Text:
    """The longest variant that fits in `width` cells (the shortest, cut, when none does). The legs left to the
    phone never go, like what is live, nor who else is on the call: their words shrink before the environment badge
    goes, nor whom the supervisor follows."""
    made: dict[tuple[str, str, int], list[Text]] = {}

    def variants(others: str, following: str, size: int) -> list[Text]:
        key = (others, following, size)
        if key not in made:
            words = replace(facts, others=(others,), following=(following,))
            made[key] = _variants(words, left_words(facts.left, size))
        return made[key]

    def fitting_words(longest_first: tuple[str, ...]) -> list[str]:
        return [words for words in dict.fromkeys(longest_first) if cell_len(words) < width] or [longest_first[-1]]

    # Made as they are tried: the first that fits is usually among the first few.
    shown = [
        (others, following) for others in fitting_words(facts.others) for following in fitting_words(facts.following)
    ]
    sizes = [(*words, size) for words in shown for size in LEFT_WORD_SIZES]
    with_badge = (line for key in sizes for line in variants(*key)[:-2])
    without_badge = (line for key in sizes for line in variants(*key)[-2:])
    bare_legs = (line for words in shown for line in variants(*words, _BARE_LEGS))
    candidates = itertools.chain(with_badge, without_badge, bare_legs)
    fitting = next((line for line in candidates if line.cell_len <= width), None)
    shortest = replace(facts, others=facts.others[-1:], following=facts.following[-1:])
    return fitting if fitting is not None else _ids_shortened(shortest, width)


# Head, ellipsis and tail: fewer cells name no call at all.
_SHORTEST_ID = 7


def _ids_shortened(facts: HeaderFacts, width: int) -> Text:
    """The shortest variant, its call ids (live and left) shortened in the middle just enough for it to fit:
    cropped at the line's end, a long id would lose its tail, where ids that share a prefix differ. The live
    list's detail line shows the highlighted call's id whole."""
    legs = (facts.live, *facts.left) if facts.live is not None else facts.left
    if not legs:
        return _variants(facts, left_words(facts.left, LEFT_WORD_SIZES[-1]))[-1]

    def line(cells: int) -> Text:
        def shown(leg: Monitoring) -> Monitoring:
            return replace(leg, call_id=in_the_middle(leg.call_id, cells))

        live = shown(facts.live) if facts.live is not None else None
        short = replace(facts, live=live, left=tuple(shown(leg) for leg in facts.left))
        return _variants(short, left_words(short.left, LEFT_WORD_SIZES[-1]))[-1]

    low, high = _SHORTEST_ID, max(_SHORTEST_ID, *(cell_len(leg.call_id) for leg in legs))
    while low < high:  # the most cells an id may keep with the line still fitting
        middle = (low + high + 1) // 2
        if line(middle).cell_len <= width:
            low = middle
        else:
            high = middle - 1
    return line(low)


def _variants(facts: HeaderFacts, left: str) -> list[Text]:
    """Longest first. What is live, who hears you and for how long never go, nor the legs left to the phone
    (`left`); the environment badge goes last of the rest (it is the only sign of production under NO_COLOR): the
    phone hint and the host first, then the "ON" and the dots of the live words."""
    live_style = "bold reverse" if facts.live is not None else ""
    legs = Text.assemble(" ", (f" {left} ", "bold reverse")) if left else Text()
    if facts.others[0]:  # who else is on the call goes with it, as the legs do
        legs = Text.assemble(legs, " ", (f" {facts.others[0]} ", "reverse"))
    if facts.following[0]:  # and whom the supervisor follows: a spy may start by itself
        legs = Text.assemble(legs, " ", (f" {facts.following[0]} ", "reverse"))
    with_phone = Text.assemble((f" {live_words(facts.live, facts.elapsed, facts.phone)} ", live_style), legs)
    live = Text.assemble((f" {live_words(facts.live, facts.elapsed)} ", live_style), legs)
    compact = Text.assemble((f" {live_words(facts.live, facts.elapsed, compact=True)} ", live_style), legs)
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
        Text.assemble(compact),
    ]


class StatusHeader(OneLine):
    DEFAULT_CSS = "StatusHeader { height: 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.facts: HeaderFacts | None = None

    def starting(self) -> None:
        self.facts = None
        self.redraw()

    def signed_out(self) -> None:
        """No session: the environment signed out of stays, with nothing else (still starting: nothing yet)."""
        if self.facts is not None:
            self.show(HeaderFacts(self.facts.environment, "", "", ""))

    def show(self, facts: HeaderFacts) -> None:
        for env in Environment:
            self.set_class(env is facts.environment, f"-{env.value}")
        self.set_class(facts.live is not None and facts.live.mode is SnoopType.BARGE, "-barge")
        self.facts = facts
        self.redraw()  # while a call is live this runs every second: only the clock's cells change

    def line(self) -> Text:
        if self.facts is None:
            return Text.assemble(("queuetui ", "bold"), " starting\u2026")
        return top_line(self.facts, self.size.width)
