"""Bytes a terminal at the far end of an SSH link receives from the installed `queuetui --demo`, at 80x24 with
TERM=xterm, against a bare Textual input app in the same run. Bytes do not depend on the machine's speed; the
echo through a slow link is computed from when each byte left the program, as a link of the given rate would
deliver them in order (a frame behind another waits for it).

Rows:
- launch to usable: from launch until the signed-in host (`demo@`) is on the top line;
- idle minute: the console left alone once usable (measured over --idle-s, scaled to 60 s);
- one spy: from `s` on a highlighted call until the top line shows it, and in the 5 s after the key;
- one filter keystroke: the bytes one character typed in the filter costs;
- echo through the link: from a key typed in a text field until its frame has crossed the link, median / p95.

Run: python benchmarks/bench_wire.py [--idle-s S] [--keys N] [--rate BYTES_PER_S] [--venv PATH]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from ptydriver import PtyProgram

BARE_INPUT_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Footer, Header, Input

    class Bare(App):
        def compose(self):
            yield Header()
            field = Input(placeholder="bare app ready")
            field.cursor_blink = False  # a blinking cursor writes twice a second: idle would not be idle
            yield field
            yield Footer()

    Bare().run()
    """
)

FRAME_GAP_S = 0.03  # output separated by less than this belongs to one frame


def _env(home: Path) -> dict[str, str]:
    return {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "cfg"),
        "XDG_STATE_HOME": str(home / "state"),
        "QUEUETUI_DEMO_LATENCY": "0",
    }


def delivered_at(chunks: list[tuple[float, bytes]], rate: float) -> list[float]:
    """When each chunk's last byte arrives at the far end of a link carrying `rate` bytes a second."""
    link_free = 0.0
    out: list[float] = []
    for at, data in chunks:
        link_free = max(link_free, at) + len(data) / rate
        out.append(link_free)
    return out


def echo_times(term: PtyProgram, keys: str, rate: float) -> list[float]:
    """Types `keys` one at a time, each once the frame before has been written, and returns how long each
    took to reach the far end of the link: the last byte of the frame that followed it."""
    sent_at: list[float] = []
    for key in keys:
        sent_at.append(term.send(key.encode()))
        term.wait_written(sent_at[-1])
        term.wait_quiet(0.15)
    chunks = list(term.chunks)
    delivered = delivered_at(chunks, rate)
    out: list[float] = []
    for index, sent in enumerate(sent_at):
        following = [i for i, (at, _) in enumerate(chunks) if at >= sent]
        if not following:
            continue
        last = following[0]
        for i in following[1:]:
            if chunks[i][0] - chunks[last][0] > FRAME_GAP_S or (
                index + 1 < len(sent_at) and chunks[i][0] >= sent_at[index + 1]
            ):
                break
            last = i
        out.append(delivered[last] - sent)
    return out


def settle(term: PtyProgram, sent: float) -> float:
    """Waits for what a key sent at `sent` writes, then for quiet; returns that moment. Waiting for quiet alone
    would return at once, before the program has answered, and the next key's figure would count this one's."""
    term.wait_written(sent)
    return term.wait_quiet(0.2)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure_console(queuetui: str, home: Path, idle_s: float, keys: int, rate: float) -> dict[str, float]:
    figures: dict[str, float] = {}
    with PtyProgram([queuetui, "--demo"], env=_env(home)) as term:
        usable = term.wait_for("demo@")
        figures["launch to usable"] = len(term.received(until=usable + 1e-9))
        start = term.wait_quiet(1.0)
        time.sleep(idle_s)
        figures["idle minute"] = len(term.received(since=start)) * 60 / idle_s
        settle(term, term.send(b"/C-10023\r"))
        pressed = term.send(b"s")
        shown = term.wait_for("ON C-10023", since=pressed)
        figures["one spy, to the top line"] = len(term.received(since=pressed, until=shown + 1e-9))
        time.sleep(max(0.0, pressed + 5 - time.monotonic()))
        figures["one spy, 5 s after the key"] = len(term.received(since=pressed, until=pressed + 5))
        settle(term, term.send(b"/"))
        typed = term.send(b"C")
        quiet = settle(term, typed)
        figures["one filter keystroke"] = len(term.received(since=typed, until=quiet))
        term.send(b"\x1b")  # may write nothing: the key after it waits for what either writes
        term.wait_quiet(0.2)
        settle(term, term.send(b"/"))  # the filter is a text field: echo is measured there
        echoes = echo_times(term, "C-1002" * (keys // 6 + 1), rate)[:keys]
        figures["echo median ms"] = statistics.median(echoes) * 1000
        figures["echo p95 ms"] = p95(echoes) * 1000
    return figures


def measure_bare(python: str, script: Path, home: Path, idle_s: float, keys: int, rate: float) -> dict[str, float]:
    figures: dict[str, float] = {}
    with PtyProgram([python, str(script)], env=_env(home)) as term:
        ready = term.wait_for("bare app ready")
        figures["launch to usable"] = len(term.received(until=ready + 1e-9))
        start = term.wait_quiet(1.0)
        time.sleep(idle_s)
        figures["idle minute"] = len(term.received(since=start)) * 60 / idle_s
        echoes = echo_times(term, "abcdef" * (keys // 6 + 1), rate)[:keys]
        figures["echo median ms"] = statistics.median(echoes) * 1000
        figures["echo p95 ms"] = p95(echoes) * 1000
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle-s", type=float, default=60.0, help="seconds of idle counted (default 60)")
    parser.add_argument("--keys", type=int, default=30, help="keys typed for the echo (default 30)")
    parser.add_argument("--rate", type=float, default=16_000.0, help="link bytes per second (default 16,000)")
    parser.add_argument("--venv", type=Path, help="a venv with queuetui installed by `pip install .`")
    args = parser.parse_args()
    python = args.venv / "bin" / "python" if args.venv else Path(sys.executable)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        script = home / "bare_input_app.py"
        script.write_text(BARE_INPUT_APP)
        bare = measure_bare(str(python), script, home, args.idle_s, args.keys, args.rate)
        console = measure_console(str(python.parent / "queuetui"), home, args.idle_s, args.keys, args.rate)
    print(f"pty 80x24, TERM=xterm, link {args.rate / 1000:.0f} KB/s, idle counted over {args.idle_s:.0f} s")
    print(f"{'':<30}{'queuetui --demo':>18}{'bare input app':>18}")
    for name, value in console.items():
        other = bare.get(name)
        unit = "" if name.endswith("ms") else " B"
        shown_other = f"{other:>16.0f}{unit}" if other is not None else f"{'':>18}"
        ratio = f"   {value / other:.2f}x" if other else ""
        print(f"{name:<30}{value:>16.0f}{unit}{shown_other}{ratio}")


if __name__ == "__main__":
    main()
