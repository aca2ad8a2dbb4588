"""The installed `queuetui --demo` on a pseudo-terminal at 80x24 with TERM=xterm: the bytes a terminal at the far
end of an SSH link receives while the console is left alone. Bytes do not depend on the machine's speed, so a
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
IDLE_BUDGET = 2_500


def test_an_idle_console_writes_little(isolated_home: Path):
    with PtyProgram([installed_command(), "--demo"], env=run_env(isolated_home)) as term:
        term.wait_for("demo@", timeout=30)  # signed in: the live list refreshes from here on
        start = term.wait_quiet(1.0)
        written = len(term.written_in(start, IDLE_WINDOW_S))
    assert written <= IDLE_BUDGET, f"an idle console wrote {written} bytes in {IDLE_WINDOW_S:.0f} s"
