"""The slow half of start-up, run in a worker thread once the console's first frame is on screen: reading the config
and the themes and, in demo mode, starting the simulator and opening its session. Nothing here touches
the screen; the app adopts the result on its own thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from queuetui.core.config import paths
from queuetui.core.config.settings import ConfigError, Overrides, Profile, Settings, load_config, select_profile
from queuetui.core.demo import Demo, open_demo
from queuetui.core.session import Seams, SessionRefused, load_floor
from queuetui.tui.options import Launch
from queuetui.tui.themes import ThemeSet, load_themes


@dataclass
class Boot:
    settings: Settings
    config_path: Path
    profile_name: str
    profile: Profile
    prefill: Overrides
    audit_path: Path
    themes: ThemeSet
    config_problem: str = ""
    warnings: list[str] = field(default_factory=list)
    demo: Demo | None = None
    demo_problem: str = ""  # why the demo could not open (its audit trail cannot be written)


def seams_of(launch: Launch) -> Seams:
    return Seams(
        transport=launch.transport,
        clock=launch.clock,
        retry=launch.retry,
        rate=launch.rate,
        floor_clock=launch.floor_clock,
    )


def load(launch: Launch) -> Boot:
    """Read config and environment; never fails: a bad file is reported in the app, which uses defaults."""
    config_path = paths.config_file(launch.config)
    # A locked console (one served to a browser) takes nothing from the environment or a config file: whatever
    # they hold, it is the demo with the defaults.
    overrides = Overrides() if launch.locked else Overrides.from_env(profile=launch.profile, base_url=launch.base_url)
    settings = Settings()
    problem = ""
    warnings: list[str] = []
    try:
        if not launch.locked:
            loaded = load_config(config_path, named=bool(paths.chosen_config_file(launch.config)))
            settings, warnings = loaded.settings, loaded.warnings
    except ConfigError as error:
        problem = str(error)
    try:
        name, profile = select_profile(settings, overrides.profile)
    except ConfigError as error:
        warnings.append(str(error))
        name, profile = select_profile(settings, None)
    boot = Boot(
        settings,
        config_path,
        name,
        profile,
        overrides,
        launch.audit_path or paths.audit_file(),
        load_themes(),
        problem,
        warnings,
    )
    load_floor()
    import queuetui.tui.widgets.sessions_table  # noqa: F401  (the console mounts it as it adopts this: see show_sessions)

    if launch.demo or launch.locked:
        try:
            boot.demo = open_demo(
                profile, boot.audit_path, seams_of(launch), locked=launch.locked, colleague=launch.demo_colleague
            )
        except SessionRefused as refused:
            boot.demo_problem = str(refused)
    return boot
