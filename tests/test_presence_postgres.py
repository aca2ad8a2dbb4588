"""Presence on a real PostgreSQL server the module starts itself: two "jump hosts" (two stores, two presence
threads) on one server; a change arrives by NOTIFY while the other waits, with no query; a row no longer heard
from expires; row-level security keeps each supervisor's role to its own rows; a server stopped mid-shift is
shown as unavailable and presence comes back with it."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from helpers import eventually
from pgserver import PgServer

from queuetui.core.presence.entry import Identity, Presence
from queuetui.core.presence.opening import open_store
from queuetui.core.presence.postgres_store import ROW_SECURITY, PostgresStore
from queuetui.core.presence.store import StoreUnavailable
from queuetui.core.presence.watch import PresenceWatch

pytestmark = pytest.mark.skipif(PgServer.skip_reason() is not None, reason=str(PgServer.skip_reason()))

ASHA = Identity("console-a", "asha", "Asha K", "jump1")
BEN = Identity("console-b", "ben", "", "jump2")


@pytest.fixture(scope="module")
def server(pg: PgServer) -> PgServer:
    pg.sql(
        [
            "CREATE ROLE queuetui_floor",
            "CREATE ROLE asha LOGIN IN ROLE queuetui_floor",
            "CREATE ROLE ben LOGIN IN ROLE queuetui_floor",
        ]
    )
    PostgresStore(pg.url()).close()  # the owner makes the table
    pg.sql(ROW_SECURITY)
    return pg


@pytest.fixture
def wake() -> Iterator[socket.socket]:
    reader, writer = socket.socketpair()
    yield reader
    reader.close()
    writer.close()


def test_a_change_arrives_by_notify_while_the_other_waits(server: PgServer, wake: socket.socket) -> None:
    a = PostgresStore(server.url("asha"))
    b = PostgresStore(server.url("ben"))
    try:
        before = _last_statement(server, b)
        a.publish(ASHA.on("C-10023", "spy", 100.0))
        assert b.wait(60.0, wake.fileno()) is True, "the NOTIFY woke the waiting console"
        assert _last_statement(server, b) == before, "no query was sent while waiting"
        rows = b.read()
        assert [(r.os_user, r.host, r.call_id, r.mode, r.since) for r in rows] == [
            ("asha", "jump1", "C-10023", "spy", 100.0)
        ]
        a.heartbeat("console-a")
        a.withdraw("console-a")
        assert b.wait(60.0, wake.fileno()) is True
        assert b.read() == []
    finally:
        a.close()
        b.close()


def _last_statement(server: PgServer, store: PostgresStore) -> tuple[object, ...]:
    """The store's last statement and when it started, as the server's activity view tells a third connection."""
    import psycopg

    with psycopg.connect(server.url(), autocommit=True) as db:
        row = db.execute(
            "SELECT query, query_start FROM pg_stat_activity WHERE pid = %s", (store._db.info.backend_pid,)
        ).fetchone()
    assert row is not None
    return tuple(row)


def test_a_row_not_heard_from_expires(server: PgServer) -> None:
    a = PostgresStore(server.url("asha"), expiry_s=1.0)
    b = PostgresStore(server.url("ben"), expiry_s=1.0)
    try:
        a.publish(ASHA.on("C-10017", "whisper", 1.0))
        assert [r.os_user for r in b.read()] == ["asha"]
        a.close()  # gone without a word, like a console killed
        assert eventually(lambda: b.read() == [], timeout=10)
    finally:
        b.close()


def test_row_level_security_keeps_each_role_to_its_own_rows(server: PgServer) -> None:
    a = PostgresStore(server.url("asha"))
    b = PostgresStore(server.url("ben"))
    try:
        a.publish(ASHA.on("C-1", "spy", 1.0))
        with pytest.raises(StoreUnavailable, match="row-level security"):
            b.publish(Presence("console-a", "C-1", "barge", 2.0, "asha"))
        b.withdraw("console-a")  # not ben's: nothing removed
        assert [(r.os_user, r.mode) for r in a.read()] == [("asha", "spy")]
        forged = (
            "INSERT INTO queuetui_presence (console_id, call_id, mode, since, os_user, display_name, host, db_user)"
        )
        with pytest.raises(StoreUnavailable, match="row-level security"):
            b._run(forged + " VALUES ('x', 'C-2', 'spy', 0, 'asha', '', '', 'asha')")
        a.withdraw("console-a")
    finally:
        a.close()
        b.close()


def test_two_jump_hosts_and_a_server_stopped_mid_shift(server: PgServer) -> None:
    a = PresenceWatch(lambda: open_store(server.url("asha")), ASHA, heartbeat_s=0.3)
    b = PresenceWatch(lambda: open_store(server.url("ben")), BEN, heartbeat_s=0.3)
    a.start()
    b.start()
    try:
        a.claim("C-10023", "barge", 10.0)
        assert eventually(lambda: [r.os_user for r in b.view.barging("C-10023")] == ["asha"])
        server.stop()
        assert eventually(lambda: "presence server" in b.view.problem)
        assert eventually(lambda: "presence server" in a.view.problem)
        assert b.view.barging("C-10023") == (), "nothing claimed from a store that cannot be reached"
        a.claim("C-10031", "spy", 20.0)  # returns at once: the thread is the one that waits
        server.start()
        assert eventually(lambda: b.view.available and b.view.calls_with_others() == {"C-10031"}, timeout=30)
        assert eventually(lambda: a.view.available, timeout=30)
    finally:
        a.stop()
        b.stop()
