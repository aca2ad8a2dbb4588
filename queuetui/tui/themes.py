"""Colour themes: one TOML file per theme, validated, then turned into Textual themes.

The built-in files ship inside the package (`queuetui/themes`, from the repository's `themes/` folder); the
user's own live in `$XDG_CONFIG_HOME/queuetui/themes` and win over a built-in of the same name. A theme's
name is its file name without `.toml`. A file that is wrong is reported with its path and the key at fault
and skipped: a theme is never worth a failed start.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from functools import cache, partial
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.design import ColorSystem
from textual.theme import Theme

from queuetui.api.text import printable
from queuetui.core.config import paths
from queuetui.core.config.table_reader import REQUIRED, TableProblems, TableReader
from queuetui.core.config.tomlfile import read_toml
from queuetui.tui.first_theme import APP_VARIABLE_DEFAULTS, DEFAULT_THEME, builtin_themes_dir

# Textual registers its own themes in every app, so this one exists even when no file of ours loaded.
FALLBACK_THEME = "textual-dark"

# Theme names end up in CSS class names (`-theme-<name>`), so keep them to what a class name allows.
_THEME_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_ALPHA = re.compile(r"\d{1,3}%")
_MAX_FILE_BYTES = 64 * 1024


def _colour(value: str) -> str:
    try:
        Color.parse(value)
    except ColorParseError as error:
        raise ValueError(str(error)) from None
    return value


def _check_variable(name: str, value: str) -> str:
    """Textual's variables hold a text style (names ending in `style`) or a colour, which may be `auto` and
    may carry an alpha such as `50%`. Anything else would fail later, in the app's CSS, at start-up."""
    words = value.split()
    if name.endswith("style"):
        wrong = [word for word in words if word not in VALID_STYLE_FLAGS]
        if wrong or not words:
            raise ValueError(f"{value!r} is not a text style (use: {', '.join(sorted(VALID_STYLE_FLAGS))})")
        return value
    if not words or len(words) > 2 or (len(words) == 2 and not _ALPHA.fullmatch(words[1])):
        raise ValueError(f"{value!r} is not a colour (such as '#1e90ff', 'ansi_red' or 'auto 80%')")
    if words[0] != "auto":
        _colour(words[0])
    return value


@cache
def textual_variable_names() -> frozenset[str]:
    """Every variable the installed Textual's colour system defines, in both its RGB and ANSI forms."""
    names: set[str] = set()
    for ansi in (False, True):
        names.update(ColorSystem(primary="#000000", ansi=ansi).generate())
    return frozenset(names)


# The base colours Textual derives every shade from; only `primary` is required.
_BASE_COLOURS = (
    "primary",
    "secondary",
    "accent",
    "warning",
    "error",
    "success",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)


def _read_colours(table: TableReader) -> dict[str, str]:
    colours = {"primary": table.text("primary", REQUIRED, _colour)}
    colours.update({name: table.text(name, "", _colour) for name in _BASE_COLOURS[1:] if table.has(name)})
    table.forbid_extra()
    return colours


def _read_variables(table: TableReader) -> dict[str, str]:
    """queuetui's own colours, required in every theme so production, staging and demo never look alike, plus
    any of Textual's variables (checked against the installed Textual's list)."""
    variables = {name: table.text(name, REQUIRED, _colour) for name in APP_VARIABLE_DEFAULTS}
    known = textual_variable_names()
    for name in table.extra():
        if name not in known:
            close = difflib.get_close_matches(name, [*known, *APP_VARIABLE_DEFAULTS], n=1)
            table.problem(name, "unknown variable" + (f" (did you mean {close[0]!r}?)" if close else ""))
        else:
            variables[name] = table.text(name, "", partial(_check_variable, name))
    return variables


@dataclass(frozen=True)
class ThemeFile:
    """One theme file, as written on disk."""

    colors: dict[str, str]
    variables: dict[str, str]
    description: str = ""
    dark: bool = True
    ansi: bool = False
    luminosity_spread: float = 0.15
    text_alpha: float = 0.95
    notes: tuple[str, ...] = field(default=(), compare=False)  # values read though written loosely ("yes")

    @classmethod
    def read(cls, data: object) -> ThemeFile:
        """The file's settings (and `notes` on values written loosely); TableProblems naming every key at fault."""
        table = TableReader(data)
        theme = cls(
            colors=_read_colours(table.table("colors")),
            variables=_read_variables(table.table("variables")),
            description=table.text("description", "", _description),
            dark=table.flag("dark", True),
            ansi=table.flag("ansi", False),
            luminosity_spread=table.number("luminosity_spread", 0.15, at_least=0, at_most=1),
            text_alpha=table.number("text_alpha", 0.95, at_least=0, at_most=1),
        )
        table.forbid_extra(_unknown_key)
        table.raise_problems()
        return replace(theme, notes=tuple(f"{'.'.join(at)}: {message}" for at, message in table.notes))

    def to_theme(self, name: str) -> Theme:
        return Theme(
            name=name,
            **self.colors,
            dark=self.dark,
            ansi=self.ansi,
            luminosity_spread=self.luminosity_spread,
            text_alpha=self.text_alpha,
            variables=self.variables,
        )


def _unknown_key(key: str) -> str:
    return "unknown key" + (" (a theme is named by its file name)" if key == "name" else "")


def _description(text: str) -> str:
    if len(text) > 200:
        raise ValueError("is too long (at most 200 characters)")
    return printable(text)


@dataclass(frozen=True)
class ThemeEntry:
    theme: Theme
    description: str
    path: Path
    builtin: bool


@dataclass
class ThemeSet:
    """The themes that loaded, keyed by name, and one line per file that did not."""

    entries: dict[str, ThemeEntry] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def themes(self) -> dict[str, Theme]:
        return {name: entry.theme for name, entry in self.entries.items()}

    @property
    def default(self) -> str:
        return DEFAULT_THEME if DEFAULT_THEME in self.entries else FALLBACK_THEME

    def pick(self, wanted: str) -> tuple[str, str | None]:
        """The theme to use for a name from the config, and why it is not that one when it is not."""
        if not wanted or wanted in self.entries:
            return wanted or self.default, None
        return self.default, f"theme {printable(wanted)!r} is not available; using {self.default!r}"


def read_theme_file(path: Path) -> ThemeFile:
    """The file validated, or ValueError with one line naming the file and every key at fault."""
    _, data = read_toml(path, _MAX_FILE_BYTES)
    try:
        return ThemeFile.read(data)
    except TableProblems as problems:
        raise ValueError(f"{path}: {problems}") from None


def _load_dir(directory: Path, builtin: bool, into: ThemeSet) -> None:
    try:
        files = sorted(directory.glob("*.toml"))
    except OSError as error:
        into.problems.append(f"{directory}: cannot list themes ({error.strerror})")
        return
    for path in files:
        name = path.stem
        if not _THEME_NAME.fullmatch(name):
            into.problems.append(f"{path}: a theme's file name may hold only letters, digits, '-' and '_'")
            continue
        try:
            parsed = read_theme_file(path)
        except ValueError as error:
            into.problems.append(str(error))
            continue
        into.entries[name] = ThemeEntry(parsed.to_theme(name), parsed.description, path, builtin)
        into.problems += [f"{path}: {note}" for note in parsed.notes]


def load_themes(user_dir: Path | None = None, *, builtin_dir: Path | None = None) -> ThemeSet:
    """Built-in themes, then the user's (a user file with a built-in's name replaces it)."""
    loaded = ThemeSet()
    builtin = builtin_dir or builtin_themes_dir()
    if not builtin.is_dir():
        loaded.problems.append(f"{builtin}: built-in themes are missing; the package looks incomplete")
    else:
        _load_dir(builtin, True, loaded)
    user = user_dir or paths.user_themes_dir()
    if user.is_dir():
        _load_dir(user, False, loaded)
    elif user.exists():
        loaded.problems.append(f"{user}: is not a folder, so no user themes were read")
    # File names and contents are the user's, and these lines end up on the terminal.
    loaded.problems = [printable(problem, limit=2000) for problem in loaded.problems]
    return loaded
