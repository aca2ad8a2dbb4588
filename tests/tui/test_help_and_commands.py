"""The help screen lists every key binding; the command palette offers sign out, clear log and export."""

from __future__ import annotations

import io
import threading

from helpers import Relay
from rich.console import Console
from textual.binding import Binding
from textual.command import CommandPalette
from textual.widgets import Static

from queuetui.core.config import paths
from queuetui.tui.app import QueueApp
from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen
from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.screens.help import HelpScreen
from queuetui.tui.screens.login import LoginScreen
from queuetui.tui.widgets.mode_selector import ModeSelector
from queuetui.tui.widgets.sessions_table import SessionsTable
from tui.conftest import drive, fill_form, press_for_screen, screen_text, send_call, signed_in, wait_until

BINDING_OWNERS = (QueueApp, ConsoleScreen, ModeSelector, SessionsTable, LoginScreen, ConfirmBargeScreen, HelpScreen)


def rendered(widget: Static) -> str:
    """The widget's content as the terminal would print it, wide enough that no line wraps."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def test_f1_lists_every_binding_and_escape_closes_it(make_app, sim):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        await press_for_screen(pilot, "f1", HelpScreen)
        assert "Keys (Esc closes)" in screen_text(h.app)
        text = rendered(h.app.screen.query_one("#help-table", Static))
        missing = [
            f"{owner.__name__}: {binding.key}"
            for owner in BINDING_OWNERS
            for binding in owner.BINDINGS
            if isinstance(binding, Binding) and binding.description
            if (binding.tooltip or binding.description) not in text or (binding.id or "?") not in text
        ]
        assert missing == []
        assert "app.commands" in text and "sign out" in text  # the palette's key, not in BINDINGS
        # Keys are listed by what they do; the ids to remap them by only in the keymap's own section, as its lines.
        by_use, keymap = text.split("Your own keys")
        ids = [binding.id for owner in BINDING_OWNERS for binding in owner.BINDINGS if isinstance(binding, Binding)]
        assert [binding_id for binding_id in ids if binding_id and binding_id in by_use] == []
        assert '"console.spy" = "f2,ctrl+o"' in keymap

        await press_for_screen(pilot, "escape", ConsoleScreen)

    drive(h, steps)


def test_the_palette_signs_out_by_name(make_app, sim):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        await press_for_screen(pilot, "ctrl+p", CommandPalette)
        await pilot.press(*"sign out")
        await wait_until(pilot, lambda: "Forget the credentials" in screen_text(h.app))
        await press_for_screen(pilot, "enter", LoginScreen)
        assert h.app.session is None
        assert "signed out" in h.header

    drive(h, steps)
    assert "Signed out" in h.toasts.of("information")


def test_the_palette_clears_and_exports_the_log(make_app, sim):
    h = make_app(base_url=sim.url)

    async def steps(pilot):
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "13")
        commands = {command.title: command.callback for command in h.app.get_system_commands(h.app.screen)}
        assert {"Sign out", "Export log", "Clear log"} <= commands.keys()

        lines = h.log_lines
        commands["Export log"]()
        [export] = (paths.state_dir() / "logs").glob("*.txt")
        assert export.read_text(encoding="utf-8").splitlines() == lines

        commands["Clear log"]()
        await pilot.pause()
        assert h.log_lines == []

    drive(h, steps)


def test_a_notice_waits_for_an_open_dialog_to_close_and_none_is_drawn_over_it(make_app, sim):
    # The spy's answer is held until help is open, so that its notice comes while the dialog is on screen.
    release = threading.Event()
    h = make_app(base_url=sim.url, transport=Relay(lambda request: release.wait(10)))

    async def steps(pilot):
        await signed_in(pilot)
        await fill_form(pilot, "C-10023", "13")
        await pilot.press("enter")
        assert h.app._notifications, "the sign-in's notice is up: the check below would pass on nothing"
        await press_for_screen(pilot, "f1", HelpScreen)
        assert not h.app._notifications, "the notices up when help opened are taken down"
        release.set()
        await wait_until(pilot, lambda: any("SPY on C-10023" in line for line in h.log_lines))
        assert "SPY on C-10023" not in screen_text(h.app)
        await press_for_screen(pilot, "escape", ConsoleScreen)
        await wait_until(pilot, lambda: "SPY on C-10023" in screen_text(h.app))

    drive(h, steps)
