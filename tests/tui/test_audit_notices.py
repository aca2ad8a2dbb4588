"""What the console says about the audit trail: an earlier request whose answer was never recorded, told as the
next session starts; and a request not sent because its attempt could not be written."""

from __future__ import annotations

from queuetui.sim import SimServer
from queuetui.tui.screens.login import LoginScreen
from tui.conftest import drive, send_call, signed_in, wait_until


def test_a_request_whose_answer_was_never_recorded_is_told_at_the_next_sign_in(make_app, sim: SimServer):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        session = h.app.session
        assert session is not None
        # What a console killed between its request and the answer leaves behind: an attempt, no outcome.
        where = {"call_id": "C-10031", "mode": "spy", "target_type": "agent", "target": "21", "snooper": "9876543210"}
        assert session.service.record_event("attempt", {**where, "attempt": "f" * 32}) == ""
        h.app.sign_out()
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen))
        await signed_in(pilot)
        await wait_until(pilot, lambda: bool(h.toasts.of("warning")))

    drive(h, steps)
    [warning] = h.toasts.of("warning")
    assert warning.startswith("Your spy on C-10031 at ")
    assert warning.endswith("was sent; its answer was never recorded: check your phone and the call")


def test_a_request_whose_attempt_cannot_be_written_is_not_sent(make_app, sim: SimServer, audit_path):
    h = make_app(base_url=sim.url)

    log: list[str] = []

    async def steps(pilot):
        await signed_in(pilot)
        audit_path.chmod(0o644)  # someone opened the trail to others while the console ran
        await send_call(pilot, "C-10023", "13")
        await wait_until(pilot, lambda: bool(h.toasts.of("error")))
        log.extend(h.log_lines)

    drive(h, steps)
    # The notice and the log line both say it whole: the path is to be typed.
    whole = f"Not sent: the audit trail cannot be written ({audit_path}: others may open it (mode 0644); chmod 600"
    [error] = h.toasts.of("error")
    assert error.startswith(whole) and error.endswith(f"chmod 600 {audit_path})")
    assert any(line.endswith(error) for line in log)
    assert sim.request_count == 0
