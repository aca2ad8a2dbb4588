"""Sign in: profile, base URL, auth method and secrets, checked here before anything is sent.

DeepCall publishes no endpoint to verify credentials, so signing in keeps them and the first action checks
them; an auth error brings this screen back with the refused secret selected, ready to be typed over.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, RadioSet, Select, Static

from queuetui.tui.messages import DemoRequested, SignInRequested
from queuetui.tui.widgets.form_input import FormInput
from queuetui.tui.widgets.key_bar import KeyBar
from queuetui.tui.widgets.toggles import ChoiceSet, MarkedCheckbox, MarkedRadioButton

if TYPE_CHECKING:
    from queuetui.core.config.settings import Overrides, Profile, Settings

_SECRET_FIELDS = {"ssid": "#ssid", "userId": "#user-id", "token": "#token"}
# What a refusal to open a session names, and the field that fixes it.
_REFUSAL_FIELDS = {"Base URL": "#base-url"}


class _Secrets(NamedTuple):
    ssid: str
    token: str


def _remembered(profile: Profile) -> _Secrets:
    """The secrets the config file keeps for a profile: none unless it was asked to remember them."""
    return _Secrets(profile.ssid, profile.token) if profile.remember_secret else _Secrets("", "")


@dataclass(frozen=True)
class LoginForm:
    """What the sign-in screen starts from: the profiles, the chosen one and what is known of its secrets."""

    settings: Settings
    profile_name: str
    profile: Profile
    prefill: Overrides
    notice: str = ""
    refused: bool = False  # the server refused the prefilled secret: select it so typing replaces it
    still: bool = False
    demo: bool = False  # started as the demo: show its (public) credentials
    locked: bool = False  # a console locked to its simulator: no profile or base URL to choose


class LoginScreen(Screen[None]):
    DEFAULT_CSS = """
        LoginScreen {
            align: center middle;
        }
        #login-box {
            width: 72;
            max-width: 100%;
            height: auto;
            border: round $primary;
            padding: 0 1;
        }
        #login-title {
            text-style: bold;
        }
        #login-notice {
            color: $warning;
            height: auto;
        }
        #login-box Input, #login-box Select {
            width: 1fr;
        }
        #login-box RadioSet {
            layout: horizontal;
            width: 1fr;
            height: 1;
        }
        #login-box Checkbox {
            width: auto;
            margin-right: 2;
        }
        #login-error {
            color: $error;
            height: auto;
        }
        #login-demo {
            color: $text-muted;
            height: auto;
        }
        #login-buttons {
            margin-top: 1;
        }
        #login-buttons Button {
            margin-right: 2;
        }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "toggle_secrets", "Show/hide secret", id="login.reveal"),
        Binding("f9,ctrl+o", "demo", "Try the demo", id="login.demo", tooltip="Sign in to the built-in simulator"),
    ]

    def __init__(self, form: LoginForm) -> None:
        super().__init__()
        self.form = form
        self._shown_profile = form.profile_name  # the profile whose values the form holds

    def compose(self) -> ComposeResult:
        form = self.form
        profile = form.profile
        names = sorted(form.settings.profiles) or [form.profile_name]
        with Vertical(id="login-box"):
            yield Static("queuetui  sign in", id="login-title")
            yield Static(form.notice, id="login-notice")
            if not form.locked:
                with Horizontal(classes="row"):
                    yield Label("Profile", classes="label")
                    yield Select(
                        [(name, name) for name in names],
                        value=form.profile_name if form.profile_name in names else names[0],
                        allow_blank=False,
                        compact=True,
                        id="profile",
                    )
                with Horizontal(classes="row"):
                    yield Label("Base URL", classes="label")
                    yield FormInput(form.prefill.base_url or profile.base_url, id="base-url", compact=True)
            with Horizontal(classes="row"):
                yield Label("Auth", classes="label")
                with ChoiceSet(id="auth", compact=True):
                    yield MarkedRadioButton("Session ID", value=profile.auth == "session", id="auth-session")
                    yield MarkedRadioButton("User ID + Token", value=profile.auth == "token", id="auth-token")
            with Horizontal(classes="row", id="ssid-row"):
                yield Label("Session ID", classes="label")
                yield FormInput(form.prefill.ssid or _remembered(profile).ssid, password=True, id="ssid", compact=True)
            with Horizontal(classes="row", id="user-row"):
                yield Label("User ID", classes="label")
                yield FormInput(form.prefill.user_id or profile.user_id, id="user-id", compact=True)
            with Horizontal(classes="row", id="token-row"):
                yield Label("Token", classes="label")
                yield FormInput(
                    form.prefill.token or _remembered(profile).token, password=True, id="token", compact=True
                )
            with Horizontal(classes="row"):
                yield Label("", classes="label")
                yield MarkedCheckbox("Show secret", id="reveal", compact=True)
                yield MarkedCheckbox(
                    "Remember on this machine", value=profile.remember_secret, id="remember", compact=True
                )
            yield Static("", id="login-error")
            if form.demo or form.locked:
                from queuetui.sim.scenario import DEMO_SSID, DEMO_TOKEN, DEMO_USER_ID

                yield Static(
                    f"Demo credentials (public; they open only the built-in simulator): Session ID {DEMO_SSID}, "
                    f"or User ID {DEMO_USER_ID} with Token {DEMO_TOKEN}. F9 signs you in to the simulator.",
                    id="login-demo",
                )
            with Horizontal(classes="row", id="login-buttons"):
                yield Button("Sign in", id="sign-in", variant="primary", compact=True)
                yield Button("Try the demo (F9)", id="demo", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        if not self.query("#auth-token"):
            return  # the app quit as this screen was pushed: Textual composes none of its fields then
        for field in self.query(Input):
            field.cursor_blink = not self.form.still
        self._show_auth_fields()
        if self.form.refused:
            self._select_secret()
        else:
            self._focus_first_empty()

    def _visible_inputs(self) -> list[Input]:
        # A hidden row hides its field without changing the field's own `display`.
        return [f for f in self.query(Input) if f.display and (f.parent is None or f.parent.display)]

    def _focus_first_empty(self) -> None:
        empty = next((f for f in self._visible_inputs() if not f.value), None)
        self.set_focus(empty or self.query_one("#sign-in", Button))

    def _select_secret(self) -> None:
        secret = self.query_one("#token" if self._auth_kind() == "token" else "#ssid", Input)
        self.set_focus(secret)
        secret.select_all()

    def _auth_kind(self) -> str:
        return "token" if self.query_one("#auth-token", MarkedRadioButton).value else "session"

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
        profile = self.form.settings.profiles.get(name)
        # The list reports the profile it starts on too: what the form was filled with for it stays.
        if profile is None or name == self._shown_profile:
            return
        self._shown_profile = name
        self.query_one("#base-url", Input).value = profile.base_url
        self.query_one("#user-id", Input).value = profile.user_id
        remembered = _remembered(profile)
        self.query_one("#ssid", Input).value = remembered.ssid
        self.query_one("#token", Input).value = remembered.token
        self.query_one("#remember", MarkedCheckbox).value = profile.remember_secret
        self.query_one("#auth-token" if profile.auth == "token" else "#auth-session", MarkedRadioButton).value = True
        self._show_auth_fields()

    @on(MarkedCheckbox.Changed, "#reveal")
    def _reveal_changed(self, event: MarkedCheckbox.Changed) -> None:
        for selector in ("#ssid", "#token"):
            self.query_one(selector, Input).password = not event.value

    def action_toggle_secrets(self) -> None:
        reveal = self.query_one("#reveal", MarkedCheckbox)
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
        self.post_message(DemoRequested())

    def enter_signs_in(self) -> bool:
        """Enter in a field, on a checkbox or on Sign in signs in (a checkbox takes Space); on the profile list,
        the choice of sign-in kind or the demo button it keeps its own meaning."""
        focused = self.focused
        return isinstance(focused, (Input, MarkedCheckbox)) or focused is self.query_one("#sign-in", Button)

    def sign_in(self) -> None:
        request = self.submission()
        if request is not None:
            self.post_message(request)

    def submission(self) -> SignInRequested | None:
        """The sign-in as the form stands (the app routes a key only once the keys before it are handled), or None
        when its credentials are refused here (the form says why)."""
        from queuetui.api.credentials import parse_credentials
        from queuetui.api.fields import FieldErrors

        for field in self.query(Input):
            field.remove_class("-invalid")
        name = self.form.profile_name if self.form.locked else str(self.query_one("#profile", Select).value)
        profile = self.form.settings.profiles.get(name, self.form.profile)
        token = self._auth_kind() == "token"
        try:
            credentials = parse_credentials(
                ssid=None if token else self.query_one("#ssid", Input).value,
                user_id=self.query_one("#user-id", Input).value if token else None,
                token=self.query_one("#token", Input).value if token else None,
            )
        except FieldErrors as errors:
            self._refuse(_SECRET_FIELDS.get(errors.first_field, "#ssid"), str(errors))
            return None
        self.query_one("#login-error", Static).update("")
        # The base URL is checked once, where the session opens; a refusal comes back through `refused`.
        base_url = profile.base_url if self.form.locked else self.query_one("#base-url", Input).value
        chosen = replace(profile, base_url=base_url, auth="token" if token else "session")
        return SignInRequested(name, chosen, credentials, self.query_one("#remember", MarkedCheckbox).value)

    def refused(self, label: str, message: str) -> None:
        """The session would not open (a bad base URL, an unusable CA bundle or proxy, no audit trail)."""
        self._refuse(_REFUSAL_FIELDS.get(label), f"{label}: {message}")

    def checking(self) -> None:
        """Signing in waits for the first live list, which checks the credentials."""
        self.query_one("#login-error", Static).update("Checking these credentials with the live list\u2026")

    def credentials_refused(self, message: str) -> None:
        """The server refused the credentials: the secret is selected, so what is typed next replaces it."""
        self.query_one("#login-error", Static).update(f"\u2717 {message}")
        self._select_secret()

    def typed_secrets(self) -> list[str]:
        return [self.query_one(selector, Input).value for selector in ("#ssid", "#token")] if self.is_mounted else []

    @on(FormInput.PasteRefused)
    def _paste_refused(self, event: FormInput.PasteRefused) -> None:
        self.query_one("#login-error", Static).update(f"\u2717 Paste refused: {event.reason}; nothing was changed")

    def _refuse(self, selector: str | None, message: str) -> None:
        self.query_one("#login-error", Static).update(f"\u2717 {message}")
        if selector is None:
            return
        field = self.query_one(selector, Input)
        field.add_class("-invalid")
        self.set_focus(field)
