"""The headless path never loads Textual, and the import contracts in pyproject.toml hold."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from queuetui.sim import DEMO_SSID

REPO = Path(__file__).resolve().parents[1]

# Runs in a fresh interpreter: prints the UI modules loaded after the given CLI commands ran.
PROBE = textwrap.dedent(
    """
    import contextlib, io, json, sys
    import queuetui.cli

    for argv in json.loads(sys.argv[1]):
        with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
            queuetui.cli.main(argv)
    print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] == "textual")))
    """
)


def textual_modules_after(*commands: list[str], env: dict[str, str] | None = None, preamble: str = "") -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", preamble + PROBE, json.dumps(commands)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_barge_help_does_not_import_textual():
    assert textual_modules_after(["barge", "--help"]) == []


def test_a_real_barge_does_not_import_textual(sim):
    barge = ["barge", "--call-id", "C-10023", "--mode", "spy", "--target", "13", "--snooper", "9876543210"]
    assert textual_modules_after([*barge, "--base-url", sim.url], env={"QUEUETUI_SSID": DEMO_SSID}) == []
    assert sim.request_count == 1  # the path really ran to the network and back


def test_the_probe_sees_textual_when_it_is_loaded():
    # Without this, a probe that never saw any module would pass the two tests above.
    assert "textual" in textual_modules_after(["barge", "--help"], preamble="import textual\n")


def test_import_contracts_hold():
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if lint_imports is None:
        pytest.skip("import-linter is not installed")
    done = subprocess.run([lint_imports], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 broken" in done.stdout
