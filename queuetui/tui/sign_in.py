"""Signing in: the sign-in screen, opening a session from it, and the check a DeepCall sign-in waits for (the first
live list checks the credentials before the console opens; keys typed meanwhile wait in the key gate).

The sign-in screen's module loads with the first one shown, and not before: a demo's start and every Enter in the
console ask whether it is on top, and loading it then would hold the UI. What opens a session loads on a worker
while the form is filled in. The app adopts an opened session through the `adopt` callback.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import App

from queuetui.tui.config_keeper import ConfigKeeper
from queuetui.tui.key_gate import KeyGate
from queuetui.tui.options import Launch

if TYPE_CHECKING:
    from queuetui.api.credentials import SessionAuth, TokenAuth
    from queuetui.api.errors import CallFailed
    from queuetui.core.config.settings import Profile
    from queuetui.core.session import Session
    from queuetui.sim import SimServer
    from queuetui.tui.screens.login import LoginScreen
    from queuetui.tui.widgets.log_panel import ReportKind

# What the app does with a session opened here: adopt(session, remember, checked).
Adopt = Callable[["Session", bool, bool], None]


class SignIn:
    def __init__(
        self,
        app: App[None],
        launch: Launch,
        config: ConfigKeeper,
        key_gate: KeyGate,
        report: Callable[[ReportKind, str], None],
        adopt: Adopt,
        demo_sim: Callable[[], SimServer | None],
    ) -> None:
        self._app = app
        self._launch = launch
        self._config = config
        self._key_gate = key_gate
        self._report = report
        self._adopt = adopt
        self._demo_sim = demo_sim
        self._screen_type: type[LoginScreen] | None = None  # set once a sign-in screen has been shown

    def on_top(self) -> LoginScreen | None:
        """The sign-in screen, when it is the one on top."""
        kind, screen = self._screen_type, self._app.screen
        return screen if kind is not None and isinstance(screen, kind) else None

    def typed_secrets(self) -> list[str]:
        """The secrets typed into every sign-in screen open."""
        kind = self._screen_type
        return [
            secret
            for screen in self._app.screen_stack
            if kind is not None and isinstance(screen, kind)
            for secret in screen.typed_secrets()
        ]

    def show(self, notice: str = "", refused: bool = False) -> None:
        from queuetui.tui.screens.login import LoginForm, LoginScreen

        self._screen_type = LoginScreen
        launch, config = self._launch, self._config
        profile, demo_sim = config.profile, self._demo_sim()
        if launch.locked and demo_sim is not None:
            from queuetui.core.demo import demo_profile

            profile = demo_profile(profile, demo_sim)  # its only choice, as it offers no base URL
        form = LoginForm(
            config.settings,
            config.profile_name,
            profile,
            config.prefill,
            notice,
            refused,
            launch.still or launch.slow_link or config.settings.slow_link,  # a slow link: no blinking cursor
            launch.demo,
            launch.locked,
        )
        self._app.push_screen(LoginScreen(form))
        self._app.call_after_refresh(self._load_http)

    def _load_http(self) -> None:
        self._app.run_worker(_load_http, name="http", group="http", thread=True, exclusive=True, exit_on_error=False)

    def refused(self, label: str, message: str) -> None:
        """The session could not be opened (`label` names the setting at fault)."""
        self._report("error", f"{label}: {message}; not signed in")
        screen = self.on_top()
        if screen is not None:
            screen.refused(label, message)
        else:
            self.show(f"{label}: {message}")

    def open(self, name: str, profile: Profile, credentials: SessionAuth | TokenAuth, remember: bool) -> None:
        from queuetui.core.session import Session, SessionRefused
        from queuetui.tui.boot import seams_of

        try:
            session = Session.open(name, profile, credentials, self._config.audit_path, seams=seams_of(self._launch))
        except SessionRefused as refused:
            self.refused(refused.label, refused.message)
            return
        if profile.live_calls.source != "deepcall":
            self._adopt(session, remember, False)
            return
        screen = self.on_top()
        if screen is not None:
            screen.checking()
        self._key_gate.hold()
        check = partial(self._check_on_list, session, remember)
        self._app.run_worker(check, name="check", group="sign-in", thread=True, exclusive=True, exit_on_error=False)

    def _check_on_list(self, session: Session, remember: bool) -> None:
        refused = session.refused_by_list()
        try:
            self._app.call_from_thread(self._checked_on_list, session, remember, refused)
        except RuntimeError:  # the app quit meanwhile
            session.close()

    def _checked_on_list(self, session: Session, remember: bool, refused: CallFailed | None) -> None:
        if refused is None:
            self._adopt(session, remember, True)
            self._key_gate.release_after_refresh()
            return
        from queuetui.api.text import without_secrets

        session.close()
        held = self._key_gate.drop()  # typed for the console, which did not open: not into the secret selected below
        message = without_secrets(refused.message, session.credentials.secrets())
        self._report("error", f"The live list refused these credentials: {message}; not signed in")
        if held:
            self._report("warning", f"{held} key(s) typed after Sign in were dropped: the console did not open")
        screen = self.on_top()
        if screen is not None:
            screen.credentials_refused(message)


def _load_http() -> None:
    # Signing in opens the session on the UI thread, which for a host other than this machine needs httpx, its
    # transport and the system's certificates: they load here, while the form is filled in, and so does the
    # request model, which the first Enter after signing in needs.
    from queuetui.core.session import load_http, load_requests

    load_http()
    load_requests()
