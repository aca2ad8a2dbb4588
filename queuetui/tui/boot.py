"""The slow half of start-up, run in a worker thread after the console's first paint: reading the config
(pydantic), loading the client (httpx) and, in demo mode, starting the simulator and opening its service.
Nothing here touches the screen; the app adopts the result on its own thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from queuetui.api.models import parse_credentials
from queuetui.core import paths
from queuetui.core.config import ConfigError, Environment, Overrides, Profile, Settings, load_config, select_profile
from queuetui.core.factory import open_service
from queuetui.core.service import BargeService
from queuetui.sim import DEMO_SSID, SimServer
from queuetui.tui.app import Launch
from queuetui.tui.themes import ThemeSet, load_themes

DEMO_SNOOPER = "9876543210"


@dataclass
class Demo:
    sim: SimServer
    profile: Profile
    service: BargeService


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


def load(launch: Launch) -> Boot:
    """Read config and environment; never fails: a bad file is reported in the app, which uses defaults."""
    config_path = paths.config_file(launch.config)
    overrides = Overrides.from_env(profile=launch.profile, base_url=launch.base_url)
    settings = Settings()
    problem = ""
    warnings: list[str] = []
    try:
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
    if launch.demo:
        boot.demo = start_demo(boot, launch)
    return boot


def demo_profile(profile: Profile, sim: SimServer) -> Profile:
    return profile.model_copy(
        update={
            "base_url": sim.url,
            "environment": Environment.DEMO,
            "auth": "session",
            "snooper_number": profile.snooper_number or DEMO_SNOOPER,
        }
    )


def start_demo(boot: Boot, launch: Launch) -> Demo:
    """The embedded simulator on a free loopback port, and a service signed in to it."""
    sim = SimServer().start()
    profile = demo_profile(boot.profile, sim)
    service = open_service(
        "demo", profile, parse_credentials(ssid=DEMO_SSID), boot.audit_path, retry=launch.retry, rate=launch.rate
    )
    return Demo(sim, profile, service)
