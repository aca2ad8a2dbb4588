"""Reading the audit trail in the core: times as people type them, filters, records across rotated files, and a
supervisor's shift (the records a console rebuilds its sessions list from, and their summary)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from queuetui.core.audit.files import rotated_name
from queuetui.core.audit.log import AuditLog
from queuetui.core.audit.shift import past_actions
from queuetui.core.audit.trail import (
    RecordFilter,
    filtered_records,
    shift_records,
    shift_summary,
    trail_records,
)
from queuetui.core.audit.when import parse_when, start_of_day

UTC = timezone.utc


@pytest.fixture(autouse=True)
def india_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time 5:30 ahead of UTC, so that a test mixing up local and UTC days fails."""
    monkeypatch.setenv("TZ", "IST-5:30")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


IST = timezone(timedelta(hours=5, minutes=30))
NOW = datetime(2025, 3, 10, 14, 30, tzinfo=IST)


# ----- --since / --until -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", NOW),
        ("today", datetime(2025, 3, 10, tzinfo=IST)),
        ("Yesterday", datetime(2025, 3, 9, tzinfo=IST)),
        ("8h", NOW - timedelta(hours=8)),
        ("30m", NOW - timedelta(minutes=30)),
        ("2d", NOW - timedelta(days=2)),
        ("1w ago", NOW - timedelta(weeks=1)),
        ("45s", NOW - timedelta(seconds=45)),
        ("2025-03-01", datetime(2025, 3, 1, tzinfo=IST)),
        ("2025-03-01T08:15", datetime(2025, 3, 1, 8, 15, tzinfo=IST)),
        ("2025-03-01 08:15:30", datetime(2025, 3, 1, 8, 15, 30, tzinfo=IST)),
        ("2025-03-01T08:15Z", datetime(2025, 3, 1, 8, 15, tzinfo=UTC)),
        ("2025-03-01t08:15z", datetime(2025, 3, 1, 8, 15, tzinfo=UTC)),
        ("2025-03-01T08:15:00-04:00", datetime(2025, 3, 1, 12, 15, tzinfo=UTC)),
        ("08:00", datetime(2025, 3, 10, 8, tzinfo=IST)),
        ("8:00", datetime(2025, 3, 10, 8, tzinfo=IST)),
        ("8:00:30", datetime(2025, 3, 10, 8, 0, 30, tzinfo=IST)),
    ],
)
def test_when_forms(text: str, expected: datetime):
    parsed = parse_when(text, NOW)
    assert parsed == expected
    assert parsed.tzinfo is not None


@pytest.mark.parametrize("text", ["", "soon", "8x", "-2d", "2025-02-30", "25:00", "2025/03/01", "d2"])
def test_what_is_not_a_time_says_which_forms_are(text: str):
    with pytest.raises(ValueError, match="is not a time: use an ISO date"):
        parse_when(text, NOW)


# ----- filters and records across files ----------------------------------------------------------------------


def record(n: int, moment: datetime, **fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "time": moment.astimezone(UTC).isoformat(timespec="milliseconds"),
        "profile": "floor",
        "os_user": "asha",
        "identity": "ssid ••••1a2b",
        "call_id": f"C-{n}",
        "mode": "spy",
        "outcome": "ok",
    }
    return {**base, **fields}


def test_filter_matches_every_field_and_the_time_window():
    noon = datetime(2025, 3, 10, 12, tzinfo=IST)
    spy = record(1, noon)
    assert RecordFilter().matches(spy)
    assert RecordFilter(call_id="C-1", mode="spy", outcome="ok", profile="floor").matches(spy)
    assert not RecordFilter(call_id="C-2").matches(spy)
    assert not RecordFilter(mode="barge").matches(spy)
    assert not RecordFilter(outcome="api_error").matches(spy)
    assert not RecordFilter(profile="night").matches(spy)
    assert RecordFilter(since=noon, until=noon + timedelta(seconds=1)).matches(spy)  # since is inclusive
    assert not RecordFilter(until=noon).matches(spy)  # until is not
    assert not RecordFilter(since=noon).matches({**spy, "time": "yesterday-ish"})  # no usable time: left out
    assert not RecordFilter(since=noon).matches({**spy, "time": "2025-03-10T12:00:00"})  # a time without a zone


def test_records_come_back_in_order_across_rotated_files(audit_path: Path):
    log = AuditLog(audit_path, max_bytes=700)
    start = datetime(2025, 3, 10, 9, tzinfo=IST)
    for n in range(12):
        log.append(record(n, start + timedelta(minutes=n), mode=("spy", "barge")[n % 2]))
    assert rotated_name(audit_path, 3).exists()
    found = list(trail_records(audit_path))
    assert [item.record["call_id"] for item in found] == [f"C-{n}" for n in range(12)]
    assert found[0].file == rotated_name(audit_path, 1) and found[0].line == 1
    assert found[-1].file == audit_path
    barges = filtered_records(audit_path, RecordFilter(mode="barge", since=start + timedelta(minutes=5)))
    assert [item.record["call_id"] for item in barges] == ["C-5", "C-7", "C-9", "C-11"]


def test_damaged_lines_are_handed_over_not_dropped_silently(audit_path: Path):
    AuditLog(audit_path).append(record(1, NOW))
    with audit_path.open("ab") as handle:
        handle.write(b"[1, 2]\n\xff\xfe\n")
    damaged: list[int] = []
    found = list(trail_records(audit_path, lambda line: damaged.append(line.number)))
    assert len(found) == 1
    assert damaged == [2, 3]


def test_reading_streams_rather_than_loading_the_file(audit_path: Path):
    log = AuditLog(audit_path, max_bytes=0)
    for n in range(3):
        log.append(record(n, NOW))
    records = trail_records(audit_path)
    first = next(records)
    # Appending while a reader is part way through is seen by that reader: it reads as it goes.
    log.append(record(3, NOW))
    assert [first.record["call_id"], *(item.record["call_id"] for item in records)] == ["C-0", "C-1", "C-2", "C-3"]


# ----- the shift -----------------------------------------------------------------------------------------


def write_day(audit_path: Path, max_bytes: int = 0) -> AuditLog:
    log = AuditLog(audit_path, max_bytes=max_bytes)
    day = date(2025, 3, 10)
    old = datetime(2025, 3, 8, 10, tzinfo=IST)
    for n in range(20):  # two days earlier: whole rotated files the shift never needs to read
        log.append(record(100 + n, old + timedelta(minutes=n)))
    entries = [
        record(1, datetime(2025, 3, 9, 23, 59, tzinfo=IST)),  # yesterday, local time
        record(2, datetime(2025, 3, 10, 0, 1, tzinfo=IST)),  # already the 9th in UTC: still today here
        record(3, datetime(2025, 3, 10, 9, 0, tzinfo=IST), mode="whisper"),
        record(4, datetime(2025, 3, 10, 9, 5, tzinfo=IST), identity="user 42"),  # another identity
        record(5, datetime(2025, 3, 10, 9, 6, tzinfo=IST), profile="night"),  # another profile
        record(6, datetime(2025, 3, 10, 9, 7, tzinfo=IST), os_user="ben"),  # another OS user
        record(7, datetime(2025, 3, 10, 11, 30, tzinfo=IST), mode="barge", outcome="api_error"),
        record(8, datetime(2025, 3, 10, 12, 0, tzinfo=IST), mode="barge"),
        record(9, datetime(2025, 3, 11, 0, 0, tzinfo=IST)),  # tomorrow
    ]
    for entry in entries:
        log.append(entry)
    assert start_of_day(day) == datetime(2025, 3, 10, tzinfo=IST)
    return log


def test_shift_records_are_one_supervisors_records_of_the_day(audit_path: Path):
    write_day(audit_path)
    mine = shift_records(audit_path, "asha", "floor", "ssid ••••1a2b", date(2025, 3, 10))
    assert [entry["call_id"] for entry in mine] == ["C-2", "C-3", "C-7", "C-8"]
    assert all("prev" not in entry and "sha256" not in entry for entry in mine)


def test_another_identity_sees_none_of_the_first_ones_records(audit_path: Path):
    write_day(audit_path)
    theirs = shift_records(audit_path, "asha", "floor", "user 42", date(2025, 3, 10))
    assert [entry["call_id"] for entry in theirs] == ["C-4"]
    assert shift_records(audit_path, "carl", "floor", "ssid ••••1a2b", date(2025, 3, 10)) == []


def test_shift_records_skip_rotated_files_that_end_before_the_day(audit_path: Path):
    write_day(audit_path, max_bytes=1500)
    oldest = rotated_name(audit_path, 1)
    assert rotated_name(audit_path, 2).exists()
    # A file ends with its newest record: one that ends two days ago is not read beyond that last line. A
    # record of today planted at its start shows whether it was.
    planted = json.dumps(record(99, datetime(2025, 3, 10, 10, tzinfo=IST))).encode() + b"\n"
    oldest.write_bytes(planted + oldest.read_bytes())
    mine = shift_records(audit_path, "asha", "floor", "ssid ••••1a2b", date(2025, 3, 10))
    assert [entry["call_id"] for entry in mine] == ["C-2", "C-3", "C-7", "C-8"]


def test_shift_summary_counts_modes_and_outcomes_and_time_on_shift(audit_path: Path):
    write_day(audit_path)
    summary = shift_summary(shift_records(audit_path, "asha", "floor", "ssid ••••1a2b", date(2025, 3, 10)))
    assert summary.actions == 4
    assert summary.by_mode == {"spy": 1, "whisper": 1, "barge": 2}
    assert summary.by_outcome == {"ok": 3, "api_error": 1}
    assert summary.by_mode_and_outcome == {("spy", "ok"): 1, ("whisper", "ok"): 1, ("barge", "api_error"): 1,
                                           ("barge", "ok"): 1}  # fmt: skip
    assert summary.first == datetime(2025, 3, 10, 0, 1, tzinfo=IST)
    assert summary.on_shift == timedelta(hours=11, minutes=59)


def test_a_hang_up_ends_an_action_and_is_not_counted_as_another():
    spy = record(1, datetime(2025, 3, 10, 9, tzinfo=IST))
    hung_up = record(1, datetime(2025, 3, 10, 9, 5, tzinfo=IST), event="hung_up", outcome="hung_up")
    whisper = record(2, datetime(2025, 3, 10, 9, 6, tzinfo=IST), mode="whisper")
    summary = shift_summary([spy, hung_up, whisper])
    assert (summary.actions, summary.by_mode) == (2, {"spy": 1, "whisper": 1})
    assert summary.by_mode_and_outcome == {("spy", "ok"): 1, ("spy", "hung_up"): 1, ("whisper", "ok"): 1}
    assert summary.on_shift == timedelta(minutes=6)


def test_an_empty_shift_has_no_time_on_it():
    summary = shift_summary([])
    assert (summary.actions, summary.by_mode, summary.first, summary.on_shift) == (0, {}, None, timedelta(0))


# ----- attempts and their outcomes ---------------------------------------------------------------------------


def action(n: int, moment: datetime, **fields: object) -> dict[str, object]:
    """A record as the service writes them, with what the request was."""
    return record(n, moment, target_type="agent", target="13", snooper="9876543210", **fields)


def attempt(n: int, moment: datetime, attempt_id: str) -> dict[str, object]:
    fields = action(n, moment, event="attempt", attempt=attempt_id)
    del fields["outcome"]
    return fields


def test_an_attempt_no_outcome_answers_reads_as_sent_and_unanswered(audit_path: Path):
    log = AuditLog(audit_path)
    nine = datetime(2025, 3, 10, 9, 0, tzinfo=IST)
    log.append(attempt(1, nine, "a1"))
    log.append(attempt(2, nine + timedelta(minutes=1), "a2"))  # the process died before its answer
    log.append(action(1, nine + timedelta(seconds=2), event="outcome", attempt="a1"))
    log.append(action(3, nine + timedelta(minutes=2), event="outcome", outcome="refused"))  # nothing was sent

    mine = shift_records(audit_path, "asha", "floor", "ssid ••••1a2b", date(2025, 3, 10))
    assert [(entry["call_id"], entry["outcome"]) for entry in mine] == [
        ("C-2", "unanswered"), ("C-1", "ok"), ("C-3", "refused"),
    ]  # fmt: skip
    assert mine[0]["message"] == "sent; its answer was never recorded"
    listed = [found.record for found in filtered_records(audit_path, RecordFilter(outcome="unanswered"))]
    assert [(entry["call_id"], entry["attempt"]) for entry in listed] == [("C-2", "a2")]
    assert len(list(filtered_records(audit_path, RecordFilter()))) == 3  # one row per action
    # What the next session tells the supervisor as it starts.
    actions, _ = past_actions(audit_path, "asha", "floor", "ssid ••••1a2b", datetime(2025, 3, 10, 10, tzinfo=IST))
    assert [action.unanswered for action in actions] == [
        "Your spy on C-2 at 09:01 was sent; its answer was never recorded", "", "",
    ]  # fmt: skip
