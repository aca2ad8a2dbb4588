"""Starts `queuetui barge` runs quickly: `python barge_forker.py`, then one command per line on its input.

    start OUT ERR ARG...   fork; the child runs the command's entry point, `queuetui.cli.main(["barge", ARG...])`,
                           with its output in the files OUT and ERR, and ends with its exit code. Prints the pid.
    wait PID               wait for that child; prints its exit code, or -N when signal N ended it.

Each run is a process of its own that takes signals as the installed command does; only the interpreter's
start and the imports (most of a run's CPU time) are done once, before any fork. Nothing here starts a thread,
so forking is safe.
"""

from __future__ import annotations

import os
import sys

from queuetui.cli import main
from queuetui.headless import barge  # noqa: F401  (imported before forking, so each child starts warm)


def child(out: str, err: str, args: list[str]) -> None:
    for fd, name in ((1, out), (2, err)):
        target = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    code = 70  # EX_SOFTWARE, should main itself raise
    try:
        code = main(["barge", *args])
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve() -> None:
    for line in sys.stdin:
        command, *rest = line.split()
        if command == "start":
            out, err, *args = rest
            pid = os.fork()
            if pid == 0:
                child(out, err, args)
            print(pid, flush=True)
        elif command == "wait":
            _, status = os.waitpid(int(rest[0]), 0)
            print(os.waitstatus_to_exitcode(status), flush=True)


if __name__ == "__main__":
    serve()
