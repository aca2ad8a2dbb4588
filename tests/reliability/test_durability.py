"""The audit trail survives the process dying mid-stream, and two processes appending at once."""

from __future__ import annotations

import itertools
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from queuetui.core.audit.log import read_audit
from reliability import audit_child

CHILD = Path(audit_child.__file__)
KILL_AFTER = 25  # actions reported done before the kill


def start_child(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(CHILD), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_every_reported_action_survives_sigkill(sim, live_calls, audit_path):
    child = start_child("stream", sim.url, str(audit_path), str(len(live_calls)))
    assert child.stdout is not None
    reported: list[str] = []
    try:
        while len(reported) < KILL_AFTER:
            line = child.stdout.readline()
            assert line, f"child ended early: {child.stderr.read() if child.stderr else ''}"
            reported.append(line.split()[0])
        child.send_signal(signal.SIGKILL)
        # Lines already in the pipe were printed before the kill: those actions completed too.
        reported += [line.split()[0] for line in child.stdout.read().splitlines()]
    finally:
        child.kill()
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    assert len(reported) < len(live_calls)  # it really was killed mid-stream

    contents = read_audit(audit_path)
    assert contents.bad_lines == []
    outcomes = [record for record in contents.records if record["event"] == "outcome"]
    attempts = [record for record in contents.records if record["event"] == "attempt"]
    audited = [record["call_id"] for record in outcomes]
    assert audited[: len(reported)] == reported  # every completed action, in order
    # At most one more: written, then killed before it could say so.
    assert len(audited) - len(reported) in (0, 1)
    assert all(record["outcome"] == "ok" for record in outcomes)
    # Every request that may have left has its attempt: at most the last one has no outcome.
    assert [record["call_id"] for record in attempts][: len(audited)] == audited
    assert len(attempts) - len(audited) in (0, 1)
    assert sim.request_count <= len(attempts)

    # A crash in the middle of a write leaves a torn last line: reported, skipped, never fatal.
    with audit_path.open("ab") as handle:
        handle.write(b'{"time":"2025-01-01T10:41:02.123+00:00","profile":"dur')
    torn = read_audit(audit_path)
    assert torn.records == contents.records
    assert torn.bad_lines == [len(contents.records) + 1]


def test_two_processes_appending_at_once_never_interleave(audit_path):
    per_writer = 500
    children = audit_child.start_writers(audit_path, per_writer)
    for child in children:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err

    contents = read_audit(audit_path)
    assert contents.bad_lines == []
    assert Counter(record["writer"] for record in contents.records) == {"A": per_writer, "B": per_writer}
    for name in "AB":
        mine = [record for record in contents.records if record["writer"] == name]
        assert [record["seq"] for record in mine] == list(range(per_writer))
        assert all(record["pad"] == name * 6000 for record in mine)
    assert sum(1 for _ in audit_path.open("rb")) == 2 * per_writer
    # The writers did overlap: the file switches between them many times, not once.
    order = [record["writer"] for record in contents.records]
    switches = sum(1 for before, after in itertools.pairwise(order) if before != after)
    assert switches > 10
