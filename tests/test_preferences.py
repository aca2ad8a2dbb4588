"""The theme last chosen is remembered where it is read back, through the core's preferences like the snooper
number and the secrets."""

from __future__ import annotations

from queuetui.core.config.preferences import theme_remembered
from queuetui.core.config.settings import Profile, Settings


def test_a_theme_is_kept_as_the_files_when_the_profile_has_none_of_its_own():
    settings = Settings(theme="queuetui-dark", profiles={"floor": Profile()})
    profile = Profile(base_url="https://one-off.example/api/v2")
    remembered = theme_remembered(settings, "floor", profile, "queuetui-light")
    assert remembered is not None
    kept, in_memory = remembered
    assert kept.theme == "queuetui-light"
    assert kept.profiles == settings.profiles
    assert in_memory == profile


def test_a_profiles_own_theme_is_replaced_in_the_profile_and_the_file_keeps_its_own():
    settings = Settings(theme="queuetui-dark", profiles={"floor": Profile(theme="nord")})
    profile = Profile(theme="nord", base_url="https://one-off.example/api/v2")
    remembered = theme_remembered(settings, "floor", profile, "gruvbox")
    assert remembered is not None
    kept, in_memory = remembered
    assert (kept.theme, kept.profiles["floor"].theme) == ("queuetui-dark", "gruvbox")
    # The one-off base URL is not a setting: the file keeps its own.
    assert kept.profiles["floor"].base_url == Profile().base_url
    assert (in_memory.theme, in_memory.base_url) == ("gruvbox", profile.base_url)


def test_nothing_to_remember_when_the_theme_is_the_one_kept():
    assert theme_remembered(Settings(theme="nord"), "default", Profile(), "nord") is None
    settings = Settings(profiles={"floor": Profile(theme="nord")})
    assert theme_remembered(settings, "floor", Profile(theme="nord"), "nord") is None
