"""`queuetui serve` on this machine: what one tab costs, and how many the machine holds.

1. Per tab (median of 10, one after another): time from opening the page to the console's first screen and
   to "Signed in" (its demo running), and the console process's memory once signed in (RSS, and PSS, which
   shares the common pages fairly between processes).
2. Capacity: one real browser tab types into the live list's filter while more and more consoles run beside
   it; keystroke echo is measured in the page, from the key's `keydown` to the frame that shows it. The other
   consoles are web socket clients that read everything their console draws, as a browser tab would, so the
   browser's own work on this machine does not count against the server. Twice: an idle room (their screens
   still change every second: clocks, the live list), then a typing room (each of them types into its filter,
   two keys a second). Each stops when the median echo passes 100 ms, or at the bounds.

Run: python benchmarks/bench_serve.py [--tabs 10] [--max-consoles 40] [--step 2] [--budget-s 300]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import aiohttp
from browserdriver import Room, Tab, browser_missing, chromium
from servedriver import ServeProcess, wait_until

BIN = Path(sys.executable).parent
ECHO_TARGET_MS = 100.0

# Times a key from its keydown (capture phase, before xterm sees it) to the first rendered frame whose
# screen holds the expected text.
ECHO_PROBE = """
window.__echo = {keyAt: 0, result: null};
document.addEventListener("keydown", () => { window.__echo.keyAt = performance.now(); }, true);
window.__armEcho = (expected) => {
  const terminal = window.__terminals[0];
  window.__echo.result = null;
  const watch = terminal.onRender(() => {
    if (window.__screen().includes(expected)) {
      window.__echo.result = performance.now() - window.__echo.keyAt;
      watch.dispose();
    }
  });
};
"""


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process in KiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0])
    return fields["Rss"], fields["Pss"]


def per_tab(served: ServeProcess, room: Room, tabs: int) -> None:
    first_screens, signed_in, rss, pss = [], [], [], []
    for _ in range(tabs):
        started = time.perf_counter()
        tab = room.open_tab()
        tab.page.wait_for_function("document.body.classList.contains('-first-byte')", timeout=60_000)
        first_screens.append(time.perf_counter() - started)
        tab.wait_for_text("Signed in", timeout=60)
        signed_in.append(time.perf_counter() - started)
        time.sleep(1.0)  # settled: the live list's first poll and paint are done
        (console,) = served.consoles()
        kib = memory_kib(console)
        rss.append(kib[0])
        pss.append(kib[1])
        tab.close()
        wait_until(lambda: not served.consoles(), 30, "the console to end")
    print(f"per tab, median of {tabs} (one at a time):")
    print(f"  page opened -> first screen   {statistics.median(first_screens) * 1000:7.0f} ms")
    print(f"  page opened -> 'Signed in'    {statistics.median(signed_in) * 1000:7.0f} ms")
    print(f"  console RSS                   {statistics.median(rss) / 1024:7.1f} MiB")
    print(f"  console PSS                   {statistics.median(pss) / 1024:7.1f} MiB")


class BackgroundConsoles:
    """Consoles held open by web socket clients on their own thread, reading all they are sent."""

    # A trainee at work: into the filter, a few characters, and back out; over and over.
    TYPING = ("/", "C", "-", "1", "0", "\x7f", "\x7f", "\x7f", "\x7f")

    def __init__(self, port: int, typing_every_s: float) -> None:
        self.url = f"ws://127.0.0.1:{port}/ws?width=120&height=36"
        self.typing_every_s = typing_every_s
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.count = 0
        self.session: aiohttp.ClientSession | None = None

    def add(self, how_many: int) -> None:
        asyncio.run_coroutine_threadsafe(self._add(how_many), self.loop).result(timeout=120)
        self.count += how_many

    async def _add(self, how_many: int) -> None:
        if self.session is None:
            self.session = aiohttp.ClientSession()
        drawn = [asyncio.Event() for _ in range(how_many)]
        for event in drawn:
            socket = await self.session.ws_connect(self.url)
            self.loop.create_task(self._read(socket, event))
            if self.typing_every_s:
                self.loop.create_task(self._type(socket, event))
        await asyncio.gather(*(event.wait() for event in drawn))

    async def _type(self, socket: aiohttp.ClientWebSocketResponse, drawn: asyncio.Event) -> None:
        await drawn.wait()
        await asyncio.sleep(2.0)  # signed in
        while not socket.closed:
            for key in self.TYPING:
                await socket.send_json(["stdin", key])
                await asyncio.sleep(self.typing_every_s)

    async def _read(self, socket: aiohttp.ClientWebSocketResponse, drawn: asyncio.Event) -> None:
        received = 0
        async for message in socket:
            if message.type == aiohttp.WSMsgType.BINARY:
                received += len(message.data)
                if received > 20_000:  # a full first screen and then some: it is up
                    drawn.set()

    def close(self) -> None:
        async def close_all() -> None:
            others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)
            if self.session is not None:
                await self.session.close()

        asyncio.run_coroutine_threadsafe(close_all(), self.loop).result(timeout=60)
        self.loop.call_soon_threadsafe(self.loop.stop)


def echo_ms(tab: Tab, typed: str, key: str) -> float:
    tab.page.evaluate("expected => window.__armEcho(expected)", typed + key)
    tab.press(key)
    tab.page.wait_for_function("window.__echo.result !== null", timeout=30_000)
    return float(tab.page.evaluate("window.__echo.result"))


def echo_sample(tab: Tab, keys: str = "abcdefghij") -> list[float]:
    tab.press("/")
    tab.type("qx")  # a prefix nothing else on screen shows, so each key's text is unambiguous
    tab.wait_for_text("qx")
    samples = []
    typed = "qx"
    for key in keys:
        samples.append(echo_ms(tab, typed, key))
        typed += key
        time.sleep(0.15)  # typing pace, and the screen settles between keys
    for _ in typed:
        tab.press("Backspace")
    return samples


def capacity(
    served: ServeProcess, room: Room, max_consoles: int, step: int, budget_s: float, typing_every_s: float
) -> None:
    started = time.monotonic()
    probe = room.open_tab()
    probe.page.evaluate(ECHO_PROBE)
    probe.wait_for_text("Signed in", timeout=60)
    probe.keyboard_focus()
    background = BackgroundConsoles(served.port, typing_every_s)
    held = 1
    room_kind = f"the others typing a key every {typing_every_s:g} s" if typing_every_s else "the others idle"
    print(f"capacity, {room_kind}: consoles running -> echo in the browser tab (median / worst of 10 keys)")
    try:
        while True:
            time.sleep(2.0)  # the newest consoles have settled
            samples = echo_sample(probe)
            median, worst = statistics.median(samples), max(samples)
            print(f"  {held:3d} consoles: {median:6.1f} ms / {worst:6.1f} ms", flush=True)
            if median > ECHO_TARGET_MS:
                print(f"  -> over {ECHO_TARGET_MS:.0f} ms at {held} consoles")
                break
            if held + step > max_consoles or time.monotonic() - started > budget_s:
                print(f"  -> still within {ECHO_TARGET_MS:.0f} ms at {held} consoles (bound reached, stopped there)")
                break
            background.add(step)
            held = 1 + background.count
    finally:
        background.close()
        probe.close()
        wait_until(lambda: not served.consoles(), 60, "every console to end")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tabs", type=int, default=10)
    parser.add_argument("--max-consoles", type=int, default=40)
    parser.add_argument("--step", type=int, default=2)
    parser.add_argument("--budget-s", type=float, default=300.0, help="per capacity run")
    args = parser.parse_args()
    missing = browser_missing()
    if missing:
        sys.exit(f"cannot run: {missing}")
    with tempfile.TemporaryDirectory() as folder:
        served = ServeProcess(
            ["--max-sessions", str(args.max_consoles + 1)], log_dir=Path(folder), command=[str(BIN / "queuetui")]
        )
        with served, chromium() as browser:
            room = Room(browser, served.url)
            try:
                per_tab(served, room, args.tabs)
                for typing_every_s in (0.0, 0.5):
                    capacity(served, room, args.max_consoles, args.step, args.budget_s, typing_every_s)
            finally:
                room.close()


if __name__ == "__main__":
    main()
