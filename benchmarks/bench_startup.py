"""Start-up against a bare Textual app, in one run so the machine's noise hits both sides of each ratio alike.

Both are launched and watched the same way: the installed command in tmux at 80x24, timed from launch until a
marker is on screen, each once the program before has exited. The bare app has a Header, a Static and a Footer.
- first paint: the console's form title is on screen (target <= 1.3x the bare app);
- usable demo: the signed-in host ("demo@…") is on the top line: the session is open and keys act
  (target <= 2.0x). The DEMO badge alone would not do: it could be painted before anything is loaded.

Which install is timed matters: an editable install finds modules through an import hook, and with the
development extras httpx also loads its command-line tool (click is there). `--venv` times the install a user
has, made by the README's first command; without it, the interpreter running this script and its `queuetui`
are timed.

`--against PATH` times a second install (say, the previous release) in the same runs, for a before/after that
the machine's drift cannot skew.

Run: python benchmarks/bench_startup.py [--runs N] [--venv PATH] [--against PATH]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from tmuxdriver import TmuxSession

SETTLE_S = 0.3

BARE_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(App):
        def compose(self):
            yield Header()
            yield Static("bare app ready")
            yield Footer()

    Bare().run()
    """
)


def _env(home: Path) -> dict[str, str]:
    return {"HOME": str(home), "XDG_CONFIG_HOME": str(home / "cfg"), "XDG_STATE_HOME": str(home / "state")}


def time_to(command: list[str], markers: list[str], home: Path) -> list[float]:
    """Seconds from launch until each marker (in order) is on screen."""
    started = time.monotonic()
    found: list[float] = []
    with TmuxSession(command, env=_env(home)) as term:
        for marker in markers:
            term.wait_for(marker, timeout=30, interval=0.002)
            found.append(time.monotonic() - started)
        pid = term.pane_pid()
    _wait_gone(pid)
    return found


def _wait_gone(pid: int) -> None:
    """Let a timed program finish exiting, and the machine settle, before the next launch: a program still
    tearing down (threads, a simulator) would take CPU from the next one and skew whichever is timed next."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.005)
    time.sleep(SETTLE_S)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--venv", type=Path, help="a venv with queuetui installed by `pip install .`")
    parser.add_argument("--against", type=Path, help="another venv with queuetui, timed in the same runs")
    args = parser.parse_args()
    python = args.venv / "bin" / "python" if args.venv else Path(sys.executable)
    installs = {"queuetui": python.parent / "queuetui"}
    if args.against:
        installs[f"against ({args.against})"] = args.against / "bin" / "queuetui"
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        bare_script = home / "bare_app.py"
        bare_script.write_text(BARE_APP)
        bare: list[float] = []
        paint: dict[str, list[float]] = {name: [] for name in installs}
        usable: dict[str, list[float]] = {name: [] for name in installs}
        for run in range(args.runs):
            # Interleaved, so drift affects all alike, and in reverse order every other run: the same install
            # was measured 33 and 41 ms faster third in a round than second.
            order: list[str | None] = [None, *installs]
            for name in order if run % 2 == 0 else reversed(order):
                if name is None:
                    bare += time_to([str(python), str(bare_script)], ["bare app ready"], home)
                    continue
                first, ready = time_to([str(installs[name]), "--demo"], ["Monitor a call", "demo@"], home)
                paint[name].append(first)
                usable[name].append(ready)
    ms = 1000
    b = statistics.median(bare)
    print(f"medians of {args.runs} runs, tmux 80x24, {python.parent.parent}")
    print(f"{'bare Textual app (Header, Static, Footer)':<44}{b * ms:>8.0f} ms")
    for name in installs:
        p, u = statistics.median(paint[name]), statistics.median(usable[name])
        print(f"{name}")
        print(f"{'  --demo first paint':<44}{p * ms:>8.0f} ms   {p / b:.2f}x (target <= 1.3)")
        print(f"{'  --demo usable (signed in)':<44}{u * ms:>8.0f} ms   {u / b:.2f}x (target <= 2.0)")


if __name__ == "__main__":
    main()
