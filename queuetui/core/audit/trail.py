"""Reading the audit trail: its records across rotated files, oldest first, filtered; and one supervisor's shift.

Everything streams a line at a time: a trail of a million records is never held in memory.

Each request that left has two records: its attempt, written before it was sent, and its outcome, naming the
attempt. Read as actions, an answered attempt is left out (its outcome says it all), and one that no outcome
answers stands for the action as "unanswered": sent, its answer never recorded.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from queuetui.core.audit.chain import without_chain
from queuetui.core.audit.files import TrailLine, file_lines, last_line, trail_files, trail_lines
from queuetui.core.audit.when import start_of_day
from queuetui.core.outcome import HUNG_UP


@dataclass(frozen=True)
class TrailRecord:
    file: Path
    line: int
    record: dict[str, object]  # as the application wrote it: chain fields left out


UNANSWERED = "unanswered"  # the outcome an attempt that no record answers reads as
UNANSWERED_MESSAGE = "sent; its answer was never recorded"


def as_action(record: dict[str, object], unanswered: Container[object]) -> dict[str, object] | None:
    """The record as an action: None for an attempt that has its outcome elsewhere; an attempt in `unanswered`
    as the action whose answer was never recorded; any other record as it is."""
    if record.get("event") != "attempt":
        return record
    if record.get("attempt") not in unanswered:
        return None
    return {**record, "outcome": UNANSWERED, "message": UNANSWERED_MESSAGE}


def unanswered_attempts(records: Iterable[Mapping[str, object]]) -> set[object]:
    """The ids of attempts no outcome among `records` answers. Holds only attempts still open as it reads."""
    open_attempts: set[object] = set()
    for record in records:
        if record.get("event") == "attempt":
            open_attempts.add(record.get("attempt"))
        elif record.get("attempt") is not None:
            open_attempts.discard(record.get("attempt"))
    return open_attempts


def trail_actions(path: Path, on_damaged: Callable[[TrailLine], None] | None = None) -> Iterator[TrailRecord]:
    """The trail read as actions (see the module's note), oldest first. It is read twice: once to find the
    attempts never answered, once to give every action in the order it was written."""
    unanswered = unanswered_attempts(found.record for found in trail_records(path))
    for found in trail_records(path, on_damaged):
        action = as_action(found.record, unanswered)
        if action is not None:
            yield TrailRecord(found.file, found.line, action)


def trail_records(path: Path, on_damaged: Callable[[TrailLine], None] | None = None) -> Iterator[TrailRecord]:
    """Every record of the trail, oldest first. A line that is not a whole record goes to `on_damaged`."""
    for line in trail_lines(path):
        record = _parse(line.raw)
        if record is not None:
            yield TrailRecord(line.file, line.number, without_chain(record))
        elif on_damaged is not None:
            on_damaged(line)


def record_time(record: Mapping[str, object]) -> datetime | None:
    """When the record was written, or None when it has no usable time (one with a zone)."""
    value = record.get("time")
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


@dataclass(frozen=True)
class RecordFilter:
    """Which records to keep; None keeps all. `since` is inclusive, `until` exclusive."""

    since: datetime | None = None
    until: datetime | None = None
    call_id: str | None = None
    mode: str | None = None
    outcome: str | None = None
    profile: str | None = None

    def matches(self, record: Mapping[str, object]) -> bool:
        wanted = {"call_id": self.call_id, "mode": self.mode, "outcome": self.outcome, "profile": self.profile}
        if any(value is not None and record.get(key) != value for key, value in wanted.items()):
            return False
        if self.since is None and self.until is None:
            return True
        moment = record_time(record)
        if moment is None:
            return False
        return (self.since is None or moment >= self.since) and (self.until is None or moment < self.until)


def filtered_records(
    path: Path, keep: RecordFilter, on_damaged: Callable[[TrailLine], None] | None = None
) -> Iterator[TrailRecord]:
    return (found for found in trail_actions(path, on_damaged) if keep.matches(found.record))


def shift_records(path: Path, os_user: str, profile: str, identity: str, day: date) -> list[dict[str, object]]:
    """The records one supervisor (OS user, profile and signed-in identity) made on `day` (local time),
    oldest first: what a console rebuilds its sessions list from after a restart. Rotated files that end
    before the day are skipped after reading only their last line."""
    start, end = start_of_day(day), start_of_day(day + timedelta(days=1))
    mine = {"os_user": os_user, "profile": profile, "identity": identity}
    found: list[dict[str, object]] = []
    for trail_file, handle in trail_files(path):
        newest = last_line(handle)
        newest_time = record_time(_parse(newest) or {}) if newest is not None else None
        if newest_time is not None and newest_time < start:
            continue
        handle.seek(0)
        for line in file_lines(trail_file.path, handle):
            record = _parse(line.raw)
            if record is None or any(record.get(key) != value for key, value in mine.items()):
                continue
            moment = record_time(record)
            if moment is not None and start <= moment < end:
                found.append(without_chain(record))
    unanswered = unanswered_attempts(found)
    return [action for action in (as_action(record, unanswered) for record in found) if action is not None]


@dataclass(frozen=True)
class ShiftSummary:
    actions: int  # spies, whispers and barges asked for; a leg's hang-up ends one and is not one of its own
    by_mode: dict[str, int]  # actions
    by_outcome: dict[str, int]  # records, hang-ups included
    by_mode_and_outcome: dict[tuple[str, str], int]
    first: datetime | None
    last: datetime | None

    @property
    def on_shift(self) -> timedelta:
        """From the first record to the last."""
        if self.first is None or self.last is None:
            return timedelta(0)
        return self.last - self.first


def shift_summary(records: Iterable[Mapping[str, object]]) -> ShiftSummary:
    pairs: Counter[tuple[str, str]] = Counter()
    times: list[datetime] = []
    for record in records:
        pairs[(str(record.get("mode", "?")), str(record.get("outcome", "?")))] += 1
        moment = record_time(record)
        if moment is not None:
            times.append(moment)
    by_mode: Counter[str] = Counter()
    by_outcome: Counter[str] = Counter()
    for (mode, outcome), count in pairs.items():
        by_outcome[outcome] += count
        if outcome != HUNG_UP:
            by_mode[mode] += count
    return ShiftSummary(
        actions=sum(by_mode.values()),
        by_mode=dict(by_mode),
        by_outcome=dict(by_outcome),
        by_mode_and_outcome=dict(pairs),
        first=min(times, default=None),
        last=max(times, default=None),
    )


def _parse(raw: bytes) -> dict[str, object] | None:
    try:
        value = json.loads(raw)
    except ValueError:  # UnicodeDecodeError included
        return None
    return value if isinstance(value, dict) else None
