"""What the app starts from: only what the command line and tests give; nothing is read yet. A module of its
own so that building it loads neither the app nor the core."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from queuetui.core.floor.poller import Clock
    from queuetui.core.service import RateGuard, RetryPolicy
    from queuetui.core.session import Transport


def local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass
class Launch:
    config: str | None = None
    profile: str | None = None
    base_url: str | None = None
    demo: bool = False
    locked: bool = False  # the demo, locked to its own simulator: a console served to a browser
    audit_path: Path | None = None
    retry: RetryPolicy | None = None
    rate: RateGuard | None = None
    transport: Transport | None = None  # tests hand in a fake server here
    floor_clock: Clock | None = None  # the live list's clock: a fixed one keeps durations still in snapshots
    tour: bool = False  # start the guided tour (demo only)
    show_keys: bool = False  # show the last keys pressed, for a room watching
    still: bool = False  # no blinking cursor or spinner: for snapshots and screenshots
    slow_link: bool = False  # `--slow-link`: as few bytes as can be (the config's `slow_link` turns it on too)
    clock: Callable[[], datetime] = local_now  # a fixed clock makes snapshots repeatable
    demo_colleague: bool = True  # the demo's scripted colleague on the floor (presence)
