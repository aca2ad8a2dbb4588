"""Themes in the running console: the chosen one applies, a switch is remembered, a broken file is reported
once and the console still starts."""

from __future__ import annotations

from queuetui.core.config.settings import load_config
from tui.conftest import drive, signed_in


def test_theme_from_config_applies_and_a_switch_is_remembered(make_app, write_config, sim):
    path = write_config(f'theme = "queuetui-contrast"\n[profiles.floor]\nbase_url = "{sim.url}"\n')
    h = make_app(still=False)

    async def steps(pilot):
        assert h.app.theme == "queuetui-contrast"
        await signed_in(pilot)
        h.app.theme = "queuetui-ansi"
        await h.app.workers.wait_for_complete()
        await pilot.pause()

    drive(h, steps)
    assert load_config(path).settings.theme == "queuetui-ansi"


def test_broken_user_theme_is_reported_once_and_the_default_is_used(make_app, write_config, isolated_home, sim):
    write_config(f'theme = "mine"\n[profiles.floor]\nbase_url = "{sim.url}"\n')
    themes = isolated_home / ".config" / "queuetui" / "themes"
    themes.mkdir(parents=True)
    (themes / "mine.toml").write_text('[colors]\nprimary = "not-a-colour"\n')
    h = make_app()

    async def steps(pilot):
        assert h.app.theme == "queuetui-dark"

    drive(h, steps)
    warnings = h.toasts.of("warning")
    assert len(warnings) == 1, warnings
    assert "mine.toml" in warnings[0] and "primary" in warnings[0]
