"""The append-only audit trail: one JSON line per monitoring action, flushed and fsync'd before returning.

Several app instances may share one file: each record is one `write()` on an O_APPEND descriptor under an
exclusive `flock`, so records never interleave. Reading tolerates a torn last line (a crash mid-write):
it is reported, never fatal.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: O_APPEND alone still keeps one process's records whole.
    fcntl = None  # type: ignore[assignment]


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def ensure_writable(self) -> None:
        """Raise OSError now when records could not be appended, so a front end can refuse to act
        before a monitoring action goes unrecorded."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600))

    def append(self, record: Mapping[str, object]) -> None:
        line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                written = 0
                while written < len(line):
                    written += os.write(fd, line[written:])
                os.fsync(fd)
            finally:
                os.close(fd)


@dataclass(frozen=True)
class AuditContents:
    records: list[dict[str, object]]
    bad_lines: list[int]  # 1-based numbers of lines that were not a whole JSON object


def read_audit(path: Path) -> AuditContents:
    records: list[dict[str, object]] = []
    bad: list[int] = []
    if not path.exists():
        return AuditContents(records, bad)
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                value = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                bad.append(number)
                continue
            if isinstance(value, dict):
                records.append(value)
            else:
                bad.append(number)
    return AuditContents(records, bad)
