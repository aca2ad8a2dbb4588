"""A shorter run of benchmarks/soak_service.py: thousands of actions through one service stay correct, fully
audited, and do not grow memory."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from queuetui.core.audit.log import read_audit
from queuetui.core.service import Outcome

pytestmark = pytest.mark.slow

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
ACTIONS = 4_000
CHECKPOINT = 2_000


def load_script(name: str) -> ModuleType:
    """A benchmark script loaded as a module, so a test can run a shorter version of it."""
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_soak_stays_correct_and_flat(tmp_path):
    soak_service = load_script("soak_service")
    # Only what the checks need: keeping whole outcomes would itself grow the memory being measured.
    seen: list[tuple[int, bool, int, str]] = []

    def on_outcome(index: int, outcome: Outcome) -> None:
        seen.append((index, outcome.ok, outcome.attempts, outcome.request.call_id if outcome.request else ""))

    # tmpfs where there is one: the point here is memory and correctness; fsync cost is the script's to report.
    folder = Path("/dev/shm") if Path("/dev/shm").is_dir() else tmp_path
    audit_path = folder / f"queuetui-soak-test-{tmp_path.name}.jsonl"
    try:
        report = soak_service.soak(ACTIONS, on_outcome, audit_path=audit_path, checkpoint=CHECKPOINT)
        audit = read_audit(audit_path)
        summary = report.lines()
    finally:
        audit_path.unlink(missing_ok=True)

    assert report.outcomes == {"ok": ACTIONS}
    assert [index for index, *_ in seen] == list(range(ACTIONS))
    assert all(ok and attempts == 1 for _, ok, attempts, _ in seen)
    outcomes = [record for record in audit.records if record["event"] == "outcome"]
    assert len(audit.records) == 2 * ACTIONS  # each action's attempt, then its outcome
    assert audit.bad_lines == []
    assert [record["call_id"] for record in outcomes] == [call_id for *_, call_id in seen]

    samples = dict(report.rss_kib)
    assert set(samples) == {0, CHECKPOINT, ACTIONS}
    if samples[0] is not None:  # Linux: /proc is there
        growth_mib = (samples[ACTIONS] - samples[CHECKPOINT]) / 1024
        # Warm-up (imports, pools, caches) happens before the first checkpoint; after it, a leak of even a
        # few kB per action would show as several MiB over the second half.
        assert growth_mib < 4, summary
