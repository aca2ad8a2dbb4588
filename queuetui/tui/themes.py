"""Colour themes: one TOML file per theme, validated, then turned into Textual themes.

The built-in files ship inside the package (`queuetui/themes`, from the repository's `themes/` folder); the
user's own live in `$XDG_CONFIG_HOME/queuetui/themes` and win over a built-in of the same name. A theme's
name is its file name without `.toml`. A file that is wrong is reported with its path and the key at fault
and skipped: a theme is never worth a failed start.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError
from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.design import ColorSystem
from textual.theme import Theme

from queuetui.api.text import printable
from queuetui.core import paths
from queuetui.core.tomlfile import read_toml
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


Colour = Annotated[str, AfterValidator(_colour)]


def _check_variable(name: str, value: str) -> None:
    """Textual's variables hold a text style (names ending in `style`) or a colour, which may be `auto` and
    may carry an alpha such as `50%`. Anything else would fail later, in the app's CSS, at start-up."""
    words = value.split()
    if name.endswith("style"):
        wrong = [word for word in words if word not in VALID_STYLE_FLAGS]
        if wrong or not words:
            raise ValueError(f"{value!r} is not a text style (use: {', '.join(sorted(VALID_STYLE_FLAGS))})")
        return
    if not words or len(words) > 2 or (len(words) == 2 and not _ALPHA.fullmatch(words[1])):
        raise ValueError(f"{value!r} is not a colour (such as '#1e90ff', 'ansi_red' or 'auto 80%')")
    if words[0] != "auto":
        _colour(words[0])


@cache
def textual_variable_names() -> frozenset[str]:
    """Every variable the installed Textual's colour system defines, in both its RGB and ANSI forms."""
    names: set[str] = set()
    for ansi in (False, True):
        names.update(ColorSystem(primary="#000000", ansi=ansi).generate())
    return frozenset(names)


class ThemeColours(BaseModel):
    """The base colours Textual derives every shade from; only `primary` is required."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    primary: Colour
    secondary: Colour | None = None
    accent: Colour | None = None
    warning: Colour | None = None
    error: Colour | None = None
    success: Colour | None = None
    foreground: Colour | None = None
    background: Colour | None = None
    surface: Colour | None = None
    panel: Colour | None = None
    boost: Colour | None = None


def _extra_variable_errors(data: dict[Any, Any]) -> list[InitErrorDetails]:
    """Problems with the variables beyond queuetui's own: unknown to Textual, or a value it cannot use."""
    known = textual_variable_names()
    errors = []
    for name, value in data.items():
        if name in APP_VARIABLE_DEFAULTS:
            continue
        if name not in known:
            close = difflib.get_close_matches(str(name), [*known, *APP_VARIABLE_DEFAULTS], n=1)
            problem = "unknown variable" + (f" (did you mean {close[0]!r}?)" if close else "")
        elif not isinstance(value, str):
            problem = "must be a string"
        else:
            try:
                _check_variable(name, value)
            except ValueError as error:
                problem = str(error)
            else:
                continue
        error_type = PydanticCustomError("theme_variable", "{problem}", {"problem": problem})
        errors.append(InitErrorDetails(type=error_type, loc=(str(name),), input=value))
    return errors


class ThemeVariables(BaseModel):
    """queuetui's own colours, required in every theme so production, staging and demo never look alike,
    plus any of Textual's variables (checked against the installed Textual's list)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    env_production: Colour = Field(alias="env-production")
    env_staging: Colour = Field(alias="env-staging")
    env_demo: Colour = Field(alias="env-demo")
    mode_barge: Colour = Field(alias="mode-barge")

    @model_validator(mode="wrap")
    @classmethod
    def _textual_variables(cls, data: object, handler: ModelWrapValidatorHandler[ThemeVariables]) -> ThemeVariables:
        """Report the extra variables' problems alongside the required ones', so one look at the message is
        enough to fix the file."""
        errors = _extra_variable_errors(data) if isinstance(data, dict) else []
        try:
            model = handler(data)
        except ValidationError as error:
            errors = [
                InitErrorDetails(type=item["type"], loc=item["loc"], input=item["input"], ctx=item.get("ctx", {}))
                for item in error.errors()
            ] + errors
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return model

    def as_dict(self) -> dict[str, str]:
        return {str(name): str(value) for name, value in self.model_dump(by_alias=True).items()}


class ThemeFile(BaseModel):
    """One theme file, as written on disk."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: Annotated[str, AfterValidator(printable)] = Field(default="", max_length=200)
    dark: bool = True
    ansi: bool = False
    luminosity_spread: float = Field(default=0.15, ge=0, le=1)
    text_alpha: float = Field(default=0.95, ge=0, le=1)
    colors: ThemeColours
    variables: ThemeVariables

    def to_theme(self, name: str) -> Theme:
        return Theme(
            name=name,
            **self.colors.model_dump(exclude_none=True),
            dark=self.dark,
            ansi=self.ansi,
            luminosity_spread=self.luminosity_spread,
            text_alpha=self.text_alpha,
            variables=self.variables.as_dict(),
        )


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


def _describe(location: tuple[int | str, ...], message: str, kind: str) -> str:
    key = ".".join(str(part) for part in location) or "(top level)"
    if kind == "missing":
        message = "is required"
    elif kind == "extra_forbidden":
        message = "unknown key" + (" (a theme is named by its file name)" if location == ("name",) else "")
    else:
        message = message.removeprefix("Value error, ")
    return f"{key}: {printable(message)}"


def read_theme_file(path: Path) -> ThemeFile:
    """The file validated, or ValueError with one line naming the file and every key at fault."""
    _, data = read_toml(path, _MAX_FILE_BYTES)
    try:
        return ThemeFile.model_validate(data)
    except ValidationError as error:
        details = [
            _describe(item["loc"], item["msg"], item["type"])
            for item in error.errors(include_url=False, include_input=False)
        ]
        raise ValueError(f"{path}: " + "; ".join(details)) from None


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
