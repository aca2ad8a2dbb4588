"""textual-serve, set up for a training room: one demo console per browser tab, a cap on how many run at
once, a page that loads nothing from outside this server, and consoles that end with their tab.

What changes from textual-serve's own server, and why:
- each console is `queuetui --demo --locked`: the core keeps it on its own simulator, and it ends with this
  server however the server ends (see `queuetui.cli.served`);
- each console starts with `served_environment` (an allow list; home, config and state folders of its own,
  removed when it ends) and is killed if it has not ended a few seconds after being asked to quit, so a
  closed tab or Ctrl+C leaves no process behind;
- a request whose Host is not a name this server is reached by gets 421, and a socket whose Origin is not one
  gets 403, before any console starts (see `hosts`);
- the terminal size a page asks for is clamped, so one message cannot make a console grow without end;
- a seat is free as soon as its socket closes; a socket over the cap is refused and the page says so, then
  tries again on its own;
- what a browser sends is checked: a bad message is told in one log line and dropped, never a traceback;
- static files are served without directory listings;
- the page is our own template: fonts from textual-serve's static folder instead of a web-font host, and
  URLs taken from the browser's address bar, so the same page works on loopback and on a LAN;
- `ping` and `delay` are dropped from the page's address: textual.js would fetch whatever `ping` names;
- a socket from another site's page is refused (browsers send its Origin), so a web page a trainee visits
  cannot drive a console or use up the room's places.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shlex
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import ClassVar

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager
from textual_serve.server import Server

from queuetui.web.child_env import served_environment
from queuetui.web.hosts import HostRule, host_name, origin_name
from queuetui.web.leftovers import FOLDER_PREFIX, mark_owner

log = logging.getLogger("queuetui.serve")

TEMPLATES = Path(__file__).parent / "templates"
# The console exits within a frame of being told to quit; one finishing a demo request needs under a second.
QUIT_GRACE_S = 5.0
DEFAULT_FONT_SIZE = 16
FONT_SIZES = range(8, 65)  # `?fontsize=24` for the back of the room
REDIRECTED_PARAMS = ("ping", "delay")
# The largest terminal a page may ask for: a projector's full screen at a small font fits; more only costs memory.
MAX_WIDTH, MAX_HEIGHT = 300, 100
# A page turned away asks again after this long: a closed tab's seat is free within a moment of its closing.
RETRY_S = 5


def demo_command() -> str:
    # textual-serve runs the command through the shell; `exec` makes the console the process it tracks, so
    # killing that process kills the console and not just a shell around it, and this server is its parent.
    return f"exec {shlex.quote(sys.executable)} -m queuetui --demo --locked"


def clamped_size(width: object, height: object) -> tuple[int, int]:
    """A terminal size a page asked for, within 1..MAX; what is not a whole number counts as 80x24."""
    return _within(width, 80, MAX_WIDTH), _within(height, 24, MAX_HEIGHT)


def _within(value: object, default: int, most: int) -> int:
    if isinstance(value, str):
        value = _to_int(value, default)
    if not isinstance(value, int) or isinstance(value, bool):
        value = default
    return min(max(value, 1), most)


class DemoConsole(AppService):
    """One tab's console process."""

    def __init__(
        self,
        command: str,
        *,
        write_bytes: Callable[[bytes], Awaitable[None]],
        write_str: Callable[[str], Awaitable[None]],
        close: Callable[[], Awaitable[object]],
        download_manager: DownloadManager,
        debug: bool = False,
    ) -> None:
        super().__init__(
            command,
            write_bytes=write_bytes,
            write_str=write_str,
            close=close,  # type: ignore[arg-type]  # aiohttp's close() answers a bool that nobody reads
            download_manager=download_manager,
            debug=debug,
        )
        self._ending: asyncio.Future[None] | None = None
        self.files = tempfile.TemporaryDirectory(prefix=FOLDER_PREFIX)
        mark_owner(Path(self.files.name))

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    # This class and DemoServer override textual-serve's private hooks and read its `_process`: each is listed,
    # with why, in queuetui/tui/textual_private.py (this front end may not import it), whose test looks them up.
    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        return served_environment(super()._build_environment(width, height), Path(self.files.name))

    async def start(self, width: int, height: int) -> None:
        await super().start(*clamped_size(width, height))

    async def set_terminal_size(self, width: int, height: int) -> None:
        await super().set_terminal_size(*clamped_size(width, height))

    async def stop(self) -> None:
        """Ask the console to quit, then make sure it has ended. Safe to call more than once and from more than
        one place (the tab's handler and server shutdown): every caller waits for the same ending."""
        if self._ending is None:
            self._ending = asyncio.ensure_future(self._end())
        await asyncio.shield(self._ending)

    async def _end(self) -> None:
        try:
            await asyncio.wait_for(super().stop(), QUIT_GRACE_S)
        except asyncio.TimeoutError:
            log.warning("a console did not quit within %.0f s; killing it", QUIT_GRACE_S)
        process = self._process
        if process is not None and process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), QUIT_GRACE_S)
            except asyncio.TimeoutError:
                process.kill()
                await process.wait()
        self.files.cleanup()


class DemoServer(Server):
    """Serves `queuetui --demo`, one console per tab, at most `max_sessions` at a time."""

    page_template: ClassVar[str] = "page.html"
    full_template: ClassVar[str] = "full.html"

    def __init__(
        self,
        *,
        host: str,
        port: int,
        max_sessions: int,
        allow_hosts: Iterable[str] = (),
        command: str | None = None,
    ) -> None:
        super().__init__(
            command or demo_command(), host=host, port=port, title="queuetui demo", templates_path=TEMPLATES
        )
        self.max_sessions = max_sessions
        self.hosts = HostRule.of(host, allow_hosts)
        self.seats: set[DemoConsole] = set()  # consoles whose socket is open
        self.consoles: dict[DemoConsole, web.WebSocketResponse] = {}  # every console not yet ended

    @property
    def full(self) -> bool:
        return len(self.seats) >= self.max_sessions

    def initialize_logging(self) -> None:
        # textual-serve's handler prints tracebacks with every frame's local variables: one line per event here.
        logging.basicConfig(level="INFO", format="queuetui serve: %(message)s")

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._check_host])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def _check_host(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if not self.hosts.admits(host_name(request.headers.get("Host", ""))):
            log.info("refused a request for another name (Host: %.80r)", request.headers.get("Host", ""))
            raise web.HTTPMisdirectedRequest(
                text="This server answers only to the names it is reached by; the trainer can add one with "
                "`queuetui serve --allow-host NAME`.\n"
            )
        return await handler(request)

    async def on_startup(self, app: web.Application) -> None:
        # The caller prints its own banner: textual-serve's names the shell command, not the page's address.
        return

    async def on_shutdown(self, app: web.Application) -> None:
        self.seats.clear()
        consoles = list(self.consoles.items())
        await asyncio.gather(*(console.stop() for console, _ in consoles))
        await asyncio.gather(*(socket.close(code=WSCloseCode.GOING_AWAY) for _, socket in consoles))

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if any(name in request.query for name in REDIRECTED_PARAMS):
            raise web.HTTPFound(request.rel_url.without_query_params(*REDIRECTED_PARAMS))
        if self.full:
            response = aiohttp_jinja2.render_template(
                self.full_template, request, {"max_sessions": self.max_sessions, "retry_s": RETRY_S}, status=503
            )
            response.headers["Retry-After"] = str(RETRY_S)
        else:
            font_size = _to_int(request.query.get("fontsize", ""), DEFAULT_FONT_SIZE)
            if font_size not in FONT_SIZES:
                font_size = DEFAULT_FONT_SIZE
            response = aiohttp_jinja2.render_template(
                self.page_template, request, {"font_size": font_size, "retry_s": RETRY_S}
            )
        # A reload must ask again: whether there is room changes from one minute to the next.
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        origin = request.headers.get("Origin")
        # No Origin: not a browser, so no other site's page is behind it.
        if origin is not None and not self.hosts.admits(origin_name(origin)):
            raise web.HTTPForbidden(text="This console belongs to the page served here, not to another site.\n")
        websocket = web.WebSocketResponse(heartbeat=15)
        if not websocket.can_prepare(request):
            log.info("refused a plain request for the console socket (not a web socket handshake)")
            raise web.HTTPBadRequest(text="This address is the console's web socket: open the page instead.\n")
        if self.full:
            raise web.HTTPServiceUnavailable(text=f"All {self.max_sessions} consoles are in use.\n")
        console = DemoConsole(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        # Counted before the first await, so two tabs arriving together cannot both take the last place.
        self.seats.add(console)
        self.consoles[console] = websocket
        try:
            await websocket.prepare(request)
            await console.start(*clamped_size(request.query.get("width", ""), request.query.get("height", "")))
            await self._process_messages(websocket, console)
        except (ConnectionError, asyncio.CancelledError):
            pass  # the tab went away, or the server is stopping: the console ends below either way
        except Exception as error:  # one line for the trainer, never a traceback
            log.warning("a console session failed: %s", type(error).__name__)
        finally:
            self.seats.discard(console)  # the tab is gone: its seat is free while its console ends
            await console.stop()
            del self.consoles[console]
        return websocket

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            problem = await _pass_on(message.data, websocket, app_service)
            if problem:
                log.info("dropped a message from a page: %s", problem)


async def _pass_on(text: str, websocket: web.WebSocketResponse, console: AppService) -> str:
    """Hand one of textual.js's messages (`["stdin", "text"]`, `["resize", {"width": W, "height": H}]`, ...) to the
    console; what it does not look like is dropped, and the reason returned."""
    try:
        envelope = json.loads(text)
    except ValueError:
        return "not JSON"
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        return "not a list starting with a type"
    kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
    if kind == "stdin" and isinstance(data, str):
        await console.send_bytes(data.encode("utf-8", errors="replace"))
    elif kind == "resize" and isinstance(data, dict):
        await console.set_terminal_size(*clamped_size(data.get("width"), data.get("height")))
    elif kind == "ping" and isinstance(data, (str, int, float)):
        await websocket.send_json(["pong", data])
    elif kind == "blur":
        await console.blur()
    elif kind == "focus":
        await console.focus()
    else:
        return f"an unknown or malformed {kind[:20]!r} message"
    return ""


def _to_int(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default
