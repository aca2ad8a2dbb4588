"""Folders a console could not remove itself. A console removes its own folder when serve ends, however it ends;
only a console killed together with serve (`kill -9` of the whole process group, a power cut) leaves one. Each
folder names the serve that made it, so the next serve removes those whose serve has gone, and never another
running serve's."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

FOLDER_PREFIX = "queuetui-serve-"  # every console's folder; a console removes its own, so named, if serve dies
OWNER_FILE = "serve"  # in each console's folder: "PID START", the serve process that made it


def process_start(pid: int) -> str:
    """When process `pid` started, in clock ticks since boot ("" where /proc cannot tell): with the pid, it tells a
    process from a later one that was given the same number."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]


def mark_owner(folder: Path) -> None:
    (folder / OWNER_FILE).write_text(f"{os.getpid()} {process_start(os.getpid())}\n", encoding="ascii")


def _owner_alive(folder: Path) -> bool:
    try:
        pid_text, _, start = (folder / OWNER_FILE).read_text(encoding="ascii").strip().partition(" ")
        pid = int(pid_text)
    except (OSError, ValueError):
        return True  # not one of ours as far as anyone can tell: leave it be
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, someone else's
    return not start or process_start(pid) == start


def remove_left_behind(prefix: str, parent: Path | None = None) -> list[Path]:
    """Remove this user's `prefix*` folders whose serve has ended; returns them."""
    removed = []
    for folder in Path(parent or tempfile.gettempdir()).glob(f"{prefix}*"):
        with contextlib.suppress(OSError):
            ours = folder.is_dir() and not folder.is_symlink() and folder.stat().st_uid == os.getuid()
            if ours and not _owner_alive(folder):
                shutil.rmtree(folder)
                removed.append(folder)
    return removed
