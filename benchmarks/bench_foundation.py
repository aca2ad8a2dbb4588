"""Foundation benchmark: what the service layer costs on top of a bare HTTP post, and how fast the headless
command starts.

    python benchmarks/bench_foundation.py [--rounds 300] [--starts 15]

(a) Round trips to the simulator (running in its own process, so it does not share our interpreter lock):
    a raw `httpx.Client.post` of the same JSON body against `BargeService.send`, without and with the audit
    trail (whose fsync per record is the point of it, and costs what the disk makes it cost).
    Target: service without audit <= 1.10 x raw.
(b) Cold start: the installed `queuetui barge --help` against `python -c "import httpx, pydantic"`, the two
    libraries a barge cannot do without. Target <= 1.2 x. When it is missed, the slowest imports are listed.
    For scale, also a barge refused for its input: it loads everything a real barge loads, sends nothing.

Contenders run interleaved, in rotating order, so drift in the machine's load falls on all of them alike.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from queuetui.api.client import ClientSettings, DeepCallClient
from queuetui.api.credentials import parse_credentials
from queuetui.api.models import parse_request
from queuetui.core.audit import AuditLog
from queuetui.core.service import BargeService, RateGuard
from queuetui.sim import DEMO_SSID
from queuetui.sim.scenario import SUCCESS_TEXT

ROUND_TRIP_TARGET = 1.10
COLD_START_TARGET = 1.2
FIELDS = {
    "callId": "C-10023",
    "snoopType": "spy",
    "targetEntityType": "agent",
    "targetEntityVal": "13",
    "snooperNumber": "9876543210",
}


def clean_env() -> dict[str, str]:
    """No proxy may sit between us and the loopback simulator."""
    return {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}


def start_simulator() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "queuetui", "sim", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**clean_env(), "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    banner = process.stdout.readline()
    if " at " not in banner:
        process.kill()
        raise SystemExit(f"the simulator did not start: {banner!r}")
    return process, banner.split(" at ", 1)[1].strip()


def interleaved(contenders: dict[str, Callable[[], None]], rounds: int, warmup: int) -> dict[str, list[float]]:
    names = list(contenders)
    for _ in range(warmup):
        for name in names:
            contenders[name]()
    timings: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(rounds):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            started = time.perf_counter()
            contenders[name]()
            timings[name].append(time.perf_counter() - started)
    return timings


def round_trips(base_url: str, rounds: int, audit_dir: Path) -> dict[str, list[float]]:
    request = parse_request(FIELDS)
    credentials = parse_credentials(ssid=DEMO_SSID)
    body = json.dumps(request.wire_body(credentials), separators=(",", ":")).encode()
    endpoint = f"{base_url}/queue/bargingCall"
    unlimited = RateGuard(max_actions=10**9)

    def service(audit: AuditLog | None) -> BargeService:
        return BargeService(DeepCallClient(ClientSettings(base_url=base_url)), credentials, audit=audit, rate=unlimited)

    raw = httpx.Client()
    plain = service(None)
    audited = service(AuditLog(audit_dir / "audit.jsonl"))

    def post_raw() -> None:
        response = raw.post(endpoint, content=body, headers={"Content-Type": "application/json"})
        if response.content != SUCCESS_TEXT.encode():
            raise SystemExit(f"raw post failed: {response.status_code} {response.content[:80]!r}")

    def send_with(svc: BargeService) -> Callable[[], None]:
        def send() -> None:
            outcome = svc.send(request)
            if not outcome.ok:
                raise SystemExit(f"service call failed: {outcome.message}")

        return send

    try:
        return interleaved(
            {
                "raw httpx.Client.post": post_raw,
                "BargeService.send, audit=None": send_with(plain),
                "BargeService.send, audit (fsync)": send_with(audited),
            },
            rounds,
            warmup=min(30, rounds),
        )
    finally:
        raw.close()
        plain.close()
        audited.close()


def console_script() -> list[str]:
    installed = Path(sys.executable).parent / "queuetui"
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "queuetui"]


def cold_starts(starts: int, config_home: Path) -> dict[str, list[float]]:
    invalid = ["--call-id", "C-1;x", "--mode", "spy", "--target", "13", "--snooper", "9876543210"]
    commands = {
        'python -c "import httpx, pydantic"': ([sys.executable, "-c", "import httpx, pydantic"], 0),
        "queuetui barge --help": ([*console_script(), "barge", "--help"], 0),
        # Refused input stops before the network but after every import a real barge needs.
        "queuetui barge <invalid call id>": ([*console_script(), "barge", *invalid], 2),
    }
    env = {**clean_env(), "XDG_CONFIG_HOME": str(config_home), "XDG_STATE_HOME": str(config_home)}

    def run(command: list[str], expected: int) -> Callable[[], None]:
        def start() -> None:
            done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            if done.returncode != expected:
                raise SystemExit(f"{command} exited {done.returncode}, expected {expected}")

        return start

    return interleaved({name: run(*spec) for name, spec in commands.items()}, starts, warmup=2)


def slowest_imports(limit: int = 12) -> list[tuple[float, float, str]]:
    """(cumulative ms, self ms, module) for `queuetui barge --help`, from `python -X importtime`."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "queuetui", "barge", "--help"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
        check=True,
    )
    rows: list[tuple[float, float, str]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|")
        depth = (len(name) - len(name.lstrip())) // 2
        rows.append((int(cumulative) / 1000, int(own) / 1000, "  " * depth + name.strip()))
    return sorted(rows, reverse=True)[:limit]


def table(title: str, timings: dict[str, list[float]], target: float) -> float:
    """Prints medians against the first row; returns the second row's ratio, the one with a target (later rows
    are for scale only)."""
    print(f"\n{title}")
    print(f"  {'contender':<36} {'median':>10} {'p90':>10} {'ratio':>7}")
    base = statistics.median(next(iter(timings.values())))
    checked = 0.0
    for index, (name, samples) in enumerate(timings.items()):
        median = statistics.median(samples)
        p90 = statistics.quantiles(samples, n=10)[-1]
        ratio = median / base
        note = ""
        if index == 1:
            checked = ratio
            note = f"  target <= {target:.2f}: {'met' if ratio <= target else 'MISSED'}"
        print(f"  {name:<36} {median * 1000:>8.3f}ms {p90 * 1000:>8.3f}ms {ratio:>7.2f}{note}")
    return checked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=300, help="round trips per contender (default 300)")
    parser.add_argument("--starts", type=int, default=15, help="cold starts per command (default 15)")
    args = parser.parse_args()

    print(f"Python {sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} CPUs")
    simulator, base_url = start_simulator()
    try:
        with tempfile.TemporaryDirectory() as audit_dir:
            trips = round_trips(base_url, args.rounds, Path(audit_dir))
    finally:
        simulator.terminate()
        simulator.wait(timeout=10)
    table(f"(a) Round trips to the simulator, N={args.rounds} each", trips, ROUND_TRIP_TARGET)

    with tempfile.TemporaryDirectory() as config_home:
        starts = cold_starts(args.starts, Path(config_home))
    ratio = table(f"(b) Cold start, N={args.starts} each", starts, COLD_START_TARGET)
    if ratio > COLD_START_TARGET:
        print("\n  Slowest imports of `queuetui barge --help` (cumulative ms, self ms; -X importtime inflates both):")
        for cumulative, own, name in slowest_imports():
            print(f"  {cumulative:>8.1f} {own:>7.1f}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
