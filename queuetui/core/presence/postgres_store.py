"""Presence on a PostgreSQL server, for supervisors spread over several jump hosts (psycopg 3: the `postgres`
extra).

A change (a row written with a new call or mode, or removed) is announced with NOTIFY in the same
transaction; each console LISTENs, so it arrives without a poll. Heartbeats are not announced: readers look again
each heartbeat period anyway, to drop rows whose console has gone silent. Heartbeats use the server's clock, so
jump hosts whose clocks disagree still agree on who has expired. Each row carries the database role that wrote
it (`db_user`); with the row-level security in docs/behaviour.md a supervisor can only write their own.
"""

from __future__ import annotations

import select
from typing import TYPE_CHECKING

from queuetui.core.presence.entry import Presence
from queuetui.core.presence.setting import shown_url
from queuetui.core.presence.store import EXPIRY_S, StoreUnavailable

if TYPE_CHECKING:
    import psycopg

CHANNEL = "queuetui_presence"
TABLE = "queuetui_presence"
SCHEMA = f"""
CREATE TABLE {TABLE} (
    console_id text PRIMARY KEY,
    call_id text NOT NULL,
    mode text NOT NULL,
    since double precision NOT NULL,
    os_user text NOT NULL,
    display_name text NOT NULL,
    host text NOT NULL,
    db_user name NOT NULL DEFAULT current_user,
    heartbeat timestamptz NOT NULL DEFAULT now()
)
"""
# What an administrator runs once, as the table's owner, so that each supervisor's role may read every row but
# write, change and remove only its own (and remove anyone's row long expired). `queuetui_floor` is the group
# role every supervisor's login role is a member of.
ROW_SECURITY = (
    "ALTER TABLE queuetui_presence ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY everyone_reads ON queuetui_presence FOR SELECT USING (true)",
    "CREATE POLICY own_rows_in ON queuetui_presence FOR INSERT WITH CHECK (db_user = current_user)",
    "CREATE POLICY own_rows_changed ON queuetui_presence FOR UPDATE USING (db_user = current_user) "
    "WITH CHECK (db_user = current_user)",
    "CREATE POLICY own_or_expired_rows_out ON queuetui_presence FOR DELETE "
    "USING (db_user = current_user OR heartbeat < now() - interval '1 minute')",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON queuetui_presence TO queuetui_floor",
)


class PostgresStore:
    def __init__(self, url: str, *, expiry_s: float = EXPIRY_S, connect_timeout_s: int = 3) -> None:
        self.expiry_s = expiry_s
        self._shown = shown_url(url)
        self._changed = False
        try:
            import psycopg
        except ImportError:
            raise StoreUnavailable("PostgreSQL presence needs psycopg: pip install 'queuetui[postgres]'") from None
        self._errors: type[Exception] = psycopg.Error
        try:
            self._db: psycopg.Connection[tuple[object, ...]] = psycopg.connect(
                url,
                autocommit=True,
                connect_timeout=connect_timeout_s,
                options=f"-c statement_timeout={connect_timeout_s * 1000}",
            )
        except psycopg.Error as error:
            raise StoreUnavailable(f"presence server {self._shown}: {_first_line(error)}") from None
        self._db.add_notify_handler(self._noticed)
        try:
            self._run(f"LISTEN {CHANNEL}")
            if self._run("SELECT to_regclass(%s)", (TABLE,))[0][0] is None:
                self._run(SCHEMA)
        except StoreUnavailable:
            self.close()
            raise

    def _noticed(self, _notify: psycopg.Notify) -> None:
        self._changed = True

    def _run(self, sql: str, parameters: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        try:
            cursor = self._db.execute(sql.encode(), parameters)  # composed here from constants
            return cursor.fetchall() if cursor.description else []
        except self._errors as error:
            raise StoreUnavailable(f"presence server {self._shown}: {_first_line(error)}") from None

    def publish(self, entry: Presence) -> None:
        self._run(
            """WITH written AS (
                INSERT INTO queuetui_presence (console_id, call_id, mode, since, os_user, display_name, host)
                VALUES (%s, %s, %s, %s, %s, %s, %s)
                ON CONFLICT (console_id) DO UPDATE SET call_id = excluded.call_id, mode = excluded.mode,
                    since = excluded.since, heartbeat = now()
                RETURNING 1)
            SELECT pg_notify(%s, '') FROM written""",
            (*entry.claimed(), CHANNEL),
        )

    def heartbeat(self, console_id: str) -> None:
        self._run("UPDATE queuetui_presence SET heartbeat = now() WHERE console_id = %s", (console_id,))

    def withdraw(self, console_id: str) -> None:
        self._run(
            "WITH gone AS (DELETE FROM queuetui_presence WHERE console_id = %s RETURNING 1) "
            "SELECT pg_notify(%s, '') FROM gone",
            (console_id, CHANNEL),
        )

    def read(self) -> list[Presence]:
        rows = self._run(
            "SELECT console_id, call_id, mode, since, os_user, display_name, host, extract(epoch from heartbeat) "
            "FROM queuetui_presence WHERE heartbeat >= now() - make_interval(secs => %s) "
            "ORDER BY since, console_id",
            (self.expiry_s,),
        )
        return [Presence.from_row(row) for row in rows]

    def wait(self, timeout_s: float, wake_fd: int) -> bool:
        if self._changed:  # announced while one of our own statements ran
            self._changed = False
            return True
        try:
            ready, _, _ = select.select([self._db.fileno(), wake_fd], [], [], timeout_s)
            if self._db.fileno() in ready:
                pg = self._db.pgconn
                pg.consume_input()
                while pg.notifies() is not None:
                    self._changed = True
        except (OSError, ValueError, self._errors) as error:
            raise StoreUnavailable(f"presence server {self._shown}: {_first_line(error)}") from None
        if self._db.pgconn.status != 0:  # not CONNECTION_OK: the server went away while we waited
            raise StoreUnavailable(f"presence server {self._shown}: connection lost")
        changed, self._changed = self._changed, False
        return changed

    def close(self) -> None:
        try:
            self._db.close()
        except self._errors:
            return


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
