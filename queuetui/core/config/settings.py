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
from dataclasses import dataclass, field, fields, is_dataclass
from enum import Enum
from pathlib import Path
from typing import Literal, cast

from queuetui.api.credentials import SessionAuth, TokenAuth, parse_credentials
from queuetui.api.modes import SnoopType
from queuetui.api.text import printable
from queuetui.core.audit.log import DEFAULT_MAX_BYTES
from queuetui.core.config.environment import DEMO_PROFILE
from queuetui.core.config.environment import Environment as Environment
from queuetui.core.config.table_reader import Location, TableReader
from queuetui.core.config.tomlfile import read_toml
from queuetui.core.floor.alerts import AlertsConfig
from queuetui.core.floor.config import BOOKKEEPING, LiveCallsConfig
from queuetui.core.floor.feeds_config import AgentsConfig, FloorStatsConfig
from queuetui.core.floor.triage import SORTS
from queuetui.core.presence.setting import checked_url

AuthKind = Literal["session", "token"]
_FLOOR_TABLES = ("live_calls", "floor_stats", "agents", "alerts")  # written only for what differs from defaults
_WRITTEN_WHEN_SET = ("floor_sort", "floor_only_marked", "follow_spies")  # remembered choices: a default is not written
_MODES = ", ".join(mode.value for mode in SnoopType)


def _some_modes(names: list[str]) -> list[str]:
    if not names:
        raise ValueError(f"must list at least one of {_MODES}")
    wrong = [name for name in names if name not in {mode.value for mode in SnoopType}]
    if wrong:
        raise ValueError(f"{printable(wrong[0], 40)!r} is not a mode (use {_MODES})")
    return list(dict.fromkeys(names))


def _environment(table: TableReader, default: Environment) -> Environment:
    if table.text("environment", default.value) == Environment.DEMO.value:
        table.problem(
            "environment",
            "demo is the built-in simulator's alone (queuetui --demo), shown only while requests go there; "
            "for a simulator run for a room, say training",
        )
        return default
    claimable = [env.value for env in Environment if env is not Environment.DEMO]
    return Environment(table.choice("environment", default.value, claimable))


def _not_empty(text: str) -> str:
    if not text:
        raise ValueError("must not be empty")
    return text


@dataclass
class Profile:
    base_url: str = "https://v4-api.deepcall.com/api/v2"
    environment: Environment = Environment.PRODUCTION
    auth: AuthKind = "session"
    user_id: str = ""
    snooper_number: str = ""
    target_type: str = "agent"
    allowed_modes: list[SnoopType] = field(default_factory=lambda: list(SnoopType))
    confirm_barge: bool = True
    ca_bundle: str = ""
    allow_insecure_http: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    # How long after the yes to a barge the live list may take to confirm its call and agent: never sent later.
    barge_check_s: float = 3.0
    # The audit trail: rotated once it reaches this size (0: never), and copied to the local syslog when asked.
    audit_max_bytes: int = DEFAULT_MAX_BYTES
    syslog: bool = False
    syslog_socket: str = "/dev/log"
    theme: str = ""
    remember_secret: bool = False
    ssid: str = ""
    token: str = ""
    live_calls: LiveCallsConfig = field(default_factory=LiveCallsConfig)
    floor_stats: FloorStatsConfig = field(default_factory=FloorStatsConfig)
    agents: AgentsConfig = field(default_factory=AgentsConfig)
    alerts: AlertsConfig = field(default_factory=AlertsConfig)
    # The live list's order and whether it shows only the calls past a level, as the supervisor last left them.
    floor_sort: str = "arrival"
    floor_only_marked: bool = False
    # Following an agent spies on their next call by itself (spy only; recorded as a follow). Off unless set.
    follow_spies: bool = False
    presence: str = ""  # this profile's presence store, over the file's top-level one
    unknown: dict[str, object] = field(default_factory=dict)  # keys this version does not know: kept, reported

    @classmethod
    def read(cls, table: TableReader) -> Profile:
        default = cls()
        default_modes = [mode.value for mode in default.allowed_modes]
        modes = table.texts("allowed_modes", default_modes)
        return cls(
            base_url=table.text("base_url", default.base_url),
            environment=_environment(table, default.environment),
            auth=cast(AuthKind, table.choice("auth", default.auth, ("session", "token"))),
            user_id=table.text("user_id", default.user_id),
            snooper_number=table.text("snooper_number", default.snooper_number),
            target_type=table.text("target_type", default.target_type),
            allowed_modes=[
                SnoopType(name) for name in table.checked("allowed_modes", modes, _some_modes, default_modes)
            ],
            confirm_barge=table.flag("confirm_barge", default.confirm_barge),
            ca_bundle=table.text("ca_bundle", default.ca_bundle),
            allow_insecure_http=table.flag("allow_insecure_http", default.allow_insecure_http),
            connect_timeout=table.number("connect_timeout", default.connect_timeout, above=0, at_most=120),
            read_timeout=table.number("read_timeout", default.read_timeout, above=0, at_most=600),
            barge_check_s=table.number("barge_check_s", default.barge_check_s, above=0, at_most=30),
            audit_max_bytes=table.whole_number("audit_max_bytes", default.audit_max_bytes, at_least=0),
            syslog=table.flag("syslog", default.syslog),
            syslog_socket=table.text("syslog_socket", default.syslog_socket, _not_empty),
            theme=table.text("theme", default.theme),
            remember_secret=table.flag("remember_secret", default.remember_secret),
            ssid=table.text("ssid", default.ssid),
            token=table.text("token", default.token),
            live_calls=LiveCallsConfig.read(table.table("live_calls")),
            floor_stats=FloorStatsConfig.read(table.table("floor_stats")),
            agents=AgentsConfig.read(table.table("agents")),
            alerts=AlertsConfig.read(table.table("alerts")),
            floor_sort=table.choice("floor_sort", default.floor_sort, SORTS),
            floor_only_marked=table.flag("floor_only_marked", default.floor_only_marked),
            follow_spies=table.flag("follow_spies", default.follow_spies),
            presence=table.text("presence", default.presence, checked_url),
            unknown=table.extra(),
        )

    def written(self) -> dict[str, object]:
        """The profile as the file holds it: secrets only when remembered, empty text left out, the live list's
        table only for what differs from its defaults."""
        data: dict[str, object] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name in ("unknown", *_FLOOR_TABLES) or value == "":
                continue
            if item.name in _WRITTEN_WHEN_SET and value == getattr(Profile, item.name):
                continue
            if item.name in ("ssid", "token") and not self.remember_secret:
                continue
            data[item.name] = in_effect(value)
        for name in _FLOOR_TABLES:
            table = getattr(self, name).written()
            if table:
                data[name] = table
        return {**data, **self.unknown}


@dataclass
class Settings:
    default_profile: str = ""
    theme: str = "queuetui-dark"
    profiles: dict[str, Profile] = field(default_factory=dict)
    # Binding id -> keys ("f2,ctrl+o"); the console checks the ids and clashes, since only it knows them.
    keymap: dict[str, str] = field(default_factory=dict)
    # Where the floor's consoles say who is on which call ("sqlite:///…" or "postgresql://…"; "": no presence),
    # and the name the others see for this supervisor (else the OS user's name).
    presence: str = ""
    display_name: str = ""
    # The console at the far end of a slow link (an SSH hop, a jump host): clocks in minutes, nothing that blinks,
    # spins or moves without news, so it writes as few bytes as it can (`--slow-link` turns it on for one run).
    slow_link: bool = False
    unknown: dict[str, object] = field(default_factory=dict)  # keys this version does not know: kept, reported

    @classmethod
    def read(cls, table: TableReader) -> Settings:
        """The settings from a parsed file's top table; `table` collects the problems and notes."""
        default = cls()
        profiles = table.table("profiles")
        for name in profiles.data:
            if str(name).strip().lower() == DEMO_PROFILE:
                profiles.problem(
                    str(name),
                    f"{DEMO_PROFILE} is the built-in simulator's name (queuetui --demo), which its records in the "
                    "audit trail carry; call this profile something else, such as training",
                )
        settings = cls(
            default_profile=table.text("default_profile", default.default_profile),
            theme=table.text("theme", default.theme),
            profiles={str(name): Profile.read(profiles.table(str(name))) for name in profiles.data},
            keymap=table.texts_by_name("keymap"),
            presence=table.text("presence", default.presence, checked_url),
            display_name=table.text("display_name", default.display_name),
            slow_link=table.flag("slow_link", default.slow_link),
            unknown=table.extra(),
        )
        return settings


def in_effect(value: object) -> object:
    """Settings (or a part) as TOML can write them whole: every field, defaults included, enums by their value,
    nested tables as tables and the unknown keys as they were read."""
    if is_dataclass(value) and not isinstance(value, type):
        data = {
            item.name: in_effect(getattr(value, item.name)) for item in fields(value) if item.name not in BOOKKEEPING
        }
        return {**data, **getattr(value, "unknown", {})}
    if isinstance(value, dict):
        return {key: in_effect(item) for key, item in value.items()}
    if isinstance(value, list):
        return [in_effect(item) for item in value]
    return value.value if isinstance(value, Enum) else value


class ConfigError(Exception):
    """The config file cannot be used; the message names the file, the line and the key where known."""


@dataclass
class LoadedConfig:
    settings: Settings
    path: Path
    warnings: list[str] = field(default_factory=list)


def _line_of(text: str, location: Location) -> int | None:
    """The line of a key in the TOML text, found by its table header and key name (best effort)."""
    if not location:
        return None
    key = location[-1]
    table = ".".join(location[:-1])
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
    found = [f"unknown key {name!r}" for name in settings.unknown]
    for name, profile in settings.profiles.items():
        found += [f"unknown key 'profiles.{name}.{key}'" for key in profile.unknown]
        for feed in ("live_calls", "floor_stats", "agents"):
            found += [f"unknown key {key!r}" for key in getattr(profile, feed).unknown_keys(f"profiles.{name}.{feed}")]
        found += [f"unknown key 'profiles.{name}.alerts.{key}'" for key in profile.alerts.unknown]
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
    table = TableReader(data)
    settings = Settings.read(table)
    if table.problems:
        raise ConfigError(f"{path}: " + "; ".join(_by_line(text, table.problems)))
    warnings = [f"{path}: {note}" for note in _by_line(text, table.notes)]
    warnings += [f"{path}: {w} (kept, not used)" for w in _unknown_keys(settings)]
    return LoadedConfig(settings, path, warnings)


def _by_line(text: str, found: list[tuple[Location, str]]) -> list[str]:
    """Each problem (or note) with its line and key, in the order of the file."""
    placed = []
    for location, message in found:
        key = printable(".".join(location), 120)  # names come from the file too
        line = _line_of(text, location)
        placed.append((line or len(text), f"{'line ' + str(line) + ', ' if line else ''}{key}: {printable(message)}"))
    return [said for _, said in sorted(placed, key=lambda item: item[0])]


def settings_data(settings: Settings) -> dict[str, object]:
    """The settings as the file holds them (see `Profile.written`)."""
    data: dict[str, object] = {
        "default_profile": settings.default_profile,
        "theme": settings.theme,
        "profiles": {name: profile.written() for name, profile in settings.profiles.items()},
    }
    if settings.keymap:  # no empty table in a file the user has never remapped a key in
        data["keymap"] = dict(settings.keymap)
    data.update({name: value for name in ("presence", "display_name") if (value := getattr(settings, name))})
    if settings.slow_link:
        data["slow_link"] = True
    return {**data, **settings.unknown}


def to_toml(settings: Settings) -> str:
    """The file's text: secrets only for profiles that remember them, empty values left out."""
    import tomli_w  # only a front end that writes the file needs it

    return tomli_w.dumps(settings_data(settings))


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
