"""The one interface both stores offer. Every call may block (disk, network): only the
presence thread and one-shot commands call them, never a UI thread."""

from __future__ import annotations

from typing import Protocol

from queuetui.core.presence.entry import Presence

HEARTBEAT_S = 1.5
# A row not heard from for this long is gone: a console killed, or its host cut off, drops off every screen.
EXPIRY_S = 5.0


class StoreUnavailable(Exception):
    """The store cannot be reached or used now; the message says why, without secrets."""


class PresenceStore(Protocol):
    def publish(self, entry: Presence) -> None:
        """Write (or replace) this console's row, heard from now, and tell the other consoles."""

    def heartbeat(self, console_id: str) -> None:
        """Say this console's row is still true."""

    def withdraw(self, console_id: str) -> None:
        """Remove this console's row and tell the other consoles."""

    def read(self) -> list[Presence]:
        """Every row heard from within the expiry, oldest claim first."""

    def wait(self, timeout_s: float, wake_fd: int) -> bool:
        """Wait up to `timeout_s` for another console's change; True when one may have come. Returns early
        (False) when `wake_fd` becomes readable."""

    def close(self) -> None: ...
