"""What tests share besides fixtures, in one module imported one way (`from helpers import valid_request`):
requests the simulator accepts, fast retries, a fixed clock, a toast recorder, a transport to a real server that
a test can hold back or break, the check that text is safe for a terminal, hostile input, and the installed
command with an isolated environment for the end-to-end tests. Fixtures are in conftest.py files; the UI
harness is tests/tui/conftest.py; running the CLI is tests/run_cli.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from queuetui.api.models import BargeRequest, parse_request
from queuetui.core.service import RetryPolicy

if TYPE_CHECKING:
    from textual.app import App

# A request the simulator accepts: spy on call C-10023, whose agent is 13.
VALID_FIELDS: dict[str, str] = {
    "callId": "C-10023",
    "snoopType": "spy",
    "targetEntityType": "agent",
    "targetEntityVal": "13",
    "snooperNumber": "9876543210",
}
SNOOPER = VALID_FIELDS["snooperNumber"]


def valid_request(**changes: str) -> BargeRequest:
    """`VALID_FIELDS` as a request; keyword arguments replace fields by their wire name (callId="C-1")."""
    return parse_request({**VALID_FIELDS, **changes})


# Fast retries for tests: the policy's shape is what is tested, not its wall-clock length.
FAST_RETRY = RetryPolicy(max_attempts=3, base_delay_s=0.01, max_delay_s=0.05, budget_s=1.0)

# The UI harness and the session tests hand the product this time wherever it asks for "now".
FIXED_NOW = datetime(2026, 1, 5, 10, 41, 2, tzinfo=timezone.utc)


def fixed_clock() -> datetime:
    return FIXED_NOW


@dataclass(frozen=True)
class Toast:
    severity: str
    message: str


@dataclass
class Toasts:
    """Every `notify` an app makes, in order; the real notify still runs so the toast is shown too."""

    shown: list[Toast] = field(default_factory=list)

    def attach(self, app: App[Any]) -> None:
        original = app.notify

        def record(message: str, **options: Any) -> None:
            self.shown.append(Toast(str(options.get("severity", "information")), message))
            original(message, **options)

        app.notify = record  # type: ignore[method-assign]

    def of(self, severity: str) -> list[str]:
        return [toast.message for toast in self.shown if toast.severity == severity]

    @property
    def text(self) -> str:
        return "\n".join(toast.message for toast in self.shown)


class Relay(httpx.BaseTransport):
    """The real network to a real server, with `before(request)` run first: a test holds a request back until
    it has looked, or raises where no server could (a bug below the client). Handed to the product through
    its transport seam, so nothing is patched."""

    def __init__(self, before: Callable[[httpx.Request], None]) -> None:
        self._before = before
        self._network = httpx.HTTPTransport()
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        self._before(request)
        return self._network.handle_request(request)

    def close(self) -> None:
        self._network.close()


def unsafe_chars(text: str) -> list[str]:
    """Characters a terminal could act on (ESC, BEL, C1 controls, bidi overrides...), newlines aside."""
    return [ch for ch in text if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf", "Cs")]


LONG = "7" * 10_240  # 10 kB: digits only, so only its length is wrong

# Bad for every text field of the form (call id, target type, target, snooper number).
HOSTILE_TEXT: dict[str, object] = {
    "empty": "",
    "whitespace": " \t ",
    "10kB": LONG,
    "nul": "C-1\x00",
    "ansi-csi": "C-1\x1b[31m",
    "ansi-osc-title": "\x1b]0;pwned\x07",
    "bell": "13\x07",
    "c1-csi": "13\x9b2J",
    "bidi-override": "13\u202e",
    "zero-width": "1\u200b3",
    "newline": "C-1\nC-2",
    "shell-subst": "$(reboot)",
    "shell-chain": "C-1;rm -rf ~",
    "shell-pipe": "13|cat",
    "backticks": "`id`",
    "sql-quote": "1' OR '1'='1",
    "sql-drop": "1; DROP TABLE calls;--",
    "arabic-indic-digits": "\u0661\u0663",
    "fullwidth-digits": "\uff11\uff13",
    "int": 13,
    "float": 13.0,
    "list": ["13"],
    "dict": {"value": "13"},
    "none": None,
    "bool": True,
    "bytes": b"13",
}


def installed_command() -> str:
    """The console script next to this interpreter: the command a user runs after `pip install`."""
    candidate = Path(sys.executable).parent / "queuetui"
    found = str(candidate) if candidate.exists() else shutil.which("queuetui")
    if not found:
        pytest.fail("the queuetui command is not installed in this environment")
    return found


def run_env(home: Path) -> dict[str, str]:
    """The environment of a command started in a terminal: only the isolated home and a UTF-8 locale."""
    return {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "LANG": "C.UTF-8",
    }


def desk_on_a_command_source(
    write_config: Callable[[str], Path], home: Path, base_url: str, program: Path, *args: str
) -> dict[str, str]:
    """A profile `desk` on the simulator at `base_url`, its live list from the Python `program` refreshed each
    second; the environment that signs it in from a terminal with the demo's session id."""
    from queuetui.sim import DEMO_SSID

    command = json.dumps([sys.executable, str(program), *args])
    write_config(
        f'[profiles.desk]\nbase_url = "{base_url}"\nsnooper_number = "9876543210"\n'
        f'[profiles.desk.live_calls]\nsource = "command"\ncommand = {command}\nrefresh_s = 1\n'
    )
    return {**run_env(home), "QUEUETUI_SSID": DEMO_SSID}


def threads_of(pid: int) -> int:
    """How many threads process `pid` runs (Linux)."""
    return len(os.listdir(f"/proc/{pid}/task"))


def eventually(condition: Callable[[], bool], timeout: float = 10.0, interval: float = 0.01) -> bool:
    """Whether `condition` comes to hold within `timeout` seconds: a test waits for the thing it is about (a
    process gone, a byte received), never for a time it usually takes. The caller asserts on the answer."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)
    return True


# A live-list program that never answers: it starts a child that stays in its process group and one that leaves
# it (`setsid`), then waits for a signal. Every process of it carries the marker given as its first argument, for
# `ps`.
HANGING_FEED = textwrap.dedent(
    """
    import signal, subprocess, sys
    marker = sys.argv[1]
    subprocess.Popen([sys.executable, "-c", "import signal; signal.pause()", marker])
    subprocess.Popen([sys.executable, "-c", "import os, signal; os.setsid(); signal.pause()", marker, "setsid"])
    print("[", flush=True)
    signal.pause()
    """
)

# For a script a test runs in a child Python around a running app: `await until(pilot, condition)` lets the app run
# until `condition()` holds, and ends the script with an error after `timeout` seconds.
PILOT_UNTIL = """
import asyncio

async def until(pilot, condition, timeout=40.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise SystemExit("the app did not reach the expected state in time")
        await pilot.pause(0.02)
"""


class DrippingStream(httpx.SyncByteStream):
    """A body of `chunks` pieces of `size` bytes, each `pause_s` after the last: a server told to answer slowly."""

    def __init__(self, chunks: int, size: int, pause_s: float = 0.0) -> None:
        self.chunks, self.size, self.pause_s = chunks, size, pause_s

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self.chunks):
            time.sleep(self.pause_s)
            yield b"x" * self.size


def processes_marked(marker: str) -> list[str]:
    """What `ps` lists with `marker` in its command line (pid and command), zombies left out."""
    listed = subprocess.run(["ps", "-ww", "-eo", "pid=,stat=,args="], capture_output=True, text=True, check=True).stdout
    return [line.strip() for line in listed.splitlines() if marker in line and line.split()[1][:1] != "Z"]


def wait_for_processes(marker: str, predicate: Callable[[list[str]], bool], timeout: float = 15.0) -> list[str]:
    """Poll `ps` until the processes marked with `marker` satisfy `predicate`; fail with what is left after
    `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        found = processes_marked(marker)
        if predicate(found):
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"processes marked {marker!r} after {timeout} s: {found}")
        time.sleep(0.05)


def outcome_records(path: Path) -> list[dict[str, object]]:
    """The trail file's outcome records (refusals included), oldest first: one per action, without the attempt
    records written before each request left."""
    from queuetui.core.audit.log import read_audit

    return [record for record in read_audit(path).records if record.get("event") != "attempt"]


def attempt_records(path: Path) -> list[dict[str, object]]:
    """The attempt records: one per request that was about to leave."""
    from queuetui.core.audit.log import read_audit

    return [record for record in read_audit(path).records if record.get("event") == "attempt"]
