"""Profiles and preferences: read with tomllib, written atomically with tomli-w, mode 0600.

Precedence, highest first: command-line flags, environment variables (QUEUETUI_PROFILE, QUEUETUI_SSID,
QUEUETUI_USER_ID, QUEUETUI_TOKEN, QUEUETUI_CONFIG), the config file, built-in defaults. Secrets are written
only for a profile whose `remember_secret` is true. Keys we do not know are reported and kept, never
silently dropped. A file that does not parse is reported with its line and never overwritten.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from queuetui.api.models import SessionAuth, SnoopType, TokenAuth, parse_credentials
from queuetui.api.text import printable
from queuetui.core.audit import DEFAULT_MAX_BYTES
from queuetui.core.environment import Environment as Environment
from queuetui.core.live_calls_config import LiveCallsConfig
from queuetui.core.tomlfile import read_toml


class Profile(BaseModel):
    model_config = ConfigDict(extra="allow", validate_assignment=True)

    base_url: str = "https://v4-api.deepcall.com/api/v2"
    environment: Environment = Environment.PRODUCTION
    auth: Literal["session", "token"] = "session"
    user_id: str = ""
    snooper_number: str = ""
    target_type: str = "agent"
    allowed_modes: list[SnoopType] = Field(default_factory=lambda: list(SnoopType))
    confirm_barge: bool = True
    ca_bundle: str = ""
    allow_insecure_http: bool = False
    connect_timeout: float = Field(default=5.0, gt=0, le=120)
    read_timeout: float = Field(default=15.0, gt=0, le=600)
    # The audit trail: rotated once it reaches this size (0: never), and copied to the local syslog when asked.
    audit_max_bytes: int = Field(default=DEFAULT_MAX_BYTES, ge=0)
    syslog: bool = False
    syslog_socket: str = Field(default="/dev/log", min_length=1)
    theme: str = ""
    remember_secret: bool = False
    ssid: str = ""
    token: str = ""
    live_calls: LiveCallsConfig = Field(default_factory=LiveCallsConfig)

    @field_validator("allowed_modes")
    @classmethod
    def _some_mode(cls, modes: list[SnoopType]) -> list[SnoopType]:
        if not modes:
            raise ValueError("must list at least one of spy, whisper, barge")
        return list(dict.fromkeys(modes))


class Settings(BaseModel):
    model_config = ConfigDict(extra="allow", validate_assignment=True)

    default_profile: str = ""
    theme: str = "queuetui-dark"
    profiles: dict[str, Profile] = Field(default_factory=dict)
    # Binding id -> keys ("f2,ctrl+o"); the console checks the ids and clashes, since only it knows them.
    keymap: dict[str, str] = Field(default_factory=dict)


class ConfigError(Exception):
    """The config file cannot be used; the message names the file, the line and the key where known."""


@dataclass
class LoadedConfig:
    settings: Settings
    path: Path
    warnings: list[str] = field(default_factory=list)


def _line_of(text: str, location: tuple[Any, ...]) -> int | None:
    """The line of a key in the TOML text, found by its table header and key name (best effort)."""
    keys = [str(part) for part in location if isinstance(part, str)]
    if not keys:
        return None
    key = keys[-1]
    table = ".".join(keys[:-1])
    in_table = table == ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"\s*\[([^\]]+)\]", line)
        if header:
            in_table = header.group(1).strip().replace('"', "") == table
            continue
        if in_table and re.match(rf"\s*\"?{re.escape(key)}\"?\s*=", line):
            return number
    return None


def _unknown_keys(settings: Settings) -> list[str]:
    found = [f"unknown key {name!r}" for name in (settings.model_extra or {})]
    for name, profile in settings.profiles.items():
        found += [f"unknown key 'profiles.{name}.{key}'" for key in (profile.model_extra or {})]
        live = profile.live_calls
        found += [f"unknown key 'profiles.{name}.live_calls.{key}'" for key in (live.model_extra or {})]
        found += [f"unknown key 'profiles.{name}.live_calls.fields.{key}'" for key in (live.fields.model_extra or {})]
    return found


def load_config(path: Path, named: bool = False) -> LoadedConfig:
    """Read the file (missing is fine: defaults, with a warning when the user `named` this path).
    Raise ConfigError naming line and key when it is wrong."""
    if not path.exists():
        missing = [f"{printable(str(path))}: no such file; using the defaults"] if named else []
        return LoadedConfig(Settings(), path, missing)
    try:
        text, data = read_toml(path)
    except ValueError as error:
        raise ConfigError(str(error)) from None
    try:
        settings = Settings.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors(include_url=False, include_input=False):
            key = printable(".".join(str(part) for part in item["loc"]), 120)  # names come from the file too
            line = _line_of(text, item["loc"])
            where = f"line {line}, " if line else ""
            problems.append(f"{where}{key}: {printable(str(item['msg']))}")
        raise ConfigError(f"{path}: " + "; ".join(problems)) from None
    warnings = [f"{path}: {w} (kept, not used)" for w in _unknown_keys(settings)]
    return LoadedConfig(settings, path, warnings)


def to_toml(settings: Settings) -> str:
    """The file's text: secrets only for profiles that remember them, empty values left out."""
    data = settings.model_dump(mode="json", exclude_defaults=False)
    # Unknown keys go back exactly as read: JSON mode would turn TOML dates and times into strings.
    data.update(settings.model_extra or {})
    if not data.get("keymap"):
        data.pop("keymap", None)  # no empty table in a file the user has never remapped a key in
    for name, profile in data.get("profiles", {}).items():
        if not profile.get("remember_secret"):
            profile.pop("ssid", None)
            profile.pop("token", None)
        for key in [k for k, v in profile.items() if v == "" and k in Profile.model_fields]:
            del profile[key]
        profile.update(settings.profiles[name].model_extra or {})
        # Only what the file set: defaults written out would freeze today's assumed mapping into the file.
        live = settings.profiles[name].live_calls
        if "live_calls" in settings.profiles[name].model_fields_set:
            profile["live_calls"] = live.model_dump(mode="json", exclude_unset=True)
        else:
            profile.pop("live_calls", None)
    return tomli_w.dumps(data)


def save_config(path: Path, settings: Settings) -> None:
    """Write atomically (temp file, fsync, rename) with mode 0600. A file that exists but does not load is
    left untouched: the user's hand edits are worth more than our write."""
    if path.exists():
        load_config(path)  # raises ConfigError for a corrupt file
    # A symlinked config (dotfiles kept in a repository) stays a link: write where it points.
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = to_toml(settings)
    fd, temp_name = tempfile.mkstemp(prefix=".config-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


@dataclass(frozen=True)
class Overrides:
    """Values from flags and environment that beat the file."""

    profile: str | None = None
    base_url: str | None = None
    ssid: str | None = None
    user_id: str | None = None
    token: str | None = None

    @classmethod
    def from_env(cls, **flags: str | None) -> Overrides:
        # An empty flag counts as not given, like an empty variable. Credentials come as one set: from the
        # flags when any credential flag is given, else from the environment, so the two never mix.
        names = {"ssid": "QUEUETUI_SSID", "user_id": "QUEUETUI_USER_ID", "token": "QUEUETUI_TOKEN"}
        from_flags = any(flags.get(name) for name in names)
        secret = {
            name: (flags.get(name) if from_flags else os.environ.get(variable)) or None
            for name, variable in names.items()
        }
        return cls(
            profile=flags.get("profile") or os.environ.get("QUEUETUI_PROFILE") or None,
            base_url=flags.get("base_url"),
            **secret,
        )

    def credentials(self, profile: Profile) -> SessionAuth | TokenAuth:
        """Credentials from flags or environment when any is given, else those the profile remembers.
        Raises FieldErrors when they are missing, incomplete or both kinds at once."""
        if self.ssid or self.user_id or self.token:
            user_id = self.user_id or (profile.user_id if self.token else None)
            return parse_credentials(ssid=self.ssid, user_id=user_id, token=self.token)
        if profile.auth == "session":
            return parse_credentials(ssid=profile.ssid)
        return parse_credentials(user_id=profile.user_id, token=profile.token)


def select_profile(settings: Settings, name: str | None) -> tuple[str, Profile]:
    """The named profile, else the file's default, else the only one, else built-in defaults."""
    wanted = name or settings.default_profile
    if wanted:
        if wanted not in settings.profiles:
            known = ", ".join(sorted(settings.profiles)) or "none"
            raise ConfigError(f"no profile named {wanted!r} (profiles: {known})")
        return wanted, settings.profiles[wanted]
    if len(settings.profiles) == 1:
        return next(iter(settings.profiles.items()))
    return "default", Profile()
