"""One factory builds the app for the command line, the tests and the screenshot script."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from queuetui.tui.app import Launch, QueueApp

if TYPE_CHECKING:
    from queuetui.core.service import RateGuard, RetryPolicy


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
    """Nothing is read here: the config, environment and demo simulator load after the first paint."""
    return QueueApp(
        Launch(
            config=config,
            profile=profile,
            base_url=base_url,
            demo=demo,
            audit_path=audit_path,
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
