"""A console's presence thread: publishes what its supervisor is on, keeps it alive with a heartbeat, and hands
the floor's other rows to the front end whenever what they say changes.

Everything that touches the store runs on this thread, so the UI never waits on a disk or a server, and no action
ever waits for presence. A store that cannot be reached is retried with a capped backoff; meanwhile the view says
so and keeps the last rows read. On stop, the console's row is withdrawn; a console that dies without stopping
drops off the other screens when its heartbeat expires.

    watch = PresenceWatch(lambda: open_store(url), identity, on_update=show)
    watch.start()
    watch.claim("C-10023", "spy", since)      # any thread; returns at once
    watch.claim(None)                         # on nothing now
    watch.stop()
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from queuetui.core.presence.entry import Identity, Presence, PresenceView
from queuetui.core.presence.store import HEARTBEAT_S, PresenceStore, StoreUnavailable

if TYPE_CHECKING:
    from queuetui.core.monitoring import Monitoring, MonitoringState

RETRY_FIRST_S = 0.5
RETRY_MAX_S = 10.0


def local_identity(display_name: str = "") -> Identity:
    """This console as the floor will know it: the kernel's user name (as the audit trail records it)."""
    from queuetui.core.audit.who import os_user

    return Identity(uuid.uuid4().hex, os_user(), display_name, socket.gethostname())


class PresenceWatch:
    """`on_update(view)` runs on the presence thread each time the view changes; it must not block for long
    (a console posts a message from it)."""

    def __init__(
        self,
        open_store: Callable[[], PresenceStore],
        identity: Identity,
        on_update: Callable[[PresenceView], None] | None = None,
        *,
        heartbeat_s: float = HEARTBEAT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.identity = identity
        self.heartbeat_s = heartbeat_s
        self._open_store = open_store
        self._on_update = on_update
        self._clock = clock
        self._lock = threading.Lock()
        self._wanted: Presence | None = None
        self._view = PresenceView(configured=True)
        self._stopping = threading.Event()
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_reader.setblocking(False)
        self._thread: threading.Thread | None = None
        self._backoff = RETRY_FIRST_S

    @property
    def view(self) -> PresenceView:
        with self._lock:
            return self._view

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="presence", daemon=True)
        self._thread.start()

    def claim(self, call_id: str | None, mode: str = "", since: float = 0.0) -> None:
        """What this console's supervisor is on now (None: nothing); published by the thread at once."""
        entry = None if call_id is None else self.identity.on(call_id, mode, since)
        with self._lock:
            self._wanted = entry
        self._wake()

    def stop(self, timeout_s: float = 2.0) -> None:
        """Withdraw this console's row and end the thread; a store that hangs is left to its expiry."""
        self._stopping.set()
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout_s)

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"x")

    def _drain(self) -> None:
        with contextlib.suppress(OSError):
            while self._wake_reader.recv(512):
                pass

    def _show(self, view: PresenceView) -> None:
        with self._lock:
            if view == self._view:
                return
            self._view = view
        if self._on_update is not None and not self._stopping.is_set():
            self._on_update(view)

    def _rows_of_others(self, rows: list[Presence]) -> tuple[Presence, ...]:
        return tuple(row for row in rows if row.console_id != self.identity.console_id)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                store = self._open_store()
            except StoreUnavailable as error:
                self._unavailable(error)
                continue
            try:
                self._serve(store)
            except StoreUnavailable as error:
                self._unavailable(error)
            finally:
                if self._stopping.is_set():
                    self._withdraw(store)
                store.close()

    def _unavailable(self, error: StoreUnavailable) -> None:
        """Say so, keep the last rows read (shown as out of date), and wait before trying again, longer each time
        in a row: a store that fails as soon as it opens must not be hammered."""
        self._show(PresenceView(True, self.view.rows, str(error), self.view.loaded))
        self._drain()
        self._pause(self._backoff)
        self._backoff = min(RETRY_MAX_S, self._backoff * 2)

    def _pause(self, seconds: float) -> None:
        import select

        select.select([self._wake_reader], [], [], seconds)

    def _withdraw(self, store: PresenceStore) -> None:
        with contextlib.suppress(StoreUnavailable):
            store.withdraw(self.identity.console_id)

    def _serve(self, store: PresenceStore) -> None:
        published: Presence | None = None
        beat_at = read_at = self._clock()
        must_read = True
        while not self._stopping.is_set():
            self._drain()
            with self._lock:
                wanted = self._wanted
            now = self._clock()
            if wanted != published:
                if wanted is None:
                    store.withdraw(self.identity.console_id)
                else:
                    store.publish(wanted)
                published, beat_at, must_read = wanted, now, True
            elif published is not None and now - beat_at >= self.heartbeat_s:
                store.heartbeat(published.console_id)
                beat_at = now
            if must_read or now - read_at >= self.heartbeat_s:
                self._show(PresenceView(True, self._rows_of_others(store.read()), "", True))
                read_at, self._backoff = now, RETRY_FIRST_S
            due = min(read_at, beat_at if published is not None else read_at) + self.heartbeat_s
            must_read = store.wait(max(0.0, due - self._clock()), self._wake_reader.fileno())


def watch_live(
    live: MonitoringState, url: str, display_name: str, on_update: Callable[[PresenceView], None]
) -> PresenceWatch:
    """A started presence thread that publishes whatever `live` says the supervisor is on, as it changes."""
    from queuetui.core.presence.opening import open_store

    watch = PresenceWatch(lambda: open_store(url), local_identity(display_name), on_update)

    def claim(current: Monitoring | None) -> None:
        if current is None:
            watch.claim(None)
        else:
            watch.claim(current.call_id, current.mode.value, current.mode_since.timestamp())

    live.observe(claim)
    claim(live.current)
    watch.start()
    return watch
