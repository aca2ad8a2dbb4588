"""The append-only audit trail: whole records, private file, torn lines reported and skipped."""

from __future__ import annotations

import io
import json
import os
import stat
import threading
import time
from pathlib import Path

import pytest

from queuetui.core.audit.files import last_line
from queuetui.core.audit.log import AuditLog, read_audit


def record(n: int) -> dict[str, object]:
    return {"n": n, "call_id": f"C-{n}", "mode": "spy", "note": "snooper 98•••••210 ünïcode"}


def test_append_and_read_round_trip(audit_path: Path):
    log = AuditLog(audit_path)
    for n in range(3):
        log.append(record(n))
    contents = read_audit(audit_path)
    assert contents.records == [record(0), record(1), record(2)]
    assert contents.bad_lines == []
    assert audit_path.read_bytes().count(b"\n") == 3


def test_append_creates_missing_directories(tmp_path: Path):
    path = tmp_path / "state" / "queuetui" / "audit.jsonl"
    AuditLog(path).append(record(1))
    assert read_audit(path).records == [record(1)]


def test_file_is_private(audit_path: Path):
    old_umask = os.umask(0)  # even a permissive umask must not widen the file
    try:
        AuditLog(audit_path).append(record(1))
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(audit_path.stat().st_mode) == 0o600


def test_appends_never_truncate(audit_path: Path):
    AuditLog(audit_path).append(record(1))
    AuditLog(audit_path).append(record(2))  # a second instance, as a second console would have
    assert [r["n"] for r in read_audit(audit_path).records] == [1, 2]


def test_torn_last_line_is_reported_and_skipped(audit_path: Path):
    log = AuditLog(audit_path)
    log.append(record(1))
    log.append(record(2))
    whole = json.dumps(record(3)).encode()
    with audit_path.open("ab") as handle:
        handle.write(whole[: len(whole) // 2])  # a crash in the middle of a write
    contents = read_audit(audit_path)
    assert contents.records == [record(1), record(2)]
    assert contents.bad_lines == [3]


def test_a_record_after_a_torn_line_is_still_read(audit_path: Path):
    audit_path.write_bytes(b'{"n": 1}\n{"n": 2, "call\n')
    audit_path.chmod(0o600)
    AuditLog(audit_path).append(record(3))
    contents = read_audit(audit_path)
    assert [r["n"] for r in contents.records] == [1, 3]
    assert contents.bad_lines == [2]


@pytest.mark.parametrize(
    ("line", "is_bad"),
    [(b"[1, 2]", True), (b'"text"', True), (b"\xff\xfe{}", True), (b"   ", False), (b"", False), (b"{}", False)],
)
def test_lines_that_are_not_objects(audit_path: Path, line: bytes, is_bad: bool):
    audit_path.write_bytes(b'{"n": 1}\n' + line + b'\n{"n": 3}\n')
    contents = read_audit(audit_path)
    assert contents.bad_lines == ([2] if is_bad else [])
    assert contents.records[0] == {"n": 1}
    assert contents.records[-1] == {"n": 3}


def test_missing_file_reads_as_empty(tmp_path: Path):
    contents = read_audit(tmp_path / "none.jsonl")
    assert (contents.records, contents.bad_lines) == ([], [])


def test_threads_never_interleave_records(audit_path: Path):
    log = AuditLog(audit_path)
    padding = "x" * 5000  # records bigger than a page, so writes split between threads would tear lines

    def write(worker: int) -> None:
        for n in range(20):
            log.append({"worker": worker, "n": n, "padding": padding})

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    contents = read_audit(audit_path)
    assert contents.bad_lines == []
    assert len(contents.records) == 80
    for worker in range(4):
        assert [r["n"] for r in contents.records if r["worker"] == worker] == list(range(20))


class CountingReader(io.BytesIO):
    """A file in memory that counts the bytes read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_the_last_line_is_found_in_time_linear_in_the_tail():
    # Blank lines after the last record (an editor, a botched repair): each appended record reads back past them,
    # under the lock every console waits on.
    record_line = json.dumps(record(1)).encode()

    def cost(blank_mib: int) -> float:
        tail = b"\n" * (blank_mib << 20)
        best = float("inf")
        for _ in range(3):
            handle = CountingReader(b"older\n" + record_line + b"\n" + tail)
            started = time.process_time()
            assert last_line(handle) == record_line
            best = min(best, time.process_time() - started)
            assert handle.bytes_read <= 2 * (len(tail) + len(record_line)) + 16384  # no byte read many times
        return best

    small, large = cost(2), cost(16)
    # Eight times the tail: linear work costs about eight times as much, reading it quadratically far more.
    assert large < 24 * max(small, 1e-3), (small, large)
