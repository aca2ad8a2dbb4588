"""The demo's answer times: varied and a few hundred milliseconds by default, fixed (0 for tests) when asked;
the jitter switch behind them, in the simulator and in `queuetui sim`."""

from __future__ import annotations

import random
import time

import httpx
import pytest
from helpers import VALID_FIELDS
from run_cli import start_queuetui
from test_sim import read_banner, url_of

from queuetui.sim import DEMO_LATENCY_ENV, DEMO_SSID, SimServer, demo_faults
from queuetui.sim.demo import DEMO_JITTER_S, DEMO_LATENCY_S


def test_the_demo_answers_in_a_few_hundred_varied_milliseconds():
    faults = demo_faults()
    assert (faults.latency_s, faults.latency_jitter_s) == (DEMO_LATENCY_S, DEMO_JITTER_S)
    assert DEMO_LATENCY_S >= 0.2 and DEMO_LATENCY_S + DEMO_JITTER_S <= 0.8
    assert demo_faults("  ") == faults  # an empty variable is the default, not an error


@pytest.mark.parametrize(("setting", "latency"), [("0", 0.0), ("0.4", 0.4), (" 1 ", 1.0)])
def test_a_setting_fixes_the_answer_time(setting, latency):
    faults = demo_faults(setting)
    assert (faults.latency_s, faults.latency_jitter_s) == (latency, 0.0)


@pytest.mark.parametrize("setting", ["fast", "-1", "nan", "inf", "11", "\x1b[31m"])
def test_a_bad_setting_names_the_variable(setting):
    with pytest.raises(ValueError, match=DEMO_LATENCY_ENV) as refused:
        demo_faults(setting)
    assert "\x1b" not in str(refused.value)  # shown as typed, but never as a live escape sequence


def test_the_simulator_itself_stays_instant_by_default():
    # Tests start SimServer() directly: their speed depends on this.
    with SimServer() as sim:
        assert (sim.faults.latency_s, sim.faults.latency_jitter_s) == (0.0, 0.0)


def timed_answers(sim: SimServer, count: int) -> list[float]:
    timings = []
    with httpx.Client(trust_env=False, timeout=5.0) as client:
        for _ in range(count):
            started = time.perf_counter()
            response = client.post(f"{sim.url}/queue/bargingCall", json={"ssid": DEMO_SSID, **VALID_FIELDS})
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200
    return timings


def test_jitter_varies_each_answer_within_its_range(sim):
    sim.faults.latency_s = 0.05
    sim.faults.latency_jitter_s = 0.1
    timings = timed_answers(sim, 8)
    assert min(timings) >= 0.05
    assert max(timings) - min(timings) > 0.01, timings  # eight equal waits from a 100 ms range: not random
    # The range's top is checked on the delays chosen, not on answers timed: a busy machine adds its own wait.
    delays = [sim.faults.answer_delay(random.Random(seed)) for seed in range(1000)]
    assert 0.05 <= min(delays) < 0.06 and 0.14 < max(delays) <= 0.15


def test_sim_command_takes_a_jitter():
    process = start_queuetui("sim", "--port", "0", "--latency", "0.1", "--jitter", "0.2")
    try:
        base = url_of(read_banner(process)[0]).removesuffix("/api/v2")
        with httpx.Client(trust_env=False, timeout=5.0) as client:
            shown = client.get(f"{base}/_sim/faults").json()
        assert (shown["latency_s"], shown["latency_jitter_s"]) == (0.1, 0.2)
    finally:
        process.terminate()
        process.wait(timeout=10)
