"""The installed console in tmux at 80x24, TERM=xterm, keys sent in one burst as over a slow link: an Esc in the
burst closes the palette and nothing in it runs; a second Enter behind the one that copied a row sends nothing; a
barge left for a spy on another call stays on the top line, and "I hung up" is an audit record per leg."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from helpers import eventually, installed_command, outcome_records, run_env
from tmuxdriver import TmuxSession, have_tmux

from queuetui.tui.widgets.live_calls import REACTION_S

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux() and not os.environ.get("CI"), reason="tmux is not installed"),
]


def records(home: Path) -> list[tuple[object, object, object]]:
    path = home / ".local" / "state" / "queuetui" / "audit.jsonl"
    return [(r["call_id"], r["mode"], r["outcome"]) for r in outcome_records(path)] if path.exists() else []


def top_row(term: TmuxSession) -> str:
    return term.capture().splitlines()[0]


@pytest.fixture
def demo(isolated_home: Path):
    with TmuxSession([installed_command(), "--demo"], env=run_env(isolated_home), term="xterm") as term:
        term.wait_for("demo@", timeout=20)
        term.wait_for("C-10023 13 Asha")
        yield term


def wait_until_gone(term: TmuxSession, text: str, timeout: float = 10.0) -> None:
    assert eventually(lambda: text not in term.capture(), timeout), f"{text!r} still on screen:\n{term.capture()}"


def answer(term: TmuxSession, key: str, then: str) -> None:
    """Press `key` on a question until the pattern `then` shows: a key the console handles before it has marked the
    question as shown (a busy machine) is refused, and the box says so; the key pressed again once that is read
    counts."""
    term.send(key)
    assert eventually(lambda: re.search(then, screen := term.capture()) or "came before this question" in screen), (
        f"{then!r} not on screen:\n{term.capture()}"
    )
    if not re.search(then, term.capture()):  # refused: the box says so
        term.send(key)
        assert eventually(lambda: re.search(then, term.capture())), f"{then!r} not on screen:\n{term.capture()}"


def test_an_escape_in_a_burst_closes_the_palette_and_nothing_in_it_runs(demo: TmuxSession, isolated_home: Path):
    demo.send("s")
    demo.wait_for("\u25cf ON C-10023 \u00b7 SPY")
    demo.send("C-p")
    demo.wait_for("part of a command")
    demo.type("hung")
    demo.wait_for("My phone is down")  # the palette's list for "hung": "I hung up" highlighted
    demo.send("Escape", "/", "C-10050", "Enter")  # one burst
    wait_until_gone(demo, "My phone is down")
    # Whatever of the burst the palette took before it closed, nothing ran: no hang-up, no action.
    demo.send("/", "C-10050", "Enter", "s")
    demo.wait_for("C-10050 SPY")
    assert records(isolated_home) == [("C-10023", "spy", "ok"), ("C-10050", "spy", "ok")]


def test_down_enter_enter_on_the_list_copies_the_call_and_sends_nothing(demo: TmuxSession, isolated_home: Path):
    # The list read before the burst (a key typed sooner reaches none of its rows but the first), then one burst:
    # whisper, next row, copy, and Enter again.
    demo.send_once_read(REACTION_S, "F3", "Down", "Enter", "Enter")
    demo.wait_for("Call   C-10017")
    demo.send("s")  # the list kept the focus: s spies on the highlighted row, copied above
    demo.wait_for("\u25cf ON C-10017")
    assert records(isolated_home) == [("C-10017", "spy", "ok")]


def test_a_barge_left_for_a_spy_stays_on_the_top_line_and_hanging_up_is_recorded(
    demo: TmuxSession, isolated_home: Path
):
    demo.send("b")
    demo.wait_for("Barge into a live call?")
    # The top line's compact form ("ON" and dots dropped) leaves room for who else is on the call.
    answer(demo, "y", "\u25b2 (ON )?C-10023 (\u00b7 )?BARGE")
    demo.send("/", "C-10017", "Enter", "s")  # one burst: a spy on another call
    assert eventually(lambda: re.search("C-10017 (\u00b7 )?SPY", top_row(demo))), demo.capture()
    top = top_row(demo)
    assert "+1: C-10023 BARGE" in top and " DEMO" in top, top  # named by call and mode, beside the badge
    demo.send("F5")
    demo.wait_for("Which call did you hang up?")
    answer(demo, "a", "\u25cb not on a call")  # all of them
    assert "+1" not in top_row(demo)
    assert sorted(records(isolated_home)) == sorted(
        [("C-10023", "barge", "ok"), ("C-10017", "spy", "ok"), ("C-10017", "spy", "hung_up"),
         ("C-10023", "barge", "hung_up")]
    )  # fmt: skip
