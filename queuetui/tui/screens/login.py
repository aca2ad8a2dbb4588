"""Sign in: profile, base URL, auth method and secrets, checked here before anything is sent.

DeepCall publishes no endpoint to verify credentials, so signing in checks them locally; the first
action tells whether the server accepts them, and an auth error brings this screen back with its fields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Input, Label, RadioButton, RadioSet, Select, Static

if TYPE_CHECKING:
    from queuetui.tui.app import QueueApp

_SECRET_FIELDS = {"ssid": "#ssid", "userId": "#user-id", "token": "#token"}


class LoginScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "toggle_secrets", "Show/hide secret", id="login.reveal"),
        Binding("f9", "demo", "Try the demo", id="login.demo", tooltip="Sign in to the built-in simulator"),
    ]

    def __init__(self, notice: str = "") -> None:
        super().__init__()
        self.notice = notice

    @property
    def queue_app(self) -> QueueApp:
        return cast("QueueApp", self.app)

    def compose(self) -> ComposeResult:
        app = self.queue_app
        profile = app.profile
        names = sorted(app.settings.profiles) or [app.profile_name]
        with Vertical(id="login-box"):
            yield Static("queuetui  sign in", id="login-title")
            yield Static(self.notice, id="login-notice")
            with Horizontal(classes="row"):
                yield Label("Profile", classes="label")
                yield Select(
                    [(name, name) for name in names],
                    value=app.profile_name if app.profile_name in names else names[0],
                    allow_blank=False,
                    compact=True,
                    id="profile",
                )
            with Horizontal(classes="row"):
                yield Label("Base URL", classes="label")
                yield Input(app.base_url_for(profile), id="base-url", compact=True)
            with Horizontal(classes="row"):
                yield Label("Auth", classes="label")
                with RadioSet(id="auth", compact=True):
                    yield RadioButton("Session ID", value=profile.auth == "session", id="auth-session")
                    yield RadioButton("User ID + Token", value=profile.auth == "token", id="auth-token")
            with Horizontal(classes="row", id="ssid-row"):
                yield Label("Session ID", classes="label")
                yield Input(app.prefill.ssid or "", password=True, id="ssid", compact=True)
            with Horizontal(classes="row", id="user-row"):
                yield Label("User ID", classes="label")
                yield Input(app.prefill.user_id or profile.user_id, id="user-id", compact=True)
            with Horizontal(classes="row", id="token-row"):
                yield Label("Token", classes="label")
                yield Input(app.prefill.token or "", password=True, id="token", compact=True)
            with Horizontal(classes="row"):
                yield Label("", classes="label")
                yield Checkbox("Show secret", id="reveal", compact=True)
                yield Checkbox("Remember on this machine", value=False, id="remember", compact=True)
            yield Static("", id="login-error")
            with Horizontal(classes="row", id="login-buttons"):
                yield Button("Sign in", id="sign-in", variant="primary", compact=True)
                yield Button("Try the demo (F9)", id="demo", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = not self.queue_app.still
        self._show_auth_fields()
        empty = next((f for f in self.query(Input) if f.display and not f.value), None)
        (empty or self.query_one("#sign-in", Button)).focus()

    def _auth_kind(self) -> str:
        return "token" if self.query_one("#auth-token", RadioButton).value else "session"

    def _show_auth_fields(self) -> None:
        token = self._auth_kind() == "token"
        self.query_one("#ssid-row").display = not token
        self.query_one("#user-row").display = token
        self.query_one("#token-row").display = token

    @on(RadioSet.Changed, "#auth")
    def _auth_changed(self) -> None:
        self._show_auth_fields()

    @on(Select.Changed, "#profile")
    def _profile_changed(self, event: Select.Changed) -> None:
        name = str(event.value)
        profile = self.queue_app.settings.profiles.get(name)
        if profile is None or name == self.queue_app.profile_name:
            return
        self.query_one("#base-url", Input).value = profile.base_url
        self.query_one("#user-id", Input).value = profile.user_id
        self.query_one("#auth-token" if profile.auth == "token" else "#auth-session", RadioButton).value = True
        self._show_auth_fields()

    @on(Checkbox.Changed, "#reveal")
    def _reveal_changed(self, event: Checkbox.Changed) -> None:
        for selector in ("#ssid", "#token"):
            self.query_one(selector, Input).password = not event.value

    def action_toggle_secrets(self) -> None:
        reveal = self.query_one("#reveal", Checkbox)
        reveal.value = not reveal.value

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.sign_in()

    @on(Button.Pressed, "#sign-in")
    def _sign_in_pressed(self) -> None:
        self.sign_in()

    @on(Button.Pressed, "#demo")
    def _demo_pressed(self) -> None:
        self.action_demo()

    def action_demo(self) -> None:
        self.queue_app.start_demo()

    def sign_in(self) -> None:
        from queuetui.api.client import UnsafeUrl, check_base_url
        from queuetui.api.models import FieldErrors, parse_credentials

        error = self.query_one("#login-error", Static)
        for field in self.query(Input):
            field.remove_class("-invalid")
        name = str(self.query_one("#profile", Select).value)
        profile = self.queue_app.settings.profiles.get(name, self.queue_app.profile)
        try:
            base_url = check_base_url(self.query_one("#base-url", Input).value, profile.allow_insecure_http)
        except UnsafeUrl as problem:
            self._refuse("#base-url", f"{problem.label} {problem}")
            return
        token = self._auth_kind() == "token"
        try:
            credentials = parse_credentials(
                ssid=None if token else self.query_one("#ssid", Input).value,
                user_id=self.query_one("#user-id", Input).value if token else None,
                token=self.query_one("#token", Input).value if token else None,
            )
        except FieldErrors as errors:
            self._refuse(_SECRET_FIELDS.get(errors.first_field, "#ssid"), str(errors))
            return
        error.update("")
        chosen = profile.model_copy(update={"base_url": base_url, "auth": "token" if token else "session"})
        self.queue_app.sign_in(name, chosen, credentials, remember=self.query_one("#remember", Checkbox).value)

    def typed_secrets(self) -> list[str]:
        return [self.query_one(selector, Input).value for selector in ("#ssid", "#token")] if self.is_mounted else []

    def _refuse(self, selector: str, message: str) -> None:
        self.query_one("#login-error", Static).update(f"\u2717 {message}")
        field = self.query_one(selector, Input)
        field.add_class("-invalid")
        field.focus()
