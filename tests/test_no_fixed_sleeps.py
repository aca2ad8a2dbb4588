"""Tests wait for the event they are about, not for the clock: a fixed sleep passes on a quiet machine and fails
on a busy one (or passes with the bug it was meant to catch). Only the modules below may sleep, each for a reason."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).parent

# A sleep, or a Pilot pause given a delay (a bare `pause()` waits for the app to be idle: an event).
FIXED_SLEEP = re.compile(r"\b(?:time|asyncio)\.sleep\(|\.pause\(\s*[^)\s]")

ALLOWED = {
    "helpers.py": "eventually and wait_for_processes poll a condition with a deadline; the dripping body is a "
    "server told to answer slowly; PILOT_UNTIL polls in a child script",
    "tui/conftest.py": "wait_until lets the app run until a condition holds",
    "tmuxdriver.py": "wait_for polls the terminal for a text",
    "ptydriver.py": "its waits poll what the terminal was sent for a marker, any output, or quiet",
    "servedriver.py": "wait_until polls a condition with a deadline",
    "test_no_fixed_sleeps.py": "this test, which names what it looks for",
    "floorrace.py": "the race harness types bursts at chosen moments around a refresh: the timing is what it tests",
}


def fixed_sleeps() -> list[str]:
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        name = path.relative_to(TESTS).as_posix()
        if name in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FIXED_SLEEP.search(line):
                found.append(f"{name}:{number}: {line.strip()}")
    return found


def test_no_test_sleeps_for_a_fixed_time():
    assert fixed_sleeps() == [], "wait for the event instead (helpers.eventually, tui.conftest.wait_until)"


def test_the_check_sees_each_kind_of_fixed_sleep():
    # Without this, a pattern that matched nothing would pass the test above.
    for line in ("time.sleep(0.5)", "await asyncio.sleep(1)", "await pilot.pause(1.5)", "await pilot.pause(delay=1)"):
        assert FIXED_SLEEP.search(line), line
    for line in ("await pilot.pause()", "signal.pause()", 'monkeypatch.setattr("m.time.sleep", sleep)'):
        assert not FIXED_SLEEP.search(line), line


def test_every_allowed_module_exists_and_still_needs_it():
    for name in ALLOWED:
        text = (TESTS / name).read_text(encoding="utf-8")
        assert FIXED_SLEEP.search(text), f"{name} sleeps no more: take it off the list"
