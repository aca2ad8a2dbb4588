"""Starts `queuetui barge` runs quickly: `python barge_forker.py`, then one command per line on its input.

    start OUT ERR ARG...   fork; the child runs the command's entry point, `queuetui.cli.main(["barge", ARG...])`,
                           with its output in the files OUT and ERR, and ends with its exit code. Prints the pid.
    wait PID SECONDS       wait for that child; prints its exit code, or -N when signal N ended it. A child still
                           running after SECONDS is killed and "hung" printed: a stopped barge must end.

Each run is a process of its own that takes signals as the installed command does; only the interpreter's
start and the imports (most of a run's CPU time) are done once, before any fork. Nothing here starts a thread,
so forking is safe.
"""

from __future__ import annotations

import os
import signal
import sys
import time

from queuetui.cli import main
from queuetui.headless import barge  # noqa: F401  (imported before forking, so each child starts warm)


def child(out: str, err: str, args: list[str]) -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGCHLD])  # the command's signals are as the user's
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
            print(wait(int(rest[0]), float(rest[1])), flush=True)


def wait(pid: int, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return str(os.waitstatus_to_exitcode(status))
        left = deadline - time.monotonic()
        if left <= 0:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "hung"
        signal.sigtimedwait([signal.SIGCHLD], left)  # held, so none is lost between the look and the wait


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGCHLD])  # a child's end waits for `wait` to take it
    serve()
