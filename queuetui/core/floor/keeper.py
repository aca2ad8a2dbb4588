"""The keeper: runs a live-list command so that nothing it starts outlives it, or the console.

    python -I -S keeper.py CONSOLE_PID PROGRAM [ARG...]

A command source's program may start children, and a child may leave the program's process group (`setsid`), so
killing the group misses it; without cgroups, the keeper is what holds them. On Linux it makes itself the
"subreaper" of everything below it (an orphan is handed to the keeper, not to init) and asks for SIGTERM when the
console dies, even by `kill -9`. When the program ends, or the keeper is told to stop (SIGTERM, SIGHUP, SIGINT),
it kills every process still below it, reaps them, and exits with the program's status. Elsewhere it does what
it can: it still ends the program and its process group.

It is started by path with `-S`, so it imports nothing but the standard library: it must start fast and run from
any install.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from pathlib import Path

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
CANNOT_RUN = 127  # the shell's status for a program that cannot be run
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


class Stopped(Exception):
    """The console asked the keeper to stop (or died)."""


def _stop(signum: int, frame: object) -> None:
    raise Stopped


def _prctl(option: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(option, value, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def descendants(root: int) -> set[int]:
    """Every process below `root`, from /proc (empty where there is no /proc)."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return set()
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue  # ended meanwhile
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry))
    found: set[int] = set()
    waiting = [root]
    while waiting:
        for child in children.get(waiting.pop(), []):
            if child not in found:
                found.add(child)
                waiting.append(child)
    return found


def end_everything_below() -> None:
    """Kill every process below the keeper and reap them. As the subreaper, the keeper is handed every orphan
    below it, so once it has no child left there is nothing below it; a process forked meanwhile is found by the
    next look."""
    me = os.getpid()
    while True:
        for pid in descendants(me):
            with contextlib.suppress(OSError):  # ended meanwhile
                os.kill(pid, signal.SIGKILL)
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return
        except InterruptedError:
            continue


def main(arguments: list[str]) -> int:
    console, program = int(arguments[0]), arguments[1:]
    for signum in _STOP_SIGNALS:
        signal.signal(signum, _stop)
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    _prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM))
    if os.getppid() != console:  # the console died before the line above: nobody is waiting
        return 1
    status: int | None = None
    command: subprocess.Popen[bytes] | None = None
    try:
        try:
            command = subprocess.Popen(program)  # noqa: S603 - the profile's own argv, never through a shell
        except OSError as error:
            sys.stderr.write(f"cannot be run ({error.strerror or type(error).__name__})\n")
            return CANNOT_RUN
        status = command.wait()
    except Stopped:
        if command is not None and command.returncode is None:
            command.kill()  # where there is no /proc, the one process the keeper knows of
    finally:
        for signum in _STOP_SIGNALS:
            signal.signal(signum, signal.SIG_IGN)  # nothing stops the clean-up half way
        end_everything_below()
    if status is None:
        return 128 + int(signal.SIGTERM)
    if status < 0:  # stopped by a signal: end the same way, so the console says which
        signal.signal(-status, signal.SIG_DFL)
        os.kill(os.getpid(), -status)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
