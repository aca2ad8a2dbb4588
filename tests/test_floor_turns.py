"""The poller's long loops over a floor of thousands of calls take turns with the console's threads: a thread that is
waiting to run gets to before the loop ends, not only once the interpreter would make the loop let go."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator

import pytest

from queuetui.core.floor.calls import FieldMap, map_calls
from queuetui.core.floor.config import LiveCallFields
from queuetui.core.floor.poller import FloorTracker

ITEMS = [{"callId": f"C-{n}", "masterAgent": str(n % 400), "state": "talking"} for n in range(20_000)]


@pytest.fixture
def no_forced_switch() -> Iterator[None]:
    """Put off the interpreter's own switching between threads: only a loop's turns can let another thread run."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    yield
    sys.setswitchinterval(before)


def ran_during(work: Callable[[], object]) -> bool:
    """Whether a thread waiting to run got to before `work` returned."""
    go = threading.Event()
    finished = [False]
    seen: list[bool] = []

    def waiting() -> None:
        go.wait()
        seen.append(finished[0])

    thread = threading.Thread(target=waiting)
    thread.start()
    go.set()
    work()
    finished[0] = True
    thread.join()
    return seen == [False]


def test_mapping_an_answer_lets_a_waiting_thread_run(no_forced_switch):
    fields = FieldMap.from_config(LiveCallFields())
    assert ran_during(lambda: map_calls(ITEMS, fields, {}))


def test_tracking_a_refresh_lets_a_waiting_thread_run(no_forced_switch):
    mapped = map_calls(ITEMS, FieldMap.from_config(LiveCallFields()))
    assert ran_during(lambda: FloorTracker(1.0).apply(mapped, 1.0, 1.0))


def test_without_turns_a_waiting_thread_waits_for_the_end(no_forced_switch):
    # What the tests above would see if the loops took no turns: the check can fail.
    assert not ran_during(lambda: sum(1 for _ in range(2_000_000)))
