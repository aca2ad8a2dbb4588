"""A live call as the floor sees it, how one is read out of a source's JSON, and the filter the console runs
on every keystroke.

Reading is forgiving item by item and strict about the whole: an item without a call id is skipped (and
counted), a field that is missing, null or of an unusable type is "not known" (None), and every text that
came from outside is made safe for a terminal before it is kept. The customer's number is kept only as its
last four digits behind bullets: the floor needs to recognise a caller, not to dial them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum

from queuetui.api.errors import ProtocolError
from queuetui.api.fields import CALL_ID_MAX
from queuetui.api.text import mask_customer, printable
from queuetui.core.floor.config import LiveCallFields
from queuetui.core.floor.json_pointer import JsonPointer
from queuetui.core.floor.turns import taking_turns

MAX_TEXT = 64  # longer names are cut: a table cell, not a document
# Epoch numbers above this are milliseconds: as seconds they would be later than the year 5000.
_MILLISECONDS_FROM = 100_000_000_000
_LATEST = 253_402_300_799  # 9999-12-31T23:59:59Z: anything later cannot be a start time (nor a datetime)
_SEPARATORS = re.compile(r"[\s_\-]+")


class CallState(str, Enum):
    RINGING = "ringing"
    TALKING = "talking"
    ON_HOLD = "on hold"
    ENDED = "ended"


# Words a feed may use for each state (lowercase, separators as single spaces). Anything else, numeric
# status codes included (their meanings are not published), reads as "not known".
_STATE_WORDS: dict[str, CallState] = {
    **dict.fromkeys(("ringing", "ring", "alerting", "dialing", "queued", "waiting"), CallState.RINGING),
    **dict.fromkeys(
        ("talking", "talk", "answered", "connected", "active", "in progress", "ongoing", "bridged", "live", "up"),
        CallState.TALKING,
    ),
    **dict.fromkeys(("on hold", "hold", "onhold", "held"), CallState.ON_HOLD),
    **dict.fromkeys(
        ("ended", "end", "hangup", "hung up", "completed", "disconnected", "finished", "terminated"), CallState.ENDED
    ),
}


@dataclass(frozen=True, slots=True)
class LiveCall:
    """One call on the floor. Fields a feed does not give are None. `customer` is already masked
    ("••••1023"); `started_at` and `ended_at` are epoch seconds. `search_key` is what `filter_calls` matches."""

    call_id: str
    agent: str | None = None
    agent_name: str | None = None
    customer: str | None = None
    queue: str | None = None
    state: CallState | None = None
    started_at: float | None = None
    ended_at: float | None = None  # set when the call left the list (or the feed said it ended)
    search_key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Built once per refresh, read on every keystroke. Fields are joined by a newline, which a filter word
        # never holds, so a word cannot match across two fields.
        parts = (self.call_id, self.agent, self.agent_name, self.customer_digits, self.queue)
        object.__setattr__(self, "search_key", "\n".join(part.lower() for part in parts if part))

    @property
    def customer_digits(self) -> str | None:
        """The last digits of the customer's number: all that is kept of it."""
        return self.customer.lstrip("\u2022") if self.customer else None

    @property
    def ended(self) -> bool:
        return self.state is CallState.ENDED

    def duration_s(self, now: float) -> int | None:
        """Seconds from the start to `now` (epoch seconds), or to the end for an ended call; None when the
        start is not known. Never negative: clocks of two machines disagree."""
        if self.started_at is None:
            return None
        until = self.ended_at if self.ended_at is not None else now
        return max(0, int(until - self.started_at))

    def as_ended(self, at: float) -> LiveCall:
        return replace(self, state=CallState.ENDED, ended_at=self.ended_at if self.ended_at is not None else at)


@dataclass(frozen=True)
class MappedCalls:
    """What one answer held: the calls in the source's order, and how many items were not usable calls
    (no usable call id, not an object, or a call id seen earlier in the same answer: `repeated` names those)."""

    calls: tuple[LiveCall, ...]
    skipped: int = 0
    repeated: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldMap:
    """A profile's `fields` table, parsed once."""

    call_id: JsonPointer
    agent: JsonPointer | None
    agent_name: JsonPointer | None
    customer: JsonPointer | None
    queue: JsonPointer | None
    state: JsonPointer | None
    started_at: JsonPointer | None

    @classmethod
    def from_config(cls, fields: LiveCallFields) -> FieldMap:
        def optional(text: str) -> JsonPointer | None:
            return JsonPointer.parse(text) if text else None

        return cls(
            JsonPointer.parse(fields.call_id),
            optional(fields.agent),
            optional(fields.agent_name),
            optional(fields.customer),
            optional(fields.queue),
            optional(fields.state),
            optional(fields.started_at),
        )

    def read(self, item: object, known: Known | None = None) -> LiveCall | None:
        """One item as a call, or None when it has no usable call id. `known`: the items read before, by call id,
        with the call each was read as; an item equal to its call's is not read again."""
        raw_id = self.call_id.get(item)
        # An id that names a call read before was found usable then, as it is: not checked again for every call of
        # every answer.
        call_id = raw_id if isinstance(raw_id, str) and known is not None and raw_id in known else _call_id(raw_id)
        if call_id is None:
            return None
        before = known.get(call_id) if known is not None else None
        if before is not None and before[0] == item:
            return before[1]
        return LiveCall(
            call_id,
            agent=read_text(self.agent.get(item)) if self.agent else None,
            agent_name=read_text(self.agent_name.get(item)) if self.agent_name else None,
            customer=_customer(self.customer.get(item)) if self.customer else None,
            queue=read_text(self.queue.get(item)) if self.queue else None,
            state=_state(self.state.get(item)) if self.state else None,
            started_at=read_epoch(self.started_at.get(item)) if self.started_at else None,
        )


# A source's items by call id, as last read, with the call each was read as.
Known = dict[str, tuple[object, LiveCall]]


def map_calls(items: Sequence[object], fields: FieldMap, known: Known | None = None) -> MappedCalls:
    """The calls in `items`. With `known` (kept by the caller from one answer to the next), an item unchanged since
    the last answer is not read again: on a floor of thousands of calls most are unchanged, and reading them all
    held the interpreter, on the poller's thread, while the console waited to echo a key. The loop takes turns with
    the console's threads (see `turns`)."""
    before = dict(known) if known is not None else None
    if known is not None:
        known.clear()  # only this answer's items are kept: a call gone from the list is forgotten
    calls: list[LiveCall] = []
    seen: set[str] = set()
    repeated: dict[str, None] = {}
    for item in taking_turns(items):
        call = fields.read(item, before)
        if call is None:
            continue
        if call.call_id in seen:
            repeated[call.call_id] = None
            continue
        if known is not None:
            known[call.call_id] = (item, call)
        seen.add(call.call_id)
        calls.append(call)
    return MappedCalls(tuple(calls), len(items) - len(calls), tuple(repeated))


def items_at(document: object, pointer: JsonPointer, origin: str) -> list[object]:
    """The array of calls in an answer, or ProtocolError saying what is there instead (`origin` names the
    source in the message) and how to look."""
    found = pointer.get(document)
    if isinstance(found, list):
        return found
    where = f"at {pointer.text}" if pointer.text else "at the top"
    seen = "nothing" if found is None else f"{_json_kind(found)}"
    raise ProtocolError(
        f"{origin}: the answer has no array of calls {where} ({seen} there); "
        "run `queuetui calls --raw` to see the answer and set live_calls.items"
    )


def filter_calls(calls: Sequence[LiveCall], text: str) -> list[LiveCall]:
    """The calls whose call id, agent id or name, customer digits or queue contain every word of `text`
    (case-insensitive), in their order. Empty text keeps every call. Cheap enough for every keystroke."""
    words = text.lower().split()
    if not words:
        return list(calls)
    found = [call for call in calls if words[0] in call.search_key]
    for word in words[1:]:  # each further word narrows what the first left
        found = [call for call in found if word in call.search_key]
    return found


def text_cells(text: str) -> int:
    """How many terminal cells `text` takes: two for a wide character (CJK, most emoji), none for a combining
    one, one for the rest; for printers that line up columns without a terminal library."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _json_kind(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (int, float)):
        return "a number"
    return "something else"


def _clean(text: str) -> str:
    # Most feed values are short plain ASCII: skip the per-character scan for them.
    if text.isascii() and text.isprintable() and len(text) <= MAX_TEXT:
        return text.strip()
    return printable(text, MAX_TEXT)


def read_text(value: object) -> str | None:
    """Text or a number as text (agent ids come as numbers in some feeds: 13 -> "13"); None otherwise."""
    if isinstance(value, str):  # the usual case first: this runs for every field of every call
        return _clean(value) or None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return _clean(str(value))
    if isinstance(value, float):
        return _clean(str(int(value))) if value.is_integer() else None
    return None


def _call_id(value: object) -> str | None:
    """A call id whole, as the source wrote it (numbers as text), or None when it is not usable: empty, longer
    than an action takes (CALL_ID_MAX), or holding what a terminal cannot show (made safe, it would name another
    call)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return read_text(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > CALL_ID_MAX:
        return None
    # Most ids are plain ASCII, which holds no control character to make safe: only runs of spaces could differ.
    safe = " ".join(text.split()) if text.isascii() and text.isprintable() else printable(text, CALL_ID_MAX)
    return text if safe == text else None


def _customer(value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return (mask_customer(value) or None) if isinstance(value, str) else None


def _state(value: object) -> CallState | None:
    if not isinstance(value, str):
        return None
    return _STATE_WORDS.get(_SEPARATORS.sub(" ", value.strip().lower()))


def read_epoch(value: object) -> float | None:
    """Epoch seconds from a number (seconds, or milliseconds when that large), a numeric string or an ISO
    8601 time. A time without a zone is read as this machine's local time."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            value = float(text)
        except ValueError:
            return _iso(text)
    if not isinstance(value, (int, float)):
        return None
    try:
        seconds = float(value)
    except OverflowError:  # an integer too large for a float
        return None
    if not math.isfinite(seconds) or seconds <= 0:
        return None
    if seconds >= _MILLISECONDS_FROM:
        seconds /= 1000
    return seconds if seconds <= _LATEST else None


def _iso(text: str) -> float | None:
    if len(text) > 40:
        return None
    if text.endswith(("Z", "z")):  # Python 3.10's fromisoformat does not read the Z suffix
        text = text[:-1] + "+00:00"
    try:
        seconds = datetime.fromisoformat(text).timestamp()
    except (ValueError, OverflowError, OSError):
        return None
    return seconds if seconds > 0 else None
