"""A scripted TCP server on loopback, for server faults a well-behaved HTTP server cannot be asked to make:
headers that never come, a body that drips, a reset mid-body, a flood, bytes that are not UTF-8.

Each accepted connection runs one behaviour (a function of a `Connection`) in its own thread. Everything a
connection reads is kept, so a test can prove what reached the server, or that nothing did.
"""

from __future__ import annotations

import array
import contextlib
import fcntl
import socket
import ssl
import struct
import termios
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

Behaviour = Callable[["Connection"], None]

SUCCESS_BODY = b"sucessfully BARGINGCall"


def http_response(
    status: int,
    body: bytes,
    *,
    content_type: str = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
    length: int | None = None,
) -> bytes:
    """The bytes of a response head plus body. `length` declares a Content-Length other than the body's;
    -1 declares none (the body then ends when the connection closes)."""
    declared = len(body) if length is None else length
    lines = [f"HTTP/1.1 {status} Scripted", f"Content-Type: {content_type}", "Connection: close"]
    if declared >= 0:
        lines.append(f"Content-Length: {declared}")
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@dataclass
class Connection:
    sock: socket.socket
    server: RawServer

    def read_request(self, timeout: float = 5.0) -> bytes:
        """Read one request (head and Content-Length body) and return it; it is also kept on the server."""
        self.sock.settimeout(timeout)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.sock.recv(65536)
            if not chunk:
                return self.server.keep(data)
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip() or b"0")
        while len(body) < length:
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            body += chunk
        return self.server.keep(head + b"\r\n\r\n" + body)

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def wait(self, seconds: float) -> bool:
        """Sleep, but wake at once when the server stops; True when it stopped."""
        return self.server.stopping.wait(seconds)

    def wait_acknowledged(self, timeout: float = 5.0) -> None:
        """Until the client's kernel has acknowledged every byte sent (this socket's send queue is empty)."""
        unacknowledged = array.array("i", [0])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            fcntl.ioctl(self.sock.fileno(), termios.TIOCOUTQ, unacknowledged)
            if unacknowledged[0] == 0 or self.wait(0.001):
                return

    def reset(self) -> None:
        """Close with an RST instead of a FIN, as a crashed peer or a middlebox would."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


@dataclass
class RawServer:
    behaviour: Behaviour
    host: str = "127.0.0.1"
    tls: ssl.SSLContext | None = None
    connections: int = 0
    received: bytearray = field(default_factory=bytearray)
    errors: list[BaseException] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _listener: socket.socket | None = None
    _threads: list[threading.Thread] = field(default_factory=list)
    _open: list[socket.socket] = field(default_factory=list)

    @property
    def port(self) -> int:
        assert self._listener is not None, "start the server first"
        return int(self._listener.getsockname()[1])

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}/api/v2"

    def keep(self, data: bytes) -> bytes:
        with self._lock:
            self.received.extend(data)
        return data

    def start(self) -> RawServer:
        self._listener = socket.create_server((self.host, 0))
        self._listener.settimeout(0.05)
        self._spawn(self._accept_loop)
        return self

    def stop(self) -> None:
        self.stopping.set()
        for thread in self._threads:
            thread.join(timeout=5)
        with self._lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.close()
        if self._listener is not None:
            self._listener.close()

    def __enter__(self) -> RawServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _spawn(self, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self.stopping.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._open.append(sock)
            self._spawn(lambda sock=sock: self._serve(sock))

    def _serve(self, sock: socket.socket) -> None:
        try:
            if self.tls is not None:
                sock.settimeout(5)
                sock = self.tls.wrap_socket(sock, server_side=True)
                with self._lock:
                    self._open.append(sock)
            self.behaviour(Connection(sock, self))
        except OSError as error:  # the client gave up or refused our certificate: expected in these tests
            with self._lock:
                self.errors.append(error)
        finally:
            with contextlib.suppress(OSError):
                sock.close()


# Behaviours. Each is a factory so a test reads as a sentence: RawServer(answer(200, b"...")).


def answer(
    status: int,
    body: bytes,
    *,
    content_type: str = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> Behaviour:
    def run(conn: Connection) -> None:
        conn.read_request()
        conn.send(http_response(status, body, content_type=content_type, headers=headers))

    return run


def silent(seconds: float) -> Behaviour:
    """Read the request, then say nothing at all."""

    def run(conn: Connection) -> None:
        conn.read_request()
        conn.wait(seconds)

    return run


def drip(length: int, interval: float) -> Behaviour:
    """Send the head at once, then the body one byte at a time: each read is quick, the whole is not."""

    def run(conn: Connection) -> None:
        conn.read_request()
        conn.send(http_response(200, b"", length=length))
        for _ in range(length):
            if conn.wait(interval):
                return
            conn.send(b"x")

    return run


def reset_mid_body(declared: int, sent: int) -> Behaviour:
    def run(conn: Connection) -> None:
        conn.read_request()
        conn.send(http_response(200, b"y" * sent, length=declared))
        conn.wait_acknowledged()  # the partial body is with the client first, so the reset lands mid-body
        conn.reset()

    return run


@dataclass
class Flood:
    """Answer 200 with `size` bytes, counting what the kernel accepted before the client hung up."""

    size: int
    declare_length: bool
    sent: int = 0
    finished: bool = False

    def __call__(self, conn: Connection) -> None:
        conn.read_request()
        # A small send buffer keeps what the kernel holds for us far below `size`, so `sent` shows
        # how much the client actually took.
        conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
        conn.send(http_response(200, b"", length=self.size if self.declare_length else -1))
        block = b"z" * 65536
        while self.sent < self.size:
            self.sent += conn.sock.send(block[: self.size - self.sent])
        self.finished = True


def record_only(conn: Connection) -> None:
    """Keep whatever arrives and answer nothing (a server that must never be reached)."""
    conn.sock.settimeout(1.0)
    with contextlib.suppress(OSError):
        while chunk := conn.sock.recv(65536):
            conn.server.keep(chunk)
