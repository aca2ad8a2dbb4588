"""The session id and the token never show: not in the log panel, a toast, the exported log, the audit
trail or on screen, whether the server accepted them or not."""

from __future__ import annotations

import stat

import pytest

from queuetui.core.config import paths
from queuetui.sim import DEMO_SSID, DEMO_TOKEN, DEMO_USER_ID
from queuetui.tui.screens.login import LoginScreen
from tui.conftest import drive, screen_text, send_call, signed_in, wait_until

WRONG = {"session": "wrong-ssid-4c7e2d9b", "token": "wrong-token-e5a90f31"}
RIGHT = {"session": DEMO_SSID, "token": DEMO_TOKEN}


async def sign_in_with(pilot, method: str, secret: str) -> None:
    if method == "token":
        await signed_in(pilot, user_id=DEMO_USER_ID, token=secret)
    else:
        await signed_in(pilot, secret)


@pytest.mark.parametrize("method", ["session", "token"])
def test_secrets_stay_out_of_everything_the_console_shows_or_writes(make_app, sim, audit_path, method):
    h = make_app(base_url=sim.url)
    seen = {}

    async def steps(pilot):
        await sign_in_with(pilot, method, WRONG[method])
        await send_call(pilot, "C-10023", "13")
        await wait_until(pilot, lambda: isinstance(h.app.screen, LoginScreen))
        seen["login screen"] = screen_text(h.app)
        await sign_in_with(pilot, method, RIGHT[method])
        await send_call(pilot, "C-10023", "13")
        await send_call(pilot, "C-10023", "14")
        await send_call(pilot, "C-10050", "9")
        seen["log panel"] = "\n".join(h.log_lines)
        await pilot.press("ctrl+e")  # the focus is in a form field, which has its own ctrl+e
        await pilot.pause()
        seen["console screen"] = screen_text(h.app)

    drive(h, steps)
    [export] = sorted((paths.state_dir() / "logs").glob("queuetui-log-*.txt"))
    assert stat.S_IMODE(export.stat().st_mode) == 0o600
    seen["exported log"] = export.read_text(encoding="utf-8")
    seen["toasts"] = h.toasts.text
    seen["audit"] = audit_path.read_text(encoding="utf-8")

    # The session had what it should: a refusal, a success, a server error and retries, all exported.
    # A notice for each of a call's retries, in place of the one before; every retry is in the log.
    words = ("Session expired", "SPY on", "is not on C-10023", "1501")
    assert [h.toasts.text.count(word) for word in words] == [1, 2, 1, 2]
    assert seen["exported log"].splitlines() == seen["log panel"].splitlines()
    assert f"Exported {len(seen['exported log'].splitlines())} log lines to {export}" in h.toasts.text
    for secret in (WRONG[method], RIGHT[method]):
        leaks = [where for where, text in seen.items() if secret in text]
        assert leaks == [], f"the secret shows in: {leaks}"
