"""Runs the real `queuetui` command in a child process, with the test's (isolated) environment."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping


def run_queuetui(*args: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "queuetui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )
