"""What the app takes from start-up's `Boot` besides the session: the validated themes and the theme in force, and
the user's keymap checked against every binding. Problems go to the log, with one notice for them all; a config
that could not be used and the config's warnings each get a notice of their own."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import BindingType

if TYPE_CHECKING:
    from queuetui.tui.boot import Boot
    from queuetui.tui.voice import Voice


def report_boot_problems(boot: Boot, voice: Voice) -> None:
    if boot.config_problem:
        voice.report(
            "error", f"Config not used (defaults instead, and it will not be overwritten): {boot.config_problem}"
        )
    for warning in boot.warnings:
        voice.report("warning", warning)


def adopt_themes(app: App[None], boot: Boot, voice: Voice) -> None:
    """Register the validated themes and choose the profile's (or the file's) theme. Run before the app is ready,
    so a fallback caused by a missing theme is not saved over the user's choice."""
    for theme in boot.themes.themes.values():
        app.register_theme(theme)
    wanted = boot.profile.theme or boot.settings.theme
    # Textual's own themes (offered by the palette too) are as good a choice as ours.
    name, problem = (wanted, None) if wanted in app.available_themes else boot.themes.pick(wanted)
    app.theme = name
    problems = [*boot.themes.problems, *([problem] if problem else [])]
    if problems:
        voice.report("warning", f"{len(problems)} theme problem(s), see the log; first: {problems[0]}")
        for line in problems[1:]:
            voice.log("warning", line)


def adopt_keymap(
    app: App[None], boot: Boot, sections: Callable[[], list[tuple[str, list[BindingType]]]], voice: Voice
) -> None:
    if not boot.settings.keymap:
        return
    from queuetui.tui.binding_sections import checked_keymap

    checked = checked_keymap(boot.settings.keymap, sections(), str(boot.config_path))
    app.set_keymap(checked.keymap)
    if checked.problems:
        first, *others = checked.problems
        # One notice, not one per problem; it says where the rest are.
        voice.report(
            "warning",
            f"{len(checked.problems)} keymap problems, all in the log; first: {first}" if others else first,
        )
        for line in others:
            voice.log("warning", line)
