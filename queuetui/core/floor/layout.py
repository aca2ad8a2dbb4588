"""The rows of the live list, in the order the supervisor sees them, and the rule that keeps them still.

A refresh never moves a row: a call keeps the place it was given when it first came, a call that ends is
marked ended where it is (and stays so), and a new call joins at the end. So a burst of keys typed against the
screen (`Home Down Down s`, a filter then `Down s`) lands on the row it was aimed at, however the source
reorders or churns between two keys. The rows are laid out again only when the supervisor asks (`tidy`): the
ended ones go, except the call under the cursor, which stays until the cursor leaves it.

The filter is a view of these rows, in their order: what it shows does not depend on how the source ordered
its last answer either.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from queuetui.core.floor.calls import LiveCall, filter_calls
from queuetui.core.floor.triage import sort_key

if TYPE_CHECKING:
    from queuetui.core.floor.poller import FloorSnapshot


class FloorLayout:
    """Not thread-safe: the console's UI thread owns it."""

    def __init__(self) -> None:
        self.rows: list[LiveCall] = []
        self._place: dict[str, int] = {}  # call id -> its index in `rows`
        self._arrival: dict[str, int] = {}  # call id -> the order it came in, for laying the rows out as they came
        self.sort = "arrival"  # the order the rows were last laid out in (see `triage.py`)
        self.laid_out = 0  # the number of the last list laid out (see `FloorSnapshot.number`)
        self.added: list[str] = []  # the calls the last refresh added, in their order

    @property
    def ended(self) -> int:
        return sum(1 for call in self.rows if call.ended)

    def find(self, call_id: str) -> LiveCall | None:
        place = self._place.get(call_id)
        return None if place is None else self.rows[place]

    def follow(self, snapshot: FloorSnapshot) -> None:
        """A refresh of the poller's. The list after the one laid out last brings only the calls it changed: a call
        that left it is among them, ended (see `FloorTracker`). Any other list is laid out whole."""
        self.added = []
        if snapshot.number == self.laid_out + 1:
            self._take(snapshot.changed)
        elif snapshot.number != self.laid_out:
            self.apply(snapshot.calls, snapshot.fetched_at or 0.0)
        self.laid_out = snapshot.number

    def apply(self, calls: Iterable[LiveCall], ended_at: float) -> None:
        """A refresh: `calls` as the source listed them (ended ones included, as FloorSnapshot keeps them for a
        while). A row whose call is missing is marked ended at `ended_at` (epoch seconds); a call first seen
        already ended is not added."""
        self.added = []
        seen = self._take(calls)
        for place, call in enumerate(self.rows):
            if call.call_id not in seen and not call.ended:
                self.rows[place] = call.as_ended(ended_at)

    def _take(self, calls: Iterable[LiveCall]) -> set[str]:
        """Each call into its row, or a new row at the end unless it has ended; the ids taken."""
        seen: set[str] = set()
        for call in calls:
            seen.add(call.call_id)
            place = self._place.get(call.call_id)
            if place is not None:
                self.rows[place] = call  # in its place, whatever the source's order; live again if listed again
            elif not call.ended:
                self._place[call.call_id] = len(self.rows)
                self._arrival.setdefault(call.call_id, len(self._arrival))
                self.rows.append(call)
                self.added.append(call.call_id)
        return seen

    def tidy(self, keep: str | None = None, now: float | None = None) -> int:
        """Lay the rows out again without the ended calls, `keep` excepted, in the order last asked for (at `now`,
        epoch seconds, for an order by duration); how many went."""
        before = len(self.rows)
        self.rows = [call for call in self.rows if not call.ended or call.call_id == keep]
        self._arrival = {call.call_id: self._arrival[call.call_id] for call in self.rows}
        if now is not None:
            self.order(self.sort, now)
        self._place = {call.call_id: place for place, call in enumerate(self.rows)}
        return before - len(self.rows)

    def order(self, sort: str, now: float) -> None:
        """Lay the rows out in `sort` order (see `triage.SORTS`) at `now`: asked for by a key, never by a refresh."""
        self.sort = sort
        arrival = self._arrival
        self.rows.sort(key=lambda call: arrival.get(call.call_id, len(arrival)))
        key = sort_key(sort, now)
        if key is not None:
            self.rows.sort(key=key)  # type: ignore[arg-type]  # each order's key compares with its own kind
        self._place = {call.call_id: place for place, call in enumerate(self.rows)}

    def view(self, filter_text: str) -> list[LiveCall]:
        """The rows the filter keeps, in their order."""
        return filter_calls(self.rows, filter_text)
