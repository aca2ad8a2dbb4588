"""The audit trail's hash chain: how records link, what `verify` catches and where, rotation, old unchained
records, and writers in two processes."""

from __future__ import annotations

import hashlib
import io
import itertools
import json
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reliability.audit_child import start_writers

from queuetui.core.audit.chain import GENESIS, seal
from queuetui.core.audit.files import file_lines, last_line, rotated_files, rotated_name
from queuetui.core.audit.log import AuditLog, read_audit
from queuetui.core.audit.trail import trail_records
from queuetui.core.audit.verify import Finding, verify


def record(n: int, **more: object) -> dict[str, object]:
    return {"time": f"2025-03-01T10:{n:02d}:00.000+00:00", "call_id": f"C-{n}", "mode": "spy", "n": n, **more}


def write(path: Path, count: int, **options: int) -> AuditLog:
    log = AuditLog(path, **options)
    for n in range(count):
        log.append(record(n))
    return log


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def rewrite(path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"".join(lines))


def sha(line: bytes) -> str:
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()


def problem_at(path: Path) -> tuple[str, int, Finding]:
    verdict = verify(path)
    assert verdict.problem is not None, "the change went unnoticed"
    return verdict.problem.file.name, verdict.problem.line, verdict.problem.finding


# ----- the chain as written ---------------------------------------------------------------------------------


def test_each_record_links_to_the_exact_bytes_of_the_line_before(audit_path: Path):
    write(audit_path, 4)
    lines = lines_of(audit_path)
    links = [json.loads(line)["prev"] for line in lines]
    assert links == [GENESIS] + [sha(line) for line in lines[:-1]]


def test_each_record_is_sealed_by_its_own_hash(audit_path: Path):
    write(audit_path, 1)
    line = lines_of(audit_path)[0].rstrip(b"\n")
    value = json.loads(line)
    body = json.dumps(
        {k: v for k, v in value.items() if k != "sha256"}, ensure_ascii=False, separators=(",", ":")
    ).encode()
    assert value["sha256"] == hashlib.sha256(body).hexdigest()


def test_readers_get_back_what_was_recorded(audit_path: Path):
    write(audit_path, 3)
    assert read_audit(audit_path).records == [record(n) for n in range(3)]
    assert [found.record for found in trail_records(audit_path)] == [record(n) for n in range(3)]


def test_a_record_may_not_bring_its_own_chain_fields(audit_path: Path):
    with pytest.raises(ValueError, match="prev"):
        AuditLog(audit_path).append({"prev": GENESIS, "call_id": "C-1"})
    assert not audit_path.exists() or audit_path.read_bytes() == b""


def test_an_intact_trail_verifies_and_names_its_head(audit_path: Path):
    write(audit_path, 5)
    verdict = verify(audit_path)
    assert verdict.ok, verdict.problem
    assert verdict.records == 5
    assert verdict.head == sha(lines_of(audit_path)[-1])
    assert verdict.problems == ()


# ----- tampering, each caught at its line -------------------------------------------------------------------


def test_an_edited_field_is_caught_at_its_line(audit_path: Path):
    write(audit_path, 6)
    lines = lines_of(audit_path)
    lines[2] = lines[2].replace(b'"mode":"spy"', b'"mode":"barge"')
    rewrite(audit_path, lines)
    assert problem_at(audit_path) == ("audit.jsonl", 3, Finding.EDITED)


def test_an_edit_to_the_newest_record_is_caught_too(audit_path: Path):
    write(audit_path, 4)
    lines = lines_of(audit_path)
    lines[3] = lines[3].replace(b'"C-3"', b'"C-9"')
    rewrite(audit_path, lines)
    assert problem_at(audit_path) == ("audit.jsonl", 4, Finding.EDITED)


def test_an_edited_link_is_caught_at_its_line(audit_path: Path):
    write(audit_path, 4)
    lines = lines_of(audit_path)
    link = json.loads(lines[1])["prev"].encode()
    forged = (b"1" if link[:1] == b"0" else b"0") + link[1:]  # pointing somewhere else, same shape
    lines[1] = lines[1].replace(link, forged)
    rewrite(audit_path, lines)
    assert problem_at(audit_path) == ("audit.jsonl", 2, Finding.EDITED)


def test_a_record_from_a_queuetui_without_the_chain_is_reported_unchained(audit_path: Path):
    write(audit_path, 3)
    with audit_path.open("ab") as handle:  # as a console not yet upgraded appends
        handle.write(json.dumps(record(3)).encode() + b"\n")
    assert problem_at(audit_path) == ("audit.jsonl", 4, Finding.UNCHAINED)
    write(audit_path, 1)  # and a chained record after it links to it
    assert problem_at(audit_path) == ("audit.jsonl", 4, Finding.UNCHAINED)


@pytest.mark.parametrize(("removed", "count"), [(2, 6), (0, 6), (4, 6)])
def test_a_removed_record_is_caught_where_it_is_missing(audit_path: Path, removed: int, count: int):
    write(audit_path, count)
    lines = lines_of(audit_path)
    del lines[removed]
    rewrite(audit_path, lines)
    assert problem_at(audit_path) == ("audit.jsonl", removed + 1, Finding.REMOVED)


def test_a_copied_record_inserted_is_caught_at_the_copy(audit_path: Path):
    write(audit_path, 6)
    lines = lines_of(audit_path)
    lines.insert(1, lines[4])
    rewrite(audit_path, lines)
    assert problem_at(audit_path) == ("audit.jsonl", 2, Finding.INSERTED)
    assert "a copy of line 6" in str(verify(audit_path).problem)


def test_a_hand_written_record_inserted_is_caught_at_its_line(audit_path: Path):
    write(audit_path, 5)
    lines = lines_of(audit_path)
    lines.insert(2, json.dumps(record(42)).encode() + b"\n")
    rewrite(audit_path, lines)
    assert problem_at(audit_path) == ("audit.jsonl", 3, Finding.INSERTED)


@pytest.mark.parametrize("first", [1, 3, 4])
def test_swapped_records_are_caught_at_the_first_out_of_place(audit_path: Path, first: int):
    write(audit_path, 6)
    lines = lines_of(audit_path)
    lines[first], lines[first + 1] = lines[first + 1], lines[first]
    rewrite(audit_path, lines)
    assert problem_at(audit_path) == ("audit.jsonl", first + 1, Finding.REORDERED)


def test_a_record_moved_far_away_is_reordered(audit_path: Path):
    write(audit_path, 8)
    lines = lines_of(audit_path)
    lines.insert(1, lines.pop(6))
    rewrite(audit_path, lines)
    assert problem_at(audit_path)[1:] == (2, Finding.REORDERED)


def test_a_truncated_last_line_is_caught(audit_path: Path):
    write(audit_path, 4)
    whole = audit_path.read_bytes()
    audit_path.write_bytes(whole[: whole.rindex(b'"mode"')])
    assert problem_at(audit_path) == ("audit.jsonl", 4, Finding.TRUNCATED)


def test_a_record_from_another_file_spliced_in_is_caught_at_its_line(tmp_path: Path, audit_path: Path):
    other = tmp_path / "other.jsonl"
    log = AuditLog(other)
    for n in range(5):
        log.append(record(n, host="another"))
    write(audit_path, 5)
    lines = lines_of(audit_path)
    lines.insert(3, lines_of(other)[2])
    rewrite(audit_path, lines)
    assert problem_at(audit_path) == ("audit.jsonl", 4, Finding.SPLICED)


def test_another_trails_first_record_spliced_at_the_start_is_caught_at_line_1(tmp_path: Path, audit_path: Path):
    other = tmp_path / "other.jsonl"
    AuditLog(other).append(record(50))
    write(audit_path, 3)
    rewrite(audit_path, lines_of(other) + lines_of(audit_path))
    assert problem_at(audit_path) == ("audit.jsonl", 1, Finding.INSERTED)


def test_chain_fields_stripped_from_a_record_are_caught_as_unchained(audit_path: Path):
    write(audit_path, 4)
    lines = lines_of(audit_path)
    value = json.loads(lines[2])
    lines[2] = json.dumps({k: v for k, v in value.items() if k not in ("prev", "sha256")}).encode() + b"\n"
    rewrite(audit_path, lines)
    assert problem_at(audit_path) == ("audit.jsonl", 3, Finding.UNCHAINED)


def test_blank_lines_are_not_records_but_count_for_line_numbers(audit_path: Path):
    write(audit_path, 4)
    lines = lines_of(audit_path)
    lines.insert(1, b"\n")
    rewrite(audit_path, lines)
    assert verify(audit_path).ok
    lines[3] = lines[3].replace(b'"C-2"', b'"C-7"')
    rewrite(audit_path, lines)
    assert problem_at(audit_path) == ("audit.jsonl", 4, Finding.EDITED)


# ----- the writer's idea of the last line is the readers' ---------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.sampled_from([b"", b" ", b"\t", b"\r", b"{}", b"a" * 9, b" b ", b"\xff"]), max_size=12),
    block=st.sampled_from([1, 2, 5, 8192]),
)
def test_the_line_an_append_links_to_is_the_last_line_readers_see(pieces: list[bytes], block: int):
    data = b"\n".join(pieces)
    readers = [line.raw for line in file_lines(Path("x"), io.BytesIO(data))]
    with patch("queuetui.core.audit.files._BLOCK", block):  # lines longer than a block are read in pieces
        assert last_line(io.BytesIO(data)) == (readers[-1] if readers else None)


# ----- crashes: a torn line is damage, and never swallows the next record ----------------------------------


def test_a_record_after_a_torn_last_line_starts_its_own_line(audit_path: Path):
    log = write(audit_path, 2)
    with audit_path.open("ab") as handle:
        handle.write(b'{"time":"2025-03-01T10:05:00.000+00:00","call_id":"C-')  # killed mid-write
    log.append(record(3))
    assert [found.record for found in trail_records(audit_path)] == [record(0), record(1), record(3)]
    torn = lines_of(audit_path)[2]
    assert json.loads(lines_of(audit_path)[3])["prev"] == sha(torn)  # the chain goes on through the damage
    assert problem_at(audit_path) == ("audit.jsonl", 3, Finding.DAMAGED)


# ----- rotation ------------------------------------------------------------------------------------------


def test_rotation_keeps_one_chain_across_files(audit_path: Path):
    write(audit_path, 30, max_bytes=1000)
    first, second = rotated_name(audit_path, 1), rotated_name(audit_path, 2)
    assert first.exists() and second.exists() and audit_path.exists()
    assert all(path.stat().st_size < 1000 + 400 for path in (first, second))
    assert json.loads(lines_of(second)[0])["prev"] == sha(lines_of(first)[-1])
    verdict = verify(audit_path)
    assert verdict.ok, verdict.problem
    assert verdict.records == 30
    assert verdict.files[0] == first and verdict.files[-1] == audit_path
    assert [found.record["n"] for found in trail_records(audit_path)] == list(range(30))


def test_a_new_file_links_to_the_rotated_one_even_when_another_writer_creates_it(audit_path: Path):
    write(audit_path, 3, max_bytes=200)  # every append rotates: each file holds one record
    AuditLog(audit_path, max_bytes=0).append(record(9))  # a writer that never rotates, on the new file
    assert verify(audit_path).ok


def test_tampering_in_a_rotated_file_names_that_file(audit_path: Path):
    write(audit_path, 30, max_bytes=1000)
    second = rotated_name(audit_path, 2)
    lines = lines_of(second)
    lines[1] = lines[1].replace(b'"spy"', b'"SPY"')
    rewrite(second, lines)
    assert problem_at(audit_path) == (second.name, 2, Finding.EDITED)


def test_a_missing_rotated_file_in_the_middle_is_caught(audit_path: Path):
    write(audit_path, 30, max_bytes=1000)
    rotated_name(audit_path, 2).unlink()
    assert problem_at(audit_path) == (rotated_name(audit_path, 3).name, 1, Finding.REMOVED)


def test_oldest_rotated_files_removed_by_retention_are_accepted_and_reported(audit_path: Path):
    write(audit_path, 30, max_bytes=1000)
    rotated_name(audit_path, 1).unlink()
    verdict = verify(audit_path)
    assert verdict.ok, verdict.problem
    assert verdict.continues_from == rotated_name(audit_path, 2)


# ----- records from before the chain ---------------------------------------------------------------------


def test_old_unchained_records_are_kept_as_they_are_and_reported(audit_path: Path):
    old = b"".join(json.dumps(record(n)).encode() + b"\n" for n in range(3))
    audit_path.write_bytes(old)
    audit_path.chmod(0o600)
    write(audit_path, 2)
    assert audit_path.read_bytes().startswith(old)  # never rewritten
    verdict = verify(audit_path)
    # Not "intact": records without a chain cannot be told from records whose chain was stripped.
    [unchained] = verdict.problems
    assert (unchained.line, unchained.through, unchained.finding) == (1, 3, Finding.UNCHAINED)
    assert verdict.records == 5
    assert json.loads(lines_of(audit_path)[3])["prev"] == sha(lines_of(audit_path)[2])


def test_an_edit_to_the_last_unchained_record_breaks_the_first_link(audit_path: Path):
    audit_path.write_bytes(b"".join(json.dumps(record(n)).encode() + b"\n" for n in range(3)))
    audit_path.chmod(0o600)
    write(audit_path, 2)
    assert findings(audit_path) == [("audit.jsonl", 1, Finding.UNCHAINED)]
    lines = lines_of(audit_path)
    lines[2] = lines[2].replace(b"C-2", b"C-8")
    rewrite(audit_path, lines)
    assert findings(audit_path) == [("audit.jsonl", 1, Finding.UNCHAINED), ("audit.jsonl", 4, Finding.REANCHORED)]


# ----- concurrent writers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("max_bytes", [0, 40_000], ids=["one-file", "rotating"])
def test_two_processes_appending_500_records_each_keep_one_valid_chain(audit_path: Path, max_bytes: int):
    per_writer = 500
    children = start_writers(audit_path, per_writer, "--pad", "200", "--max-bytes", str(max_bytes))
    for child in children:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
    verdict = verify(audit_path)
    assert verdict.ok, verdict.problem
    assert verdict.records == 2 * per_writer
    if max_bytes:
        assert len(verdict.files) > 3
    writers = [found.record["writer"] for found in trail_records(audit_path)]
    assert sum(1 for a, b in itertools.pairwise(writers) if a != b) > 10  # the writers really interleaved


def test_seal_is_what_append_writes(audit_path: Path):
    AuditLog(audit_path).append(record(1))
    assert lines_of(audit_path) == [seal(record(1), GENESIS) + b"\n"]


# ----- checking goes on past damage ---------------------------------------------------------------------------


def findings(path: Path) -> list[tuple[str, int, Finding]]:
    return [(problem.file.name, problem.line, problem.finding) for problem in verify(path).problems]


def test_a_torn_line_then_an_edited_record_are_both_reported(audit_path: Path):
    write(audit_path, 3)
    with audit_path.open("ab") as handle:  # a full disk or kill -9 cut a record short
        handle.write(json.dumps(record(99)).encode()[:40])
    write(audit_path, 3)  # the next writer starts a line of its own and links to the torn one
    assert findings(audit_path) == [("audit.jsonl", 4, Finding.DAMAGED)]
    lines = lines_of(audit_path)
    lines[5] = lines[5].replace(b"C-1", b"C-7")  # an edit after the damage
    rewrite(audit_path, lines)
    assert findings(audit_path) == [
        ("audit.jsonl", 4, Finding.DAMAGED),
        ("audit.jsonl", 6, Finding.EDITED),
        ("audit.jsonl", 7, Finding.REANCHORED),
    ]


def test_an_edit_after_another_is_still_caught(audit_path: Path):
    write(audit_path, 8)
    lines = lines_of(audit_path)
    for number in (1, 5):
        lines[number] = lines[number].replace(b'"spy"', b'"barge"')
    rewrite(audit_path, lines)
    assert [(line, finding) for _, line, finding in findings(audit_path)] == [
        (2, Finding.EDITED), (3, Finding.REANCHORED), (6, Finding.EDITED), (7, Finding.REANCHORED),
    ]  # fmt: skip


def test_chains_stripped_from_a_whole_trail_are_reported_per_file(audit_path: Path):
    log = AuditLog(audit_path, max_bytes=400)
    for n in range(10):
        log.append(record(n))
    files = [path for _, path in rotated_files(audit_path)] + [audit_path]
    assert len(files) > 2
    for path in files:
        stripped = [
            json.dumps({k: v for k, v in json.loads(line).items() if k not in ("prev", "sha256")}).encode() + b"\n"
            for line in lines_of(path)
        ]
        rewrite(path, stripped)
    verdict = verify(audit_path)
    assert not verdict.ok
    expected = [(path, 1, len(lines_of(path)), Finding.UNCHAINED) for path in files]
    assert [(p.file, p.line, p.through, p.finding) for p in verdict.problems] == expected


def test_a_folder_named_like_a_rotated_file_is_reported_not_read(audit_path: Path):
    write(audit_path, 2)
    rotated_name(audit_path, 7).mkdir()
    assert findings(audit_path) == [("audit.000007.jsonl", 0, Finding.STRAY)]
