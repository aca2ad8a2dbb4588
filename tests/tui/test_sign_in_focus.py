"""Sign-in puts the cursor where typing belongs: the first empty field a supervisor can see (or Sign in when
nothing is missing), and after the server refused the credentials, the refused secret, selected, so what is
typed replaces it. Credentials nobody has checked are called kept, not accepted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Select

from queuetui.sim import DEMO_SSID, DEMO_TOKEN, DEMO_USER_ID, SimServer
from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.screens.login import LoginScreen
from queuetui.tui.widgets.toggles import MarkedCheckbox
from tui.conftest import Harness, drive, press_for_screen, send_call, settle, signed_in, wait_until

WRONG_SSID = "wrong-ssid-8e1f0a7c"
WRONG_TOKEN = "wrong-token-2b9d4c61"


def focused_id(h: Harness) -> str:
    """The focused widget's id, after checking that a supervisor can see it."""
    focused = h.app.focused
    assert focused is not None, "nothing has the focus"
    hidden = [node for node in (focused, *focused.ancestors_with_self) if not getattr(node, "display", True)]
    assert hidden == [], f"{focused} has the focus but is hidden"
    return f"#{focused.id}"


async def login_shown(pilot: Pilot[None]) -> LoginScreen:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen))
    screen = pilot.app.screen
    assert isinstance(screen, LoginScreen)
    return screen


def profile_config(sim: SimServer, auth: str, user_id: str = "") -> str:
    lines = [f'base_url = "{sim.url}"', f'auth = "{auth}"', *([f'user_id = "{user_id}"'] if user_id else [])]
    return "[profiles.x]\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("auth", "profile_user", "env", "expected"),
    [
        ("session", "", {}, "#ssid"),
        ("session", "", {"QUEUETUI_SSID": DEMO_SSID}, "#sign-in"),
        ("token", "", {}, "#user-id"),
        ("token", DEMO_USER_ID, {}, "#token"),
        ("token", DEMO_USER_ID, {"QUEUETUI_TOKEN": DEMO_TOKEN}, "#sign-in"),
        ("token", "", {"QUEUETUI_USER_ID": DEMO_USER_ID, "QUEUETUI_TOKEN": DEMO_TOKEN}, "#sign-in"),
    ],
    ids=["session", "session-env", "token", "token-user-known", "token-env-token", "token-env-both"],
)
def test_focus_starts_on_the_first_empty_visible_field(
    make_app: Callable[..., Harness],
    sim: SimServer,
    write_config: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    auth: str,
    profile_user: str,
    env: dict[str, str],
    expected: str,
) -> None:
    write_config(profile_config(sim, auth, profile_user))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    h = make_app(profile="x")
    seen: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        await login_shown(pilot)
        seen.append(focused_id(h))

    drive(h, steps)
    assert seen == [expected]


def test_a_token_typed_at_once_goes_into_the_token_field_and_signs_in(
    make_app: Callable[..., Harness], sim: SimServer, write_config: Callable[[str], Path]
) -> None:
    write_config(profile_config(sim, "token", DEMO_USER_ID))
    h = make_app(profile="x")

    async def steps(pilot: Pilot[None]) -> None:
        await login_shown(pilot)
        await pilot.press(*DEMO_TOKEN)
        await press_for_screen(pilot, "enter", ConsoleScreen)
        await send_call(pilot, "C-10023", "13")

    drive(h, steps)
    assert len(sim.received) == 1
    body = sim.received[0].parsed
    assert isinstance(body, dict)
    assert (body.get("userId"), body.get("token"), "ssid" in body) == (DEMO_USER_ID, DEMO_TOKEN, False)


@pytest.mark.parametrize("auth", ["session", "token"])
def test_after_an_auth_refusal_the_refused_secret_is_selected_and_typing_replaces_it(
    make_app: Callable[..., Harness], sim: SimServer, write_config: Callable[[str], Path], auth: str
) -> None:
    write_config(profile_config(sim, auth))
    h = make_app(profile="x")
    refused, right, selector = (
        (WRONG_SSID, DEMO_SSID, "#ssid") if auth == "session" else (WRONG_TOKEN, DEMO_TOKEN, "#token")
    )
    seen: dict[str, object] = {}

    async def steps(pilot: Pilot[None]) -> None:
        await login_shown(pilot)
        if auth == "session":
            await signed_in(pilot, WRONG_SSID)
        else:
            await signed_in(pilot, user_id=DEMO_USER_ID, token=WRONG_TOKEN)
        await send_call(pilot, "C-10023", "13")  # the server answers 1014
        login = await login_shown(pilot)
        field = login.query_one(selector, Input)
        seen["focus"] = focused_id(h)
        seen["selected"] = field.selected_text
        await pilot.press(*right)
        seen["typed"] = field.value
        await press_for_screen(pilot, "enter", ConsoleScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        seen["result"] = h.sessions.entries[-1].result

    drive(h, steps)
    assert seen == {"focus": selector, "selected": refused, "typed": right, "result": "\u2713 ok"}
    key = "ssid" if auth == "session" else "token"
    assert [r.parsed.get(key) for r in sim.received if isinstance(r.parsed, dict)] == [refused, right]


def test_unchecked_credentials_are_kept_and_the_first_success_says_they_were_accepted(
    make_app: Callable[..., Harness], sim: SimServer
) -> None:
    h = make_app(base_url=sim.url)
    headers: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        headers.append(h.header)
        await send_call(pilot, "C-10023", "13")
        headers.append(h.header)
        assert "DeepCall accepted your sign-in" in "\n".join(h.log_lines)

    drive(h, steps, size=(160, 36))
    signed = [toast for toast in h.toasts.shown if toast.message.startswith("Signed in")]
    assert len(signed) == 1
    assert signed[0].message.endswith("credentials kept; the first action checks them")
    assert signed[0].severity == "information"
    # Wide enough for the header's identity: before any answer it carries no tick, after the first success one.
    assert headers[0].endswith("ssid \u2022\u2022\u2022\u20221a2b")
    assert "ssid \u2022\u2022\u2022\u20221a2b \u2713" in headers[1]


def test_signing_in_again_starts_the_form_at_the_call_field_as_the_first_sign_in_did(make_app, sim):
    # Left in the Phone field, the keys of the next call ("C-10023 Tab Tab Tab 13 ...") would land in the wrong
    # fields: the form starts afresh with each sign-in.
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        assert focused_id(h) == "#call-id"
        h.field("#snooper").focus()
        await pilot.pause()
        h.app.sign_out()
        await wait_until(pilot, lambda: isinstance(h.app.screen, LoginScreen))
        await signed_in(pilot)
        assert focused_id(h) == "#call-id"

    drive(h, steps)


def test_a_space_typed_fast_between_tabs_ticks_the_box_it_was_typed_on(
    make_app: Callable[..., Harness], sim: SimServer, write_config: Callable[[str], Path]
) -> None:
    # `Tab Space Tab` in one burst from the session id: Show secret, not the Remember box after it (which would
    # write the secret to disk).
    write_config(profile_config(sim, "session"))
    h = make_app()
    ticked: list[tuple[bool, bool]] = []

    async def steps(pilot: Pilot[None]) -> None:
        screen = await login_shown(pilot)
        screen.query_one("#ssid", Input).focus()
        await pilot.pause()
        for key, character in (("tab", "\t"), ("space", " "), ("tab", "\t")):
            h.app.post_message(events.Key(key, character))  # as a terminal delivers a burst
        await wait_until(pilot, lambda: focused_id(h) == "#remember")
        await pilot.pause()
        ticked.append(
            (screen.query_one("#reveal", MarkedCheckbox).value, screen.query_one("#remember", MarkedCheckbox).value)
        )

    drive(h, steps)
    assert ticked == [(True, False)]


def test_enter_on_a_checkbox_signs_in_and_leaves_it_as_it_was(
    make_app: Callable[..., Harness], sim: SimServer, write_config: Callable[[str], Path]
) -> None:
    write_config(profile_config(sim, "session"))
    h = make_app()
    remembered: list[bool] = []

    async def steps(pilot: Pilot[None]) -> None:
        screen = await login_shown(pilot)
        screen.query_one("#ssid", Input).value = DEMO_SSID
        screen.query_one("#remember", MarkedCheckbox).focus()
        await pilot.pause()
        remembered.append(screen.query_one("#remember", MarkedCheckbox).value)
        await press_for_screen(pilot, "enter", ConsoleScreen)

    drive(h, steps)
    assert remembered == [False]
    assert h.app.session is not None
    assert DEMO_SSID not in h.app.config.path.read_text()  # nothing remembered


def test_a_remembered_secret_is_offered_next_time_and_unticking_remember_forgets_it(
    make_app: Callable[..., Harness], sim: SimServer, write_config: Callable[[str], Path]
) -> None:
    config = write_config(profile_config(sim, "session"))
    first = make_app()

    async def remember(pilot: Pilot[None]) -> None:
        screen = await login_shown(pilot)
        screen.query_one("#ssid", Input).value = DEMO_SSID
        screen.query_one("#remember", MarkedCheckbox).value = True
        await press_for_screen(pilot, "enter", ConsoleScreen)

    drive(first, remember)
    assert DEMO_SSID in config.read_text()

    offered: list[tuple[str, bool, str]] = []
    second = make_app()

    async def sign_in_without_remembering(pilot: Pilot[None]) -> None:
        screen = await login_shown(pilot)
        await pilot.pause()
        box = screen.query_one("#remember", MarkedCheckbox)
        offered.append((screen.query_one("#ssid", Input).value, box.value, focused_id(second)))
        box.value = False
        await press_for_screen(pilot, "enter", ConsoleScreen)
        second.app.sign_out()  # the next sign-in screen offers nothing either
        again = await login_shown(pilot)
        await pilot.pause()
        offered.append((again.query_one("#ssid", Input).value, again.query_one("#remember", MarkedCheckbox).value, ""))

    drive(second, sign_in_without_remembering)
    assert offered == [(DEMO_SSID, True, "#sign-in"), ("", False, "")]
    assert DEMO_SSID not in config.read_text()
    assert "remember_secret = true" not in config.read_text()


def test_switching_profiles_and_back_shows_each_ones_own_secret(
    make_app: Callable[..., Harness], sim: SimServer, write_config: Callable[[str], Path]
) -> None:
    write_config(
        f'default_profile = "a"\n[profiles.a]\nbase_url = "{sim.url}"\n'
        f'[profiles.b]\nbase_url = "{sim.url}"\nremember_secret = true\nssid = "{DEMO_SSID}"\n'
    )
    h = make_app()
    shown: list[tuple[str, bool]] = []

    async def steps(pilot: Pilot[None]) -> None:
        screen = await login_shown(pilot)
        for name in ("b", "a"):
            screen.query_one("#profile", Select).value = name
            await pilot.pause()
            shown.append((screen.query_one("#ssid", Input).value, screen.query_one("#remember", MarkedCheckbox).value))

    drive(h, steps)
    assert shown == [(DEMO_SSID, True), ("", False)]
