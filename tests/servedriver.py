"""Runs `queuetui serve` in a child process and watches what it starts: the address from its banner, the
consoles it runs (its child processes, read from /proc) and a stop with Ctrl+C (SIGINT). Shared by the serve
tests and the benchmark."""

from __future__ import annotations

import asyncio
import http.client
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import aiohttp

PROC = Path("/proc")
_BANNER_URL = re.compile(r"^  open (http://\S+)$", re.MULTILINE)


def have_proc() -> bool:
    return (PROC / "self" / "stat").exists()


def children_of(pid: int) -> set[int]:
    """Processes whose parent is `pid`, zombies included: a console counts as ended only once it is reaped."""
    found: set[int] = set()
    for stat in PROC.glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # it ended while we looked
        # The command name is in parentheses and may hold spaces: the fields after it are fixed.
        fields = text.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def environment_of(pid: int) -> dict[str, str]:
    raw = (PROC / str(pid) / "environ").read_bytes()
    pairs = (entry.split(b"=", 1) for entry in raw.split(b"\0") if b"=" in entry)
    return {name.decode(errors="replace"): value.decode(errors="replace") for name, value in pairs}


def wait_until(check: Callable[[], object], timeout: float, what: str, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


class ServeProcess:
    """`queuetui serve --port 0 ARGS`, its output in files (a pipe nobody reads would fill and stall it)."""

    def __init__(
        self,
        args: Sequence[str] = (),
        *,
        log_dir: Path,
        env: Mapping[str, str] | None = None,
        command: Sequence[str] = (sys.executable, "-m", "queuetui"),
    ) -> None:
        self.argv = [*command, "serve", "--port", "0", *args]
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.stdout_path = log_dir / "serve.out"
        self.stderr_path = log_dir / "serve.err"
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def port(self) -> int:
        return int(self.url.rstrip("/").rsplit(":", 1)[1])

    @property
    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def start(self, timeout: float = 20.0) -> ServeProcess:
        with self.stdout_path.open("wb") as out, self.stderr_path.open("wb") as err:
            self.process = subprocess.Popen(self.argv, stdout=out, stderr=err, env=self.env)
        wait_until(lambda: _BANNER_URL.search(self.stdout) or self.process.poll() is not None, timeout, "the banner")
        found = _BANNER_URL.search(self.stdout)
        if found is None:
            raise AssertionError(f"serve printed no address; stdout:\n{self.stdout}\nstderr:\n{self.stderr}")
        self.url = found.group(1)
        wait_until(lambda: self.get("/")[0] in (200, 503), timeout, "the page")
        return self

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> tuple[int, str]:
        """Straight to the server: never through a proxy the environment may name."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request("GET", path, headers=dict(headers or {}))
            response = connection.getresponse()
            return response.status, response.read().decode(errors="replace")
        except OSError:
            return 0, ""
        finally:
            connection.close()

    def consoles(self) -> set[int]:
        return children_of(self.pid)

    def stop(self, timeout: float = 20.0) -> int:
        """Ctrl+C, as a trainer stops it; a kill only if that fails (and then the caller's assertion fails)."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                return self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                for pid in self.consoles():
                    os.kill(pid, signal.SIGKILL)
                self.process.kill()
                self.process.wait()
                raise
        return self.process.returncode

    def __enter__(self) -> ServeProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Tab:
    """What textual.js does for a browser tab: a web socket that starts one console."""

    def __init__(self, served: ServeProcess, origin: str | None = None) -> None:
        self.url = f"ws://127.0.0.1:{served.port}/ws?width=80&height=24"
        self.headers = {"Origin": origin} if origin else {}

    async def __aenter__(self) -> aiohttp.ClientWebSocketResponse:
        self.session = aiohttp.ClientSession()
        self.socket = await self.session.ws_connect(self.url, headers=self.headers)
        return self.socket

    async def __aexit__(self, *exc: object) -> None:
        await self.socket.close()
        await self.session.close()


async def first_screen(socket: aiohttp.ClientWebSocketResponse) -> None:
    """Until the console has drawn something: it started and reads its input."""
    while True:
        message = await asyncio.wait_for(socket.receive(), 30)
        if message.type == aiohttp.WSMsgType.BINARY and len(message.data) > 100:
            return
        assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message


def tcp_sockets(pid: int) -> list[tuple[int, int, str]]:
    """The TCP sockets `pid` holds, from the kernel's tables: (local port, remote port, state in hex: 0A listens,
    01 is established)."""
    inodes = set()
    for fd in (PROC / str(pid) / "fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue  # closed while we looked
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    found = []
    for table in ("tcp", "tcp6"):
        path = PROC / str(pid) / "net" / table
        for line in path.read_text().splitlines()[1:] if path.exists() else []:
            fields = line.split()
            if fields[9] in inodes:
                local, remote, state = fields[1], fields[2], fields[3]
                found.append((int(local.rsplit(":", 1)[1], 16), int(remote.rsplit(":", 1)[1], 16), state))
    return found
