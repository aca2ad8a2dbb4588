"""The live-call filter, per keystroke, on a floor of 5,000 calls. Target: median <= 16 ms (one frame at 60 Hz).

The calls are read from the simulator's own default-shape answer (5,000 scripted calls), so they carry the
ids, agents, names, customers and queues a real floor has. Each keystroke filters the whole floor with what
has been typed so far, as the console does; the phrases cover a call id, an agent name, a queue and an agent
id, customer digits, and a word that matches nothing. For scale, also the cost of reading one 5,000-call
answer into LiveCalls (what each refresh pays, on the poller's thread).

    python benchmarks/bench_floor_filter.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import statistics
import time

from queuetui.core.floor.calls import FieldMap, filter_calls, map_calls
from queuetui.core.floor.config import simulator_live_calls
from queuetui.sim import DEMO_SSID
from queuetui.sim.floor import Floor
from queuetui.sim.scenario import LiveCall as ScriptedCall
from queuetui.sim.scenario import Scenario

CALLS = 5_000
TARGET_MS = 16.0
PHRASES = ("C-12345", "asha", "billing 13", "1023", "zzz")
NAMES = ("Asha", "Ben", "Chen", "Dina", "Emil", "Farah", "Gita", "Hari")
QUEUES = ("billing", "support", "sales", "retention")


def floor_items() -> list[object]:
    scripted = {
        f"C-{10000 + n}": ScriptedCall(
            f"C-{10000 + n}", str(n % 400), QUEUES[n % 4], f"+9198{n:08d}", agent_name=NAMES[n % 8], running_s=n % 900
        )
        for n in range(CALLS)
    }
    # The floor's own traffic is left out: exactly 5,000 calls.
    scenario = Scenario(calls=scripted, floor=Floor(calls_per_hour=1e-9))
    listed = scenario.live_list({"ssid": DEMO_SSID})
    assert isinstance(listed, list)
    return listed[:CALLS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    items = floor_items()
    fields = FieldMap.from_config(simulator_live_calls().fields)
    mapping_ms = []
    for _ in range(max(5, args.rounds // 20)):
        started = time.perf_counter()
        mapped = map_calls(items, fields)
        mapping_ms.append((time.perf_counter() - started) * 1000)
    calls = mapped.calls
    assert len(calls) == CALLS

    per_key: list[float] = []
    worst_phrase = ("", 0.0)
    for phrase in PHRASES:
        for length in range(1, len(phrase) + 1):
            typed = phrase[:length]
            timings = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                filter_calls(calls, typed)
                timings.append((time.perf_counter() - started) * 1000)
            median = statistics.median(timings)
            per_key.append(median)
            if median > worst_phrase[1]:
                worst_phrase = (typed, median)
    overall = statistics.median(per_key)
    print(f"floor: {CALLS:,} calls; {len(per_key)} keystrokes over {', '.join(repr(p) for p in PHRASES)}")
    print(
        f"filter per keystroke: median {overall:.2f} ms, slowest keystroke {worst_phrase[1]:.2f} ms "
        f"({worst_phrase[0]!r}); target <= {TARGET_MS:g} ms: {overall / TARGET_MS:.2f}x of the budget"
    )
    mapping = statistics.median(mapping_ms)
    print(f"reading one {CALLS:,}-call answer into LiveCalls (each refresh): median {mapping:.1f} ms")


if __name__ == "__main__":
    main()
