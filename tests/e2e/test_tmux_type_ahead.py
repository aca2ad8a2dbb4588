"""Type-ahead in a real terminal: the installed `queuetui`, signed in to the simulator with a profile, in tmux at
80x24 with TERM=xterm; every scenario is typed as one `send-keys` burst, as keys arrive over a slow SSH link.
What was sent is read from the audit trail, never from the screen: the screen may show the right thing while
the wrong request goes out."""

from __future__ import annotations

import contextlib
import json
import os
import re
import termios
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import eventually, installed_command, run_env
from tmuxdriver import TmuxError, TmuxSession, have_tmux

from queuetui.sim import DEMO_SSID, SimServer

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux() and not os.environ.get("CI"), reason="tmux is not installed"),
]

CONFIRM_TITLE = "Barge into a live call?"
Sent = tuple[str, str, str]  # call id, mode, outcome


@pytest.fixture
def sign_in_screen(isolated_home: Path, sim: SimServer, write_config: Callable[[str], Path]) -> Iterator[TmuxSession]:
    """The sign-in screen, filled in (the secret from the environment) with Sign in focused. A profile without
    a live call list, so the console's form is where typing starts."""
    write_config(f'[profiles.desk]\nbase_url = "{sim.url}"\nsnooper_number = "9876543210"\n')
    env = {**run_env(isolated_home), "QUEUETUI_SSID": DEMO_SSID}
    with TmuxSession([installed_command()], env=env, term="xterm") as term:
        term.wait_for("Sign in", timeout=20)
        yield term


@pytest.fixture
def console(sign_in_screen: TmuxSession) -> TmuxSession:
    """The console signed in to the simulator and idle, the cursor in its empty Call field."""
    sign_in_screen.send("Enter")
    sign_in_screen.wait_for("Signed in")
    sign_in_screen.wait_for("(\u2022) SPY")
    return sign_in_screen


def audit_file(home: Path) -> Path:
    return home / ".local" / "state" / "queuetui" / "audit.jsonl"


def sent(home: Path) -> list[Sent]:
    path = audit_file(home)
    if not path.exists():
        return []
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["call_id"], r["mode"], r["outcome"]) for r in records if r["event"] == "outcome"]


def attempts(home: Path) -> int:
    path = audit_file(home)
    if not path.exists():
        return 0
    return sum(json.loads(line)["event"] == "attempt" for line in path.read_text(encoding="utf-8").splitlines())


def wait_for_records(home: Path, count: int, timeout: float = 10.0) -> list[Sent]:
    """The audit's outcome records once there are `count` and every action begun has ended: an extra one the
    keys started is then among them."""
    if not eventually(lambda: len(sent(home)) >= count and attempts(home) <= len(sent(home)), timeout):
        raise AssertionError(f"expected {count} audit records, found {sent(home)}")
    return sent(home)


def form_line(term: TmuxSession, label: str) -> str:
    """The form's row that starts with `label`, as the terminal shows it."""
    rows = [line for line in term.capture().splitlines() if line[1:].strip().startswith(label)]
    assert rows, f"no form row {label!r} on screen:\n{term.capture()}"
    return rows[0]


def snoop_types(sim: SimServer) -> list[object]:
    return [r.parsed.get("snoopType") for r in sim.received if isinstance(r.parsed, dict)]


def answer_once_shown(term: TmuxSession, key: str, then: str) -> None:
    """Types `key` at a question on screen until `then` shows (three times at most). The question takes an answer
    typed after it was drawn, and it stamps itself drawn just after its frame has gone out: a key typed within that
    moment, far sooner than anyone reads, is refused as typed ahead, as a test typing the instant the frame shows
    may do on a busy machine. The next one answers."""
    for _ in range(2):
        term.send(key)
        with contextlib.suppress(TmuxError):
            term.wait_for(then, timeout=3)
            return
    term.send(key)
    term.wait_for(then)


def test_an_action_typed_right_after_the_sign_in_enter_is_the_one_sent(
    sign_in_screen: TmuxSession, isolated_home: Path, sim: SimServer
) -> None:
    # The keys after Enter reach the console, not the sign-in form it has already read.
    sign_in_screen.send("Enter", "C-10023", "Tab", "F3", "Tab", "Tab", "13", "Enter")
    assert wait_for_records(isolated_home, 1) == [("C-10023", "whisper", "ok")]
    assert snoop_types(sim) == ["whisper"]
    sign_in_screen.wait_for("ON C-10023 \u00b7 WHISPER")


def test_f3_right_after_enter_changes_only_the_next_action(
    console: TmuxSession, isolated_home: Path, sim: SimServer
) -> None:
    console.send("C-10017", "Tab", "Tab", "Tab", "7", "Enter", "F3")
    console.wait_for("(\u2022) WHISPER")  # F3 was handled, after Enter had read the form
    assert wait_for_records(isolated_home, 1) == [("C-10017", "spy", "ok")]
    assert snoop_types(sim) == ["spy"]


def test_f4_right_after_enter_asks_nothing_about_the_action_already_sent(
    console: TmuxSession, isolated_home: Path, sim: SimServer
) -> None:
    console.send("C-10017", "Tab", "Tab", "Tab", "7", "Enter", "F4")
    console.wait_for("(\u2022) BARGE")
    assert wait_for_records(isolated_home, 1) == [("C-10017", "spy", "ok")]
    assert snoop_types(sim) == ["spy"]
    assert CONFIRM_TITLE not in console.capture()


def test_a_barge_answer_typed_before_the_question_is_shown_sends_nothing(
    console: TmuxSession, isolated_home: Path, sim: SimServer
) -> None:
    # F4 Enter y in one burst: the y reaches the question before anyone can have read it. Only a y given once
    # the question is on screen barges.
    console.send("C-10023", "Tab", "Tab", "Tab", "13", "F4", "Enter", "y")
    console.wait_for("came before this question")  # the y, refused: every key typed has been handled
    assert CONFIRM_TITLE in console.capture()
    assert sent(isolated_home) == [] and snoop_types(sim) == []
    answer_once_shown(console, "y", then="ON C-10023 \u00b7 BARGE")
    assert wait_for_records(isolated_home, 1) == [("C-10023", "barge", "ok")]
    assert snoop_types(sim) == ["barge"]


def test_keys_after_enter_leave_the_call_already_sent_unchanged(console: TmuxSession, isolated_home: Path) -> None:
    console.send("C-10023", "Tab", "Tab", "Tab", "13", "Enter", "BTab", "BTab", "BTab", "C-100")
    assert wait_for_records(isolated_home, 1) == [("C-10023", "spy", "ok")]
    console.wait_for("C-100 ")
    row = form_line(console, "Call")  # typed over the selected C-10023, ready for the next action
    assert re.search(r"\sC-100\s", row) and "C-10023" not in row, row


def test_two_actions_in_one_burst_are_both_sent(console: TmuxSession, isolated_home: Path) -> None:
    console.send(
        *("C-10023", "Tab", "Tab", "Tab", "13", "Enter"),
        *("BTab", "BTab", "BTab", "C-10017", "Tab", "Tab", "Tab", "7", "Enter"),
    )
    assert sorted(wait_for_records(isolated_home, 2)) == [("C-10017", "spy", "ok"), ("C-10023", "spy", "ok")]


def test_a_second_action_on_a_call_in_flight_is_refused_on_the_record(
    console: TmuxSession, isolated_home: Path, sim: SimServer
) -> None:
    sim.faults.latency_s = 0.4  # the whisper arrives while the spy is in flight
    console.send("C-10023", "Tab", "Tab", "Tab", "13", "Enter", "F3", "Enter")
    assert sorted(wait_for_records(isolated_home, 2)) == [("C-10023", "spy", "ok"), ("C-10023", "whisper", "refused")]
    records = [json.loads(line) for line in audit_file(isolated_home).read_text(encoding="utf-8").splitlines()]
    [refusal] = [record["message"] for record in records if record.get("outcome") == "refused"]
    assert refusal.startswith("WHISPER on call C-10023 not sent: SPY on it is still on its way")
    assert snoop_types(sim) == ["spy"]


def paste(term: TmuxSession, text: str) -> None:
    """A bracketed paste, as a terminal delivers one (the driver has no public call for it)."""
    term._tmux("set-buffer", "--", text)
    term._tmux("paste-buffer", "-p", "-t", "main")


def test_a_pasted_call_id_is_sent_as_pasted(console: TmuxSession, isolated_home: Path, sim: SimServer) -> None:
    paste(console, "C-10023")
    console.send("Tab", "Tab", "Tab", "13", "Enter")
    assert wait_for_records(isolated_home, 1) == [("C-10023", "spy", "ok")]


def test_a_burst_typed_with_the_demo_command_acts_once_the_demo_is_open(isolated_home: Path) -> None:
    # Typed before the app has the terminal (its Enter then arrives as a line feed) and before the demo's session
    # and live list are there: each key still acts in the order typed, on what it was typed at.
    with TmuxSession([installed_command(), "--demo"], env=run_env(isolated_home), term="xterm") as term:
        term.send("/", "C-10031", "Enter", "w")
        term.wait_for("ON C-10031 \u00b7 WHISPER")
    assert wait_for_records(isolated_home, 1) == [("C-10031", "whisper", "ok")]


def test_a_burst_typed_with_the_demo_command_acts_as_the_keymap_says(isolated_home: Path) -> None:
    # Spy and whisper swapped in the keymap. Typed before the config is read, F3 used to act as the default
    # keymap has it: whisper, into a live call the supervisor meant only to hear.
    config = isolated_home / ".config" / "queuetui" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[keymap]\n"console.spy" = "f3"\n"console.whisper" = "f2"\n')
    with TmuxSession([installed_command(), "--demo"], env=run_env(isolated_home), term="xterm") as term:
        term.send("C-10023", "Tab", "F3", "Tab", "Tab", "13", "Enter")
        term.wait_for("ON C-10023 \u00b7 SPY")
    assert wait_for_records(isolated_home, 1) == [("C-10023", "spy", "ok")]


def test_a_barge_answer_typed_with_the_demo_command_sends_nothing(isolated_home: Path) -> None:
    # Typed while the console starts, the Enter waits for the session and the y waits behind it: the question is
    # drawn before the y is handled, but the y was typed long before anyone could have read it.
    with TmuxSession([installed_command(), "--demo"], env=run_env(isolated_home), term="xterm") as term:
        # C-10017: the demo's colleague is on C-10023, and the top line then shortens its words to name her.
        term.send("C-10017", "Tab", "Tab", "Tab", "7", "F4", "Enter", "y")
        term.wait_for("came before this question", timeout=20)  # the y, refused: every key has been handled
        assert CONFIRM_TITLE in term.capture()
        assert sent(isolated_home) == []
        answer_once_shown(term, "y", then="ON C-10017 \u00b7 BARGE")
    assert wait_for_records(isolated_home, 1) == [("C-10017", "barge", "ok")]


def test_keys_typed_while_start_up_is_held_up_wait_for_it_then_act(isolated_home: Path) -> None:
    # The config is a named pipe nobody writes yet, so start-up waits: the keymap it may hold is not known, and
    # the keys typed meanwhile wait for it, the screen saying it is starting.
    config = isolated_home / ".config" / "queuetui" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(config)
    writer: list[int] = []

    def start_up_reads_the_config() -> bool:
        # A writer opens once the reader has: held open, unwritten, it keeps start-up waiting for the rest.
        with contextlib.suppress(OSError):
            writer.append(os.open(config, os.O_WRONLY | os.O_NONBLOCK))
        return bool(writer)

    with TmuxSession([installed_command(), "--demo"], env=run_env(isolated_home), term="xterm") as term:
        try:
            # C-10017: a whisper on C-10023, which the demo's colleague is on, asks first.
            term.send("C-10017", "Tab", "F3", "Tab", "Tab", "7", "Enter")
            assert eventually(start_up_reads_the_config, timeout=20), "start-up never opened the config"
            term.wait_for("starting", timeout=20)
            screen = term.capture()
            assert "starting" in screen.splitlines()[0], screen
            assert not re.search(r"Call +C-10017", screen), screen
        finally:
            for fd in writer:
                os.close(fd)  # the reader is waiting: start-up goes on
        term.wait_for("ON C-10017 \u00b7 WHISPER")
    assert wait_for_records(isolated_home, 1) == [("C-10017", "whisper", "ok")]


def test_a_call_copied_from_the_list_is_the_one_the_keys_typed_after_it_send(isolated_home: Path) -> None:
    # Enter on the list copies the call into the form; the Tab, F3 and Enter behind it act on the copied form.
    with TmuxSession([installed_command(), "--demo"], env=run_env(isolated_home), term="xterm") as term:
        term.wait_for("demo@")
        term.send("/", "C-10017", "Enter", "Enter", "Tab", "Tab", "F3", "Enter")
        term.wait_for("ON C-10017 \u00b7 WHISPER")
    assert wait_for_records(isolated_home, 1) == [("C-10017", "whisper", "ok")]


def test_ctrl_q_typed_as_the_app_starts_quits_it(isolated_home: Path) -> None:
    # Until the app has the terminal, the terminal's flow control takes Ctrl+Q for itself (it means "resume
    # output" there). queuetui turns flow control off first thing, so a Ctrl+Q typed while the terminal is still
    # line by line (Textual has not taken it yet) arrives, and quits.
    with TmuxSession([installed_command(), "--demo"], env=run_env(isolated_home), term="xterm") as term:
        fd = os.open(term.pane_tty(), os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)

        def flow_control_off_and_line_by_line() -> bool:  # Textual's own settings not there yet
            iflag, _, _, lflag = termios.tcgetattr(fd)[:4]
            return not iflag & termios.IXON and bool(lflag & termios.ICANON)

        try:
            assert eventually(flow_control_off_and_line_by_line, interval=0.001), (
                "flow control was never off before the app took the terminal"
            )
        finally:
            os.close(fd)
        term.send("C-q")
        assert eventually(term.is_dead, timeout=20), f"still running after Ctrl+Q; screen:\n{term.capture()}"
