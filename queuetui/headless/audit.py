"""`queuetui audit`: list the audit trail's records (a table, or JSON), export them as CSV, or verify its chain.

Every form reads the whole trail, rotated files included, a line at a time. Exit codes: 0 done (for verify:
intact); 1 verify found the trail changed, cut short or damaged (the first bad line is printed); 2 usage, or
no trail at that path. This module must not import Textual.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import textwrap
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TextIO

from queuetui.api.text import printable
from queuetui.core.audit.files import TrailLine, rotated_files
from queuetui.core.audit.trail import RecordFilter, TrailRecord, filtered_records, record_time
from queuetui.core.audit.verify import Verdict, verify
from queuetui.core.audit.when import parse_when
from queuetui.core.audit.witness import Comparison, compare, read_export
from queuetui.core.config import paths
from queuetui.core.floor.stale_list import StaleList
from queuetui.headless.exits import EXIT_NOT_INTACT, EXIT_OK, EXIT_USAGE

# The table's facts, (field, heading, width): one line a record, 80 columns wide with the call ids DeepCall
# uses; the message goes on the lines under it, wrapped to the terminal, so that no word is cut.
_TABLE = (
    ("time", "time", 19),
    ("call_id", "call", 12),
    ("target", "agent", 8),
    ("mode", "mode", 7),
    ("outcome", "outcome", 10),
    ("profile", "profile", 10),
)
_MESSAGE_INDENT = " " * 4
# CSV columns in a fixed order, so every export of every trail lines up in a spreadsheet; fields a record
# has beyond these go, as one JSON object, into `other`.
CSV_COLUMNS = (
    "time",
    "call_id",
    "mode",
    "outcome",
    "target_type",
    "target",
    "snooper",
    "code",
    "message",
    "server_text",
    "profile",
    "environment",
    "host",
    "os_user",
    "auth",
    "identity",
    "latency_ms",
    "attempts",
    "retries",
    "event",
    "attempt",
    "env_user",
    "list_age_s",
)
# A spreadsheet runs a cell starting with one of these as a formula: such text gets a leading apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    path: Path = args.audit_file or paths.audit_file()
    if not path.exists() and not rotated_files(path):
        print(f"error: no audit trail at {printable(str(path))}", file=err)
        return EXIT_USAGE
    try:
        return _act(args, path, out, err)
    except BrokenPipeError:
        raise  # the reader went away: the command's entry ends quietly
    except OSError as problem:  # a trail file that cannot be read: no permission, a folder in its place
        where = printable(str(problem.filename or path))
        print(f"error: cannot read the audit trail: {where}: {problem.strerror}", file=err)
        return EXIT_USAGE


def _act(args: argparse.Namespace, path: Path, out: TextIO, err: TextIO) -> int:
    if args.audit_action == "verify":
        against = getattr(args, "against", None)
        comparison = None
        if against is not None:
            try:
                copies = list(read_export(against))
            except OSError as problem:
                print(f"error: --against: cannot read {printable(str(against))}: {problem.strerror}", file=err)
                return EXIT_USAGE
            comparison = compare(path, copies)
        return _report_verdict(verify(path), comparison, out, args.json)
    try:
        keep = _filter(args)
    except ValueError as problem:
        print(f"error: {problem}", file=err)
        return EXIT_USAGE

    def skipped(line: TrailLine) -> None:
        print(f"warning: {printable(str(line.file))}: line {line.number} is not a whole record (skipped)", file=err)

    found = filtered_records(path, keep, skipped)
    if args.audit_action == "export":
        _write_csv(found, out)
    elif args.json:
        _write_json(found, out)
    elif not _write_table(found, out):
        print("no records match", file=err)
    return EXIT_OK


def _filter(args: argparse.Namespace) -> RecordFilter:
    now = datetime.now().astimezone()
    since = _when("--since", args.since, now)
    until = _when("--until", args.until, now)
    return RecordFilter(since, until, args.call_id, args.mode, args.outcome, args.profile_filter)


def _when(flag: str, text: str | None, now: datetime) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_when(text, now)
    except ValueError as problem:
        raise ValueError(f"{flag}: {problem}") from None


def _write_table(found: Iterator[TrailRecord], out: TextIO) -> int:
    width = max(shutil.get_terminal_size().columns, 40)
    print(_row([heading for _, heading, _ in _TABLE]), file=out)
    count = 0
    for item in found:
        print(_row([_shown(item.record, name) for name, _, _ in _TABLE]), file=out)
        message = printable(_shown(item.record, "message"))
        for line in textwrap.wrap(message, width, initial_indent=_MESSAGE_INDENT, subsequent_indent=_MESSAGE_INDENT):
            print(line, file=out)
        count += 1
    return count


def _row(cells: list[str]) -> str:
    # A value wider than its column is kept whole (an id cut short could name another call): its row runs wider.
    return "  ".join(printable(cell).ljust(width) for cell, (_, _, width) in zip(cells, _TABLE, strict=True)).rstrip()


def _shown(record: dict[str, object], name: str) -> str:
    if name == "time":
        moment = record_time(record)
        if moment is not None:
            return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    value = record.get(name)
    if name == "message" and "list_age_s" in record:
        # The table has no column for it: an action picked from a stale list says so where its outcome is read.
        age = record["list_age_s"]
        words = StaleList(age if isinstance(age, (int, float)) else None).words
        return f"from a stale list ({words}): {'' if value is None else value}"
    return "" if value is None else str(value)


def _write_json(found: Iterator[TrailRecord], out: TextIO) -> None:
    # One record at a time, so that a large trail is never held whole; still one JSON array.
    separator = "[\n"
    for item in found:
        out.write(separator + json.dumps(item.record))
        separator = ",\n"
    out.write("[]\n" if separator == "[\n" else "\n]\n")


def _write_csv(found: Iterator[TrailRecord], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow((*CSV_COLUMNS, "other"))
    for item in found:
        other = {key: value for key, value in item.record.items() if key not in CSV_COLUMNS}
        cells = [_cell(item.record.get(name)) for name in CSV_COLUMNS]
        writer.writerow((*cells, json.dumps(other, ensure_ascii=False) if other else ""))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _report_verdict(verdict: Verdict, comparison: Comparison | None, out: TextIO, as_json: bool) -> int:
    intact = verdict.ok and (comparison is None or not comparison.missing)
    code = EXIT_OK if intact else EXIT_NOT_INTACT
    if as_json:
        print(json.dumps({**_verdict_object(verdict), **_comparison_object(comparison), "intact": intact}), file=out)
        return code
    names = [printable(path.name) for path in verdict.files]
    span = "no file" if not names else names[0] if len(names) == 1 else f"{names[0]} to {names[-1]}"
    for problem in verdict.problems:
        print(f"{printable(str(problem.file))}: {problem.where}: {problem.finding.value}: {problem.detail}", file=out)
    if verdict.problems:
        print(f"NOT intact: {len(verdict.problems):,} finding(s) in {verdict.records:,} lines, {span}", file=out)
    else:
        print(f"intact: {verdict.records:,} records in {len(names)} file(s), {span}", file=out)
    if verdict.continues_from is not None:
        print(
            f"{printable(verdict.continues_from.name)} continues from older files that are no longer here "
            "(removed, as retention does)",
            file=out,
        )
    print(f"head: {verdict.head} (the newest record's hash: the syslog copy of that record carries it)", file=out)
    if comparison is not None:
        _report_comparison(comparison, out)
    return code


def _report_comparison(comparison: Comparison, out: TextIO) -> None:
    if comparison.missing:
        first = comparison.missing[0]
        print(f"NOT in the trail: {printable(str(first))}", file=out)
        print(
            f"{len(comparison.missing):,} of {comparison.copies:,} syslog copies name records the trail lacks", file=out
        )
    else:
        print(f"witness: all {comparison.copies:,} syslog copies are in the trail", file=out)
    if comparison.not_written:
        print(f"{comparison.not_written:,} syslog copies say the file did not take their record", file=out)
    uncopied = comparison.first_uncopied
    if uncopied is not None:
        print(
            f"{comparison.uncopied:,} trail lines have no syslog copy (syslog off, copies lost, or forged), the first "
            f"{printable(uncopied.file.name)} line {uncopied.number}",
            file=out,
        )


def _comparison_object(comparison: Comparison | None) -> dict[str, object]:
    if comparison is None:
        return {}
    missing = [
        {"export_line": c.line, "head": c.head, "time": c.time, "event": c.event, "call_id": c.call_id}
        for c in comparison.missing
    ]
    counts = {"copies": comparison.copies, "not_written": comparison.not_written, "uncopied": comparison.uncopied}
    return {"witness": {**counts, "missing": missing}}


def _verdict_object(verdict: Verdict) -> dict[str, object]:
    return {
        "intact": verdict.ok,
        "records": verdict.records,
        "files": [str(path) for path in verdict.files],
        "head": verdict.head,
        "continues_from": str(verdict.continues_from) if verdict.continues_from else None,
        "findings": [
            {
                "file": str(problem.file),
                "line": problem.line,
                "through": problem.through or problem.line,
                "finding": problem.finding.value,
                "detail": problem.detail,
            }
            for problem in verdict.problems
        ],
    }
