"""The screenshot command drives the real app and writes every screenshot; none holds a credential."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from queuetui.sim import DEMO_SSID, DEMO_TOKEN

REPO = Path(__file__).resolve().parent.parent
EXPECTED = {
    "login": "sign in",
    "console-idle": "Live calls",
    "console-in-flight": "sending",
    "console-success": "ON C-10023 \u00b7 SPY \u00b7 nobody hears you",
    "console-live-whisper": "ON C-10023 \u00b7 WHISPER \u00b7 the agent hears you",
    "console-1501": "retry 1 of 2",
    "barge-confirm": "Barge into a live call?",
    "help": "Keys (Esc closes)",
    "tour": "Tour 1/8",
    "theme-queuetui-dark": "Sessions this shift",
    "theme-queuetui-light": "Sessions this shift",
    "theme-queuetui-contrast": "Sessions this shift",
    "theme-queuetui-ansi": "Sessions this shift",
}
SECRETS = (DEMO_SSID, DEMO_TOKEN)
# The demo's sign-in screen shows its public credentials on purpose (they open nothing but the simulator);
# every other picture is taken signed in with them, where they must show masked or not at all.
SHOWS_DEMO_CREDENTIALS = {"login"}


def svg_text(path: Path) -> str:
    """The SVG with the non-breaking-space entities Textual writes turned back into spaces."""
    return path.read_text(encoding="utf-8").replace("&#160;", " ")


@pytest.mark.slow
def test_command_writes_every_screenshot_without_credentials(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "screenshots.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for name, marker in EXPECTED.items():
        text = svg_text(tmp_path / f"{name}.svg")
        assert marker in text, f"{name}.svg does not show {marker!r}"
        for secret in SECRETS:
            assert (secret in text) == (name in SHOWS_DEMO_CREDENTIALS), f"{name}.svg and the demo credentials"
    for secret in SECRETS:
        assert secret not in result.stdout + result.stderr


def test_committed_screenshots_hold_no_credentials():
    shots = sorted((REPO / "screenshots").glob("*.svg"))
    assert {p.stem for p in shots} >= set(EXPECTED), "screenshots/ is missing some; run scripts/screenshots.py"
    for path in shots:
        text = svg_text(path)
        for secret in SECRETS:
            assert (secret in text) == (path.stem in SHOWS_DEMO_CREDENTIALS), f"{path.name} and the demo credentials"
