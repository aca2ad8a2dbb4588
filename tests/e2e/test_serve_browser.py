"""`queuetui serve` in a real browser: headless Chromium from the system, driven by Playwright. A spy sent by
keyboard in one tab succeeds; a second tab has a console of its own; the pages ask nothing of any other
host; the session cap turns a tab away; closing a tab ends its console."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from browserdriver import Room, Tab, browser_missing, chromium
from helpers import eventually, installed_command, outcome_records
from rawserver import RawServer, record_only
from servedriver import ServeProcess, environment_of, have_proc, tcp_sockets, wait_until

from queuetui.sim import DEMO_SSID

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    # In CI a missing browser is a failure, not a skip: .ci/run installs it.
    pytest.mark.skipif(bool(browser_missing()) and not os.environ.get("CI"), reason=browser_missing() or "-"),
    pytest.mark.skipif(not have_proc(), reason="reads processes from /proc (Linux)"),
]

# A row of the sessions list: time, call, agent, mode. The form, the header and the log never put these three
# side by side, so the row is what this finds.
SPY_ROW = r"C-10023\s+13\s+SPY"


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "serve"
    folder.mkdir()
    return folder


def serve(log_dir: Path, *args: str) -> ServeProcess:
    return ServeProcess(args, log_dir=log_dir, command=[installed_command()])


@pytest.fixture
def room(browser) -> Iterator[list[Room]]:
    rooms: list[Room] = []
    yield rooms
    for opened in rooms:
        opened.close()


def open_console(room: Room) -> Tab:
    tab = room.open_tab()
    tab.wait_for_text("Signed in")
    tab.keyboard_focus()
    return tab


def audit_file(console: int) -> Path:
    """A served console keeps its audit trail in state folders of its own, named in its environment."""
    return Path(environment_of(console)["XDG_STATE_HOME"]) / "queuetui" / "audit.jsonl"


def audit_records(audit: Path) -> list[dict[str, object]]:
    return outcome_records(audit) if audit.exists() else []


def test_spy_by_keyboard_in_a_tab_and_a_second_tab_of_its_own(browser, room, log_dir, isolated_home):
    with serve(log_dir) as served:
        room.append(Room(browser, served.url))
        first = open_console(room[0])
        (console,) = served.consoles()
        audit = audit_file(console)
        # Picked from the live list, by keyboard only: filter on the call, down to it, s to spy.
        first.press("/")
        first.type("C-10023")
        first.press("ArrowDown", "s")
        wait_until(lambda: audit_records(audit), 15, "the spy in the audit trail")
        (record,) = audit_records(audit)
        assert (record["call_id"], record["mode"], record["target"], record["outcome"]) == (
            "C-10023",
            "spy",
            "13",
            "ok",
        )
        first.wait_for_pattern(SPY_ROW)  # and the console showed it

        second = open_console(room[0])
        assert len(served.consoles()) == 2
        (other,) = served.consoles() - {console}
        assert audit_file(other) != audit
        assert not re.search(SPY_ROW, second.screen()), second.screen()
        assert "Sessions this shift" in second.screen()  # the list is there, and empty
        assert re.search(SPY_ROW, first.screen())  # while the first tab still has its row

        sockets = [url for url in room[0].requests if url.startswith("ws")]
        assert len(sockets) == 2  # one console each
        assert room[0].elsewhere() == []
        assert any(url.endswith(".ttf") for url in room[0].requests)  # fonts came, and from the server
    assert not (isolated_home / ".local" / "state" / "queuetui").exists()  # the trainer's audit trail untouched


def test_the_cap_turns_a_tab_away_and_a_closed_tab_ends_its_console(browser, room, log_dir):
    with serve(log_dir, "--max-sessions", "1") as served:
        room.append(Room(browser, served.url))
        first = open_console(room[0])
        (console,) = served.consoles()

        turned_away = room[0].open_tab()
        assert "No free console" in turned_away.page.inner_text("body")
        assert "--max-sessions" in turned_away.page.inner_text("body")
        assert served.consoles() == {console}

        first.close()
        wait_until(lambda: console not in served.consoles(), 15, "the closed tab's console to end")
        turned_away.page.get_by_text("try again").click()
        turned_away.wait_for_text("Signed in")
        assert len(served.consoles()) == 1
        assert room[0].elsewhere() == []


def visible_text(tab: Tab) -> str:
    """What the page shows outside the terminal (innerText leaves out what CSS hides)."""
    return str(tab.page.inner_text("body"))


def test_tabs_beyond_the_cap_are_told_no_free_console_and_retry(browser, room, log_dir):
    with serve(log_dir, "--max-sessions", "2") as served:
        room.append(Room(browser, served.url))
        # Four tabs opened together (no waiting between them) for two seats.
        tabs = [room[0].open_tab(wait=False) for _ in range(4)]
        for tab in tabs:
            tab.page.wait_for_load_state()
        wait_until(lambda: len(served.consoles()) == 2, 30, "two consoles")
        wait_until(
            lambda: len([tab for tab in tabs if "No free console" in visible_text(tab)]) == 2, 30, "two full pages"
        )
        assert all("This console has ended" not in visible_text(tab) for tab in tabs)
        turned_away = [tab for tab in tabs if "No free console" in visible_text(tab)]
        assert all("Trying again in" in visible_text(tab) for tab in turned_away)
        assert len(served.consoles()) == 2

        # A seat frees: one turned-away tab gets it on its own, counting down, with no click.
        seated = [tab for tab in tabs if tab not in turned_away]
        seated[0].close()
        # Both count down and ask again (either may be between two asks when looked at): one gets the seat.
        wait_until(lambda: any("Signed in" in tab.screen() for tab in turned_away), 30, "a retry to get in")
        (retried,) = [tab for tab in turned_away if "Signed in" in tab.screen()]
        (still_out,) = [tab for tab in turned_away if tab is not retried]
        wait_until(lambda: "No free console" in visible_text(still_out), 30, "the other tab still turned away")
        assert len(served.consoles()) == 2
        assert room[0].elsewhere() == []


def test_a_reload_at_the_cap_gets_its_console_back_within_the_countdown(browser, room, log_dir):
    with serve(log_dir, "--max-sessions", "1") as served:
        room.append(Room(browser, served.url))
        tab = open_console(room[0])
        (before,) = served.consoles()
        tab.page.reload()
        # Whether the reload found the seat still taken or not, the same tab is signed in again within a countdown.
        tab.wait_for_text("Signed in", timeout=15)
        wait_until(lambda: before not in served.consoles(), 15, "the old console to end")
        assert len(served.consoles()) == 1
        assert "This console has ended" not in visible_text(tab)


def test_a_served_console_reaches_nothing_but_its_simulator(browser, room, log_dir, write_config, self_signed):
    tls = self_signed.server_context()
    with RawServer(record_only) as http_canary, RawServer(record_only, tls=tls) as tls_canary:
        # The trainer's own config and settings point at the canaries: a served console must use none of it.
        config = write_config(
            f'default_profile = "floor"\n[keymap]\n"console.spy" = "f12"\n'
            f'[profiles.floor]\nbase_url = "{http_canary.url}"\nallow_insecure_http = true\n'
            f'[profiles.tls]\nbase_url = "{tls_canary.url}"\n'
        )
        env = {"QUEUETUI_CONFIG": str(config), "QUEUETUI_PROFILE": "floor", "QUEUETUI_SSID": DEMO_SSID}
        with ServeProcess([], log_dir=log_dir, command=[installed_command()], env=env) as served:
            room.append(Room(browser, served.url))
            tab = open_console(room[0])
            (console,) = served.consoles()
            assert " DEMO " in tab.screen()
            # Its key bar offers keys a browser passes on, and its help says which it keeps.
            key_bar = tab.screen().rstrip().splitlines()[-1]
            assert "f2" in key_bar and "Spy" in key_bar
            assert not any(kept in key_bar for kept in ("^t", "^w", "^n")), key_bar
            tab.press("F1")
            tab.wait_for_text("stay with the browser")
            tab.press("Escape")
            tab.wait_for_no_text("stay with the browser")
            # Every way out a trainee could try from the keyboard: the palette's sign out, profile and config,
            # the sign-in screen's keys, and the canaries' URLs typed wherever text goes.
            for search in ("sign out", "profile", "config", "keymap", "base url"):
                tab.press("Control+KeyP")  # by its key's code, as a keyboard sends it: "Control+p" is not read so
                tab.wait_for_text("part of a command")  # the palette's search field
                tab.type(search)
                tab.wait_for_text(search)
                assert "Forget the credentials" not in tab.screen()
                tab.press("Escape")
                tab.wait_for_no_text(f">  {search}")  # the palette's search line, gone with it
            # What signs in elsewhere from a sign-in screen, had one opened: back to the base URL, the canary's URL
            # over it, on to the session id, Enter.
            tab.press("Shift+Tab", "Shift+Tab", "Control+KeyU")
            tab.type(http_canary.url)
            tab.press("Tab", "Tab")
            tab.type(DEMO_SSID)
            tab.press("Enter", "Escape")
            for key in ("F9", "Control+KeyO", "F12"):
                tab.press(key)
            tab.press("Tab")  # into the form
            for url in (http_canary.url, tls_canary.url, f"//127.0.0.1:{http_canary.port}"):
                tab.type(url)
                tab.press("Enter")
            tab.press("/")  # and the live list's filter
            tab.type(tls_canary.url)
            tab.press("Enter", "Escape")
            tab.wait_for_text("DEMO")
            listening = [local for local, _, state in tcp_sockets(console) if state == "0A"]
            assert len(listening) == 1, "the console listens once: its simulator"
            (sim_port,) = listening
            # Every connection the console holds is to or from its own simulator.
            connected = [(local, remote) for local, remote, state in tcp_sockets(console) if state == "01"]
            assert connected, "no connection seen: the check would pass on anything"
            assert all(sim_port in pair for pair in connected), connected
            assert room[0].elsewhere() == []
    assert http_canary.connections == tls_canary.connections == 0
    assert http_canary.received == tls_canary.received == b""


def test_the_tour_step_stays_readable_beside_its_notices(browser, room, log_dir):
    with serve(log_dir) as served:
        room.append(Room(browser, served.url))  # 1280x800
        tab = open_console(room[0])
        tab.press("Control+KeyP")
        tab.wait_for_text("part of a command")
        tab.type("tour")
        tab.wait_for_text("guided tour")
        # The list on screen may still be one for part of the text: that Enter is refused with a bell, and the
        # trainer presses it again.
        tab.press("Enter")
        if not eventually(lambda: "Tour 1/8" in tab.screen(), timeout=3):
            tab.press("Enter")
        tab.wait_for_text("Tour 1/8")
        tab.press("s")  # step 1: spy from the list
        tab.wait_for_text("Tour 2/8")
        tab.wait_for_pattern(r"SPY on C-\d+")  # its notice is up
        screen = tab.screen()
        (step,) = [line for line in screen.splitlines() if "Tour 2/8" in line]
        tour_rows = screen[screen.index(step) :]
        # The whole step, to its last words, is on screen: no notice lies over it.
        assert "(Esc leaves)" in tour_rows, screen
        assert re.search(r"SPY on C-\d+", screen[: screen.index(step)]), "the notice is above the step"
