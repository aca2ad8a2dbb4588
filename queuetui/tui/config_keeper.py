"""What the console holds of the config: the settings and the profile in force, the sign-in form's prefill, and
what it remembers in the file. The rules of what is remembered are the core's (`core/config/preferences.py`), the same
for `queuetui barge`; the console saves on a worker, one save at a time.

Nothing of the config is imported at the top: this module loads with the first frame, the config after it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import App

if TYPE_CHECKING:
    from pathlib import Path

    from queuetui.core.config.settings import Overrides, Profile, Settings
    from queuetui.core.session import Session
    from queuetui.tui.boot import Boot
    from queuetui.tui.widgets.log_panel import ReportKind


class ConfigKeeper:
    def __init__(self, app: App[None], report: Callable[[ReportKind, str], None]) -> None:
        self._app = app
        self._report = report
        self._save_lock = threading.Lock()
        # All set by `adopt`, as start-up's worker has read the config.
        self.settings: Settings
        self.profile_name = ""
        self.profile: Profile
        self.prefill: Overrides
        self.audit_path: Path
        self.path: Path
        self.writable = False

    def adopt(self, boot: Boot, locked: bool) -> None:
        self.settings, self.profile_name, self.profile = boot.settings, boot.profile_name, boot.profile
        self.prefill, self.audit_path, self.path = boot.prefill, boot.audit_path, boot.config_path
        # A locked console has no config of its own to keep: it never writes one (run by hand, the file it would
        # overwrite is the user's).
        self.writable = not boot.config_problem and not locked

    def secrets(self) -> list[str]:
        """The secrets held: the sign-in form's prefill and every profile's remembered ones."""
        found: list[str] = []
        prefill = getattr(self, "prefill", None)
        if prefill is not None:
            found += [prefill.ssid or "", prefill.token or ""]
        settings = getattr(self, "settings", None)
        if settings is not None:
            for profile in settings.profiles.values():
                found += [profile.ssid, profile.token]
        return found

    def signed_in(self, session: Session, remember: bool) -> None:
        """`session` is open: its profile is the one in force (not the demo's, which is the simulator's: a sign-in
        after it starts from the user's own), its credentials the prefill should the server refuse them later
        (kept in memory only), and they are remembered, or forgotten, as the sign-in asked."""
        from queuetui.api.credentials import SessionAuth
        from queuetui.core.config.settings import Overrides

        if not session.is_demo:
            self.profile_name, self.profile = session.name, session.profile
        credentials = session.credentials
        if isinstance(credentials, SessionAuth):
            self.prefill = Overrides(profile=session.name, ssid=credentials.ssid.get_secret_value())
        else:
            self.prefill = Overrides(
                profile=session.name, user_id=credentials.user_id, token=credentials.token.get_secret_value()
            )
        if session.is_demo:
            return
        from queuetui.core.config.preferences import secret_remembered

        self._remember(secret_remembered(session.profile, credentials, remember))

    def share_presence(self, session: Session) -> None:
        """Before `session` is shown: the presence store it publishes to (its profile's, else the file's) and the
        name the other consoles see. The demo's session has its own store, or none."""
        if session.is_demo:
            return
        from queuetui.core.presence.setting import chosen_url

        url = chosen_url(self.settings.presence, session.profile.presence)
        session.share_presence(url, self.settings.display_name)

    def signed_out(self) -> None:
        """The secrets go; the profile and the user id stay for the next sign-in."""
        from queuetui.core.config.settings import Overrides

        self.prefill = Overrides(profile=self.profile_name, user_id=self.prefill.user_id)

    def snooper_used(self, number: str, *, demo: bool) -> None:
        from queuetui.core.config.preferences import snooper_remembered

        self._remember(snooper_remembered(self.profile, number, demo=demo))

    def triage_chosen(self, sort: str, only_marked: bool, *, demo: bool) -> None:
        from queuetui.core.config.preferences import triage_remembered

        self._remember(triage_remembered(self.profile, sort, only_marked, demo=demo))

    def theme_chosen(self, theme: str) -> None:
        from queuetui.core.config.preferences import theme_remembered

        remembered = theme_remembered(self.settings, self.profile_name, self.profile, theme)
        if remembered is not None:
            self.settings, self.profile = remembered
            self._save()

    def _remember(self, profile: Profile | None) -> None:
        """Keep `profile` (None: nothing to keep) in memory too: the next sign-in screen and save start from it."""
        if profile is None:
            return
        from queuetui.core.config.preferences import stored

        self.profile = profile
        self.settings = stored(self.settings, self.profile_name, profile)
        self._save()

    def _save(self) -> None:
        if self.writable:
            self._app.run_worker(
                self._write, name="save", group="config", thread=True, exclusive=True, exit_on_error=False
            )

    def _write(self) -> None:
        from queuetui.core.config.settings import ConfigError, save_config

        try:
            # One save at a time, each writing the settings as they are when it runs: a cancelled worker keeps
            # running, and without the lock an older save could land last.
            with self._save_lock:
                save_config(self.path, self.settings)
        except (ConfigError, OSError) as problem:
            self._app.call_from_thread(self._report, "error", f"Could not save the config: {problem}")
