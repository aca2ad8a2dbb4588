"""The race harness (`tests/floorrace.py`) as a report: bursts of keys typed around the refreshes of a source that
reorders and churns on every one, in the installed console in tmux at 80x24, each compared with the call the pane
showed highlighted as the burst began. It prints the counts: mismatches, matches, refusals.

Run: python benchmarks/floor_races.py [--bursts N] [--seed N]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from floorrace import REFRESH_S, racing_console, run, write_source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bursts", type=int, default=300)
    parser.add_argument("--seed", type=int, default=29)
    args = parser.parse_args()
    command = str(Path(sys.executable).parent / "queuetui")
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        source, ticks = write_source(home)
        with racing_console(home, command, source) as (term, audit):
            tally = run(term, audit, ticks, args.bursts, random.Random(args.seed), REFRESH_S)
    print(
        f"bursts {tally.bursts} in {time.monotonic() - started:.0f} s: matched {tally.matched}, "
        f"refused as ended {tally.refused_ended}, mismatched {len(tally.mismatched)}, "
        f"undecided {len(tally.undecided)}"
    )
    for line in tally.mismatched:
        print("  mismatch:", line)


if __name__ == "__main__":
    main()
