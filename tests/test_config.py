"""The config file: written atomically and privately, secrets only on request, unknown keys kept, corrupt
files reported by line and key and never overwritten, and flags > environment > file > defaults."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from run_cli import run_queuetui

from queuetui.api.credentials import SessionAuth, TokenAuth
from queuetui.api.modes import SnoopType
from queuetui.core.config import paths
from queuetui.core.config.settings import (
    ConfigError,
    Environment,
    Overrides,
    Profile,
    Settings,
    load_config,
    save_config,
    select_profile,
    to_toml,
)

FILE_SSID = "file-ssid-0123456789abcd"
ENV_SSID = "env-ssid-0123456789wxyz"
FLAG_SSID = "flag-ssid-0123456789qrst"
TOKEN = "tok-5f4e3d2c1b0a9988"


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    return tmp_path / "conf" / "config.toml"


def sample_settings() -> Settings:
    return Settings(
        default_profile="floor",
        theme="queuetui-contrast",
        profiles={
            "floor": Profile(
                base_url="https://pbx.example.com/api/v2",
                environment=Environment.STAGING,
                snooper_number="9876543210",
                allowed_modes=[SnoopType.SPY, SnoopType.WHISPER],
                confirm_barge=False,
                read_timeout=30.0,
                remember_secret=True,
                ssid=FILE_SSID,
            ),
            "training": Profile(auth="token", user_id="42", environment=Environment.TRAINING, token=TOKEN),
        },
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults(config_path: Path):
    loaded = load_config(config_path)
    assert loaded.settings == Settings()
    assert loaded.warnings == []
    assert not config_path.exists()


def test_round_trip_keeps_everything_but_unremembered_secrets(config_path: Path):
    settings = sample_settings()
    save_config(config_path, settings)
    loaded = load_config(config_path)
    assert loaded.warnings == []
    assert loaded.settings.profiles["floor"] == settings.profiles["floor"]
    assert loaded.settings.profiles["training"] == replace(settings.profiles["training"], token="")
    assert replace(loaded.settings, profiles={}) == replace(settings, profiles={})


def test_the_slow_link_setting_is_read_and_written_only_when_on(config_path: Path):
    assert load_config(write(config_path, "slow_link = true\n")).settings.slow_link
    save_config(config_path, Settings())
    assert "slow_link" not in config_path.read_text()
    save_config(config_path, Settings(slow_link=True))
    assert load_config(config_path).settings.slow_link


def test_secrets_are_written_only_when_remembered(config_path: Path):
    save_config(config_path, sample_settings())
    text = config_path.read_text(encoding="utf-8")
    assert FILE_SSID in text
    assert TOKEN not in text
    forgetful = sample_settings()
    forgetful.profiles["floor"].remember_secret = False
    save_config(config_path, forgetful)
    assert FILE_SSID not in config_path.read_text(encoding="utf-8")


def test_file_and_new_folder_are_private(config_path: Path):
    old_umask = os.umask(0)  # even a permissive umask must not widen them
    try:
        save_config(config_path, sample_settings())
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(config_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(config_path.parent.stat().st_mode) == 0o700


def test_save_replaces_the_file_in_one_step_and_leaves_no_temp_files(config_path: Path):
    save_config(config_path, Settings())
    before = config_path.stat().st_ino
    holder = config_path.open("rb")  # keeps the old inode alive, so its number cannot be reused
    try:
        save_config(config_path, sample_settings())
        assert config_path.stat().st_ino != before
        assert holder.read() == b'default_profile = ""\ntheme = "queuetui-dark"\n\n[profiles]\n'
    finally:
        holder.close()
    assert [p.name for p in config_path.parent.iterdir()] == ["config.toml"]


def test_a_symlinked_config_stays_a_link(config_path: Path, tmp_path: Path):
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "queuetui.toml"
    save_config(target, Settings())
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.symlink_to(target)
    save_config(config_path, sample_settings())
    assert config_path.is_symlink()
    assert target.read_text() == to_toml(sample_settings())


def test_failed_write_leaves_the_old_file_intact(config_path: Path, monkeypatch: pytest.MonkeyPatch):
    save_config(config_path, sample_settings())
    original = config_path.read_bytes()

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space left"):
        save_config(config_path, Settings(theme="queuetui-light"))
    assert config_path.read_bytes() == original
    assert [p.name for p in config_path.parent.iterdir()] == ["config.toml"]


def test_unknown_keys_are_reported_and_kept_on_save(config_path: Path):
    write(
        config_path,
        'colour_scheme = "sepia"\n\n[shortcuts]\nsend = "ctrl+s"\n\n'
        '[profiles.floor]\nbase_url = "https://pbx.example.com/api/v2"\nnickname = "day shift"\nnote = ""\n'
        "reviewed = 2024-05-01T09:30:00Z\n",
    )
    loaded = load_config(config_path)
    assert any("'colour_scheme'" in warning for warning in loaded.warnings)
    assert any("'shortcuts'" in warning for warning in loaded.warnings)
    assert any("'profiles.floor.nickname'" in warning for warning in loaded.warnings)
    assert all(str(config_path) in warning for warning in loaded.warnings)
    save_config(config_path, replace(loaded.settings, theme="queuetui-ansi"))
    again = load_config(config_path)
    assert again.settings.theme == "queuetui-ansi"
    assert again.settings.unknown == {"colour_scheme": "sepia", "shortcuts": {"send": "ctrl+s"}}
    assert again.settings.profiles["floor"].unknown == {
        "nickname": "day shift",
        "note": "",
        "reviewed": datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc),
    }


def test_toml_syntax_error_names_the_line(config_path: Path):
    write(config_path, '[profiles.floor]\nbase_url = "https://pbx.example.com"\nread_timeout = = 3\n')
    with pytest.raises(ConfigError) as caught:
        load_config(config_path)
    assert str(config_path) in str(caught.value)
    assert "line 3" in str(caught.value)


def test_wrong_value_type_names_the_line_and_key(config_path: Path):
    write(
        config_path,
        '[profiles.floor]\nbase_url = "https://pbx.example.com"\n\n[profiles.night]\nread_timeout = "fast"\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_config(config_path)
    message = str(caught.value)
    assert "line 5" in message
    assert "profiles.night.read_timeout" in message


def test_wrong_top_level_value_names_the_line_and_key(config_path: Path):
    write(config_path, 'theme = "queuetui-dark"\ndefault_profile = 7\n')
    with pytest.raises(ConfigError, match=r"line 2, default_profile"):
        load_config(config_path)


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        (
            '[profiles.floor]\nconfirm_barge = "maybe"\n',
            "line 2, profiles.floor.confirm_barge",
            "must be true or false",
        ),
        ("[profiles.floor]\nread_timeout = true\n", "line 2, profiles.floor.read_timeout", "must be a number"),
        ("[profiles.floor]\nconnect_timeout = 0\n", "line 2, profiles.floor.connect_timeout", "greater than 0"),
        ("[profiles.floor]\nread_timeout = 601\n", "line 2, profiles.floor.read_timeout", "at most 600"),
        ("[profiles.floor]\naudit_max_bytes = 1.5\n", "line 2, profiles.floor.audit_max_bytes", "whole number"),
        ('[profiles.floor]\nallowed_modes = ["spy", "listen"]\n', "profiles.floor.allowed_modes", "'listen' is not"),
        ("[profiles.floor]\nallowed_modes = []\n", "profiles.floor.allowed_modes", "at least one of spy"),
        ('[profiles.floor]\nenvironment = "prod"\n', "profiles.floor.environment", "production, staging, training"),
        ('[profiles.floor]\nsyslog_socket = ""\n', "profiles.floor.syslog_socket", "must not be empty"),
        ('[keymap]\n"console.spy" = 3\n', "line 2, keymap.console.spy", "must be text"),
        ("profiles = 3\n", "profiles", "must be a table"),
    ],
    ids=lambda value: value if len(value) < 12 else None,
)
def test_a_value_of_the_wrong_kind_is_refused_by_line_and_key(config_path: Path, text: str, where: str, fragment: str):
    write(config_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(config_path)
    assert f"{where}: " in str(caught.value)
    assert fragment in str(caught.value)


def test_every_problem_in_the_file_is_named_at_once(config_path: Path):
    write(config_path, '[profiles.floor]\nconfirm_barge = "maybe"\n\n[profiles.night]\nread_timeout = "fast"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(config_path)
    assert "line 2, profiles.floor.confirm_barge" in str(caught.value)
    assert "line 5, profiles.night.read_timeout" in str(caught.value)


def test_values_written_loosely_still_load_as_before_and_each_is_named_with_its_line(config_path: Path):
    # Files written for the pydantic models of earlier releases: a refusal would start on the defaults, and this
    # listen-only profile would allow barge.
    write(
        config_path,
        'default_profile = "floor"\n[profiles.floor]\nallowed_modes = ["spy"]\nconfirm_barge = "yes"\nsyslog = 1\n'
        'connect_timeout = "7.5"\naudit_max_bytes = 5e6\n',
    )
    loaded = load_config(config_path)
    floor = loaded.settings.profiles["floor"]
    assert (floor.allowed_modes, floor.confirm_barge, floor.syslog) == ([SnoopType.SPY], True, True)
    assert (floor.connect_timeout, floor.audit_max_bytes) == (7.5, 5_000_000)
    assert [warning.removeprefix(f"{config_path}: ") for warning in loaded.warnings] == [
        "line 4, profiles.floor.confirm_barge: 'yes' read as true: write true or false",
        "line 5, profiles.floor.syslog: 1 read as true: write true or false",
        "line 6, profiles.floor.connect_timeout: '7.5' read as the number 7.5: write it without quotes",
    ]


def test_secret_values_are_not_echoed_in_errors(config_path: Path):
    write(config_path, f'[profiles.floor]\nssid = "{FILE_SSID}"\nremember_secret = "{FILE_SSID}"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(config_path)
    assert "remember_secret" in str(caught.value)
    assert FILE_SSID not in str(caught.value)


@pytest.mark.parametrize(
    "text",
    ["[profiles.floor\n", '[profiles.floor]\nread_timeout = "fast"\n', "\udcff".encode("utf-8", "surrogateescape")],
    ids=["syntax", "type", "not-utf8"],
)
def test_save_refuses_to_overwrite_a_corrupt_file(config_path: Path, text: str | bytes):
    config_path.parent.mkdir(parents=True)
    if isinstance(text, bytes):
        config_path.write_bytes(text)
    else:
        config_path.write_text(text, encoding="utf-8")
    original = config_path.read_bytes()
    with pytest.raises(ConfigError):
        save_config(config_path, sample_settings())
    assert config_path.read_bytes() == original
    assert [p.name for p in config_path.parent.iterdir()] == ["config.toml"]


def test_config_file_comes_from_flag_then_environment_then_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    assert paths.config_file() == Path(os.environ["XDG_CONFIG_HOME"]) / "queuetui" / "config.toml"
    monkeypatch.setenv("QUEUETUI_CONFIG", str(tmp_path / "env.toml"))
    assert paths.config_file() == tmp_path / "env.toml"
    assert paths.config_file(str(tmp_path / "flag.toml")) == tmp_path / "flag.toml"


def test_profile_comes_from_flag_then_environment_then_file(monkeypatch: pytest.MonkeyPatch):
    settings = sample_settings()
    settings.profiles["night"] = Profile()
    assert select_profile(settings, Overrides.from_env().profile)[0] == "floor"
    monkeypatch.setenv("QUEUETUI_PROFILE", "training")
    assert select_profile(settings, Overrides.from_env().profile)[0] == "training"
    assert select_profile(settings, Overrides.from_env(profile="night").profile)[0] == "night"


def test_profile_defaults_when_the_file_names_none():
    assert select_profile(Settings(), None) == ("default", Profile())
    with pytest.raises(ConfigError, match="no profile named 'ghost'"):
        select_profile(sample_settings(), "ghost")


def test_credentials_come_from_flag_then_environment_then_file(monkeypatch: pytest.MonkeyPatch):
    floor = sample_settings().profiles["floor"]

    def ssid(overrides: Overrides) -> str:
        credentials = overrides.credentials(floor)
        assert isinstance(credentials, SessionAuth)
        return credentials.ssid.get_secret_value()

    assert ssid(Overrides.from_env()) == FILE_SSID
    monkeypatch.setenv("QUEUETUI_SSID", ENV_SSID)
    assert ssid(Overrides.from_env()) == ENV_SSID
    assert ssid(Overrides.from_env(ssid=FLAG_SSID)) == FLAG_SSID


def test_token_from_environment_pairs_with_the_profiles_user_id(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("QUEUETUI_TOKEN", TOKEN)
    credentials = Overrides.from_env().credentials(Profile(auth="token", user_id="42"))
    assert isinstance(credentials, TokenAuth)
    assert (credentials.user_id, credentials.token.get_secret_value()) == ("42", TOKEN)
    monkeypatch.setenv("QUEUETUI_USER_ID", "77")
    assert Overrides.from_env().credentials(Profile(auth="token", user_id="42")).identity.startswith("user 77")


def test_config_path_command_honours_flag_and_environment(tmp_path: Path):
    default = run_queuetui("config", "path")
    assert default.stdout.strip() == str(paths.config_file())
    from_env = run_queuetui("config", "path", env={"QUEUETUI_CONFIG": str(tmp_path / "env.toml")})
    assert from_env.stdout.strip() == str(tmp_path / "env.toml")
    from_flag = run_queuetui(
        "--config", str(tmp_path / "flag.toml"), "config", "path", env={"QUEUETUI_CONFIG": str(tmp_path / "env.toml")}
    )
    assert (from_flag.returncode, from_flag.stdout.strip()) == (0, str(tmp_path / "flag.toml"))


def test_config_show_masks_secrets(config_path: Path):
    settings = sample_settings()
    settings.profiles["training"].remember_secret = True
    save_config(config_path, settings)
    assert TOKEN in config_path.read_text(encoding="utf-8")
    result = run_queuetui("--config", str(config_path), "config", "show")
    assert result.returncode == 0, result.stderr
    assert FILE_SSID not in result.stdout
    assert TOKEN not in result.stdout
    assert f"\u2022\u2022\u2022\u2022{FILE_SSID[-4:]}" in result.stdout
    assert f"\u2022\u2022\u2022\u2022{TOKEN[-4:]}" in result.stdout
    assert 'base_url = "https://pbx.example.com/api/v2"' in result.stdout


def test_config_show_prints_every_setting_in_effect_with_secrets_masked(config_path: Path):
    # An ssid in the file is used even when the profile does not remember secrets: show it, masked.
    write(config_path, f'[profiles.floor]\nssid = "{FILE_SSID}"\n[profiles.floor.live_calls]\nsource = "deepcall"\n')
    result = run_queuetui("--config", str(config_path), "config", "show")
    assert result.returncode == 0, result.stderr
    assert FILE_SSID not in result.stdout
    assert f'ssid = "\u2022\u2022\u2022\u2022{FILE_SSID[-4:]}"' in result.stdout
    assert "remember_secret = false" in result.stdout
    assert 'agent = "/masterAgent"' in result.stdout  # the assumed mapping in force, though the file does not say it


def test_config_show_reports_a_corrupt_file_without_traceback(config_path: Path):
    write(config_path, '[profiles.floor]\nread_timeout = "fast"\n')
    result = run_queuetui("--config", str(config_path), "config", "show")
    assert result.returncode == 2
    assert "line 2" in result.stderr
    assert "read_timeout" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_named_config_file_that_does_not_exist_is_reported(tmp_path: Path):
    missing = tmp_path / "typo.toml"
    assert load_config(missing).warnings == []
    warnings = load_config(missing, named=True).warnings
    assert len(warnings) == 1 and str(missing) in warnings[0] and "no such file" in warnings[0]


def test_credential_flags_replace_the_environment_as_one_set(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("QUEUETUI_USER_ID", "demo")
    monkeypatch.setenv("QUEUETUI_TOKEN", TOKEN)
    overrides = Overrides.from_env(ssid=FLAG_SSID)
    assert (overrides.ssid, overrides.user_id, overrides.token) == (FLAG_SSID, None, None)
    credentials = overrides.credentials(Profile())
    assert isinstance(credentials, SessionAuth)
