"""Presence in an SQLite file in a directory the supervisors' group shares on one jump host.

WAL mode, so readers never wait for the writer. Another console's commit shows as a new `PRAGMA data_version`,
which is cheap to ask for: that is how a change is noticed without reading the rows. The file trusts the group:
anyone who may write it may write any row (see the README); PostgreSQL with row-level security does not.
"""

from __future__ import annotations

import os
import select
import sqlite3
import time
from collections.abc import Callable

from queuetui.core.presence.entry import Presence
from queuetui.core.presence.store import EXPIRY_S, StoreUnavailable

# How often `wait` asks whether another console committed.
CHANGE_CHECK_S = 0.25

_SCHEMA = """
CREATE TABLE IF NOT EXISTS presence (
    console_id TEXT PRIMARY KEY,
    call_id TEXT NOT NULL,
    mode TEXT NOT NULL,
    since REAL NOT NULL,
    os_user TEXT NOT NULL,
    display_name TEXT NOT NULL,
    host TEXT NOT NULL,
    heartbeat REAL NOT NULL
)
"""


def _identity(path: str) -> tuple[int, int]:
    status = os.stat(path)
    return status.st_dev, status.st_ino


class SqliteStore:
    def __init__(self, path: str, *, expiry_s: float = EXPIRY_S, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.expiry_s = expiry_s
        self._clock = clock
        try:
            self._create_group_writable(path)
            # Autocommit: each statement is its own short transaction, so no lock outlives a call.
            self._db = sqlite3.connect(path, timeout=1.0, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(_SCHEMA)
            self._opened = _identity(path)
            self._version = self._data_version()
        except (sqlite3.Error, OSError) as error:
            raise StoreUnavailable(f"presence file {path}: {error}") from None

    @staticmethod
    def _create_group_writable(path: str) -> None:
        """Create the file for the group (SQLite gives its -wal and -shm files the same mode), whatever the
        user's umask; an existing file is left as the administrator made it."""
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o660)
        except FileExistsError:
            return
        try:
            os.fchmod(fd, 0o660)
        finally:
            os.close(fd)

    def _run(self, sql: str, parameters: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        self._check_file()
        try:
            return self._db.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise StoreUnavailable(f"presence file {self.path}: {error}") from None

    def _check_file(self) -> None:
        """An open connection goes on reading and writing a file that was removed, replaced or taken from the group
        (it holds the old file open): the shared file is what the other consoles read, so this is the one to ask."""
        try:
            same = _identity(self.path) == self._opened and os.access(self.path, os.R_OK | os.W_OK)
        except OSError as error:
            raise StoreUnavailable(f"presence file {self.path}: {error.strerror}") from None
        if not same:
            raise StoreUnavailable(f"presence file {self.path} was replaced or may no longer be read and written")

    def publish(self, entry: Presence) -> None:
        now = self._clock()
        self._run(
            "INSERT OR REPLACE INTO presence ("
            "console_id, call_id, mode, since, os_user, display_name, host, heartbeat) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (*entry.claimed(), now),
        )
        # Rows of consoles that died long ago: any member of the group may clear them.
        self._run("DELETE FROM presence WHERE heartbeat < ?", (now - 10 * self.expiry_s,))

    def heartbeat(self, console_id: str) -> None:
        self._run("UPDATE presence SET heartbeat = ? WHERE console_id = ?", (self._clock(), console_id))

    def withdraw(self, console_id: str) -> None:
        self._run("DELETE FROM presence WHERE console_id = ?", (console_id,))

    def read(self) -> list[Presence]:
        rows = self._run(
            "SELECT console_id, call_id, mode, since, os_user, display_name, host, heartbeat FROM presence "
            "WHERE heartbeat >= ? ORDER BY since, console_id",
            (self._clock() - self.expiry_s,),
        )
        return [Presence.from_row(row) for row in rows]

    def _data_version(self) -> int:
        (version,) = self._run("PRAGMA data_version")[0]
        return int(str(version))

    def wait(self, timeout_s: float, wake_fd: int) -> bool:
        deadline = time.monotonic() + timeout_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            woken, _, _ = select.select([wake_fd], [], [], min(left, CHANGE_CHECK_S))
            if woken:
                return False
            version = self._data_version()
            if version != self._version:
                self._version = version
                return True

    def close(self) -> None:
        self._db.close()
