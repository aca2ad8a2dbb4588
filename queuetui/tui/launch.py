"""One factory builds the app for the command line, the tests and the screenshot script."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from queuetui import paths
from queuetui.config import ConfigError, Overrides, Settings, load_config, select_profile
from queuetui.service import RateGuard, RetryPolicy
from queuetui.tui.app import Launch, QueueApp


def create_app(
    *,
    demo: bool = False,
    profile: str | None = None,
    config: str | None = None,
    base_url: str | None = None,
    audit_path: Path | None = None,
    retry: RetryPolicy | None = None,
    rate: RateGuard | None = None,
    still: bool = False,
    clock: Callable[[], datetime] = datetime.now,
) -> QueueApp:
    """Read config and environment (never failing: a bad file is reported in the app) and build the app."""
    config_path = paths.config_file(config)
    overrides = Overrides.from_env(profile=profile, base_url=base_url)
    problem = ""
    warnings: list[str] = []
    settings = Settings()
    try:
        loaded = load_config(config_path)
        settings, warnings = loaded.settings, loaded.warnings
    except ConfigError as error:
        problem = str(error)
    try:
        name, chosen = select_profile(settings, overrides.profile)
    except ConfigError as error:
        warnings.append(str(error))
        name, chosen = select_profile(settings, None)
    return QueueApp(
        Launch(
            settings=settings,
            config_path=config_path,
            profile_name=name,
            profile=chosen,
            prefill=overrides,
            demo=demo,
            config_problem=problem,
            config_warnings=warnings,
            audit_path=audit_path or paths.audit_file(),
            retry=retry,
            rate=rate,
            still=still,
            clock=clock,
        )
    )


def run_console(demo: bool = False, profile: str | None = None, config: str | None = None) -> int:
    app = create_app(demo=demo, profile=profile, config=config)
    app.run()
    return app.return_code or 0
