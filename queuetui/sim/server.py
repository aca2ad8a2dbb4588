"""The simulator's HTTP server (standard library only), with fault switches for tests and demos.

Wire behaviour from the seed: `POST .../api/v2/queue/bargingCall`; success is HTTP 200,
`text/html; charset=utf-8`, the 23-byte body `sucessfully BARGINGCall`, permissive CORS headers and an ETag;
the body is parsed as JSON whatever the Content-Type says, and its examples send `Content-Length:` empty.
Assumed: errors come as JSON with HTTP 200 (a fault switch sends them with a 4xx/5xx status instead), and
`POST .../api/v2/queue/list` answers `{"status": "success", "data": [...]}` (its real shape is not published).
"""

from __future__ import annotations

import json
import random
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from queuetui.sim.scenario import SUCCESS_TEXT, Scenario, Verdict

ENDPOINT = "/api/v2/queue/bargingCall"
LIST_ENDPOINT = "/api/v2/queue/list"
STATS_ENDPOINT = "/api/v2/liveQueue/count"
AGENTS_ENDPOINT = "/api/v2/Agent/live"
CONTROL_FAULTS = "/_sim/faults"
CONTROL_STATS = "/_sim/stats"
MAX_REQUEST_BYTES = 64 * 1024
KEEP_REQUESTS = 1000

SEED_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, PUT, POST, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": "session-token,Authorization,Origin,Accept,Content-Type,DNT,Authorization,"
    "Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Content-Range,Range",
    "Access-Control-Allow-Credentials": "true",
    "Vary": "Origin",
    "ETag": 'W/"17-97dRo/YUuBogLdvt8esZQqzxmZs"',
    "Strict-Transport-Security": "max-age=15724800; includeSubDomains",
    "Access-Control-Max-Age": "1728000",
}

CORS_HEADERS = {name: value for name, value in SEED_HEADERS.items() if name.startswith(("Access-Control", "Vary"))}

HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


@dataclass
class Faults:
    """Switches that make the simulator misbehave; all off by default. Change them at any time."""

    latency_s: float = 0.0  # wait this long before answering
    latency_jitter_s: float = 0.0  # and a random extra up to this long, so answers vary as a real server's do
    error_status: int = 0  # send DeepCall errors with this HTTP status instead of 200
    html_502: bool = False  # answer every request with a proxy's HTML 502 page
    drop: bool = False  # close the connection without answering
    oversize_bytes: int = 0  # answer 200 with a body this large
    fail_next: int = 0  # answer this many requests with code 1501 before judging normally
    error_message: str = ""  # answer with DeepCall error 1009 carrying this text (hostile text included)

    def update(self, values: dict[str, Any]) -> None:
        """Set several switches at once; nothing changes unless every value is usable."""
        known = {f.name for f in fields(self)}
        converted: dict[str, object] = {}
        for name, value in values.items():
            if name not in known:
                raise ValueError(f"unknown fault {name!r}")
            converted[name] = _as_type_of(getattr(self, name), value)
        for name, value in converted.items():
            setattr(self, name, value)

    def take_failure(self) -> bool:
        """True, counting it down, while `fail_next` asks for more failures. Call under the server's lock."""
        if self.fail_next <= 0:
            return False
        self.fail_next -= 1
        return True

    def answer_delay(self, rng: random.Random) -> float:
        extra = rng.uniform(0.0, self.latency_jitter_s) if self.latency_jitter_s > 0 else 0.0
        return max(0.0, self.latency_s + extra)


def _as_type_of(current: float | str, value: object) -> object:
    if isinstance(current, bool):
        # bool("false") is True: read the words a person would send.
        if isinstance(value, bool) or str(value).lower() in ("true", "false", "1", "0"):
            return value if isinstance(value, bool) else str(value).lower() in ("true", "1")
        raise ValueError(f"not true or false: {value!r}")
    return type(current)(value)  # type: ignore[arg-type]  # int("x") and the like raise ValueError


@dataclass(frozen=True)
class ReceivedRequest:
    """What reached the endpoint, kept in memory for tests (never written anywhere)."""

    content_type: str
    body: bytes
    parsed: object
    at: float = field(default_factory=time.perf_counter)  # when it arrived, for latency benchmarks


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, a kept-alive client waits ~40 ms (delayed ACK)
    # for every body. Latency is a fault switch here, never an accident.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        # The request line carries no secret, but the simulator is embedded in a TUI: stay silent.
        return

    def do_GET(self) -> None:
        if self.path == CONTROL_FAULTS:
            self._send(200, "application/json", json.dumps(asdict(self.server.sim.faults)).encode())
        elif self.path == CONTROL_STATS:
            self._send(200, "application/json", json.dumps({"requests": self.server.sim.request_count}).encode())
        else:
            self._send(404, "text/plain", b"Not Found")

    def do_POST(self) -> None:
        body = self._read_body()
        if body is None:
            return
        if self.path == CONTROL_FAULTS:
            self._control(body)
            return
        if self.path.rstrip("/") == LIST_ENDPOINT:
            self.server.sim.handle_list(self, body)
            return
        if self.path.rstrip("/") in (STATS_ENDPOINT, AGENTS_ENDPOINT):
            self.server.sim.handle_feed(self, body)
            return
        if self.path.rstrip("/") != ENDPOINT:
            self._send(404, "text/html; charset=utf-8", b"Cannot POST " + self.path.encode("ascii", "replace"))
            return
        self.server.sim.handle(self, body)

    def _control(self, body: bytes) -> None:
        try:
            values = json.loads(body or b"{}")
            if not isinstance(values, dict):
                raise ValueError("expected a JSON object")
            self.server.sim.faults.update(values)
        except (ValueError, TypeError) as error:
            self._send(400, "text/plain", str(error).encode())
            return
        self._send(200, "application/json", json.dumps(asdict(self.server.sim.faults)).encode())

    def _read_body(self) -> bytes | None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._read_chunked()
        length = self.headers.get("Content-Length", "").strip()
        if length.isdigit():
            if int(length) > MAX_REQUEST_BYTES:
                self._send(413, "text/plain", b"Payload Too Large")
                self.close_connection = True
                return None
            return self.rfile.read(int(length))
        return self._read_until_idle()

    def _read_chunked(self) -> bytes:
        data = b""
        while len(data) <= MAX_REQUEST_BYTES:
            size_line = self.rfile.readline(100).split(b";")[0].strip()
            size = int(size_line or b"0", 16)
            if size == 0:
                self.rfile.readline(100)
                break
            data += self.rfile.read(size)
            self.rfile.readline(100)
        return data

    def _read_until_idle(self) -> bytes:
        # The seed's snippets send `Content-Length:` with no value: the body follows the headers in the
        # same burst, so read what arrives until the JSON is whole or the line goes quiet for a second.
        # A socket that timed out cannot be read again, so the connection closes after this request.
        self.close_connection = True
        data = bytearray()
        self.connection.settimeout(1.0)
        try:
            while len(data) < MAX_REQUEST_BYTES and not _is_complete_json(bytes(data)):
                chunk = self.rfile.read1(4096)
                if not chunk:
                    break
                data.extend(chunk)
        except TimeoutError:
            pass
        finally:
            self.connection.settimeout(None)
        return bytes(data)

    def _send(self, status: int, content_type: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def _is_complete_json(data: bytes) -> bool:
    if not data.strip():
        return False
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # The default backlog of 5 makes the kernel reset connections when a burst of consoles (or threads)
    # connects at once; each would then see "connection dropped" from a simulator that is merely busy.
    request_queue_size = 128
    sim: SimServer

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: object) -> None:
        # A client that gave up (its timeout, a refused oversize body) is routine here, not a crash to print.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class SimServer:
    """Start with `start()` or as a context manager; `url` is the base URL to give the client."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, scenario: Scenario | None = None) -> None:
        self.scenario = scenario or Scenario()
        self.faults = Faults()
        self.list_faults = Faults()  # the same switches for `queue/list` only
        self._list_count = 0
        self._feed_count = 0
        # The newest requests, for tests to inspect; capped so a long demo or a soak cannot grow without end.
        self.received: deque[ReceivedRequest] = deque(maxlen=KEEP_REQUESTS)
        self._count = 0
        self._lock = threading.Lock()
        self._rng = random.Random()  # noqa: S311 - varied answer times, not cryptography
        self._httpd = _Server((host, port), _Handler)
        self._httpd.sim = self
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/api/v2"

    @property
    def running(self) -> bool:
        """Started and not yet stopped."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def request_count(self) -> int:
        with self._lock:
            return self._count

    @property
    def list_request_count(self) -> int:
        """Requests to `queue/list`; not in `request_count`, which counts actions."""
        with self._lock:
            return self._list_count

    @property
    def feed_request_count(self) -> int:
        """Requests to `liveQueue/count` and `Agent/live`."""
        with self._lock:
            return self._feed_count

    def start(self) -> SimServer:
        # A short poll interval: shutdown() waits up to one interval, and quitting the demo should feel instant.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="deepcall-sim", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def reset(self) -> None:
        with self._lock:
            self.received.clear()
            self._count = 0
            self._list_count = 0
            self._feed_count = 0
        self.faults = Faults()
        self.list_faults = Faults()
        self.scenario.reset()

    def __enter__(self) -> SimServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def handle(self, handler: _Handler, body: bytes) -> None:
        """A bargingCall: kept for tests, then the fault switches, then the scenario's verdict."""
        parsed = _parsed(body)
        with self._lock:
            self.received.append(ReceivedRequest(handler.headers.get("Content-Type", ""), body, parsed))
            self._count += 1
            fail_now = self.faults.take_failure()
        faults = self.faults
        if _misbehave(handler, faults, self._rng):
            return
        verdict = _forced_verdict(parsed, fail_now, faults) or self.scenario.judge(parsed)
        if verdict.ok:
            handler._send(200, "text/html; charset=utf-8", SUCCESS_TEXT.encode(), SEED_HEADERS)
            return
        _send_error(handler, verdict, faults)

    def handle_list(self, handler: _Handler, body: bytes) -> None:
        """`queue/list`: the live calls as JSON, with its own fault switches (`list_faults`) and count, so
        a console polling the list never changes what a test of actions sees."""
        with self._lock:
            self._list_count += 1
        self._answer_feed(handler, body, self.scenario.live_list)

    def handle_feed(self, handler: _Handler, body: bytes) -> None:
        """`liveQueue/count` and `Agent/live`: the floor's figures and agents, under the list's fault switches,
        counted apart from both the actions and the list."""
        with self._lock:
            self._feed_count += 1
        stats = handler.path.rstrip("/") == STATS_ENDPOINT
        self._answer_feed(handler, body, self.scenario.floor_stats if stats else self.scenario.agents_live)

    def _answer_feed(self, handler: _Handler, body: bytes, answer_of: Callable[[object], object]) -> None:
        parsed = _parsed(body)
        with self._lock:
            fail_now = self.list_faults.take_failure()
        faults = self.list_faults
        if _misbehave(handler, faults, self._rng):
            return
        answer = _forced_verdict(parsed, fail_now, faults) or answer_of(parsed)
        if isinstance(answer, Verdict):
            _send_error(handler, answer, faults)
            return
        payload = json.dumps({"status": "success", "data": answer}, separators=(",", ":")).encode()
        handler._send(200, "application/json; charset=utf-8", payload, CORS_HEADERS)


def _parsed(body: bytes) -> object:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def _misbehave(handler: _Handler, faults: Faults, rng: random.Random) -> bool:
    """Apply the switches that replace the answer (after the latency); True when one did."""
    delay = faults.answer_delay(rng)
    if delay:
        time.sleep(delay)
    if faults.drop:
        handler.close_connection = True
        handler.connection.shutdown(socket.SHUT_RDWR)
        return True
    if faults.html_502:
        handler._send(502, "text/html", HTML_502)
        return True
    if faults.oversize_bytes:
        handler._send(200, "text/html; charset=utf-8", b"x" * faults.oversize_bytes)
        return True
    return False


def _forced_verdict(parsed: object, fail_now: bool, faults: Faults) -> Verdict | None:
    """The error a bad body or a switch forces, before the scenario is asked."""
    if parsed is None:
        return Verdict(1047, "Invalid request data: body is empty or not valid JSON")
    if fail_now:
        return Verdict(1501, "Data already in processing")
    if faults.error_message:
        return Verdict(1009, faults.error_message)
    return None


def _send_error(handler: _Handler, verdict: Verdict, faults: Faults) -> None:
    payload = json.dumps({"status": "error", "message": verdict.message, "code": verdict.code}).encode()
    handler._send(faults.error_status or 200, "application/json; charset=utf-8", payload, SEED_HEADERS)
