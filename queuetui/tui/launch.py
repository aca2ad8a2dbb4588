"""One factory builds the app for the command line, the tests and the screenshot script."""

from __future__ import annotations

from typing import Any

from queuetui.tui.app import QueueApp
from queuetui.tui.escape_key import use_burst_parser
from queuetui.tui.options import Launch


def create_app(**options: Any) -> QueueApp:  # noqa: ANN401 - checked by Launch itself
    """Takes `Launch`'s fields by name. Nothing is read here: config, environment and the demo load after the
    first paint."""
    return QueueApp(Launch(**options))


def run_console(
    demo: bool = False,
    locked: bool = False,
    profile: str | None = None,
    config: str | None = None,
    tour: bool = False,
    show_keys: bool = False,
) -> int:
    app = create_app(demo=demo or locked, locked=locked, profile=profile, config=config, tour=tour, show_keys=show_keys)
    use_burst_parser()
    app.run()
    return app.return_code or 0
