"""The files of one audit trail: the current file and the numbered files rotation left beside it.

`audit.jsonl` rotates to `audit.000001.jsonl`, then `audit.000002.jsonl`, ...: a higher number is newer, and
the current file is the newest of all. Reading streams line by line and never holds a whole file.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NamedTuple

_BLOCK = 8192


def rotated_name(path: Path, number: int) -> Path:
    return path.with_name(f"{path.stem}.{number:06d}{path.suffix}")


def rotated_files(path: Path) -> list[tuple[int, Path]]:
    """The trail's rotated files as (number, path), oldest first. Only regular files count: see
    `stray_names` for anything else that bears such a name."""
    return [(number, found) for number, found, regular in _named_like_rotated(path) if regular]


def stray_names(path: Path) -> list[Path]:
    """What bears a rotated file's name but is not a regular file (a folder, a link): never read, never
    written over."""
    return [found for _, found, regular in _named_like_rotated(path) if not regular]


def _named_like_rotated(path: Path) -> list[tuple[int, Path, bool]]:
    shape = re.compile(re.escape(path.stem) + r"\.(\d{6,})" + re.escape(path.suffix))
    try:
        names = os.listdir(path.parent)
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for name in names:
        match = shape.fullmatch(name)
        if match is None:
            continue
        try:
            regular = stat.S_ISREG(os.lstat(path.parent / name).st_mode)
        except FileNotFoundError:
            continue  # removed since it was listed
        found.append((int(match.group(1)), path.with_name(name), regular))
    return sorted(found)


def last_line(handle: BinaryIO) -> bytes | None:
    """The file's last line with content (without its newline), read backwards from the end: appending
    must not cost more as the file grows, nor read any byte twice after a run of blank lines."""
    size = handle.seek(0, os.SEEK_END)
    end = _find_back(handle, size, lambda block: len(block.rstrip()))  # whitespace-only lines are blank
    if end == 0:
        return None
    start = _find_back(handle, end, lambda block: block.rfind(b"\n") + 1)
    handle.seek(start)
    parts = [handle.read(end - start)]
    # The line runs on to its newline: blanks before it are part of its bytes, and so of its hash.
    while (rest := handle.read(_BLOCK)) and b"\n" not in rest:
        parts.append(rest)
    parts.append(rest.partition(b"\n")[0])
    return b"".join(parts)


def _find_back(handle: BinaryIO, before: int, probe: Callable[[bytes], int]) -> int:
    """Scan backwards from `before` one block at a time; `probe(block)` gives the offset just past what it
    looks for in the block, or 0 when it is not there. Returns that position in the file, or 0."""
    position = before
    while position > 0:
        step = min(_BLOCK, position)
        position -= step
        handle.seek(position)
        found = probe(handle.read(step))
        if found:
            return position + found
    return 0


def ends_with_newline(handle: BinaryIO) -> bool:
    """True for an empty file or one whose last write finished its line."""
    size = handle.seek(0, os.SEEK_END)
    if size == 0:
        return True
    handle.seek(size - 1)
    return handle.read(1) == b"\n"


class TrailLine(NamedTuple):  # a tuple: a million of them are made while verifying
    file: Path
    number: int  # 1-based, counting every line of the file as an editor does
    raw: bytes  # without the newline
    terminated: bool  # False only for a last line that a write did not finish


@dataclass(frozen=True)
class TrailFile:
    path: Path
    number: int  # its rotation number; 0 for the current file, newest of all


def trail_files(path: Path) -> Iterator[tuple[TrailFile, BinaryIO]]:
    """Every file of the trail, oldest first, each opened for reading (and closed once the caller moves on).

    Files are opened one at a time. A rotation while this runs renames the current file to a new number
    and starts another: the names are listed again after the current file is opened, so a file renamed
    meanwhile is read under its new name, once, and nothing newer than that snapshot is read.
    """
    listed = rotated_files(path)
    for number, rotated in listed:
        handle = _open_if_there(rotated)  # None: removed (retention) since it was listed
        if handle is not None:
            with handle:
                yield TrailFile(rotated, number), handle
    newest = listed[-1][0] if listed else 0
    with contextlib.ExitStack() as stack:
        current = _open_if_there(path)
        if current is not None:
            stack.enter_context(current)
        for number, rotated in rotated_files(path):
            if number <= newest:
                continue
            if current is not None and _identity_of(rotated) == _identity(current):
                yield TrailFile(rotated, number), current
                return
            handle = _open_if_there(rotated)
            if handle is not None:
                with handle:
                    yield TrailFile(rotated, number), handle
        if current is not None:
            yield TrailFile(path, 0), current


def trail_lines(path: Path) -> Iterator[TrailLine]:
    """Every line with content of every file of the trail, in order. Blank lines are skipped but counted,
    so line numbers match what an editor shows."""
    for trail_file, handle in trail_files(path):
        yield from file_lines(trail_file.path, handle)


def file_lines(path: Path, handle: BinaryIO) -> Iterator[TrailLine]:
    for number, raw in enumerate(handle, start=1):
        terminated = raw.endswith(b"\n")
        line = raw[:-1] if terminated else raw
        if line and not line.isspace():
            yield TrailLine(path, number, line, terminated)


def _open_if_there(path: Path) -> BinaryIO | None:
    try:
        return path.open("rb")
    except FileNotFoundError:
        return None


def _identity(handle: BinaryIO) -> tuple[int, int]:
    status = os.fstat(handle.fileno())
    return status.st_dev, status.st_ino


def _identity_of(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return status.st_dev, status.st_ino
