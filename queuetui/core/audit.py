"""The append-only audit trail: one JSON line per monitoring action, flushed and fsync'd before returning.

Several app instances may share one file: each record is one `write()` on an O_APPEND descriptor under an
exclusive `flock`, so records never interleave, and the chain link to the line before (see audit_chain) is
read under that same lock. Past `max_bytes` the file is renamed to the next numbered sibling and a new one
begins, its first record linked to the last line of the old. Reading tolerates a torn last line (a crash
mid-write): it is reported, never fatal, and the next record starts on a line of its own.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from queuetui.core.audit_chain import GENESIS, line_hash, seal, without_chain
from queuetui.core.audit_files import ends_with_newline, last_line, rotated_files, rotated_name
from queuetui.core.audit_syslog import SyslogSink

try:
    import fcntl
except ImportError:  # Windows: O_APPEND alone still keeps one process's records whole.
    fcntl = None  # type: ignore[assignment]

DEFAULT_MAX_BYTES = 10_000_000


class AuditLog:
    def __init__(self, path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, syslog: SyslogSink | None = None) -> None:
        """`max_bytes`: rotate once the file has reached this size (0: never). `syslog`: where a copy of each
        record goes as well; its failures never stop a record reaching the file."""
        self.path = path
        self.max_bytes = max_bytes
        self.syslog = syslog
        self._lock = threading.Lock()

    def ensure_writable(self) -> None:
        """Raise OSError now when records could not be appended, so a front end can refuse to act
        before a monitoring action goes unrecorded."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Read as well as write: each append reads the last line to link to it.
        os.close(os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600))

    def append(self, record: Mapping[str, object]) -> None:
        with self._lock:
            line = self._append_sealed(record)
        if self.syslog is not None:
            self.syslog.send(line)

    def _append_sealed(self, record: Mapping[str, object]) -> bytes:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "r+b", buffering=0) as handle:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                if not _still_named(handle, self.path):
                    continue  # another writer rotated it while we waited for the lock
                if self.max_bytes and os.fstat(fd).st_size >= self.max_bytes:
                    _rotate(self.path)
                    continue
                line = seal(record, self._link(handle))
                # After a torn last line, start a line of our own rather than finish that one.
                data = (b"" if ends_with_newline(handle) else b"\n") + line + b"\n"
                written = 0
                while written < len(data):
                    written += os.write(fd, data[written:])
                os.fsync(fd)
                return line

    def _link(self, handle: BinaryIO) -> str:
        """The hash of the trail's last line: this file's, else that of the newest rotated file."""
        last = last_line(handle)
        if last is not None:
            return line_hash(last)
        for _, rotated in reversed(rotated_files(self.path)):
            with rotated.open("rb") as older:
                last = last_line(older)
            if last is not None:
                return line_hash(last)
        return GENESIS


def _still_named(handle: BinaryIO, path: Path) -> bool:
    try:
        named = path.stat()
    except FileNotFoundError:
        return False
    status = os.fstat(handle.fileno())
    return (named.st_dev, named.st_ino) == (status.st_dev, status.st_ino)


def _rotate(path: Path) -> None:
    """Rename the (locked) current file to the next number; the next append creates a new one."""
    existing = rotated_files(path)
    os.rename(path, rotated_name(path, existing[-1][0] + 1 if existing else 1))
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself must survive a crash
    finally:
        os.close(directory)


@dataclass(frozen=True)
class AuditContents:
    records: list[dict[str, object]]
    bad_lines: list[int]  # 1-based numbers of lines that were not a whole JSON object


def read_audit(path: Path) -> AuditContents:
    """One file's records as the application wrote them (chain fields left out); see audit_trail for
    the whole trail across rotated files."""
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
                records.append(without_chain(value))
            else:
                bad.append(number)
    return AuditContents(records, bad)
