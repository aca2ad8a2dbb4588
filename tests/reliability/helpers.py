"""Helpers shared by the hardening tests: running the CLI, and checking text is safe for a terminal."""

from __future__ import annotations

import contextlib
import io
import unicodedata
from dataclasses import dataclass

from run_cli import run_queuetui  # the suite's shared child-process runner (tests/run_cli.py)

from queuetui.cli import main


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


def unsafe_chars(text: str) -> list[str]:
    """Characters a terminal could act on (ESC, BEL, C1 controls, bidi overrides...), newlines aside."""
    return [ch for ch in text if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf", "Cs")]
