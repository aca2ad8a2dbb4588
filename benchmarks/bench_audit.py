"""Audit trail benchmark: what the hash chain adds to an append, and what `queuetui audit verify` costs on a
trail of a million records.

    python benchmarks/bench_audit.py [--appends 400] [--records 1000000] [--dir DIR]

(a) Append, one fsync'd record each, interleaved in rotating order so drift in the machine's load falls on
    all alike: the chained `AuditLog.append` against an unchained append (what every append did before the
    chain: open, lock, write, fsync), the chained append at the end of the million-record trail, which
    shows that an append reads the file's tail only, whatever its size, and what one action costs the trail
    since it is written ahead: its attempt record, then its outcome record, against the one record of before.
(b) `queuetui audit verify` over that trail, run as a user runs it (a child process): wall time and the
    child's peak resident memory, next to the peak of a child that only starts (`queuetui --version`). A
    verify that loaded the file would need at least the file's size.

The trail is written with the chain's own `seal` (the format `AuditLog` writes), in bulk, since a million
fsyncs would take the better part of an hour and measure the disk, not the chain.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from queuetui.core.audit.chain import GENESIS, line_hash, seal
from queuetui.core.audit.log import AuditLog

RSS_LIMIT_MIB = 25  # what a verify that streams stays within, whatever the trail's size


def sample_record(n: int) -> dict[str, object]:
    """A record shaped like the service's, with its masked identity and snooper."""
    return {
        "time": f"2025-03-{1 + n // 86_400 % 28:02d}T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}.000+00:00",
        "profile": "floor",
        "host": "v4-api.deepcall.com",
        "os_user": "asha",
        "auth": "session",
        "identity": "ssid ••••1a2b",
        "call_id": f"C-{n:07d}",
        "mode": ("spy", "whisper", "barge")[n % 3],
        "target_type": "agent",
        "target": str(n % 97),
        "snooper": "98•••••210",
        "outcome": "ok",
        "code": None,
        "message": f"Spy on C-{n:07d}: answer phone 98•••••210",
        "latency_ms": 212.4,
        "attempts": 1,
        "retries": 0,
    }


def attempt_of(record: dict[str, object]) -> dict[str, object]:
    """The attempt record the service writes before the request: who, what, and no outcome yet."""
    outcome_fields = ("outcome", "code", "message", "latency_ms", "attempts", "retries")
    return {**{k: v for k, v in record.items() if k not in outcome_fields}, "event": "attempt", "attempt": "0" * 32}


def unchained_append(path: Path, record: dict[str, object]) -> None:
    """An append as it was before the chain: one locked write and an fsync, nothing read."""
    line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def write_trail(path: Path, records: int) -> float:
    """A sealed trail of `records` records, written in bulk; returns the seconds it took."""
    started = time.perf_counter()
    prev = GENESIS
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb", buffering=1 << 20) as handle:
        for n in range(records):
            line = seal(sample_record(n), prev)
            handle.write(line + b"\n")
            prev = line_hash(line)
    return time.perf_counter() - started


def appends(directory: Path, big_trail: Path, rounds: int, big_name: str) -> dict[str, list[float]]:
    chained = AuditLog(directory / "chained.jsonl", max_bytes=0)
    on_big = AuditLog(big_trail, max_bytes=0)
    ahead = AuditLog(directory / "ahead.jsonl", max_bytes=0)
    plain = directory / "unchained.jsonl"

    def written_ahead(record: dict[str, object]) -> None:
        ahead.append(attempt_of(record))
        ahead.append({**record, "event": "outcome", "attempt": "0" * 32})

    contenders: dict[str, Callable[[dict[str, object]], object]] = {
        "unchained append (before the chain)": lambda record: unchained_append(plain, record),
        "AuditLog.append (chained)": chained.append,
        f"AuditLog.append, {big_name}": on_big.append,
        "one action, written ahead (2 records)": written_ahead,
    }
    timings: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    for n in range(rounds):
        record = sample_record(n)
        for name in names[n % len(names) :] + names[: n % len(names)]:
            started = time.perf_counter()
            contenders[name](record)
            timings[name].append(time.perf_counter() - started)
    return timings


def run_child(*args: str) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KiB, this child's own, from wait4) and standard output of one `queuetui` child."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "queuetui", *args], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise RuntimeError(f"queuetui {' '.join(args)} exited {child.returncode}: {output}")
    return seconds, usage.ru_maxrss, output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--appends", type=int, default=400, help="appends per contender (default 400)")
    parser.add_argument("--records", type=int, default=1_000_000, help="records in the trail (default 1,000,000)")
    parser.add_argument("--dir", type=Path, default=None, help="where to write (default: a temporary directory)")
    args = parser.parse_args()

    print(f"Python {sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(dir=args.dir) as scratch:
        directory = Path(scratch)
        trail = directory / "audit.jsonl"
        seconds = write_trail(trail, args.records)
        size_mb = trail.stat().st_size / 1e6
        print(f"trail: {args.records:,} records, {size_mb:,.0f} MB, written in {seconds:.1f} s, in {directory}")

        # Verify first: the appends below add records to this trail.
        start_s, start_kib, _ = run_child("--version")
        verify_s, verify_kib, said = run_child("audit", "verify", "--audit-file", str(trail))

        timings = appends(directory, trail, args.appends, f"{args.records:,}-record file")

    print(f"\n(a) Append, N={args.appends} each (one fsync per record)")
    print(f"  {'':<38} {'median':>9} {'p90':>9} {'ratio':>6}")
    base = statistics.median(next(iter(timings.values())))
    for name, samples in timings.items():
        median = statistics.median(samples)
        p90 = statistics.quantiles(samples, n=10)[-1]
        print(f"  {name:<38} {median * 1000:>7.3f}ms {p90 * 1000:>7.3f}ms {median / base:>6.2f}")

    print(f"\n(b) queuetui audit verify, {args.records:,} records ({size_mb:,.0f} MB)")
    print(f"  verify: {verify_s:.1f} s ({args.records / verify_s:,.0f} records/s), peak RSS {_mib(verify_kib)}")
    streams = "yes" if verify_kib <= RSS_LIMIT_MIB * 1024 else "NO"
    print(f"  streaming (peak RSS at most {RSS_LIMIT_MIB} MiB): {streams}")
    print(f"  for scale, `queuetui --version`: {start_s:.2f} s, peak RSS {_mib(start_kib)}")
    print(f"  verify said: {said.splitlines()[0]}")
    return 0


def _mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


if __name__ == "__main__":
    raise SystemExit(main())
