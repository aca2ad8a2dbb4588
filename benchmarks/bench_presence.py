"""Presence benchmark: how long a console's claim takes to reach another console's view, on SQLite and on
PostgreSQL, and what 50 consoles on one store cost it and each console's UI thread.

    python benchmarks/bench_presence.py [--rounds 60] [--consoles 50] [--load-s 10]

(a) Round trip: console A claims a call (as its live state changes after a success); the time until console B's
    presence thread hands B a view with it (B's `on_update`, where a console posts to its UI thread). Median and
    p95 over the rounds, A alternating between two calls. PostgreSQL runs only where the tests' server can
    (initdb and pg_ctl installed, psycopg importable): a server started for the run on a temporary directory.
(b) 50 consoles on one store, each on a call with its own heartbeat: calls per second into the store
    (publishes, heartbeats, reads, and waits: a wait is one `data_version` check a quarter second on SQLite, none
    on PostgreSQL, where it waits on its socket for a NOTIFY), counted over `--load-s` seconds.
(c) UI-thread time per presence update, for a view of 50 rows: what the console does with one (the list's marks,
    the top line's words and the top line laid out at 80 columns).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from queuetui.core.presence.entry import Identity, PresenceView
from queuetui.core.presence.opening import open_store
from queuetui.core.presence.store import PresenceStore
from queuetui.core.presence.watch import PresenceWatch


def round_trips(url: str, rounds: int) -> list[float]:
    arrived = threading.Condition()
    latest: list[PresenceView] = []

    def seen(view: PresenceView) -> None:
        with arrived:
            latest.append(view)
            arrived.notify_all()

    a = PresenceWatch(lambda: open_store(url), Identity("a", "a", "", "host-a"))
    b = PresenceWatch(lambda: open_store(url), Identity("b", "b", "", "host-b"), seen)
    a.start()
    b.start()
    times = []
    try:
        for number in range(rounds):
            call = f"C-{number % 2}"
            started = time.perf_counter()
            a.claim(call, "spy", float(number))
            with arrived:
                if not arrived.wait_for(lambda c=call: bool(latest) and latest[-1].calls_with_others() == {c}, 10):
                    raise RuntimeError("B never saw A's claim")
            times.append(time.perf_counter() - started)
    finally:
        a.stop()
        b.stop()
    return times


class Counting:
    """A store that counts the statements it is asked for."""

    def __init__(self, store: PresenceStore, count: Callable[[], None]) -> None:
        self.store, self.count = store, count

    def __getattr__(self, name: str) -> object:
        method = getattr(self.store, name)

        def counted(*args: object) -> object:
            self.count()
            return method(*args)

        return counted


def load(url: str, consoles: int, seconds: float) -> float:
    lock = threading.Lock()
    counted = [0]

    def count() -> None:
        with lock:
            counted[0] += 1

    watches = [
        PresenceWatch(lambda: Counting(open_store(url), count), Identity(f"c{n}", f"sup{n}", "", "h"))  # type: ignore[arg-type,return-value]
        for n in range(consoles)
    ]
    for number, watch in enumerate(watches):
        watch.claim(f"C-{number}", "spy", 0.0)
        watch.start()
    time.sleep(3)  # every console connected and published
    with lock:
        counted[0] = 0
    time.sleep(seconds)
    with lock:
        per_second = counted[0] / seconds
    for watch in watches:
        watch.stop()
    return per_second


def ui_time(consoles: int, repeats: int = 500) -> tuple[float, float]:
    """Seconds per update with presence, and for the same top line without it (what the console lays out each
    second while on a call anyway)."""
    from queuetui.core.config.environment import Environment
    from queuetui.tui.widgets.status_header import HeaderFacts, top_line

    view = PresenceView(
        True, tuple(Identity(f"c{n}", f"sup{n}", "", "h").on(f"C-{n % 10}", "spy", 0.0) for n in range(consoles))
    )
    facts = HeaderFacts(Environment.PRODUCTION, "desk@host", "ssid ••••1a2b", "98•••210")
    started = time.perf_counter()
    for _ in range(repeats):
        top_line(facts, 80)
    without = (time.perf_counter() - started) / repeats
    started = time.perf_counter()
    for _ in range(repeats):
        view.calls_with_others()
        others = view.top_line_words("C-1", 120.0)
        top_line(HeaderFacts(Environment.PRODUCTION, "desk@host", "ssid ••••1a2b", "98•••210", others=others), 80)
    return (time.perf_counter() - started) / repeats, without


def report(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    print(f"{name}: median {statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms ({len(times)} rounds)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--consoles", type=int, default=50)
    parser.add_argument("--load-s", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-presence-") as folder:
        run(folder, args)


def run(folder: str, args: argparse.Namespace) -> None:
    report("round trip, SQLite", round_trips(f"sqlite://{folder}/rt.db", args.rounds))
    rate = load(f"sqlite://{folder}/load.db", args.consoles, args.load_s)
    print(f"{args.consoles} consoles on one SQLite file: {rate:.0f} store calls/s ({rate / args.consoles:.1f} each)")
    from pgserver import PgServer

    reason = PgServer.skip_reason()
    if reason is None:
        server = PgServer().init()
        try:
            report("round trip, PostgreSQL", round_trips(server.url(), args.rounds))
            rate = load(server.url(), args.consoles, args.load_s)
            print(f"{args.consoles} consoles on PostgreSQL: {rate:.0f} store calls/s ({rate / args.consoles:.1f} each)")
        finally:
            server.remove()
    else:
        print(f"PostgreSQL: not run ({reason})")
    with_presence, without = ui_time(args.consoles)
    print(
        f"UI thread per presence update, {args.consoles} rows (5 others on the call): {with_presence * 1e6:.0f} µs; "
        f"the same top line without presence: {without * 1e6:.0f} µs"
    )


if __name__ == "__main__":
    main()
