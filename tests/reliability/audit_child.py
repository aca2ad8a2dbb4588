"""Child processes for the durability tests: `python audit_child.py stream|write ...`.

stream: monitor calls D-000000, D-000001, ... one after another through a BargeService with an audit file,
        printing each call id once its action has returned (so, once its record is written).
write:  append numbered records straight to an audit file, rotating past --max-bytes when given. It says
        "ready" and waits for a line on its input, so that writers started by `start_writers` overlap.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from queuetui.api.client import ClientSettings, DeepCallClient
from queuetui.api.credentials import parse_credentials
from queuetui.api.models import parse_request
from queuetui.core.audit.log import AuditLog
from queuetui.core.service import BargeService, RateGuard
from queuetui.sim import DEMO_SSID


def call_id(number: int) -> str:
    return f"D-{number:06d}"


def stream(base_url: str, audit: Path, count: int) -> None:
    service = BargeService(
        DeepCallClient(ClientSettings(base_url=base_url, read_timeout=5.0)),
        parse_credentials(ssid=DEMO_SSID),
        profile="durability",
        audit=AuditLog(audit),
        rate=RateGuard(max_actions=1_000_000, window_s=60.0),
    )
    for number in range(count):
        fields = {
            "callId": call_id(number),
            "snoopType": "spy",
            "targetEntityType": "agent",
            "targetEntityVal": "13",
            "snooperNumber": "9876543210",
        }
        outcome = service.send(parse_request(fields))
        print(call_id(number), outcome.kind.value, flush=True)


def write(audit: Path, writer: str, count: int, pad: int, max_bytes: int) -> None:
    log = AuditLog(audit, max_bytes=max_bytes)
    print("ready", flush=True)
    sys.stdin.readline()
    for sequence in range(count):
        # Records larger than a page, so that an append which was not one locked write could tear.
        log.append({"writer": writer, "seq": sequence, "pad": writer * pad})


def start_writers(audit: Path, count: int, *options: str) -> list[subprocess.Popen[str]]:
    """Writers A and B, each appending `count` records to `audit`, let go together once both have started
    (a busy machine may take seconds to start one). The caller waits for them."""
    command = [sys.executable, __file__, "write", str(audit)]
    children = [
        subprocess.Popen(
            [*command, name, str(count), *options],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in "AB"
    ]
    for child in children:
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    return children


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    streaming = commands.add_parser("stream")
    streaming.add_argument("base_url")
    streaming.add_argument("audit", type=Path)
    streaming.add_argument("count", type=int)
    writing = commands.add_parser("write")
    writing.add_argument("audit", type=Path)
    writing.add_argument("writer")
    writing.add_argument("count", type=int)
    writing.add_argument("--pad", type=int, default=6000)
    writing.add_argument("--max-bytes", type=int, default=0, help="rotate past this size (0: never)")
    args = parser.parse_args()
    if args.command == "stream":
        stream(args.base_url, args.audit, args.count)
    else:
        write(args.audit, args.writer, args.count, args.pad, args.max_bytes)


if __name__ == "__main__":
    main()
