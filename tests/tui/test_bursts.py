"""Keys that cannot be mistaken in a burst: the palette runs nothing from an Enter typed before its list for the
text in the box was shown, and no default key is one a terminal multiplexer keeps. (The live list's bursts are in
test_floor, the Esc read in a burst in test_escape_key.)"""

from __future__ import annotations

from textual.binding import Binding

from queuetui.tui.keymap import parse_keys
from queuetui.tui.screens.palette import Palette
from tui.conftest import burst, drive, press_for_screen, send_call, signed_in, wait_until


def test_an_enter_typed_before_the_palette_showed_its_list_runs_nothing(make_app, sim):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "13")
        assert h.app.session.monitoring.current is not None
        palette = await press_for_screen(pilot, "ctrl+p", Palette)
        burst(h, *[(c, c) for c in "hung"], ("enter", "\r"))  # one burst: the list for "hung" is not drawn yet
        await wait_until(pilot, lambda: palette._shown is not None and palette._shown[0] == "hung")
        assert palette._shown[1] is not None and palette._shown[1].startswith("I hung up")
        assert h.app.screen is palette
        assert h.app.session.monitoring.current is not None  # "I hung up" did not run
        await pilot.press("enter")  # typed once the list is on screen: it runs
        await wait_until(pilot, lambda: h.app.screen is not palette)
        assert h.app.session.monitoring.current is None


def test_the_search_delivering_the_same_list_again_does_not_make_an_enter_wait(make_app, sim):
    """Hits arrive in batches: a batch that leaves the same command highlighted for the same text keeps what the
    supervisor saw, so an Enter typed after seeing it runs it (it was refused, and nothing happened)."""
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        palette = await press_for_screen(pilot, "ctrl+p", Palette)
        await pilot.press(*"sign out")
        await wait_until(pilot, lambda: palette._shown is not None and palette._shown[0] == "sign out")
        seen = palette._shown
        palette._list_changed()  # what one more batch of the same hits does
        assert palette._shown == seen
        await pilot.press("enter")
        await wait_until(pilot, lambda: h.app.screen is not palette and h.app.session is None)

    drive(h, steps)


# Prefix keys of terminal multiplexers: inside one (tmux on a jump host) they never reach the app.
MULTIPLEXER_KEYS = {"ctrl+b": "tmux", "ctrl+a": "GNU screen"}


def test_no_default_key_is_a_terminal_multiplexers_prefix(make_app):
    app = make_app().app
    taken = [
        (section, binding.id, key)
        for section, bindings in app.binding_sections()
        for binding in bindings
        if isinstance(binding, Binding)
        for key in parse_keys(binding.key)
        if key in MULTIPLEXER_KEYS
    ]
    assert taken == []
