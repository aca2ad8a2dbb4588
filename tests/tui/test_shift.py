"""The shift in the console: the sessions list comes back after a restart from today's audit records of the same
OS user, profile and identity; signing out clears it; another identity sees none of it; F6 sums it up."""

from __future__ import annotations

from queuetui.tui.screens.login import LoginScreen
from queuetui.tui.screens.shift_summary import ShiftSummaryScreen
from tui.conftest import drive, press_for_screen, send_call, signed_in, wait_until

OTHER_SSID = "another-supervisor-ssid-77"


def rows(h) -> list[tuple[str, str, str]]:
    return [(e.request.call_id, e.request.snoop_type.value, e.outcome.kind.value) for e in h.sessions.entries]


def test_the_sessions_list_comes_back_after_a_restart_and_goes_on_sign_out(make_app, sim, write_config):
    write_config(f'[profiles.floor]\nbase_url = "{sim.url}"\nsnooper_number = "9876543210"\n')
    first = make_app()

    async def work(pilot):
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "13")
        await send_call(pilot, "C-10017", "99")  # a 1502: failures are part of the shift too

    drive(first, work)
    again = make_app()

    async def restart(pilot):
        await signed_in(pilot)
        await wait_until(pilot, lambda: len(again.sessions.entries) == 2)
        assert rows(again) == [("C-10023", "spy", "ok"), ("C-10017", "spy", "api_error")]
        assert any("read back from the audit trail" in line for line in again.log_lines)
        pilot.app.sign_out()
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen))
        assert again.sessions.entries == []

    drive(again, restart)


def test_another_identity_sees_none_of_the_first_ones_shift(make_app, sim, write_config, monkeypatch):
    write_config(f'[profiles.floor]\nbase_url = "{sim.url}"\nsnooper_number = "9876543210"\n')
    demo_ssid = sim.scenario.ssid
    monkeypatch.setattr(sim.scenario, "ssid", OTHER_SSID)  # only the identity differs; the server accepts it
    first = make_app()

    async def work(pilot):
        await signed_in(pilot, OTHER_SSID)
        await send_call(pilot, "C-10023", "13")

    drive(first, work)
    monkeypatch.setattr(sim.scenario, "ssid", demo_ssid)
    other = make_app()

    async def someone_else(pilot):
        await signed_in(pilot)
        await wait_until(pilot, lambda: other.handled["ShiftLoaded"] > 0)
        assert other.sessions.entries == []

    drive(other, someone_else)


def test_f6_sums_up_the_shift(make_app, sim, write_config):
    write_config(f'[profiles.floor]\nbase_url = "{sim.url}"\nsnooper_number = "9876543210"\n')
    h = make_app()

    async def steps(pilot):
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "13")
        await send_call(pilot, "C-10023", "13", mode="whisper")
        summary = await press_for_screen(pilot, "f6", ShiftSummaryScreen)
        assert summary.summary.actions == 2
        assert summary.summary.by_mode == {"spy": 1, "whisper": 1}

    drive(h, steps)
