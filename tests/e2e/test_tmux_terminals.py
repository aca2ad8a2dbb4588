"""Legibility on poor terminals: 16 colours (TERM=xterm) at 80x24, and monochrome under NO_COLOR."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from helpers import installed_command, outcome_records, run_env
from tmuxdriver import TmuxSession, have_tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux() and not os.environ.get("CI"), reason="tmux is not installed"),
]

# SGR parameters that set a colour: 30-37/90-97 (16 colours), 40-47/100-107, and 38;/48; (256 or RGB).
_COLOUR_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def colour_codes(screen: str) -> set[str]:
    found: set[str] = set()
    for params in _COLOUR_SGR.findall(screen):
        parts = params.split(";")
        index = 0
        while index < len(parts):
            part = parts[index]
            if part in ("38", "48"):
                found.add(";".join(parts[index : index + 3]))
                index += 3 if parts[index + 1 : index + 2] == ["5"] else 5
                continue
            basic = (range(30, 38), range(40, 48), range(90, 98), range(100, 108))  # 39/49 are "default"
            if part.isdigit() and any(int(part) in span for span in basic):
                found.add(part)
            index += 1
    return found


def start_demo(
    home: Path, term: str, extra: dict[str, str] | None = None, client_locale: str | None = None
) -> TmuxSession:
    session = TmuxSession(
        [installed_command(), "--demo"], env={**run_env(home), **(extra or {})}, term=term, client_locale=client_locale
    )
    return session.start()


def test_16_colour_terminal_is_legible(isolated_home: Path):
    term = start_demo(isolated_home, "xterm")
    try:
        for text in ("DEMO", "Monitor a call", "(\u2022) SPY", "Sessions this shift", "f2 ^o Spy", "Signed in"):
            term.wait_for(text, timeout=20)
        term.send("F4")
        term.wait_for("(\u2022) BARGE")
        term.wait_for("Agent AND customer hear you")
        # tmux reports at most the 16 basic colours (and their bright forms) for TERM=xterm's palette.
        codes = colour_codes(term.capture(escapes=True))
        assert codes, "no colour at all: the 16-colour palette was not used"
    finally:
        term.kill()


def test_no_color_gives_monochrome(isolated_home: Path):
    term = start_demo(isolated_home, "xterm-256color", {"NO_COLOR": "1"})
    try:
        term.wait_for("Signed in", timeout=20)
        term.wait_for("(\u2022) SPY")
        screen = term.capture(escapes=True)
        assert "\x1b[" in screen, "capture-pane lost the styling sequences"
        hues = {code for code in colour_codes(screen) if not _is_grey(code)}
        assert hues == set(), f"NO_COLOR still drew colours: {sorted(hues)}"
    finally:
        term.kill()


def _is_grey(code: str) -> bool:
    """Black, white and greys carry no hue: monochrome may still use them for contrast."""
    parts = code.split(";")
    if parts[0] in ("38", "48") and len(parts) == 5:
        red, green, blue = (int(p) for p in parts[2:])
        return red == green == blue
    if parts[0] in ("38", "48") and len(parts) == 3:
        index = int(parts[2])
        return index in (0, 7, 8, 15, 16, 231) or 232 <= index <= 255
    return code in ("30", "37", "40", "47", "90", "97", "100", "107")


def test_a_terminal_without_utf8_reads_in_plain_ascii(isolated_home: Path):
    """A jump host with no UTF-8 locale: tmux shows every non-ASCII character as `_`, so the console writes
    ASCII twins instead, and the top line still says who hears you."""
    term = start_demo(isolated_home, "xterm", {"LANG": "C"}, client_locale="C")
    try:
        term.wait_for("C-10023 13 Asha", timeout=20)
        term.send("/", "C-10023", "Enter", "s")  # one burst
        term.wait_for("* ON C-10023 | SPY | nobody hears you", timeout=10)
        term.wait_for("(*) SPY")
        screen = term.capture()
        assert screen.isascii()
        assert "_" not in screen, f"a character tmux could not show:\n{screen}"
        # Borders in ASCII, lined up; the list has the focus: `=` along its frame.
        assert "+= Live calls ===" in screen
    finally:
        term.kill()
    audit = isolated_home / ".local" / "state" / "queuetui" / "audit.jsonl"
    records = outcome_records(audit)
    assert [(r["call_id"], r["mode"], r["outcome"]) for r in records] == [("C-10023", "spy", "ok")]
