"""Headless Chromium from the system (never a downloaded browser), driven by Playwright: open served consoles
in tabs, read their screens, and record every request the pages make."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Route

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# xterm.js draws on a canvas, so the console's text is in no DOM node. textual.js keeps its xterm Terminal in
# a property named `terminal`; a setter on Object.prototype sees that first assignment and keeps a reference,
# then gets out of the way (the object gets an ordinary property of its own).
TERMINAL_PROBE = """
window.__terminals = [];
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && value.options) window.__terminals.push(value);
  },
});
window.__screen = () => {
  const terminal = window.__terminals[0];
  if (!terminal) return "";
  const buffer = terminal.buffer.active;
  const rows = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
};
"""


def browser_missing() -> str:
    """Why the browser tests cannot run here, or "" when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    if not (os.path.isfile(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return ""


@contextmanager
def chromium() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


class Room:
    """One browser profile facing one server: every request its tabs make is recorded, and any that would
    go to another host is recorded and stopped, so the test itself never leaves the machine."""

    def __init__(self, browser: Browser, server_url: str, width: int = 1280, height: int = 800) -> None:
        self.server = urlsplit(server_url).netloc
        self.context: BrowserContext = browser.new_context(viewport={"width": width, "height": height})
        self.context.add_init_script(TERMINAL_PROBE)
        self.requests: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.route("**/*", self._only_the_server)
        self.server_url = server_url

    def _only_the_server(self, route: Route) -> None:
        if urlsplit(route.request.url).netloc == self.server:
            route.continue_()
        else:
            route.abort()

    def elsewhere(self) -> list[str]:
        """Every request, web sockets included, that went anywhere but the server."""
        return [url for url in self.requests if urlsplit(url).netloc != self.server]

    def open_tab(self, *, wait: bool = True) -> Tab:
        """A new tab on the server's page; `wait=False` returns as soon as the page is asked for, so several
        tabs can open together."""
        page = self.context.new_page()
        page.on("websocket", lambda socket: self.requests.append(socket.url))
        page.goto(self.server_url, wait_until="load" if wait else "commit")
        return Tab(page)

    def close(self) -> None:
        self.context.close()


class Tab:
    def __init__(self, page: Page) -> None:
        self.page = page

    def screen(self) -> str:
        """The terminal's text; nothing while the page is between two loads (a retry reloads it)."""
        from playwright.sync_api import Error as PlaywrightError

        try:
            return str(self.page.evaluate("window.__screen()"))
        except PlaywrightError as problem:
            if "context was destroyed" in str(problem):
                return ""
            raise

    def wait_for_text(self, text: str, timeout: float = 30.0) -> None:
        self.page.wait_for_function("text => window.__screen().includes(text)", arg=text, timeout=timeout * 1000)

    def wait_for_no_text(self, text: str, timeout: float = 30.0) -> None:
        """Until `text` has gone: a dialog closed, say (the console behind it shows all the while)."""
        self.page.wait_for_function("text => !window.__screen().includes(text)", arg=text, timeout=timeout * 1000)

    def wait_for_pattern(self, pattern: str, timeout: float = 10.0) -> None:
        self.page.wait_for_function(
            "source => new RegExp(source).test(window.__screen())", arg=pattern, timeout=timeout * 1000
        )

    def keyboard_focus(self) -> None:
        # Into xterm's hidden input, as a click would, without the click landing on a widget of the console.
        self.page.focus(".xterm-helper-textarea")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)

    def close(self) -> None:
        self.page.close()
