"""The one way tests run the `queuetui` command: `run_queuetui(*args)`, as a child process in the test's
(isolated) environment, or `in_process=True` for the many refusal cases, where starting a process per case
adds time and nothing else (both answer with the same CompletedProcess); `start_queuetui(*args)` for a command
that keeps running (the simulator, `calls --watch`) while the test reads its output line by line."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
from collections.abc import Mapping

from queuetui.cli import main

BARGE_FLAGS = {"call_id": "C-10023", "mode": "spy", "target": "13", "snooper": "9876543210"}


def run_queuetui(
    *args: str, env: Mapping[str, str] | None = None, in_process: bool = False
) -> subprocess.CompletedProcess[str]:
    if in_process:
        if env:
            raise ValueError("in_process runs in this environment: set variables with monkeypatch instead")
        return _here(list(args))
    return subprocess.run(
        [sys.executable, "-m", "queuetui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


def start_queuetui(*args: str, env: Mapping[str, str] | None = None) -> subprocess.Popen[str]:
    """The command as a child that goes on running; unbuffered, so each line arrives as it is printed. The
    caller stops it (kill, or a signal the test is about)."""
    return subprocess.Popen(
        [sys.executable, "-m", "queuetui", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        preexec_fn=_interruptible,
    )


def _interruptible() -> None:
    """In the child, before the command starts: SIGINT as a terminal gives a command typed at its prompt. A suite
    run as a background job has it ignored, and a child would inherit that, never to see the test's Ctrl+C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _here(argv: list[str]) -> subprocess.CompletedProcess[str]:
    """The entry point called here with its output captured; argparse's exits become exit codes."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 2
    return subprocess.CompletedProcess(["queuetui", *argv], code, out.getvalue(), err.getvalue())


def barge_args(base_url: str | None, *extra: str, **flags: str) -> list[str]:
    """A valid `barge` command line; keyword arguments replace single flags (call_id="x" sets --call-id x)
    and `extra` appends flags. Without `base_url` the profile's is used."""
    argv = ["barge"] if base_url is None else ["barge", "--base-url", base_url]
    for name, value in {**BARGE_FLAGS, **flags}.items():
        argv += [f"--{name.replace('_', '-')}", value]
    return argv + list(extra)
