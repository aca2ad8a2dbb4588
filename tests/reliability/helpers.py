"""Helpers shared by the hardening tests: running the CLI, driving a signed-in console, and checking text is
safe for a terminal."""

from __future__ import annotations

import contextlib
import io
import unicodedata
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from conftest import FAST_RETRY, Toasts
from run_cli import run_queuetui  # the suite's shared child-process runner (tests/run_cli.py)
from textual.pilot import Pilot

from queuetui.cli import main
from queuetui.tui.app import QueueApp
from queuetui.tui.launch import create_app


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*argv: str) -> CliResult:
    """`queuetui ARGV` in this process, with its output captured; argparse's exits become exit codes."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 2
    return CliResult(code, out.getvalue(), err.getvalue())


def run_cli_process(*argv: str, env: dict[str, str] | None = None) -> CliResult:
    """`python -m queuetui ARGV` as a real child process, in the test's (isolated) environment."""
    done = run_queuetui(*argv, env=env)
    return CliResult(done.returncode, done.stdout, done.stderr)


def barge_args(base_url: str | None, *extra: str, **fields: str) -> list[str]:
    """A valid `barge` command line; keyword arguments replace single flags (call_id="x" sets --call-id x)
    and `extra` appends flags. Without `base_url` the profile's is used."""
    values = {"call_id": "C-10023", "mode": "spy", "target": "13", "snooper": "9876543210"}
    values.update(fields)
    argv = ["barge"] if base_url is None else ["barge", "--base-url", base_url]
    for name, value in values.items():
        argv += [f"--{name.replace('_', '-')}", value]
    return argv + list(extra)


def console_app(base_url: str, toasts: Toasts) -> QueueApp:
    """The console as the command line builds it, with fast retries and no blinking; `toasts` records it."""
    app = create_app(base_url=base_url, retry=FAST_RETRY, still=True)
    toasts.attach(app)
    return app


@asynccontextmanager
async def signed_in_console(app: QueueApp, ssid: str, size: tuple[int, int]) -> AsyncIterator[Pilot[None]]:
    """Run `app` headless at `size` with toasts shown, signed in by typing `ssid` on the sign-in screen."""
    async with app.run_test(size=size, notifications=True) as pilot:
        await app.ready.wait()
        await pilot.pause()
        await pilot.press(*ssid, "enter")
        await pilot.pause()
        yield pilot


def unsafe_chars(text: str) -> list[str]:
    """Characters a terminal could act on (ESC, BEL, C1 controls, bidi overrides...), newlines aside."""
    return [ch for ch in text if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf", "Cs")]
