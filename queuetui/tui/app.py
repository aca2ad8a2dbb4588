"""The Textual application: holds the open session and the embedded demo, signs in and out, and moves between
screens.

Screens get what they show (the session, the sign-in form's data) and post messages up; the app never reaches
into their widgets. Start-up (`tui/startup.py`, which states its sequence and import rules) hands the app its
result to adopt; every key passes the key gate (`tui/key_gate.py`) first. httpx loads on a worker when a sign-in
comes next, else (the demo) with the first request; the request model, on a worker before an Enter can need it
(see `load_requests` in the session module).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.actions import SkipAction
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input

from queuetui.tui.config_keeper import ConfigKeeper
from queuetui.tui.first_theme import APP_VARIABLE_DEFAULTS
from queuetui.tui.key_gate import KeyGate
from queuetui.tui.key_time import key_typed_at
from queuetui.tui.messages import DemoRequested, LoginRequired, SignInRequested, SnooperUsed
from queuetui.tui.options import Launch
from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.sign_in import SignIn
from queuetui.tui.startup import StartUp, console_classes, demo_intro, first_paint_theme
from queuetui.tui.textual_private import keymap_of
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
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("f1", "help", "Help", id="app.help", tooltip="This list of keys"),
        # For terminals that do not send F-keys: works wherever it would not type a question mark.
        Binding("question_mark", "help", "Help", show=False, id="app.help_alt", tooltip="This list of keys"),
        # Priority, so focus moves before the keys behind it are routed: type-ahead over a slow SSH link
        # arrives as one burst, and without this "C-1<Tab>13" would all land in the first field.
        Binding("tab", "focus_next", "Next field", show=False, priority=True, id="app.next"),
        Binding("shift+tab", "focus_previous", "Previous field", show=False, priority=True, id="app.previous"),
        # Priority, and here rather than on the sign-in screen: the console replaces that screen before the keys
        # typed after Enter are routed, so they reach the console, not a form already read. Ctrl+J: an Enter
        # typed before the app has the terminal (a burst typed with the command) arrives as a line feed.
        Binding(
            "enter,ctrl+j",
            "sign_in",
            "Sign in",
            show=False,
            priority=True,
            id="app.sign_in",
            tooltip="On the sign-in screen: sign in with the form as typed",
        ),
    ]

    # Whether the terminal gets plain ASCII, which Textual's own __init__ decides (`get_driver_class`): keys are
    # then spelt out.
    plain_ascii = False

    def __init__(self, launch: Launch) -> None:
        super().__init__()
        self.launch = launch
        self.still = launch.still
        self.slow_link = launch.slow_link  # and the config's, once it is read
        self.clock = launch.clock
        self.session: Session | None = None
        self.demo_sim: SimServer | None = None
        self.console_screen = ConsoleScreen(
            still=launch.still, clock=launch.clock, demo=launch.demo, classes=console_classes()
        )
        # Set by `_adopt_boot`; until then only the console's skeleton exists and nothing can be sent.
        self.ready = asyncio.Event()
        self.config = ConfigKeeper(self, self.report)
        self.key_gate = KeyGate(self)
        self._start_up = StartUp(self, launch, self._adopt_boot)
        self._sign_in = SignIn(self, launch, self.config, self.key_gate, self.report, self._adopt_session, self._demo)
        first_paint_theme(self)

    # ----- lifecycle --------------------------------------------------------------------------------

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()
        from textual.drivers.linux_driver import LinuxDriver

        from queuetui.tui.ascii_terminal import ascii_driver, wants_ascii
        from queuetui.tui.lean_output import lean_driver

        # A terminal only: a browser (`queuetui serve`) reads UTF-8 whatever the console's locale, and its bytes
        # do not cross the SSH link.
        if not issubclass(driver, LinuxDriver):
            return driver
        if wants_ascii(os.environ):
            self.plain_ascii = True
            return lean_driver(ascii_driver(driver))
        return lean_driver(driver)

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
        self.config.adopt(boot, self.launch.locked)
        self._adopt_themes(boot)
        self._adopt_keymap(boot)
        self.console_screen.show_sessions()
        self.ready.set()
        if boot.config_problem:
            self.report(
                "error",
                f"Config not used (defaults instead, and it will not be overwritten): {boot.config_problem}",
            )
        for warning in boot.warnings:
            self.report("warning", warning)
        self.console_screen.show_keys(self.launch.show_keys)
        self.slow_link = self.launch.slow_link or boot.settings.slow_link
        self.console_screen.use_slow_link(self.slow_link)
        if boot.demo is not None:
            self.demo_sim = boot.demo.sim
            self._log_demo_intro(boot.demo.sim)
            if self.key_gate.held:
                self.console_screen.keys_held_for_it()
            self._adopt_session(boot.demo.session, remember=False, checked=False)
            if self.launch.tour:
                self.console_screen.start_tour(self.keys_of)
        else:
            if boot.demo_problem:
                self.report("error", f"{boot.demo_problem}; not signed in")
            self._sign_in.show(boot.demo_problem)
        self.console_screen.start_up_done()
        if self.key_gate.held and self.session is not None:
            self.key_gate.release_once_requests_load()
        else:
            self.key_gate.release_after_refresh()

    def _adopt_themes(self, boot: Boot) -> None:
        """Register the validated themes and choose the profile's (or the file's) theme. Runs before `ready`,
        so a fallback caused by a missing theme is not saved over the user's choice."""
        for theme in boot.themes.themes.values():
            self.register_theme(theme)
        wanted = boot.profile.theme or boot.settings.theme
        # Textual's own themes (offered by the palette too) are as good a choice as ours.
        name, problem = (wanted, None) if wanted in self.available_themes else boot.themes.pick(wanted)
        self.theme = name
        problems = [*boot.themes.problems, *([problem] if problem else [])]
        if problems:
            self.report("warning", f"{len(problems)} theme problem(s), see the log; first: {problems[0]}")
            for line in problems[1:]:
                self.console_screen.log_line("warning", line)

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
        if self.session is not None:
            self.session.close()
        if self.demo_sim is not None:
            self.demo_sim.stop()

    # ----- signing in and out -----------------------------------------------------------------------

    def _demo(self) -> SimServer | None:
        return self.demo_sim

    def _log_demo_intro(self, sim: SimServer) -> None:
        for line in demo_intro(sim):
            self.console_screen.log_line("info", line)

    @on(DemoRequested)
    def start_demo(self) -> None:
        """From the login screen: start the embedded simulator (once) and sign in to it."""
        from queuetui.core.demo import open_demo
        from queuetui.core.session import SessionRefused
        from queuetui.tui.boot import seams_of

        try:
            demo = open_demo(
                self.config.profile,
                self.config.audit_path,
                seams_of(self.launch),
                sim=self.demo_sim,
                colleague=self.launch.demo_colleague,
            )
        except SessionRefused as refused:
            self._sign_in.refused(refused.label, refused.message)
            return
        if self.demo_sim is None:
            self.demo_sim = demo.sim
            self._log_demo_intro(demo.sim)
        self._adopt_session(demo.session, remember=False, checked=False)

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

    def _adopt_session(self, session: Session, remember: bool, checked: bool) -> None:
        """Show `session` in the console; `checked` when the server has accepted its credentials already."""
        if self.session is not None:
            self.session.close()
        self.session = session
        if self._sign_in.on_top() is not None:
            self.pop_screen()
        if checked:
            session.credentials_accepted()
        self.config.share_presence(session)
        self.console_screen.attach(session)
        self.report(
            "info",
            f"Signed in to {session.host} ({session.environment.value}) as {session.credentials.identity}: "
            + (
                "the live list accepted the credentials"
                if checked
                else "credentials kept; the first action checks them"
            ),
        )
        self.config.signed_in(session, remember)

    def on_login_required(self, message: LoginRequired) -> None:
        if self._sign_in.on_top() is not None or not self.ready.is_set():
            return
        self._sign_in.show(message.notice, message.refused)

    def sign_out(self) -> None:
        if not self.ready.is_set() or self.launch.locked:
            # Nothing to sign out of yet, and no sign-in screen can be built before the config; a locked console
            # stays on its simulator.
            return
        if self.session is not None:
            self.session.close()
            self.session = None
        self.config.signed_out()
        self.console_screen.attach(None)
        self.report("info", "Signed out")
        self._sign_in.show("Signed out")

    # ----- reporting --------------------------------------------------------------------------------

    def report(self, kind: ReportKind, message: str) -> None:
        self.console_screen.report(kind, message)

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

    # ----- commands ---------------------------------------------------------------------------------

    def search_themes(self) -> None:
        from queuetui.tui.screens.palette import Palette
        from queuetui.tui.theme_picker import ThemePicker

        self.push_screen(Palette(providers=[ThemePicker], placeholder="Choose a theme\u2026"))

    def action_command_palette(self) -> None:
        """Textual's palette, but one that runs nothing from keys typed before its list was shown."""
        from queuetui.tui.screens.palette import Palette

        if self.use_command_palette and not Palette.is_open(self):  # type: ignore[arg-type]  # App[int], not App[object]
            self.push_screen(Palette(id="--command-palette"))

    def binding_sections(self) -> list[tuple[str, list[BindingType]]]:
        """Every binding by where it applies: for F1 help and for checking the keymap."""
        from queuetui.tui.binding_sections import binding_sections

        palette = Binding(
            self.COMMAND_PALETTE_BINDING,
            "command_palette",
            "Commands",
            id="app.commands",
            tooltip="Commands: I hung up, sign out, export or clear log, theme, help",
        )
        return binding_sections([*self.BINDINGS, palette])

    def _adopt_keymap(self, boot: Boot) -> None:
        if not boot.settings.keymap:
            return
        from queuetui.tui.binding_sections import checked_keymap

        checked = checked_keymap(boot.settings.keymap, self.binding_sections(), str(boot.config_path))
        self.set_keymap(checked.keymap)
        if checked.problems:
            first, *others = checked.problems
            # One notice, not one per problem; it says where the rest are.
            self.report(
                "warning",
                f"{len(checked.problems)} keymap problems, all in the log; first: {first}" if others else first,
            )
            for line in others:
                self.console_screen.log_line("warning", line)

    def action_help(self) -> None:
        from queuetui.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.binding_sections(), keymap_of(self)))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if not await self.key_gate.admit(event):
                return  # held: shown below when typed into its screen
            focused = self.focused
            secret = isinstance(focused, Input) and focused.password
            # Keys as they arrive, before any widget sees them: what a room watching the presenter should see.
            self.console_screen.key_pressed(event.key, event.character, secret)
            with key_typed_at(event.time):
                await super().on_event(event)
            return
        await super().on_event(event)

    def toggle_keys(self) -> None:
        self.console_screen.show_keys(not self.console_screen.showing_keys)

    def reset_demo(self) -> None:
        if self.demo_sim is None or self.session is None or not self.session.is_demo:
            return
        self.demo_sim.scenario.reset()
        self.console_screen.reset()
        self.clear_notifications()  # a notice of the run before (a red 1502) would outlive its log line
        self.report("info", "Demo reset: log, sessions and calls start again")

    def start_tour(self) -> None:
        if self.session is not None and self.session.is_demo:
            self.console_screen.start_tour(self.keys_of)

    def keys_of(self, binding_id: str) -> str:
        """The keys a binding has now (the keymap's, else its own), as the key bar shows them: "f5 or ^g"."""
        from queuetui.tui.binding_sections import keys_of

        return keys_of(self.binding_sections(), keymap_of(self), binding_id, self.get_key_display)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        console = self.console_screen
        yield SystemCommand("I hung up", "My phone is down: the live call is over for me", console.action_hung_up)
        yield SystemCommand("Shift summary", "This shift: actions by mode and outcome", console.action_shift_summary)
        if not self.launch.locked:
            yield SystemCommand("Sign out", "Forget the credentials and return to sign in", self.sign_out)
        yield SystemCommand("Export log", "Write the log panel to a file only you can read", console.action_export_log)
        yield SystemCommand("Clear log", "Empty the log panel", console.action_clear_log)
        yield SystemCommand("Show keys", "Show or hide the last keys pressed, for a room", self.toggle_keys)
        if self.session is not None and self.session.is_demo:
            yield SystemCommand("Tour", "A guided tour of the demo, step by step", self.start_tour)
            yield SystemCommand("Reset the demo", "Empty the log and sessions, start the calls again", self.reset_demo)
        yield SystemCommand("Switch theme", "Choose a colour theme (remembered)", self.action_change_theme)
        yield SystemCommand("Help", "Every key and what it does", self.action_help)
        yield SystemCommand("Quit", "Leave queuetui", self.action_quit)
