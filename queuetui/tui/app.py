"""The Textual application: holds the open session and the embedded demo, and moves between screens.

Screens get what they show (the session, the sign-in form's data) and post messages up; the app never reaches
into their widgets. Start-up is in two halves so the console paints about as fast as a bare Textual app: this
module imports only Textual and light modules; the config, the themes and the simulator load in `boot` on a
worker thread once the console's first frame is on screen, and the console comes alive when they arrive. httpx
loads there too when a sign-in comes next, else (the demo) with the first request; the request model, on a
worker before an Enter can need it (see `load_requests` in the session module).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import shutil
import threading
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.actions import SkipAction
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Input

from queuetui.tui.first_theme import APP_VARIABLE_DEFAULTS, first_theme
from queuetui.tui.key_time import key_typed_at
from queuetui.tui.messages import DemoRequested, LoginRequired, SignInRequested, SnooperUsed
from queuetui.tui.options import Launch
from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.textual_private import keymap_of
from queuetui.tui.widgets.log_panel import ReportKind

if TYPE_CHECKING:
    from pathlib import Path

    from textual.driver import Driver

    from queuetui.api.credentials import SessionAuth, TokenAuth
    from queuetui.api.errors import CallFailed
    from queuetui.core.config.settings import Overrides, Profile, Settings
    from queuetui.core.session import Session
    from queuetui.sim import SimServer
    from queuetui.tui.boot import Boot
    from queuetui.tui.screens.login import LoginScreen


# How long start-up may hold the screen's updates (see `_hold_updates_while_booting`): a few times a usual start.
BOOT_HOLD_S = 1.0


async def _handled_so_far(node: DOMNode) -> None:
    """Wait until `node` has handled every message already sent to it (a node not yet running first mounts)."""
    handled = asyncio.Event()
    if node.call_later(handled.set):
        await handled.wait()


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

    def __init__(self, launch: Launch) -> None:
        super().__init__()
        self.launch = launch
        self.still = launch.still
        self.clock = launch.clock
        self.session: Session | None = None
        self.demo_sim: SimServer | None = None
        self.console_screen = ConsoleScreen(
            still=launch.still, clock=launch.clock, demo=launch.demo, classes=self._expected_breakpoint()
        )
        # Set by `_adopt_boot`; until then only the console's skeleton exists and nothing can be sent.
        self.ready = asyncio.Event()
        self.settings: Settings
        self.profile_name = ""
        self.profile: Profile
        self.prefill: Overrides
        self.audit_path: Path
        self.config_path: Path
        self.config_writable = False
        self._save_lock = threading.Lock()
        self._sign_in_type: type[LoginScreen] | None = None  # set once a sign-in screen has been shown
        self._held_updates = contextlib.ExitStack()
        # Keys typed before start-up is over are held, then typed into the screen they were meant for: the
        # console once its session, profile and keymap are in force (with --demo), or the sign-in screen. Acted on
        # sooner, a remapped key would do what the default keymap says; keys read before the console is pushed
        # would go to the empty screen Textual starts on, and be lost; a session id typed at launch would land in
        # the console's form behind the sign-in screen, in plain sight.
        self._held_keys: list[events.Key] | None = []
        self._replayed: set[int] = set()  # ids of the held keys posted again, still on their way
        theme = first_theme()
        if theme is not None:
            self.register_theme(theme)
            self._start_on(theme)

    # ----- lifecycle --------------------------------------------------------------------------------

    def _start_on(self, theme: Theme) -> None:
        """Make `theme` the first one. Setting `App.theme` runs Textual's watcher, which parses all the CSS a
        second time once the app starts (about 10 ms); before the start nothing is parsed or styled yet, so the
        theme's variables and classes are all there is to set. Textual's starting filters assume a dark theme."""
        if not theme.dark:
            self.theme = theme.name
            return
        self.set_reactive(App.theme, theme.name)
        self.stylesheet.set_variables(self.get_css_variables())
        self.set_class(True, f"-theme-{theme.name}", update=False)

    def _expected_breakpoint(self) -> str:
        """The class Textual's first resize will give the console, from the terminal's width now. Set before the
        first layout, that resize changes no class and so does not restyle every widget (about 20 ms)."""
        return ConsoleScreen.width_class(shutil.get_terminal_size().columns)

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()
        from textual.drivers.linux_driver import LinuxDriver

        from queuetui.tui.ascii_terminal import ascii_driver, wants_ascii

        # A terminal only: a browser (`queuetui serve`) reads UTF-8 whatever the console's locale.
        if issubclass(driver, LinuxDriver) and wants_ascii(os.environ):
            return ascii_driver(driver)
        return driver

    def get_theme_variable_defaults(self) -> dict[str, str]:
        # Fallbacks for the app's own colours in themes that do not define them (Textual's own).
        return dict(APP_VARIABLE_DEFAULTS)

    def on_mount(self) -> None:
        # Textual holds screen updates until the app's start is over, which is after this handler: a screen
        # pushed in here is laid out and drawn once for nothing, then again. Pushed just after, its first frame
        # is the one shown, about 35 ms sooner (measured in process, medians of 15).
        self.call_later(self._show_console)

    async def _show_console(self) -> None:
        await self.push_screen(self.console_screen)
        # The slow half of the start begins once the console is mounted. Measured, its first frame was on screen
        # by then; begun sooner, the worker's imports would share the interpreter with that frame and hold it up.
        # Waiting for a further refresh instead left the interpreter idle for about 25 ms (in process, medians
        # of 5).
        self._hold_updates_while_booting()
        self._boot()

    def _hold_updates_while_booting(self) -> None:
        """Redraw nothing until start-up's worker is done. Textual lays a pushed screen out and draws it again once
        its mount completes, and redraws after each change: work that shares the interpreter with the worker and
        makes the session later, while the frame after the worker shows it all anyway (about 8 ms of CPU, in
        process, medians of 10). Keys typed meanwhile are held until then (see `_held_keys`). A start slower than
        BOOT_HOLD_S lets updates through, so a slow disk never leaves a screen that cannot redraw, even for a
        resize."""
        self._held_updates.enter_context(self.batch_update())
        self.set_timer(BOOT_HOLD_S, self._held_updates.close)

    # A failure here is a bug, not a user error: let it end the app with the (secret-free) crash report.
    @work(thread=True, group="boot", exit_on_error=True)
    def _boot(self) -> None:
        from queuetui.tui.boot import load

        boot = load(self.launch)
        try:
            self.call_from_thread(self._adopt_boot, boot)
        except RuntimeError:
            # The app quit while this loaded (call_from_thread refuses then): nobody will adopt the demo.
            if boot.demo is not None:
                boot.demo.close()

    def _adopt_boot(self, boot: Boot) -> None:
        self._held_updates.close()
        self._resume_collection()
        self.settings, self.profile_name, self.profile = boot.settings, boot.profile_name, boot.profile
        self.prefill, self.audit_path, self.config_path = boot.prefill, boot.audit_path, boot.config_path
        # A locked console has no config of its own to keep: it never writes one (run by hand, the file it would
        # overwrite is the user's).
        self.config_writable = not boot.config_problem and not self.launch.locked
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
        if boot.demo is not None:
            self.demo_sim = boot.demo.sim
            self._log_demo_intro(boot.demo.sim)
            if self._held_keys:
                self.console_screen.keys_held_for_it()
            self._adopt_session(boot.demo.session, remember=False)
            if self.launch.tour:
                self.console_screen.start_tour(self.keys_of)
        else:
            if boot.demo_problem:
                self.report("error", f"{boot.demo_problem}; not signed in")
            self._show_sign_in(boot.demo_problem)
        self.console_screen.start_finished()
        if self._held_keys and self.session is not None:
            self._release_held_keys_once_requests_load()
        else:
            # After a refresh: the screen the keys are for has its focus by then.
            self.call_after_refresh(self._release_held_keys)

    def _resume_collection(self) -> None:
        """Garbage collection, paused by the command line for the start (see `cli`), resumes as start-up ends.
        What the start made (modules, styles, the console) lives as long as the app: frozen, no later collection
        scans it again, which keeps the pauses short while the live list refreshes. Frozen before the sign-in
        screen exists: a screen that held a typed secret must stay collectable once it is closed."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    def _fatal_error(self) -> None:
        # Overrides Textual's crash report (a private hook: see textual_private.NAMES), which prints every frame's
        # local variables: a frame of the sign-in form or the client holds a secret in one. This one shows no
        # locals and masks the secrets the app knows in what remains.
        import rich
        from rich.segment import Segment, Segments
        from rich.traceback import Traceback

        from queuetui.api.text import mask_secret

        self.bell()
        secrets = [secret for secret in self.known_secrets() if secret]
        segments = []
        for segment in self.console.render(Traceback(show_locals=False, width=None, suppress=[rich])):
            text = segment.text
            for secret in secrets:
                text = text.replace(secret, mask_secret(secret))
            segments.append(Segment(text, segment.style, segment.control))
        self.panic(Segments(segments))

    def known_secrets(self) -> list[str]:
        """Every secret this app holds: signed in, remembered for the login form, or typed into it."""
        found: list[str] = []
        if self.session is not None:
            found += self.session.credentials.secrets()
        prefill = getattr(self, "prefill", None)
        if prefill is not None:
            found += [prefill.ssid or "", prefill.token or ""]
        settings = getattr(self, "settings", None)
        if settings is not None:
            for profile in settings.profiles.values():
                found += [profile.ssid, profile.token]
        kind = self._sign_in_type
        for screen in self.screen_stack:
            if kind is not None and isinstance(screen, kind):
                found += screen.typed_secrets()
        return found

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close()
        if self.demo_sim is not None:
            self.demo_sim.stop()

    # ----- signing in and out -----------------------------------------------------------------------

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

    def _sign_in_screen(self) -> LoginScreen | None:
        """The sign-in screen, when it is on top. Its module loads with the first one shown, and not before: a
        demo's start and every Enter in the console ask this, and loading it would hold the UI about 10 ms."""
        kind = self._sign_in_type
        return self.screen if kind is not None and isinstance(self.screen, kind) else None

    def _show_sign_in(self, notice: str = "", refused: bool = False) -> None:
        from queuetui.tui.screens.login import LoginForm, LoginScreen

        self._sign_in_type = LoginScreen
        launch = self.launch
        profile = self.profile
        if launch.locked and self.demo_sim is not None:
            from queuetui.core.demo import demo_profile

            profile = demo_profile(profile, self.demo_sim)  # its only choice, as it offers no base URL
        form = LoginForm(
            self.settings,
            self.profile_name,
            profile,
            self.prefill,
            notice,
            refused,
            self.still,
            launch.demo,
            launch.locked,
        )
        self.push_screen(LoginScreen(form))
        self.call_after_refresh(self._load_http)

    @work(thread=True, group="http", exclusive=True, exit_on_error=False)
    def _load_http(self) -> None:
        # Signing in opens the session on the UI thread, which for a host other than this machine needs httpx, its
        # transport and the system's certificates (about 55 ms): they load here, while the form is filled in, and
        # so does the request model, which the first Enter after signing in needs.
        from queuetui.core.session import load_http, load_requests

        load_http()
        load_requests()

    def _log_demo_intro(self, sim: SimServer) -> None:
        log = self.console_screen.log_line
        calls = ", ".join(f"{c.call_id}/{c.agent}" for c in sim.scenario.calls.values())
        log("info", f"Demo simulator at {sim.url}")
        log("info", f"Live calls (call/agent): {calls}")
        for call in sim.scenario.calls.values():
            if call.processing_for > 0:
                log("info", f"{call.call_id} answers 1501 {call.processing_for} times, then connects")
            elif call.processing_for < 0:
                log("info", f"{call.call_id} stays busy (1501) until the retries run out")

    @on(DemoRequested)
    def start_demo(self) -> None:
        """From the login screen: start the embedded simulator (once) and sign in to it."""
        from queuetui.core.demo import open_demo
        from queuetui.core.session import SessionRefused
        from queuetui.tui.boot import seams_of

        try:
            demo = open_demo(
                self.profile,
                self.audit_path,
                seams_of(self.launch),
                sim=self.demo_sim,
                colleague=self.launch.demo_colleague,
            )
        except SessionRefused as refused:
            self._refused(refused.label, refused.message)
            return
        if self.demo_sim is None:
            self.demo_sim = demo.sim
            self._log_demo_intro(demo.sim)
        self._adopt_session(demo.session, remember=False)

    def on_sign_in_requested(self, message: SignInRequested) -> None:
        self.sign_in(message.name, message.profile, message.credentials, message.remember)

    def action_sign_in(self) -> None:
        screen = self._sign_in_screen()
        if screen is None or not screen.enter_signs_in():
            raise SkipAction()
        request = screen.submission()
        if request is not None:
            self.on_sign_in_requested(request)

    def sign_in(self, name: str, profile: Profile, credentials: SessionAuth | TokenAuth, remember: bool) -> None:
        from queuetui.core.session import Session, SessionRefused
        from queuetui.tui.boot import seams_of

        try:
            session = Session.open(name, profile, credentials, self.audit_path, seams=seams_of(self.launch))
        except SessionRefused as refused:
            self._refused(refused.label, refused.message)
            return
        if profile.live_calls.source != "deepcall":
            self._adopt_session(session, remember)
            return
        # The first live list checks the credentials before the console opens; keys typed meanwhile wait.
        screen = self._sign_in_screen()
        if screen is not None:
            screen.checking()
        if self._held_keys is None:
            self._held_keys = []
        self._check_on_list(session, remember)

    @work(thread=True, group="sign-in", exclusive=True, exit_on_error=False)
    def _check_on_list(self, session: Session, remember: bool) -> None:
        refused = session.refused_by_list()
        try:
            self.call_from_thread(self._checked_on_list, session, remember, refused)
        except RuntimeError:  # the app quit meanwhile
            session.close()

    def _checked_on_list(self, session: Session, remember: bool, refused: CallFailed | None) -> None:
        if refused is None:
            self._adopt_session(session, remember, checked=True)
            self.call_after_refresh(self._release_held_keys)
            return
        from queuetui.api.text import without_secrets

        session.close()
        held = len(self._held_keys or [])
        self._held_keys = None  # typed for the console, which did not open: not into the secret selected below
        message = without_secrets(refused.message, session.credentials.secrets())
        self.report("error", f"The live list refused these credentials: {message}; not signed in")
        if held:
            self.report("warning", f"{held} key(s) typed after Sign in were dropped: the console did not open")
        screen = self._sign_in_screen()
        if screen is not None:
            screen.credentials_refused(message)

    def _refused(self, label: str, message: str) -> None:
        self.report("error", f"{label}: {message}; not signed in")
        screen = self._sign_in_screen()
        if screen is not None:
            screen.refused(label, message)
        else:
            self._show_sign_in(f"{label}: {message}")

    def _adopt_session(self, session: Session, remember: bool, checked: bool = False) -> None:
        """Show `session` in the console; `checked` when the server has accepted its credentials already."""
        from queuetui.api.credentials import SessionAuth
        from queuetui.core.config.settings import Overrides

        if self.session is not None:
            self.session.close()
        self.session = session
        if not session.is_demo:
            # The demo's profile is the simulator's, not the user's: a sign-in after it starts from the user's own.
            self.profile_name, self.profile = session.name, session.profile
            from queuetui.core.presence.setting import chosen_url

            session.share_presence(
                chosen_url(self.settings.presence, session.profile.presence), self.settings.display_name
            )
        credentials = session.credentials
        # Kept in memory only, so an auth failure can bring the login back with its fields filled.
        if isinstance(credentials, SessionAuth):
            self.prefill = Overrides(profile=session.name, ssid=credentials.ssid.get_secret_value())
        else:
            self.prefill = Overrides(
                profile=session.name, user_id=credentials.user_id, token=credentials.token.get_secret_value()
            )
        if self._sign_in_screen() is not None:
            self.pop_screen()
        self.console_screen.attach(session)
        if checked:
            self.console_screen.credentials_accepted()
        self.report(
            "info",
            f"Signed in to {session.host} ({session.environment.value}) as {credentials.identity}: "
            + (
                "the live list accepted the credentials"
                if checked
                else "credentials kept; the first action checks them"
            ),
        )
        if session.is_demo:
            return
        from queuetui.core.config.preferences import secret_remembered

        remembered = secret_remembered(session.profile, credentials, remember)
        if remembered is not None:
            # The profile in memory too: the next sign-in screen and the next save start from it.
            self.profile = remembered
            self._save_profile(remembered)

    def on_login_required(self, message: LoginRequired) -> None:
        if self._sign_in_screen() is not None or not self.ready.is_set():
            return
        self._show_sign_in(message.notice, message.refused)

    def sign_out(self) -> None:
        from queuetui.core.config.settings import Overrides

        if not self.ready.is_set() or self.launch.locked:
            # Nothing to sign out of yet, and no sign-in screen can be built before the config; a locked console
            # stays on its simulator.
            return
        if self.session is not None:
            self.session.close()
            self.session = None
        self.prefill = Overrides(profile=self.profile_name, user_id=self.prefill.user_id)
        self.console_screen.attach(None)
        self.report("info", "Signed out")
        self._show_sign_in("Signed out")

    # ----- reporting --------------------------------------------------------------------------------

    def report(self, kind: ReportKind, message: str) -> None:
        self.console_screen.report(kind, message)

    # ----- config -----------------------------------------------------------------------------------

    def on_snooper_used(self, message: SnooperUsed) -> None:
        from queuetui.core.config.preferences import snooper_remembered

        if self.session is None:
            return
        remembered = snooper_remembered(self.profile, message.number, demo=self.session.is_demo)
        if remembered is not None:
            self.profile = remembered
            self._save_profile(remembered)

    def _save_profile(self, profile: Profile) -> None:
        from queuetui.core.config.preferences import stored

        self.settings = stored(self.settings, self.profile_name, profile)
        self._save_settings()

    def watch_theme(self, theme: str) -> None:
        if not self.ready.is_set() or self.still:
            return
        # Saved where it is read back: the profile's own theme wins over the file's when it has one.
        stored = self.settings.profiles.get(self.profile_name)
        if stored is not None and stored.theme:
            if theme != stored.theme:
                self.profile = replace(self.profile, theme=theme)
                self._save_profile(replace(stored, theme=theme))
        elif theme != self.settings.theme:
            self.settings = replace(self.settings, theme=theme)
            self._save_settings()

    @work(thread=True, group="config", exclusive=True, exit_on_error=False)
    def _save_settings(self) -> None:
        from queuetui.core.config.settings import ConfigError, save_config

        if not self.config_writable:
            return
        try:
            # One save at a time, each writing the settings as they are when it runs: a cancelled worker
            # keeps running, and without the lock an older save could land last.
            with self._save_lock:
                save_config(self.config_path, self.settings)
        except (ConfigError, OSError) as problem:
            self.call_from_thread(self.report, "error", f"Could not save the config: {problem}")

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
        from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen
        from queuetui.tui.screens.hang_up import HangUpScreen
        from queuetui.tui.screens.help import HelpScreen
        from queuetui.tui.screens.login import LoginScreen
        from queuetui.tui.screens.shift_summary import ShiftSummaryScreen
        from queuetui.tui.widgets.live_calls import LiveCallsTable
        from queuetui.tui.widgets.mode_selector import ModeSelector
        from queuetui.tui.widgets.sessions_table import SessionsTable

        palette = Binding(
            self.COMMAND_PALETTE_BINDING,
            "command_palette",
            "Commands",
            id="app.commands",
            tooltip="Commands: I hung up, sign out, export or clear log, theme, help",
        )
        return [
            ("Everywhere", [*self.BINDINGS, palette]),
            ("Console", list(ConsoleScreen.BINDINGS)),
            ("Mode selector (when focused)", list(ModeSelector.BINDINGS)),
            ("Live calls (when focused)", list(LiveCallsTable.BINDINGS)),
            ("Sessions list (when focused)", list(SessionsTable.BINDINGS)),
            ("Sign in", list(LoginScreen.BINDINGS)),
            ("Barge confirmation", list(ConfirmBargeScreen.BINDINGS)),
            ("Which call you hung up", list(HangUpScreen.BINDINGS)),
            ("Help", list(HelpScreen.BINDINGS)),
            ("Shift summary", list(ShiftSummaryScreen.BINDINGS)),
        ]

    def _adopt_keymap(self, boot: Boot) -> None:
        if not boot.settings.keymap:
            return
        from queuetui.tui.keymap import Scope, check_keymap

        sections = dict(self.binding_sections())
        everywhere, console = sections["Everywhere"], sections["Console"]
        # Keys clash only where both bindings are active at once: the app's, the screen's and the focused widget's.
        scopes = [
            Scope("console", [*everywhere, *console], has_fields=True),
            *(
                Scope(name.split(" (")[0].lower(), [*everywhere, *console, *sections[name]])
                for name in sections
                if name.endswith("(when focused)")
            ),
            Scope("sign in", [*everywhere, *sections["Sign in"]], has_fields=True),
            *(
                Scope(name.lower(), [*everywhere, *sections[name]])
                for name in ("Barge confirmation", "Which call you hung up", "Help")
            ),
        ]
        checked = check_keymap(boot.settings.keymap, scopes, str(boot.config_path))
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
            replayed = id(event) in self._replayed
            if self._held_keys is not None and not replayed and not self._quits(event.key):
                self._held_keys.append(event)  # shown below when typed into its screen
                return
            if replayed:
                self._replayed.discard(id(event))
                if not self._replayed:
                    self.call_later(self._release_held_keys)  # any that came in meanwhile, or the hold ends
            await self._earlier_keys_handled()
            focused = self.focused
            secret = isinstance(focused, Input) and focused.password
            # Keys as they arrive, before any widget sees them: what a room watching the presenter should see.
            self.console_screen.key_pressed(event.key, event.character, secret)
            with key_typed_at(event.time):
                await super().on_event(event)
            return
        await super().on_event(event)

    async def _earlier_keys_handled(self) -> None:
        """Wait until what the keys before this one set off is done, from the focused widget up to its screen, and
        in a screen that opened meanwhile. A key routed to a widget is matched to its bindings, and their messages
        handled, only as they bubble up, one node at a time; meanwhile the app would route the next key, and a
        priority key (Tab, Enter, F4) would act first: `b Tab` on the live list lost the b, `b Enter` sent the
        form before the b's question. A screen just pushed (that question) sets its focus as it mounts: a Tab
        routed sooner would move a focus about to be set."""
        screen = self.screen
        node: DOMNode | None = self.focused or screen
        while node is not None and node is not self:
            await _handled_so_far(node)
            node = node.parent
        if self.screen is not screen:
            await _handled_so_far(self.screen)

    def _quits(self, key: str) -> bool:
        active = self.screen.active_bindings.get(key)
        return active is not None and active.binding.action in ("quit", "help_quit")

    @work(thread=True, group="boot", exit_on_error=True)
    def _release_held_keys_once_requests_load(self) -> None:
        # An Enter among the keys typed during start-up would load the request model on the UI thread, freezing the
        # console for the 100 ms or more it takes (more while the shift's read loads it too): the keys wait here
        # instead, while the console shows the session.
        from queuetui.core.session import load_requests

        load_requests()
        with contextlib.suppress(RuntimeError):  # the app quit meanwhile: the keys go with it
            self.call_from_thread(self.call_after_refresh, self._release_held_keys)

    def _release_held_keys(self) -> None:
        """Type what was held into the screen it was meant for, in order, now that it has its focus. Each key keeps
        the time it was typed: a barge question refuses keys typed before it was shown.

        The hold ends only once no key is left behind the ones posted again: keys typed later may already wait in
        the app's queue, ahead of them, and would act first (`/ C-10017 Enter` with only its `/` held sent the
        form before the filter opened). Those are held too, and posted again after them."""
        held = self._held_keys or []
        if not held:
            self._held_keys = None
            return
        self._held_keys = []
        for key in held:
            typed = events.Key(key.key, key.character)
            typed.time = key.time
            self._replayed.add(id(typed))
            self.post_message(typed)

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
        from queuetui.tui.keymap import active_keys

        for _, bindings in self.binding_sections():
            for binding in bindings:
                if isinstance(binding, Binding) and binding.id == binding_id:
                    keys = active_keys(binding, keymap_of(self)).split(",")
                    return " or ".join(self.get_key_display(Binding(key.strip(), "")) for key in keys)
        raise KeyError(binding_id)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        console = self.console_screen
        yield SystemCommand("I hung up", "My phone is down: the live call is over for me", console.action_hung_up)
        yield SystemCommand("Shift summary", "This shift: actions by mode and outcome", console.action_shift_summary)
        if not self.launch.locked:
            yield SystemCommand("Sign out", "Forget the credentials and return to sign in", self.sign_out)
        yield SystemCommand("Export log", "Write the log panel to a file (mode 0600)", console.action_export_log)
        yield SystemCommand("Clear log", "Empty the log panel", console.action_clear_log)
        yield SystemCommand("Show keys", "Show or hide the last keys pressed, for a room", self.toggle_keys)
        if self.session is not None and self.session.is_demo:
            yield SystemCommand("Tour", "A guided tour of the demo, step by step", self.start_tour)
            yield SystemCommand("Reset the demo", "Empty the log and sessions, start the calls again", self.reset_demo)
        yield SystemCommand("Switch theme", "Choose a colour theme (remembered)", self.action_change_theme)
        yield SystemCommand("Help", "Every key binding", self.action_help)
        yield SystemCommand("Quit", "Leave queuetui", self.action_quit)
