"""Keys typed while the console is still starting (a burst typed with the command over a slow link) are held,
then typed in the order typed once the session, its profile and the keymap are in force; opening the session
does not take the focus from where those keys are going. Start-up is held on a config file that is a named
pipe, released by a timer."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import pytest
from helpers import eventually
from textual import events
from textual.widgets import Input

from queuetui.tui import startup as startup_module
from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen
from queuetui.tui.screens.login import LoginScreen
from tui.conftest import drive, settle, started, wait_until

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe")


@pytest.fixture
def held_config(tmp_path: Path) -> Path:
    """A config file start-up blocks on until `release` (below) writes it. Each test releases it in a
    `finally`: an app whose start-up is still blocked cannot end."""
    path = tmp_path / "config.toml"
    os.mkfifo(path)
    return path


def release(path: Path, after: float = 0.0, config: str = "") -> None:
    """Write the held config `after` seconds from now, from another thread: the UI may be waiting."""

    def write() -> None:
        # Non-blocking, and again until start-up opens the pipe to read it: start-up reaches the config only
        # once the console is on screen, which may be after this timer fires.
        opened: list[int] = []

        def open_once_read() -> bool:
            with contextlib.suppress(OSError):  # no reader yet
                opened.append(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            return bool(opened)

        if eventually(open_once_read, interval=0.005):
            try:
                os.write(opened[0], config.encode())
            finally:
                os.close(opened[0])

    threading.Timer(after, write).start()


KEY_NAMES = {"-": "minus"}  # Textual's names for the keys of the characters typed below, where they differ


def sent(h) -> list[tuple[str, str, str]]:
    sim = h.app.demo_sim
    return [(r.parsed["callId"], r.parsed["snoopType"], r.parsed["targetEntityVal"]) for r in sim.received]


def test_a_form_typed_while_the_demo_starts_is_held_and_sent_once_it_is_open(make_app, held_config):
    h = make_app(demo=True, config=str(held_config))

    async def steps(pilot):
        try:
            await pilot.press(*"C-10023", "tab", "f3", "tab", "tab", *"13", "enter")
            assert h.app.session is None  # all of it typed while start-up waits on the config
            assert h.console.query_one("#call-id", Input).value == ""  # held, not yet typed
        finally:
            release(held_config, after=0.1)
        await started(pilot)
        await wait_until(pilot, lambda: sent(h) != [])
        await settle(pilot)
        assert h.console.focused is h.console.query_one("#target-value")  # opening it took no focus

    drive(h, steps, wait_for_start=False)
    assert sent(h) == [("C-10023", "whisper", "13")]


def test_keys_typed_while_the_demo_starts_act_as_the_keymap_says(make_app, held_config):
    # Spy and whisper swapped: F3 typed at launch is spy. Acted on before the config was read, it was whisper.
    h = make_app(demo=True, config=str(held_config))

    async def steps(pilot):
        keymap = '[keymap]\n"console.spy" = "f3"\n"console.whisper" = "f2"\n'
        try:
            await pilot.press(*"C-10023", "tab", "f3", "tab", "tab", *"13")
        finally:
            release(held_config, after=0.3, config=keymap)
        await pilot.press("enter")
        await started(pilot)
        await wait_until(pilot, lambda: sent(h) != [])
        await settle(pilot)

    drive(h, steps, wait_for_start=False)
    assert sent(h) == [("C-10023", "spy", "13")]


def test_the_filter_typed_while_the_demo_starts_finds_its_call_in_the_first_list(make_app, held_config):
    h = make_app(demo=True, config=str(held_config))

    async def steps(pilot):
        try:
            await pilot.press("slash", *"C-10031")
        finally:
            release(held_config, after=0.3)
        await pilot.press("enter", "w")  # Enter waits for the first live list; w whispers the call it found
        await started(pilot)
        await wait_until(pilot, lambda: sent(h) != [])
        await settle(pilot)

    drive(h, steps, wait_for_start=False)
    assert sent(h) == [("C-10031", "whisper", "21")]


def test_keys_that_came_in_behind_the_held_ones_wait_for_them(make_app):
    # Over a slow link `/ C-10031 Enter w` may arrive split: only the `/` held, the rest already in the app's
    # queue, no longer held, when the hold ends. Posted there just so, the rest must still come after the `/`:
    # ahead of it, the digits went to the live list, Enter copied its first call, and the filter opened last.
    h = make_app(demo=True)

    async def steps(pilot):
        await started(pilot)
        await settle(pilot)
        h.app.key_gate.hold()
        h.app.post_message(events.Key("slash", "/"))
        h.app.call_later(h.app.key_gate.release)
        for key, character in [*[(KEY_NAMES.get(c, c), c) for c in "C-10031"], ("enter", "\r"), ("w", "w")]:
            h.app.post_message(events.Key(key, character))
        await wait_until(pilot, lambda: sent(h) != [])
        await settle(pilot)
        assert h.console.query_one("#filter", Input).value == "C-10031"

    drive(h, steps)
    assert sent(h) == [("C-10031", "whisper", "21")]


def test_a_burst_read_before_the_console_is_on_screen_is_typed_into_it(make_app):
    # Textual starts on an empty screen of its own and the console is pushed just after: keys the terminal
    # delivers before then (a burst typed with the command, read that early on a fast start: Python 3.13 does)
    # would go to that empty screen. Posted before the app runs, these arrive just so.
    burst = [("slash", "/"), *[(KEY_NAMES.get(c, c), c) for c in "C-10031"], ("enter", "\r"), ("w", "w")]
    assert sent_after_launch_burst(make_app, burst) == [("C-10031", "whisper", "21")]


def sent_after_launch_burst(make_app, keys: list[tuple[str, str | None]]) -> list[tuple[str, str, str]]:
    """What the demo sends for `keys` posted before the app runs, as a terminal delivers a burst typed with the
    command."""
    h = make_app(demo=True)
    for key, character in keys:
        h.app.post_message(events.Key(key, character))

    async def steps(pilot):
        await started(pilot)
        await wait_until(pilot, lambda: sent(h) != [])
        await settle(pilot)

    drive(h, steps, wait_for_start=False)
    return sent(h)


def test_ctrl_q_quits_a_start_up_that_never_ends_and_nothing_typed_is_sent(make_app, held_config, audit_path):
    h = make_app(demo=True, config=str(held_config))

    async def steps(pilot):
        try:
            await pilot.press(*"C-10023", "tab", "tab", "tab", *"13", "enter", "ctrl+q")
            await wait_until(pilot, lambda: h.app._exit)
        finally:
            release(held_config)

    drive(h, steps, wait_for_start=False)
    # The start-up released as the test ends may still open the demo's session; the form typed before the quit
    # must not reach it.
    assert not audit_path.exists() or audit_path.read_text(encoding="utf-8") == ""


def test_a_call_copied_from_the_list_by_a_burst_typed_with_the_command_is_the_one_sent(make_app):
    # Typed before the app has the terminal, each Enter arrives as a line feed (Ctrl+J): the one on the live list
    # must copy its call as Enter does, or the Enter after F3 sends an empty form.
    burst = [("slash", "/"), *[(KEY_NAMES.get(c, c), c) for c in "C-10031"], ("ctrl+j", "\n"), ("ctrl+j", "\n")]
    burst += [("tab", "\t"), ("tab", "\t"), ("f3", None), ("ctrl+j", "\n")]
    assert sent_after_launch_burst(make_app, burst) == [("C-10031", "whisper", "21")]


def test_ctrl_j_sends_as_enter_does(make_app):
    # What an Enter typed before the app has the terminal arrives as: the terminal turns it into a line feed.
    h = make_app(demo=True)

    async def steps(pilot):
        await wait_until(pilot, lambda: h.app.session is not None)
        h.console.set_focus(h.console.query_one("#call-id"))
        await pilot.press(*"C-10017", "tab", "tab", "tab", "7", "ctrl+j")
        await settle(pilot)

    drive(h, steps)
    assert sent(h) == [("C-10017", "spy", "7")]


def test_a_mode_the_profile_turns_out_not_to_allow_is_not_swapped_for_another(make_app, held_config):
    # F3 is accepted while no profile is known yet; the one that comes with the session allows only spy.
    h = make_app(demo=True, config=str(held_config))

    async def steps(pilot):
        try:
            await pilot.press(*"C-10023", "tab", "f3", "tab", "tab", *"13")
        finally:
            release(
                held_config, after=0.3, config='default_profile = "floor"\n[profiles.floor]\nallowed_modes = ["spy"]\n'
            )
        await pilot.press("enter")
        # The keys held through start-up are typed once its first frame is drawn: wait for what they do.
        await wait_until(pilot, lambda: any("WHISPER is not allowed in this profile" in line for line in h.log_lines))
        await settle(pilot)
        assert h.app.session is not None and h.app.config.profile.allowed_modes == ["spy"]
        assert any("WHISPER is not allowed in this profile: nothing sent" in line for line in h.log_lines)

    drive(h, steps, wait_for_start=False)
    assert sent(h) == []


def test_a_key_on_its_way_to_a_field_keeps_the_focus_where_it_is_going(make_app, held_config):
    # The app tells the console of each key as it arrives, before the field has handled it.
    h = make_app(demo=True, config=str(held_config))

    async def steps(pilot):
        try:
            h.console.keys_seen.pressed("C", "C", secret=False)
        finally:
            release(held_config)
        await started(pilot)
        assert h.console.focused is h.console.query_one("#call-id")

    drive(h, steps, wait_for_start=False)


def test_a_start_slower_than_the_hold_lets_the_screen_redraw_and_types_the_keys_once_over(
    make_app, held_config, monkeypatch
):
    # Start-up holds the screen's updates while its worker runs (`StartUp.show`); a slow one
    # must not leave a screen that cannot redraw. `_batch_count` is the count Textual's `batch_update` keeps:
    # above 0, nothing is redrawn. The keys wait for the keymap either way.
    monkeypatch.setattr(startup_module, "BOOT_HOLD_S", 0.3)
    h = make_app(demo=True, config=str(held_config))

    async def steps(pilot):
        try:
            await wait_until(pilot, lambda: h.app._batch_count > 0)
            await pilot.press(*"C-1")
            await wait_until(pilot, lambda: h.app._batch_count == 0)
            assert not h.app.ready.is_set()  # still starting: the hold ended on its own
            assert "starting" in h.app.export_screenshot()
            assert h.console.query_one("#call-id", Input).value == ""
        finally:
            release(held_config)
        await started(pilot)
        await wait_until(pilot, lambda: h.console.query_one("#call-id", Input).value == "C-1")
        assert h.app._batch_count == 0

    drive(h, steps, wait_for_start=False)


def test_a_usual_start_ends_its_hold_with_the_session(make_app):
    h = make_app(demo=True)

    async def steps(pilot):
        assert h.app._batch_count == 0
        assert h.app.session is not None

    drive(h, steps)


def test_a_barge_answer_typed_while_the_demo_starts_sends_nothing(make_app, held_config):
    # The Enter waits for start-up and the y behind it: it was typed before the question, and does not barge.
    # (In a real terminal that y is handled only once the question is drawn: tests/e2e covers that case.)
    h = make_app(demo=True, config=str(held_config))

    async def steps(pilot):
        try:
            await pilot.press(*"C-10023", "tab", "tab", "tab", *"13", "f4")
            assert h.app.session is None  # typed while start-up waits on the config
        finally:
            release(held_config, after=0.3)
        await pilot.press("enter", "y")  # the Enter waits for the session, the y behind it
        await started(pilot)
        await wait_until(pilot, lambda: isinstance(h.app.screen, ConfirmBargeScreen))
        question = h.app.screen
        await wait_until(pilot, lambda: "came before" in str(question.query_one("#confirm-keys").render()))
        assert sent(h) == []
        await pilot.press("y")  # typed with the question on screen: this one barges
        await settle(pilot)

    drive(h, steps, wait_for_start=False)
    assert sent(h) == [("C-10023", "barge", "13")]


def test_a_session_id_typed_while_the_sign_in_start_loads_goes_into_the_sign_in_form(make_app, held_config, sim):
    # Without --demo the start ends on the sign-in screen; typed before it shows, the secret was meant for it. It
    # used to land in the console's Call field behind it, in plain sight, and could be sent as a call id.
    h = make_app(config=str(held_config))

    async def steps(pilot):
        try:
            await pilot.press(*"S3cr3tSsid99")
        finally:
            release(held_config, config=f'[profiles.desk]\nbase_url = "{sim.url}"\n')
        await started(pilot)
        await wait_until(pilot, lambda: isinstance(h.app.screen, LoginScreen))
        await wait_until(pilot, lambda: h.app.screen.query_one("#ssid", Input).value == "S3cr3tSsid99")
        assert h.console.query_one("#call-id", Input).value == ""
        await pilot.press("enter")
        await wait_until(pilot, lambda: h.app.session is not None)

    drive(h, steps, wait_for_start=False)
    assert list(h.app.session.credentials.secrets()) == ["S3cr3tSsid99"]
