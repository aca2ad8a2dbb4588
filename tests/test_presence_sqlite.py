"""Presence on one SQLite file: two stores (two consoles) share it; a row whose heartbeat is older than the
expiry is gone for every reader, on a clock the test moves; the presence thread publishes, notices another
console's change, withdraws on stop, and says when the file cannot be used."""

from __future__ import annotations

import os
import socket
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import eventually

from queuetui.core.presence.entry import Identity, PresenceView
from queuetui.core.presence.opening import open_store
from queuetui.core.presence.setting import checked_url, chosen_url, shown_url, sqlite_path
from queuetui.core.presence.sqlite_store import SqliteStore
from queuetui.core.presence.store import StoreUnavailable
from queuetui.core.presence.watch import PresenceWatch


class MovedClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


ASHA = Identity("console-a", "asha", "Asha K", "jump1")
BEN = Identity("console-b", "ben", "", "jump1")


@pytest.fixture
def wake() -> Iterator[tuple[socket.socket, socket.socket]]:
    reader, writer = socket.socketpair()
    yield reader, writer
    reader.close()
    writer.close()


def test_two_stores_on_one_file_see_each_others_rows(tmp_path: Path) -> None:
    clock = MovedClock()
    a = SqliteStore(str(tmp_path / "p.db"), expiry_s=5, clock=clock)
    b = SqliteStore(str(tmp_path / "p.db"), expiry_s=5, clock=clock)
    a.publish(ASHA.on("C-10023", "spy", clock.now - 120))
    b.publish(BEN.on("C-10017", "barge", clock.now))
    seen = {(row.os_user, row.call_id, row.mode) for row in b.read()}
    assert seen == {("asha", "C-10023", "spy"), ("ben", "C-10017", "barge")}
    assert a.read() == b.read()
    a.withdraw("console-a")
    assert [row.os_user for row in b.read()] == ["ben"]
    assert a._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_row_not_heard_from_within_the_expiry_is_gone(tmp_path: Path) -> None:
    clock = MovedClock()
    a = SqliteStore(str(tmp_path / "p.db"), expiry_s=5, clock=clock)
    b = SqliteStore(str(tmp_path / "p.db"), expiry_s=5, clock=clock)
    a.publish(ASHA.on("C-10023", "spy", clock.now))
    clock.now += 4.9
    assert [row.os_user for row in b.read()] == ["asha"]
    a.heartbeat("console-a")
    clock.now += 4.9
    assert [row.os_user for row in b.read()] == ["asha"], "the heartbeat kept it"
    clock.now += 0.2  # 5.1 s since the last heartbeat: as if the console were killed
    assert b.read() == []


def test_the_file_and_its_journal_are_made_for_the_group(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        store = SqliteStore(str(tmp_path / "p.db"))
        store.publish(ASHA.on("C-1", "spy", 0))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "p.db").stat().st_mode) == 0o660
    assert stat.S_IMODE((tmp_path / "p.db-wal").stat().st_mode) == 0o660


def test_wait_says_when_another_console_commits_and_returns_on_a_wake(
    tmp_path: Path, wake: tuple[socket.socket, socket.socket]
) -> None:
    reader, writer = wake
    a = SqliteStore(str(tmp_path / "p.db"))
    b = SqliteStore(str(tmp_path / "p.db"))
    assert b.wait(0.0, reader.fileno()) is False
    a.publish(ASHA.on("C-1", "spy", 0))
    assert b.wait(60.0, reader.fileno()) is True
    b.publish(BEN.on("C-2", "spy", 0))
    assert a.wait(60.0, reader.fileno()) is True, "b's commit is a change for a"
    writer.send(b"x")
    started = time.monotonic()
    assert b.wait(60.0, reader.fileno()) is False, "woken, with no change"
    assert time.monotonic() - started < 30


def test_a_directory_that_cannot_hold_the_file_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="presence file"):
        open_store(f"sqlite:///{tmp_path}/missing/dir/p.db")


def test_urls() -> None:
    assert sqlite_path("sqlite:///var/lib/queuetui/presence.db") == "/var/lib/queuetui/presence.db"
    assert sqlite_path("sqlite:////var/lib/queuetui/presence.db") == "/var/lib/queuetui/presence.db"
    assert checked_url("postgresql://sup@db/floor") == "postgresql://sup@db/floor"
    with pytest.raises(ValueError, match="sqlite:///"):
        checked_url("mysql://x")
    assert shown_url("postgresql://sup:secret@db:5433/floor") == "postgresql://sup:••••@db:5433/floor"
    assert chosen_url("sqlite:///top.db", "", {}) == "sqlite:///top.db"
    assert chosen_url("sqlite:///top.db", "sqlite:///profile.db", {}) == "sqlite:///profile.db"
    assert chosen_url("sqlite:///top.db", "", {"QUEUETUI_PRESENCE": "sqlite:///env.db"}) == "sqlite:///env.db"


def _watch(path: Path, who: Identity, views: list[PresenceView]) -> PresenceWatch:
    watch = PresenceWatch(lambda: open_store(f"sqlite://{path}"), who, views.append, heartbeat_s=0.2)
    watch.start()
    return watch


def test_two_watches_on_one_file(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    seen_by_b: list[PresenceView] = []
    a = _watch(path, ASHA, [])
    b = _watch(path, BEN, seen_by_b)
    try:
        a.claim("C-10023", "spy", 100.0)
        assert eventually(lambda: [r.os_user for r in b.view.others_on("C-10023")] == ["asha"])
        assert b.view.others_on("C-10023")[0].who == "Asha K"
        assert a.view.others_on("C-10023") == (), "a console does not see itself"
        a.claim("C-10023", "barge", 130.0)
        assert eventually(lambda: [r.mode for r in b.view.barging("C-10023")] == ["barge"])
        a.claim(None)
        assert eventually(lambda: b.view.rows == ())
        a.claim("C-10017", "whisper", 140.0)
        assert eventually(lambda: b.view.calls_with_others() == {"C-10017"})
    finally:
        a.stop()
    assert eventually(lambda: b.view.rows == ()), "a stopped console withdraws its row"
    b.stop()
    assert all(view.available for view in seen_by_b)


def test_a_file_that_cannot_be_opened_is_shown_and_retried(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    watch = PresenceWatch(lambda: open_store(f"sqlite://{folder}/p.db"), ASHA, heartbeat_s=0.2)
    watch.start()
    try:
        assert eventually(lambda: "presence file" in watch.view.problem)
        assert not watch.view.available and watch.view.others_on("C-1") == ()
        folder.mkdir()
        watch.claim("C-1", "spy", 1.0)
        assert eventually(lambda: watch.view.available)
        assert eventually(lambda: [r.call_id for r in SqliteStore(str(folder / "p.db")).read()] == ["C-1"])
    finally:
        watch.stop()


def test_a_file_removed_or_replaced_mid_shift_is_unavailable_until_it_is_back(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    watch = PresenceWatch(lambda: open_store(f"sqlite://{path}"), ASHA, heartbeat_s=0.2)
    watch.start()
    try:
        watch.claim("C-1", "spy", 1.0)
        assert eventually(lambda: watch.view.available and watch.view.loaded)
        kept = tmp_path / "kept.db"
        path.rename(kept)  # the shared file taken away, its place filled with something that is no database
        path.write_bytes(b"not a database" * 100)
        assert eventually(lambda: not watch.view.available and "presence file" in watch.view.problem)
        path.unlink()
        kept.rename(path)  # back as it was
        assert eventually(lambda: watch.view.available)
        assert eventually(lambda: [r.call_id for r in SqliteStore(str(path)).read()] == ["C-1"])
    finally:
        watch.stop()


def test_a_store_whose_file_is_gone_says_so_on_its_next_call(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    store = SqliteStore(str(path))
    store.heartbeat("console-a")
    path.unlink()
    with pytest.raises(StoreUnavailable, match="presence file"):
        store.read()
    store.close()
