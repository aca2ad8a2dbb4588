"""The installed console, in a terminal, with a live-list program that hangs and has started a child in its group
and one that left it (`setsid`): after Ctrl+Q, a hang-up of the terminal (SIGHUP), SIGTERM or `kill -9`, `ps`
lists none of them."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import HANGING_FEED, desk_on_a_command_source, installed_command, wait_for_processes
from tmuxdriver import TmuxSession, have_tmux

from queuetui.sim import SimServer

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux() and not os.environ.get("CI"), reason="tmux is not installed"),
]


def all_started(found: list[str]) -> bool:
    """The keeper, the program, its child and the child that left its group are all running."""
    return len(found) >= 4 and any(line.endswith("setsid") for line in found)


@pytest.mark.parametrize("ending", ["ctrl+q", "SIGHUP", "SIGTERM", "SIGKILL"])
def test_nothing_of_a_hanging_live_list_program_outlives_the_console(
    isolated_home: Path, sim: SimServer, write_config: Callable[[str], Path], ending: str
) -> None:
    marker = f"queuetui-e2e-feed-{os.getpid()}-{ending}"
    feed = isolated_home / "hanging_feed.py"
    feed.write_text(HANGING_FEED)
    env = desk_on_a_command_source(write_config, isolated_home, sim.url, feed, marker)
    with TmuxSession([installed_command()], env=env, term="xterm") as term:
        term.wait_for("Sign in", timeout=20)
        term.send("Enter")
        term.wait_for("Signed in")
        wait_for_processes(marker, all_started)
        if ending == "ctrl+q":
            term.send("C-q")
        else:
            os.kill(term.pane_pid(), getattr(signal, ending))
        assert wait_for_processes(marker, lambda found: not found) == []
