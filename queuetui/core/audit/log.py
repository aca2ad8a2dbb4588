"""The append-only audit trail: one JSON line per record, flushed and fsync'd before returning.

Several app instances may share one file: each record is one `write()` on an O_APPEND descriptor under an
exclusive `flock`, so records never interleave, and the chain link to the line before (see `chain`) is
read under that same lock. Past `max_bytes` the file is renamed to the next numbered sibling and a new one
begins, its first record linked to the last line of the old. Reading tolerates a torn last line (a crash
mid-write): it is reported, never fatal, and the next record starts on a line of its own.

The file is the supervisor's alone (see `access`): anything else is refused with `AuditWriteError`, as is
any write that fails. A write the disk cut short is taken back, so a full disk leaves no torn line behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from queuetui.core.audit.access import AuditWriteError, check_rotation, open_private
from queuetui.core.audit.chain import GENESIS, line_hash, seal, without_chain
from queuetui.core.audit.files import ends_with_newline, last_line, rotated_files, rotated_name

if TYPE_CHECKING:
    # Only a profile that copies its trail to syslog loads the sink (and the logging package behind it).
    from queuetui.core.audit.syslog import SyslogSink

try:
    import fcntl
except ImportError:  # Windows: O_APPEND alone still keeps one process's records whole.
    fcntl = None  # type: ignore[assignment]

DEFAULT_MAX_BYTES = 10_000_000
# Held back while a record is written on the main thread: Python raises their exceptions between any two
# bytecodes, which could stop a record half written. They are delivered as soon as it is whole.
_HELD_SIGNALS = frozenset(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class AuditLog:
    def __init__(self, path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, syslog: SyslogSink | None = None) -> None:
        """`max_bytes`: rotate once the file has reached this size (0: never). `syslog`: where a copy of each
        record goes as well, whether or not the file took it; its failures never stop a record."""
        self.path = path
        self.max_bytes = max_bytes
        self.syslog = syslog
        self._lock = threading.Lock()

    def ensure_writable(self) -> None:
        """Raise AuditWriteError now when records could not be appended (the file, or the next rotated file),
        so a front end can refuse to act before a monitoring action goes unrecorded."""
        with os.fdopen(open_private(self.path), "rb", buffering=0) as handle:
            if self.max_bytes:
                check_rotation(self.path, handle.fileno(), self._next_rotated())

    def append(self, record: Mapping[str, object]) -> str:
        """Write one record; returns the trail's head after it (the hash its next record links to). Raises
        AuditWriteError when the record is not in the file; the syslog copy goes either way and says which."""
        with _signals_held():
            try:
                with self._lock:
                    line = self._append_sealed(record)
            except (AuditWriteError, OSError) as error:
                problem = error if isinstance(error, AuditWriteError) else _unwritten(self.path, error)
                if self.syslog is not None:
                    unsealed = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
                    self.syslog.send(unsealed, not_written=str(problem))
                raise problem from None
            if self.syslog is not None:
                self.syslog.send(line)
        return line_hash(line)

    def _append_sealed(self, record: Mapping[str, object]) -> bytes:
        while True:
            fd = open_private(self.path)
            with os.fdopen(fd, "r+b", buffering=0) as handle:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                if not _still_named(handle, self.path):
                    continue  # another writer rotated it while we waited for the lock
                size = os.fstat(fd).st_size
                if self.max_bytes and size >= self.max_bytes:
                    target = self._next_rotated()
                    check_rotation(self.path, fd, target)
                    _rotate(self.path, target)
                    continue
                line = seal(record, self._link(handle))
                # After a torn last line, start a line of our own rather than finish that one.
                data = (b"" if ends_with_newline(handle) else b"\n") + line + b"\n"
                try:
                    written = 0
                    while written < len(data):
                        written += os.write(fd, data[written:])
                    os.fsync(fd)
                except OSError:
                    # Take back what a full disk let through: a torn line would stand in the chain for good.
                    with contextlib.suppress(OSError):
                        os.ftruncate(fd, size)
                    raise
                return line

    def _next_rotated(self) -> Path:
        existing = rotated_files(self.path)
        return rotated_name(self.path, existing[-1][0] + 1 if existing else 1)

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


def _unwritten(path: Path, error: OSError) -> AuditWriteError:
    return AuditWriteError(path, error.strerror or type(error).__name__)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    if not _HELD_SIGNALS or threading.current_thread() is not threading.main_thread():
        yield  # Python runs signal handlers on the main thread only: other threads are never stopped mid-write
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _still_named(handle: BinaryIO, path: Path) -> bool:
    try:
        named = path.lstat()
    except FileNotFoundError:
        return False
    status = os.fstat(handle.fileno())
    return (named.st_dev, named.st_ino) == (status.st_dev, status.st_ino)


def _rotate(path: Path, target: Path) -> None:
    """Rename the (locked) current file to `target`; the next append creates a new one."""
    try:
        os.rename(path, target)
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # the rename itself must survive a crash
        finally:
            os.close(directory)
    except OSError as error:
        raise AuditWriteError(path, f"cannot rotate it to {target.name}: {error.strerror}") from None


@dataclass(frozen=True)
class AuditContents:
    records: list[dict[str, object]]
    bad_lines: list[int]  # 1-based numbers of lines that were not a whole JSON object


def read_audit(path: Path) -> AuditContents:
    """One file's records as the application wrote them (chain fields left out); see `trail` for
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
