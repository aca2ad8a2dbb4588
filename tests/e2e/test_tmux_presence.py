"""Two consoles on one presence store: the installed `queuetui` twice in tmux, each with its own state folder,
signed in to the simulator; on one SQLite file (one jump host), and on a PostgreSQL server the test starts (as two
jump hosts would share it). A spies on the call B is on: B's top line and live list
show it within 2 s. A killed with kill -9 (no chance to withdraw its row): gone from B once its heartbeat expires."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from helpers import eventually, installed_command, run_env
from tmuxdriver import TmuxSession, have_tmux

from queuetui.core.presence.store import EXPIRY_S, HEARTBEAT_S
from queuetui.sim import DEMO_SSID, SimServer

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux() and not os.environ.get("CI"), reason="tmux is not installed"),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg").url())
    floor = tmp_path / "shared" / "presence.db"
    floor.parent.mkdir()
    return f"sqlite://{floor}"


def _console(home: Path, sim: SimServer, store_url: str, name: str) -> TmuxSession:
    config = home / ".config" / "queuetui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        f'presence = "{store_url}"\ndisplay_name = "{name}"\n'
        f'[profiles.desk]\nbase_url = "{sim.url}"\nsnooper_number = "9876543210"\n'
        '[profiles.desk.live_calls]\nsource = "deepcall"\n'
        '[profiles.desk.live_calls.fields]\nagent_name = "/agentName"\n',
        encoding="utf-8",
    )
    env = {**run_env(home), "QUEUETUI_SSID": DEMO_SSID}
    term = TmuxSession([installed_command()], env=env).start()
    term.wait_for("Sign in", timeout=30)
    term.send("Enter")
    term.wait_for("Signed in", timeout=30)
    term.wait_for("C-10023 13 Asha", timeout=30)  # the live list has the focus
    return term


def _spy_on_c10023(term: TmuxSession) -> None:
    term.send("/")
    term.type("C-10023")
    term.send("Enter", "s")


def _top_line(term: TmuxSession) -> str:
    return term.capture().splitlines()[0]


def test_a_colleague_shows_within_2_s_and_goes_when_killed(tmp_path: Path, sim: SimServer, store_url: str) -> None:
    a_home, b_home = tmp_path / "a", tmp_path / "b"
    b = _console(b_home, sim, store_url, "Bea")
    a = _console(a_home, sim, store_url, "Arun")
    try:
        _spy_on_c10023(b)
        b.wait_for("ON C-10023", timeout=20)
        started = time.monotonic()
        _spy_on_c10023(a)
        on_a = a.wait_for("nobody hears you", timeout=20, interval=0.005)
        assert eventually(lambda: "Arun (SPY" in _top_line(b), timeout=20), b.capture()
        shown_after = time.monotonic() - started
        assert "\u25cf+C-10023" in b.capture(), "B's live list marks the call someone else is on"
        # From A's screen saying it is on the call (its own request and answer take what they take) to B's.
        assert shown_after - on_a < 2.0, f"A's spy took {shown_after - on_a:.2f} s more to reach B's screen"
        os.kill(a.pane_pid(), signal.SIGKILL)
        killed = time.monotonic()
        assert eventually(lambda: "Arun" not in _top_line(b), timeout=30), b.capture()
        gone_after = time.monotonic() - killed
        assert "\u25cf C-10023" in b.capture(), "the mark went with the row"
        # The row expires EXPIRY_S after its last heartbeat; B reads at least once a heartbeat period.
        assert gone_after < EXPIRY_S + 2 * HEARTBEAT_S, f"a killed console stayed {gone_after:.2f} s"
        print(f"\nA on after {on_a:.2f} s, on B after {shown_after:.2f} s; off B {gone_after:.2f} s after kill -9")
    finally:
        a.kill()
        b.kill()
