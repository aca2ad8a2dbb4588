"""The Textual application: owns the signed-in service, the embedded demo simulator and the screens."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import ClassVar, Literal

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from queuetui import paths
from queuetui.api.client import UnsafeUrl
from queuetui.api.models import SessionAuth, TokenAuth, parse_credentials
from queuetui.config import ConfigError, Environment, Overrides, Profile, Settings, save_config
from queuetui.factory import open_service
from queuetui.service import BargeService, RateGuard, RetryPolicy
from queuetui.sim import DEMO_SSID, SimServer
from queuetui.text import mask_phone
from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.screens.help import HelpScreen
from queuetui.tui.screens.login import LoginScreen
from queuetui.tui.widgets.log_panel import LogPanel

ReportKind = Literal["ok", "info", "warning", "error"]
_SEVERITY = {"ok": "information", "info": "information", "warning": "warning", "error": "error"}

DEMO_SNOOPER = "9876543210"


@dataclass
class Launch:
    """Everything the app starts from; `queuetui.tui.launch.create_app` builds it for every caller."""

    settings: Settings
    config_path: Path
    profile_name: str
    profile: Profile
    prefill: Overrides = field(default_factory=Overrides)
    demo: bool = False
    config_problem: str = ""
    config_warnings: list[str] = field(default_factory=list)
    audit_path: Path | None = None
    retry: RetryPolicy | None = None
    rate: RateGuard | None = None
    still: bool = False  # no blinking cursor or spinner: for snapshots and screenshots
    clock: Callable[[], datetime] = datetime.now  # a fixed clock makes snapshots repeatable


class QueueApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "queuetui"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="app.help", tooltip="This list of keys"),
        Binding("question_mark", "help", "Help", show=False, id="app.help_alt", tooltip="This list of keys"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(self, launch: Launch) -> None:
        super().__init__()
        self.launch = launch
        self.settings = launch.settings
        self.profile_name = launch.profile_name
        self.profile = launch.profile
        self.prefill = launch.prefill
        self.still = launch.still
        self.clock = launch.clock
        self.service: BargeService | None = None
        self.demo_sim: SimServer | None = None
        self.config_writable = not launch.config_problem
        self.console_screen = ConsoleScreen()

    # ----- lifecycle --------------------------------------------------------------------------------

    def get_theme_variable_defaults(self) -> dict[str, str]:
        # Fallbacks for themes that do not define the app's own colours.
        return {
            "env-production": "#c62828",
            "env-staging": "#ef8f00",
            "env-demo": "#1e88e5",
            "mode-barge": "#e53935",
        }

    async def on_mount(self) -> None:
        await self.push_screen(self.console_screen)
        if self.launch.config_problem:
            self.report(
                "error",
                f"Config not used (defaults instead, and it will not be overwritten): {self.launch.config_problem}",
            )
        for warning in self.launch.config_warnings:
            self.report("warning", warning)
        if self.launch.demo:
            self.start_demo()
        else:
            self.push_screen(LoginScreen())

    def on_unmount(self) -> None:
        if self.service is not None:
            self.service.close()
        if self.demo_sim is not None:
            self.demo_sim.stop()

    # ----- signing in and out -----------------------------------------------------------------------

    def base_url_for(self, profile: Profile) -> str:
        return self.prefill.base_url or profile.base_url

    def start_demo(self) -> None:
        """Start the embedded simulator (once) and sign in to it with the demo credentials."""
        if self.demo_sim is None:
            self.demo_sim = SimServer().start()
            calls = ", ".join(f"{c.call_id}/{c.agent}" for c in self.demo_sim.scenario.calls.values())
            self.log_line("info", f"Demo simulator at {self.demo_sim.url}")
            self.log_line("info", f"Live calls (call/agent): {calls}")
            self.log_line("info", "C-10050 answers 1501 twice before connecting; C-10066 stays busy")
        profile = self.profile.model_copy(
            update={
                "base_url": self.demo_sim.url,
                "environment": Environment.DEMO,
                "auth": "session",
                "snooper_number": self.profile.snooper_number or DEMO_SNOOPER,
            }
        )
        self.sign_in("demo", profile, parse_credentials(ssid=DEMO_SSID), remember=False)

    @property
    def is_demo(self) -> bool:
        return self.profile.environment is Environment.DEMO and self.demo_sim is not None

    def sign_in(self, name: str, profile: Profile, credentials: SessionAuth | TokenAuth, remember: bool) -> None:
        try:
            service = open_service(
                name,
                profile,
                credentials,
                self.launch.audit_path,
                retry=self.launch.retry,
                rate=self.launch.rate,
            )
        except UnsafeUrl as problem:
            self.report("error", f"Base URL {problem}")
            return
        if self.service is not None:
            self.service.close()
        self.service = service
        self.profile_name, self.profile = name, profile
        # Kept in memory only, so an auth failure can bring the login back with its fields filled.
        self.prefill = Overrides(
            profile=name,
            ssid=credentials.ssid.get_secret_value() if isinstance(credentials, SessionAuth) else None,
            user_id=credentials.user_id if isinstance(credentials, TokenAuth) else None,
            token=credentials.token.get_secret_value() if isinstance(credentials, TokenAuth) else None,
        )
        if isinstance(self.screen, LoginScreen):
            self.pop_screen()
        self.console_screen.apply_profile()
        self.report("ok", f"Signed in to {service.host} ({profile.environment.value}) as {credentials.identity}")
        if remember and not self.is_demo:
            secret = (
                {"ssid": self.prefill.ssid or ""}
                if isinstance(credentials, SessionAuth)
                else {"user_id": credentials.user_id, "token": self.prefill.token or ""}
            )
            self._save_profile(profile.model_copy(update={"remember_secret": True, **secret}))

    def require_login(self, notice: str) -> None:
        if isinstance(self.screen, LoginScreen):
            return
        self.push_screen(LoginScreen(notice))

    def sign_out(self) -> None:
        if self.service is not None:
            self.service.close()
            self.service = None
        self.prefill = Overrides(profile=self.profile_name, user_id=self.prefill.user_id)
        self.console_screen.refresh_header()
        self.report("info", "Signed out")
        self.require_login("Signed out")

    # ----- reporting --------------------------------------------------------------------------------

    def log_line(self, kind: str, message: str) -> None:
        if self.console_screen.is_mounted:
            self.console_screen.query_one(LogPanel).add(kind, message, self.clock())

    def report(self, kind: ReportKind, message: str) -> None:
        """A toast and a log line. Markup is off: server text must never be read as styling."""
        self.notify(message, severity=_SEVERITY[kind], markup=False, timeout=8 if kind == "error" else 5)  # type: ignore[arg-type]
        self.log_line(kind, message)

    def masked_snooper(self, number: str) -> str:
        digits = number.replace(" ", "").replace("-", "")
        return mask_phone(digits) if digits else ""

    # ----- config -----------------------------------------------------------------------------------

    def remember_snooper(self, number: str) -> None:
        if number and number != self.profile.snooper_number and not self.is_demo:
            self.profile = self.profile.model_copy(update={"snooper_number": number})
            self._save_profile(self.profile)

    def _save_profile(self, profile: Profile) -> None:
        stored = self.settings.profiles.get(self.profile_name)
        if stored is not None:
            # Keep the file's own base URL: a one-off override at sign-in is not a setting.
            profile = profile.model_copy(update={"base_url": stored.base_url})
        self.settings = self.settings.model_copy(
            update={"profiles": {**self.settings.profiles, self.profile_name: profile}}
        )
        self._save_settings()

    def watch_theme(self, theme: str) -> None:
        if self.is_running and theme != self.settings.theme and not self.still:
            self.settings = self.settings.model_copy(update={"theme": theme})
            self._save_settings()

    @work(thread=True, group="config", exclusive=True, exit_on_error=False)
    def _save_settings(self) -> None:
        if not self.config_writable:
            return
        try:
            save_config(self.launch.config_path, self.settings)
        except (ConfigError, OSError) as problem:
            self.call_from_thread(self.report, "error", f"Could not save the config: {problem}")

    # ----- commands ---------------------------------------------------------------------------------

    def export_log(self) -> None:
        if not self.console_screen.is_mounted:
            return
        path = paths.state_dir() / "logs" / f"queuetui-log-{self.clock():%Y%m%d-%H%M%S}.txt"
        try:
            count = self.console_screen.query_one(LogPanel).export(path)
        except OSError as problem:
            self.report("error", f"Could not export the log: {problem.strerror}")
            return
        self.report("ok", f"Exported {count} log lines to {path}")

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen
        from queuetui.tui.widgets.mode_selector import ModeSelector
        from queuetui.tui.widgets.sessions_table import SessionsTable

        self.push_screen(
            HelpScreen(
                [
                    (
                        "Everywhere",
                        [
                            *self.BINDINGS,
                            Binding(
                                self.COMMAND_PALETTE_BINDING,
                                "command_palette",
                                "Commands",
                                tooltip="Commands: sign out, export or clear log, theme",
                            ),
                        ],
                    ),
                    ("Console", list(ConsoleScreen.BINDINGS)),
                    ("Mode selector (when focused)", list(ModeSelector.BINDINGS)),
                    ("Sessions list (when focused)", list(SessionsTable.BINDINGS)),
                    ("Sign in", list(LoginScreen.BINDINGS)),
                    ("Barge confirmation", list(ConfirmBargeScreen.BINDINGS)),
                    ("Help", list(HelpScreen.BINDINGS)),
                ]
            )
        )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand("Sign out", "Forget the credentials and return to sign in", self.sign_out)
        yield SystemCommand("Export log", "Write the log panel to a file (mode 0600)", self.export_log)
        yield SystemCommand("Clear log", "Empty the log panel", self.console_screen.action_clear_log)
        yield SystemCommand("Switch theme", "Choose a colour theme (remembered)", self.action_change_theme)
        yield SystemCommand("Help", "Every key binding", self.action_help)
        yield SystemCommand("Quit", "Leave queuetui", self.action_quit)
