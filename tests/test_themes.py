"""Themes: the built-in files are valid and usable in a real Textual app, bad files are reported with the
file and key and never stop the rest, user files override built-ins, and the wheel carries the themes."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import pytest
from run_cli import run_queuetui
from textual.app import App, ComposeResult
from textual.color import Color, rgb_to_lab
from textual.widgets import Static

from queuetui.core.config import paths
from queuetui.tui.first_theme import APP_VARIABLE_DEFAULTS, DEFAULT_THEME, builtin_themes_dir
from queuetui.tui.themes import FALLBACK_THEME, load_themes, read_theme_file

REPO = Path(__file__).resolve().parents[1]
BUILTIN_FILES = sorted((REPO / "themes").glob("*.toml"))
ENVIRONMENTS = ("env-production", "env-staging", "env-demo")
APP_VARIABLES = (*ENVIRONMENTS, "mode-barge")

GOOD_THEME = """
description = "A user's own"
[colors]
primary = "#336699"
background = "#202020"
[variables]
env-production = "#ff0000"
env-staging = "#ffaa00"
env-demo = "#00aaff"
mode-barge = "#ff0066"
"""


def write_theme(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def contrast_ratio(first: Color, second: Color) -> float:
    """WCAG 2 contrast ratio between two opaque colours."""

    def luminance(colour: Color) -> float:
        def channel(value: int) -> float:
            scaled = value / 255
            return scaled / 12.92 if scaled <= 0.03928 else ((scaled + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)

    darker, lighter = sorted((luminance(first), luminance(second)))
    return (lighter + 0.05) / (darker + 0.05)


def colour_distance(first: Color, second: Color) -> float:
    """CIE76 delta E: about 2 is just noticeable, above 40 is a different colour at a glance."""
    a, b = rgb_to_lab(first), rgb_to_lab(second)
    return float(((a.L - b.L) ** 2 + (a.a - b.a) ** 2 + (a.b - b.b) ** 2) ** 0.5)


def test_builtin_themes_all_load_and_dark_is_the_default():
    loaded = load_themes()
    assert loaded.problems == []
    assert {"queuetui-dark", "queuetui-light", "queuetui-contrast", "queuetui-ansi"} <= set(loaded.themes)
    assert loaded.default == DEFAULT_THEME == "queuetui-dark"
    assert all(entry.builtin and entry.description for entry in loaded.entries.values())
    assert loaded.themes["queuetui-light"].dark is False


def test_source_checkout_finds_the_repository_themes_folder():
    assert builtin_themes_dir() == REPO / "themes"


@pytest.mark.parametrize("path", BUILTIN_FILES, ids=lambda p: p.stem)
def test_every_builtin_file_passes_validation(path: Path):
    parsed = read_theme_file(path)
    variables = parsed.variables
    assert all(variables[name] for name in APP_VARIABLES)


@pytest.mark.parametrize("path", [p for p in BUILTIN_FILES if p.stem != "queuetui-ansi"], ids=lambda p: p.stem)
def test_environment_colours_stand_apart_and_out(path: Path):
    theme = read_theme_file(path).to_theme(path.stem)
    assert theme.background is not None
    background = Color.parse(theme.background)
    colours = {name: Color.parse(theme.variables[name]) for name in APP_VARIABLES}
    for first, second in itertools.combinations(ENVIRONMENTS, 2):
        assert colour_distance(colours[first], colours[second]) > 40, (first, second)
    for name, colour in colours.items():
        assert contrast_ratio(colour, background) >= 3, name


def test_ansi_theme_uses_only_the_terminals_palette():
    parsed = read_theme_file(REPO / "themes" / "queuetui-ansi.toml")
    assert parsed.ansi
    colours = [*parsed.colors.values()]
    colours += [value for name, value in parsed.variables.items() if not name.endswith("style")]
    assert all(value.startswith("ansi_") for value in colours), colours
    hues = {parsed.variables[name].removeprefix("ansi_").removeprefix("bright_") for name in ENVIRONMENTS}
    assert len(hues) == len(ENVIRONMENTS)
    # With NO_COLOR only text styles are left, so the cursor and focused button must carry one.
    styles = parsed.variables
    assert "reverse" in styles["block-cursor-text-style"]
    assert "reverse" in styles["button-focus-text-style"]


def test_contrast_theme_is_pure_black_and_white():
    theme = read_theme_file(REPO / "themes" / "queuetui-contrast.toml").to_theme("queuetui-contrast")
    assert (Color.parse(theme.background), Color.parse(theme.foreground or "")) == (
        Color.parse("#000000"),
        Color.parse("#ffffff"),
    )
    assert theme.text_alpha == 1.0
    assert "bold" in theme.variables["block-cursor-text-style"]


class BadgeApp(App[None]):
    """The app's own variables in use, the way the console's CSS uses them."""

    CSS = """
    #production { background: $env-production; color: $text; }
    #staging { background: $env-staging; }
    #demo { background: $env-demo; }
    #barge { border: heavy $mode-barge; color: $mode-barge; }
    """

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(APP_VARIABLE_DEFAULTS)

    def compose(self) -> ComposeResult:
        for name in ("production", "staging", "demo", "barge"):
            yield Static(name.upper(), id=name)


def rendered_backgrounds(theme_name: str) -> dict[str, Color]:
    async def run() -> dict[str, Color]:
        app = BadgeApp()
        for theme in load_themes().themes.values():
            app.register_theme(theme)
        async with app.run_test(size=(40, 12)) as pilot:
            app.theme = theme_name
            await pilot.pause()
            return {
                name: app.query_one(f"#{name}", Static).styles.background for name in ("production", "staging", "demo")
            }

    return asyncio.run(run())


@pytest.mark.parametrize("name", [p.stem for p in BUILTIN_FILES])
def test_every_builtin_theme_styles_a_running_app(name: str):
    theme = load_themes().themes[name]
    backgrounds = rendered_backgrounds(name)
    for environment, colour in backgrounds.items():
        assert colour == Color.parse(theme.variables[f"env-{environment}"])


def test_textual_own_theme_gets_the_app_defaults():
    backgrounds = rendered_backgrounds(FALLBACK_THEME)
    assert backgrounds["production"] == Color.parse(APP_VARIABLE_DEFAULTS["env-production"])


BROKEN = {
    "bad_colour": (GOOD_THEME.replace('"#336699"', '"blurple"'), "colors.primary", "blurple"),
    "missing_key": (GOOD_THEME.replace('env-staging = "#ffaa00"\n', ""), "variables.env-staging", "required"),
    "unknown_key": (GOOD_THEME.replace("[colors]", 'colour_scheme = "x"\n[colors]'), "colour_scheme", "unknown"),
    "unknown_colour_key": (GOOD_THEME.replace("[variables]", 'primery = "#fff"\n[variables]'), "colors.primery", ""),
    "misspelt_variable": (
        GOOD_THEME + 'env-prodution = "#f00"\n',
        "variables.env-prodution",
        "did you mean 'env-production'",
    ),
    "bad_text_style": (GOOD_THEME + 'link-style = "blinky"\n', "variables.link-style", "not a text style"),
    "bad_alpha": (GOOD_THEME + 'border = "#ffffff lots"\n', "variables.border", "not a colour"),
    "wrong_type": (GOOD_THEME.replace("[colors]", "dark = 3\n[colors]"), "dark", "true or false"),
    "not_toml": ("description = \n[colors", "not valid TOML", "line 1"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_user_file_is_reported_and_the_rest_still_load(case: str, tmp_path: Path):
    text, key, detail = BROKEN[case]
    user = tmp_path / "themes"
    bad = write_theme(user, "broken", text)
    write_theme(user, "mine", GOOD_THEME)
    loaded = load_themes(user)
    assert len(loaded.problems) == 1
    problem = loaded.problems[0]
    assert problem.startswith(f"{bad}: ")
    assert key in problem
    assert detail in problem
    assert "broken" not in loaded.themes
    assert {"mine", "queuetui-dark", "queuetui-ansi"} <= set(loaded.themes)
    assert loaded.default == DEFAULT_THEME


def test_a_value_of_the_wrong_kind_is_named_once(tmp_path: Path):
    write_theme(tmp_path, "broken", GOOD_THEME.replace("[colors]", "[colors]\nsecondary = 5"))
    (problem,) = load_themes(tmp_path).problems
    assert problem.endswith("broken.toml: colors.secondary: must be text")


def test_a_value_written_loosely_loads_and_is_named(tmp_path: Path):
    write_theme(tmp_path, "mine", GOOD_THEME.replace("[colors]", 'dark = "false"\n[colors]'))
    loaded = load_themes(tmp_path)
    assert not loaded.themes["mine"].dark
    assert loaded.problems == [f"{tmp_path / 'mine.toml'}: dark: 'false' read as false: write true or false"]


def test_every_problem_in_a_file_is_named_at_once(tmp_path: Path):
    text = GOOD_THEME.replace('"#336699"', '"blurple"').replace('env-demo = "#00aaff"\n', "") + 'link-style = "x"\n'
    write_theme(tmp_path, "broken", text)
    (problem,) = load_themes(tmp_path).problems
    assert all(key in problem for key in ("colors.primary", "variables.env-demo", "variables.link-style"))


def test_escape_sequences_in_a_file_are_not_echoed(tmp_path: Path):
    write_theme(tmp_path, "evil", GOOD_THEME.replace('"#336699"', '"\\u001b[2Jred"'))
    (problem,) = load_themes(tmp_path).problems
    assert "\x1b" not in problem
    assert "colors.primary" in problem


def test_control_characters_in_a_file_name_are_not_echoed(tmp_path: Path):
    write_theme(tmp_path, "evil\x1b[2J", GOOD_THEME)
    (problem,) = load_themes(tmp_path).problems
    assert "\x1b" not in problem
    assert "evil" in problem


def test_description_is_shown_without_control_characters(tmp_path: Path):
    write_theme(tmp_path, "mine", GOOD_THEME.replace("A user's own", "Mine\\u001b[31m red"))
    assert load_themes(tmp_path).entries["mine"].description == "Mine red"


def test_a_name_key_is_refused_with_a_hint(tmp_path: Path):
    write_theme(tmp_path, "mine", 'name = "other"\n' + GOOD_THEME)
    (problem,) = load_themes(tmp_path).problems
    assert "name: unknown key (a theme is named by its file name)" in problem


def test_file_name_that_is_no_theme_name_is_refused(tmp_path: Path):
    write_theme(tmp_path, "my theme", GOOD_THEME)
    loaded = load_themes(tmp_path)
    assert "my theme" not in loaded.themes
    assert len(loaded.problems) == 1
    assert "my theme.toml" in loaded.problems[0]


def test_user_file_replaces_the_builtin_of_the_same_name(tmp_path: Path):
    path = write_theme(tmp_path, "queuetui-dark", GOOD_THEME)
    loaded = load_themes(tmp_path)
    entry = loaded.entries["queuetui-dark"]
    assert not entry.builtin
    assert entry.path == path
    assert entry.theme.primary == "#336699"
    assert loaded.themes["queuetui-light"].primary != "#336699"


def test_user_themes_come_from_the_xdg_config_folder():
    write_theme(paths.user_themes_dir(), "night-shift", GOOD_THEME)
    assert load_themes().entries["night-shift"].description == "A user's own"


def test_missing_builtin_folder_falls_back_to_textuals_theme(tmp_path: Path):
    loaded = load_themes(tmp_path / "none", builtin_dir=tmp_path / "gone")
    assert loaded.themes == {}
    assert loaded.default == FALLBACK_THEME
    assert "built-in themes are missing" in loaded.problems[0]


def test_pick_falls_back_to_the_default_and_says_why():
    loaded = load_themes()
    assert loaded.pick("queuetui-light") == ("queuetui-light", None)
    assert loaded.pick("") == (DEFAULT_THEME, None)
    name, why = loaded.pick("solarized")
    assert name == DEFAULT_THEME
    assert why is not None
    assert "solarized" in why
    assert DEFAULT_THEME in why


def test_themes_command_lists_sources_and_survives_a_bad_user_file():
    user = paths.user_themes_dir()
    mine = write_theme(user, "night-shift", GOOD_THEME)
    bad = write_theme(user, "broken", "not toml at all")
    result = run_queuetui("themes")
    assert result.returncode == 0, result.stderr
    lines = {line.split()[1] if line.startswith("*") else line.split()[0]: line for line in result.stdout.splitlines()}
    assert "builtin" in lines["queuetui-contrast"]
    assert str(mine) in lines["night-shift"]
    assert lines["queuetui-dark"].startswith("*")
    assert "broken" not in lines
    assert str(bad) in result.stderr
    assert "1 theme file(s) skipped" in result.stderr


def sixteen_colour(colour: Color) -> Color:
    """What a 16-colour terminal (TERM=xterm, as over SSH) shows for `colour`: Textual sends the nearest of the
    standard palette."""
    from rich.color import Color as RichColor
    from rich.color import ColorSystem

    nearest = RichColor.from_rgb(colour.r, colour.g, colour.b).downgrade(ColorSystem.STANDARD).get_truecolor()
    return Color(nearest.red, nearest.green, nearest.blue)


@pytest.mark.parametrize("path", [p for p in BUILTIN_FILES if p.stem != "queuetui-ansi"], ids=lambda p: p.stem)
def test_hint_text_stays_readable_in_16_colours(path: Path):
    """Placeholders ("e.g. C-10023") and hints are drawn in the theme's muted and disabled text colours: in 16
    colours the light theme once drew them light grey on white."""
    theme = read_theme_file(path).to_theme(path.stem)
    variables = theme.to_color_system().generate()
    for ground_name in ("background", "surface"):
        ground = Color.parse(variables[ground_name])
        for name in ("text-muted", "text-disabled"):
            value = variables[name]
            if value.startswith("auto"):
                colour = ground + ground.get_contrast_text(int(value.split()[1].rstrip("%")) / 100)
            else:
                colour = ground + Color.parse(value)
            assert contrast_ratio(sixteen_colour(colour), sixteen_colour(ground)) >= 3, (name, ground_name)
            assert contrast_ratio(colour, ground) >= 3, (name, ground_name)
