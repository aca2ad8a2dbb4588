"""What the config file remembers of a supervisor's work, the same for every front end: the snooper number after
each successful action, a sign-in's secrets when it was asked to remember them (forgotten when it was not), the
theme last chosen, and the live list's order and filter.

Each rule answers with the profile to store, or None when the file has nothing to learn; `stored` puts that
profile into the settings the way the file keeps it. The console saves on a worker; `queuetui barge` saves at
once (`save_snooper`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from queuetui.api.credentials import SessionAuth
from queuetui.core.config.settings import save_config

if TYPE_CHECKING:
    from pathlib import Path

    from queuetui.api.credentials import TokenAuth
    from queuetui.core.config.settings import Profile, Settings


def snooper_remembered(profile: Profile, number: str, *, demo: bool) -> Profile | None:
    """`profile` with `number`, the snooper of an action that succeeded, as its own; None when it is already, or
    when the session is the demo's, whose profile is the simulator's and not the supervisor's."""
    if demo or not number or number == profile.snooper_number:
        return None
    return replace(profile, snooper_number=number)


def secret_remembered(profile: Profile, credentials: SessionAuth | TokenAuth, remember: bool) -> Profile | None:
    """`profile` after a sign-in with `credentials`: keeping them when it was asked to `remember`, else forgetting
    any it kept (`queuetui barge` used them too); None when it kept none and was not asked to."""
    if remember:
        if isinstance(credentials, SessionAuth):
            return replace(profile, remember_secret=True, ssid=credentials.ssid.get_secret_value())
        return replace(
            profile, remember_secret=True, user_id=credentials.user_id, token=credentials.token.get_secret_value()
        )
    if profile.remember_secret:
        return replace(profile, remember_secret=False, ssid="", token="")
    return None


def triage_remembered(profile: Profile, sort: str, only_marked: bool, *, demo: bool) -> Profile | None:
    """`profile` with the live list's order and filter as the supervisor left them; None when it has them already,
    and for the demo's session, whose profile is the simulator's."""
    if demo or (profile.floor_sort, profile.floor_only_marked) == (sort, only_marked):
        return None
    return replace(profile, floor_sort=sort, floor_only_marked=only_marked)


def theme_remembered(settings: Settings, name: str, profile: Profile, theme: str) -> tuple[Settings, Profile] | None:
    """The settings to save and the profile to keep in memory once `theme` is chosen while profile `name` (held as
    `profile`) is in use; None when the file has it already. Saved where it is read back: in the profile when it
    has a theme of its own (which wins over the file's), else as the file's."""
    kept = settings.profiles.get(name)
    if kept is not None and kept.theme:
        if theme == kept.theme:
            return None
        return stored(settings, name, replace(kept, theme=theme)), replace(profile, theme=theme)
    if theme == settings.theme:
        return None
    return replace(settings, theme=theme), profile


def stored(settings: Settings, name: str, profile: Profile) -> Settings:
    """`settings` with `profile` as profile `name`. The file's own base URL stays: a one-off override (at sign-in,
    or `--base-url`) is not a setting."""
    kept = settings.profiles.get(name)
    if kept is not None:
        profile = replace(profile, base_url=kept.base_url)
    return replace(settings, profiles={**settings.profiles, name: profile})


def save_snooper(path: Path, settings: Settings, name: str, profile: Profile, number: str, *, demo: bool) -> None:
    """Remember `number` in the file at `path` now, when `snooper_remembered` says there is something to remember.
    Raises ConfigError (the file does not load, so it is left alone) or OSError."""
    remembered = snooper_remembered(profile, number, demo=demo)
    if remembered is not None:
        save_config(path, stored(settings, name, remembered))
