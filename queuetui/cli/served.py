"""A console that `serve` started for a browser tab (`--locked`): walled in, and gone with the server.

However the server ends (Ctrl+C, SIGTERM, `kill -9`), its consoles must not run on: each watches its parent
process and, once it has gone, removes its own folder and ends at once. Nothing in the console is worth keeping
then: the tab is gone, and the folder holds only that console's config and demo audit trail.
"""

from __future__ import annotations

import os
import select
import shutil
import threading
import time
from pathlib import Path

from queuetui.core import embedded
from queuetui.web.leftovers import FOLDER_PREFIX

# How often a system without process descriptors checks for its parent.
PARENT_CHECK_S = 0.25


def own_folder() -> Path | None:
    """The folder `serve` made for this console (its HOME), or None when HOME is not one: only a folder so
    named is removed, whatever HOME says."""
    home = os.environ.get("HOME", "")
    folder = Path(home)
    return folder if home and folder.name.startswith(FOLDER_PREFIX) and folder.is_dir() else None


def _wait_for_parent(parent: int) -> None:
    """Return once `parent` is no longer this process's parent (at once when it is init: it has already gone)."""
    if parent == 1:
        return
    try:
        descriptor = os.pidfd_open(parent)
    except (AttributeError, OSError):  # not Linux 5.3 or later, or the parent has already gone
        descriptor = -1
    if descriptor >= 0:
        try:
            if os.getppid() == parent:  # the descriptor is our parent's, not a process that took its number
                select.select([descriptor], [], [])  # readable once that process has ended
        finally:
            os.close(descriptor)
        return
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_S)


def _end_with(parent: int, folder: Path | None) -> None:
    _wait_for_parent(parent)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    os._exit(0)  # at once: the server, and the tab behind it, are gone; nothing is left to tell


def start_locked() -> None:
    """Wall this process in (see `embedded.wall_the_process`), and end it with its parent, the server."""
    parent = os.getppid()
    folder = own_folder()
    # Started before the wall, which refuses programs, not threads; a daemon, so a normal exit never waits for it.
    threading.Thread(target=_end_with, args=(parent, folder), name="end-with-serve", daemon=True).start()
    embedded.wall_the_process()
