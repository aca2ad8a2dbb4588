"""textual-serve, set up for a training room: one demo console per browser tab, a cap on how many run at
once, a page that loads nothing from outside this server, and consoles that end with their tab.

What changes from textual-serve's own server, and why:
- each console starts with `served_environment` (no credentials, no proxies, config and state folders of its
  own, removed when it ends) and is killed if it has not ended a few seconds after being asked to quit, so a
  closed tab or Ctrl+C leaves no process behind;
- the page is our own template: fonts from textual-serve's static folder instead of a web-font host, and
  URLs taken from the browser's address bar, so the same page works on loopback and on a LAN;
- `ping` and `delay` are dropped from the page's address: textual.js would fetch whatever `ping` names;
- a socket from another site's page is refused (browsers send its Origin), so a web page a trainee visits
  cannot drive a console or use up the room's places.
"""

from __future__ import annotations

import asyncio
import logging
import shlex
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import ClassVar

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager
from textual_serve.server import Server
from yarl import URL

from queuetui.web.child_env import served_environment

log = logging.getLogger("queuetui.serve")

TEMPLATES = Path(__file__).parent / "templates"
# The console exits within a frame of being told to quit; one finishing a demo request needs under a second.
QUIT_GRACE_S = 5.0
DEFAULT_FONT_SIZE = 16
FONT_SIZES = range(8, 65)  # `?fontsize=24` for the back of the room
REDIRECTED_PARAMS = ("ping", "delay")


def demo_command() -> str:
    # textual-serve runs the command through the shell; `exec` makes the console the process it tracks, so
    # killing that process kills the console and not just a shell around it.
    return f"exec {shlex.quote(sys.executable)} -m queuetui --demo"


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
        self.files = tempfile.TemporaryDirectory(prefix="queuetui-serve-")

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        return served_environment(super()._build_environment(width, height), Path(self.files.name))

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

    def __init__(self, *, host: str, port: int, max_sessions: int, command: str | None = None) -> None:
        super().__init__(
            command or demo_command(), host=host, port=port, title="queuetui demo", templates_path=TEMPLATES
        )
        self.max_sessions = max_sessions
        self.consoles: dict[DemoConsole, web.WebSocketResponse] = {}

    @property
    def full(self) -> bool:
        return len(self.consoles) >= self.max_sessions

    async def on_startup(self, app: web.Application) -> None:
        # The caller prints its own banner: textual-serve's names the shell command, not the page's address.
        return

    async def on_shutdown(self, app: web.Application) -> None:
        consoles = list(self.consoles.items())
        await asyncio.gather(*(console.stop() for console, _ in consoles))
        await asyncio.gather(*(socket.close(code=WSCloseCode.GOING_AWAY) for _, socket in consoles))

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if any(name in request.query for name in REDIRECTED_PARAMS):
            raise web.HTTPFound(request.rel_url.without_query_params(*REDIRECTED_PARAMS))
        if self.full:
            response = aiohttp_jinja2.render_template(
                self.full_template, request, {"max_sessions": self.max_sessions}, status=503
            )
            response.headers["Retry-After"] = "30"
        else:
            font_size = _to_int(request.query.get("fontsize", ""), DEFAULT_FONT_SIZE)
            if font_size not in FONT_SIZES:
                font_size = DEFAULT_FONT_SIZE
            response = aiohttp_jinja2.render_template(self.page_template, request, {"font_size": font_size})
        # A reload must ask again: whether there is room changes from one minute to the next.
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not _same_origin(request):
            raise web.HTTPForbidden(text="This console belongs to the page served here, not to another site.\n")
        if self.full:
            raise web.HTTPServiceUnavailable(text=f"All {self.max_sessions} consoles are in use.\n")
        websocket = web.WebSocketResponse(heartbeat=15)
        console = DemoConsole(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        # Counted before the first await, so two tabs arriving together cannot both take the last place.
        self.consoles[console] = websocket
        try:
            await websocket.prepare(request)
            width = _to_int(request.query.get("width", ""), 80)
            height = _to_int(request.query.get("height", ""), 24)
            await console.start(width, height)
            await self._process_messages(websocket, console)
        except Exception:
            log.exception("a console session failed")
        finally:
            await console.stop()
            del self.consoles[console]
        return websocket


def _to_int(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default


def _same_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # not a browser: no other site's page is behind it
    try:
        theirs, ours = URL(origin), URL(f"{request.scheme}://{request.host}")
    except ValueError:
        return False
    return (theirs.host, theirs.port) == (ours.host, ours.port)
