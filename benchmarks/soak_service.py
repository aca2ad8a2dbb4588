"""Soak test of the service: many monitoring actions, one after another, in one process, against the simulator,
with the audit trail on (flush and fsync per record). Reports the time taken and the resident memory at the
start, at every checkpoint and at the end, so a leak shows as growth between checkpoints.

    python benchmarks/soak_service.py                 # 20,000 actions, audit in a temporary directory
    python benchmarks/soak_service.py 5000 --audit-dir /dev/shm

`soak(n, on_outcome)` is the reusable part: a front end can pass `on_outcome` to put every outcome where a
user would see it (the console's log panel) and soak that too.
"""

from __future__ import annotations

import argparse
import itertools
import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from queuetui.api.client import ClientSettings, DeepCallClient
from queuetui.api.credentials import parse_credentials
from queuetui.api.models import BargeRequest, parse_request
from queuetui.api.modes import SnoopType
from queuetui.core.audit.log import AuditLog, read_audit
from queuetui.core.service import BargeService, Outcome, RateGuard, RetryPolicy
from queuetui.sim import DEMO_SSID, SimServer

# The simulator's calls that accept a supervisor at once, with their agents.
READY_CALLS = (("C-10023", "13"), ("C-10017", "7"), ("C-10031", "21"), ("C-10042", "4"))
# The simulator keeps every request it receives (for tests); clearing it this often keeps that log out of
# the memory figures, which are meant to show the service.
SIM_LOG_CLEAR_EVERY = 1_000


@dataclass
class SoakReport:
    actions: int
    seconds: float
    audit_path: Path
    outcomes: Counter[str] = field(default_factory=Counter)
    rss_kib: list[tuple[int, int | None]] = field(default_factory=list)  # (actions done, VmRSS)

    def lines(self) -> list[str]:
        per_action_ms = self.seconds / self.actions * 1000 if self.actions else 0.0
        audit = read_audit(self.audit_path)
        memory = ", ".join(f"{done:,}: {_mib(kib)}" for done, kib in self.rss_kib)
        return [
            f"soak: {self.actions:,} actions in {self.seconds:.1f} s "
            f"({self.actions / self.seconds:,.0f}/s, {per_action_ms:.2f} ms each)",
            "outcomes: " + ", ".join(f"{kind}={count:,}" for kind, count in sorted(self.outcomes.items())),
            f"RSS after actions done -> {memory}",
            f"audit: {self.audit_path} (fsync per record): {len(audit.records):,} records, "
            f"{len(audit.bad_lines)} bad lines, {self.audit_path.stat().st_size / 1e6:.1f} MB",
        ]


def _mib(kib: int | None) -> str:
    return "n/a" if kib is None else f"{kib / 1024:.1f} MiB"


def rss_kib() -> int | None:
    """Resident memory of this process (Linux /proc), or None where there is no /proc."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


def _requests() -> itertools.cycle[BargeRequest]:
    made = [
        parse_request(
            {
                "callId": call,
                "snoopType": mode.value,
                "targetEntityType": "agent",
                "targetEntityVal": agent,
                "snooperNumber": "9876543210",
            }
        )
        for call, agent in READY_CALLS
        for mode in SnoopType
    ]
    return itertools.cycle(made)


def soak(
    n: int,
    on_outcome: Callable[[int, Outcome], None] | None = None,
    *,
    audit_path: Path,
    checkpoint: int = 10_000,
) -> SoakReport:
    """Send `n` actions through one BargeService on an embedded simulator, auditing to `audit_path`;
    `on_outcome(i, outcome)` is called after each."""
    with SimServer() as sim:
        service = BargeService(
            DeepCallClient(ClientSettings(base_url=sim.url, read_timeout=5.0)),
            parse_credentials(ssid=DEMO_SSID),
            profile="soak",
            audit=AuditLog(audit_path),
            retry=RetryPolicy(max_attempts=3, base_delay_s=0.01, max_delay_s=0.05, budget_s=1.0),
            rate=RateGuard(max_actions=n + 1, window_s=60.0),
            rng=random.Random(0),
        )
        report = SoakReport(actions=n, seconds=0.0, audit_path=audit_path)
        report.rss_kib.append((0, rss_kib()))
        started = time.perf_counter()
        try:
            for index, request in zip(range(n), _requests(), strict=False):
                outcome = service.send(request)
                report.outcomes[outcome.kind.value] += 1
                if on_outcome is not None:
                    on_outcome(index, outcome)
                done = index + 1
                if done % SIM_LOG_CLEAR_EVERY == 0:
                    sim.reset()
                if done % checkpoint == 0 and done != n:
                    report.rss_kib.append((done, rss_kib()))
        finally:
            service.close()
        report.seconds = time.perf_counter() - started
        report.rss_kib.append((n, rss_kib()))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("actions", nargs="?", type=int, default=20_000)
    parser.add_argument("--audit-dir", type=Path, default=None, help="where the audit file goes (e.g. /dev/shm)")
    parser.add_argument("--checkpoint", type=int, default=10_000, help="report memory every this many actions")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="queuetui-soak-", dir=args.audit_dir) as scratch:
        report = soak(args.actions, audit_path=Path(scratch) / "audit.jsonl", checkpoint=args.checkpoint)
        print("\n".join(report.lines()))


if __name__ == "__main__":
    main()
