"""A console asked to stop (SIGTERM, or SIGHUP when its SSH link drops) is gone within its grace time even when
its shutdown never ends, as Textual's once did with its terminal gone; what was under way is recorded first."""

from __future__ import annotations

import os
import signal
import sys
import textwrap
import time
from pathlib import Path

import pytest
from helpers import eventually, run_env
from ptydriver import PtyProgram

from queuetui.tui.launch import EXIT_SIGNAL_BASE, STOP_GRACE_S

# The console as installed, but with an exit that never returns: the shutdown hangs, as a stuck one does.
HANGING_EXIT = textwrap.dedent(
    """
    import sys, threading
    from queuetui.tui.app import QueueApp
    QueueApp.exit = lambda self, *args, **kwargs: threading.Event().wait()
    from queuetui.cli import main
    sys.exit(main(["--demo"]))
    """
)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_console_whose_shutdown_hangs_leaves_within_its_grace_time(isolated_home: Path, stop: signal.Signals):
    with PtyProgram([sys.executable, "-c", HANGING_EXIT], env=run_env(isolated_home)) as term:
        term.wait_for("demo@", timeout=30)
        asked = time.monotonic()
        os.kill(term.pid, stop)
        assert eventually(lambda: term.returncode() is not None, timeout=STOP_GRACE_S + 10), "still running"
        took = time.monotonic() - asked
        assert term.returncode() == EXIT_SIGNAL_BASE + stop
    assert took >= STOP_GRACE_S - 0.5, "it left by the deadline, not by a shutdown that should have hung"
