"""Checking the audit trail's hash chain, across rotated files, in one streaming pass.

Every bad line is named with what most likely happened to it, and checking goes on past it. A link alone
cannot tell every case apart (a removed record and a record spliced in from elsewhere both leave a link to a
line that is not here), so the verdict looks one line ahead and, for the first few broken links, reads the
trail a second time to find where a stray link points. After a line that cannot be linked past (damaged,
edited), the chain re-anchors at the next intact record, unless that record links to the bad line as it
stands (a torn line the next writer linked to); the re-anchoring is itself a finding, since a record could
hide there. Records without a chain (written before it existed, or stripped of it) are a finding per run of
lines. What no chain can show: whole records cut from the end. The syslog copy (see `witness`) can.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import NamedTuple

from queuetui.core.audit.chain import CHAIN_FIELDS, GENESIS, Seal, line_hash, read_seal
from queuetui.core.audit.files import TrailFile, TrailLine, file_lines, stray_names, trail_files, trail_lines


class Finding(str, Enum):
    EDITED = "edited"
    REMOVED = "removed"
    INSERTED = "inserted"
    REORDERED = "reordered"
    SPLICED = "spliced"
    TRUNCATED = "truncated"
    DAMAGED = "damaged"
    UNCHAINED = "unchained"  # a run of records with no chain: from before it existed, or stripped of it
    REANCHORED = "re-anchored"  # checking goes on from here after a line the chain could not pass
    STRAY = "stray"  # named like a rotated file of the trail, but not a regular file: not read


# Broken links whose stray link is looked for in the whole trail (a second read each); later ones are named
# without it, so a trail damaged everywhere is still read a bounded number of times.
_LOCATE_AT_MOST = 20


@dataclass(frozen=True)
class Problem:
    file: Path
    line: int
    finding: Finding
    detail: str
    through: int = 0  # the last line of a run of lines, for a finding about several

    @property
    def where(self) -> str:
        return f"lines {self.line}-{self.through}" if self.through > self.line else f"line {self.line}"

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.finding.value}: {self.detail}"


@dataclass(frozen=True)
class Verdict:
    records: int  # lines with content that were checked
    files: tuple[Path, ...]
    head: str  # the last line's hash: what the next record links to
    problems: tuple[Problem, ...] = ()  # every finding, in the trail's order
    continues_from: Path | None = None  # the oldest file left links to older ones that were removed

    @property
    def problem(self) -> Problem | None:
        """The first finding."""
        return self.problems[0] if self.problems else None

    @property
    def ok(self) -> bool:
        return not self.problems


class _Checked(NamedTuple):
    line: TrailLine
    digest: str
    seal: Seal | None


class _Walk:
    """The trail's lines, each with its hash and seal, with one line of look-ahead."""

    def __init__(self, path: Path) -> None:
        self.files: list[TrailFile] = []
        self._lines = self._read(path)
        self._ahead: _Checked | None = None

    def _read(self, path: Path) -> Iterator[_Checked]:
        for trail_file, handle in trail_files(path):
            self.files.append(trail_file)
            for line in file_lines(trail_file.path, handle):
                yield _Checked(line, line_hash(line.raw), read_seal(line.raw))

    def __iter__(self) -> Iterator[_Checked]:
        return self

    def __next__(self) -> _Checked:
        if self._ahead is not None:
            ahead, self._ahead = self._ahead, None
            return ahead
        return next(self._lines)

    def peek(self) -> _Checked | None:
        if self._ahead is None:
            self._ahead = next(self._lines, None)
        return self._ahead


def verify(path: Path) -> Verdict:
    walk = _Walk(path)
    expected = GENESIS
    count = 0
    before: _Checked | None = None
    found: list[Problem] = [
        Problem(stray, 0, Finding.STRAY, "named like a rotated file of this trail, but not a file: not read")
        for stray in stray_names(path)
    ]
    unchained: list[TrailLine] = []  # the run of unchained lines being read
    lost = False  # the last line could not be linked past: the next intact record re-anchors the chain
    located = 0
    continues_from: Path | None = None

    def end_run() -> None:
        if unchained:
            first, last = unchained[0], unchained[-1]
            found.append(Problem(first.file, first.number, Finding.UNCHAINED, _NO_CHAIN, last.number))
            unchained.clear()

    for checked in walk:
        count += 1
        line, seal = checked.line, checked.seal
        if unchained and line.file != unchained[-1].file:
            end_run()
        if seal is None:
            after = walk.peek()
            skipped = before is not None and before.seal is not None and _links_to(after, expected)
            if _is_unchained_record(line.raw) and not skipped:
                unchained.append(line)
                # The next chained record may link to it (the first after an upgrade) or not (chain stripped).
                expected, before, lost = checked.digest, checked, True
                continue
            end_run()
            problem = _unsealed(checked, after, expected)
            found.append(problem)
            if problem.finding is not Finding.INSERTED:  # an inserted line is stepped over
                expected, before, lost = checked.digest, checked, True
            continue
        end_run()
        if not seal.intact:
            if _links_to(walk.peek(), expected):
                found.append(_problem(line, Finding.INSERTED, "inserted: the record after it links to the one before"))
                continue
            found.append(
                _problem(line, Finding.EDITED, "changed since it was written: it no longer matches its sha256")
            )
            expected, before, lost = checked.digest, checked, True
            continue
        if seal.prev != expected:
            if lost:
                detail = "checking goes on from this record; its link to the line before could not be checked"
                found.append(_problem(line, Finding.REANCHORED, detail))
            elif count == 1 and walk.files[0].number > 1:
                continues_from = line.file  # older rotated files were removed, as retention does
            else:
                located += 1
                look = located <= _LOCATE_AT_MOST
                found.append(_broken_link(path, checked, seal.prev, before, walk.peek(), expected, look))
        expected, before, lost = checked.digest, checked, False
    end_run()
    files = tuple(trail_file.path for trail_file in walk.files)
    return Verdict(count, files, expected, tuple(found), continues_from)


_NO_CHAIN = "no chain: written by a queuetui from before the chain, or the chain removed; these cannot be checked"


def _is_unchained_record(raw: bytes) -> bool:
    try:
        value = json.loads(raw)
    except ValueError:
        return False
    return isinstance(value, dict) and not CHAIN_FIELDS.intersection(value)


def _links_to(checked: _Checked | None, digest: str) -> bool:
    return checked is not None and checked.seal is not None and checked.seal.prev == digest


def _problem(line: TrailLine, finding: Finding, detail: str) -> Problem:
    return Problem(line.file, line.number, finding, detail)


def _unsealed(checked: _Checked, after: _Checked | None, expected: str) -> Problem:
    """A line without a valid seal that is not a record from before the chain."""
    line = checked.line
    try:
        value = json.loads(line.raw)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        if after is None and not line.terminated:
            return _problem(line, Finding.TRUNCATED, "the last record was cut short mid-write")
        if _links_to(after, expected):
            return _problem(line, Finding.INSERTED, "inserted: not a record, and the next one skips it")
        return _problem(line, Finding.DAMAGED, "not a whole record: cut short by a crash, or edited")
    if _links_to(after, expected):
        return _problem(line, Finding.INSERTED, "inserted: it has no valid chain, and the next record skips it")
    return _problem(line, Finding.EDITED, "its chain fields were changed")


def _broken_link(
    path: Path, checked: _Checked, prev: str, before: _Checked | None, after: _Checked | None, expected: str, look: bool
) -> Problem:
    """An intact record whose link `prev` does not point at the line before it: say which line is out of place."""
    line = checked.line
    if before is not None and before.seal is not None and before.seal.prev == prev:
        return _problem(before.line, Finding.INSERTED, "inserted: the record after it links to the one before it")
    if after is not None and prev == after.digest:
        return _problem(line, Finding.REORDERED, f"out of order: it was written after {_where(after.line, line)}")
    found = _locate(path, {prev, checked.digest}, line) if look else {}
    copy, predecessor = found.get(checked.digest), found.get(prev)
    if copy is not None:
        return _problem(line, Finding.INSERTED, f"inserted: a copy of {_where(copy, line)}")
    if predecessor is not None:  # its own record is here: it was moved, not made up
        return _problem(line, Finding.REORDERED, f"out of order: it was written after {_where(predecessor, line)}")
    if _links_to(after, expected):
        return _problem(line, Finding.SPLICED, "from another file: it links to no record of this trail")
    if after is None:
        detail = "a record before it is missing, or it was spliced in from another file"
    else:
        detail = "a record before it is missing (removed, or the one before it was rewritten)"
    return _problem(line, Finding.REMOVED, detail)


def _locate(path: Path, digests: set[str], skip: TrailLine) -> dict[str, TrailLine]:
    """Where lines with these hashes are in the trail (the first of each), other than `skip` itself."""
    found: dict[str, TrailLine] = {}
    for line in trail_lines(path):
        if (line.file, line.number) == (skip.file, skip.number):
            continue
        digest = line_hash(line.raw)
        if digest in digests and digest not in found:
            found[digest] = line
            if len(found) == len(digests):
                break
    return found


def _where(other: TrailLine, here: TrailLine) -> str:
    return f"line {other.number}" if other.file == here.file else f"line {other.number} of {other.file.name}"
