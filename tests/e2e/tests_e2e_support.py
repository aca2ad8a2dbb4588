"""What the end-to-end tests share: the installed command and an isolated environment for it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest


def installed_command() -> str:
    """The console script next to this interpreter: the command a user runs after `pip install`."""
    candidate = Path(sys.executable).parent / "queuetui"
    found = str(candidate) if candidate.exists() else shutil.which("queuetui")
    if not found:
        pytest.fail("the queuetui command is not installed in this environment")
    return found


def run_env(home: Path) -> dict[str, str]:
    return {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "LANG": "C.UTF-8",
    }
