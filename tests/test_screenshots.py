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
    "console-idle": "Monitor a call",
    "console-in-flight": "sending C-10023",
    "console-success": "Spy started on call C-10023",
    "console-1501": "retry 2 of 3",
    "barge-confirm": "Barge into a live call?",
    "help": "Keys (Esc closes)",
    "theme-queuetui-dark": "Sessions this shift",
    "theme-queuetui-light": "Sessions this shift",
    "theme-queuetui-contrast": "Sessions this shift",
    "theme-queuetui-ansi": "Sessions this shift",
}
SECRETS = (DEMO_SSID, DEMO_TOKEN)


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
            assert secret not in text, f"{name}.svg holds a credential"
    for secret in SECRETS:
        assert secret not in result.stdout + result.stderr


def test_committed_screenshots_hold_no_credentials():
    shots = sorted((REPO / "screenshots").glob("*.svg"))
    assert {p.stem for p in shots} >= set(EXPECTED), "screenshots/ is missing some; run scripts/screenshots.py"
    for path in shots:
        text = svg_text(path)
        for secret in SECRETS:
            assert secret not in text, f"{path.name} holds a credential"
