"""Runs a program on a pseudo-terminal and keeps every byte it writes, with the moment it arrived: what a
terminal at the far end of an SSH link would receive. Shared by the wire tests and `benchmarks/bench_wire.py`."""

from __future__ import annotations

import fcntl
import os
import re
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Mapping

# Escape sequences (CSI, OSC, DCS and two-byte ones) carry no text: markers are looked for in what is left.
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1bP.*?\x1b\\|\x1b[@-Z\\-_]", re.S)


class PtyProgram:
    def __init__(
        self,
        command: list[str],
        *,
        env: Mapping[str, str] | None = None,
        width: int = 80,
        height: int = 24,
        term: str = "xterm",
    ) -> None:
        self.command = command
        self.env = {**os.environ, "TERM": term, **(env or {})}
        self.env.pop("COLORTERM", None)  # over SSH it is rarely forwarded
        self.width = width
        self.height = height
        self.chunks: list[tuple[float, bytes]] = []
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._master = -1
        self._reader: threading.Thread | None = None

    def __enter__(self) -> PtyProgram:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.height, self.width, 0, 0))
        self._process = subprocess.Popen(
            self.command, stdin=slave, stdout=slave, stderr=slave, env=self.env, start_new_session=True
        )
        os.close(slave)
        self._master = master
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def __exit__(self, *exc: object) -> None:
        process = self._process
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        if self._reader is not None:
            self._reader.join(timeout=5)
        os.close(self._master)

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self._master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.chunks.append((time.monotonic(), data))

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def returncode(self) -> int | None:
        """The program's exit code, or None while it runs."""
        assert self._process is not None
        return self._process.poll()

    def send(self, data: bytes) -> float:
        """Types `data` in one write (one burst, as a slow link delivers it); returns the moment it was sent."""
        sent = time.monotonic()
        os.write(self._master, data)
        return sent

    def received(self, since: float = 0.0, until: float = float("inf")) -> bytes:
        with self._lock:
            return b"".join(data for at, data in self.chunks if since <= at < until)

    def written_in(self, start: float, seconds: float) -> bytes:
        """What the program wrote in the window of `seconds` from `start` (a `time.monotonic()`), once it is over:
        the window is what is measured, so nothing in it is awaited but the clock."""
        time.sleep(max(0.0, start + seconds - time.monotonic()))
        return self.received(since=start, until=start + seconds)

    def text(self, since: float = 0.0) -> str:
        return _ESCAPES.sub(b"", self.received(since)).decode("utf-8", "replace")

    def wait_for(self, marker: str, *, since: float = 0.0, timeout: float = 30.0) -> float:
        """Waits until `marker` has been written after `since`; returns the moment of the chunk that completed it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                chunks = [(at, data) for at, data in self.chunks if at >= since]
            seen = b""
            for at, data in chunks:
                seen += data
                if marker in _ESCAPES.sub(b"", seen).decode("utf-8", "replace"):
                    return at
            time.sleep(0.01)
        raise TimeoutError(f"{marker!r} not written within {timeout} s; last text: {self.text(since)[-400:]!r}")

    def wait_written(self, since: float, *, timeout: float = 30.0) -> float:
        """Waits until anything at all has been written after `since`; returns when it arrived."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self.chunks and self.chunks[-1][0] >= since:
                    return next(at for at, _ in self.chunks if at >= since)
            time.sleep(0.002)
        raise TimeoutError(f"nothing written within {timeout} s")

    def wait_quiet(self, quiet_s: float, *, timeout: float = 30.0) -> float:
        """Waits until nothing has been written for `quiet_s`; returns that moment."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                last = self.chunks[-1][0] if self.chunks else 0.0
            now = time.monotonic()
            if now - last >= quiet_s:
                return now
            time.sleep(min(quiet_s / 4, 0.05))
        raise TimeoutError(f"still writing after {timeout} s")
