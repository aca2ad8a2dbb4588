"""The trail against its witness: the syslog copies a collector kept elsewhere.

Each copy of a record the file took carries `head`, the trail's head just after that record (see `syslog`).
A copy whose head matches no line of the trail names a record the trail no longer has: cut from the end,
removed, or resealed with other content. The chain cannot show a cut tail; this can, for every record whose
copy reached the collector.

An export is read line by line as the collector wrote it: any line holding this program's structured data and
a `head` parameter is a copy, whatever the collector put around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from queuetui.core.audit.chain import line_hash
from queuetui.core.audit.files import TrailLine, trail_lines
from queuetui.core.audit.syslog import SD_ID

_HEAD = re.compile(r'\bhead="([0-9a-f]{64})"')
_NOT_WRITTEN = 'file="not written'


def _param(name: str, line: str) -> str:
    found = re.search(rf'\b{name}="((?:[^"\\]|\\.)*)"', line)
    return found.group(1) if found else "?"


@dataclass(frozen=True)
class Copy:
    line: int  # in the export, 1-based
    head: str
    time: str
    event: str
    call_id: str

    def __str__(self) -> str:
        return f"line {self.line} of the export: {self.event} on {self.call_id} at {self.time} (head {self.head})"


@dataclass(frozen=True)
class Comparison:
    copies: int  # copies of records the file took
    not_written: int  # copies that say the file did not take their record
    missing: list[Copy]  # copies whose record the trail does not hold, in the export's order
    uncopied: int  # trail lines no copy names: written while syslog was off, lost on the way, or forged
    first_uncopied: TrailLine | None


def read_export(export: Path) -> Iterator[Copy | None]:
    """Each copy in a syslog export; None for a copy of a record the file did not take."""
    with export.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if SD_ID not in line:
                continue
            head = _HEAD.search(line)
            if head is None:
                if _NOT_WRITTEN in line:
                    yield None
                continue
            yield Copy(number, head.group(1), _param("time", line), _param("event", line), _param("call_id", line))


def compare(trail: Path, copies: list[Copy | None]) -> Comparison:
    """Which `copies` (as `read_export` gives them) name a record `trail` does not hold, and how many of the
    trail's lines no copy names. Holds the copies' heads, never the trail."""
    taken = [copy for copy in copies if copy is not None]
    heads = {copy.head for copy in taken}
    seen: set[str] = set()
    uncopied = 0
    first_uncopied = None
    for line in trail_lines(trail):
        digest = line_hash(line.raw)
        if digest in heads:
            seen.add(digest)
        else:
            uncopied += 1
            first_uncopied = first_uncopied or line
    missing = [copy for copy in taken if copy.head not in seen]
    return Comparison(len(taken), len(copies) - len(taken), missing, uncopied, first_uncopied)
