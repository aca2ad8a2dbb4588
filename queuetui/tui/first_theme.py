"""The default theme for the first frame, read straight from its shipped file without checking it.

The full, validated theme set loads with the rest of the app a moment later (see `boot`) and replaces it;
the test suite validates this same file, so reading it unchecked here only saves start-up time.
"""

from __future__ import annotations

from pathlib import Path

from textual.theme import Theme

from queuetui.core.config.tomlfile import read_toml

DEFAULT_THEME = "queuetui-dark"

# The variables queuetui's CSS uses beyond Textual's. Textual's own themes know nothing of them, so the app
# supplies these through `App.get_theme_variable_defaults`; ANSI names render on any terminal and theme.
APP_VARIABLE_DEFAULTS: dict[str, str] = {
    "env-production": "ansi_bright_red",
    "env-staging": "ansi_bright_yellow",
    "env-demo": "ansi_bright_cyan",
    "mode-barge": "ansi_bright_red",
}


def builtin_themes_dir() -> Path:
    """`queuetui/themes` in an installed wheel; the repository's `themes/` in a source checkout."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "themes"
    checkout = package.parent / "themes"
    # The pyproject check keeps a stray `themes` folder in site-packages from being taken for ours.
    if not installed.is_dir() and (package.parent / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    return installed


def first_theme() -> Theme | None:
    """The shipped default theme, or None (the app then starts on Textual's) if the file is unusable."""
    try:
        _, data = read_toml(builtin_themes_dir() / f"{DEFAULT_THEME}.toml")
        options = {key: data[key] for key in ("dark", "ansi", "luminosity_spread", "text_alpha") if key in data}
        return Theme(name=DEFAULT_THEME, **data["colors"], **options, variables=data.get("variables", {}))
    except (ValueError, KeyError, TypeError):
        return None
