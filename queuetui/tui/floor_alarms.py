"""What the console does with the floor's thresholds: the health line kept up to date, a new alarm said once in the
log (and to syslog when the profile copies there), the terminal's bell rung for it (once, again only while it is not
acknowledged, as the profile's `[alerts]` say), and `a` acknowledging every alarm now on."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

LOGGED_PER_REFRESH = 1

if TYPE_CHECKING:
    from queuetui.core.floor.alerts import AlertsConfig
    from queuetui.core.floor.assess import FloorView
    from queuetui.core.floor.poller import CallPoller
    from queuetui.tui.widgets.health_line import HealthLine


class FloorAlarms:
    def __init__(
        self,
        health: Callable[[], HealthLine],
        log_line: Callable[[str, str], None],
        ring: Callable[[], None],
        to_syslog: Callable[[list[dict[str, object]]], object],
    ) -> None:
        self._health = health
        self._log_line = log_line
        self._ring = ring
        self._to_syslog = to_syslog
        self._config: AlertsConfig | None = None
        self._floor: CallPoller | None = None
        self.view: FloorView | None = None

    def attach(self, config: AlertsConfig | None, floor: CallPoller | None) -> None:
        """A new session's thresholds and floor (None: signed out, or no live list)."""
        self._config, self._floor, self.view = config, floor, None
        health = self._health()
        health.show(None, 0)
        health.display = config is not None and floor is not None

    def show(self, view: FloorView | None) -> None:
        """A refresh's view of the floor (None: not judged yet)."""
        if view is None or self._config is None:
            return
        from queuetui.core.floor.alerts import Level

        self.view = view
        ringing = view.rang  # worked out on the poller's thread
        new = [breach for breach, first in ringing if first]
        # A line for the first: the log panel is for reading, and a floor that crosses hundreds of levels
        # at once (a console opened on a busy floor) would bury everything else and hold the UI up.
        for breach in new[:LOGGED_PER_REFRESH]:
            self._log_line("warning", f"{breach.level.glyph}{breach.words} (a: acknowledge)")
        if len(new) > LOGGED_PER_REFRESH:
            more = len(new) - LOGGED_PER_REFRESH
            self._log_line(
                "warning", f"{Level.ALARM.glyph}and {more} more new alarm{'' if more == 1 else 's'} (! lists them)"
            )
        if new:
            self._to_syslog([{**breach.as_json(), "words": breach.words} for breach in new])
        if ringing and self._config.bell:
            self._ring()
        self._show_line()

    def acknowledge(self) -> int:
        """Acknowledge every alarm now on: the bell does not ring again for them. How many were new to it."""
        if self._floor is None:
            return 0
        count = self._floor.acknowledge_alarms()
        self._show_line()
        return count

    @property
    def unacknowledged(self) -> int:
        return self._floor.unacknowledged_alarms() if self._floor is not None else 0

    def _show_line(self) -> None:
        view = self.view
        if view is None:
            return
        self._health().show(view, len(view.alarms) - self.unacknowledged)
