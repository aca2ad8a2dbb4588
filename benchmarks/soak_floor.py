"""Memory over a simulated 8-hour shift on a busy floor: 12,500 calls an hour (100,000 in the shift) start,
ring, are answered and end, and the live list is refreshed every 3 s the whole time (9,600 refreshes).

Everything runs on its real path except time: the simulator serves `queue/list` over HTTP on loopback, a
DeepCallSource fetches it through the real client, the CallPoller tracks the floor (calls that end, ages) and
each snapshot is filtered as the console's table would. One injected clock drives the simulator's traffic and
the poller, so eight hours pass in a few minutes. Resident memory is reported at the start, after each hour
and at the end: flat means nothing grows with the number of calls seen.

    python benchmarks/soak_floor.py [--hours 8] [--calls-per-hour 12500] [--refresh 3]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

from soak_service import rss_kib

from queuetui.api.client import ClientSettings, DeepCallClient
from queuetui.api.credentials import parse_credentials
from queuetui.core.floor.calls import filter_calls
from queuetui.core.floor.config import simulator_live_calls
from queuetui.core.floor.poller import CallPoller, FloorSnapshot
from queuetui.core.floor.sources import DeepCallSource
from queuetui.sim import DEMO_SSID, SimServer
from queuetui.sim.floor import Floor
from queuetui.sim.scenario import Scenario


@dataclass
class ShiftClock:
    """The one clock of the shift: epoch seconds for the simulator and the poller's stamps, and (the same
    numbers) the poller's monotonic scale."""

    now: float

    def __call__(self) -> float:
        return self.now

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--hours", type=float, default=8.0)
    parser.add_argument("--calls-per-hour", type=float, default=12_500.0)
    parser.add_argument("--refresh", type=float, default=3.0, help="seconds between refreshes (simulated)")
    args = parser.parse_args()

    clock = ShiftClock(time.time())
    floor = Floor(seed=9, calls_per_hour=args.calls_per_hour, agents=1_000, clock=clock)
    shown: list[int] = []

    def paint(snapshot: FloorSnapshot) -> None:
        # What the console does with each refresh: filter the floor for the table.
        shown.append(len(filter_calls(snapshot.calls, "c-1")))

    with SimServer(scenario=Scenario(floor=floor)) as sim:
        client = DeepCallClient(ClientSettings(base_url=sim.url, read_timeout=30.0))
        source = DeepCallSource(client, parse_credentials(ssid=DEMO_SSID), simulator_live_calls())
        poller = CallPoller(source, args.refresh, paint, clock=clock)
        first = poller.poll_once()
        assert first.error is None, first.error
        calls_before = floor.started
        report = [(0.0, rss_kib(), len(first.calls))]
        steps_per_hour = round(3600 / args.refresh)
        steps = round(args.hours * steps_per_hour)
        largest = 0
        failures = 0
        started = time.perf_counter()
        for step in range(1, steps + 1):
            clock.now += args.refresh
            snapshot = poller.poll_once()
            failures += snapshot.error is not None
            largest = max(largest, len(snapshot.calls))
            if step % steps_per_hour == 0:
                report.append((step / steps_per_hour, rss_kib(), len(snapshot.calls)))
        seconds = time.perf_counter() - started
        client.close()
        calls_in_shift = floor.started - calls_before

    print(
        f"shift: {args.hours:g} h simulated in {seconds:.0f} s; {steps:,} refreshes "
        f"({seconds / steps * 1000:.1f} ms each); {calls_in_shift:,} calls started in the shift; "
        f"largest list {largest:,} calls (ended ones included); failed refreshes {failures}"
    )
    for hour, kib, listed in report:
        memory = "n/a" if kib is None else f"{kib / 1024:.1f} MiB"
        print(f"  after {hour:>4g} h: RSS {memory:>10}  ({listed:,} calls in the list)")


if __name__ == "__main__":
    main()
