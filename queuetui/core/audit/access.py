"""Opening the audit file as the supervisor's alone, and checking that rotation will be able to go on.

The trail is evidence: a file someone else owns or can read, or a link that points elsewhere, is refused with
what to do about it rather than used. Only the last component of the path is kept from following a link:
the folders above it are the user's to arrange.
"""

from __future__ import annotations

import os
import stat
import struct
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no flags to read
    fcntl = None  # type: ignore[assignment]

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
# Linux's FS_IOC_GETFLAGS (an _IOR('f', 1, long)) and the two flags that forbid renaming a file.
_LONG = struct.calcsize("l")
_GET_FLAGS = 0x80006601 | (_LONG << 16)
_APPEND_ONLY, _IMMUTABLE = 0x20, 0x10


class AuditWriteError(Exception):
    """A record could not be written to the trail: why, and (when it is the user's to fix) how."""

    def __init__(self, path: Path, reason: str, fix: str = "") -> None:
        self.path = path
        self.reason = reason
        self.fix = fix
        super().__init__(f"{path}: {reason}" + (f"; {fix}" if fix else ""))


def open_private(path: Path) -> int:
    """A descriptor for appending to and reading `path`, created 0600 (its missing folders 0700) when absent.
    Raises AuditWriteError for a link, anything but a file, a file of another user's, or one others may open."""
    _make_folders(path.parent)
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o600)
    except OSError as error:
        if _NOFOLLOW and path.is_symlink():
            raise AuditWriteError(
                path, "it is a symbolic link, which is never followed", "give the real file's path instead"
            ) from None
        raise AuditWriteError(path, error.strerror or type(error).__name__) from None
    try:
        _check_private(path, os.fstat(fd))
    except AuditWriteError:
        os.close(fd)
        raise
    return fd


def check_rotation(path: Path, fd: int, target: Path) -> None:
    """Raise AuditWriteError when the open file `fd` could not be renamed to `target` once it is full."""
    if os.path.lexists(target):
        raise AuditWriteError(path, f"the next rotated file's name, {target.name}, is taken", "move that away")
    if not os.access(path.parent, os.W_OK | os.X_OK, effective_ids=os.access in os.supports_effective_ids):
        raise AuditWriteError(path, "its folder is not writable, so it cannot be rotated", "make the folder yours")
    flags = _file_flags(fd)
    if flags & (_APPEND_ONLY | _IMMUTABLE):
        which = "append-only" if flags & _APPEND_ONLY else "immutable"
        raise AuditWriteError(path, f"it is marked {which}, so it cannot be rotated", f"chattr -a -i {path}")


def _make_folders(folder: Path) -> None:
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for made in reversed(missing):
        try:
            os.mkdir(made, 0o700)
        except FileExistsError:
            continue  # another writer made it meanwhile
        except OSError as error:
            raise AuditWriteError(made, f"cannot create this folder: {error.strerror}") from None


def _check_private(path: Path, status: os.stat_result) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise AuditWriteError(path, "it is not a regular file", "give the path of a file")
    if not hasattr(os, "geteuid"):
        return
    if status.st_uid != os.geteuid():
        raise AuditWriteError(
            path,
            f"it belongs to user {status.st_uid}, not to you",
            "use a file of your own (--audit-file), or have its owner move it away",
        )
    if status.st_mode & 0o077:
        shown = stat.S_IMODE(status.st_mode)
        raise AuditWriteError(path, f"others may open it (mode {shown:04o})", f"chmod 600 {path}")


def _file_flags(fd: int) -> int:
    """The file's inode flags (what lsattr shows), or 0 where the system or file system cannot tell."""
    if fcntl is None:
        return 0
    try:
        answer = fcntl.ioctl(fd, _GET_FLAGS, bytes(_LONG))
    except OSError:
        return 0
    return int(struct.unpack_from("i", answer)[0])  # the kernel fills an int, whatever the name says
