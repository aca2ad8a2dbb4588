"""Foundation benchmark: what the service layer costs on top of a bare HTTP post, and what one `queuetui barge`
costs against a short script that posts the same request.

    python benchmarks/bench_foundation.py [--rounds 300] [--starts 15] [--venv PATH]

(a) Round trips to the simulator (running in its own process, so it does not share our interpreter lock):
    a raw `httpx.Client.post` of the same JSON body against `BargeService.send`, without and with the audit
    trail (whose fsync per record is the point of it, and costs what the disk makes it cost).
    Target: service without audit <= 1.10 x raw.
(b) One-shot: the installed `queuetui barge` sending one spy to the simulator, start to exit, against a
    10-line httpx script posting the same body; wall time and peak RSS of each process. The barge does all it
    does for a supervisor: reads the config, writes its audit records ahead (two fsyncs), checks the answer.
    Targets: time <= 1.3 x, peak RSS <= 1.2 x. When the time is missed, the slowest imports are listed.
    `--venv` runs both with a venv made by the README's first command, the install users get: an editable
    install imports through a hook, and the development extras make httpx load its own command line.

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
from queuetui.core.audit.log import AuditLog
from queuetui.core.service import BargeService, RateGuard
from queuetui.sim import DEMO_SSID
from queuetui.sim.scenario import SUCCESS_TEXT

ROUND_TRIP_TARGET = 1.10
ONE_SHOT_TARGET = 1.3
ONE_SHOT_RSS_TARGET = 1.2
# What a supervisor without queuetui would write: post the body, fail loudly, print the answer.
RAW_SCRIPT = """
import os, sys
import httpx

url = sys.argv[1] + "/queue/bargingCall"
body = {"ssid": os.environ["QUEUETUI_SSID"], "callId": "C-10023", "snoopType": "spy",
        "targetEntityType": "agent", "targetEntityVal": "13", "snooperNumber": "9876543210"}
response = httpx.post(url, json=body, timeout=15)
response.raise_for_status()
print(response.text)
"""
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


def installed(venv: Path | None) -> tuple[str, list[str]]:
    """The interpreter and the `queuetui` command of `venv`, else of this interpreter's environment."""
    python = str(venv / "bin" / "python") if venv else sys.executable
    command = Path(python).parent / "queuetui"
    return python, [str(command)] if command.exists() else [python, "-m", "queuetui"]


def peak_rss_mib(command: list[str], env: dict[str, str]) -> float:
    """Runs `command` to its end, checking it succeeded; its own peak resident set, in MiB."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.stdout is not None and process.stderr is not None
    said = process.stdout.read() + process.stderr.read()
    process.communicate()
    if process.returncode != 0 or SUCCESS_TEXT.encode() not in said:
        raise SystemExit(f"{command[:3]} exited {process.returncode}: {said[-300:]!r}")
    return usage.ru_maxrss / 1024  # KiB on Linux


def one_shot_commands(base_url: str, home: Path, venv: Path | None) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The two one-shot contenders' command lines, and the environment both run in."""
    python, queuetui = installed(venv)
    commands = {
        "raw httpx script": [python, "-c", RAW_SCRIPT, base_url],
        "queuetui barge": [
            *[*queuetui, "barge", "--call-id", "C-10023", "--mode", "spy", "--target", "13"],
            *["--snooper", "9876543210", "--base-url", base_url],
        ],
    }
    env = {
        **clean_env(),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"),
        "QUEUETUI_SSID": DEMO_SSID,
    }
    return commands, env


def one_shots(commands: dict[str, list[str]], env: dict[str, str], starts: int) -> tuple[dict, dict]:
    """(wall times, peak RSS in MiB) by contender, run interleaved."""
    rss: dict[str, list[float]] = {name: [] for name in commands}

    def run(name: str) -> Callable[[], None]:
        def start() -> None:
            rss[name].append(peak_rss_mib(commands[name], env))

        return start

    # The warm-up's first barge remembers the snooper number: the timed ones find it in the config.
    times = interleaved({name: run(name) for name in commands}, starts, warmup=2)
    return times, {name: samples[2:] for name, samples in rss.items()}


def slowest_imports(command: list[str], env: dict[str, str], limit: int = 12) -> list[tuple[float, float, str]]:
    """(cumulative ms, self ms, module) for `command` run by Python with `-X importtime`."""
    done = subprocess.run(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**env, "PYTHONPROFILEIMPORTTIME": "1"},
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


def rss_table(rss: dict[str, list[float]], target: float) -> None:
    base, checked = (statistics.median(samples) for samples in rss.values())
    print(f"  peak RSS, median: {' vs '.join(f'{statistics.median(s):.1f}' for s in rss.values())} MiB", end="")
    ratio = checked / base
    print(f" = {ratio:.2f}  target <= {target:.2f}: {'met' if ratio <= target else 'MISSED'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=300, help="round trips per contender (default 300)")
    parser.add_argument("--starts", type=int, default=15, help="one-shot runs per contender (default 15)")
    parser.add_argument("--venv", type=Path, help="run the one-shots with this venv's queuetui and Python")
    args = parser.parse_args()

    print(f"Python {sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} CPUs")
    simulator, base_url = start_simulator()
    try:
        with tempfile.TemporaryDirectory() as audit_dir:
            trips = round_trips(base_url, args.rounds, Path(audit_dir))
        with tempfile.TemporaryDirectory() as home:
            commands, env = one_shot_commands(base_url, Path(home), args.venv)
            times, rss = one_shots(commands, env, args.starts)
            table(f"(a) Round trips to the simulator, N={args.rounds} each", trips, ROUND_TRIP_TARGET)
            ratio = table(f"(b) One-shot, start to exit, N={args.starts} each", times, ONE_SHOT_TARGET)
            rss_table(rss, ONE_SHOT_RSS_TARGET)
            if ratio > ONE_SHOT_TARGET:
                print("\n  Slowest imports of `queuetui barge` (cumulative ms, self ms; -X importtime inflates both):")
                for cumulative, own, name in slowest_imports(commands["queuetui barge"], env):
                    print(f"  {cumulative:>8.1f} {own:>7.1f}  {name}")
    finally:
        simulator.terminate()
        simulator.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
