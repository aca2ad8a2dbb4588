"""The store a presence URL names: SQLite for `sqlite:///path`, else PostgreSQL (loaded only when named)."""

from __future__ import annotations

import time
from collections.abc import Callable

from queuetui.core.presence.setting import sqlite_path
from queuetui.core.presence.store import EXPIRY_S, PresenceStore


def open_store(url: str, *, expiry_s: float = EXPIRY_S, clock: Callable[[], float] = time.time) -> PresenceStore:
    """The store a URL names, connected (blocking). Raises StoreUnavailable."""
    if url.startswith("sqlite:"):
        from queuetui.core.presence.sqlite_store import SqliteStore

        return SqliteStore(sqlite_path(url), expiry_s=expiry_s, clock=clock)
    from queuetui.core.presence.postgres_store import PostgresStore

    return PostgresStore(url, expiry_s=expiry_s)
