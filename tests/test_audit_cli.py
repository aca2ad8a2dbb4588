"""`queuetui audit`: every filter, the table, `--json`, `export --csv` and `verify`, with their exit codes. The
command's entry point runs in this process: a child process per case added time and nothing else. Run as child
processes: the barge whose records are listed, and a listing whose reader goes away early."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import valid_request
from run_cli import run_queuetui, start_queuetui

from queuetui.core.audit.files import rotated_name
from queuetui.core.audit.log import AuditLog
from queuetui.core.config import paths
from queuetui.core.service import BargeService
from queuetui.headless.audit import CSV_COLUMNS
from queuetui.sim import DEMO_SSID, SimServer

NOW = datetime.now(timezone.utc)


def stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")


# Five records: two profiles, every mode, three outcomes, five days apart at most.
RECORDS: list[dict[str, object]] = [
    {"time": stamp(NOW - timedelta(days=5)), "profile": "floor", "call_id": "C-1", "mode": "spy", "outcome": "ok"},
    {"time": stamp(NOW - timedelta(hours=36)), "profile": "floor", "call_id": "C-2", "mode": "whisper",
     "outcome": "api_error", "code": 1015, "message": "Permission denied"},
    {"time": stamp(NOW), "profile": "night", "call_id": "C-3", "mode": "barge",
     "outcome": "ok"},
    {"time": "2025-03-01T10:02:00.000+00:00", "profile": "night", "call_id": "C-4", "mode": "spy",
     "outcome": "refused", "message": 'Spy, "quoted"\nsecond line, with commas'},
    {"time": "2025-03-01T10:05:00.000+00:00", "profile": "floor", "call_id": "C-5", "mode": "spy",
     "outcome": "ok", "message": "=HYPERLINK(\"http://x.invalid\")", "target": "+919876543210"},
]  # fmt: skip


@pytest.fixture
def trail(audit_path: Path) -> Path:
    log = AuditLog(audit_path)
    for record in RECORDS:
        log.append(record)
    return audit_path


Audit = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def audit() -> Iterator[Audit]:
    """Runs `queuetui audit` in UTC, or in the `zone` given, so that dates mean the same days anywhere."""
    zone_before = os.environ.get("TZ")

    def run(*args: str, zone: str = "UTC") -> subprocess.CompletedProcess[str]:
        os.environ["TZ"] = zone
        time.tzset()
        return run_queuetui("audit", *args, in_process=True)

    yield run
    if zone_before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = zone_before
    time.tzset()


def listed_calls(done: subprocess.CompletedProcess[str]) -> list[str]:
    assert done.returncode == 0, done.stderr
    return [record["call_id"] for record in json.loads(done.stdout)]


@pytest.mark.parametrize(
    ("filters", "calls"),
    [
        ([], ["C-1", "C-2", "C-3", "C-4", "C-5"]),
        (["--since", "2d"], ["C-2", "C-3"]),
        (["--since", "today"], ["C-3"]),
        (["--until", "2d"], ["C-1", "C-4", "C-5"]),
        (["--since", "2025-03-01", "--until", "2025-03-02"], ["C-4", "C-5"]),
        (["--since", "2025-03-01T10:03Z"], ["C-1", "C-2", "C-3", "C-5"]),
        (["--until", "2025-03-01T10:05:00+00:00"], ["C-4"]),
        (["--call", "C-2"], ["C-2"]),
        (["--mode", "spy"], ["C-1", "C-4", "C-5"]),
        (["--outcome", "ok"], ["C-1", "C-3", "C-5"]),
        (["--profile", "night"], ["C-3", "C-4"]),
        (["--profile", "floor", "--mode", "spy", "--outcome", "ok", "--since", "2025-03-02"], ["C-1"]),
        (["--call", "C-404"], []),
    ],
)
def test_filters(trail: Path, filters: list[str], calls: list[str], audit: Audit):
    assert listed_calls(audit("--json", "--audit-file", str(trail), *filters)) == calls


def test_times_without_a_zone_are_local(trail: Path, audit: Audit):
    india = "IST-5:30"  # 10:02 UTC is 15:32 there
    assert listed_calls(audit("--json", "--audit-file", str(trail), "--since", "2025-03-01T15:32", "--until",
                              "2025-03-01T15:33", zone=india)) == ["C-4"]  # fmt: skip


def test_json_is_an_array_of_the_records_as_written(trail: Path, audit: Audit):
    done = audit("--json", "--audit-file", str(trail))
    assert json.loads(done.stdout) == RECORDS  # chain fields are the trail's own, not the records'


def test_the_default_trail_is_the_state_file(audit: Audit):
    log = AuditLog(paths.audit_file())
    log.append(RECORDS[0])
    assert listed_calls(audit("--json")) == ["C-1"]


def test_table_has_a_row_per_record_and_is_safe_for_a_terminal(audit_path: Path, audit: Audit):
    AuditLog(audit_path).append({**RECORDS[0], "message": "\x1b[2J\x1b]0;owned\x07gone\u202e"})
    done = audit("--audit-file", str(audit_path))
    assert done.returncode == 0
    header, row, message = done.stdout.splitlines()
    assert header.split() == ["time", "call", "agent", "mode", "outcome", "profile"]
    assert row.split()[2:5] == ["C-1", "spy", "ok"]
    assert message.split() == ["gone\ufffd"]
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout and "\u202e" not in done.stdout


def test_the_table_fits_80_columns_with_the_agent_and_every_word_whole(
    audit_path: Path, audit: Audit, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("COLUMNS", "80")
    words = "Agent 13 is not on C-10017: the list shows agent 21, so nothing was sent to DeepCall this time"
    AuditLog(audit_path).append(
        {**RECORDS[1], "call_id": "C-10017", "target": "13", "outcome": "unanswered", "message": words}
    )
    done = audit("--audit-file", str(audit_path))
    _, row, *message = done.stdout.splitlines()
    assert max(len(line) for line in done.stdout.splitlines()) <= 80, done.stdout
    assert row.split()[2:7] == ["C-10017", "13", "whisper", "unanswered", "floor"]
    assert len(message) == 2, "the message wraps under its record"
    assert " ".join(" ".join(message).split()) == words


def test_no_match_says_so(trail: Path, audit: Audit):
    done = audit("--audit-file", str(trail), "--call", "C-404")
    assert done.returncode == 0
    assert "no records match" in done.stderr


def test_export_csv_has_a_header_and_survives_commas_quotes_and_newlines(trail: Path, audit: Audit):
    done = audit("export", "--csv", "--audit-file", str(trail))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout, newline="")))
    assert list(rows[0]) == [*CSV_COLUMNS, "other"]
    assert list(CSV_COLUMNS[:4]) == ["time", "call_id", "mode", "outcome"]
    assert [row["call_id"] for row in rows] == ["C-1", "C-2", "C-3", "C-4", "C-5"]
    assert rows[3]["message"] == 'Spy, "quoted"\nsecond line, with commas'
    assert rows[1]["code"] == "1015"
    assert rows[0]["code"] == "" and rows[0]["other"] == ""


def test_export_csv_keeps_spreadsheets_from_running_formulas(trail: Path, audit: Audit):
    rows = list(csv.DictReader(io.StringIO(audit("export", "--csv", "--audit-file", str(trail)).stdout, newline="")))
    assert rows[4]["message"] == '\'=HYPERLINK("http://x.invalid")'
    assert rows[4]["target"] == "'+919876543210"


def test_export_csv_takes_the_same_filters_before_or_after_export(trail: Path, audit: Audit):
    after = audit("export", "--csv", "--audit-file", str(trail), "--profile", "night", "--mode", "spy")
    before = audit("--profile", "night", "--mode", "spy", "export", "--csv", "--audit-file", str(trail))
    for done in (after, before):
        rows = list(csv.DictReader(io.StringIO(done.stdout, newline="")))
        assert [row["call_id"] for row in rows] == ["C-4"]


def test_fields_beyond_the_columns_go_to_other(audit_path: Path, audit: Audit):
    AuditLog(audit_path).append({**RECORDS[0], "ticket": "T-9"})
    rows = list(csv.DictReader(io.StringIO(audit("export", "--csv", "--audit-file", str(audit_path)).stdout)))
    assert json.loads(rows[0]["other"]) == {"ticket": "T-9"}


def test_every_field_the_service_records_has_a_csv_column(service: BargeService, audit_path: Path):
    assert service.send(valid_request()).ok
    attempt, outcome = (json.loads(line) for line in audit_path.read_text().splitlines())
    assert (set(attempt) | set(outcome)) - {"prev", "sha256"} <= set(CSV_COLUMNS)


def test_records_from_a_real_barge_are_listed_and_verify(sim: SimServer, audit_path: Path, audit: Audit):
    done = run_queuetui(
        "barge", "--call-id", "C-10023", "--mode", "spy", "--target", "13", "--snooper", "9876543210",
        "--base-url", sim.url, "--audit-file", str(audit_path), env={"QUEUETUI_SSID": DEMO_SSID},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert listed_calls(audit("--json", "--audit-file", str(audit_path), "--outcome", "ok")) == ["C-10023"]
    assert audit("verify", "--audit-file", str(audit_path)).returncode == 0


def test_lines_that_are_not_records_are_skipped_with_a_warning(trail: Path, audit: Audit):
    with trail.open("ab") as handle:
        handle.write(b'{"time": "2025-03-0')
    done = audit("--json", "--audit-file", str(trail))
    assert len(json.loads(done.stdout)) == len(RECORDS)
    assert "line 6 is not a whole record" in done.stderr


# ----- verify --------------------------------------------------------------------------------------------


def test_verify_an_intact_trail_exits_0(trail: Path, audit: Audit):
    done = audit("verify", "--audit-file", str(trail))
    assert done.returncode == 0
    assert done.stdout.startswith("intact: 5 records in 1 file(s)")
    assert "head: " in done.stdout


def test_verify_names_the_first_bad_line_and_exits_1(trail: Path, audit: Audit):
    lines = trail.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(b'"barge"', b'"spy"')
    trail.write_bytes(b"".join(lines))
    done = audit("verify", "--audit-file", str(trail))
    assert done.returncode == 1
    assert "line 3: edited" in done.stdout


def test_verify_follows_rotated_files(audit_path: Path, audit: Audit):
    log = AuditLog(audit_path, max_bytes=600)
    for record in RECORDS * 2:
        log.append(record)
    assert rotated_name(audit_path, 2).exists()
    done = audit("verify", "--audit-file", str(audit_path))
    assert done.returncode == 0, done.stdout
    assert "intact: 10 records" in done.stdout
    lines = rotated_name(audit_path, 1).read_bytes().splitlines(keepends=True)
    rotated_name(audit_path, 1).write_bytes(b"".join(lines[1:]))
    done = audit("verify", "--audit-file", str(audit_path))
    assert done.returncode == 1
    assert f"{rotated_name(audit_path, 1).name}: line 1: removed" in done.stdout


def test_verify_reports_records_without_a_chain_as_a_finding(audit_path: Path, audit: Audit):
    audit_path.write_text(json.dumps(RECORDS[0]) + "\n" + json.dumps(RECORDS[1]) + "\n")
    audit_path.chmod(0o600)
    AuditLog(audit_path).append(RECORDS[2])
    done = audit("verify", "--audit-file", str(audit_path))
    assert done.returncode == 1
    assert f"{audit_path}: lines 1-2: unchained: no chain" in done.stdout
    assert "NOT intact: 1 finding(s) in 3 lines" in done.stdout


def test_verify_goes_on_past_a_torn_line_and_lists_every_finding_in_json(trail: Path, audit: Audit):
    with trail.open("ab") as handle:
        handle.write(b'{"time": "2025-03-0')  # torn by a crash
    log = AuditLog(trail)
    for record in RECORDS[:3]:
        log.append(record)
    lines = trail.read_bytes().splitlines(keepends=True)
    lines[7] = lines[7].replace(b'"C-', b'"X-')  # the second record after the torn line, edited
    trail.write_bytes(b"".join(lines))
    done = audit("verify", "--json", "--audit-file", str(trail))
    assert done.returncode == 1
    verdict = json.loads(done.stdout)
    assert verdict["intact"] is False
    assert [(f["line"], f["finding"]) for f in verdict["findings"]] == [
        (6, "damaged"),
        (8, "edited"),
        (9, "re-anchored"),
    ]
    text = audit("verify", "--audit-file", str(trail))
    assert [line.split(": ")[2] for line in text.stdout.splitlines()[:3]] == ["damaged", "edited", "re-anchored"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "yesterdayish"], "--since: 'yesterdayish' is not a time"),
        (["--until", "2025-13-01"], "--until: '2025-13-01' is not a time"),
        (["--mode", "listen"], "invalid choice: 'listen'"),
        (["--outcome", "fine"], "invalid choice: 'fine'"),
        (["export"], "the following arguments are required: --csv"),
    ],
)
def test_usage_errors_exit_2(trail: Path, args: list[str], message: str, audit: Audit):
    done = audit("--audit-file", str(trail), *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("action", [[], ["verify"], ["export", "--csv"]])
def test_no_trail_at_the_path_exits_2(tmp_path: Path, action: list[str], audit: Audit):
    done = audit(*action, "--audit-file", str(tmp_path / "nothing.jsonl"))
    assert done.returncode == 2
    assert "no audit trail at" in done.stderr


def test_a_reader_that_stops_early_ends_the_listing_quietly(audit_path: Path):
    # `queuetui audit --json | head -c 600`: the reader goes away with most of the listing unread.
    log = AuditLog(audit_path)
    for number in range(3000):
        log.append({**RECORDS[0], "call_id": f"C-{number}"})
    reader = start_queuetui("audit", "--json", "--audit-file", str(audit_path))
    assert reader.stdout is not None and reader.stderr is not None
    assert reader.stdout.read(600)
    reader.stdout.close()
    assert reader.wait(timeout=60) == 0
    assert "Traceback" not in reader.stderr.read()


def test_a_folder_in_the_trail_files_place_is_an_error_not_a_crash(audit_path: Path, audit: Audit):
    audit_path.mkdir()
    for args in (["verify"], ["--json"]):
        done = audit(*args, "--audit-file", str(audit_path))
        assert done.returncode == 2
        assert done.stderr == f"error: cannot read the audit trail: {audit_path}: Is a directory\n"
