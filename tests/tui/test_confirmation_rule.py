"""Whether an action waits for the supervisor's yes is the core Session's answer (`needs_confirmation`), asked by
the console and by `queuetui barge` alike. Each front end is run with the Session's answer turned around: one that
kept a copy of the rule would not follow it, and its test fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from run_cli import run_queuetui

from queuetui.api.credentials import parse_credentials
from queuetui.api.models import BargeRequest, parse_request
from queuetui.core.config.settings import Profile
from queuetui.core.session import Session
from queuetui.sim import DEMO_SSID, SimServer
from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen
from tui.conftest import drive, fill_form, press_for_screen, settle, signed_in, snoop_types

FIELDS = {"callId": "C-10023", "targetEntityType": "agent", "targetEntityVal": "13", "snooperNumber": "9876543210"}


def request(mode: str) -> BargeRequest:
    return parse_request({**FIELDS, "snoopType": mode})


@pytest.mark.parametrize(
    ("mode", "profile", "asks"),
    [
        ("barge", {}, True),
        ("barge", {"confirm_barge": False}, False),
        ("whisper", {}, False),
        ("spy", {}, False),
        # A refused mode is refused without asking.
        ("barge", {"allowed_modes": ["spy", "whisper"]}, False),
    ],
)
def test_the_session_says_which_actions_wait_for_a_yes(sim: SimServer, tmp_path: Path, mode, profile, asks):
    session = Session.open(
        "floor", Profile(base_url=sim.url, **profile), parse_credentials(ssid=DEMO_SSID), tmp_path / "audit.jsonl"
    )
    try:
        assert session.needs_confirmation(request(mode)) is asks
    finally:
        session.close()


def barge_without_yes(sim: SimServer, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("QUEUETUI_SSID", DEMO_SSID)
    flags = ["--call-id", "C-10023", "--mode", "barge", "--target", "13", "--snooper", "9876543210"]
    return run_queuetui("barge", *flags, "--base-url", sim.url, in_process=True).returncode


def test_queuetui_barge_refuses_a_barge_without_yes_when_the_session_says_it_waits(sim, monkeypatch):
    assert barge_without_yes(sim, monkeypatch) == 2
    assert "barge" not in snoop_types(sim)


def test_queuetui_barge_follows_the_sessions_answer(sim, monkeypatch):
    monkeypatch.setattr(Session, "needs_confirmation", lambda self, request: False)
    assert barge_without_yes(sim, monkeypatch) == 0
    assert snoop_types(sim)[-1] == "barge"


def test_the_console_asks_before_a_barge_when_the_session_says_it_waits(make_app, sim):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        await fill_form(pilot, "C-10023", "13", mode="barge")
        await press_for_screen(pilot, "enter", ConfirmBargeScreen)

    drive(h, steps)
    assert "barge" not in snoop_types(sim)


def test_the_console_follows_the_sessions_answer(make_app, sim, monkeypatch):
    monkeypatch.setattr(Session, "needs_confirmation", lambda self, request: False)
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        await fill_form(pilot, "C-10023", "13", mode="barge")
        await pilot.press("enter")
        await settle(pilot)

    drive(h, steps)
    assert snoop_types(sim)[-1] == "barge"
