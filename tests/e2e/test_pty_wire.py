"""The installed `queuetui --demo` on a pseudo-terminal at 80x24 with TERM=xterm: the bytes a terminal at the far
end of an SSH link receives, left alone, launching, spying from the list and closing a dialog, and an Esc typed
alone closing a dialog without Textual's wait for a key code. Bytes do not depend on the machine's speed, so a
loaded machine neither passes nor fails this by itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import installed_command, run_env
from ptydriver import PtyProgram

pytestmark = pytest.mark.e2e

IDLE_WINDOW_S = 10.0
# Bytes in the window: what the live list's refreshes, a call joining the floor and the launch's notice going
# away cost, with room to spare. A console that redraws its rows or its clocks on every refresh writes more.
IDLE_BUDGET = 1_500
# With --slow-link: no scrollbar redrawn as calls come and go, durations in steps of minutes.
SLOW_LINK_IDLE_BUDGET = 1_000
# The whole first screen and the signed-in top line, sent as the cells that change with each style set once: a
# console that sent every segment with its own style and reset, or a screen twice, writes more than twice this.
LAUNCH_BUDGET = 7_000
# The top line, the call's row, the log's lines and the sessions list's row: not the whole console.
SPY_BUDGET = 2_500
# What each dialog covered, drawn again, and the clock's tick if it falls in the window: a dialog that dimmed the
# console behind it, or gave its colours to every cell that had none, changed every cell of the console twice;
# blanks written as spaces cost a byte each.
CLOSE_BUDGETS = {"F1 help": 3_600, "F6 shift summary": 1_300, "command palette": 2_100}
DIALOGS = (
    ("F1 help", b"\x1bOP", "Keys (Esc closes)"),
    ("F6 shift summary", b"\x1b[17~", "This shift (Esc closes)"),
    ("command palette", b"\x10", "Type part of"),
)


def demo(home: Path, *flags: str) -> PtyProgram:
    return PtyProgram([installed_command(), "--demo", *flags], env=run_env(home))


def idle_bytes(term: PtyProgram) -> int:
    term.wait_for("demo@", timeout=30)  # signed in: the live list refreshes from here on
    start = term.wait_quiet(1.0)
    return len(term.written_in(start, IDLE_WINDOW_S))


def test_an_idle_console_writes_little(isolated_home: Path):
    with demo(isolated_home) as term:
        written = idle_bytes(term)
    assert written <= IDLE_BUDGET, f"an idle console wrote {written} bytes in {IDLE_WINDOW_S:.0f} s"


def test_an_idle_console_on_a_slow_link_writes_less(isolated_home: Path):
    with demo(isolated_home, "--slow-link") as term:
        written = idle_bytes(term)
    assert written <= SLOW_LINK_IDLE_BUDGET, f"an idle --slow-link console wrote {written} bytes"


# Once a spy is on, the live time's tick and the live list's refresh each write once a second at unrelated moments,
# so a gap of half a second may never come: a quarter of a second between writes says the screen has settled.
SETTLED_S = 0.25


def test_launch_a_spy_and_closing_a_dialog_send_what_changed(isolated_home: Path):
    with demo(isolated_home) as term:
        usable = term.wait_for("demo@", timeout=30)
        launch = len(term.received(until=usable + 1e-9))
        term.wait_quiet(SETTLED_S)
        term.wait_written(term.send(b"/C-10023\r"))
        term.wait_quiet(SETTLED_S)
        pressed = term.send(b"s")
        shown = term.wait_for("ON C-10023", since=pressed)
        spy = len(term.received(since=pressed, until=shown + 1e-9))
        term.wait_quiet(SETTLED_S)
        closed: dict[str, int] = {}
        for name, key, shown in DIALOGS:
            term.wait_for(shown, since=term.send(key))
            term.wait_quiet(SETTLED_S)
            closing = term.send(b"\x1b")
            term.wait_written(closing)
            closed[name] = len(term.received(since=closing, until=term.wait_quiet(SETTLED_S)))
    assert launch <= LAUNCH_BUDGET, f"launch to usable wrote {launch} bytes"
    assert spy <= SPY_BUDGET, f"a spy wrote {spy} bytes before the top line showed it"
    over = {name: written for name, written in closed.items() if written > CLOSE_BUDGETS[name]}
    assert not over, f"closing wrote {over} bytes (budgets {CLOSE_BUDGETS})"


def test_an_escape_typed_alone_closes_a_dialog_without_waiting_for_a_key_code(isolated_home: Path):
    # Textual tells an Esc from the start of a key code by waiting after it. Told to wait far longer than this test
    # does, it shows that an Esc typed alone, with nothing behind it, is not kept waiting at all.
    env = {**run_env(isolated_home), "ESCDELAY": "600000"}
    with PtyProgram([installed_command(), "--demo"], env=env) as term:
        term.wait_for("demo@", timeout=30)
        term.wait_quiet(0.5)
        term.wait_for("This shift (Esc closes)", since=term.send(b"\x1b[17~"))  # F6
        term.wait_quiet(0.5)
        # The live list's queues under the summary, drawn again (a refresh sends a row's changed cells alone)
        term.wait_for("1031 sales", since=term.send(b"\x1b"), timeout=20)
