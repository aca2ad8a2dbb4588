"""The simulator this process runs for its demo, and the walls around it.

DEMO on screen means "requests go to the simulator embedded in this process", so the badge is decided by where a
session's requests go, never by what a profile calls itself. A console served to a browser is locked to that
simulator: once locked, no session opens to any other base URL and no live-call program starts, whatever path
asks (sign-in form, palette, config), and the process itself refuses every other connection.
"""

from __future__ import annotations

import sys
import threading
import weakref
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from queuetui.sim import SimServer


class _Process:
    """What this process knows of its simulators: one instance, for the process's whole life."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.simulators: weakref.WeakSet[SimServer] = weakref.WeakSet()
        self.locked_to: SimServer | None = None


_process = _Process()


def adopt(sim: SimServer) -> None:
    """`sim` is this process's demo simulator: sessions to its base URL are the demo while it runs."""
    with _process.lock:
        _process.simulators.add(sim)


def _same_place(first: str, second: str) -> bool:
    a, b = urlsplit(first.strip()), urlsplit(second.strip())
    try:
        return (a.scheme.lower(), a.hostname, a.port, a.path.rstrip("/")) == (
            b.scheme.lower(),
            b.hostname,
            b.port,
            b.path.rstrip("/"),
        )
    except ValueError:  # a port that is not a number
        return False


def is_embedded(base_url: str) -> bool:
    """True when `base_url` is a running demo simulator of this process, and only then."""
    with _process.lock:
        running = [sim for sim in _process.simulators if sim.running]
    return any(_same_place(base_url, sim.url) for sim in running)


def lock_to(sim: SimServer) -> None:
    """From now on this process talks to `sim` alone. There is no unlocking: a served console ends locked."""
    adopt(sim)
    with _process.lock:
        if _process.locked_to not in (None, sim):
            raise RuntimeError("this console is already locked to another simulator")
        _process.locked_to = sim


def is_locked() -> bool:
    return _process.locked_to is not None


def refusal(base_url: str) -> str:
    """Why a session to `base_url` must not open here ("" when it may)."""
    sim = _process.locked_to
    if sim is None or _same_place(base_url, sim.url):
        return ""
    return "this console is the training room's demo: it signs in to its own simulator only"


# ----- the process's own wall -------------------------------------------------------------------------

_RUNS_PROGRAMS = frozenset({"subprocess.Popen", "os.system", "os.posix_spawn", "os.exec", "os.spawn", "os.fork"})


def _allowed_address(address: object) -> bool:
    sim = _process.locked_to
    if sim is None or not isinstance(address, tuple) or len(address) < 2:
        return False
    return (str(address[0]), address[1]) == (sim.host, sim.port)


def _guard(event: str, args: tuple[object, ...]) -> None:
    if event == "socket.connect":
        if not _allowed_address(args[1]):
            raise PermissionError(f"a locked demo console connects to its own simulator only, not {args[1]!r}")
    elif event == "socket.getaddrinfo":
        sim = _process.locked_to
        if sim is None or str(args[0]) != sim.host:
            raise PermissionError(f"a locked demo console looks up no names ({args[0]!r})")
    elif event in _RUNS_PROGRAMS:
        raise PermissionError("a locked demo console runs no other program")


def wall_the_process() -> None:
    """Refuse, for the rest of this process's life, every outgoing connection but the locked simulator's, every
    name lookup and every program started. The session's own checks say why in words; this holds even for a path
    they do not know of. Before `lock_to`, nothing may connect at all. Irreversible: for a console's process only,
    never a test runner's."""
    sys.addaudithook(_guard)
