"""Where queuetui keeps its files on the user's machine (XDG base directories)."""

from __future__ import annotations

import os
from pathlib import Path


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable, "").strip()
    # The XDG spec says relative values are invalid and must be ignored.
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / fallback


def config_dir() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config") / "queuetui"


def state_dir() -> Path:
    return _xdg("XDG_STATE_HOME", ".local/state") / "queuetui"


def chosen_config_file(override: str | None = None) -> str:
    """The config path the user named (flag, else QUEUETUI_CONFIG), or "" when none was named."""
    return override or os.environ.get("QUEUETUI_CONFIG", "").strip()


def config_file(override: str | None = None) -> Path:
    """The config file: the flag's path, else QUEUETUI_CONFIG, else the XDG default."""
    chosen = chosen_config_file(override)
    return Path(chosen).expanduser() if chosen else config_dir() / "config.toml"


def user_themes_dir() -> Path:
    return config_dir() / "themes"


def audit_file() -> Path:
    return state_dir() / "audit.jsonl"
