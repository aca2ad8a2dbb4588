"""The palette's commands (Ctrl+P) and the app-wide actions behind them: help, showing the keys to a room, the
tour, a reset of the demo. Here too: every binding by where it applies, for help, the keymap check and the
tour's key names. The console is reached through `ConsoleActions`, the session through the keeper."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType

from queuetui.tui.session_keeper import SessionKeeper
from queuetui.tui.textual_private import keymap_of

if TYPE_CHECKING:
    from queuetui.tui.keys_seen import KeysSeen
    from queuetui.tui.tour_guide import TourGuide
    from queuetui.tui.voice import Voice


class ConsoleActions(Protocol):
    """What the palette asks of the console screen."""

    @property
    def keys_seen(self) -> KeysSeen: ...
    @property
    def tour_guide(self) -> TourGuide: ...
    @property
    def voice(self) -> Voice: ...
    def action_hung_up(self) -> None: ...
    def action_shift_summary(self) -> None: ...
    def action_export_log(self) -> None: ...
    def action_clear_log(self) -> None: ...
    def reset(self) -> None: ...


class PaletteCommands:
    def __init__(
        self, app: App[None], console: ConsoleActions, sessions: SessionKeeper, sign_out: Callable[[], None]
    ) -> None:
        self._app = app
        self._console = console
        self._sessions = sessions
        self._sign_out = sign_out

    def open(self) -> None:
        """Textual's palette, but one that runs nothing from keys typed before its list was shown."""
        from queuetui.tui.screens.palette import Palette

        if not Palette.is_open(self._app):  # type: ignore[arg-type]  # App[int], not App[object]
            self._app.push_screen(Palette(id="--command-palette"))

    def themes(self) -> None:
        from queuetui.tui.screens.palette import Palette
        from queuetui.tui.theme_picker import ThemePicker

        self._app.push_screen(Palette(providers=[ThemePicker], placeholder="Choose a theme\u2026"))

    def binding_sections(self) -> list[tuple[str, list[BindingType]]]:
        """Every binding by where it applies: for F1 help and for checking the keymap."""
        from queuetui.tui.binding_sections import binding_sections

        app = self._app
        palette = Binding(
            app.COMMAND_PALETTE_BINDING,
            "command_palette",
            "Commands",
            id="app.commands",
            tooltip="Commands: I hung up, sign out, export or clear log, theme, help",
        )
        return binding_sections([*app.BINDINGS, palette])

    def keys_of(self, binding_id: str) -> str:
        """The keys a binding has now (the keymap's, else its own), as the key bar shows them: "f5 or ^g"."""
        from queuetui.tui.binding_sections import keys_of

        app = self._app
        return keys_of(self.binding_sections(), keymap_of(app), binding_id, app.get_key_display)

    def help(self) -> None:
        from queuetui.tui.screens.help import HelpScreen

        app = self._app
        if not isinstance(app.screen, HelpScreen):
            app.push_screen(HelpScreen(self.binding_sections(), keymap_of(app)))

    def toggle_keys(self) -> None:
        keys = self._console.keys_seen
        keys.show(not keys.showing)

    def _on_demo(self) -> bool:
        session = self._sessions.session
        return session is not None and session.is_demo

    def start_tour(self) -> None:
        if self._on_demo():
            self._console.tour_guide.start(self.keys_of)

    def reset_demo(self) -> None:
        sim = self._sessions.demo_sim
        if sim is None or not self._on_demo():
            return
        sim.scenario.reset()
        self._console.reset()
        self._app.clear_notifications()  # a notice of the run before (a red 1502) would outlive its log line
        self._console.voice.report("info", "Demo reset: log, sessions and calls start again")

    def commands(self, locked: bool) -> Iterable[SystemCommand]:
        console, app = self._console, self._app
        yield SystemCommand("I hung up", "My phone is down: the live call is over for me", console.action_hung_up)
        yield SystemCommand("Shift summary", "This shift: actions by mode and outcome", console.action_shift_summary)
        if not locked:
            yield SystemCommand("Sign out", "Forget the credentials and return to sign in", self._sign_out)
        yield SystemCommand("Export log", "Write the log panel to a file only you can read", console.action_export_log)
        yield SystemCommand("Clear log", "Empty the log panel", console.action_clear_log)
        yield SystemCommand("Show keys", "Show or hide the last keys pressed, for a room", self.toggle_keys)
        if self._on_demo():
            yield SystemCommand("Tour", "A guided tour of the demo, step by step", self.start_tour)
            yield SystemCommand("Reset the demo", "Empty the log and sessions, start the calls again", self.reset_demo)
        yield SystemCommand("Switch theme", "Choose a colour theme (remembered)", app.action_change_theme)
        yield SystemCommand("Help", "Every key and what it does", self.help)
        yield SystemCommand("Quit", "Leave queuetui", app.action_quit)
