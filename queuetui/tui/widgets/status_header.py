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


def live_words(
    live: Monitoring | None, elapsed: str, phone: str = "", compact: bool = False, heard: str | None = None
) -> str:
    """`compact` drops the "ON" and the dots, for a terminal too narrow for them beside the environment badge;
    `heard` says who hears you in fewer words (none: the mode in capitals and its glyph say it)."""
    if live is None:
        return "\u25cb not on a call"
    if phone:
        elapsed = f"{phone} \u00b7 {elapsed}"
    mode = live.mode
    heard = mode.heard_by if heard is None else heard
    if compact:
        return " ".join(words for words in (GLYPHS[mode], live.call_id, mode.value.upper(), heard, elapsed) if words)
    return f"{GLYPHS[mode]} ON {live.call_id} \u00b7 {mode.value.upper()} \u00b7 {heard} \u00b7 {elapsed}"


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
        return left_counted(left, len(left))
    if size == 0:
        legs = "; ".join(f"{leg.call_id} {leg.mode.value.upper()} \u2014 {leg.mode.heard_by}" for leg in left)
        return f"+{len(left)} leg{'s' if len(left) > 1 else ''} still on your phone: {legs}"
    legs = "; ".join(f"{leg.call_id} {leg.mode.value.upper()}, {_HEARD_SHORT[leg.mode]}" for leg in left)
    return f"+{len(left)} leg{'s' if len(left) > 1 else ''}: {legs}" if size == 1 else f"+{len(left)}: {legs}"


def left_counted(left: tuple[Monitoring, ...], named: int) -> str:
    """The first `named` legs by call and mode, the rest counted: "+3: C-10023 BARGE; +2 more"; none named, "+3
    legs". Every leg is accounted for, in as few words as a narrow line needs."""
    if named == 0:
        return f"+{len(left)} leg{'s' if len(left) > 1 else ''}"
    legs = [f"{leg.call_id} {leg.mode.value.upper()}" for leg in left[:named]]
    more = [f"+{len(left) - named} more"] if named < len(left) else []
    return f"+{len(left)}: " + "; ".join(legs + more)


LEFT_WORD_SIZES = (0, 1, 2)
# Legs named by call and mode alone: only when no other line keeps the environment badge.
_BARE_LEGS = 3


@dataclass(frozen=True)
class _Words:
    """One way of saying the top line's parts: the legs in words of `size` (see `left_words`), or with only the
    first `named` of them named (see `left_counted`); `heard` None: who hears you in full."""

    others: str
    following: str
    size: int
    named: int | None = None
    heard: str | None = None

    def legs(self, left: tuple[Monitoring, ...]) -> str:
        return left_words(left, self.size) if self.named is None or not left else left_counted(left, self.named)


def top_line(facts: HeaderFacts, width: int) -> Text:
    """The first line that fits in `width` cells, of all the ways of saying it in the order of what gives way
    first: the identity, snooper, host, phone hint, and the "ON" and dots of what is live; then the words of the
    legs left to the phone and of who else is on the call and whom the supervisor follows, down to the legs
    named by call and mode alone; then the call ids, shortened in the middle; then who hears you on the live call
    (its mode in capitals still says it); then the legs are counted rather than named, the newest named first.
    The environment badge goes only when none of those fits with it. What is live and every leg (by name or in a
    true count) never go; the line is cropped only when even the fewest words do not fit."""
    made: dict[_Words, list[Text]] = {}

    def variants(words: _Words) -> list[Text]:
        if words not in made:
            made[words] = _variants(_said(facts, words), words.legs(facts.left), words.heard)
        return made[words]

    def fitting_words(longest_first: tuple[str, ...]) -> list[str]:
        return [words for words in dict.fromkeys(longest_first) if cell_len(words) < width] or [longest_first[-1]]

    shown = [
        (others, following) for others in fitting_words(facts.others) for following in fitting_words(facts.following)
    ]
    # Every variant of these: the host, phone hint and "ON" give way before the words of the legs shrink.
    roomy = [_Words(*said, size) for said in shown for size in LEFT_WORD_SIZES]
    roomy += [_Words(*said, _BARE_LEGS) for said in shown]
    # Only the compact variants of these, their ids shortened as need be: nothing else is left to give way.
    tight = list(dict.fromkeys((roomy[-1], *_squeezed(facts, *shown[-1]))))
    candidates = itertools.chain(
        (line for words in roomy for line in variants(words)[:-2]),
        (_ids_shortened(facts, words, width, badge=True) for words in tight),
        (line for words in roomy for line in variants(words)[-2:]),
        (_ids_shortened(facts, words, width, badge=False) for words in tight),
    )
    fitting = next((line for line in candidates if line is not None and line.cell_len <= width), None)
    return fitting if fitting is not None else _compact(facts, tight[-1], _SHORTEST_ID, badge=False)


def _said(facts: HeaderFacts, words: _Words) -> HeaderFacts:
    return replace(facts, others=(words.others,), following=(words.following,))


def _squeezed(facts: HeaderFacts, others: str, following: str) -> list[_Words]:
    """The ways of saying the line once the legs are named by call and mode alone, shortest last: who hears you
    on the live call in fewer words, then in none, then fewer legs named and the rest counted."""
    if not facts.left:
        return []  # who hears you gives way to the legs alone
    heard = _HEARD_SHORT[facts.live.mode] if facts.live is not None else None
    words = [_Words(others, following, _BARE_LEGS, heard=heard), _Words(others, following, _BARE_LEGS, heard="")]
    return words + [_Words(others, following, _BARE_LEGS, named, "") for named in reversed(range(len(facts.left)))]


# Head, ellipsis and tail: fewer cells name no call at all.
_SHORTEST_ID = 7


def _ids_shortened(facts: HeaderFacts, words: _Words, width: int, *, badge: bool) -> Text | None:
    """The compact line in `words`, with or without the `badge`, its call ids (live and left) shortened in the
    middle just enough for it to fit (None when it does not fit even so): cropped at the line's end, a long id
    would lose its tail, where ids that share a prefix differ. The live list's detail line shows the highlighted
    call's id whole."""
    legs = (facts.live, *facts.left) if facts.live is not None else facts.left
    low, high = _SHORTEST_ID, max((_SHORTEST_ID, *(cell_len(leg.call_id) for leg in legs)))
    if _compact(facts, words, low, badge=badge).cell_len > width:
        return None
    while low < high:  # the most cells an id may keep with the line still fitting
        middle = (low + high + 1) // 2
        if _compact(facts, words, middle, badge=badge).cell_len <= width:
            low = middle
        else:
            high = middle - 1
    return _compact(facts, words, low, badge=badge)


def _compact(facts: HeaderFacts, words: _Words, cells: int, *, badge: bool) -> Text:
    """The compact line in `words`, with or without the badge, its call ids in at most `cells` cells each."""

    def shown(leg: Monitoring) -> Monitoring:
        return replace(leg, call_id=in_the_middle(leg.call_id, cells))

    live = shown(facts.live) if facts.live is not None else None
    short = replace(_said(facts, words), live=live, left=tuple(shown(leg) for leg in facts.left))
    return _variants(short, words.legs(short.left), words.heard)[-3 if badge else -1]


def _variants(facts: HeaderFacts, left: str, heard: str | None = None) -> list[Text]:
    """Longest first, the last two without the environment badge (it is the only sign of production under
    NO_COLOR). What is live and for how long never go, nor the legs left to the phone (`left`): the phone hint and
    the host go first, then the "ON" and the dots of the live words. `heard`: see `live_words`."""
    live_style = "bold reverse" if facts.live is not None else ""
    legs = Text.assemble(" ", (f" {left} ", "bold reverse")) if left else Text()
    if facts.others[0]:  # who else is on the call goes with it, as the legs do
        legs = Text.assemble(legs, " ", (f" {facts.others[0]} ", "reverse"))
    if facts.following[0]:  # and whom the supervisor follows: a spy may start by itself
        legs = Text.assemble(legs, " ", (f" {facts.following[0]} ", "reverse"))
    with_phone = Text.assemble(
        (f" {live_words(facts.live, facts.elapsed, facts.phone, heard=heard)} ", live_style), legs
    )
    live = Text.assemble((f" {live_words(facts.live, facts.elapsed, heard=heard)} ", live_style), legs)
    compact = Text.assemble((f" {live_words(facts.live, facts.elapsed, compact=True, heard=heard)} ", live_style), legs)
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
