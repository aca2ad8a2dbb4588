"""The Textual application: wires the console and the sign-in screens, signs in and out, offers the palette.

Screens get what they show and post messages up; the app never reaches into their widgets. Start-up
(`tui/startup.py`, which states its sequence and import rules) hands the app a result to adopt; every key passes
the key gate (`tui/key_gate.py`) first; the session in force is the keeper's (`tui/session_keeper.py`); the
palette's commands are `tui/palette_commands.py`'s.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.actions import SkipAction
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input

from queuetui.tui.app_bindings import APP_BINDINGS
from queuetui.tui.boot_adoption import adopt_keymap, adopt_themes, report_boot_problems
from queuetui.tui.config_keeper import ConfigKeeper
from queuetui.tui.first_theme import APP_VARIABLE_DEFAULTS
from queuetui.tui.key_gate import KeyGate
from queuetui.tui.key_time import key_typed_at
from queuetui.tui.messages import DemoRequested, LoginRequired, SignInRequested, SnooperUsed
from queuetui.tui.options import Launch
from queuetui.tui.palette_commands import PaletteCommands
from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.session_keeper import SessionKeeper
from queuetui.tui.startup import StartUp, console_classes, first_paint_theme
from queuetui.tui.widgets.live_calls import LiveCallsTable
from queuetui.tui.widgets.log_panel import ReportKind

if TYPE_CHECKING:
    from textual.driver import Driver

    from queuetui.api.credentials import SessionAuth, TokenAuth
    from queuetui.core.config.settings import Profile
    from queuetui.core.session import Session
    from queuetui.sim import SimServer
    from queuetui.tui.boot import Boot


class QueueApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "queuetui"
    BINDINGS: ClassVar[list[BindingType]] = APP_BINDINGS

    # Whether the terminal gets plain ASCII, which Textual's own __init__ decides (`get_driver_class`): keys are
    # then spelt out.
    plain_ascii = False

    def __init__(self, launch: Launch) -> None:
        super().__init__()
        self.launch = launch
        self.still = launch.still
        self.slow_link = launch.slow_link  # and the config's, once it is read
        self.clock = launch.clock
        console = ConsoleScreen(still=launch.still, clock=launch.clock, demo=launch.demo, classes=console_classes())
        self.console_screen = console
        self._voice = voice = console.voice
        # Set by `_adopt_boot`; until then only the console's skeleton exists and nothing can be sent.
        self.ready = asyncio.Event()
        self.config = ConfigKeeper(self, self.report)
        self.key_gate = KeyGate(self)
        self._start_up = StartUp(self, launch, self._adopt_boot)
        self.sessions = SessionKeeper(
            app=self, launch=launch, config=self.config, key_gate=self.key_gate, attach=console.attach, voice=voice
        )
        self._sign_in = self.sessions.sign_in
        self.palette = PaletteCommands(self, console, self.sessions, self.sign_out)
        first_paint_theme(self)

    @property
    def session(self) -> Session | None:
        return self.sessions.session

    @property
    def demo_sim(self) -> SimServer | None:
        return self.sessions.demo_sim

    # ----- lifecycle --------------------------------------------------------------------------------

    def get_driver_class(self) -> type[Driver]:
        from queuetui.tui.terminal_driver import terminal_driver

        driver, self.plain_ascii = terminal_driver(super().get_driver_class())
        return driver

    def get_key_display(self, binding: Binding) -> str:
        shown = super().get_key_display(binding)
        if not self.plain_ascii:
            return shown
        from queuetui.tui.ascii_terminal import key_in_words

        return key_in_words(shown)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        # Fallbacks for the app's own colours in themes that do not define them (Textual's own).
        return dict(APP_VARIABLE_DEFAULTS)

    def on_mount(self) -> None:
        # Textual holds screen updates until the app's start is over, which is after this handler: a screen
        # pushed in here is laid out and drawn once for nothing, then again. Pushed just after, its first frame
        # is the one shown.
        self.call_later(self._start_up.show, self.console_screen)

    def _adopt_boot(self, boot: Boot) -> None:
        console = self.console_screen
        self.config.adopt(boot, self.launch.locked)
        adopt_themes(self, boot, self._voice)
        adopt_keymap(self, boot, self.binding_sections, self._voice)
        console.show_sessions()
        self.ready.set()
        report_boot_problems(boot, self._voice)
        console.keys_seen.show(self.launch.show_keys)
        self.slow_link = self.launch.slow_link or boot.settings.slow_link
        console.use_slow_link(self.slow_link)
        if boot.demo is not None:
            if self.key_gate.held:
                console.keys_seen.held_for_the_session()
            self.sessions.adopt_demo(boot.demo)
            if self.launch.tour:
                console.tour_guide.start(self.palette.keys_of)
        else:
            if boot.demo_problem:
                self.report("error", f"{boot.demo_problem}; not signed in")
            self._sign_in.show(boot.demo_problem)
        console.start_up_done()
        if self.key_gate.held and self.session is not None:
            self.key_gate.release_once_requests_load()
        else:
            self.key_gate.release_after_refresh()

    def _fatal_error(self) -> None:
        # Overrides Textual's crash report (a private hook: see textual_private.NAMES): see `crash_report`.
        from queuetui.tui.crash_report import masked_traceback

        self.bell()
        self.panic(masked_traceback(self.console, self.known_secrets()))

    def known_secrets(self) -> list[str]:
        """Every secret this app holds: signed in, remembered for the login form, or typed into it."""
        found = self.config.secrets()
        if self.session is not None:
            found += self.session.credentials.secrets()
        return found + self._sign_in.typed_secrets()

    def on_unmount(self) -> None:
        self.sessions.close()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if not await self.key_gate.admit(event):
                return  # held: shown below when typed into its screen
            self.console_screen.settle_before_key()
            focused = self.focused
            secret = isinstance(focused, Input) and focused.password
            # Keys as they arrive, before any widget sees them: what a room watching the presenter should see.
            self.console_screen.keys_seen.pressed(event.key, event.character, secret)
            with key_typed_at(event.time):
                await super().on_event(event)
            return
        await super().on_event(event)

    # ----- signing in and out -----------------------------------------------------------------------

    @on(DemoRequested)
    def start_demo(self) -> None:
        self.sessions.open_demo()

    def on_sign_in_requested(self, message: SignInRequested) -> None:
        self.sign_in(message.name, message.profile, message.credentials, message.remember)

    def sign_in(self, name: str, profile: Profile, credentials: SessionAuth | TokenAuth, remember: bool) -> None:
        self._sign_in.open(name, profile, credentials, remember)

    def action_sign_in(self) -> None:
        screen = self._sign_in.on_top()
        if screen is None or not screen.enter_signs_in():
            raise SkipAction()
        request = screen.submission()
        if request is not None:
            self.on_sign_in_requested(request)

    def on_login_required(self, message: LoginRequired) -> None:
        if self._sign_in.on_top() is not None or not self.ready.is_set():
            return
        self._sign_in.show(message.notice, message.refused)

    def sign_out(self) -> None:
        if not self.ready.is_set() or self.launch.locked:
            # Nothing to sign out of yet, and no sign-in screen can be built before the config; a locked console
            # stays on its simulator.
            return
        self.sessions.sign_out()

    def report(self, kind: ReportKind, message: str) -> None:
        self._voice.report(kind, message)

    # ----- config -----------------------------------------------------------------------------------

    def on_snooper_used(self, message: SnooperUsed) -> None:
        if self.session is not None:
            self.config.snooper_used(message.number, demo=self.session.is_demo)

    def on_live_calls_table_triage_changed(self, message: LiveCallsTable.TriageChanged) -> None:
        if self.session is not None:
            self.config.triage_chosen(message.sort, message.only_marked, demo=self.session.is_demo)

    def watch_theme(self, theme: str) -> None:
        if self.ready.is_set() and not self.still:
            self.config.theme_chosen(theme)

    # ----- the palette and help ---------------------------------------------------------------------

    def search_themes(self) -> None:
        self.palette.themes()

    def action_command_palette(self) -> None:
        if self.use_command_palette:
            self.palette.open()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        return self.palette.commands(self.launch.locked)

    def binding_sections(self) -> list[tuple[str, list[BindingType]]]:
        return self.palette.binding_sections()

    def action_help(self) -> None:
        self.palette.help()

    def start_tour(self) -> None:
        self.palette.start_tour()

    def reset_demo(self) -> None:
        self.palette.reset_demo()
